"""Values, flags and the comparison with a target, shared by every indicator."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, Literal

Status = Literal["met", "on_track", "off_track", "no_data"]
STATUSES: tuple[Status, ...] = ("met", "on_track", "off_track", "no_data")
Breakdown = Literal["sex", "age_band", "law_age_band", "ethnicity"]
BREAKDOWNS: tuple[Breakdown, ...] = ("sex", "age_band", "law_age_band", "ethnicity")

# The year the plans measure progress from: the straight line to a target starts here.
BASELINE_YEAR = 2021

# Flags an indicator may raise about its own figure.
ESTIMATE = "estimate"
MISSING_DENOMINATOR = "missing_denominator"
DENOMINATOR_DERIVED = "denominator_derived"
ATTENDANCE_COUNT = "attendance_count"
OVER_100 = "over_100_percent"
STATUTORY_AND_POLICY = "statutory_and_policy_steps"
FLAGS = (ESTIMATE, MISSING_DENOMINATOR, DENOMINATOR_DERIVED, ATTENDANCE_COUNT, OVER_100, STATUTORY_AND_POLICY)

LOWER_IS_BETTER = frozenset({"<=", "<"})


@dataclass(frozen=True)
class Target:
    """A plan's target as the indicators compare with it.

    ``value`` is a percentage, None for a "decrease" target (which has no figure: it is met
    when the value falls below the baseline year's)."""

    value: Decimal | None
    comparator: str  # "<=", "<", ">=", ">", "=", "decrease"
    year: int
    plan: str = ""

    def met_by(self, value: float) -> bool:
        if self.value is None:
            return False
        v, t = Decimal(str(value)), self.value
        return {
            "<=": v <= t,
            "<": v < t,
            ">=": v >= t,
            ">": v > t,
            "=": v == t,
        }.get(self.comparator, False)

    def as_dict(self) -> dict[str, Any]:
        return {
            "value": None if self.value is None else float(self.value),
            "comparator": self.comparator,
            "year": self.year,
            "plan": self.plan,
        }


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
            "value": None if self.value is None else float(rounded(self.value, rate_places(self.value, self.target, 2))),
            "target": None if self.target is None else self.target.as_dict(),
            "status": self.status,
            "flags": sorted(self.flags),
        }


@dataclass
class Counts:
    """Numerator and denominator of one indicator, per row unit and per breakdown group
    (group None = all), and for the scope as a whole (``total_*``, keyed by group).

    A denominator absent from ``denominator`` is missing (no figure), which is not the same
    as zero.  ``flags`` hold for every cell; ``cell_flags`` for one (row or None for the
    total, group)."""

    numerator: dict[tuple[int, Any], int] = field(default_factory=lambda: defaultdict(int))
    denominator: dict[tuple[int, Any], int] = field(default_factory=dict)
    total_numerator: dict[Any, int] = field(default_factory=lambda: defaultdict(int))
    total_denominator: dict[Any, int] = field(default_factory=dict)
    flags: set[str] = field(default_factory=set)
    cell_flags: dict[tuple[int | None, Any], set[str]] = field(default_factory=lambda: defaultdict(set))
    # Groups seen or expected, so that a breakdown lists a group even where it counts zero.
    groups: set[Any] = field(default_factory=set)

    def flags_for(self, row: int | None, group: Any = None) -> frozenset[str]:
        return frozenset(self.flags | self.cell_flags.get((row, group), set()))


def rounded(value: float, places: int) -> Decimal:
    """Half-up rounding, as a person reads a figure (0,525 -> 0,53)."""
    return Decimal(repr(value)).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def rate_places(value: float | None, target: Target | None, minimum: int = 1, maximum: int = 4) -> int:
    """Decimals a rate needs so that the figure shown agrees with its status badge.

    One decimal usually; more when the rounded figure would compare with the target
    differently from the exact one: 0,52 % against "≤ 0,5 %" (off track) must not show as
    "0,5 %", nor 89,96 % against "≥ 90 %" as "90,0 %".  Used by the pages, the JSON of
    ``manage.py indicators`` and the report documents alike."""
    if value is None:
        return minimum
    # A rate that is not zero never shows as "0,0 %": 5 children in 56.176 shows as 0,01 %.
    while minimum < maximum and value and not rounded(value, minimum):
        minimum += 1
    if target is None or target.value is None:
        return minimum
    exact = target.met_by(value)
    for places in range(minimum, maximum + 1):
        if target.met_by(float(rounded(value, places))) == exact:
            return places
    return maximum


def percent(numerator: int | None, denominator: int | None) -> float | None:
    if numerator is None or not denominator:
        return None
    return 100.0 * numerator / denominator


def status_of(value: float | None, target: Target | None, year: int, baseline: float | None = None) -> Status:
    """The status of a value against a target (the rule is stated in clms.indicators.compute)."""
    if value is None or target is None:
        return "no_data"
    if target.comparator == "decrease":
        if baseline is None:
            return "no_data"
        return "met" if value < baseline else "off_track"
    if target.met_by(value):
        return "met"
    if target.value is None or baseline is None or year >= target.year or year < BASELINE_YEAR:
        return "off_track"
    share = (year - BASELINE_YEAR) / (target.year - BASELINE_YEAR)
    expected = baseline + (float(target.value) - baseline) * share
    # A float tolerance so that a value exactly on the line is not lost to rounding.
    if target.comparator in LOWER_IS_BETTER:
        return "on_track" if value <= expected + 1e-9 else "off_track"
    if target.comparator in (">=", ">"):
        return "on_track" if value >= expected - 1e-9 else "off_track"
    return "off_track"


def merge_groups(pairs: Iterable[tuple[Any, int]]) -> dict[Any, int]:
    out: dict[Any, int] = defaultdict(int)
    for key, n in pairs:
        out[key] += n
    return dict(out)
