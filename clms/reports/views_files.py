"""The receiving level's report files: asked for with one click, made in the background
(clms/reports/tasks.py), offered as each is ready; the page polls its progress with htmx."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_POST

from clms.accounts.audit import audit_log
from clms.accounts.http import AuthedHttpRequest
from clms.accounts.models import AuditAction
from clms.accounts.policy import Perm, roles
from clms.core import once
from clms.core.access import get_scoped_or_404, role_required
from clms.core.models import JobStatus
from clms.reports import selectors, tasks
from clms.reports.documents import render as documents
from clms.reports.models import FileJob, ReportingPeriod

PERIOD_READERS = roles(Perm.PERIODS_READ)
FORMAT_LABELS = {"docx": _lazy("Report (DOCX)"), "xlsx": _lazy("Annex (XLSX)"), "pdf": _lazy("Report (PDF)")}


def _download(body: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _period(request: AuthedHttpRequest, pk: int) -> ReportingPeriod:
    return get_scoped_or_404(selectors.periods_for_user(request.user), pk=pk)


def files_context(period: ReportingPeriod, data: dict[str, Any] | None = None) -> dict[str, Any]:
    """What the files panel shows: each format ready or not, and the job's progress."""
    key = documents.period_file_key(period, data)
    ready = documents.files_made(key)
    job: FileJob | None = tasks.period_files_job(period, key)
    working = job is not None and job.status in (JobStatus.QUEUED, JobStatus.RUNNING) and not all(ready.values())
    failed = job is not None and job.status == JobStatus.FAILED and job.error != "stale" and not all(ready.values())
    total = len(job.formats) if job is not None and job.formats else len(documents.FORMATS)
    return {
        "period": period,
        "files": [{"fmt": fmt, "label": FORMAT_LABELS[fmt], "ready": ready[fmt]} for fmt in documents.FORMATS],
        "job": job,
        "working": working,
        "failed": failed,
        # The file being made now, counted from 1 ("Đang tạo tệp… (1/3)").
        "step": min((job.done if job else 0) + 1, total),
        "total": total,
    }


@role_required(*PERIOD_READERS)
def period_files(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    """The files panel (polled every two seconds while the files are being made)."""
    period = _period(request, pk)
    return render(request, "reports/_period_files.html", files_context(period))


@require_POST
@role_required(*PERIOD_READERS)
def period_generate(request: AuthedHttpRequest, pk: int, fmt: str) -> HttpResponse:
    """A click on a download button: enqueue the files' making once (a retry after an error too)."""
    if fmt not in documents.FORMATS:
        raise Http404
    period = _period(request, pk)
    key = documents.period_file_key(period)
    if documents.cached_file(fmt, key=key) is None:
        tasks.period_files_request(period=period, fmt=fmt, user=request.user)
    if request.htmx:
        once.accepted(request)
        return render(request, "reports/_period_files.html", files_context(period))
    if documents.cached_file(fmt, key=key) is not None:
        return redirect("reports:period_document", pk=period.pk, fmt=fmt)
    messages.info(request, _("The files are being made; this page shows them as soon as they are ready."))
    return redirect(reverse("reports:period", args=[period.pk]) + "#files")


@role_required(*PERIOD_READERS)
def period_document(request: AuthedHttpRequest, pk: int, fmt: str) -> HttpResponse:
    """The receiving level's aggregate report, from the accepted snapshots only, as made in the
    background; while it is not made, back to the period's page to ask for it."""
    if fmt not in documents.FORMATS:
        raise Http404
    user = request.user
    period = _period(request, pk)
    sources = selectors.accepted_sources(period)
    found = documents.cached_file(fmt, key=documents.period_file_key(period, {"sources": sources}))
    if found is None:
        messages.info(request, _("This file is not made yet: press its button to make it."))
        return redirect(reverse("reports:period", args=[period.pk]) + "#files")
    audit_log(
        user=user,
        action=AuditAction.EXPORT,
        object_type="reports.reportingperiod",
        object_id=period.pk,
        request=request,
        detail={"format": fmt, "snapshots": [s["snapshot_id"] for s in sources]},
    )
    return _download(*found)
