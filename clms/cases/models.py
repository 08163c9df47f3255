"""Reports, cases and everything that happens to a case until it is closed.

Scoping: a case carries the child's ``commune`` and ``village`` so that area filters are one
indexed path match (clms.places.scoping); a referral is scoped for agencies by its
``agency`` and ``provider_unit``.

Due times: every step a case must take by a deadline is a ``CaseStep`` row, written when
the step becomes due, with the due time computed from the ``DuePolicy`` row in force and
``done_at`` when it is completed.  The TIMELY and MONITORED indicators read these rows
(see clms.cases.selectors).

Optimistic locking: Case, Assessment, CasePlan, Referral and DuePolicy carry ``version``.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from clms.accounts.models import Agency
from clms.cases.choices import (
    OPEN_STATES as OPEN_STATES,
)
from clms.cases.choices import (
    ClosureReason as ClosureReason,
)
from clms.cases.choices import (
    DueUnit as DueUnit,
)
from clms.cases.choices import (
    EventKind as EventKind,
)
from clms.cases.choices import (
    NotificationKind as NotificationKind,
)
from clms.cases.choices import (
    ReferralStatus as ReferralStatus,
)
from clms.cases.choices import (
    RiskLevel as RiskLevel,
)
from clms.cases.choices import (
    Source as Source,
)
from clms.cases.choices import (
    StartEvent as StartEvent,
)
from clms.cases.choices import (
    State as State,
)
from clms.cases.choices import (
    StepCode as StepCode,
)
from clms.people.models import SchoolStatus


class Report(models.Model):
    """A notification that a child is working or at risk (Decree 56 Art. 25, Form 01)."""

    source = models.CharField(pgettext_lazy("of a report", "source"), max_length=16, choices=Source.choices)
    received_at = models.DateTimeField(_("received at"), db_index=True)
    commune = models.ForeignKey("places.AdminUnit", models.PROTECT, related_name="+", verbose_name=_("commune"))
    village = models.ForeignKey(
        "places.AdminUnit", models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("village")
    )
    what_seen = models.TextField(_("what was seen"))
    emergency = models.BooleanField(_("emergency: serious risk to life, health or dignity"), default=False)
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="filed_reports", verbose_name=_("filed by")
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("report")
        verbose_name_plural = _("reports")
        ordering = ["-received_at"]

    def __str__(self) -> str:
        return f"{self.pk} {self.received_at:%Y-%m-%d}"


class ReporterIdentity(models.Model):
    """Who told us (Decree 56 Art. 24: confidential).  Kept apart from the report so that
    no query of reports or cases can carry it by accident; read only through
    clms.cases.selectors.reporter_for_user, which also writes the audit event."""

    report = models.OneToOneField(Report, models.CASCADE, related_name="reporter")
    name = models.CharField(_("reporter's name"), max_length=150, blank=True)
    phone = models.CharField(_("reporter's phone"), max_length=20, blank=True)
    relationship = models.CharField(_("relationship to the child"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("reporter identity")
        verbose_name_plural = _("reporter identities")

    def __str__(self) -> str:
        return f"reporter of {self.report_id}"


class Case(models.Model):
    """One child of one report, from the report to closure (Children Law Art. 47-52)."""
    history = HistoricalRecords()


    report = models.ForeignKey(Report, models.PROTECT, related_name="cases", verbose_name=_("report"))
    child = models.ForeignKey("people.Child", models.PROTECT, related_name="cases", verbose_name=_("child"))
    commune = models.ForeignKey("places.AdminUnit", models.PROTECT, related_name="+", verbose_name=_("commune"))
    village = models.ForeignKey(
        "places.AdminUnit", models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("village")
    )
    state = models.CharField(_("state"), max_length=16, choices=State.choices, default=State.REPORTED, db_index=True)
    emergency = models.BooleanField(_("emergency"), default=False, db_index=True)
    received_at = models.DateTimeField(_("received at"), db_index=True)
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="assigned_cases",
        verbose_name=_("officer in charge"),
    )
    # Decree 56 Form 02: the initial assessment of risk and harm.
    initial_risk = models.CharField(_("initial risk level"), max_length=8, choices=RiskLevel.choices, blank=True)
    initial_note = models.TextField(_("initial assessment"), blank=True)
    emergency_measures = models.TextField(_("emergency measures taken"), blank=True)
    closure_reason = models.CharField(_("closure reason"), max_length=24, choices=ClosureReason.choices, blank=True)
    closure_note = models.TextField(_("closure note"), blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        ordering = ["-emergency", "-received_at"]
        indexes = [
            models.Index(fields=["commune", "state"]),
            models.Index(fields=["assigned_to", "state"]),
        ]

    def __str__(self) -> str:
        return f"#{self.pk}"

    @property
    def is_open(self) -> bool:
        return self.state in OPEN_STATES

    @property
    def turned_18(self) -> bool:
        """An open case of a person who has turned 18: flagged for closure, reason "Turned 18"."""
        return self.is_open and self.child.turned_18


class CaseEvent(models.Model):
    """The case timeline: one row per thing done, by whom and when."""

    case = models.ForeignKey(Case, models.CASCADE, related_name="events")
    kind = models.CharField(_("event"), max_length=24, choices=EventKind.choices)
    from_state = models.CharField(max_length=16, choices=State.choices, blank=True)
    to_state = models.CharField(max_length=16, choices=State.choices, blank=True)
    at = models.DateTimeField(_("time"), db_index=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+")
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("case event")
        verbose_name_plural = _("case events")
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.case_id} {self.kind}"


# ---------------------------------------------------------------------------
# Due times
# ---------------------------------------------------------------------------


class DuePolicy(models.Model):
    """How long a step may take.  A row without ``scope_unit`` is the default; a province,
    district or commune may override it, and the most specific row covering the case's
    commune wins.  Defaults are loaded from clms/cases/data/due_policies.json."""

    step = models.CharField(_("step"), max_length=24, choices=StepCode.choices)
    amount = models.PositiveSmallIntegerField(_("amount"))
    unit = models.CharField(pgettext_lazy("of a time limit", "unit"), max_length=16, choices=DueUnit.choices)
    start_event = models.CharField(_("clock starts at"), max_length=32, choices=StartEvent.choices)
    statutory = models.BooleanField(_("set by law"), default=False)
    legal_basis = models.CharField(_("legal basis"), max_length=255, blank=True)
    scope_unit = models.ForeignKey(
        "places.AdminUnit",
        models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("applies in"),
    )
    version = models.PositiveIntegerField(default=1)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+")

    class Meta:
        verbose_name = _("due-time policy")
        verbose_name_plural = _("due-time policies")
        ordering = ["step"]
        constraints = [
            models.UniqueConstraint(fields=["step", "scope_unit"], name="due_policy_unique_per_unit"),
            models.UniqueConstraint(
                fields=["step"], condition=models.Q(scope_unit__isnull=True), name="due_policy_one_default"
            ),
            models.CheckConstraint(condition=models.Q(amount__gt=0), name="due_policy_amount_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.step} {self.amount} {self.unit}"


class CaseStep(models.Model):
    """A step that became due: its deadline as computed then, and when it was done.

    ``cancelled_at`` is set when the case closed (or was not confirmed) before the step
    was done; the step then no longer needs doing.
    """

    case = models.ForeignKey(Case, models.CASCADE, related_name="steps")
    step = models.CharField(_("step"), max_length=24, choices=StepCode.choices)
    # Follow-up visits recur; a reopened case repeats earlier steps.
    seq = models.PositiveSmallIntegerField(default=1)
    started_at = models.DateTimeField(_("clock started at"))
    due_at = models.DateTimeField(_("due at"), db_index=True)
    done_at = models.DateTimeField(_("done at"), null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    statutory = models.BooleanField(_("set by law"))
    policy = models.ForeignKey(DuePolicy, models.SET_NULL, null=True, blank=True, related_name="+")
    policy_version = models.PositiveIntegerField()
    # The rule as it was applied ("5 working_days from needs_meeting_or_received"), so a
    # later change of the policy does not rewrite history.
    rule = models.CharField(max_length=120)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("case step")
        verbose_name_plural = _("case steps")
        ordering = ["due_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["case", "step", "seq"], name="case_step_unique"),
        ]
        indexes = [
            models.Index(fields=["done_at", "cancelled_at", "due_at"]),
            # The "to do" lists read only pending steps (2 % of a province's 86,000), by due
            # time: the index above, or the one on due_at, made PostgreSQL walk every done
            # step first (/cases/due/: 66 ms of 200 rows, bench/bench_register.py).
            models.Index(
                fields=["due_at"], name="case_step_pending_due",
                condition=models.Q(done_at__isnull=True, cancelled_at__isnull=True),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.case_id} {self.step}#{self.seq}"

    @property
    def is_pending(self) -> bool:
        return self.done_at is None and self.cancelled_at is None


class Holiday(models.Model):
    """A local correction to the ``holidays`` package's calendar (clms.cases.calendar).

    Admins add days off decided by the government after the package release, or a Saturday
    made a working day, here; a row for a date overrides the package.
    """

    date = models.DateField(_("date"), unique=True)
    name = models.CharField(_("name"), max_length=120)
    is_day_off = models.BooleanField(_("day off"), default=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+")

    class Meta:
        verbose_name = _("public holiday")
        verbose_name_plural = _("public holidays")
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.date:%d/%m/%Y} {self.name}"


# ---------------------------------------------------------------------------
# Assessment, plan, referrals, follow-up
# ---------------------------------------------------------------------------


class Assessment(models.Model):
    """Detailed assessment (Decree 56 Art. 27, Form 03)."""

    case = models.OneToOneField(Case, models.CASCADE, related_name="assessment")
    child_state = models.TextField(_("state of the child"), blank=True)
    family = models.TextField(_("family situation"), blank=True)
    risks = models.TextField(_("risks"), blank=True)
    school = models.TextField(_("schooling"), blank=True)
    needs = models.TextField(_("needs"), blank=True)
    child_views = models.TextField(_("the child's views"), blank=True)
    parent_views = models.TextField(_("the parents' views"), blank=True)
    risk_level = models.CharField(_("risk level"), max_length=8, choices=RiskLevel.choices, blank=True)
    needs_meeting_on = models.DateField(_("needs meeting held on"), null=True, blank=True)
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)
    assessed_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+")
    version = models.PositiveIntegerField(default=1)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("assessment")
        verbose_name_plural = _("assessments")

    def __str__(self) -> str:
        return f"assessment {self.case_id}"


class CasePlan(models.Model):
    """Support or intervention plan (Decree 56 Art. 28, Forms 04-05)."""

    case = models.OneToOneField(Case, models.CASCADE, related_name="plan")
    goals = models.TextField(_("goals"), blank=True)
    drafted_on = models.DateField(_("drafted on"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("submitted for approval at"), null=True, blank=True)
    approved_on = models.DateField(_("approved on"), null=True, blank=True)
    decision_number = models.CharField(_("decision number"), max_length=40, blank=True)
    approver_name = models.CharField(_("approved by (chair of the commune People's Committee)"), max_length=150, blank=True)
    approval_recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+")
    version = models.PositiveIntegerField(default=1)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("support plan")
        verbose_name_plural = _("support plans")

    def __str__(self) -> str:
        return f"plan {self.case_id}"


class PlanService(models.Model):
    """A service the plan gives; it becomes a referral when the plan is approved."""

    plan = models.ForeignKey(CasePlan, models.CASCADE, related_name="services")
    service_type = models.CharField(_("service"), max_length=32)
    agency = models.CharField(_("provider agency"), max_length=24, choices=Agency.choices)
    provider_unit = models.ForeignKey(
        "places.AdminUnit", models.PROTECT, related_name="+", verbose_name=_("agency at")
    )
    description = models.CharField(_("what exactly"), max_length=255, blank=True)
    due_on = models.DateField(_("to be given by"), null=True, blank=True)

    class Meta:
        verbose_name = _("planned service")
        verbose_name_plural = _("planned services")
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.service_type


class Referral(models.Model):
    case = models.ForeignKey(Case, models.PROTECT, related_name="referrals")
    plan_service = models.OneToOneField(PlanService, models.SET_NULL, null=True, blank=True, related_name="referral")
    service_type = models.CharField(_("service"), max_length=32)
    agency = models.CharField(_("provider agency"), max_length=24, choices=Agency.choices, db_index=True)
    provider_unit = models.ForeignKey(
        "places.AdminUnit", models.PROTECT, related_name="+", verbose_name=_("agency at")
    )
    description = models.CharField(_("what exactly"), max_length=255, blank=True)
    due_on = models.DateField(_("to be given by"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=ReferralStatus.choices, default=ReferralStatus.SENT, db_index=True
    )
    sent_at = models.DateTimeField(pgettext_lazy("referral", "sent at"))
    sent_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+")
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    answered_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+")
    delivered_on = models.DateField(_("delivered on"), null=True, blank=True)
    refusal_reason = models.TextField(_("reason for refusal"), blank=True)
    answer_note = models.TextField(_("note"), blank=True)
    version = models.PositiveIntegerField(default=1)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("referral")
        verbose_name_plural = _("referrals")
        ordering = ["-sent_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.case_id} {self.service_type}"


class FollowUp(models.Model):
    """A follow-up visit of a case; the work seen is recorded and classified in the register."""

    case = models.ForeignKey(Case, models.CASCADE, related_name="follow_ups")
    visited_on = models.DateField(_("visited on"))
    still_working = models.BooleanField(_("still working"))
    work = models.CharField(_("what work"), max_length=255, blank=True)
    school_status = models.CharField(_("school status"), max_length=16, choices=SchoolStatus.choices)
    # The vn-law category of the observation recorded at the visit, kept so the closure rule
    # reads one row instead of the register's classification history.
    category = models.CharField(_("classification"), max_length=32, blank=True)
    observation = models.ForeignKey("people.WorkObservation", models.SET_NULL, null=True, blank=True, related_name="+")
    visit = models.ForeignKey("people.Visit", models.SET_NULL, null=True, blank=True, related_name="+")
    note = models.TextField(_("note"), blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("follow-up visit")
        verbose_name_plural = _("follow-up visits")
        ordering = ["-visited_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.case_id} {self.visited_on}"


class Notification(models.Model):
    """A message in a user's inbox (and by e-mail): about a case, or with its own ``link``
    (the yearly report's decision, from clms.reports)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, models.CASCADE, related_name="case_notifications")
    case = models.ForeignKey(Case, models.CASCADE, null=True, blank=True, related_name="notifications")
    link = models.CharField(_("link"), max_length=200, blank=True)
    step = models.ForeignKey(CaseStep, models.CASCADE, null=True, blank=True, related_name="notifications")
    referral = models.ForeignKey(Referral, models.CASCADE, null=True, blank=True, related_name="notifications")
    kind = models.CharField(_("kind"), max_length=12, choices=NotificationKind.choices)
    text = models.CharField(_("text"), max_length=255)
    created = models.DateTimeField(auto_now_add=True, db_index=True)
    read_at = models.DateTimeField(null=True, blank=True)
    emailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created", "-pk"]
        constraints = [
            # What makes send_reminders idempotent: one reminder per user, step and kind.
            models.UniqueConstraint(
                fields=["user", "step", "kind"], condition=models.Q(step__isnull=False), name="notification_once_per_step"
            ),
            models.UniqueConstraint(
                fields=["user", "referral", "kind"],
                condition=models.Q(referral__isnull=False),
                name="notification_once_per_referral",
            ),
        ]
        indexes = [models.Index(fields=["user", "read_at"])]

    def __str__(self) -> str:
        return f"{self.user_id} {self.kind}"
