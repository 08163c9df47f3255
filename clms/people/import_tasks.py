"""Register imports, run in the background.

A province's workbook (tens of thousands of rows) takes seconds to read, check and write; a
request that waited for it held a server worker.  ``import_request`` stores the upload under
``PRIVATE_MEDIA_ROOT/import-uploads`` (readable by the server's user only), records an ``ImportJob``
and enqueues ``make_import`` on the task framework (django-tasks with its database backend, as
the register export in clms/people/tasks.py).  The task checks every row, counting them on the
job so the page can say "Đang nhập… 40%", then writes all rows or none in one transaction,
together with the audit event and the job's result.  The upload is deleted as soon as the
worker has read it; the job, whose errors may name children, when exports expire.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import uuid
from pathlib import Path
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation
from django_tasks import task

from clms.accounts.audit import audit_log
from clms.accounts.models import AuditAction
from clms.accounts.policy import Perm, may
from clms.core.actor import Actor, acting
from clms.core.imports import ImportFailed
from clms.core.models import STALE_AFTER, JobStatus
from clms.people import importers
from clms.people.models import ImportJob, ImportStage
from clms.people.tasks import import_dir, purge_expired, scope_of

if TYPE_CHECKING:
    from django.core.files.uploadedfile import UploadedFile

    from clms.accounts.models import User

logger = logging.getLogger(__name__)


def upload_path(job: ImportJob) -> Path | None:
    return import_dir() / job.file if job.file else None


def expires_at(job: ImportJob) -> dt.datetime:
    return job.created_at + dt.timedelta(hours=settings.CLMS_EXPORT_KEEP_HOURS)


def _store(upload: UploadedFile) -> str:
    """Write the upload into the private folder, readable by the server's user only."""
    suffix = ".csv" if (upload.name or "").lower().endswith(".csv") else ".xlsx"
    name = f"{uuid.uuid4().hex}{suffix}"
    folder = import_dir()
    folder.mkdir(parents=True, exist_ok=True)
    # Created 0600, never readable by others even for a moment.
    fd = os.open(folder / name, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as out:
        for chunk in upload.chunks():
            out.write(chunk)
    return name


def import_request(*, user: User, upload: UploadedFile, actor: Actor | None) -> ImportJob:
    """Store the upload, record its job and enqueue the import (run inside the request's
    transaction: the worker sees the task only once the job is committed)."""
    purge_expired()
    job = ImportJob.objects.create(
        requested_by=user, file_name=(upload.name or "")[:255], file=_store(upload), scope=scope_of(user),
        language=translation.get_language() or settings.LANGUAGE_CODE,
        path=actor.path if actor else "", ip=actor.ip if actor else None,
        user_agent=actor.user_agent if actor else "",
    )
    result = make_import.enqueue(job_id=job.pk)
    # The job (its errors may name children) must go at its time even if nobody imports again.
    expire_import.using(run_after=expires_at(job)).enqueue(job_id=job.pk)
    ImportJob.objects.filter(pk=job.pk).update(task_id=str(result.id))
    job.refresh_from_db()
    return job


def _progress(job_id: int) -> importers.Progress:
    def report(done: int, total: int) -> None:
        ImportJob.objects.filter(pk=job_id).update(done=done, total=total, updated_at=timezone.now())

    return report


def _run(job: ImportJob, user: User, path: Path) -> int:
    if not may(user, Perm.REGISTER_MANAGE) or job.scope != scope_of(user):
        # Deactivated, or moved to another role or area since the upload: the rights of the
        # upload are gone, and the page of the job is no longer theirs either.
        ImportJob.objects.filter(pk=job.pk).update(status=JobStatus.FAILED, error="rights changed",
                                                    updated_at=timezone.now())
        return 0
    with path.open("rb") as file:
        try:
            rows = importers.children_check(user=user, file=file, name=job.file_name, progress=_progress(job.pk))
        except ImportFailed as failed:
            kept = [[e.row, e.column, e.message] for e in failed.errors[: ImportJob.ERRORS_KEPT]]
            ImportJob.objects.filter(pk=job.pk).update(status=JobStatus.READY, errors=kept,
                                                        error_count=len(failed.errors), updated_at=timezone.now())
            return 0
    ImportJob.objects.filter(pk=job.pk).update(stage=ImportStage.WRITE, updated_at=timezone.now())
    # All or nothing, and so are the audit event and the job's result: a worker killed here
    # leaves no child behind, and the job goes stale (the page says to upload again).
    with transaction.atomic():
        ids = importers.children_write(user=user, rows=rows)
        audit_log(user=user, action=AuditAction.IMPORT, object_type="people.child", object_ids=ids,
                  detail={"rows": len(ids), "file": job.file_name, "job": job.pk})
        ImportJob.objects.filter(pk=job.pk).update(status=JobStatus.READY, created_count=len(ids),
                                                    updated_at=timezone.now())
    return len(ids)


@task()
def make_import(*, job_id: int) -> int:
    """Check and write the job's upload; returns the number of children imported."""
    now = timezone.now()
    # Only a queued job starts: a second run of the same task finds it taken.
    if not ImportJob.objects.filter(pk=job_id, status=JobStatus.QUEUED, updated_at__gte=now - STALE_AFTER).update(
        status=JobStatus.RUNNING, done=0, updated_at=now
    ):
        # Queued so long (no worker, a long queue) that its page has told the user it stopped
        # and nothing was saved: it stays so, rather than importing behind their back.
        ImportJob.objects.filter(pk=job_id, status=JobStatus.QUEUED).update(status=JobStatus.FAILED, error="stale",
                                                                             updated_at=now)
        return 0
    job = ImportJob.objects.select_related("requested_by", "requested_by__area").get(pk=job_id)
    user = job.requested_by
    path = upload_path(job)
    actor = Actor(user=user, ip=job.ip, path=job.path, user_agent=job.user_agent)
    try:
        if path is None:
            raise FileNotFoundError(job.file)
        with translation.override(job.language or settings.LANGUAGE_CODE), acting(actor):
            return _run(job, user, path)
    except Exception as exc:
        logger.exception("register import %s failed", job.pk)
        ImportJob.objects.filter(pk=job.pk).update(status=JobStatus.FAILED, error=repr(exc)[:2000],
                                                    updated_at=timezone.now())
        raise
    finally:
        # Read (or unreadable): the upload goes now, whatever came of it.
        if path is not None:
            path.unlink(missing_ok=True)
        ImportJob.objects.filter(pk=job.pk).update(file="")


@task()
def expire_import(*, job_id: int) -> int:
    """Run by the worker once the job's keeping time is over: the same clean-up as the
    exports' (every expired export and import); returns how many went."""
    return purge_expired()
