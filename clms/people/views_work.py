"""Work pages: observations with catalogue pickers, visits and the commune work-list."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from clms.accounts.audit import audit_log, read_scoped_or_404
from clms.accounts.http import AuthedHttpRequest
from clms.accounts.models import AuditAction
from clms.core.access import role_required
from clms.core.forms import add_service_errors, run_service
from clms.core.http import query_int
from clms.people import selectors, services
from clms.people.forms import ObservationForm, VisitForm
from clms.people.presenters import RISK_BADGES
from clms.people.views import READERS, WRITERS, readable_villages
from clms.rules import catalogue

PICKER_KINDS = {"job": ("job", "other"), "workplace": ("workplace", "other")}


def _picked(code: str) -> list[Any]:
    try:
        return [catalogue.get(code)] if code else []
    except KeyError:
        return []


@role_required(*READERS)
def catalogue_search(request: AuthedHttpRequest) -> HttpResponse:
    """htmx: the legal list entries matching what the officer typed, as radio options."""
    kind = request.GET.get("kind", "")
    if kind not in PICKER_KINDS:
        return HttpResponse(status=400)
    query = request.GET.get("q") or request.GET.get(f"{kind}_q") or ""
    field = f"{kind}_code"
    selected = request.GET.get(field, "")
    entries = _picked(selected)
    for entry in catalogue.search(query, kind=PICKER_KINDS[kind], limit=15):
        if entry.code != selected:
            entries.append(entry)
    return render(
        request, "people/_catalogue_options.html",
        {"entries": entries, "field": field, "selected": selected, "query": query},
    )


@role_required(*WRITERS)
def observation_create(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    user = request.user
    child = read_scoped_or_404(selectors.children_for_user(user).select_related("commune"), pk=pk,
                               user=user, object_type="people.child")
    form = ObservationForm(request.POST or None, initial={"observed_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            observation = services.observation_record(
                user=user, child=child, observed_on=form.cleaned_data["observed_on"], **form.service_fields()
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        except PermissionDenied:
            form.add_error(None, _("You may not record observations for this child."))
        else:
            audit_log(user=user, action=AuditAction.CREATE, object_type="people.workobservation",
                      object_id=observation.pk, request=request, detail={"child": child.pk})
            messages.success(request, _("Observation recorded and classified."))
            return redirect("people:detail", pk=child.pk)
    data = form.data if form.is_bound else {}
    return render(
        request,
        "people/observation_form.html",
        {
            "form": form,
            "child": child,
            "job_entries": _picked(data.get("job_code", "")),
            "workplace_entries": _picked(data.get("workplace_code", "")),
        },
    )


@role_required(*WRITERS)
def visit_create(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    user = request.user
    child = read_scoped_or_404(selectors.children_for_user(user), pk=pk, user=user, object_type="people.child")
    form = VisitForm(request.POST or None, initial={"visited_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        visit = run_service(form, lambda: services.visit_record(user=user, child=child, **form.cleaned_data))
        if visit is not None:
            audit_log(user=user, action=AuditAction.CREATE, object_type="people.visit", object_id=visit.pk,
                      request=request, detail={"child": child.pk})
            messages.success(request, _("Visit recorded."))
            return redirect("people:detail", pk=child.pk)
    return render(request, "people/small_form.html", {"form": form, "child": child, "title": _("Record a visit")})


@role_required(*READERS)
def worklist(request: AuthedHttpRequest) -> HttpResponse:
    user = request.user
    villages = readable_villages(user)
    village = query_int(request.GET, "village")
    page = Paginator(selectors.worklist(user, village=village), 50).get_page(request.GET.get("page"))
    audit_log(user=user, action=AuditAction.LIST, object_type="people.child",
              object_ids=[c.pk for c in page.object_list], request=request, detail={"page": "worklist"})
    return render(
        request, "people/worklist.html",
        {"page": page, "villages": villages, "village": village, "risk_badges": RISK_BADGES,
         "today": timezone.localdate()},
    )
