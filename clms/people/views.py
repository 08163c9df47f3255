"""Register pages: list, child page, create and edit."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from clms.accounts.audit import audit_log, read_scoped_or_404
from clms.accounts.http import AuthedHttpRequest
from clms.accounts.models import AuditAction
from clms.accounts.policy import Perm, roles
from clms.core import page_cache
from clms.core.access import get_scoped_or_404, role_required
from clms.core.forms import add_service_errors, service_ok
from clms.core.history import record_history
from clms.core.locking import StaleEdit
from clms.people import selectors, services
from clms.people.counting import CountedPaginator, cached_count
from clms.people.duplicates import find_duplicates
from clms.people.forms import (
    ChildCreateForm,
    ChildForm,
    ConsentForm,
    GuardianForm,
    HouseholdForm,
    RegisterFilterForm,
)
from clms.people.models import Child
from clms.people.presenters import RISK_BADGES, category_label, factor_labels, observation_view
from clms.people.reference import ethnicity_names, special_circumstance_names
from clms.places.models import AdminUnit, Level
from clms.places.roots import wide_scope_roots
from clms.places.scoping import unit_q

if TYPE_CHECKING:
    from clms.accounts.models import User

READERS = roles(Perm.REGISTER_READ)
WRITERS = roles(Perm.REGISTER_WRITE)
OFFICERS = roles(Perm.REGISTER_MANAGE)
PAGE_SIZE = 50


def readable_villages(user: User) -> list[selectors.VillageOption]:
    # Tuples, not units: a province has ~1,000 villages, and two model instances per row
    # (village and commune) cost ~30 ms of every register page.
    rows = (
        AdminUnit.objects.filter(unit_q(user, ""), level=Level.VILLAGE)
        .order_by("parent__name", "name")
        .values_list("pk", "name", "parent__name")
    )
    return [selectors.VillageOption(*row) for row in rows]


def filters_from(form: RegisterFilterForm) -> selectors.RegisterFilters:
    if not form.is_valid():
        return selectors.RegisterFilters()
    data = form.cleaned_data
    return selectors.RegisterFilters(
        q=data.get("q") or "",
        status=data.get("status") or "",
        village=data.get("village"),
        age_band=data.get("age_band") or "",
        sex=data.get("sex") or "",
        ethnicity=data.get("ethnicity") or "",
        school_status=data.get("school_status") or "",
        risk_level=data.get("risk_level") or "",
    )


@role_required(*READERS)
def register_list(request: AuthedHttpRequest) -> HttpResponse:
    user = request.user
    partial = bool(request.htmx) and not request.htmx.boosted

    def render_body() -> tuple[str, dict[str, Any]]:
        form = RegisterFilterForm(request.GET or None, villages=readable_villages(user))
        rows = selectors.register_rows(user, filters_from(form))
        # A province's total is counted once per write to it, not on every page (counting.py).
        page = CountedPaginator(rows, PAGE_SIZE, count=cached_count(user, rows)).get_page(request.GET.get("page"))
        query = request.GET.copy()
        query.pop("page", None)
        context = {
            "form": form,
            "page": page,
            "query": query.urlencode(),
            "risk_badges": RISK_BADGES,
            "ethnicities": ethnicity_names(),
            "can_export": user.is_admin or user.role in OFFICERS,
            "can_import": user.is_admin or user.role in OFFICERS,
        }
        template = "people/_register_rows.html" if partial else "people/_register_content.html"
        return render_to_string(template, context, request), {"ids": [c.pk for c in page.object_list]}

    # A wide scope's page is rendered once per write to it and shared (clms/core/page_cache.py);
    # every request still audits the children it shows.
    body = page_cache.body(request, "people:list", roots=lambda: wide_scope_roots(user), render=render_body)
    audit_log(
        user=user, action=AuditAction.LIST, object_type="people.child",
        object_ids=body.meta["ids"], request=request,
        detail={"query": request.GET.urlencode()[:500]},
    )
    if partial:
        return HttpResponse(body.html)
    return render(request, "people/register_list.html", {"body": body.html})


@role_required(*READERS)
def child_detail(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    user = request.user
    try:
        child = selectors.child_page(user, pk)
    except Child.DoesNotExist:
        raise Http404 from None
    observations = list(selectors.child_timeline(child))
    timeline = [observation_view(o) for o in observations]
    assessments = list(child.risk_assessments.all())
    audit_log(user=user, action=AuditAction.READ, object_type="people.child", object_id=child.pk, request=request)
    return render(
        request,
        "people/child_detail.html",
        {
            "child": child,
            "timeline": timeline,
            "latest_label": category_label(child.latest_category) if child.latest_category else "",
            "assessments": [{"a": a, "factors": factor_labels(a.factors)} for a in assessments],
            "risk_badges": RISK_BADGES,
            "ethnicity": ethnicity_names().get(child.ethnicity, child.ethnicity) if child.ethnicity else _("Not known"),
            "circumstances": [special_circumstance_names().get(c, c) for c in child.special_circumstances],
            "siblings": selectors.children_for_user(user).filter(household_id=child.household_id).exclude(pk=child.pk)
            if child.household_id else [],
            "guardian_form": GuardianForm(),
            "consent_form": ConsentForm(),
            "can_write": user.is_admin or user.role in WRITERS,
            "can_merge": user.is_admin or user.role in OFFICERS,
            # Same readers as the page itself (scoped and audited above).
            "child_history": record_history(child),
            "household_history": record_history(child.household) if child.household is not None else [],
            # Each observation's own changes (a corrected date, place or employer), newest first.
            "observation_histories": [(o, h) for o in observations if (h := record_history(o))],
        },
    )


def _household_form(request: AuthedHttpRequest, user: User, **kwargs: Any) -> HouseholdForm:
    return HouseholdForm(
        request.POST or None, prefix="hh",
        communes=selectors.communes_for_writing(user), villages=selectors.villages_for_writing(user), **kwargs,
    )


@role_required(*WRITERS)
def child_create(request: AuthedHttpRequest) -> HttpResponse:
    user = request.user
    household = None
    if request.GET.get("household"):
        household = get_scoped_or_404(
            selectors.households_for_user(user).select_related("commune", "village"), pk=request.GET["household"]
        )
    hh_form = None if household else _household_form(request, user)
    form = ChildCreateForm(request.POST or None, prefix="child")
    candidates: list[Any] = []
    if request.method == "POST":
        valid = form.is_valid() and (hh_form is None or hh_form.is_valid())
        if valid:
            commune = household.commune if household else hh_form.cleaned_data["commune"]  # type: ignore[union-attr]
            village = household.village if household else hh_form.cleaned_data.get("village")  # type: ignore[union-attr]
            candidates = find_duplicates(
                user=user, full_name=form.cleaned_data["full_name"], dob=form.cleaned_data["dob"], commune=commune,
                household=household, village=village, personal_id=form.cleaned_data["personal_id"],
            )
            if candidates and not form.cleaned_data.get("confirm_different"):
                form.add_error(
                    "confirm_different",
                    _("This child may already be on the register. Open the child below, or tick the box to "
                      "confirm this is a different child."),
                )
            else:
                try:
                    child = services.child_register(
                        user=user, child_fields=form.service_fields(), household=household,
                        household_fields=hh_form.service_fields() if hh_form else None,
                    )
                except ValidationError as exc:
                    add_service_errors(form, exc)
                except PermissionDenied:
                    form.add_error(None, _("You may not register children in this village."))
                else:
                    audit_log(
                        user=user, action=AuditAction.CREATE, object_type="people.child", object_id=child.pk,
                        request=request,
                        detail={"household": child.household_id, "duplicates_confirmed": [c.child.pk for c in candidates]},
                    )
                    messages.success(request, _("%(name)s was added to the register.") % {"name": child.full_name})
                    return redirect("people:detail", pk=child.pk)
    return render(
        request,
        "people/child_form.html",
        {"form": form, "hh_form": hh_form, "household": household, "candidates": candidates, "creating": True},
    )


@role_required(*WRITERS)
def child_edit(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    user = request.user
    child = read_scoped_or_404(selectors.children_for_user(user).select_related("household"), pk=pk,
                               user=user, object_type="people.child")
    initial = {name: getattr(child, name) for name in ChildForm.base_fields if hasattr(child, name)}
    form = ChildForm(request.POST or None, initial=initial, prefix="child")
    if request.method == "POST" and form.is_valid():
        try:
            services.child_update(
                user=user, child=child, version=form.cleaned_data["version"] or 0, **form.service_fields()
            )
        except StaleEdit as exc:
            form.add_error(None, str(exc.message))
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            audit_log(user=user, action=AuditAction.UPDATE, object_type="people.child", object_id=child.pk, request=request)
            messages.success(request, _("Changes saved."))
            return redirect("people:detail", pk=child.pk)
    return render(request, "people/child_form.html", {"form": form, "child": child, "creating": False})


@role_required(*WRITERS)
def household_edit(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    user = request.user
    household = read_scoped_or_404(selectors.households_for_user(user).select_related("commune", "village"), pk=pk,
                                   user=user, object_type="people.household")
    fields = ("commune", "village", "head_name", "address", "members", "poverty_status", "ethnicity",
              "disadvantaged_area", "craft_household", "fishing_household", "migrant_parents", "phone", "version")
    form = _household_form(request, user, initial={f: getattr(household, f) for f in fields})
    if request.method == "POST" and form.is_valid():
        data = form.service_fields()
        # A household moves commune only with its children, which is a different operation.
        data.pop("commune", None)
        try:
            services.household_update(
                user=user, household=household, version=form.cleaned_data["version"] or 0, **data
            )
        except StaleEdit as exc:
            form.add_error(None, str(exc.message))
        except ValidationError as exc:
            add_service_errors(form, exc)
        except PermissionDenied:
            form.add_error(None, _("You may not register children in this village."))
        else:
            audit_log(user=user, action=AuditAction.UPDATE, object_type="people.household", object_id=household.pk,
                      request=request)
            messages.success(request, _("Changes saved."))
            back = household.children.filter(merged_into__isnull=True).first()
            return redirect("people:detail", pk=back.pk) if back else redirect("people:list")
    return render(request, "people/household_form.html", {"form": form, "household": household})


@role_required(*WRITERS)
def guardian_add(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    user = request.user
    child = read_scoped_or_404(selectors.children_for_user(user), pk=pk, user=user, object_type="people.child")
    form = GuardianForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if service_ok(form, lambda: services.guardian_add(user=user, child=child, **form.cleaned_data)):
            audit_log(user=user, action=AuditAction.UPDATE, object_type="people.child", object_id=child.pk,
                      request=request, detail={"added": "guardian"})
            messages.success(request, _("Guardian added."))
            return redirect("people:detail", pk=child.pk)
    return render(request, "people/small_form.html", {"form": form, "child": child, "title": _("Add a guardian")})


@role_required(*WRITERS)
def consent_add(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    user = request.user
    child = read_scoped_or_404(selectors.children_for_user(user), pk=pk, user=user, object_type="people.child")
    form = ConsentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if service_ok(form, lambda: services.consent_record(user=user, child=child, **form.cleaned_data)):
            audit_log(user=user, action=AuditAction.UPDATE, object_type="people.child", object_id=child.pk,
                      request=request, detail={"added": "consent"})
            messages.success(request, _("Consent recorded."))
            return redirect("people:detail", pk=child.pk)
    return render(request, "people/small_form.html", {"form": form, "child": child, "title": _("Record a consent")})
