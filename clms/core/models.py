from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class JobStatus(models.TextChoices):
    """The states of a piece of background work (report files, large register exports)."""

    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    READY = "ready", _("Ready")
    FAILED = "failed", _("Failed")


# A job still queued or running this long after its last progress lost its worker (stopped,
# killed mid-file): its page says so instead of polling for ever, and it may be asked again.
STALE_AFTER = dt.timedelta(minutes=10)


def job_is_stale(status: str, updated_at: dt.datetime, now: dt.datetime | None = None) -> bool:
    return status in (JobStatus.QUEUED, JobStatus.RUNNING) and (now or timezone.now()) - updated_at > STALE_AFTER


class SubmittedForm(models.Model):
    """One row per form sent with a one-time token: a second send of the same page (a double
    tap, a resend on a slow network) finds the row and is shown what the first one saved."""

    token = models.UUIDField(_("token"), unique=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    path = models.CharField(_("path"), max_length=255)
    location = models.CharField(_("result"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("sent at"), auto_now_add=True)

    class Meta:
        verbose_name = _("submitted form")
        verbose_name_plural = _("submitted forms")

    def __str__(self) -> str:
        return f"{self.path} {self.token}"
