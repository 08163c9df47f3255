"""Pages of employers, craft villages and commitments."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from clms.accounts.audit import audit_log
from clms.accounts.http import AuthedHttpRequest
from clms.accounts.models import AuditAction
from clms.core.access import get_scoped_or_404, role_required
from clms.core.forms import edit_initial, run_service
from clms.employers import selectors, services
from clms.employers.access import (
    READERS,
    WRITERS,
    may_write,
    writable_communes,
    writable_villages,
)
from clms.employers.forms import CommitmentForm, CraftVillageForm, EmployerFilterForm, EmployerForm
from clms.employers.models import OPEN_STATUSES
from clms.people.selectors import children_for_user
from clms.places.selectors import communes_for_user
from clms.rules import catalogue

if TYPE_CHECKING:
    from clms.accounts.models import User

PAGE_SIZE = 50


@role_required(*READERS)
def employer_list(request: AuthedHttpRequest) -> HttpResponse:
    user = request.user
    filters = EmployerFilterForm(request.GET or None, communes=communes_for_user(user))
    rows = selectors.employers_for_user(user)
    if filters.is_valid():
        data = filters.cleaned_data
        if data.get("q"):
            rows = selectors.employer_search(rows, data["q"])
        if data.get("commune"):
            rows = rows.filter(commune=data["commune"])
        if data.get("kind"):
            rows = rows.filter(kind=data["kind"])
        if data.get("sector"):
            rows = rows.filter(sector=data["sector"])
    rows = rows.select_related("commune", "craft_village").annotate(
        open_violations=Count("violations", filter=Q(violations__status__in=OPEN_STATUSES), distinct=True)
    ).order_by("name", "pk")
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    audit_log(
        user=user, action=AuditAction.LIST, object_type="employers.employer",
        object_ids=[e.pk for e in page.object_list], request=request,
    )
    template = "employers/_employer_rows.html" if request.htmx else "employers/employer_list.html"
    return render(request, template, {"page": page, "filters": filters, "can_write": may_write(user)})


def _employer_form(user: User, data: Any = None, initial: dict[str, Any] | None = None) -> EmployerForm:
    return EmployerForm(
        data,
        initial=initial,
        communes=writable_communes(user),
        villages=writable_villages(user),
        craft_villages=selectors.craft_villages_for_user(user).select_related("commune"),
    )


@role_required(*WRITERS)
def employer_create(request: AuthedHttpRequest) -> HttpResponse:
    user = request.user
    initial: dict[str, Any] = {"active": True}
    if request.GET.get("craft_village"):
        initial["craft_village"] = request.GET["craft_village"]
    form = _employer_form(user, request.POST or None, initial)
    if request.method == "POST" and form.is_valid():
        values = form.values()
        values.pop("active", None)
        employer = run_service(form, lambda: services.employer_create(user=user, **values))
        if employer is not None:
            audit_log(user=user, action=AuditAction.CREATE, object_type="employers.employer", object_id=employer.pk, request=request)
            messages.success(request, _("Employer “%(name)s” registered.") % {"name": employer.name})
            if request.GET.get("for") == "inspection":
                # The shortcut of the inspection form: back to it with the new employer ticked.
                return redirect(f"{reverse('employers:inspection_create')}?employer={employer.pk}")
            return redirect("employers:detail", pk=employer.pk)
    return render(request, "employers/employer_form.html", {"form": form, "employer": None})


@role_required(*WRITERS)
def employer_edit(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    user = request.user
    employer = get_scoped_or_404(selectors.employers_for_user(user), pk=pk)
    form = _employer_form(user, request.POST or None, edit_initial(EmployerForm, employer))
    if request.method == "POST" and form.is_valid():
        version = form.cleaned_data["version"] or 0
        if run_service(form, lambda: services.employer_update(user=user, employer=employer, version=version, **form.values())) is not None:
            audit_log(user=user, action=AuditAction.UPDATE, object_type="employers.employer", object_id=employer.pk, request=request)
            messages.success(request, _("Changes saved."))
            return redirect("employers:detail", pk=employer.pk)
    return render(request, "employers/employer_form.html", {"form": form, "employer": employer})


@role_required(*READERS)
def employer_detail(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    user = request.user
    employer = get_scoped_or_404(
        selectors.employers_for_user(user).select_related("commune", "village", "craft_village"), pk=pk
    )
    inspections = list(
        selectors.inspections_for_user(user).filter(employers=employer).order_by("-inspected_on", "-pk")
    )
    violations = list(
        selectors.violations_for_user(user).filter(employer=employer).select_related("inspection")
    )
    found = list(
        selectors.found_children_for_user(user).filter(employer=employer).select_related("inspection", "observation")
    )
    # Names only for those who may read the register; agency officers see that children were found.
    visible_children = {c.pk: c for c in children_for_user(user).filter(pk__in=[f.child_id for f in found])}
    observations = []
    if user.may_read_personal_data:
        observations = list(
            employer.observations.filter(child__in=children_for_user(user)).select_related("child").order_by("-observed_on")[:100]
        )
    audit_log(
        user=user, action=AuditAction.READ, object_type="employers.employer", object_id=employer.pk, request=request,
        detail={"children": sorted(visible_children)},
    )
    today = timezone.localdate()
    return render(
        request,
        "employers/employer_detail.html",
        {
            "employer": employer,
            "commitments": [(c, selectors.commitment_in_force(c, today)) for c in employer.commitments.all()],
            "inspections": inspections,
            "violations": violations,
            "found": [(f, visible_children.get(f.child_id)) for f in found],
            "observations": observations,
            "can_write": may_write(user),
            "today": today,
        },
    )


@role_required(*WRITERS)
def commitment_create(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    user = request.user
    employer = get_scoped_or_404(selectors.employers_for_user(user), pk=pk)
    form = CommitmentForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        commitment = run_service(form, lambda: services.commitment_record(user=user, employer=employer, **form.cleaned_data))
        if commitment is not None:
            audit_log(user=user, action=AuditAction.CREATE, object_type="employers.commitment", object_id=commitment.pk, request=request)
            messages.success(request, _("Commitment recorded."))
            return redirect("employers:detail", pk=employer.pk)
    return render(request, "employers/commitment_form.html", {"form": form, "employer": employer})


@role_required(*READERS)
def commitment_file(request: AuthedHttpRequest, pk: int) -> Any:  # a FileResponse, which role_required's typing does not name
    user = request.user
    commitment = get_scoped_or_404(selectors.commitments_for_user(user), pk=pk)
    if not commitment.document:
        raise Http404
    try:
        handle = commitment.document.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    audit_log(
        user=user, action=AuditAction.EXPORT, object_type="employers.commitment", object_id=commitment.pk,
        request=request, detail={"file": commitment.document_name},
    )
    extension = commitment.document.name.rsplit(".", 1)[-1]
    response = FileResponse(
        handle, as_attachment=True, filename=f"cam-ket-{commitment.pk}.{extension}", content_type=commitment.document_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


@role_required(*READERS)
def craft_village_list(request: AuthedHttpRequest) -> HttpResponse:
    user = request.user
    query = request.GET.get("q", "")
    rows = selectors.craft_village_search(selectors.craft_villages_for_user(user), query)
    rows = rows.select_related("commune", "village").annotate(employer_count=Count("employers")).order_by("name", "pk")
    return render(
        request,
        "employers/craft_village_list.html",
        {"rows": rows[:500], "query": query, "can_write": may_write(user)},
    )


@role_required(*READERS)
def craft_village_detail(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    user = request.user
    cv = get_scoped_or_404(selectors.craft_villages_for_user(user).select_related("commune", "village"), pk=pk)
    employers = selectors.employers_for_user(user).filter(craft_village=cv).order_by("name")
    return render(
        request, "employers/craft_village_detail.html", {"cv": cv, "employers": employers, "can_write": may_write(user)}
    )


def _craft_village_form(user: User, data: Any = None, initial: dict[str, Any] | None = None) -> CraftVillageForm:
    return CraftVillageForm(data, initial=initial, communes=writable_communes(user), villages=writable_villages(user))


@role_required(*WRITERS)
def craft_village_create(request: AuthedHttpRequest) -> HttpResponse:
    user = request.user
    form = _craft_village_form(user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        cv = run_service(form, lambda: services.craft_village_create(user=user, **form.values()))
        if cv is not None:
            messages.success(request, _("Craft village “%(name)s” added.") % {"name": cv.name})
            return redirect("employers:craft_village", pk=cv.pk)
    return render(request, "employers/craft_village_form.html", {"form": form, "cv": None})


@role_required(*WRITERS)
def craft_village_edit(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    user = request.user
    cv = get_scoped_or_404(selectors.craft_villages_for_user(user), pk=pk)
    form = _craft_village_form(user, request.POST or None, edit_initial(CraftVillageForm, cv))
    if request.method == "POST" and form.is_valid():
        version = form.cleaned_data["version"] or 0
        if run_service(form, lambda: services.craft_village_update(user=user, craft_village=cv, version=version, **form.values())) is not None:
            messages.success(request, _("Changes saved."))
            return redirect("employers:craft_village", pk=cv.pk)
    return render(request, "employers/craft_village_form.html", {"form": form, "cv": cv})


@role_required(*READERS)
def catalogue_options(request: AuthedHttpRequest) -> HttpResponse:
    """Type-ahead for the job and workplace pickers; matches words without diacritics."""
    kind = request.GET.get("kind", "job")
    kinds = ("workplace", "other") if kind == "workplace" else ("job", "other")
    field = "workplace_code" if kind == "workplace" else "job_code"
    query = (request.GET.get("q") or request.GET.get(field) or "").split("—")[0]
    entries = catalogue.search(query, kind=kinds, limit=15) if query.strip() else []
    return render(request, "employers/_catalogue_options.html", {"entries": entries})
