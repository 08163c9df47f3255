"""Pages of a unit's report: the list, a submission, its edit form, transitions, changes."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from clms.accounts.audit import audit_log
from clms.accounts.http import AuthedHttpRequest
from clms.accounts.models import AuditAction
from clms.accounts.policy import Perm, roles
from clms.core import once
from clms.core.access import get_scoped_or_404, role_required
from clms.core.forms import add_service_errors, edit_initial
from clms.core.locking import StaleEdit
from clms.reports import clock, figures, presenters, selectors, services
from clms.reports.forms import (
    DocumentForm,
    ReturnForm,
    StartForm,
    SubmitForm,
    VersionForm,
)
from clms.reports.models import Submission, SubmissionStatus

READERS = roles(Perm.REPORTS_READ)
SENDERS = roles(Perm.REPORTS_SEND)
RECEIVERS = ("supervisor",)



def _years(units: list[Any] | None = None) -> list[int]:
    """The years a report may be started for; with ``units``, only the years in which the unit's
    reporting chain is in force (a district abolished on 1 July 2025 sends nothing for 2026)."""
    year = clock.today().year
    years = [year, year - 1]
    if units is None:
        return years
    return [y for y in years if units and selectors.receiver_of(units[0], y) is not None]


@role_required(*READERS)
def report_list(request: AuthedHttpRequest) -> HttpResponse:
    user = request.user
    submissions = list(selectors.submissions_for_user(user).order_by("-period__year", "unit__name")[:200])
    periods = list(selectors.periods_for_user(user).order_by("-year", "receiver__name")[:50])
    audit_log(user=user, action=AuditAction.LIST, object_type="reports.submission", object_ids=[s.pk for s in submissions], request=request)
    startable = selectors.startable_units(user)
    years = _years(startable)
    return render(
        request,
        "reports/list.html",
        {
            "submissions": submissions,
            "unit_reports": selectors.sees_unit_reports(user),
            "periods": periods,
            "start_form": StartForm(years=years) if startable and years else None,
            "startable": startable,
            "no_chain": bool(startable) and not years,
            "today": clock.today(),
        },
    )


@require_POST
@role_required(*SENDERS)
def submission_start(request: AuthedHttpRequest) -> HttpResponse:
    user = request.user
    units = selectors.startable_units(user)
    form = StartForm(request.POST, years=_years(units))
    if not units or not form.is_valid():
        messages.error(request, _("Choose a year for the report."))
        return redirect("reports:list")
    try:
        submission = services.submission_start(user=user, unit=units[0], year=form.cleaned_data["year"], request=request)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("reports:list")
    return redirect("reports:submission", pk=submission.pk)


def submission_or_404(request: AuthedHttpRequest, pk: int) -> Submission:
    """The submission ``pk`` if the user may see it, else 404."""
    return get_scoped_or_404(selectors.submissions_for_user(request.user), pk=pk)


@role_required(*SENDERS)
def submission_detail(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    user = request.user
    submission = submission_or_404(request, pk)
    frozen = submission.snapshot is not None and submission.status != SubmissionStatus.DRAFT
    data = submission.snapshot.data if frozen and submission.snapshot else selectors.submission_preview(submission)
    audit_log(user=user, action=AuditAction.READ, object_type="reports.submission", object_id=submission.pk, request=request)
    overdue = (clock.today() - submission.period.due_on).days
    return render(
        request,
        "reports/submission_detail.html",
        {
            "submission": submission,
            "period": submission.period,
            "events": submission.events.select_related("by").order_by("at", "pk"),
            "rows": presenters.total_rows(data),
            "frozen": frozen,
            "taken_at": submission.snapshot.taken_at if frozen and submission.snapshot else None,
            "may_send": selectors.may_send(user, submission),
            "may_receive": selectors.may_receive(user, submission.period),
            "editable": submission.status in services.EDITABLE,
            "version_form": VersionForm(initial={"version": submission.version}),
            "submit_form": SubmitForm(initial={"version": submission.version}),
            "return_form": ReturnForm(initial={"version": submission.version}),
            "days_late": overdue if overdue > 0 and submission.status in services.EDITABLE else 0,
        },
    )


@role_required(*SENDERS)
def submission_edit(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    user = request.user
    submission = submission_or_404(request, pk)
    if not selectors.may_send(user, submission):
        raise PermissionDenied
    form = DocumentForm(request.POST or None, initial=edit_initial(DocumentForm, submission))
    saved = False
    if request.method == "POST" and form.is_valid():
        try:
            services.submission_update(
                user=user, submission=submission, version=form.cleaned_data["version"], request=request, **form.values()
            )
        except StaleEdit:
            form.add_error(None, StaleEdit.message)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            saved = True
            once.accepted(request)
            if not request.htmx:
                messages.success(request, _("Report saved."))
                return redirect("reports:submission", pk=submission.pk)
            form = DocumentForm(initial=edit_initial(DocumentForm, submission))
    template = "reports/_document_form.html" if request.htmx else "reports/submission_edit.html"
    return render(
        request,
        template,
        {"submission": submission, "form": form, "saved": saved, "saved_at": clock.now(), "action_url": request.path},
    )


def _transition(request: AuthedHttpRequest, pk: int, action: str) -> HttpResponse:
    user = request.user
    submission = submission_or_404(request, pk)
    # Who may act is decided before the form is read: a wrong user gets 403, not a form error.
    allowed = selectors.may_send(user, submission) if action == "submit" else selectors.may_receive(user, submission.period)
    if not allowed:
        raise PermissionDenied
    forms = {"return": ReturnForm, "submit": SubmitForm}
    form: VersionForm = forms.get(action, VersionForm)(request.POST)
    if not form.is_valid():
        if "reason" in form.errors:
            messages.error(request, _("Say why the report is returned."))
        if "confirm" in form.errors:
            messages.error(request, _("Tick the confirmation before submitting: the figures are frozen once the report is sent."))
        return redirect("reports:submission", pk=submission.pk)
    version = form.cleaned_data["version"]
    try:
        if action == "submit":
            services.submission_submit(user=user, submission=submission, version=version, request=request)
            messages.success(request, _("Report submitted. Its figures are now frozen."))
        elif action == "return":
            services.submission_return(user=user, submission=submission, version=version, reason=form.cleaned_data["reason"], request=request)
            messages.success(request, _("Report returned to %(unit)s.") % {"unit": submission.unit.name})
        else:
            services.submission_accept(user=user, submission=submission, version=version, request=request)
            messages.success(request, _("Report of %(unit)s accepted.") % {"unit": submission.unit.name})
    except StaleEdit:
        messages.error(request, str(StaleEdit.message))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("reports:submission", pk=submission.pk)


@require_POST
@role_required(*SENDERS)
def submission_submit(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    return _transition(request, pk, "submit")


@require_POST
@role_required(*RECEIVERS)
def submission_return(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    return _transition(request, pk, "return")


@require_POST
@role_required(*RECEIVERS)
def submission_accept(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    return _transition(request, pk, "accept")


@role_required(*SENDERS)
def submission_changes(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    """What moved in the live figures since the report was submitted (the report does not)."""
    user = request.user
    submission = submission_or_404(request, pk)
    snapshot = submission.snapshot
    rows: list[dict[str, Any]] = []
    if snapshot is not None:
        live = selectors.live_figures(submission.unit, submission.period.year)
        rows = presenters.change_rows(figures.changes(snapshot.data, live), snapshot.data)
    audit_log(user=user, action=AuditAction.READ, object_type="reports.submission", object_id=submission.pk, request=request, detail={"view": "changes"})
    return render(request, "reports/changes.html", {"submission": submission, "snapshot": snapshot, "rows": rows})
