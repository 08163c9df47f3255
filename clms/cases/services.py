"""Writes to cases.  Views change data only through these functions.

The case state machine is ``TRANSITIONS``: each action names the states it may start from
and the state it leads to; a service refuses anything else.  Each service records a
CaseEvent (the timeline), writes an audit event, closes the CaseSteps it completes and
opens the ones that become due, with due times from the DuePolicy in force.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from clms.accounts.audit import audit_log
from clms.accounts.models import Agency, AuditAction, Role, User
from clms.accounts.policy import RULES, Perm
from clms.accounts.scoping import area_prefixes, can_write_unit
from clms.cases.calendar import Calendar, current_calendar, due_time
from clms.cases.catalogue import service_types
from clms.cases.models import (
    OPEN_STATES,
    Assessment,
    Case,
    CaseEvent,
    CasePlan,
    CaseStep,
    ClosureReason,
    DuePolicy,
    DueUnit,
    EventKind,
    FollowUp,
    Notification,
    NotificationKind,
    PlanService,
    Referral,
    ReferralStatus,
    Report,
    ReporterIdentity,
    RiskLevel,
    Source,
    StartEvent,
    State,
    StepCode,
)
from clms.cases.selectors import (
    CHILD_LABOUR_CATEGORIES,
    child_needs_case,
    latest_classification,
    policy_for,
    referrals_for_user,
)
from clms.core.locking import save_versioned
from clms.people.models import Activity, Child, Classification, SchoolStatus
from clms.places.models import AdminUnit, Level
from clms.rules import Category, age_in_years

logger = logging.getLogger(__name__)

# Who may file a report: everyone who may write to the register (the filer is the user;
# school, police, hotline and inspection reports are entered by the commune officer with
# their source).
REPORT_ROLES = RULES[Perm.REPORT_FILE]
# Schools, police and other agencies report children but cannot read the register, so they
# never see duplicate candidates: the commune officer resolves those from the duplicates report.
BLIND_REPORTERS = RULES[Perm.REPORT_BLIND]
# Who runs a case: the commune officer, or a supervisor standing in.
CASE_ROLES = RULES[Perm.CASE_WORK]
# Follow-up visits are also made by the village collaborators.
FOLLOW_UP_ROLES = RULES[Perm.CASE_FOLLOW_UP]

TRANSITIONS: dict[str, tuple[frozenset[str], str]] = {
    "verify": (frozenset({State.REPORTED}), State.VERIFYING),
    "assess": (frozenset({State.VERIFYING}), State.ASSESSED),
    "plan": (frozenset({State.ASSESSED}), State.PLANNED),
    "approve_plan": (frozenset({State.PLANNED}), State.PLANNED),
    "start_intervention": (frozenset({State.PLANNED}), State.INTERVENING),
    "start_monitoring": (frozenset({State.INTERVENING}), State.MONITORING),
    "close": (frozenset(OPEN_STATES), State.CLOSED),
    "not_confirm": (frozenset({State.REPORTED, State.VERIFYING}), State.NOT_CONFIRMED),
    "reopen": (frozenset({State.CLOSED, State.NOT_CONFIRMED}), State.VERIFYING),
}
# A report may be entered late but not dated in the future beyond clock drift.
CLOCK_SKEW = dt.timedelta(minutes=10)
OLDEST_REPORT = dt.date(2016, 6, 1)  # Children Law 2016 in force


class InvalidTransition(ValidationError):
    pass


def allowed_actions(case: Case) -> list[str]:
    return [action for action, (sources, _target) in TRANSITIONS.items() if case.state in sources]


def _check_transition(case: Case, action: str) -> str:
    sources, target = TRANSITIONS[action]
    if case.state not in sources:
        raise InvalidTransition(
            _("This step is not possible while the case is “%(state)s”.") % {"state": case.get_state_display()}
        )
    return target


def _check_case_writer(user: Any, case: Case, roles: frozenset[str] = CASE_ROLES) -> None:
    if not (user.is_admin or user.role in roles):
        raise PermissionDenied
    target = case.village if user.role == Role.COLLABORATOR else case.commune
    if target is None or not can_write_unit(user, target):
        raise PermissionDenied


def _moment(day: dt.date, now: dt.datetime) -> dt.datetime:
    """When a dated act counts as done: the time of recording if it is that day, else the
    last second of the day (a deadline falls at 24:00, so any time that day is in time)."""
    if timezone.localtime(now).date() == day:
        return now
    return min(now, timezone.make_aware(dt.datetime.combine(day, dt.time(23, 59, 59))))


def _event(case: Case, *, user: Any, kind: str, now: dt.datetime, from_state: str = "", to_state: str = "",
           note: str = "") -> CaseEvent:
    event = CaseEvent.objects.create(
        case=case, kind=kind, from_state=from_state, to_state=to_state, at=now, by=user, note=note.strip()
    )
    audit_log(user=user, action=AuditAction.UPDATE, object_type="cases.case", object_id=case.pk, detail={"event": kind})
    return event


def _transition(case: Case, *, user: Any, action: str, version: int, kind: str, now: dt.datetime,
                fields: Sequence[str] = (), note: str = "") -> None:
    target = _check_transition(case, action)
    previous = case.state
    case.state = target
    case.full_clean()
    save_versioned(case, expected_version=version, fields=[*fields, "state"])
    _event(case, user=user, kind=kind, now=now, from_state=previous, to_state=target, note=note)


# ---------------------------------------------------------------------------
# Steps and due times
# ---------------------------------------------------------------------------


def step_open(case: Case, *, step: str, start: dt.datetime, calendar: Calendar | None = None) -> CaseStep:
    """Write a step that has just become due, with the due time of the policy in force."""
    policy = policy_for(step, case.commune)
    calendar = calendar or current_calendar()
    last = case.steps.filter(step=step).order_by("-seq").values_list("seq", flat=True).first()
    return CaseStep.objects.create(
        case=case,
        step=step,
        seq=(last or 0) + 1,
        started_at=start,
        due_at=due_time(start=start, amount=policy.amount, unit=policy.unit, calendar=calendar),
        statutory=policy.statutory,
        policy=policy,
        policy_version=policy.version,
        rule=f"{policy.amount} {policy.unit} from {policy.start_event}",
    )


def _step_done(case: Case, step: str, at: dt.datetime) -> int:
    return CaseStep.objects.filter(case=case, step=step, done_at__isnull=True, cancelled_at__isnull=True).update(
        done_at=at
    )


def _steps_cancel(case: Case, at: dt.datetime) -> None:
    CaseStep.objects.filter(case=case, done_at__isnull=True, cancelled_at__isnull=True).update(cancelled_at=at)


def _plan_clock_start(case: Case) -> dt.datetime:
    policy = policy_for(StepCode.PLAN_DRAFT, case.commune)
    meeting = getattr(getattr(case, "assessment", None), "needs_meeting_on", None)
    if policy.start_event == StartEvent.NEEDS_MEETING_OR_RECEIVED and meeting is not None:
        return timezone.make_aware(dt.datetime.combine(meeting, dt.time.min))
    return case.received_at


# ---------------------------------------------------------------------------
# Reports and opening cases
# ---------------------------------------------------------------------------


@dataclass
class NewChild:
    full_name: str
    sex: str
    dob: dt.date
    village: AdminUnit | None = None
    dob_estimated: bool = False
    extra: dict[str, Any] = field(default_factory=dict)


class PossibleDuplicates(ValidationError):
    """A new child looks like children already registered; the caller shows them."""

    def __init__(self, candidates: list[Any]) -> None:
        super().__init__(_("This child may already be in the register. Pick the child below or confirm that it is a new child."))
        self.candidates = candidates


def _find_duplicates(*, user: Any, new: NewChild, commune: AdminUnit) -> list[Any]:
    try:
        from clms.people.duplicates import find_duplicates
    except ImportError:  # the register's duplicate check has not landed in this checkout
        return []
    return list(find_duplicates(
        user=user, full_name=new.full_name, dob=new.dob, commune=commune, village=new.village, limit=5
    ))


def _commune_officers(commune: AdminUnit) -> list[User]:
    return list(
        User.objects.filter(role=Role.COMMUNE_OFFICER, is_active=True)
        .filter(Q(area=commune) | Q(area__succession_in__predecessor=commune))
        .distinct()
        .order_by("pk")
    )


def _notify(*, user: User, case: Case, kind: str, text: str, step: CaseStep | None = None,
            referral: Referral | None = None) -> Notification | None:
    lookup: dict[str, Any] = {"user": user, "kind": kind}
    if step is not None:
        lookup["step"] = step
    if referral is not None:
        lookup["referral"] = referral
    if (step is not None or referral is not None) and Notification.objects.filter(**lookup).exists():
        return None
    return Notification.objects.create(case=case, text=text[:255], **lookup)


def notification_send(*, users: list[User], text: str, link: str, subject: str) -> list[Notification]:
    """Messages that are not about a case (a yearly report's decision): in the inbox at once
    and by e-mail once the transaction commits; marked e-mailed so send_reminders skips them."""
    made = [
        Notification.objects.create(user=u, kind=NotificationKind.REPORT, text=text[:255], link=link[:200]) for u in users
    ]

    def mail() -> None:
        for notification in made:
            if not notification.user.email:
                continue
            try:
                send_mail(subject=subject, message=text, from_email=None, recipient_list=[notification.user.email])
            except OSError:
                # The mail server is down: left un-e-mailed, send_reminders tries it again.
                logger.warning("could not e-mail notification %s", notification.pk, exc_info=True)
                continue
            Notification.objects.filter(pk=notification.pk).update(emailed_at=timezone.now())

    transaction.on_commit(mail)
    return made


def _case_open(*, user: Any, report: Report, child: Child, now: dt.datetime) -> Case:
    existing = Case.objects.filter(child=child, state__in=OPEN_STATES).first()
    if existing is not None:
        # One case per child: a new report about a child with an open case joins that case.
        note = _("Another report (no. %(report)s) about this child.") % {"report": report.pk}
        if report.emergency and not existing.emergency:
            Case.objects.filter(pk=existing.pk).update(emergency=True)
            existing.emergency = True
            step_open(existing, step=StepCode.EMERGENCY, start=report.received_at)
        _event(existing, user=user, kind=EventKind.OPENED, now=now, note=note)
        return existing
    case = Case(
        report=report,
        child=child,
        commune=child.commune,
        village=child.village,
        received_at=report.received_at,
        emergency=report.emergency,
    )
    officers = _commune_officers(child.commune)
    if user.role == Role.COMMUNE_OFFICER and can_write_unit(user, child.commune):
        case.assigned_to = user
    elif len(officers) == 1:
        case.assigned_to = officers[0]
    case.full_clean()
    case.save()
    _event(case, user=user, kind=EventKind.OPENED, now=now, to_state=State.REPORTED)
    audit_log(user=user, action=AuditAction.CREATE, object_type="cases.case", object_id=case.pk)
    calendar = current_calendar()
    if case.emergency:
        step_open(case, step=StepCode.EMERGENCY, start=case.received_at, calendar=calendar)
    step_open(case, step=StepCode.INITIAL_ASSESSMENT, start=case.received_at, calendar=calendar)
    step_open(case, step=StepCode.VERIFICATION, start=case.received_at, calendar=calendar)
    if case.assigned_to is not None and case.assigned_to != user:
        _notify(
            user=case.assigned_to, case=case, kind=NotificationKind.ASSIGNMENT,
            text=_("New case of %(child)s assigned to you.") % {"child": child.full_name},
        )
    return case


@transaction.atomic
def report_file(
    *,
    user: Any,
    source: str,
    received_at: dt.datetime,
    what_seen: str,
    emergency: bool = False,
    children: Iterable[Child] = (),
    new_children: Iterable[NewChild] = (),
    commune: AdminUnit | None = None,
    reporter_name: str = "",
    reporter_phone: str = "",
    reporter_relationship: str = "",
    confirm_new: bool = False,
) -> Report:
    """Record a report and open one case per child (existing ones, or new ones added to the
    register after the duplicate check unless ``confirm_new``)."""
    if not (user.is_admin or user.role in REPORT_ROLES):
        raise PermissionDenied
    from clms.people.selectors import children_for_user
    from clms.people.services import child_create

    now = timezone.now()
    errors: dict[str, list[str]] = {}
    if received_at > now + CLOCK_SKEW:
        errors.setdefault("received_at", []).append(_("The time of receipt is in the future."))
    if timezone.localtime(received_at).date() < OLDEST_REPORT:
        errors.setdefault("received_at", []).append(_("The time of receipt is too far in the past."))
    if not what_seen.strip():
        errors.setdefault("what_seen", []).append(_("Say what was seen."))
    if source not in Source.values:
        errors.setdefault("source", []).append(_("Unknown source."))
    existing = list(children)
    new = list(new_children)
    if not existing and not new:
        errors.setdefault("children", []).append(_("Pick at least one child or enter a new one."))
    visible = set(children_for_user(user).filter(pk__in=[c.pk for c in existing]).values_list("pk", flat=True))
    if any(c.pk not in visible for c in existing):
        raise PermissionDenied
    place = commune or (existing[0].commune if existing else None)
    if place is None and new:
        village = new[0].village
        place = village.parent if village is not None else None
    if place is None or place.level != Level.COMMUNE:
        errors.setdefault("commune", []).append(_("Choose the commune where the child lives."))
    if errors:
        raise ValidationError(errors)
    assert place is not None  # noqa: S101 - checked just above
    blind = user.role in BLIND_REPORTERS
    if blind and not any(place.path.startswith(p) for p in area_prefixes(user)):
        raise PermissionDenied
    if new and not confirm_new and not blind:
        found = [c for n in new for c in _find_duplicates(user=user, new=n, commune=place)]
        if found:
            raise PossibleDuplicates(found)

    village = existing[0].village if existing else (new[0].village if new else None)
    report = Report(
        source=source,
        received_at=received_at,
        commune=place,
        village=village,
        what_seen=what_seen.strip(),
        emergency=emergency,
        filed_by=user,
    )
    report.full_clean()
    report.save()
    if reporter_name.strip() or reporter_phone.strip() or reporter_relationship.strip():
        identity = ReporterIdentity(
            report=report,
            name=reporter_name.strip(),
            phone=reporter_phone.strip(),
            relationship=reporter_relationship.strip(),
        )
        identity.full_clean()
        identity.save()
    audit_log(user=user, action=AuditAction.CREATE, object_type="cases.report", object_id=report.pk)
    for item in new:
        existing.append(
            child_create(
                user=user, commune=place, village=item.village, full_name=item.full_name, sex=item.sex,
                dob=item.dob, dob_estimated=item.dob_estimated, via_report=blind,
                # A report says what was seen, not the child's ethnicity or schooling: what it
                # does not say stays unknown, not "Kinh" and "attending" by default.
                **{"ethnicity": "", "school_status": "", **item.extra},
            )
        )
    for child in existing:
        _case_open(user=user, report=report, child=child, now=now)
    return report


@transaction.atomic
def case_open_for_child(*, user: Any, child: Child) -> Case:
    """One step from the register: a minor in child labour or at high risk (see
    ``selectors.case_ground``) gets a report with source "register" and a case."""
    if not (user.is_admin or user.role in CASE_ROLES):
        raise PermissionDenied
    if not child_needs_case(child):
        raise ValidationError(
            _(
                "A case can be opened here only for a minor whose latest classification is child labour, or who is"
                " at high risk, and who has no open case."
            )
        )
    latest = latest_classification(child)
    if latest is not None and latest.category in CHILD_LABOUR_CATEGORIES:
        seen = _("Classified as %(category)s on %(date)s. %(explanation)s") % {
            "category": Category(latest.category).label,
            "date": latest.observation.observed_on.strftime("%d/%m/%Y"),
            "explanation": latest.explanation,
        }
    else:
        seen = _("Assessed at high risk of child labour in the register.")
    report = report_file(
        user=user, source=Source.REGISTER, received_at=timezone.now(), what_seen=seen, children=[child],
        commune=child.commune,
    )
    return report.cases.get()


@transaction.atomic
def case_assign(*, user: Any, case: Case, version: int, officer: User) -> Case:
    _check_case_writer(user, case)
    if officer.role != Role.COMMUNE_OFFICER or not officer.is_active or not can_write_unit(officer, case.commune):
        raise ValidationError({"officer": _("Choose a commune officer of the child's commune.")})
    case.assigned_to = officer
    save_versioned(case, expected_version=version, fields=["assigned_to"])
    now = timezone.now()
    _event(case, user=user, kind=EventKind.ASSIGN, now=now, note=str(officer))
    if officer != user:
        _notify(
            user=officer, case=case, kind=NotificationKind.ASSIGNMENT,
            text=_("Case of %(child)s assigned to you.") % {"child": case.child.full_name},
        )
    return case


# ---------------------------------------------------------------------------
# The state machine
# ---------------------------------------------------------------------------


@transaction.atomic
def case_verify(*, user: Any, case: Case, version: int, initial_risk: str, initial_note: str = "",
                emergency: bool | None = None, emergency_measures: str = "") -> Case:
    """Take up the report: record the initial assessment of risk and harm (Decree 56
    Art. 26(2), Form 02) and, for an emergency, the measures taken."""
    _check_case_writer(user, case)
    if initial_risk not in RiskLevel.values:
        raise ValidationError({"initial_risk": _("Choose the initial risk level.")})
    now = timezone.now()
    case.initial_risk = initial_risk
    case.initial_note = initial_note.strip()
    became_emergency = bool(emergency) and not case.emergency
    if emergency is not None:
        case.emergency = emergency or case.emergency
    if emergency_measures.strip():
        case.emergency_measures = emergency_measures.strip()
    _transition(
        case, user=user, action="verify", version=version, kind=EventKind.VERIFY, now=now,
        fields=["initial_risk", "initial_note", "emergency", "emergency_measures"], note=initial_note,
    )
    _step_done(case, StepCode.INITIAL_ASSESSMENT, now)
    if became_emergency:
        step_open(case, step=StepCode.EMERGENCY, start=case.received_at)
    if case.emergency_measures:
        _step_done(case, StepCode.EMERGENCY, now)
    return case


@transaction.atomic
def case_record_emergency(*, user: Any, case: Case, version: int, measures: str) -> Case:
    """Emergency measures (Decree 56 Art. 26(3), 31(2)): due within 12 hours of receipt."""
    _check_case_writer(user, case)
    if not case.is_open:
        raise InvalidTransition(_("The case is closed."))
    if not measures.strip():
        raise ValidationError({"measures": _("Describe the measures taken.")})
    now = timezone.now()
    if not case.emergency:
        case.emergency = True
        step_open(case, step=StepCode.EMERGENCY, start=case.received_at)
    case.emergency_measures = measures.strip()
    case.full_clean()
    save_versioned(case, expected_version=version, fields=["emergency", "emergency_measures"])
    _step_done(case, StepCode.EMERGENCY, now)
    _event(case, user=user, kind=EventKind.EMERGENCY, now=now, note=measures)
    return case


@transaction.atomic
def case_assess(*, user: Any, case: Case, version: int, note: str = "") -> Case:
    """The facts are confirmed: verification is done and the detailed assessment, needs
    meeting and plan become due."""
    _check_case_writer(user, case)
    now = timezone.now()
    _transition(case, user=user, action="assess", version=version, kind=EventKind.ASSESS, now=now, note=note)
    _step_done(case, StepCode.VERIFICATION, now)
    _step_done(case, StepCode.INITIAL_ASSESSMENT, now)
    assessment, _created = Assessment.objects.get_or_create(case=case)
    case.assessment = assessment
    calendar = current_calendar()
    step_open(case, step=StepCode.ASSESSMENT, start=case.received_at, calendar=calendar)
    step_open(case, step=StepCode.PLAN_DRAFT, start=_plan_clock_start(case), calendar=calendar)
    return case


ASSESSMENT_FIELDS = ("child_state", "family", "risks", "school", "needs", "child_views", "parent_views")


@transaction.atomic
def assessment_save(*, user: Any, case: Case, version: int, complete: bool = False,
                    risk_level: str = "", needs_meeting_on: dt.date | None = None, **texts: str) -> Assessment:
    """Save the detailed assessment (Form 03); ``complete`` marks the step done."""
    _check_case_writer(user, case)
    if case.state != State.ASSESSED:
        raise InvalidTransition(_("The assessment can be changed only while the case is being assessed."))
    unknown = set(texts) - set(ASSESSMENT_FIELDS)
    if unknown:
        raise TypeError(f"unknown assessment fields {sorted(unknown)}")
    assessment = Assessment.objects.get(case=case)
    now = timezone.now()
    for name, value in texts.items():
        setattr(assessment, name, value.strip())
    assessment.risk_level = risk_level
    errors: dict[str, list[str]] = {}
    if needs_meeting_on is not None:
        if needs_meeting_on > timezone.localdate():
            errors["needs_meeting_on"] = [_("The meeting date is in the future.")]
        elif needs_meeting_on < timezone.localtime(case.received_at).date():
            errors["needs_meeting_on"] = [_("The meeting date is before the report was received.")]
    if complete:
        for name in ("child_state", "needs", "child_views"):
            if not getattr(assessment, name):
                errors.setdefault(name, []).append(_("Fill this in before completing the assessment."))
        if not risk_level:
            errors.setdefault("risk_level", []).append(_("Choose the risk level."))
    if errors:
        raise ValidationError(errors)
    meeting_changed = needs_meeting_on != assessment.needs_meeting_on
    assessment.needs_meeting_on = needs_meeting_on
    assessment.assessed_by = user
    if complete and assessment.completed_at is None:
        assessment.completed_at = now
    assessment.full_clean()
    save_versioned(
        assessment, expected_version=version,
        fields=[*ASSESSMENT_FIELDS, "risk_level", "needs_meeting_on", "assessed_by", "completed_at"],
    )
    case.assessment = assessment
    if meeting_changed:
        # The statutory plan clock may start at the needs meeting: move the pending deadline.
        policy = policy_for(StepCode.PLAN_DRAFT, case.commune)
        start = _plan_clock_start(case)
        due = due_time(start=start, amount=policy.amount, unit=policy.unit, calendar=current_calendar())
        CaseStep.objects.filter(
            case=case, step=StepCode.PLAN_DRAFT, done_at__isnull=True, cancelled_at__isnull=True
        ).update(started_at=start, due_at=due, policy=policy, policy_version=policy.version)
    if complete:
        _step_done(case, StepCode.ASSESSMENT, now)
    _event(case, user=user, kind=EventKind.ASSESSMENT, now=now)
    return assessment


@transaction.atomic
def plan_save(*, user: Any, case: Case, version: int | None, goals: str, drafted_on: dt.date | None) -> CasePlan:
    _check_case_writer(user, case)
    if case.state != State.ASSESSED:
        raise InvalidTransition(_("The plan can be changed only before it is submitted for approval."))
    if drafted_on is not None and drafted_on > timezone.localdate():
        raise ValidationError({"drafted_on": _("The date is in the future.")})
    plan, created = CasePlan.objects.get_or_create(case=case)
    plan.goals = goals.strip()
    plan.drafted_on = drafted_on
    plan.full_clean()
    save_versioned(plan, expected_version=plan.version if created or version is None else version,
                   fields=["goals", "drafted_on"])
    return plan


@transaction.atomic
def plan_service_add(*, user: Any, case: Case, service_type: str, agency: str, provider_unit: AdminUnit,
                     description: str = "", due_on: dt.date | None = None) -> PlanService:
    _check_case_writer(user, case)
    if case.state != State.ASSESSED:
        raise InvalidTransition(_("The plan can be changed only before it is submitted for approval."))
    errors: dict[str, list[str]] = {}
    if service_type not in service_types():
        errors["service_type"] = [_("Unknown service.")]
    if agency not in Agency.values:
        errors["agency"] = [_("Unknown agency.")]
    if provider_unit.level == Level.VILLAGE or not (
        provider_unit.path and case.commune.path.startswith(provider_unit.path) or provider_unit == case.commune
    ):
        # The provider sits at the child's commune or a unit above it, never elsewhere.
        errors["provider_unit"] = [_("Choose the child's commune or a unit above it.")]
    if errors:
        raise ValidationError(errors)
    plan, _created = CasePlan.objects.get_or_create(case=case)
    service = PlanService(
        plan=plan, service_type=service_type, agency=agency, provider_unit=provider_unit,
        description=description.strip(), due_on=due_on,
    )
    service.full_clean()
    service.save()
    return service


@transaction.atomic
def plan_service_remove(*, user: Any, case: Case, service: PlanService) -> None:
    _check_case_writer(user, case)
    if case.state != State.ASSESSED or service.plan.case_id != case.pk:
        raise InvalidTransition(_("The plan can be changed only before it is submitted for approval."))
    service.delete()


@transaction.atomic
def case_plan(*, user: Any, case: Case, version: int) -> Case:
    """Submit the drafted plan for approval (Decree 56 Art. 28(1)-(3), Form 04)."""
    _check_case_writer(user, case)
    _check_transition(case, "plan")
    assessment = Assessment.objects.filter(case=case).first()
    plan = CasePlan.objects.filter(case=case).first()
    errors = []
    if assessment is None or assessment.completed_at is None:
        errors.append(_("Complete the detailed assessment first."))
    if plan is None or not plan.goals:
        errors.append(_("Write the goals of the plan."))
    if plan is None or not plan.services.exists():
        errors.append(_("Add at least one service to the plan."))
    if errors:
        raise ValidationError(errors)
    assert plan is not None  # noqa: S101 - checked above
    now = timezone.now()
    _transition(case, user=user, action="plan", version=version, kind=EventKind.PLAN, now=now)
    plan.submitted_at = now
    plan.drafted_on = plan.drafted_on or timezone.localdate()
    plan.approved_on = None
    plan.decision_number = ""
    plan.approver_name = ""
    plan.save(update_fields=["submitted_at", "drafted_on", "approved_on", "decision_number", "approver_name"])
    _step_done(case, StepCode.PLAN_DRAFT, now)
    step_open(case, step=StepCode.PLAN_APPROVAL, start=now)
    return case


@transaction.atomic
def case_approve_plan(*, user: Any, case: Case, version: int, approved_on: dt.date, decision_number: str,
                      approver_name: str = "") -> Case:
    """Record the commune chair's decision approving the plan (Art. 28(4)-(5), Form 05);
    each planned service becomes a referral to its provider agency."""
    _check_case_writer(user, case)
    _check_transition(case, "approve_plan")
    plan = CasePlan.objects.get(case=case)
    errors: dict[str, list[str]] = {}
    if plan.approved_on is not None:
        raise InvalidTransition(_("The plan is already approved."))
    if approved_on > timezone.localdate():
        errors["approved_on"] = [_("The approval date is in the future.")]
    elif plan.submitted_at and approved_on < timezone.localtime(plan.submitted_at).date():
        errors["approved_on"] = [_("The plan was approved before it was submitted.")]
    if not decision_number.strip():
        errors["decision_number"] = [_("Enter the number of the decision.")]
    if errors:
        raise ValidationError(errors)
    now = timezone.now()
    plan.approved_on = approved_on
    plan.decision_number = decision_number.strip()
    plan.approver_name = approver_name.strip()
    plan.approval_recorded_by = user
    plan.save(update_fields=["approved_on", "decision_number", "approver_name", "approval_recorded_by"])
    _transition(
        case, user=user, action="approve_plan", version=version, kind=EventKind.APPROVE_PLAN, now=now,
        note=decision_number,
    )
    _step_done(case, StepCode.PLAN_APPROVAL, _moment(approved_on, now))
    for service in plan.services.select_related("provider_unit").filter(referral__isnull=True):
        referral = Referral.objects.create(
            case=case, plan_service=service, service_type=service.service_type, agency=service.agency,
            provider_unit=service.provider_unit, description=service.description, due_on=service.due_on,
            sent_at=now, sent_by=user,
        )
        for officer in agency_officers_for(referral):
            _notify(
                user=officer, case=case, kind=NotificationKind.REFERRAL, referral=referral,
                text=referral_notice(referral, service_types()[service.service_type].label, now=now),
            )
    return case


def initials(full_name: str) -> str:
    """ "Lê Thị Hoa" → "L.T.H.": enough for an agency officer to tell two referrals apart,
    not enough to name the child in an inbox line or an e-mail subject."""
    return "".join(f"{word[0].upper()}." for word in full_name.split() if word)


def referral_notice(referral: Referral, service: str, *, now: dt.datetime) -> str:
    case = referral.case
    return _(
        "Case no. %(case)s, %(commune)s: %(initials)s, %(age)s years old. New referral: %(service)s."
    ) % {
        "case": case.pk,
        "commune": case.commune.name,
        "initials": initials(case.child.full_name),
        "age": age_in_years(case.child.dob, timezone.localtime(now).date()),
        "service": service,
    }


def agency_officers_for(referral: Referral) -> list[User]:
    """Agency officers who answer this referral: same agency, area at or above the provider unit."""
    ancestors = [int(pk) for pk in referral.provider_unit.path.strip("/").split("/") if pk]
    return list(
        User.objects.filter(role=Role.AGENCY_OFFICER, is_active=True, agency=referral.agency, area_id__in=ancestors)
    )


@transaction.atomic
def case_start_intervention(*, user: Any, case: Case, version: int) -> Case:
    _check_case_writer(user, case)
    _check_transition(case, "start_intervention")
    plan = CasePlan.objects.filter(case=case).first()
    if plan is None or plan.approved_on is None:
        raise ValidationError(_("The plan must be approved before the intervention starts."))
    _transition(case, user=user, action="start_intervention", version=version, kind=EventKind.START_INTERVENTION,
                now=timezone.now())
    return case


@transaction.atomic
def case_start_monitoring(*, user: Any, case: Case, version: int) -> Case:
    _check_case_writer(user, case)
    now = timezone.now()
    _transition(case, user=user, action="start_monitoring", version=version, kind=EventKind.START_MONITORING, now=now)
    step_open(case, step=StepCode.FOLLOW_UP, start=now)
    return case


def _observation_category(observation: Any) -> str:
    if observation is None:
        return ""
    return (
        Classification.objects.filter(observation=observation, ruleset="vn-law", is_current=True)
        .values_list("category", flat=True)
        .first()
        or ""
    )


@transaction.atomic
def follow_up_record(*, user: Any, case: Case, visited_on: dt.date, still_working: bool, school_status: str,
                     activity: str = "", work: str = "", note: str = "",
                     observation_fields: dict[str, Any] | None = None) -> FollowUp:
    """A follow-up visit: what the child does now is recorded in the register and classified
    again under the law; the visit keeps the follow-up schedule."""
    _check_case_writer(user, case, FOLLOW_UP_ROLES)
    if case.state not in (State.INTERVENING, State.MONITORING):
        raise InvalidTransition(_("Follow-up visits are recorded while the plan is carried out or monitored."))
    errors: dict[str, list[str]] = {}
    if school_status not in SchoolStatus.values:
        errors["school_status"] = [_("Choose the school status.")]
    if visited_on < timezone.localtime(case.received_at).date():
        errors["visited_on"] = [_("The visit is before the report was received.")]
    if still_working and activity in ("", Activity.NONE):
        errors["activity"] = [_("Say what work the child does.")]
    if errors:
        raise ValidationError(errors)
    fields = dict(observation_fields or {})
    fields["activity"] = activity if still_working else Activity.NONE
    if work.strip():
        fields.setdefault("job_description", work.strip()[:255])
    visit_record: Any
    try:
        from clms.people.services import visit_record
    except ImportError:  # the register's visits have not landed in this checkout
        visit_record = None
    visit = None
    if visit_record is not None:
        visit = visit_record(
            user=user, child=case.child, visited_on=visited_on, still_working=still_working,
            school_status=school_status, note=note, observation_fields=fields,
        )
        observation = visit.observation
    else:
        from clms.people.services import observation_record

        activity_code = fields.pop("activity")
        observation = observation_record(
            user=user, child=case.child, observed_on=visited_on, activity=activity_code, **fields
        )
    follow_up = FollowUp(
        case=case, visited_on=visited_on, still_working=still_working, work=work.strip(),
        school_status=school_status, category=_observation_category(observation), observation=observation,
        visit=visit, note=note.strip(), recorded_by=user,
    )
    follow_up.full_clean()
    follow_up.save()
    now = timezone.now()
    at = _moment(visited_on, now)
    if _step_done(case, StepCode.FOLLOW_UP, at) and case.state == State.MONITORING:
        step_open(case, step=StepCode.FOLLOW_UP, start=at)
    _event(case, user=user, kind=EventKind.FOLLOW_UP, now=now, note=note)
    return follow_up


def follow_up_passes(follow_up: FollowUp) -> bool:
    """No child labour found and the child in school or training."""
    in_school = follow_up.school_status in (SchoolStatus.ATTENDING, SchoolStatus.VOCATIONAL)
    return in_school and follow_up.category not in CHILD_LABOUR_CATEGORIES


def follow_up_interval_met(case: Case, earlier: dt.date, later: dt.date) -> bool:
    """Two visits count as two only when they are the local follow-up interval apart (the
    follow-up due-time policy of the commune, 30 days by default): two visits minutes apart
    on the same day show nothing about whether the child stays out of work."""
    policy = policy_for(StepCode.FOLLOW_UP, case.commune)
    start = timezone.make_aware(dt.datetime.combine(earlier, dt.time.min))
    deadline = due_time(start=start, amount=policy.amount, unit=policy.unit, calendar=current_calendar())
    earliest = timezone.localtime(deadline - dt.timedelta(microseconds=1)).date()
    return later >= earliest


def follow_up_interval_text(case: Case) -> str:
    policy = policy_for(StepCode.FOLLOW_UP, case.commune)
    return f"{policy.amount} {policy.get_unit_display()}"


def may_close_as_resolved(case: Case) -> bool:
    """Closure as "no longer in child labour" needs the last two follow-up visits, one after
    the other and at least the follow-up interval apart, to find no child labour and the child
    in school or vocational training."""
    last_two = list(case.follow_ups.order_by("-visited_on", "-pk")[:2])
    return (
        len(last_two) == 2
        and all(follow_up_passes(f) for f in last_two)
        and follow_up_interval_met(case, last_two[1].visited_on, last_two[0].visited_on)
    )


@transaction.atomic
def case_close(*, user: Any, case: Case, version: int, reason: str, note: str = "") -> Case:
    _check_case_writer(user, case)
    _check_transition(case, "close")
    errors: dict[str, list[str]] = {}
    if reason not in ClosureReason.values:
        errors["reason"] = [_("Choose the closure reason.")]
    elif reason == ClosureReason.NO_LONGER_CHILD_LABOUR:
        if case.state != State.MONITORING:
            errors["reason"] = [_("A case is closed as no longer in child labour only from monitoring.")]
        elif not may_close_as_resolved(case):
            errors["reason"] = [
                _(
                    "Two consecutive follow-up visits, at least %(days)s apart, must find no child labour and the"
                    " child in school or training."
                ) % {"days": follow_up_interval_text(case)}
            ]
    elif reason == ClosureReason.OTHER and not note.strip():
        errors["note"] = [_("Say why the case is closed.")]
    if errors:
        raise ValidationError(errors)
    now = timezone.now()
    case.closure_reason = reason
    case.closure_note = note.strip()
    case.closed_at = now
    _transition(case, user=user, action="close", version=version, kind=EventKind.CLOSE, now=now,
                fields=["closure_reason", "closure_note", "closed_at"], note=note)
    _steps_cancel(case, now)
    return case


@transaction.atomic
def case_not_confirm(*, user: Any, case: Case, version: int, note: str) -> Case:
    _check_case_writer(user, case)
    if not note.strip():
        raise ValidationError({"note": _("Say what the verification found.")})
    now = timezone.now()
    _transition(case, user=user, action="not_confirm", version=version, kind=EventKind.NOT_CONFIRM, now=now,
                note=note)
    case.closed_at = now
    Case.objects.filter(pk=case.pk).update(closed_at=now)
    _step_done(case, StepCode.VERIFICATION, now)
    _steps_cancel(case, now)
    return case


@transaction.atomic
def case_reopen(*, user: Any, case: Case, version: int, note: str) -> Case:
    _check_case_writer(user, case)
    if not note.strip():
        raise ValidationError({"note": _("Say why the case is reopened.")})
    if Case.objects.filter(child=case.child, state__in=OPEN_STATES).exclude(pk=case.pk).exists():
        raise ValidationError(_("The child has another open case."))
    now = timezone.now()
    case.closure_reason = ""
    case.closure_note = ""
    case.closed_at = None
    _transition(case, user=user, action="reopen", version=version, kind=EventKind.REOPEN, now=now,
                fields=["closure_reason", "closure_note", "closed_at"], note=note)
    step_open(case, step=StepCode.VERIFICATION, start=now)
    return case


# ---------------------------------------------------------------------------
# Referrals
# ---------------------------------------------------------------------------

REFERRAL_MOVES: dict[str, set[str]] = {
    ReferralStatus.SENT: {ReferralStatus.ACCEPTED, ReferralStatus.DELIVERED, ReferralStatus.REFUSED},
    ReferralStatus.ACCEPTED: {ReferralStatus.DELIVERED, ReferralStatus.REFUSED},
}


@transaction.atomic
def referral_answer(*, user: Any, referral: Referral, version: int, status: str,
                    delivered_on: dt.date | None = None, refusal_reason: str = "", note: str = "") -> Referral:
    """The provider agency accepts, delivers or refuses the service."""
    if not (user.is_admin or user.role == Role.AGENCY_OFFICER):
        raise PermissionDenied
    if not referrals_for_user(user).filter(pk=referral.pk).exists():
        raise PermissionDenied
    if status not in REFERRAL_MOVES.get(referral.status, set()):
        raise InvalidTransition(_("This answer is not possible for a referral that is “%(status)s”.")
                                % {"status": referral.get_status_display()})
    errors: dict[str, list[str]] = {}
    if status == ReferralStatus.DELIVERED:
        if delivered_on is None:
            errors["delivered_on"] = [_("Enter the date the service was delivered.")]
        elif delivered_on > timezone.localdate():
            errors["delivered_on"] = [_("The date is in the future.")]
        elif delivered_on < timezone.localtime(referral.sent_at).date():
            errors["delivered_on"] = [_("The service was delivered before it was referred.")]
    if status == ReferralStatus.REFUSED and not refusal_reason.strip():
        errors["refusal_reason"] = [_("Give the reason for refusing.")]
    if errors:
        raise ValidationError(errors)
    now = timezone.now()
    referral.status = status
    referral.answered_at = now
    referral.answered_by = user
    referral.delivered_on = delivered_on if status == ReferralStatus.DELIVERED else None
    referral.refusal_reason = refusal_reason.strip() if status == ReferralStatus.REFUSED else ""
    referral.answer_note = note.strip()
    referral.full_clean()
    save_versioned(
        referral, expected_version=version,
        fields=["status", "answered_at", "answered_by", "delivered_on", "refusal_reason", "answer_note"],
    )
    audit_log(user=user, action=AuditAction.UPDATE, object_type="cases.referral", object_id=referral.pk,
              detail={"status": status})
    CaseEvent.objects.create(
        case=referral.case, kind=EventKind.REFERRAL, at=now, by=user,
        note=f"{service_types()[referral.service_type].label}: {referral.get_status_display()}",
    )
    return referral


# ---------------------------------------------------------------------------
# Inbox and policies
# ---------------------------------------------------------------------------


def notification_mark_read(*, user: Any, notification: Notification) -> Notification:
    if notification.user_id != user.pk:
        raise PermissionDenied
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
    return notification


def notifications_mark_all_read(*, user: Any) -> int:
    from clms.cases.selectors import notifications_for_user

    return notifications_for_user(user).filter(read_at__isnull=True).update(read_at=timezone.now())


POLICY_ROLES = RULES[Perm.DUE_POLICY_SET]


@transaction.atomic
def duepolicy_set(*, user: Any, step: str, scope_unit: AdminUnit, amount: int, unit: str,
                  start_event: str, version: int | None = None) -> DuePolicy:
    """A local override of a step's due time at a commune, district or province.  A
    statutory limit may be shortened locally, never lengthened."""
    if not (user.is_admin or user.role in POLICY_ROLES) or not can_write_unit(user, scope_unit):
        raise PermissionDenied
    if scope_unit.level == Level.VILLAGE:
        raise ValidationError({"scope_unit": _("Due times are set for a commune, district or province.")})
    default = DuePolicy.objects.get(step=step, scope_unit__isnull=True)
    errors: dict[str, list[str]] = {}
    if unit not in DueUnit.values:
        errors["unit"] = [_("Unknown unit.")]
    if start_event not in StartEvent.values:
        errors["start_event"] = [_("Unknown start.")]
    if amount < 1:
        errors["amount"] = [_("Enter a positive number.")]
    if default.statutory and (unit != default.unit or amount > default.amount or start_event != default.start_event):
        errors["amount"] = [
            _("The law sets at most %(amount)s %(unit)s; a local policy may only shorten it.")
            % {"amount": default.amount, "unit": default.get_unit_display()}
        ]
    if errors:
        raise ValidationError(errors)
    policy = DuePolicy.objects.filter(step=step, scope_unit=scope_unit).first()
    if policy is None:
        policy = DuePolicy(
            step=step, scope_unit=scope_unit, amount=amount, unit=unit, start_event=start_event,
            statutory=default.statutory, legal_basis=default.legal_basis, updated_by=user,
        )
        policy.full_clean()
        policy.save()
    else:
        policy.amount, policy.unit, policy.start_event, policy.updated_by = amount, unit, start_event, user
        policy.full_clean()
        save_versioned(policy, expected_version=policy.version if version is None else version,
                       fields=["amount", "unit", "start_event", "updated_by"])
    audit_log(user=user, action=AuditAction.UPDATE, object_type="cases.duepolicy", object_id=policy.pk,
              detail={"step": step, "amount": amount, "unit": unit})
    return policy


@transaction.atomic
def duepolicy_reset(*, user: Any, policy: DuePolicy) -> None:
    if policy.scope_unit is None:
        raise ValidationError(_("The default cannot be removed."))
    if not (user.is_admin or user.role in POLICY_ROLES) or not can_write_unit(user, policy.scope_unit):
        raise PermissionDenied
    audit_log(user=user, action=AuditAction.DELETE, object_type="cases.duepolicy", object_id=policy.pk)
    policy.delete()
