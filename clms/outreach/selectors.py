"""Reads of outreach: activities, attendance lists (personal data), reach, the calendar."""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal, NamedTuple

from django.db.models import Q, QuerySet

from clms.accounts.policy import RULES, Perm
from clms.employers.models import Employer
from clms.outreach.models import (
    ActivityStatus,
    Attendee,
    OutreachActivity,
    PeakPeriod,
    Reach,
    ReachGroup,
)
from clms.places.models import AdminUnit, Denominator, DenominatorGroup, Succession
from clms.places.scoping import can_write_unit, unit_q
from clms.plans import selectors as plan_selectors

if TYPE_CHECKING:
    from clms.accounts.models import User

READER_ROLES = RULES[Perm.OUTREACH_READ]
# Attendance lists name people: only those who record activities may read them.
ATTENDANCE_ROLES = RULES[Perm.ATTENDANCE_READ]


def _role(user: User) -> str:
    return "admin" if getattr(user, "is_superuser", False) else getattr(user, "role", "")


def activities_for_user(user: User) -> QuerySet[OutreachActivity]:
    """Activities in the user's area; an agency officer sees those his agency leads."""
    if not getattr(user, "is_authenticated", False) or _role(user) not in READER_ROLES:
        return OutreachActivity.objects.none()
    qs = OutreachActivity.objects.filter(unit_q(user, "unit"))
    if _role(user) == "agency_officer":
        qs = qs.filter(lead_agency=user.agency) if user.agency else qs.none()
    return qs.select_related("unit", "peak_period", "content_area")


def attendees_for_user(user: User) -> QuerySet[Attendee]:
    """Attendance lines the user may read (personal data: reads are audited by the views)."""
    if not getattr(user, "is_authenticated", False) or _role(user) not in ATTENDANCE_ROLES:
        return Attendee.objects.none()
    return Attendee.objects.filter(activity__in=activities_for_user(user)).select_related("employer", "person_unit")


def employers_for_attendance(user: User) -> QuerySet[Employer]:
    if _role(user) not in ATTENDANCE_ROLES:
        return Employer.objects.none()
    return Employer.objects.filter(unit_q(user, "commune")).order_by("name")


def can_write_activity(user: User, activity: OutreachActivity) -> bool:
    role = _role(user)
    if role == "admin":
        return True
    if role not in ("commune_officer", "supervisor", "agency_officer"):
        return False
    if role == "agency_officer" and (not user.agency or activity.lead_agency != user.agency):
        return False
    return can_write_unit(user, activity.unit)


# ---------------------------------------------------------------------------
# Reach
# ---------------------------------------------------------------------------


class ReachCount(NamedTuple):
    """``count`` people (or employers) reached and how it was counted.

    ``method`` is ``"unique"`` when every activity that reached the group has an attendance
    list, so each person or employer is counted once however many activities they attended;
    otherwise ``"attendance"``: the sum of the counts typed for each activity, which counts a
    person twice if they came twice (an upper estimate).
    """

    count: int  # type: ignore[assignment]  # shadows tuple.count on purpose: callers read .count
    method: Literal["unique", "attendance"]


def _unit_paths_q(unit: AdminUnit, field: str) -> Q:
    """Everything under the unit and, for a commune formed in 2025, under the units it absorbed."""
    paths = {unit.path}
    paths.update(
        AdminUnit.objects.filter(
            Q(pk__in=Succession.objects.filter(successor=unit).values("predecessor"))
        ).values_list("path", flat=True)
    )
    q = Q()
    for path in sorted(paths):
        q |= Q(**{f"{field}__path__startswith": path})
    return q


def held_activities(unit: AdminUnit, year: int, kinds: Iterable[str] | None = None) -> QuerySet[OutreachActivity]:
    qs = OutreachActivity.objects.filter(
        _unit_paths_q(unit, "unit"), starts_on__year=year, status=ActivityStatus.HELD
    )
    if kinds is not None:
        qs = qs.filter(kind__in=list(kinds))
    return qs


def reach(unit: AdminUnit, year: int, group: str, *, kinds: Iterable[str] | None = None) -> ReachCount:
    """People of ``group`` reached in ``unit`` (and the units it absorbed) by activities held in ``year``.

    ``kinds`` limits the activities (the TRAIN_* indicators pass ``["training"]``).  A person
    on several lists counts once: people are matched on folded name, unit and folded position,
    employers on their record.  See ``ReachCount`` for the method.
    """
    activities = held_activities(unit, year, kinds)
    counts = dict(
        Reach.objects.filter(activity__in=activities, group=group, count__gt=0).values_list("activity_id", "count")
    )
    attendees = Attendee.objects.filter(activity__in=activities, group=group)
    listed = set(attendees.values_list("activity_id", flat=True).distinct())
    contributing = set(counts) | listed
    if contributing and contributing <= listed:
        people = (
            attendees.filter(employer__isnull=True)
            .values_list("name_folded", "position_folded", "person_unit_id")
            .distinct()
            .count()
        )
        employers = attendees.filter(employer__isnull=False).values_list("employer_id").distinct().count()
        return ReachCount(people + employers, "unique")
    return ReachCount(sum(counts.values()), "attendance")


# Which denominator each reach group is measured against, where one exists.
GROUP_DENOMINATORS = {
    ReachGroup.OFFICIALS: DenominatorGroup.OFFICIALS,
    ReachGroup.TEACHERS: DenominatorGroup.TEACHERS,
    ReachGroup.PARENTS: DenominatorGroup.PARENTS,
    ReachGroup.CHILDREN: DenominatorGroup.CHILDREN_5_17,
    ReachGroup.ENTERPRISES: DenominatorGroup.ENTERPRISES,
    ReachGroup.COOPERATIVES: DenominatorGroup.COOPERATIVES,
    ReachGroup.CRAFT_HOUSEHOLDS: DenominatorGroup.CRAFT_HOUSEHOLDS,
}


@dataclass(frozen=True)
class ReachRow:
    group: str
    label: str
    count: int
    method: str
    denominator: int | None

    @property
    def percent(self) -> float | None:
        if not self.denominator:
            return None
        return round(100 * self.count / self.denominator, 1)


def reach_summary(unit: AdminUnit, year: int) -> list[ReachRow]:
    """This year's reach per group against the unit's denominators (home panel)."""
    denominators = dict(
        Denominator.objects.filter(unit=unit, year=year, group__in=list(GROUP_DENOMINATORS.values())).values_list(
            "group", "value"
        )
    )
    rows = []
    for group, label in ReachGroup.choices:
        result = reach(unit, year, group)
        denominator_group = GROUP_DENOMINATORS.get(ReachGroup(group))
        rows.append(
            ReachRow(
                group=group,
                label=str(label),
                count=result.count,
                method=result.method,
                denominator=denominators.get(denominator_group) if denominator_group else None,
            )
        )
    return rows


# ---------------------------------------------------------------------------
# Peak periods and the calendar
# ---------------------------------------------------------------------------


def _safe_date(year: int, month: int, day: int) -> dt.date:
    return dt.date(year, month, min(day, calendar.monthrange(year, month)[1]))


@dataclass(frozen=True)
class PeakOccurrence:
    period: PeakPeriod
    start: dt.date
    end: dt.date


def peak_occurrences(start: dt.date, end: dt.date) -> list[PeakOccurrence]:
    """Every yearly peak period that overlaps [start, end]."""
    found = []
    periods = list(PeakPeriod.objects.all())
    for year in range(start.year, end.year + 1):
        for period in periods:
            first = _safe_date(year, period.start_month, period.start_day)
            last = _safe_date(year, period.end_month, period.end_day)
            if first <= end and last >= start:
                found.append(PeakOccurrence(period, first, last))
    return sorted(found, key=lambda o: (o.start, o.end))


def upcoming_peaks(today: dt.date, *, days: int = 120) -> list[PeakOccurrence]:
    return [o for o in peak_occurrences(today, today + dt.timedelta(days=days)) if o.end >= today]


@dataclass(frozen=True)
class Deadline:
    day: dt.date
    label: str


def report_deadlines(user: User, start: dt.date, end: dt.date) -> list[Deadline]:
    """The yearly report deadlines of the plans that govern the user's area (data on each plan)."""
    area = getattr(user, "area", None)
    plans = plan_selectors.applicable_plans(area) if area is not None else []
    seen: set[dt.date] = set()
    deadlines = []
    for plan in plans:
        for year in range(start.year, end.year + 1):
            if not plan_selectors.plan_covers_year(plan, year):
                continue
            day = _safe_date(year, plan.report_deadline_month, plan.report_deadline_day)
            if start <= day <= end and day not in seen:
                seen.add(day)
                deadlines.append(Deadline(day, plan.issuer))
    return deadlines


@dataclass
class CalendarDay:
    day: dt.date
    in_month: bool
    peaks: list[PeakOccurrence]
    activities: list[OutreachActivity]
    deadlines: list[Deadline]


@dataclass(frozen=True)
class MonthCalendar:
    year: int
    month: int
    weeks: list[list[CalendarDay]]
    agenda: list[CalendarDay]
    previous: dt.date
    next: dt.date


def month_calendar(user: User, year: int, month: int) -> MonthCalendar:
    """A Monday-first month grid with peak periods, the user's activities and report deadlines."""
    cal = calendar.Calendar(firstweekday=0)
    days = list(cal.itermonthdates(year, month))
    first, last = days[0], days[-1]
    peaks = peak_occurrences(first, last)
    activities = list(
        activities_for_user(user)
        .filter(Q(starts_on__range=(first, last)) | Q(ends_on__isnull=False, starts_on__lte=last, ends_on__gte=first))
        .exclude(status=ActivityStatus.CANCELLED)
        .order_by("starts_on", "pk")
    )
    deadlines = report_deadlines(user, first, last)
    cells = []
    for day in days:
        cells.append(
            CalendarDay(
                day=day,
                in_month=day.month == month,
                peaks=[p for p in peaks if p.start <= day <= p.end],
                activities=[a for a in activities if a.starts_on <= day <= (a.ends_on or a.starts_on)],
                deadlines=[d for d in deadlines if d.day == day],
            )
        )
    weeks = [cells[i : i + 7] for i in range(0, len(cells), 7)]
    agenda = [
        c for c in cells if c.in_month and (c.activities or c.deadlines or any(p.start == c.day for p in c.peaks))
    ]
    month_start = dt.date(year, month, 1)
    previous = (month_start - dt.timedelta(days=1)).replace(day=1)
    following = (month_start + dt.timedelta(days=32)).replace(day=1)
    return MonthCalendar(year, month, weeks, agenda, previous, following)
