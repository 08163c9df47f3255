"""Reads of reporting periods and submissions, and the reporting chain.

The chain follows the unit hierarchy in force on the period's due date:

- up to 2024 a commune (pre-2025 list) reports to its district, a district to its province;
- from 2026 a commune (post-2025 list) reports straight to the province;
- 2025: the reform took effect on 1 July, before the 15 November deadline, so the 2025 reports
  come from the post-2025 communes and go to the province; the old communes and districts no
  longer exist on the due date and send nothing for 2025.

Reports hold figures only, no personal data; still, a unit's submission is read through
``submissions_for_user`` (the unit lies in the user's area) and a period through
``periods_for_user`` (the receiving unit lies in it).
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db.models import QuerySet

from clms.places.models import AdminUnit, Level
from clms.places.scoping import unit_q
from clms.plans.models import Plan, PlanLevel
from clms.plans.selectors import applicable_plans, applicable_targets
from clms.reports import clock, figures
from clms.reports.models import ReportingPeriod, Snapshot, Submission, SubmissionStatus

if TYPE_CHECKING:
    from clms.accounts.models import User

REPORTING_LEVELS = (Level.COMMUNE, Level.DISTRICT)
DEFAULT_DUE = (15, 11)  # day, month: the seed plan's "trước ngày 15 tháng 11 hằng năm"
# Which role sends the report of a unit of each level.
SENDER_ROLE = {Level.COMMUNE: "commune_officer", Level.DISTRICT: "supervisor"}


def sees_unit_reports(user: User) -> bool:
    """The province viewer reads the year's figures as the receiving unit's summary (the
    period page), never one unit's report."""
    return bool(getattr(user, "is_authenticated", False)) and user.role != "province_viewer"


def submissions_for_user(user: User) -> QuerySet[Submission]:
    if not sees_unit_reports(user):
        return Submission.objects.none()
    return Submission.objects.filter(unit_q(user, "unit")).select_related("unit", "period", "period__receiver", "snapshot")


def periods_for_user(user: User) -> QuerySet[ReportingPeriod]:
    if not getattr(user, "is_authenticated", False):
        return ReportingPeriod.objects.none()
    return ReportingPeriod.objects.filter(unit_q(user, "receiver")).select_related("receiver", "plan")


# ---------------------------------------------------------------------------
# The chain
# ---------------------------------------------------------------------------


def reference_day(year: int) -> dt.date:
    """The day that decides the hierarchy of a year: the usual due date."""
    day, month = DEFAULT_DUE
    return dt.date(year, month, day)


def receiver_of(unit: AdminUnit, year: int) -> AdminUnit | None:
    """Where ``unit`` sends its report for ``year``; None when it does not report that year."""
    if unit.level not in REPORTING_LEVELS or unit.parent_id is None:
        return None
    if not unit.is_valid_on(reference_day(year)):
        return None
    parent = unit.parent
    assert parent is not None  # noqa: S101 - parent_id checked above
    return parent if parent.is_valid_on(reference_day(year)) else None


def reporting_plan(unit: AdminUnit, year: int) -> Plan | None:
    """The plan that asks for the report: the nearest plan above the unit's own (a commune's own
    plan implements its district's, whose closing paragraph sets the deadline)."""
    plans = [p for p in applicable_plans(unit, year) if p.scope_level != PlanLevel.COMMUNE]
    return plans[0] if plans else None


def default_due(plan: Plan | None, year: int) -> dt.date:
    day, month = DEFAULT_DUE
    if plan is not None:
        day, month = plan.report_deadline_day, plan.report_deadline_month
    return dt.date(year, month, min(day, calendar.monthrange(year, month)[1]))


def expected_units(period: ReportingPeriod) -> list[AdminUnit]:
    """The units that owe a report in this period: ``level`` under the receiver, in force then."""
    units = AdminUnit.objects.filter(parent=period.receiver, level=period.level).order_by("code", "pk")
    return [u for u in units if u.is_valid_on(period.due_on)]


def may_send(user: User, submission: Submission) -> bool:
    """The unit's own officer (commune) or supervisor (district) sends; admins too."""
    if getattr(user, "is_admin", False):
        return True
    return user.area_id == submission.unit_id and user.role == SENDER_ROLE.get(Level(submission.unit.level))


def may_receive(user: User, period: ReportingPeriod) -> bool:
    """Only the receiving level accepts or returns: a supervisor of the receiving unit."""
    if getattr(user, "is_admin", False):
        return True
    return user.role == "supervisor" and user.area_id == period.receiver_id


def startable_units(user: User) -> list[AdminUnit]:
    """The units whose report this user may start: their own commune or district."""
    area = getattr(user, "area", None)
    if area is None or area.level not in REPORTING_LEVELS:
        return []
    if user.role != SENDER_ROLE.get(Level(area.level)):
        return []
    return [area]


# ---------------------------------------------------------------------------
# The receiving level's view
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class UnitStatus:
    unit: AdminUnit
    submission: Submission | None
    late_days: int  # 0 when not late

    @property
    def status(self) -> str:
        return self.submission.status if self.submission else "missing"

    @property
    def is_late(self) -> bool:
        return self.late_days > 0


def period_overview(period: ReportingPeriod, *, today: dt.date | None = None) -> list[UnitStatus]:
    """Every unit that owes a report, with its submission and how many days late it is.

    Late: past the due date and neither submitted nor accepted (a returned report is late again
    until it is resubmitted).  Two queries.
    """
    today = today or clock.today()
    units = expected_units(period)
    by_unit = {s.unit_id: s for s in Submission.objects.filter(period=period).select_related("unit")}
    # A unit may have reported even if it is not "expected" (e.g. a unit created after the due date).
    extra = [s.unit for uid, s in by_unit.items() if uid not in {u.pk for u in units}]
    rows = []
    for unit in [*units, *extra]:
        sub = by_unit.get(unit.pk)
        done = sub is not None and sub.status in (SubmissionStatus.SUBMITTED, SubmissionStatus.ACCEPTED)
        late = (today - period.due_on).days if (today > period.due_on and not done) else 0
        rows.append(UnitStatus(unit=unit, submission=sub, late_days=late))
    return rows


def accepted_snapshots(period: ReportingPeriod) -> list[tuple[AdminUnit, Snapshot]]:
    subs = (
        Submission.objects.filter(period=period, status=SubmissionStatus.ACCEPTED, snapshot__isnull=False)
        .select_related("unit", "snapshot")
        .order_by("unit__code", "unit__pk")
    )
    return [(s.unit, s.snapshot) for s in subs if s.snapshot is not None]


def accepted_sources(period: ReportingPeriod) -> list[dict[str, Any]]:
    """The accepted snapshots' ids and times, as the aggregate's "sources" name them, without
    reading their figures (one small query: what the report files' cache key needs)."""
    rows = (
        Submission.objects.filter(period=period, status=SubmissionStatus.ACCEPTED, snapshot__isnull=False)
        .order_by("unit__code", "unit__pk")
        .values_list("unit_id", "snapshot_id", "pk", "snapshot__taken_at")
    )
    return [{"unit_id": u, "snapshot_id": s, "submission_id": pk, "taken_at": t.isoformat()} for u, s, pk, t in rows]


def period_aggregate(period: ReportingPeriod) -> dict[str, Any]:
    """The receiver's figures from its accepted submissions only (never live records)."""
    targets = applicable_targets(period.receiver, period.year).local
    return figures.aggregate(period.receiver, period.year, accepted_snapshots(period), targets=targets)


def submission_preview(submission: Submission) -> dict[str, Any]:
    """The figures a draft would send: live for a commune, the accepted reports for a district."""
    return live_figures(submission.unit, submission.period.year)


def live_figures(unit: AdminUnit, year: int) -> dict[str, Any]:
    if unit.level == Level.DISTRICT:
        period = ReportingPeriod.objects.filter(receiver=unit, year=year).first()
        if period is not None:
            return period_aggregate(period)
    return figures.unit_figures(unit, year)
