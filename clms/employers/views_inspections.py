"""Pages of inspections, the children they find and the violations they propose."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Prefetch
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from clms.accounts.audit import audit_log
from clms.accounts.http import AuthedHttpRequest
from clms.accounts.models import AuditAction, User
from clms.core import once
from clms.core.access import get_scoped_or_404, role_required
from clms.core.forms import add_service_errors, run_service, service_ok
from clms.core.locking import StaleEdit
from clms.employers import selectors, services
from clms.employers.access import (
    READERS,
    WRITERS,
    may_write,
    writable_communes,
    writable_villages,
)
from clms.employers.forms import (
    FindingsForm,
    FoundChildForm,
    InspectionForm,
    ViolationConfirmForm,
    ViolationDismissForm,
    ViolationFilterForm,
    ViolationPenaliseForm,
    ViolationRemedyForm,
)
from clms.employers.models import Employer, Inspection, Violation
from clms.people.models import Classification
from clms.people.selectors import children_for_user
from clms.places.scoping import unit_q
from clms.rules import Category, fold

PAGE_SIZE = 50


@role_required(*READERS)
def inspection_list(request: AuthedHttpRequest) -> HttpResponse:
    user = request.user
    today = timezone.localdate()
    rows = (
        selectors.inspections_for_user(user)
        .annotate(children=Count("found_children", distinct=True), violation_count=Count("violations", distinct=True))
        .prefetch_related(Prefetch("employers", queryset=Employer.objects.only("pk", "name").order_by("name")))
        .order_by("-inspected_on", "-pk")
    )
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    due = list(selectors.reinspections_due(user, today)[:100])
    stale = list(selectors.employers_not_inspected(user, today - dt.timedelta(days=365))[:100])
    return render(
        request,
        "employers/inspection_list.html",
        {"page": page, "due": due, "not_inspected": stale, "can_write": may_write(user), "today": today},
    )


@role_required(*WRITERS)
def inspection_create(request: AuthedHttpRequest) -> HttpResponse:
    user = request.user
    employers = selectors.employers_for_user(user).filter(active=True)
    initial: dict[str, Any] = {"inspected_on": timezone.localdate()}
    chosen = request.GET.get("employer")
    if chosen and chosen.isdigit():
        first = get_scoped_or_404(selectors.employers_for_user(user), pk=int(chosen))
        initial["employers"] = [first.pk]
    follow = request.GET.get("follow_up_of")
    if follow and follow.isdigit():
        earlier = get_scoped_or_404(selectors.inspections_for_user(user), pk=int(follow))
        initial.update(follow_up_of=earlier.pk, employers=list(earlier.employers.values_list("pk", flat=True)), kind=earlier.kind)
    form = InspectionForm(
        request.POST or None,
        initial=initial,
        employers=employers,
        members=User.objects.filter(unit_q(user, "area"), is_active=True).exclude(role="province_viewer").order_by("full_name"),
        # Follow-ups are for recent inspections; older ones would only lengthen the list.
        inspections=selectors.inspections_for_user(user)
        .filter(inspected_on__gte=timezone.localdate() - dt.timedelta(days=3 * 365))
        .order_by("-inspected_on"),
    )
    if request.method == "POST" and form.is_valid():
        inspection = run_service(form, lambda: services.inspection_record(user=user, **form.cleaned_data))
        if inspection is not None:
            audit_log(user=user, action=AuditAction.CREATE, object_type="employers.inspection", object_id=inspection.pk, request=request)
            messages.success(request, _("Inspection recorded. Now add the children found working, if any."))
            return redirect("employers:inspection", pk=inspection.pk)
    picked = request.POST.getlist("employers") if request.method == "POST" else initial.get("employers", [])
    picked_ids = [int(v) for v in picked if str(v).isdigit()]
    chosen_employers = list(employers.filter(pk__in=picked_ids).select_related("commune").order_by("name"))
    return render(request, "employers/inspection_form.html", {"form": form, "chosen_employers": chosen_employers})


@role_required(*WRITERS)
def employer_options(request: AuthedHttpRequest) -> HttpResponse:
    """Type-ahead of the inspection form: employers of the user's area whose name (diacritics
    ignored) or tax code matches what was typed, each with its commune and tax code."""
    user = request.user
    query = request.GET.get("employer_q", "")
    words = fold(query).split()
    rows: list[Employer] = []
    if words:
        qs = selectors.employers_for_user(user).filter(active=True).select_related("commune")
        digits = query.strip().replace(" ", "")
        if digits.replace("-", "").isdigit():
            qs = qs.filter(tax_code__startswith=digits)
        else:
            for word in words:
                qs = qs.filter(name_folded__contains=word)
        rows = list(qs.order_by("name_folded", "commune__name", "pk")[:20])
    return render(request, "employers/_employer_options.html", {"rows": rows, "typed": bool(words)})


def _found_child_form(user: User, inspection: Inspection, data: Any = None) -> FoundChildForm:
    employers = inspection.employers.all()
    first = employers.first()
    initial = {"employer": first.pk if first else None, "commune": first.commune_id if first else None}
    return FoundChildForm(
        data,
        initial=initial,
        employers=employers,
        children=children_for_user(user),
        communes=writable_communes(user),
        villages=writable_villages(user),
    )


def _inspection_context(user: User, inspection: Inspection) -> dict[str, Any]:
    found = list(
        inspection.found_children.select_related("employer", "observation").order_by("pk")
    )
    visible = {c.pk: c for c in children_for_user(user).filter(pk__in=[f.child_id for f in found])}
    laws = {
        c.observation_id: c
        for c in Classification.objects.filter(
            observation_id__in=[f.observation_id for f in found], ruleset="vn-law", is_current=True
        )
    }
    violations = list(inspection.violations.select_related("employer").order_by("pk"))
    by_observation: dict[int | None, list[Violation]] = {}
    for v in violations:
        by_observation.setdefault(v.observation_id, []).append(v)
    rows = []
    for f in found:
        law = laws.get(f.observation_id)
        rows.append(
            {
                "found": f,
                "child": visible.get(f.child_id),
                "law": law,
                "category_label": Category(law.category).label if law and law.category in Category.__members__ else "",
                "violations": by_observation.get(f.observation_id, []),
            }
        )
    return {
        "inspection": inspection,
        "employers": list(inspection.employers.select_related("commune").order_by("name")),
        "rows": rows,
        "other_violations": by_observation.get(None, []),
        "can_write": may_write(user),
        "follow_ups": list(inspection.follow_ups.order_by("inspected_on")),
    }


@role_required(*READERS)
def inspection_detail(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    user = request.user
    inspection = get_scoped_or_404(selectors.inspections_for_user(user).select_related("follow_up_of"), pk=pk)
    context = _inspection_context(user, inspection)
    audit_log(
        user=user, action=AuditAction.READ, object_type="employers.inspection", object_id=inspection.pk, request=request,
        detail={"children": sorted(r["child"].pk for r in context["rows"] if r["child"] is not None)},
    )
    context["findings_form"] = FindingsForm(initial={"findings": inspection.findings, "version": inspection.version})
    return render(request, "employers/inspection_detail.html", context)


@role_required(*WRITERS)
def inspection_findings(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    user = request.user
    inspection = get_scoped_or_404(selectors.inspections_for_user(user), pk=pk)
    form = FindingsForm(request.POST or None, initial={"findings": inspection.findings, "version": inspection.version})
    if request.method == "POST" and form.is_valid():
        try:
            services.inspection_update_findings(
                user=user, inspection=inspection, version=form.cleaned_data["version"] or 0, findings=form.cleaned_data["findings"]
            )
        except StaleEdit as stale:
            form.add_error(None, stale.message)
        else:
            audit_log(user=user, action=AuditAction.UPDATE, object_type="employers.inspection", object_id=inspection.pk, request=request)
            messages.success(request, _("Changes saved."))
            return redirect("employers:inspection", pk=inspection.pk)
    return render(request, "employers/findings_form.html", {"form": form, "inspection": inspection})


@role_required(*WRITERS)
def inspection_add_child(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    user = request.user
    inspection = get_scoped_or_404(selectors.inspections_for_user(user), pk=pk)
    form = _found_child_form(user, inspection, request.POST or None)
    candidates: list[services.DuplicateCandidate] = []
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            found = services.inspection_add_child(
                user=user,
                inspection=inspection,
                employer=data["employer"],
                child=data.get("existing_child"),
                new_child=form.new_child(),
                not_a_duplicate=data.get("not_a_duplicate", False),
                observation=form.observation(),
            )
        except services.DuplicateSuspected as suspected:
            candidates = suspected.candidates
            audit_log(
                user=user, action=AuditAction.LIST, object_type="people.child",
                object_ids=[c.child.pk for c in candidates], request=request, detail={"purpose": "duplicate_check"},
            )
            form.add_error(None, _("The register may already hold this child. Pick the child below, or tick that it is a new child."))
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            audit_log(
                user=user, action=AuditAction.CREATE, object_type="employers.found_child", object_id=found.pk,
                request=request, detail={"child": found.child_id, "observation": found.observation_id},
            )
            messages.success(request, _("Child recorded; the work was classified and the violations it shows are proposed below."))
            return redirect(f"{_inspection_url(inspection)}#found-{found.pk}")
    return render(
        request,
        "employers/found_child_form.html",
        {"form": form, "inspection": inspection, "candidates": candidates},
    )


def _inspection_url(inspection: Inspection) -> str:
    return reverse("employers:inspection", args=[inspection.pk])


@role_required(*WRITERS)
def child_options(request: AuthedHttpRequest) -> HttpResponse:
    """Children of the register matching the typed name (diacritics ignored), for the found-child form."""
    user = request.user
    words = fold(request.GET.get("child_q", "")).split()
    children = []
    if words:
        qs = children_for_user(user).select_related("commune")
        for word in words:
            qs = qs.filter(name_folded__contains=word)
        children = list(qs.order_by("name_folded", "dob")[:10])
        audit_log(
            user=user, action=AuditAction.LIST, object_type="people.child",
            object_ids=[c.pk for c in children], request=request, detail={"purpose": "inspection_pick"},
        )
    return render(request, "employers/_child_options.html", {"children": children})


@require_POST
@role_required(*WRITERS)
def found_child_open_case(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    user = request.user
    found = get_scoped_or_404(selectors.found_children_for_user(user).select_related("child", "employer", "inspection"), pk=pk)
    if not children_for_user(user).filter(pk=found.child_id).exists():
        raise Http404
    try:
        services.found_child_open_case(user=user, found_child=found)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        audit_log(user=user, action=AuditAction.CREATE, object_type="cases.case", request=request, detail={"child": found.child_id})
        messages.success(request, _("A case was opened for %(name)s.") % {"name": found.child.full_name})
    return redirect(f"{_inspection_url(found.inspection)}#found-{found.pk}")


VIOLATION_ACTIONS = {
    "confirm": (ViolationConfirmForm, "violation_confirm"),
    "penalise": (ViolationPenaliseForm, "violation_penalise"),
    "remedy": (ViolationRemedyForm, "violation_remedy"),
    "dismiss": (ViolationDismissForm, "violation_dismiss"),
}


@role_required(*WRITERS)
def violation_action(request: AuthedHttpRequest, pk: int, action: str) -> HttpResponse:
    user = request.user
    if action not in VIOLATION_ACTIONS:
        raise Http404
    violation = get_scoped_or_404(
        selectors.violations_for_user(user).select_related("employer__commune", "inspection"), pk=pk
    )
    form_class, service_name = VIOLATION_ACTIONS[action]
    form = form_class(request.POST or None, initial={"version": violation.version})
    if request.method == "POST" and form.is_valid():
        values = dict(form.cleaned_data)
        version = values.pop("version") or 0
        if service_ok(form, lambda: getattr(services, service_name)(user=user, violation=violation, version=version, **values)):
            audit_log(
                user=user, action=AuditAction.UPDATE, object_type="employers.violation", object_id=violation.pk,
                request=request, detail={"action": action},
            )
            messages.success(request, _("Violation updated: %(status)s.") % {"status": violation.get_status_display()})
            if request.htmx:
                once.accepted(request)
                response = render(request, "employers/_violation.html", {"v": violation, "can_write": True})
                # The form sat in the card's action row; the answer is the whole card, updated.
                response["HX-Retarget"] = f"#violation-{violation.pk}"
                response["HX-Reswap"] = "outerHTML"
                return response
            return redirect(f"{_inspection_url(violation.inspection)}#violation-{violation.pk}")
    template = "employers/_violation_form.html" if request.htmx else "employers/violation_form.html"
    return render(request, template, {"form": form, "v": violation, "action": action})


@role_required(*READERS)
def violation_list(request: AuthedHttpRequest) -> HttpResponse:
    user = request.user
    filters = ViolationFilterForm(request.GET or None)
    rows = selectors.violations_for_user(user).select_related("employer", "inspection")
    if filters.is_valid() and filters.cleaned_data.get("status"):
        rows = rows.filter(status=filters.cleaned_data["status"])
    rows = rows.order_by("-inspection__inspected_on", "pk")
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "employers/violation_list.html",
        {"page": page, "filters": filters, "today": timezone.localdate(), "can_write": may_write(user)},
    )
