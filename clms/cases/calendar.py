"""Working days and due times.

A period in days runs by the Civil Code 2015 Arts. 147-148 (which administrative time
limits follow): the day the clock starts is not counted, and the period ends at 24:00 of
its last day.  So a report received on Friday afternoon with 2 working days to verify is
due at 24:00 on Tuesday (Monday and Tuesday are the two working days).  A period in hours
is counted from the minute of receipt, through nights and holidays: an emergency does not
wait for Monday.

Days off come from the ``holidays`` package (country VN, every year: the Labour Code 2019
Art. 112 holidays, the compensatory days of Art. 112(3), and the days off the government
swaps for a Saturday worked, as the package's maintainers record them), with the ``Holiday``
table on top for local corrections and days off decided after the package release: a row
for a date overrides the package (``is_day_off`` false makes it a working day).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache

import holidays
from django.utils import timezone

COUNTRY = "VN"


@cache
def package_year(year: int) -> tuple[dict[dt.date, str], frozenset[dt.date]]:
    """(days off with their Vietnamese names, Saturdays/Sundays worked) of one year."""
    days = holidays.country_holidays(COUNTRY, years=year, language="vi")
    off = {d: str(name) for d, name in sorted(days.items()) if d.year == year}
    worked = frozenset(d for d in getattr(days, "weekend_workdays", ()) if d.year == year)
    return off, worked


@dataclass(frozen=True)
class Calendar:
    # Holiday rows: date -> is_day_off; they override the package.
    overrides: Mapping[dt.date, bool] = field(default_factory=dict)

    def is_working_day(self, day: dt.date) -> bool:
        override = self.overrides.get(day)
        if override is not None:
            return not override
        off, worked = package_year(day.year)
        if day in worked:
            return True
        if day in off:
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


def build_calendar(overrides: Mapping[dt.date, bool] | None = None) -> Calendar:
    """The package's calendar with ``overrides`` (date -> is_day_off) on top."""
    return Calendar(overrides=dict(overrides or {}))


def current_calendar() -> Calendar:
    """The package plus the Holiday rows admins have added (one query)."""
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
