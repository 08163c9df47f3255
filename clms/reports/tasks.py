"""The receiving level's report files, made in the background.

A province's aggregate of 166 communes takes seconds to write as DOCX, XLSX and PDF; a request
that waited for it would hold a server worker and the user's page.  ``period_files_request``
records one ``FileJob`` per set of figures and wording and enqueues ``make_period_files`` on the
task framework (django-tasks, the backport of Django 6's ``django.tasks``; the database backend
of django-tasks-db: a table and ``manage.py db_worker``, nothing else to run).  The task makes
the three files one after the other into the report file cache, counting them on the job, so
the page can say "Đang tạo tệp… (2/3)" and offer each file as soon as it exists.

A commune's own report is small (well under a second) and stays a direct download.
"""

from __future__ import annotations

import hashlib
import json
import logging
from typing import TYPE_CHECKING, Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django_tasks import task

from clms.core.models import JobStatus, job_is_stale
from clms.reports import selectors
from clms.reports.documents import render as documents
from clms.reports.models import FileJob, ReportingPeriod

if TYPE_CHECKING:
    from clms.accounts.models import User

logger = logging.getLogger(__name__)

FORMAT_ORDER = ("docx", "xlsx", "pdf")


def job_key(file_key: Any) -> str:
    return hashlib.sha256(json.dumps(file_key, sort_keys=True, default=str).encode()).hexdigest()


def _formats(first: str) -> list[str]:
    return [first, *(f for f in FORMAT_ORDER if f != first)]


def period_files_job(period: ReportingPeriod, file_key: Any = None) -> FileJob | None:
    """The job of the period's current figures and wording, if one was ever asked for."""
    file_key = documents.period_file_key(period) if file_key is None else file_key
    return FileJob.objects.filter(key=job_key(file_key)).first()


def period_files_request(*, period: ReportingPeriod, fmt: str, user: User) -> FileJob:
    """Ask for the period's files: enqueue the work once per figures and wording.

    A second call while the job is queued, running or done returns the same job and enqueues
    nothing; a failed (or abandoned) job is queued again, once however many users retry at once.
    """
    # The key needs the accepted snapshots' ids only: a click never reads their figures.
    file_key = documents.period_file_key(period)
    key = job_key(file_key)
    try:
        with transaction.atomic():
            job = FileJob.objects.create(key=key, period=period, formats=_formats(fmt), requested_by=user)
    except IntegrityError:
        job = FileJob.objects.get(key=key)
        retry = job.status == JobStatus.FAILED or job_is_stale(job.status, job.updated_at)
        # A ready job whose files left the cache (expired, evicted) is made again too.
        if job.status == JobStatus.READY and not all(documents.files_made(file_key).values()):
            retry = True
        if not retry:
            return job
        # Only one of several simultaneous retries wins this update, and only it enqueues.
        won = FileJob.objects.filter(pk=job.pk, status=job.status, updated_at=job.updated_at).update(
            status=JobStatus.QUEUED, done=0, error="", formats=_formats(fmt), updated_at=timezone.now()
        )
        if not won:
            return FileJob.objects.get(pk=job.pk)
    result = make_period_files.enqueue(job_id=job.pk)
    FileJob.objects.filter(pk=job.pk).update(task_id=str(result.id))
    job.refresh_from_db()
    return job


@task()
def make_period_files(*, job_id: int) -> int:
    """Make the job's files into the report file cache, counting them; returns how many."""
    job = FileJob.objects.select_related("period", "period__receiver", "period__plan").get(pk=job_id)
    if job.status == JobStatus.READY:
        return job.done
    FileJob.objects.filter(pk=job.pk).update(status=JobStatus.RUNNING, done=0, updated_at=timezone.now())
    period = job.period
    try:
        data = selectors.period_aggregate(period)
        file_key = documents.period_file_key(period, data)
        if job_key(file_key) != job.key:
            # A report was accepted or the wording saved since the click: these are other
            # files, asked for under their own key (the page shows the new state).
            FileJob.objects.filter(pk=job.pk).update(status=JobStatus.FAILED, error="stale", updated_at=timezone.now())
            return 0
        report: list[Any] = []

        def build() -> Any:
            if not report:
                report.append(documents.period_report(period, data))
            return report[0]

        for n, fmt in enumerate(job.formats, start=1):
            documents.render_frozen(build, fmt, key=file_key)
            FileJob.objects.filter(pk=job.pk).update(done=n, updated_at=timezone.now())
    except Exception as exc:
        logger.exception("report files of period %s failed", period.pk)
        FileJob.objects.filter(pk=job.pk).update(status=JobStatus.FAILED, error=repr(exc)[:2000], updated_at=timezone.now())
        raise
    FileJob.objects.filter(pk=job.pk).update(status=JobStatus.READY, updated_at=timezone.now())
    return len(job.formats)
