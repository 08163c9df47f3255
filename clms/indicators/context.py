"""What every indicator computation gets: the rows, the period, the breakdown, the clock."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from django.db.models import Case, CharField, F, IntegerField, Value, When
from django.utils import timezone

from clms.indicators.base import Breakdown, Counts
from clms.indicators.units import UnitMap

T = TypeVar("T")

AGE_BANDS = ("5-11", "12-14", "15-17")
LAW_AGE_BANDS = ("<13", "13-14", "15-17")
SEXES = ("M", "F")


def year_start(year: int) -> dt.datetime:
    """Midnight of 1 January, local time (Asia/Ho_Chi_Minh): the calendar year of a record
    is the local one, so a report at 23:30 on 31 December belongs to that year."""
    return timezone.make_aware(dt.datetime(year, 1, 1))  # noqa: DTZ001 - made aware in the local zone


@dataclass
class Context:
    umap: UnitMap
    year: int
    by: Breakdown | None = None
    # The moment the figures are read at: the end of the period, or now for the current year.
    as_of: dt.datetime = field(default_factory=timezone.now)
    memo: dict[str, Any] = field(default_factory=dict)

    @property
    def first_day(self) -> dt.date:
        return dt.date(self.year, 1, 1)

    @property
    def last_day(self) -> dt.date:
        return dt.date(self.year, 12, 31)

    @property
    def today(self) -> dt.date:
        return timezone.localdate(self.as_of)

    def once(self, key: str, compute: Callable[[], T]) -> T:
        """Share one query between indicators that read the same rows (CL_RATE and
        HAZARDOUS_SHARE)."""
        if key not in self.memo:
            self.memo[key] = compute()
        return self.memo[key]  # type: ignore[no-any-return,unused-ignore]

    def add(self, counts: Counts, commune_id: int, group: Any, n: int, *, which: str = "numerator") -> None:
        """Count ``n`` for a record commune: in its row (if one takes it) and in the total,
        for the group and, under a breakdown, for the whole row as well."""
        groups = [None] if group is None else [group, None]
        if group is not None:
            counts.groups.add(group)
        row = self.umap.row_of.get(commune_id)
        in_scope = row is not None or commune_id in self.umap.unattributed
        for g in groups:
            if which == "numerator":
                if row is not None:
                    counts.numerator[(row, g)] += n
                if in_scope:
                    counts.total_numerator[g] += n
            else:
                if row is not None:
                    counts.denominator[(row, g)] = counts.denominator.get((row, g), 0) + n
                if in_scope:
                    counts.total_denominator[g] = counts.total_denominator.get(g, 0) + n


def period_as_of(year: int, as_of: dt.datetime | None = None) -> dt.datetime:
    """The end of the year (local), or ``as_of``/now when that comes first."""
    end = year_start(year + 1)
    moment = as_of or timezone.now()
    return min(end, moment)


def age_at(day: dt.date, dob_field: str) -> Case:
    """Completed years on ``day`` of a person born on ``dob_field``, 0-18 (18 = 18 or more)."""
    whens = []
    for age in range(1, 19):
        try:
            birthday = day.replace(year=day.year - age)
        except ValueError:  # 29 February
            birthday = day.replace(year=day.year - age, day=28)
        whens.append(When(**{f"{dob_field}__gt": birthday}, then=Value(age - 1)))
    return Case(*whens, default=Value(18), output_field=IntegerField())


def age_band(age: Any, law: bool) -> Case:
    """The plan's bands (5-11, 12-14, 15-17) or the Labour Code's (<13, 13-14, 15-17)."""
    if law:
        return Case(
            When(**{f"{age}__lt": 13}, then=Value("<13")),
            When(**{f"{age}__lt": 15}, then=Value("13-14")),
            default=Value("15-17"),
            output_field=CharField(),
        )
    return Case(
        When(**{f"{age}__lte": 11}, then=Value("5-11")),
        When(**{f"{age}__lte": 14}, then=Value("12-14")),
        default=Value("15-17"),
        output_field=CharField(),
    )


def group_expr(by: Breakdown | None, *, child: str, age: str) -> Any:
    """The breakdown group of a row: ``child`` is the path to the child ("" or
    "observation__child__"), ``age`` the name of an age annotation or field."""
    if by is None:
        return Value("", output_field=CharField())
    if by == "sex":
        return F(f"{child}sex")
    if by == "ethnicity":
        return F(f"{child}ethnicity")
    return age_band(age, law=by == "law_age_band")


def expected_groups(by: Breakdown | None) -> tuple[str, ...]:
    if by == "sex":
        return SEXES
    if by == "age_band":
        return AGE_BANDS
    if by == "law_age_band":
        return LAW_AGE_BANDS
    return ()
