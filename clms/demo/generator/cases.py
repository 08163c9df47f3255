"""Generated cases: the rows clms.cases.services would have written, computed in memory.

A case runs through the state machine of clms.cases.services.TRANSITIONS with realistic
delays (some steps late, some never done), and stops at the first moment that lies after
"now": recent cases are therefore still reported or being verified, older ones monitored
or closed.  Steps are opened and closed exactly as the services do (which step becomes
due at which transition, the clock start of each, due times from the DuePolicy defaults
and clms.cases.calendar), so the TIMELY and MONITORED indicators read them like real data.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.utils import timezone

from clms.accounts.models import Agency
from clms.cases.calendar import Calendar, due_time
from clms.cases.models import (
    Assessment,
    Case,
    CaseEvent,
    CasePlan,
    CaseStep,
    ClosureReason,
    DuePolicy,
    EventKind,
    FollowUp,
    PlanService,
    Referral,
    ReferralStatus,
    Report,
    ReporterIdentity,
    Source,
    StartEvent,
    State,
    StepCode,
)
from clms.cases.services.common import moment_of
from clms.demo.generator.fast import local_time, new
from clms.people.models import Child, SchoolStatus, Visit, WorkObservation
from clms.places.models import AdminUnit

if TYPE_CHECKING:
    from clms.accounts.models import User

SOURCES = [
    (Source.COLLABORATOR, 34), (Source.SCHOOL, 15), (Source.COMMUNE, 14), (Source.REGISTER, 10),
    (Source.HOTLINE, 8), (Source.COMMUNITY, 10), (Source.POLICE, 5), (Source.INSPECTION, 4),
]
REPORTERS = ["Nguyễn Thị Hạnh", "Lê Văn Tâm", "Trần Thị Huệ", "Phạm Văn Sơn", "Hoàng Thị Lý"]
RELATIONSHIPS = ["Hàng xóm", "Giáo viên chủ nhiệm", "Trưởng thôn", "Người thân", "Cộng tác viên thôn"]
# (service type, provider agency, provider at the commune (True) or the level above)
SERVICES = [
    ("return_to_school", Agency.EDUCATION, False), ("livelihood", Agency.LABOUR, True),
    ("counselling", Agency.LABOUR, True), ("health_check", Agency.HEALTH, True),
    ("vocational_training", Agency.LABOUR, False), ("legal_aid", Agency.JUSTICE, False),
]


@dataclass
class CaseRows:
    report: Report
    identity: ReporterIdentity | None
    case: Case
    events: list[CaseEvent] = field(default_factory=list)
    steps: list[CaseStep] = field(default_factory=list)
    assessment: Assessment | None = None
    plan: CasePlan | None = None
    services: list[PlanService] = field(default_factory=list)
    referrals: list[Referral] = field(default_factory=list)
    follow_ups: list[FollowUp] = field(default_factory=list)
    # Observations and visits the follow-up visits recorded in the register.
    observations: list[WorkObservation] = field(default_factory=list)
    visits: list[Visit] = field(default_factory=list)


class _Run:
    """One case as it moves: opens and closes steps the way clms.cases.services does."""

    def __init__(self, rows: CaseRows, *, by: User, calendar: Calendar, policies: dict[str, DuePolicy]) -> None:
        self.rows = rows
        self.by = by
        self.calendar = calendar
        self.policies = policies
        self.seq: dict[str, int] = {}

    def event(self, kind: str, at: dt.datetime, *, from_state: str = "", to_state: str = "", note: str = "") -> None:
        self.rows.events.append(
            new(CaseEvent, case=self.rows.case, kind=kind, from_state=from_state, to_state=to_state, at=at, by=self.by, note=note)
        )

    def move(self, kind: str, at: dt.datetime, to_state: str, note: str = "") -> None:
        self.event(kind, at, from_state=self.rows.case.state, to_state=to_state, note=note)
        self.rows.case.state = to_state

    def open(self, step: str, start: dt.datetime) -> CaseStep:
        policy = self.policies[step]
        self.seq[step] = self.seq.get(step, 0) + 1
        row = new(CaseStep,
            case=self.rows.case, step=step, seq=self.seq[step], started_at=start,
            due_at=due_time(start=start, amount=policy.amount, unit=policy.unit, calendar=self.calendar),
            statutory=policy.statutory, policy=policy, policy_version=policy.version,
            rule=f"{policy.amount} {policy.unit} from {policy.start_event}", created_at=start,
        )
        self.rows.steps.append(row)
        return row

    def done(self, step: str, at: dt.datetime) -> bool:
        hit = False
        for row in self.rows.steps:
            if row.step == step and row.done_at is None and row.cancelled_at is None:
                row.done_at = at
                hit = True
        return hit

    def cancel_all(self, at: dt.datetime) -> None:
        for row in self.rows.steps:
            if row.done_at is None and row.cancelled_at is None:
                row.cancelled_at = at


def _midnight(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time.min, tzinfo=timezone.get_default_timezone())


@dataclass
class _Story:
    """What the steps of one generated case share: how it goes (``stall``, ``slow``) and
    what it has built so far (``rows``)."""

    rng: random.Random
    child: Child
    case: Case
    rows: CaseRows
    run: _Run
    now: dt.datetime
    received: dt.datetime
    officer: User | None
    calendar: Calendar
    policies: dict[str, DuePolicy]
    provider_above: AdminUnit | None
    emergency: bool
    stall: str | None
    slow: bool
    confirmed: bool
    plan_step: CaseStep | None = None


def _verify(s: _Story, t: dt.datetime) -> dt.datetime | None:
    """Verification: the case confirmed (or not) and the first risk noted; None when it stops here."""
    rng, case, run, now = s.rng, s.case, s.run, s.now
    received, emergency, stall, slow = s.received, s.emergency, s.stall, s.slow
    t = received + dt.timedelta(hours=rng.choice([2, 3, 5, 8, 10] if not slow else [14, 20, 30, 48]))
    if t > now:
        return None
    case.initial_risk = rng.choice(["medium", "high", "high"])
    case.initial_note = "Đã gặp trẻ và gia đình, đánh giá nguy cơ ban đầu."
    if emergency:
        case.emergency_measures = "Đưa trẻ ra khỏi nơi làm việc, giao cho ông bà chăm sóc tạm thời."
    run.move(EventKind.VERIFY, t, State.VERIFYING, note=case.initial_note)
    run.done(StepCode.INITIAL_ASSESSMENT, t)
    if emergency:
        run.done(StepCode.EMERGENCY, t)
    if not s.confirmed:
        t += dt.timedelta(days=rng.choice([1, 2, 3, 6]))
        if t > now:
            return None
        run.move(EventKind.NOT_CONFIRM, t, State.NOT_CONFIRMED, note="Trẻ chỉ phụ giúp gia đình ít giờ, không phải lao động trẻ em.")
        case.closed_at = t
        run.done(StepCode.VERIFICATION, t)
        run.cancel_all(t)
        return None
    if stall == State.VERIFYING:
        return None
    return t


def _assess(s: _Story, t: dt.datetime) -> dt.datetime | None:
    """The assessment opened; None when the case stops here."""
    rng, case, rows, run, now = s.rng, s.case, s.rows, s.run, s.now
    received, stall, slow = s.received, s.stall, s.slow
    t += dt.timedelta(days=rng.choice([0, 1, 1, 2] if not slow else [3, 5, 8]), hours=rng.randint(1, 5))
    if t > now:
        return None
    run.move(EventKind.ASSESS, t, State.ASSESSED)
    run.done(StepCode.VERIFICATION, t)
    run.done(StepCode.INITIAL_ASSESSMENT, t)
    assessment = new(Assessment, case=case)
    rows.assessment = assessment
    run.open(StepCode.ASSESSMENT, received)
    plan_step = run.open(StepCode.PLAN_DRAFT, received)
    if stall == State.ASSESSED:
        return None
    s.plan_step = plan_step
    return t


def _draft_plan(s: _Story, t: dt.datetime) -> dt.datetime | None:
    """The needs meeting, the assessment filled in and the plan drafted and submitted."""
    rng, case, rows, run, now = s.rng, s.case, s.rows, s.run, s.now
    officer, calendar, policies, stall, slow = s.officer, s.calendar, s.policies, s.stall, s.slow
    provider_above, assessment, plan_step = s.provider_above, rows.assessment, s.plan_step
    if assessment is None or plan_step is None:
        raise RuntimeError("a plan is drafted only after the assessment")
    t += dt.timedelta(days=rng.choice([1, 2, 3] if not slow else [4, 6, 9]))
    if t > now:
        return None
    meeting = local_time(t).date()
    assessment.child_state = "Sức khỏe bình thường, gầy, hay mệt mỏi."
    assessment.family = "Gia đình khó khăn, bố mẹ làm ăn xa."
    assessment.risks = "Tiếp tục bỏ học và làm việc nặng."
    assessment.school = "Nghỉ học nhiều buổi từ đầu năm học."
    assessment.needs = "Trở lại trường, hỗ trợ sinh kế cho gia đình."
    assessment.child_views = "Em muốn đi học lại."
    assessment.parent_views = "Gia đình đồng ý nếu được hỗ trợ."
    assessment.risk_level = case.initial_risk
    assessment.needs_meeting_on = meeting
    assessment.completed_at = t
    assessment.assessed_by = officer
    policy = policies[StepCode.PLAN_DRAFT]
    if policy.start_event == StartEvent.NEEDS_MEETING_OR_RECEIVED:
        start = _midnight(meeting)
        plan_step.started_at = start
        plan_step.due_at = due_time(start=start, amount=policy.amount, unit=policy.unit, calendar=calendar)
    run.event(EventKind.ASSESSMENT, t)
    run.done(StepCode.ASSESSMENT, t)
    plan = new(CasePlan, case=case, goals="Em trở lại trường và không tiếp tục làm công việc nguy hiểm.", drafted_on=meeting)
    rows.plan = plan
    for service_type, agency, local in rng.sample(SERVICES, k=rng.choice([1, 2, 2, 3])):
        rows.services.append(
            new(PlanService,
                plan=plan, service_type=service_type, agency=agency,
                provider_unit=case.commune if local or provider_above is None else provider_above,
                due_on=meeting + dt.timedelta(days=rng.choice([30, 45, 60])),
            )
        )

    t += dt.timedelta(days=rng.choice([1, 2, 3, 4] if not slow else [6, 8, 10]))
    if t > now:
        case.state = State.ASSESSED
        return None
    run.move(EventKind.PLAN, t, State.PLANNED)
    plan.submitted_at = t
    run.done(StepCode.PLAN_DRAFT, t)
    run.open(StepCode.PLAN_APPROVAL, t)
    if stall == State.PLANNED:
        return None
    return t


def _approve_and_refer(s: _Story, t: dt.datetime) -> dt.datetime | None:
    """The plan approved, its services referred and the intervention started."""
    rng, case, rows, run, now = s.rng, s.case, s.rows, s.run, s.now
    officer, stall, slow, plan = s.officer, s.stall, s.slow, rows.plan
    if plan is None:
        raise RuntimeError("a plan is approved only once drafted")
    t += dt.timedelta(days=rng.choice([1, 1, 2] if not slow else [3, 5]))
    if t > now:
        return None
    approved_on = local_time(t).date()
    plan.approved_on = approved_on
    plan.decision_number = f"{rng.randint(10, 450)}/QĐ-UBND"
    plan.approver_name = "Chủ tịch UBND xã"
    plan.approval_recorded_by = officer
    run.event(EventKind.APPROVE_PLAN, t, from_state=State.PLANNED, to_state=State.PLANNED, note=plan.decision_number)
    run.done(StepCode.PLAN_APPROVAL, moment_of(approved_on, t))
    for service in rows.services:
        referral = new(Referral,
            case=case, plan_service=service, service_type=service.service_type, agency=service.agency,
            provider_unit=service.provider_unit, due_on=service.due_on, sent_at=t, sent_by=officer,
        )
        answered = t + dt.timedelta(days=rng.randint(2, 25))
        if answered <= now and rng.random() < 0.85:
            referral.answered_at = answered
            outcome = rng.choices(
                [ReferralStatus.DELIVERED, ReferralStatus.ACCEPTED, ReferralStatus.REFUSED], weights=[70, 22, 8]
            )[0]
            referral.status = outcome
            if outcome == ReferralStatus.DELIVERED:
                referral.delivered_on = local_time(answered).date()
            elif outcome == ReferralStatus.REFUSED:
                referral.refusal_reason = "Không đủ kinh phí hỗ trợ trong năm."
            rows.events.append(new(CaseEvent, case=case, kind=EventKind.REFERRAL, at=answered, note=service.service_type))
        rows.referrals.append(referral)
    t += dt.timedelta(minutes=5)
    run.move(EventKind.START_INTERVENTION, t, State.INTERVENING)
    if stall == State.INTERVENING:
        return None
    return t


def _monitor(s: _Story, t: dt.datetime) -> dt.datetime | None:
    """Follow-up visits about monthly, until the case closes as resolved (or now comes)."""
    rng, case, rows, run, now = s.rng, s.case, s.rows, s.run, s.now
    child, officer, stall = s.child, s.officer, s.stall
    t += dt.timedelta(days=rng.randint(10, 40))
    if t > now:
        return None
    run.move(EventKind.START_MONITORING, t, State.MONITORING)
    run.open(StepCode.FOLLOW_UP, t)
    passes = 0
    previous_on: dt.date | None = None
    # A stalled case stops being visited after a few visits: its follow-up falls overdue.
    visits_left = rng.randint(0, 3) if stall == State.MONITORING else 10_000
    while visits_left > 0:
        visits_left -= 1
        # Visits about monthly; one in ten is late.
        t += dt.timedelta(days=rng.choice([21, 26, 28, 30, 30]) if rng.random() < 0.9 else rng.choice([38, 45, 60]))
        if t > now:
            return None
        visited_on = local_time(t).date()
        working = rng.random() < (0.25 if passes == 0 else 0.1)
        school = SchoolStatus.ATTENDING if not working or rng.random() < 0.5 else SchoolStatus.IRREGULAR
        observation = new(WorkObservation,
            child=child, commune=child.commune, observed_on=visited_on, observed_by=officer,
            activity="NONE", job_description="Thăm theo dõi: trẻ không còn làm việc.", created_at=t,
        )
        if working:
            observation.activity = "FAMILY_FARM"
            observation.job_code = "TT09.II.10"
            observation.hours_per_day = 5
            observation.days_per_week = 6
            observation.harms_study_health_safety = True
            observation.job_description = "Thăm theo dõi: trẻ vẫn phụ giúp gia đình nhiều giờ."
        visit = new(Visit,
            child=child, visited_on=visited_on, visited_by=officer, still_working=working, school_status=school,
            observation=observation, note="Thăm theo dõi theo kế hoạch hỗ trợ.", created_at=t,
        )
        rows.observations.append(observation)
        rows.visits.append(visit)
        rows.follow_ups.append(
            new(FollowUp,
                case=case, visited_on=visited_on, still_working=working, school_status=school,
                work=observation.job_description if working else "", observation=observation, visit=visit,
                note="Em đi học đều." if not working else "Nhắc nhở gia đình.", recorded_by=officer, created_at=t,
            )
        )
        at = moment_of(visited_on, t)
        if run.done(StepCode.FOLLOW_UP, at):
            run.open(StepCode.FOLLOW_UP, at)
        run.event(EventKind.FOLLOW_UP, t)
        # Only the law's closure rule closes a case as resolved: two passing visits in a row
        # (clms.cases.services.may_close_as_resolved); the generator lets the caller check
        # the category once the observation is classified, so it only counts here.
        passes = passes + 1 if not working and school == SchoolStatus.ATTENDING else 0
        # The two visits must also be the 30-day follow-up interval apart (the default policy).
        apart = previous_on is not None and (visited_on - previous_on).days >= 30
        previous_on = visited_on
        if stall == State.MONITORING or passes < 2 or not apart or rng.random() < 0.35:
            continue
        t += dt.timedelta(hours=2)
        if t > now:
            return None
        reason = rng.choices(
            [ClosureReason.NO_LONGER_CHILD_LABOUR, ClosureReason.MOVED_AWAY, ClosureReason.TRANSFERRED], weights=[90, 7, 3]
        )[0]
        case.closure_reason = reason
        case.closure_note = "" if reason == ClosureReason.NO_LONGER_CHILD_LABOUR else "Gia đình chuyển đi nơi khác."
        case.closed_at = t
        run.move(EventKind.CLOSE, t, State.CLOSED)
        run.cancel_all(t)
        return None
    return t


def build_case(
    rng: random.Random,
    *,
    child: Child,
    received: dt.datetime,
    what_seen: str,
    now: dt.datetime,
    by: User,
    officer: User | None,
    calendar: Calendar,
    policies: dict[str, DuePolicy],
    confirmed: bool,
    provider_above: AdminUnit | None,
) -> CaseRows:
    """A report about ``child`` received at ``received`` and its case as it stands at ``now``."""
    emergency = rng.random() < 0.08
    source = rng.choices([s for s, _w in SOURCES], weights=[w for _s, w in SOURCES])[0]
    report = new(Report,
        source=source, received_at=received, commune=child.commune, village=child.village, what_seen=what_seen,
        emergency=emergency, filed_by=by, created_at=received + dt.timedelta(minutes=20),
    )
    identity = None
    if source in (Source.COMMUNITY, Source.HOTLINE, Source.COLLABORATOR) and rng.random() < 0.6:
        identity = new(ReporterIdentity, report=report, name=rng.choice(REPORTERS), relationship=rng.choice(RELATIONSHIPS))
    case = new(Case,
        report=report, child=child, commune=child.commune, village=child.village, state=State.REPORTED,
        emergency=emergency, received_at=received, assigned_to=officer, created_at=received + dt.timedelta(minutes=20),
    )
    rows = CaseRows(report=report, identity=identity, case=case)
    run = _Run(rows, by=officer or by, calendar=calendar, policies=policies)
    opened = received + dt.timedelta(minutes=20)
    run.event(EventKind.OPENED, opened, to_state=State.REPORTED)
    if emergency:
        run.open(StepCode.EMERGENCY, received)
    run.open(StepCode.INITIAL_ASSESSMENT, received)
    run.open(StepCode.VERIFICATION, received)

    # How this case goes: a few stall at a stage (the officer left, the family moved).
    stall = rng.choices(
        [None, State.VERIFYING, State.ASSESSED, State.PLANNED, State.INTERVENING, State.MONITORING],
        weights=[83, 4, 3, 3, 4, 3],
    )[0]
    slow = rng.random() < 0.15  # a slow officer: late on most steps
    s = _Story(
        rng=rng, child=child, case=case, rows=rows, run=run, now=now, received=received, officer=officer,
        calendar=calendar, policies=policies, provider_above=provider_above, emergency=emergency, stall=stall,
        slow=slow, confirmed=confirmed,
    )
    t = received
    for step in (_verify, _assess, _draft_plan, _approve_and_refer, _monitor):
        after = step(s, t)
        if after is None:
            break
        t = after
    return rows
