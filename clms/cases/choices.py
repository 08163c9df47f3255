"""The choices of the case models (states, sources, steps, kinds), apart from the models
so that each file stays readable; ``clms.cases.models`` names them all."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Source(models.TextChoices):
    COLLABORATOR = "collaborator", _("Village collaborator")
    COMMUNE = "commune", _("Commune officer or People's Committee")
    SCHOOL = "school", _("School")
    POLICE = "police", _("Police")
    HOTLINE = "hotline_111", _("Hotline 111")
    INSPECTION = "inspection", pgettext_lazy("of a report", "Inspection")
    SURVEY = "survey", _("Survey")
    REGISTER = "register", _("Register (child labour classification)")
    COMMUNITY = "community", _("Family, neighbour or community member")
    OTHER = "other", _("Other")


class State(models.TextChoices):
    REPORTED = "reported", _("Reported")
    VERIFYING = "verifying", _("Verifying")
    ASSESSED = "assessed", _("Assessed")
    PLANNED = "planned", _("Plan drafted")
    INTERVENING = "intervening", _("Intervening")
    MONITORING = "monitoring", _("Monitoring")
    CLOSED = "closed", _("Closed")
    NOT_CONFIRMED = "not_confirmed", _("Not confirmed")


OPEN_STATES = (
    State.REPORTED,
    State.VERIFYING,
    State.ASSESSED,
    State.PLANNED,
    State.INTERVENING,
    State.MONITORING,
)


class RiskLevel(models.TextChoices):
    LOW = "low", _("Low")
    MEDIUM = "medium", _("Medium")
    HIGH = "high", _("High")


class ClosureReason(models.TextChoices):
    NO_LONGER_CHILD_LABOUR = "no_longer_child_labour", _("No longer in child labour")
    MOVED_AWAY = "moved_away", _("Moved away")
    TURNED_18 = "turned_18", _("Turned 18")
    DIED = "died", _("Died")
    TRANSFERRED = "transferred", _("Transferred to another unit")
    OTHER = "other", _("Other")


class EventKind(models.TextChoices):
    OPENED = "opened", _("Case opened")
    VERIFY = "verify", _("Verification started, initial assessment recorded")
    EMERGENCY = "emergency", _("Emergency measures recorded")
    ASSESS = "assess", _("Facts confirmed")
    ASSESSMENT = "assessment", _("Detailed assessment saved")
    PLAN = "plan", _("Plan submitted for approval")
    APPROVE_PLAN = "approve_plan", _("Plan approved")
    START_INTERVENTION = "start_intervention", _("Intervention started")
    START_MONITORING = "start_monitoring", _("Monitoring started")
    FOLLOW_UP = "follow_up", _("Follow-up visit")
    REFERRAL = "referral", _("Referral answered")
    ASSIGN = "assign", _("Officer assigned")
    CLOSE = "close", _("Case closed")
    NOT_CONFIRM = "not_confirm", _("Not confirmed")
    REOPEN = "reopen", _("Case reopened")


class StepCode(models.TextChoices):
    EMERGENCY = "emergency", _("Emergency measures")
    INITIAL_ASSESSMENT = "initial_assessment", _("Initial assessment")
    VERIFICATION = "verification", _("Verification")
    ASSESSMENT = "assessment", _("Detailed assessment and needs meeting")
    PLAN_DRAFT = "plan_draft", _("Draft the support plan")
    PLAN_APPROVAL = "plan_approval", _("Approve the support plan")
    FOLLOW_UP = "follow_up", _("Follow-up visit")


class DueUnit(models.TextChoices):
    HOURS = "hours", _("hours")
    WORKING_DAYS = "working_days", _("working days")
    DAYS = "days", _("days")


class StartEvent(models.TextChoices):
    RECEIVED = "received", _("Receipt of the report")
    NEEDS_MEETING_OR_RECEIVED = "needs_meeting_or_received", _("Needs meeting, else receipt of the report")
    SUBMITTED = "submitted", _("Submission of the plan")
    PREVIOUS_FOLLOW_UP = "previous_follow_up", _("Start of monitoring or the previous follow-up visit")


class ReferralStatus(models.TextChoices):
    SENT = "sent", _("Sent")
    ACCEPTED = "accepted", _("Accepted")
    DELIVERED = "delivered", _("Delivered")
    REFUSED = "refused", _("Refused")


class NotificationKind(models.TextChoices):
    ASSIGNMENT = "assignment", _("Assignment")
    DUE_SOON = "due_soon", _("Due soon")
    OVERDUE = "overdue", _("Overdue")
    REFERRAL = "referral", _("Referral")
    REPORT = "report", _("Yearly report")
