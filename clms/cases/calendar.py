"""Working days and due times.

A period in days runs by the Civil Code 2015 Arts. 147-148 (which administrative time
limits follow): the day the clock starts is not counted, and the period ends at 24:00 of
its last day.  So a report received on Friday afternoon with 2 working days to verify is
due at 24:00 on Tuesday (Monday and Tuesday are the two working days).  A period in hours
is counted from the minute of receipt, through nights and holidays: an emergency does not
wait for Monday.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from functools import cache
from importlib import resources

from django.utils import timezone

HOLIDAYS_FILE = "holidays.json"
# Kinds in the data file that are days off; "working_day" marks a Saturday worked instead.
DAY_OFF_KINDS = frozenset({"holiday", "compensatory", "swapped"})


@dataclass(frozen=True)
class Calendar:
    days_off: frozenset[dt.date] = field(default_factory=frozenset)
    working_saturdays: frozenset[dt.date] = field(default_factory=frozenset)

    def is_working_day(self, day: dt.date) -> bool:
        if day in self.working_saturdays:
            return True
        if day in self.days_off:
            return False
        return day.weekday() < 5

    def add_working_days(self, day: dt.date, n: int) -> dt.date:
        """The n-th working day after ``day`` (``day`` itself is not counted)."""
        count = 0
        while count < n:
            day += dt.timedelta(days=1)
            if self.is_working_day(day):
                count += 1
        return day

    def next_working_day(self, day: dt.date) -> dt.date:
        return self.add_working_days(day, 1)


@cache
def file_days() -> tuple[tuple[dt.date, bool], ...]:
    """(date, is_day_off) from the data file, read once per process."""
    text = resources.files("clms.cases").joinpath("data", HOLIDAYS_FILE).read_text(encoding="utf-8")
    rows = json.loads(text)["days"]
    return tuple((dt.date.fromisoformat(r["date"]), r["kind"] in DAY_OFF_KINDS) for r in rows)


def build_calendar(overrides: dict[dt.date, bool] | None = None) -> Calendar:
    """The calendar of the data file with ``overrides`` (date -> is_day_off) on top."""
    days = dict(file_days())
    days.update(overrides or {})
    return Calendar(
        days_off=frozenset(d for d, off in days.items() if off),
        working_saturdays=frozenset(d for d, off in days.items() if not off and d.weekday() >= 5),
    )


def current_calendar() -> Calendar:
    """The data file plus the Holiday rows admins have added (one query)."""
    from clms.cases.models import Holiday

    return build_calendar(dict(Holiday.objects.values_list("date", "is_day_off")))


def end_of_day(day: dt.date) -> dt.datetime:
    """24:00 of ``day`` in the local time zone (the start of the next day)."""
    return timezone.make_aware(dt.datetime.combine(day + dt.timedelta(days=1), dt.time.min))


def due_time(*, start: dt.datetime, amount: int, unit: str, calendar: Calendar) -> dt.datetime:
    if unit == "hours":
        return start + dt.timedelta(hours=amount)
    start_day = timezone.localtime(start).date()
    if unit == "working_days":
        return end_of_day(calendar.add_working_days(start_day, amount))
    if unit == "days":
        return end_of_day(start_day + dt.timedelta(days=amount))
    raise ValueError(f"unknown due-time unit {unit!r}")


def due_soon_limit(now: dt.datetime, calendar: Calendar) -> dt.datetime:
    """Steps due before this are "due soon": within 24 hours, or by the end of the next
    working day, whichever is later (so that on Friday Monday's deadlines show)."""
    next_day = calendar.next_working_day(timezone.localtime(now).date())
    return max(now + dt.timedelta(hours=24), end_of_day(next_day))
