"""Pages of the receiving level: who has reported, who is late, the aggregate; the downloads."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from clms.accounts.audit import audit_log
from clms.accounts.http import AuthedHttpRequest
from clms.accounts.models import AuditAction
from clms.core.access import get_scoped_or_404, role_required
from clms.core.forms import edit_initial, service_ok
from clms.reports import presenters, selectors, services
from clms.reports.documents import render as documents
from clms.reports.forms import PeriodForm
from clms.reports.models import SubmissionStatus
from clms.reports.views import SENDERS, submission_or_404
from clms.reports.views_files import PERIOD_READERS, _download, files_context


def _receiver_order(row: selectors.UnitStatus) -> int:
    if row.status == SubmissionStatus.SUBMITTED:
        return 0
    if row.status == SubmissionStatus.RETURNED:
        return 1
    if row.is_late:
        return 2
    return 4 if row.status == SubmissionStatus.ACCEPTED else 3


@role_required(*PERIOD_READERS)
def period_detail(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    user = request.user
    period = get_scoped_or_404(selectors.periods_for_user(user), pk=pk)
    # What waits for the receiver first: reports to decide, then returned ones, the late, the
    # not yet due, and the accepted last; 166 communes in name order buried the few that sent.
    overview = sorted(selectors.period_overview(period), key=_receiver_order)
    data = selectors.period_aggregate(period)
    audit_log(user=user, action=AuditAction.READ, object_type="reports.reportingperiod", object_id=period.pk, request=request)
    counts = {
        "expected": len(overview),
        "accepted": sum(1 for r in overview if r.status == SubmissionStatus.ACCEPTED),
        "submitted": sum(1 for r in overview if r.status == SubmissionStatus.SUBMITTED),
        "late": sum(1 for r in overview if r.is_late),
    }
    template = "reports/_overview.html" if request.htmx else "reports/period_detail.html"
    return render(
        request,
        template,
        {
            "period": period,
            "overview": overview,
            "counts": counts,
            "rows": presenters.total_rows(data),
            "may_receive": selectors.may_receive(user, period),
            "may_open": user.role != "province_viewer",
            **files_context(period, data),
        },
    )


@role_required("supervisor")
def period_edit(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    user = request.user
    period = get_scoped_or_404(selectors.periods_for_user(user), pk=pk)
    if not selectors.may_receive(user, period):
        raise PermissionDenied
    form = PeriodForm(request.POST or None, initial=edit_initial(PeriodForm, period))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if service_ok(form, lambda: services.period_update(
            user=user, period=period, version=data["version"], due_on=data["due_on"], request=request, **form.values(),
        )):
            messages.success(request, _("Reporting period saved."))
            return redirect("reports:period", pk=period.pk)
    return render(request, "reports/period_edit.html", {"period": period, "form": form})


@role_required(*SENDERS)
def submission_document(request: AuthedHttpRequest, pk: int, fmt: str) -> HttpResponse:
    """The report's file, from its snapshot; a draft is previewed from the live figures."""
    if fmt not in documents.FORMATS:
        raise Http404
    user = request.user
    submission = submission_or_404(request, pk)
    frozen = submission.snapshot is not None and submission.status != SubmissionStatus.DRAFT
    if frozen and submission.snapshot is not None:
        snapshot = submission.snapshot
        key = ("submission", submission.pk, submission.version, submission.updated_at, submission.status, snapshot.pk, snapshot.taken_at)
        body, content_type, filename = documents.render_frozen(
            lambda: documents.submission_report(submission, snapshot.data), fmt, key=key
        )
    else:
        data = selectors.submission_preview(submission)
        body, content_type, filename = documents.render(documents.submission_report(submission, data), fmt)
    audit_log(
        user=user,
        action=AuditAction.EXPORT,
        object_type="reports.submission",
        object_id=submission.pk,
        request=request,
        detail={"format": fmt, "snapshot": submission.snapshot_id if frozen else None},
    )
    return _download(body, content_type, filename)
