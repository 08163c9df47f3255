"""Values, flags and the comparison with a target, shared by every indicator."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Literal

Status = Literal["met", "on_track", "off_track", "no_data"]
Breakdown = Literal["sex", "age_band", "law_age_band", "ethnicity"]
BREAKDOWNS: tuple[Breakdown, ...] = ("sex", "age_band", "law_age_band", "ethnicity")

# Flags an indicator may raise about its own figure.
ESTIMATE = "estimate"
MISSING_DENOMINATOR = "missing_denominator"
DENOMINATOR_DERIVED = "denominator_derived"
ATTENDANCE_COUNT = "attendance_count"
OVER_100 = "over_100_percent"


@dataclass(frozen=True)
class Target:
    value: Decimal
    comparator: str  # "<=", "<", ">=", ">", "=", "decrease"
    year: int
    plan: str = ""

    def met_by(self, value: float) -> bool:
        v, t = Decimal(str(value)), self.value
        return {
            "<=": v <= t,
            "<": v < t,
            ">=": v >= t,
            ">": v > t,
            "=": v == t,
        }.get(self.comparator, False)


@dataclass
class Counts:
    """Numerator and denominator per row unit and per breakdown group (None = total)."""

    numerator: dict[tuple[int, Any], int] = field(default_factory=lambda: defaultdict(int))
    denominator: dict[tuple[int, Any], int] = field(default_factory=lambda: defaultdict(int))
    flags: set[str] = field(default_factory=set)
    row_flags: dict[int, set[str]] = field(default_factory=lambda: defaultdict(set))

    def add(self, rows: Mapping[int, int], commune_id: int, group: Any, n: int, *, which: str = "numerator") -> None:
        row = rows.get(commune_id)
        if row is None:
            return
        target = self.numerator if which == "numerator" else self.denominator
        target[(row, group)] += n


@dataclass(frozen=True)
class IndicatorValue:
    code: str
    unit_id: int
    year: int
    group: Any
    numerator: int | None
    denominator: int | None
    value: float | None
    target: Target | None
    status: Status
    flags: frozenset[str]

    def as_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "unit_id": self.unit_id,
            "year": self.year,
            "group": self.group,
            "numerator": self.numerator,
            "denominator": self.denominator,
            "value": None if self.value is None else round(self.value, 2),
            "target": None
            if self.target is None
            else {"value": float(self.target.value), "comparator": self.target.comparator, "year": self.target.year, "plan": self.target.plan},
            "status": self.status,
            "flags": sorted(self.flags),
        }


def percent(numerator: int | None, denominator: int | None) -> float | None:
    if numerator is None or not denominator:
        return None
    return 100.0 * numerator / denominator


def status_of(value: float | None, target: Target | None, year: int, baseline: float | None = None) -> Status:
    """Met when the target holds now; on track when the value is where a straight line from
    the baseline to the target says it should be this year; otherwise off track."""
    if value is None:
        return "no_data"
    if target is None:
        return "no_data"
    if target.comparator == "decrease":
        if baseline is None:
            return "no_data"
        return "met" if value < baseline else "off_track"
    if target.met_by(value):
        return "met"
    if baseline is not None and year < target.year:
        span = target.year - (year - (year - 2021))  # plans start in 2021
        share = (year - 2021) / span if span else 1.0
        expected = baseline + (float(target.value) - baseline) * share
        step = Target(value=Decimal(str(round(expected, 6))), comparator=target.comparator, year=year)
        if step.met_by(value):
            return "on_track"
    return "off_track"


def merge_groups(pairs: Iterable[tuple[Any, int]]) -> dict[Any, int]:
    out: dict[Any, int] = defaultdict(int)
    for key, n in pairs:
        out[key] += n
    return dict(out)
