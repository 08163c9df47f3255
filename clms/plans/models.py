"""The plan as data: plans, their targets and content areas, agencies and tasks, budget, pilot models.

The Triệu Sơn plan of the seed, the Thanh Hóa plan it implements and the national programme
(Decision 782/QĐ-TTg) ship as data (``data/plans.json``, loaded by a data migration).
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from clms.accounts.models import Agency


class Indicator(models.TextChoices):
    """The indicator codes of DESIGN §5; the indicators app computes them."""

    CL_RATE = "CL_RATE", _("Child labour rate among children aged 5-17")
    TIMELY = "TIMELY", _("Cases supported and intervened in on time")
    MONITORED = "MONITORED", _("Open cases followed up on schedule")
    EDU_ACCESS = "EDU_ACCESS", _("At-risk children and child labourers in school or vocational training")
    COMM_TEACHERS = "COMM_TEACHERS", _("Teachers and staff of schools and care facilities informed")
    COMM_PARENTS = "COMM_PARENTS", _("Parents and caregivers informed")
    COMM_CHILDREN = "COMM_CHILDREN", _("Children informed")
    COMM_BUSINESSES = "COMM_BUSINESSES", _("Enterprises, cooperatives and households informed")
    TRAIN_OFFICIALS = "TRAIN_OFFICIALS", _("Officials trained")
    TRAIN_ENTERPRISES = "TRAIN_ENTERPRISES", _("Enterprises trained")
    TRAIN_COOPS_HOUSEHOLDS = "TRAIN_COOPS_HOUSEHOLDS", _("Cooperatives and craft-village households trained")
    HAZARDOUS_SHARE = "HAZARDOUS_SHARE", _("Share of hazardous work among child labour")


class Comparator(models.TextChoices):
    LE = "<=", _("at most")
    LT = "<", _("below")
    GE = ">=", _("at least")
    GT = ">", _("above")
    EQ = "=", _("exactly")
    DECREASE = "decrease", _("decrease")


class SourceStatus(models.TextChoices):
    """How sure we are of a figure: the marks of spec/legal-rules.md."""

    VERIFIED = "verified", _("Verified in the text")
    SECONDARY = "secondary", _("Secondary source")
    UNVERIFIED = "unverified", _("Not verified")


class PlanLevel(models.TextChoices):
    NATIONAL = "national", _("National")
    PROVINCE = "province", _("Province")
    DISTRICT = "district", _("District")
    COMMUNE = "commune", _("Commune")


class Plan(models.Model):
    # Stable key of a shipped plan so that the data file can be reloaded and reversed.
    key = models.SlugField(max_length=60, unique=True, null=True, blank=True)
    issuer = models.CharField(_("issuer"), max_length=200)
    number = models.CharField(_("number"), max_length=40, blank=True)
    issued_on = models.DateField(_("date"), null=True, blank=True)
    title = models.TextField(_("title"))
    scope_level = models.CharField(_("level"), max_length=10, choices=PlanLevel.choices)
    # Shipped plans name their unit by official code because the unit lists are loaded after
    # migrations; plans made in CLMS point at the unit directly.
    scope_code = models.CharField(_("unit code"), max_length=16, blank=True)
    scope_unit = models.ForeignKey(
        "places.AdminUnit",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="plans",
        verbose_name=_("unit"),
    )
    period_start = models.PositiveSmallIntegerField(_("period from"), default=2021)
    period_end = models.PositiveSmallIntegerField(_("period to"), default=2025)
    orientation_year = models.PositiveSmallIntegerField(_("orientation to"), null=True, blank=True)
    parent = models.ForeignKey(
        "self", models.PROTECT, null=True, blank=True, related_name="children", verbose_name=_("parent plan")
    )
    # The yearly report is due on this day (15 November in the Triệu Sơn plan); data, not code.
    report_deadline_day = models.PositiveSmallIntegerField(
        _("report deadline (day)"), default=15, validators=[MinValueValidator(1), MaxValueValidator(31)]
    )
    report_deadline_month = models.PositiveSmallIntegerField(
        _("report deadline (month)"), default=11, validators=[MinValueValidator(1), MaxValueValidator(12)]
    )
    source_status = models.CharField(
        _("source"), max_length=10, choices=SourceStatus.choices, default=SourceStatus.VERIFIED
    )
    note = models.TextField(_("note"), blank=True)
    version = models.PositiveIntegerField(default=1)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("plan")
        verbose_name_plural = _("plans")
        ordering = ["period_start", "issued_on", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["scope_unit", "period_start"],
                condition=models.Q(scope_level="commune"),
                name="one_commune_plan_per_period",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number or self.title[:60]} ({self.issuer})"


class ContentArea(models.Model):
    """A part of a plan: sections I-V, the objectives of part II, the contents of part III."""

    plan = models.ForeignKey(Plan, models.CASCADE, related_name="content_areas", verbose_name=_("plan"))
    code = models.CharField(_("code"), max_length=12)
    title = models.TextField(_("title"))
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("content area")
        verbose_name_plural = _("content areas")
        ordering = ["plan", "order"]
        constraints = [models.UniqueConstraint(fields=["plan", "code"], name="content_area_code_unique")]

    def __str__(self) -> str:
        return f"{self.code}. {self.title[:80]}"


class Target(models.Model):
    plan = models.ForeignKey(Plan, models.CASCADE, related_name="targets", verbose_name=_("plan"))
    indicator = models.CharField(_("indicator"), max_length=24, choices=Indicator.choices)
    comparator = models.CharField(_("comparator"), max_length=8, choices=Comparator.choices)
    # Percent; empty for "decrease", which has no figure.
    value = models.DecimalField(
        _("value (%)"),
        max_digits=6,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    year = models.PositiveSmallIntegerField(_("year"))
    content_area = models.ForeignKey(
        ContentArea, models.SET_NULL, null=True, blank=True, related_name="targets", verbose_name=_("content area")
    )
    source_status = models.CharField(
        _("source"), max_length=10, choices=SourceStatus.choices, default=SourceStatus.VERIFIED
    )
    wording = models.TextField(_("wording in the plan"), blank=True)
    note = models.CharField(_("note"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("target")
        verbose_name_plural = _("targets")
        ordering = ["plan", "year", "indicator"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "indicator", "year"], name="target_unique_per_plan_year"),
            models.CheckConstraint(
                condition=models.Q(comparator="decrease") | models.Q(value__isnull=False),
                name="target_value_unless_decrease",
            ),
        ]

    def __str__(self) -> str:
        value = "" if self.value is None else f" {self.value}%"
        return f"{self.indicator} {self.comparator}{value} ({self.year})"


class PlanAgency(models.Model):
    """An agency with duties in a plan (part V), dated because the 2025 reform moved duties."""

    plan = models.ForeignKey(Plan, models.CASCADE, related_name="agencies", verbose_name=_("plan"))
    item = models.CharField(_("item"), max_length=8, blank=True)
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("agency"), max_length=24, choices=Agency.choices, blank=True)
    level = models.CharField(_("level"), max_length=10, choices=PlanLevel.choices, default=PlanLevel.DISTRICT)
    # Empty code: the plan's own unit.
    unit_code = models.CharField(_("unit code"), max_length=16, blank=True)
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_to = models.DateField(_("valid to"), null=True, blank=True)
    reports_to = models.CharField(_("reports to"), max_length=255, blank=True)
    predecessor = models.ForeignKey(
        "self", models.SET_NULL, null=True, blank=True, related_name="successors", verbose_name=_("took over from")
    )
    note = models.TextField(_("note"), blank=True)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("responsible agency")
        verbose_name_plural = _("responsible agencies")
        ordering = ["plan", "order"]

    def __str__(self) -> str:
        return self.name


class TaskStatus(models.TextChoices):
    NOT_STARTED = "not_started", _("Not started")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("Done")
    RECURRING = "recurring", _("Recurring")


class Task(models.Model):
    agency = models.ForeignKey(PlanAgency, models.CASCADE, related_name="tasks", verbose_name=_("agency"))
    order = models.PositiveSmallIntegerField(default=0)
    text = models.TextField(_("task"))
    content_area = models.ForeignKey(
        ContentArea, models.SET_NULL, null=True, blank=True, related_name="tasks", verbose_name=_("content area")
    )
    status = models.CharField(_("status"), max_length=12, choices=TaskStatus.choices, default=TaskStatus.NOT_STARTED)
    version = models.PositiveIntegerField(default=1)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("task")
        verbose_name_plural = _("tasks")
        ordering = ["agency", "order"]

    def __str__(self) -> str:
        return self.text[:80]


class TaskProgress(models.Model):
    task = models.ForeignKey(Task, models.CASCADE, related_name="progress", verbose_name=_("task"))
    on = models.DateField(_("date"))
    author = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name=_("author"))
    status = models.CharField(_("status"), max_length=12, choices=TaskStatus.choices)
    text = models.TextField(_("progress note"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("progress note")
        verbose_name_plural = _("progress notes")
        ordering = ["-on", "-pk"]

    def __str__(self) -> str:
        return f"{self.on} {self.text[:60]}"


class FundingSource(models.TextChoices):
    STATE_CENTRAL = "state_central", _("State budget: central")
    STATE_PROVINCE = "state_province", _("State budget: province")
    STATE_DISTRICT = "state_district", _("State budget: district")
    STATE_COMMUNE = "state_commune", _("State budget: commune")
    MOBILISED = "mobilised", _("Mobilised funds")
    DONOR_DOMESTIC = "donor_domestic", _("Domestic donors")
    DONOR_INTERNATIONAL = "donor_international", _("International donors")


class BudgetLine(models.Model):
    plan = models.ForeignKey(Plan, models.PROTECT, related_name="budget_lines", verbose_name=_("plan"))
    year = models.PositiveSmallIntegerField(_("year"), validators=[MinValueValidator(2000), MaxValueValidator(2100)])
    unit = models.ForeignKey("places.AdminUnit", models.PROTECT, related_name="+", verbose_name=_("unit"))
    source = models.CharField(_("source of funds"), max_length=20, choices=FundingSource.choices)
    content_area = models.ForeignKey(
        ContentArea, models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("content area")
    )
    description = models.CharField(pgettext_lazy("budget line", "description"), max_length=255)
    # Whole đồng: VND has no minor unit.
    planned = models.PositiveBigIntegerField(_("planned (VND)"))
    spent = models.PositiveBigIntegerField(_("spent (VND)"), default=0)
    version = models.PositiveIntegerField(default=1)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("budget line")
        verbose_name_plural = _("budget lines")
        ordering = ["-year", "unit__path", "source", "pk"]

    def __str__(self) -> str:
        return f"{self.year} {self.description}"


class PilotModelType(models.Model):
    """The six kinds of model of footnote 3 of the plan."""

    code = models.PositiveSmallIntegerField(_("number"), unique=True)
    name = models.CharField(_("name"), max_length=255)

    class Meta:
        verbose_name = _("pilot model type")
        verbose_name_plural = _("pilot model types")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"({self.code}) {self.name}"


class PilotStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    ACTIVE = "active", _("Running")
    PAUSED = "paused", _("Paused")
    ENDED = "ended", _("Ended")
    REPLICATED = "replicated", _("Replicated")


class PilotModel(models.Model):
    model_type = models.ForeignKey(PilotModelType, models.PROTECT, related_name="instances", verbose_name=_("model type"))
    commune = models.ForeignKey("places.AdminUnit", models.PROTECT, related_name="+", verbose_name=_("commune"))
    name = models.CharField(_("name"), max_length=255)
    started_on = models.DateField(_("start date"))
    status = models.CharField(_("status"), max_length=12, choices=PilotStatus.choices, default=PilotStatus.ACTIVE)
    beneficiaries = models.PositiveIntegerField(_("beneficiaries"), default=0)
    lead_agency = models.CharField(_("lead agency"), max_length=24, choices=Agency.choices, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    version = models.PositiveIntegerField(default=1)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("pilot model")
        verbose_name_plural = _("pilot models")
        ordering = ["commune__path", "-started_on"]

    def __str__(self) -> str:
        return self.name
