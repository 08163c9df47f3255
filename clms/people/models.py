"""The register: households, children, their work and what the law says of it.

Scoping: every record carries ``commune`` (the commune the child lives in, post- or
pre-2025) so that area filters are one indexed path match (see clms.places.scoping).
Optimistic locking: editable records carry ``version``; services refuse a save whose
version is not the one the editor loaded.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from clms.core.models import JobStatus


class PovertyStatus(models.TextChoices):
    POOR = "poor", _("Poor household")
    NEAR_POOR = "near_poor", _("Near-poor household")
    NONE = "none", _("Neither poor nor near-poor")


class Household(models.Model):
    # Field-level change history, shown on the record page (clms.people.selectors.record_history).
    history = HistoricalRecords()

    commune = models.ForeignKey("places.AdminUnit", models.PROTECT, related_name="+", verbose_name=_("commune"))
    village = models.ForeignKey(
        "places.AdminUnit", models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("village")
    )
    address = models.CharField(_("address"), max_length=255, blank=True)
    head_name = models.CharField(_("head of household"), max_length=150)
    head_name_folded = models.CharField(max_length=150, db_index=True, editable=False, default="")
    members = models.PositiveSmallIntegerField(_("members"), null=True, blank=True)
    poverty_status = models.CharField(
        _("poverty status"), max_length=10, choices=PovertyStatus.choices, default=PovertyStatus.NONE
    )
    ethnicity = models.CharField(_("ethnicity"), max_length=2, default="01")
    disadvantaged_area = models.BooleanField(_("in an especially disadvantaged area"), default=False)
    craft_village = models.ForeignKey(
        "employers.CraftVillage",
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="households",
        verbose_name=_("craft village"),
    )
    craft_household = models.BooleanField(_("works in a craft"), default=False)
    fishing_household = models.BooleanField(_("fishing household"), default=False)
    migrant_parents = models.BooleanField(_("parents work away from home"), default=False)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    version = models.PositiveIntegerField(default=1)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("household")
        verbose_name_plural = _("households")

    def __str__(self) -> str:
        return self.head_name


class Sex(models.TextChoices):
    MALE = "M", _("Male")
    FEMALE = "F", _("Female")


class SchoolStatus(models.TextChoices):
    ATTENDING = "attending", _("Attending school")
    IRREGULAR = "irregular", _("Attending irregularly")
    DROPPED_OUT = "dropped_out", _("Dropped out")
    NEVER_ENROLLED = "never_enrolled", _("Never enrolled")
    VOCATIONAL = "vocational", _("In vocational training")


class RegisterStatus(models.TextChoices):
    """Why the child is on the register (the plan's three groups, plus monitored)."""

    CHILD_LABOUR = "child_labour", _("Child labourer")
    MINOR_UNLAWFUL = "minor_unlawful", _("Minor working contrary to law")
    AT_RISK = "at_risk", _("Child at risk")
    MONITORED = "monitored", _("Monitored, no child labour found")


# From the 18th birthday a person leaves the active register, the work-list, the risk lists and
# the "to do" lists on that very day; the stored status (why they were registered) is kept as
# history, so past years' indicators, which use the age on the day, do not change.
ADULT_AGE = 18
AGED_OUT = "aged_out"
AGED_OUT_LABEL = _("Turned 18")


class RiskLevel(models.TextChoices):
    LOW = "low", _("Low")
    MEDIUM = "medium", _("Medium")
    HIGH = "high", _("High")


class Child(models.Model):
    history = HistoricalRecords()

    household = models.ForeignKey(
        Household, models.PROTECT, null=True, blank=True, related_name="children", verbose_name=_("household")
    )
    commune = models.ForeignKey("places.AdminUnit", models.PROTECT, related_name="+", verbose_name=_("commune"))
    village = models.ForeignKey(
        "places.AdminUnit", models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("village")
    )
    full_name = models.CharField(_("full name"), max_length=150)
    # Lower-case, without diacritics, đ→d: what the search box matches against.
    name_folded = models.CharField(max_length=150, db_index=True, editable=False, default="")
    sex = models.CharField(_("sex"), max_length=1, choices=Sex.choices)
    dob = models.DateField(_("date of birth"))
    dob_estimated = models.BooleanField(_("date of birth estimated"), default=False)
    # Blank: not known (a child first seen in a report); the register's forms ask for it.
    ethnicity = models.CharField(_("ethnicity"), max_length=2, default="01", blank=True)
    personal_id = models.CharField(_("personal identification number"), max_length=12, blank=True)
    school_status = models.CharField(
        _("school status"), max_length=16, choices=SchoolStatus.choices, default=SchoolStatus.ATTENDING, blank=True
    )
    grade = models.PositiveSmallIntegerField(_("grade"), null=True, blank=True)
    school_name = models.CharField(_("school"), max_length=200, blank=True)
    dropped_out_on = models.DateField(_("dropped out on"), null=True, blank=True)
    disability = models.CharField(_("disability"), max_length=200, blank=True)
    # Codes of Children Law Art. 10(1) groups (see clms/people/data/special_circumstances.json).
    special_circumstances = models.JSONField(_("special circumstances"), default=list, blank=True)
    register_status = models.CharField(
        _("status"), max_length=16, choices=RegisterStatus.choices, default=RegisterStatus.AT_RISK, db_index=True
    )
    # Denormalised from the latest classification and risk assessment for list filters.
    latest_category = models.CharField(_("latest classification"), max_length=32, blank=True, db_index=True)
    latest_observed_on = models.DateField(null=True, blank=True)
    risk_level = models.CharField(_("risk level"), max_length=8, choices=RiskLevel.choices, blank=True, db_index=True)
    last_visit_on = models.DateField(_("last visit"), null=True, blank=True)
    merged_into = models.ForeignKey(
        "self", models.PROTECT, null=True, blank=True, related_name="merged_from", verbose_name=_("merged into")
    )
    note = models.TextField(_("note"), blank=True)
    version = models.PositiveIntegerField(default=1)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("child")
        verbose_name_plural = _("children")
        ordering = ["name_folded"]
        constraints = [
            models.UniqueConstraint(
                fields=["personal_id"],
                condition=~models.Q(personal_id="") & models.Q(merged_into__isnull=True),
                name="child_personal_id_unique",
            ),
        ]
        indexes = [models.Index(fields=["commune", "register_status"]), models.Index(fields=["dob"])]

    def __str__(self) -> str:
        return self.full_name

    @property
    def turned_18(self) -> bool:
        """Whether the person is 18 or older today: out of the active register (Labour Code
        Art. 143(1)), kept with its history and found with the status filter "Turned 18"."""
        today = timezone.localdate()
        return (today.year - self.dob.year - ((today.month, today.day) < (self.dob.month, self.dob.day))) >= ADULT_AGE

    @property
    def status_label(self) -> str:
        """The status shown on pages: "Turned 18" from the 18th birthday on, else the stored one."""
        return str(AGED_OUT_LABEL) if self.turned_18 else self.get_register_status_display()


class Guardian(models.Model):
    child = models.ForeignKey(Child, models.CASCADE, related_name="guardians")
    full_name = models.CharField(_("full name"), max_length=150)
    relationship = models.CharField(_("relationship"), max_length=60)
    phone = models.CharField(_("phone"), max_length=20, blank=True)

    class Meta:
        verbose_name = _("guardian")
        verbose_name_plural = _("guardians")

    def __str__(self) -> str:
        return self.full_name


class Consent(models.Model):
    """Consent to process the child's personal data (Decree 13/2023 on personal data)."""

    child = models.ForeignKey(Child, models.CASCADE, related_name="consents")
    given_by = models.CharField(_("given by"), max_length=150)
    relationship = models.CharField(_("relationship"), max_length=60)
    given_on = models.DateField(_("given on"))
    purpose = models.CharField(_("purpose"), max_length=255)
    withdrawn_on = models.DateField(_("withdrawn on"), null=True, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("consent")
        verbose_name_plural = _("consents")

    def __str__(self) -> str:
        return f"{self.given_by} {self.given_on}"


class Activity(models.TextChoices):
    EMPLOYED = "EMPLOYED", _("Working for an employer")
    FAMILY_BUSINESS = "FAMILY_BUSINESS", _("Family business")
    FAMILY_FARM = "FAMILY_FARM", _("Family farm")
    HOUSEHOLD_CHORES = "HOUSEHOLD_CHORES", _("Household chores")
    NONE = "NONE", _("Not working")


class WorkObservation(models.Model):
    """One observed work situation; None in a yes/no field means "not known"."""
    history = HistoricalRecords()


    child = models.ForeignKey(Child, models.PROTECT, related_name="observations", verbose_name=_("child"))
    commune = models.ForeignKey("places.AdminUnit", models.PROTECT, related_name="+")
    observed_on = models.DateField(_("observed on"))
    observed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, related_name="+", verbose_name=_("observed by")
    )
    activity = models.CharField(_("activity"), max_length=20, choices=Activity.choices)
    employer = models.ForeignKey(
        "employers.Employer",
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="observations",
        verbose_name=_("employer"),
    )
    employer_name = models.CharField(_("employer (if not registered)"), max_length=255, blank=True)
    job_code = models.CharField(_("job"), max_length=24, blank=True)
    workplace_code = models.CharField(_("workplace"), max_length=24, blank=True)
    job_description = models.CharField(_("what the child does"), max_length=255, blank=True)
    hours_per_day = models.DecimalField(_("hours per day"), max_digits=4, decimal_places=1, null=True, blank=True)
    days_per_week = models.PositiveSmallIntegerField(_("days per week"), null=True, blank=True)
    hours_per_week = models.DecimalField(_("hours per week"), max_digits=5, decimal_places=1, null=True, blank=True)
    chores_hours_week = models.DecimalField(
        _("household chores, hours per week"), max_digits=5, decimal_places=1, null=True, blank=True
    )
    night_work = models.BooleanField(_("works at night (22:00-06:00)"), null=True, blank=True)
    overtime = models.BooleanField(_("works overtime"), null=True, blank=True)
    hazards = models.JSONField(_("hazardous conditions"), default=list, blank=True)
    worst_forms = models.JSONField(_("worst forms"), default=list, blank=True)
    load_kg = models.DecimalField(_("load carried (kg)"), max_digits=5, decimal_places=1, null=True, blank=True)
    load_regular = models.BooleanField(_("carries loads regularly"), null=True, blank=True)
    paid = models.BooleanField(_("paid"), null=True, blank=True)
    contract_written = models.BooleanField(_("written contract with the child and representative"), null=True, blank=True)
    parent_consent = models.BooleanField(_("parent or guardian consented"), null=True, blank=True)
    health_cert = models.BooleanField(_("health certificate"), null=True, blank=True)
    last_health_check = models.DateField(_("last health check"), null=True, blank=True)
    affects_study_time = models.BooleanField(_("work affects study time"), null=True, blank=True)
    osh_age_appropriate = models.BooleanField(_("safe conditions suited to the age"), null=True, blank=True)
    separate_register = models.BooleanField(_("employer keeps a register of minor workers"), null=True, blank=True)
    provincial_consent = models.BooleanField(_("provincial consent (under 13)"), null=True, blank=True)
    harms_study_health_safety = models.BooleanField(_("harms study, health or safety"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("work observation")
        verbose_name_plural = _("work observations")
        ordering = ["-observed_on", "-pk"]
        indexes = [models.Index(fields=["commune", "observed_on"]), models.Index(fields=["child", "observed_on"])]

    def __str__(self) -> str:
        return f"{self.child_id} {self.observed_on}"


class Classification(models.Model):
    """A stored decision of clms.rules on one observation, with the ruleset that made it.

    Re-classification keeps the old row (is_current=False) so that what moved is traceable.
    """

    observation = models.ForeignKey(WorkObservation, models.CASCADE, related_name="classifications")
    ruleset = models.CharField(_("ruleset"), max_length=16)  # vn-law, mics6, sdg2021
    ruleset_id = models.CharField(_("ruleset version"), max_length=120)
    category = models.CharField(_("category"), max_length=32, db_index=True)
    subtype = models.CharField(_("sub-type"), max_length=32, blank=True)
    age = models.PositiveSmallIntegerField(_("age"), null=True)
    references = models.JSONField(default=list)
    violations = models.JSONField(default=list)
    conditions = models.JSONField(default=list)
    missing = models.JSONField(default=list)
    explanation = models.TextField(blank=True)
    is_current = models.BooleanField(default=True)
    classified_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("classification")
        verbose_name_plural = _("classifications")
        constraints = [
            models.UniqueConstraint(
                fields=["observation", "ruleset"], condition=models.Q(is_current=True), name="one_current_per_ruleset"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.ruleset}:{self.category}"


class RiskAssessment(models.Model):
    child = models.ForeignKey(Child, models.CASCADE, related_name="risk_assessments")
    assessed_on = models.DateField(_("assessed on"))
    level = models.CharField(pgettext_lazy("risk", "level"), max_length=8, choices=RiskLevel.choices)
    score = models.DecimalField(_("score"), max_digits=6, decimal_places=2)
    factors = models.JSONField(_("factors"), default=list)
    weights_version = models.CharField(max_length=40)
    assessed_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("risk assessment")
        verbose_name_plural = _("risk assessments")
        ordering = ["-assessed_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.child_id} {self.level}"


class Visit(models.Model):
    """A home or workplace visit to a registered child (early detection and follow-up)."""

    child = models.ForeignKey(Child, models.CASCADE, related_name="visits")
    visited_on = models.DateField(_("visited on"))
    visited_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, related_name="+")
    still_working = models.BooleanField(_("still working"), null=True, blank=True)
    school_status = models.CharField(_("school status"), max_length=16, choices=SchoolStatus.choices, blank=True)
    observation = models.OneToOneField(
        WorkObservation, models.SET_NULL, null=True, blank=True, related_name="visit"
    )
    note = models.TextField(_("note"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("visit")
        verbose_name_plural = _("visits")
        ordering = ["-visited_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.child_id} {self.visited_on}"


class ExportJob(models.Model):
    """A large register export made in the background (clms/people/tasks.py).

    The children are chosen when the user asks (the same selector and filters as the direct
    export, for that user at that moment) and kept here in the export's order, so the worker
    never decides scope.  The file is personal data: it lives under ``PRIVATE_MEDIA_ROOT``,
    only ``requested_by`` may download it, and it is deleted after
    ``CLMS_EXPORT_KEEP_HOURS`` or when the same user asks for another export.
    """

    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.CASCADE, related_name="+")
    status = models.CharField(max_length=8, choices=JobStatus.choices, default=JobStatus.QUEUED)
    child_ids = models.JSONField(default=list)
    # The role and area the children were chosen for: moved to another commune, the user no
    # longer gets the file (as notifications stop naming the old commune's children).
    scope = models.CharField(max_length=64, blank=True)
    total = models.PositiveIntegerField(default=0)
    done = models.PositiveIntegerField(default=0)
    query = models.CharField(max_length=500, blank=True)
    # Relative to PRIVATE_MEDIA_ROOT; empty until the file is written.
    file = models.CharField(max_length=200, blank=True)
    task_id = models.CharField(max_length=64, blank=True)
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("register export job")
        verbose_name_plural = _("register export jobs")

    def __str__(self) -> str:
        return f"{self.requested_by_id} {self.status} {self.done}/{self.total}"

    @property
    def percent(self) -> int:
        return min(100, self.done * 100 // self.total) if self.total else 0


class ImportStage(models.TextChoices):
    CHECK = "check", _("Checking the rows")
    WRITE = "write", _("Saving to the register")


class ImportJob(models.Model):
    """A register import run in the background (clms/people/import_tasks.py).

    The uploaded file is personal data: it is stored under ``PRIVATE_MEDIA_ROOT/import-uploads`` only
    until the worker has read it, and the job (with the rows' errors, which may name children)
    is deleted after ``CLMS_EXPORT_KEEP_HOURS``.  Only ``requested_by`` sees it, and only in
    the role and area of the upload.  The worker checks every row with the rights the user has
    when it runs and writes all rows or none, as the page did.
    """

    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.CASCADE, related_name="+")
    status = models.CharField(max_length=8, choices=JobStatus.choices, default=JobStatus.QUEUED)
    stage = models.CharField(max_length=8, choices=ImportStage.choices, default=ImportStage.CHECK)
    file_name = models.CharField(max_length=255)
    # Relative to PRIVATE_MEDIA_ROOT; emptied once the worker has deleted the upload.
    file = models.CharField(max_length=200, blank=True)
    scope = models.CharField(max_length=64, blank=True)
    # The upload's language and origin: the worker writes the row errors in the user's language
    # and the audit event with the request's address, as the page did.
    language = models.CharField(max_length=10, blank=True)
    path = models.CharField(max_length=255, blank=True)
    ip = models.GenericIPAddressField(null=True, blank=True)
    user_agent = models.CharField(max_length=255, blank=True)
    # Rows read and the rows the file holds (its recorded size until read to the end).
    total = models.PositiveIntegerField(default=0)
    done = models.PositiveIntegerField(default=0)
    # The first ERRORS_KEPT row errors as [row, column, message], and how many there were.
    errors = models.JSONField(default=list)
    error_count = models.PositiveIntegerField(default=0)
    created_count = models.PositiveIntegerField(default=0)
    task_id = models.CharField(max_length=64, blank=True)
    # What went wrong when the worker itself failed (not a row error).
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    ERRORS_KEPT = 300

    class Meta:
        verbose_name = _("register import job")
        verbose_name_plural = _("register import jobs")

    def __str__(self) -> str:
        return f"{self.requested_by_id} {self.status} {self.done}/{self.total}"

    @property
    def percent(self) -> int:
        return min(100, self.done * 100 // self.total) if self.total else 0
