"""The first steps of a case: verification, emergency measures and the assessment."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from clms.cases.calendar import current_calendar, due_time
from clms.cases.models import (
    Assessment,
    Case,
    CaseStep,
    EventKind,
    RiskLevel,
    State,
    StepCode,
)
from clms.cases.selectors import (
    policy_for,
)
from clms.cases.services.common import (
    InvalidTransition,
    check_case_writer,
    event_add,
    plan_clock_start,
    step_done,
    step_open,
    transition_apply,
)
from clms.core.locking import save_versioned

if TYPE_CHECKING:
    from clms.accounts.models import User

# ---------------------------------------------------------------------------
# The state machine
# ---------------------------------------------------------------------------


@transaction.atomic
def case_verify(*, user: User, case: Case, version: int, initial_risk: str, initial_note: str = "",
                emergency: bool | None = None, emergency_measures: str = "") -> Case:
    """Take up the report: record the initial assessment of risk and harm (Decree 56
    Art. 26(2), Form 02) and, for an emergency, the measures taken."""
    check_case_writer(user, case)
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
    transition_apply(
        case, user=user, action="verify", version=version, kind=EventKind.VERIFY, now=now,
        fields=["initial_risk", "initial_note", "emergency", "emergency_measures"], note=initial_note,
    )
    step_done(case, StepCode.INITIAL_ASSESSMENT, now)
    if became_emergency:
        step_open(case, step=StepCode.EMERGENCY, start=case.received_at)
    if case.emergency_measures:
        step_done(case, StepCode.EMERGENCY, now)
    return case


@transaction.atomic
def case_record_emergency(*, user: User, case: Case, version: int, measures: str) -> Case:
    """Emergency measures (Decree 56 Art. 26(3), 31(2)): due within 12 hours of receipt."""
    check_case_writer(user, case)
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
    step_done(case, StepCode.EMERGENCY, now)
    event_add(case, user=user, kind=EventKind.EMERGENCY, now=now, note=measures)
    return case


@transaction.atomic
def case_assess(*, user: User, case: Case, version: int, note: str = "") -> Case:
    """The facts are confirmed: verification is done and the detailed assessment, needs
    meeting and plan become due."""
    check_case_writer(user, case)
    now = timezone.now()
    transition_apply(case, user=user, action="assess", version=version, kind=EventKind.ASSESS, now=now, note=note)
    step_done(case, StepCode.VERIFICATION, now)
    step_done(case, StepCode.INITIAL_ASSESSMENT, now)
    assessment, _created = Assessment.objects.get_or_create(case=case)
    case.assessment = assessment
    calendar = current_calendar()
    step_open(case, step=StepCode.ASSESSMENT, start=case.received_at, calendar=calendar)
    step_open(case, step=StepCode.PLAN_DRAFT, start=plan_clock_start(case), calendar=calendar)
    return case


ASSESSMENT_FIELDS = ("child_state", "family", "risks", "school", "needs", "child_views", "parent_views")


@transaction.atomic
def assessment_save(*, user: User, case: Case, version: int, complete: bool = False,
                    risk_level: str = "", needs_meeting_on: dt.date | None = None, **texts: str) -> Assessment:
    """Save the detailed assessment (Form 03); ``complete`` marks the step done."""
    check_case_writer(user, case)
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
        start = plan_clock_start(case)
        due = due_time(start=start, amount=policy.amount, unit=policy.unit, calendar=current_calendar())
        CaseStep.objects.filter(
            case=case, step=StepCode.PLAN_DRAFT, done_at__isnull=True, cancelled_at__isnull=True
        ).update(started_at=start, due_at=due, policy=policy, policy_version=policy.version)
    if complete:
        step_done(case, StepCode.ASSESSMENT, now)
    event_add(case, user=user, kind=EventKind.ASSESSMENT, now=now)
    return assessment
