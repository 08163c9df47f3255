"""Shared by the case services: who may act, the state machine's transitions, the
timeline events and the steps with their due times."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Sequence
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from clms.accounts.audit import audit_log
from clms.accounts.models import AuditAction, Role
from clms.accounts.policy import RULES, Perm, require
from clms.cases.calendar import Calendar, current_calendar, due_time
from clms.cases.models import (
    OPEN_STATES,
    Case,
    CaseEvent,
    CaseStep,
    StartEvent,
    State,
    StepCode,
)
from clms.cases.selectors import (
    policy_for,
)
from clms.core.locking import save_versioned

if TYPE_CHECKING:
    from clms.accounts.models import User

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


def check_transition(case: Case, action: str) -> str:
    sources, target = TRANSITIONS[action]
    if case.state not in sources:
        raise InvalidTransition(
            _("This step is not possible while the case is “%(state)s”.") % {"state": case.get_state_display()}
        )
    return target


def check_case_writer(user: User, case: Case, perm: Perm = Perm.CASE_WORK) -> None:
    """The policy's check of every case service: the role holds ``perm`` and the case lies in
    the user's area (a collaborator's village)."""
    require(user, perm)
    target = case.village if user.role == Role.COLLABORATOR else case.commune
    if target is None:
        raise PermissionDenied
    require(user, perm, target)


def moment_of(day: dt.date, now: dt.datetime) -> dt.datetime:
    """When a dated act counts as done: the time of recording if it is that day, else the
    last second of the day (a deadline falls at 24:00, so any time that day is in time)."""
    if timezone.localtime(now).date() == day:
        return now
    return min(now, timezone.make_aware(dt.datetime.combine(day, dt.time(23, 59, 59))))


def event_add(case: Case, *, user: User, kind: str, now: dt.datetime, from_state: str = "", to_state: str = "",
           note: str = "") -> CaseEvent:
    event = CaseEvent.objects.create(
        case=case, kind=kind, from_state=from_state, to_state=to_state, at=now, by=user, note=note.strip()
    )
    audit_log(user=user, action=AuditAction.UPDATE, object_type="cases.case", object_id=case.pk, detail={"event": kind})
    return event


def transition_apply(case: Case, *, user: User, action: str, version: int, kind: str, now: dt.datetime,
                fields: Sequence[str] = (), note: str = "") -> None:
    target = check_transition(case, action)
    previous = case.state
    case.state = target
    case.full_clean()
    save_versioned(case, expected_version=version, fields=[*fields, "state"])
    event_add(case, user=user, kind=kind, now=now, from_state=previous, to_state=target, note=note)


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


def step_done(case: Case, step: str, at: dt.datetime) -> int:
    return CaseStep.objects.filter(case=case, step=step, done_at__isnull=True, cancelled_at__isnull=True).update(
        done_at=at
    )


def steps_cancel(case: Case, at: dt.datetime) -> None:
    CaseStep.objects.filter(case=case, done_at__isnull=True, cancelled_at__isnull=True).update(cancelled_at=at)


def plan_clock_start(case: Case) -> dt.datetime:
    policy = policy_for(StepCode.PLAN_DRAFT, case.commune)
    meeting = getattr(getattr(case, "assessment", None), "needs_meeting_on", None)
    if policy.start_event == StartEvent.NEEDS_MEETING_OR_RECEIVED and meeting is not None:
        return timezone.make_aware(dt.datetime.combine(meeting, dt.time.min))
    return case.received_at
