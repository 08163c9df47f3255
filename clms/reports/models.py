"""Yearly reports up the hierarchy: reporting periods, submissions, their frozen snapshots.

A unit's submission moves draft → submitted → accepted, or → returned (with a reason) →
submitted again.  Each submit freezes the figures in a ``Snapshot``; documents and the
receiving level's aggregate are built from snapshots only, never from live records.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from clms.core.models import JobStatus
from clms.places.models import Level

# The fields an officer types; ``DocumentFields`` minus bookkeeping.
TEXT_FIELDS = (
    "number",
    "symbol",
    "issued_on",
    "place",
    "subject",
    "recipients_to",
    "recipients",
    "signer_authority",
    "signer_deputy",
    "signer_position",
    "signer_name",
    "difficulties",
    "proposals",
    "next_tasks",
)


class DocumentFields(models.Model):
    """The parts of the report an officer types: number, date, recipients, signer, texts.

    Shared by a unit's submission and by the receiving level's aggregate report.
    """

    number = models.PositiveIntegerField(_("number"), null=True, blank=True)
    symbol = models.CharField(_("symbol"), max_length=40, blank=True)
    issued_on = models.DateField(_("date of the report"), null=True, blank=True)
    place = models.CharField(_("place"), max_length=120, blank=True)
    subject = models.TextField(_("subject"), blank=True)
    recipients_to = models.TextField(_("addressed to"), blank=True)
    recipients = models.TextField(_("copies to"), blank=True)
    signer_authority = models.CharField(_("signing authority"), max_length=120, blank=True)
    signer_deputy = models.CharField(_("signing on behalf of"), max_length=120, blank=True)
    signer_position = models.CharField(_("signer's position"), max_length=120, blank=True)
    signer_name = models.CharField(_("signer's name"), max_length=150, blank=True)
    difficulties = models.TextField(_("difficulties"), blank=True)
    proposals = models.TextField(_("proposals"), blank=True)
    next_tasks = models.TextField(_("tasks for next year"), blank=True)
    version = models.PositiveIntegerField(default=1)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True


class ReportingPeriod(DocumentFields):
    """One year's reporting to one receiving unit, with its due date.

    The units that report are those of ``level`` directly under ``receiver`` and in force on
    ``due_on``; the document fields are the receiver's own aggregate report.
    """

    year = models.PositiveSmallIntegerField(_("year"))
    receiver = models.ForeignKey(
        "places.AdminUnit", models.PROTECT, related_name="reporting_periods", verbose_name=_("receiving unit")
    )
    level = models.CharField(_("reporting level"), max_length=10, choices=Level.choices)
    due_on = models.DateField(_("due date"))
    plan = models.ForeignKey(
        "plans.Plan", models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("plan")
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("reporting period")
        verbose_name_plural = _("reporting periods")
        ordering = ["-year", "receiver__path"]
        constraints = [models.UniqueConstraint(fields=["receiver", "year"], name="one_period_per_receiver_year")]

    def __str__(self) -> str:
        return f"{self.year} · {self.receiver}"


class SubmissionStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    RETURNED = "returned", _("Returned")
    ACCEPTED = "accepted", pgettext_lazy("report submission", "Accepted")


class Submission(DocumentFields):
    period = models.ForeignKey(ReportingPeriod, models.CASCADE, related_name="submissions", verbose_name=_("period"))
    unit = models.ForeignKey("places.AdminUnit", models.PROTECT, related_name="report_submissions", verbose_name=_("unit"))
    status = models.CharField(
        _("status"), max_length=10, choices=SubmissionStatus.choices, default=SubmissionStatus.DRAFT, db_index=True
    )
    # The snapshot sent with the latest submit; None while a draft was never submitted.
    snapshot = models.ForeignKey(
        "Snapshot", models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("snapshot")
    )
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    return_reason = models.TextField(_("reason for return"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("report submission")
        verbose_name_plural = _("report submissions")
        ordering = ["period", "unit__path"]
        constraints = [models.UniqueConstraint(fields=["period", "unit"], name="one_submission_per_unit_period")]

    def __str__(self) -> str:
        return f"{self.unit} {self.period.year}"


class Snapshot(models.Model):
    """The figures of a submission as they were when it was sent; never changed afterwards."""

    submission = models.ForeignKey(Submission, models.CASCADE, related_name="snapshots", verbose_name=_("submission"))
    taken_at = models.DateTimeField(_("taken at"))
    ruleset_ids = models.JSONField(_("rulesets"), default=list)
    plan = models.ForeignKey("plans.Plan", models.SET_NULL, null=True, blank=True, related_name="+")
    data = models.JSONField(_("figures"))

    class Meta:
        verbose_name = _("snapshot")
        verbose_name_plural = _("snapshots")
        ordering = ["-taken_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.submission} @ {self.taken_at:%Y-%m-%d %H:%M}"


class EventAction(models.TextChoices):
    CREATED = "created", _("Draft started")
    EDITED = "edited", _("Edited")
    SUBMITTED = "submitted", _("Submitted")
    RESUBMITTED = "resubmitted", _("Resubmitted")
    RETURNED = "returned", _("Returned")
    ACCEPTED = "accepted", pgettext_lazy("report submission", "Accepted")


class SubmissionEvent(models.Model):
    """The timeline of a submission: who did what, when, and why for a return."""

    submission = models.ForeignKey(Submission, models.CASCADE, related_name="events", verbose_name=_("submission"))
    action = models.CharField(_("action"), max_length=12, choices=EventAction.choices)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name=pgettext_lazy("done by", "by"))
    at = models.DateTimeField(_("time"))
    note = models.TextField(_("note"), blank=True)
    snapshot = models.ForeignKey(Snapshot, models.SET_NULL, null=True, blank=True, related_name="+")

    class Meta:
        verbose_name = _("submission event")
        verbose_name_plural = _("submission events")
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.submission} {self.action} {self.at:%Y-%m-%d %H:%M}"


class FileJob(models.Model):
    """The background making of an aggregate report's three files (DOCX, XLSX, PDF).

    One row per set of figures and wording (``key``: the accepted snapshots and the period's
    version, as the file cache names them): a second click while the files are being made finds
    this row and enqueues nothing.  The files themselves go to the report file cache
    (``clms.reports.documents.render.render_frozen``); this row only says how far the work is.
    """

    key = models.CharField(max_length=64, unique=True)
    period = models.ForeignKey(ReportingPeriod, models.CASCADE, related_name="file_jobs")
    status = models.CharField(max_length=8, choices=JobStatus.choices, default=JobStatus.QUEUED)
    # Formats in the order they are made (the one clicked first) and how many are done.
    formats = models.JSONField(default=list)
    done = models.PositiveSmallIntegerField(default=0)
    task_id = models.CharField(max_length=64, blank=True)
    error = models.TextField(blank=True)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("report file job")
        verbose_name_plural = _("report file jobs")

    def __str__(self) -> str:
        return f"{self.period} {self.status} {self.done}/{len(self.formats)}"
