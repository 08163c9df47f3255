"""Large register exports, made in the background; the expiry of exports and imports.

A province's register (tens of thousands of children) takes many seconds to write as XLSX; a
request that waited for it would hold a server worker.  ``export_request`` picks the children
at request time with the direct export's own selector and filters, records an ``ExportJob``
and enqueues ``make_export`` on the task framework (django-tasks with its database backend, as
clms/reports/tasks.py does).  The task writes the workbook into ``PRIVATE_MEDIA_ROOT/exports``,
counting rows on the job so the page can say "Đang tạo tệp… 40%".
"""

from __future__ import annotations

import datetime as dt
import logging
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks import task

from clms.core.models import JobStatus
from clms.people import exporters
from clms.people.models import Child, ExportJob, ImportJob

if TYPE_CHECKING:
    from clms.accounts.models import User

logger = logging.getLogger(__name__)

# How often (in rows) the worker writes its progress: often enough for a moving bar, rarely
# enough that the updates cost nothing next to the workbook.
PROGRESS_EVERY = 500
CHUNK = 2000


def export_dir() -> Path:
    return Path(settings.PRIVATE_MEDIA_ROOT) / "exports"


def import_dir() -> Path:
    """Uploads waiting for the worker (clms/people/import_tasks.py)."""
    return Path(settings.PRIVATE_MEDIA_ROOT) / "import-uploads"


def file_path(job: ExportJob) -> Path | None:
    return export_dir() / job.file if job.file else None


def expires_at(job: ExportJob) -> dt.datetime:
    return job.created_at + dt.timedelta(hours=settings.CLMS_EXPORT_KEEP_HOURS)


def _delete(jobs: list[ExportJob]) -> int:
    for job in jobs:
        path = file_path(job)
        if path is not None:
            path.unlink(missing_ok=True)
    ExportJob.objects.filter(pk__in=[j.pk for j in jobs]).delete()
    return len(jobs)


def keep_cutoff(now: dt.datetime | None = None) -> dt.datetime:
    """Exports made before this moment are past their keeping time."""
    return (now or timezone.now()) - dt.timedelta(hours=settings.CLMS_EXPORT_KEEP_HOURS)


def purge_expired(now: dt.datetime | None = None) -> int:
    """Delete every export and import (file and row) older than ``CLMS_EXPORT_KEEP_HOURS``,
    and any upload left without its job (a request that failed after storing it)."""
    cutoff = keep_cutoff(now)
    gone = _delete(list(ExportJob.objects.filter(created_at__lt=cutoff)))
    imports = list(ImportJob.objects.filter(created_at__lt=cutoff))
    for job in imports:
        if job.file:
            (import_dir() / job.file).unlink(missing_ok=True)
    ImportJob.objects.filter(pk__in=[j.pk for j in imports]).delete()
    folder = import_dir()
    if folder.is_dir():
        kept = set(ImportJob.objects.exclude(file="").values_list("file", flat=True))
        for path in folder.iterdir():
            modified = dt.datetime.fromtimestamp(path.stat().st_mtime, tz=dt.UTC)
            if path.is_file() and path.name not in kept and modified < cutoff:
                path.unlink(missing_ok=True)
    return gone + len(imports)


def scope_of(user: User) -> str:
    """What the user's reach was when the children were chosen (role and area)."""
    return f"{user.role}:{user.area_id or ''}"


def export_request(*, user: User, child_ids: list[int], query: str) -> ExportJob:
    """Record and enqueue one export of these children (already scoped for ``user``).

    The user's earlier exports are deleted first: one file of theirs at a time lies on disk.
    """
    purge_expired()
    _delete(list(ExportJob.objects.filter(requested_by=user)))
    job = ExportJob.objects.create(requested_by=user, child_ids=child_ids, total=len(child_ids), query=query[:500],
                                   scope=scope_of(user))
    result = make_export.enqueue(job_id=job.pk)
    # The file must go at its time even if nobody exports again: the worker deletes it then.
    expire_export.using(run_after=expires_at(job)).enqueue(job_id=job.pk)
    ExportJob.objects.filter(pk=job.pk).update(task_id=str(result.id))
    job.refresh_from_db()
    return job


def _rows(job: ExportJob) -> Iterator[Child]:
    """The job's children in the order chosen at request time, counting progress as they go."""
    ids: list[int] = job.child_ids
    done = 0
    for start in range(0, len(ids), CHUNK):
        part = ids[start:start + CHUNK]
        found = Child.objects.select_related("household", "commune", "village").in_bulk(part)
        for pk in part:
            child = found.get(pk)
            # A child deleted (merged) since the click is left out, not an error.
            if child is not None:
                yield child
            done += 1
            if done % PROGRESS_EVERY == 0:
                ExportJob.objects.filter(pk=job.pk).update(done=done, updated_at=timezone.now())


@task()
def make_export(*, job_id: int) -> int:
    """Write the job's workbook into the private export folder; returns its row count."""
    job = ExportJob.objects.filter(pk=job_id).first()
    if job is None or job.status == JobStatus.READY:
        # Deleted (a newer request, expiry) before the worker got to it, or already made.
        return 0
    ExportJob.objects.filter(pk=job.pk).update(status=JobStatus.RUNNING, done=0, updated_at=timezone.now())
    name = f"{uuid.uuid4().hex}.xlsx"
    path = export_dir() / name
    try:
        made = job.created_at.astimezone(timezone.get_current_timezone()).date()
        title = _("Register of children, exported on %(date)s") % {"date": made.strftime("%d/%m/%Y")}
        body = exporters.children_workbook(_rows(job), title=title)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(body)
        path.chmod(0o600)
    except Exception as exc:
        logger.exception("register export %s failed", job.pk)
        path.unlink(missing_ok=True)
        ExportJob.objects.filter(pk=job.pk).update(status=JobStatus.FAILED, error=repr(exc)[:2000], updated_at=timezone.now())
        raise
    if not ExportJob.objects.filter(pk=job.pk).update(status=JobStatus.READY, done=job.total, file=name, updated_at=timezone.now()):
        # The job was deleted while the file was being written: the file must not stay behind.
        path.unlink(missing_ok=True)
    return job.total


@task()
def expire_export(*, job_id: int) -> int:
    """Run by the worker once the job's keeping time is over: delete every expired export (this
    one, and any other whose own deletion was lost); returns how many."""
    return purge_expired()
