"""The indicators of DESIGN §5, computed live from the records, and the tables built of them.

Rows and periods
    A table has a *scope* (any unit) and *rows*: the communes under it (or the districts of a
    province in the before-2025 structure), in the structure asked for.  Records carry the
    commune they were made in, old or new; ``clms.indicators.units`` maps each record commune
    to one row through the 2025 succession links, so any year reads in either structure.  The
    *total* is the scope as a whole, including communes no row can take.  The period is the
    calendar year in local time (Asia/Ho_Chi_Minh); figures are read at the end of the year,
    or at ``as_of`` (default now) when that comes first.

Disaggregation
    ``by`` breaks every indicator built on children or cases down by the child's sex,
    ethnicity, the plan's age bands (5-11, 12-14, 15-17) or the Labour Code's (<13, 13-14,
    15-17); ages are completed years on the day the definition names.  Population figures
    exist by sex and by the plan's bands only, so the law's bands and ethnicity give counts
    with ``missing_denominator``.  Outreach reach has no breakdown.

Status (``base.status_of``)
    - ``met``: the target's comparator holds for the value (a "decrease" target: the value is
      below the 2021 value of the same row and group);
    - ``on_track``: not met, the year is before the target year, and the value is on or
      better than the straight line from the 2021 value (the baseline, computed in the same
      call) to the target at the target year;
    - ``off_track``: otherwise;
    - ``no_data``: no value (no denominator, or nothing to divide) or no target.

Over 100 percent
    A coverage figure above its denominator (more people trained than the population figure
    says exist) is reported as computed, not capped, with ``over_100_percent``: capping would
    hide a wrong denominator or double-counted attendance, which is what the flag asks someone
    to check.  The status still compares the uncapped value.

Queries
    Every indicator is one or a few aggregate queries grouped by record commune, whatever the
    number of rows or records: nothing personal is loaded into Python.  A whole table costs a
    fixed number of queries plus a few per distinct set of plans that apply to the rows; the
    tests pin the counts.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from clms.indicators import facts
from clms.indicators.base import (
    ATTENDANCE_COUNT,
    BASELINE_YEAR,
    ESTIMATE,
    MISSING_DENOMINATOR,
    OVER_100,
    STATUTORY_AND_POLICY,
    Breakdown,
    Counts,
    IndicatorValue,
    Target,
    percent,
    status_of,
)
from clms.indicators.casework import monitored_counts, timely_counts
from clms.indicators.context import Context, period_as_of
from clms.indicators.denominators import load_denominators
from clms.indicators.reach import ALL_REACH_GROUPS, REACH, ReachTable, reach_table
from clms.indicators.register import child_labour_counts, edu_access_counts
from clms.indicators.registry import CODES, INDICATORS
from clms.indicators.targets import TargetSource, targets_for_units
from clms.indicators.units import Structure, UnitMap, build_unit_map
from clms.places.models import AdminUnit, DenominatorGroup

# Denominator groups of the indicators divided by a population figure, per breakdown group.
CHILD_DENOMINATORS: dict[Breakdown | None, dict[Any, list[str]]] = {
    None: {None: [DenominatorGroup.CHILDREN_5_17]},
    "sex": {"M": [DenominatorGroup.CHILDREN_5_17_MALE], "F": [DenominatorGroup.CHILDREN_5_17_FEMALE]},
    "age_band": {
        "5-11": [DenominatorGroup.CHILDREN_5_11],
        "12-14": [DenominatorGroup.CHILDREN_12_14],
        "15-17": [DenominatorGroup.CHILDREN_15_17],
    },
    # The Labour Code's bands: under 13 (from 5), 13-14, 15-17.
    "law_age_band": {
        "<13": [DenominatorGroup.CHILDREN_5_12],
        "13-14": [DenominatorGroup.CHILDREN_13_14],
        "15-17": [DenominatorGroup.CHILDREN_15_17],
    },
}

ALL_DENOMINATOR_GROUPS = sorted(
    {g for groups in CHILD_DENOMINATORS.values() for gs in groups.values() for g in gs}
    | {g for _, groups, _ in REACH.values() for g in groups}
)


# ---------------------------------------------------------------------------
# Denominators
# ---------------------------------------------------------------------------


def _population(ctx: Context, counts: Counts, by_group: dict[Any, list[str]]) -> None:
    """Fill the denominators of every row, the total and each group from population figures."""
    dens = ctx.once("denominators", lambda: load_denominators(ctx, ALL_DENOMINATOR_GROUPS))
    wanted: dict[Any, list[str]] = {None: by_group.get(None, [])}
    for group in counts.groups:
        wanted[group] = by_group.get(group, [])
    for row in [*(r.pk for r in ctx.umap.rows), None]:
        for group, groups in wanted.items():
            if not groups:
                counts.cell_flags[(row, group)].add(MISSING_DENOMINATOR)
                continue
            found = dens.total(groups) if row is None else dens.row(row, groups)
            counts.cell_flags[(row, group)].update(found.flags)
            if found.value is None:
                continue
            if row is None:
                counts.total_denominator[group] = found.value
            else:
                counts.denominator[(row, group)] = found.value


# ---------------------------------------------------------------------------
# One function per indicator
# ---------------------------------------------------------------------------


def cl_rate(ctx: Context) -> Counts:
    """CL_RATE, child labour rate among children aged 5-17 (lower is better).

    Numerator: registered children (not merged away) whose *latest* observation of the
    calendar year made while they were 5-17 (age in completed years on the observation day)
    is classified CHILD_LABOUR or HAZARDOUS_CHILD_LABOUR under Vietnamese law (the current
    vn-law classification; ties on a day go to the later record).  A child counts once, in
    the commune of that observation.  Breakdowns use the age on that observation.
    Denominator: the population figure "children 5-17" of the unit and year (by sex, the
    plan's age bands or the Labour Code's when broken down), see clms.indicators.denominators.
    """
    rate, _share = ctx.once("child_labour", lambda: child_labour_counts(ctx))
    _population(ctx, rate, CHILD_DENOMINATORS.get(ctx.by, {}) | {None: CHILD_DENOMINATORS[None][None]})
    return rate


def hazardous_share(ctx: Context) -> Counts:
    """HAZARDOUS_SHARE, hazardous work among child labour (2030 orientation, lower is better).

    Numerator: the CL_RATE numerator children whose latest observation is
    HAZARDOUS_CHILD_LABOUR.  Denominator: the CL_RATE numerator (children in child labour,
    same rules, same year).  Target: "decrease", met when below the 2021 value.
    """
    _rate, share = ctx.once("child_labour", lambda: child_labour_counts(ctx))
    return share


def timely(ctx: Context) -> Counts:
    """TIMELY, cases supported and intervened in on time (higher is better).

    Denominator: cases whose report was received in the calendar year (local time: a report
    at 23:30 on 31 December belongs to that year) in a commune of the row.  Numerator: those
    with no case step that missed its due time at the reading moment (the end of the year,
    or now): no step done or cancelled after its due time, and no step still pending after
    its due time passed.  Statutory and local-policy steps both count (flag
    ``statutory_and_policy_steps``), as spec §4 asks.  Breakdowns use the child's age on 31
    December.  Definition: clms.cases.selectors.
    """
    counts = timely_counts(ctx)
    counts.flags.add(STATUTORY_AND_POLICY)
    return counts


def monitored(ctx: Context) -> Counts:
    """MONITORED, open cases followed up on schedule (higher is better).

    Denominator: cases whose state at the reading moment (end of the year, or now) was
    "monitoring" (the last state change recorded by then), whatever the year of the report.
    Numerator: those with no follow-up visit overdue at that moment (a follow-up step created
    by then, due before then, and not done or cancelled by then).  The schedule is a visit at
    least every 30 days.  Breakdowns use the child's age on 31 December.
    """
    return monitored_counts(ctx)


def edu_access(ctx: Context) -> Counts:
    """EDU_ACCESS, at-risk children and child labourers in school or vocational training
    (higher is better).

    Denominator: registered children (not merged away) with register status child labourer,
    minor working contrary to law or at risk, aged 5-17 on 31 December, entered or observed
    by then.  Numerator: those whose school status on 31 December was attending or in
    vocational training: the latest visit up to that day that recorded one, else the status
    on the child's record.  The register status has no history, so a year that has ended (or
    not begun) is an ``estimate``.  Breakdowns use the age on 31 December.
    """
    counts = edu_access_counts(ctx)
    if ctx.year != ctx.today.year:
        counts.flags.add(ESTIMATE)
    return counts


def _reach_counts(ctx: Context, code: str) -> Counts:
    """Numerator: people (or employers) of the indicator's target groups reached in the year by
    activities held in the row's communes (all kinds of activity for COMM_*, trainings only
    for TRAIN_*), counted once each when every activity has an attendance list, else as the
    sum of typed counts (``attendance_count`` and ``estimate``).  Denominator: the population
    figure(s) of the groups; a sum that misses some of them is an ``estimate``."""
    reach_groups, denominator_groups, training = REACH[code]
    table: ReachTable = ctx.once("reach", lambda: reach_table(ctx, ALL_REACH_GROUPS))
    counts = Counts()
    for row in [*(r.pk for r in ctx.umap.rows), None]:
        total = 0
        for group in reach_groups:
            found = table.get(row, group, training)
            total += found.count
            if found.method == "attendance" and found.count:
                counts.cell_flags[(row, None)].update({ATTENDANCE_COUNT, ESTIMATE})
        if row is None:
            counts.total_numerator[None] = total
        else:
            counts.numerator[(row, None)] = total
    _population(ctx, counts, {None: denominator_groups})
    return counts


def comm_teachers(ctx: Context) -> Counts:
    """COMM_TEACHERS: teachers and staff of schools and care facilities reached by any
    activity held in the year / the population figure "teachers" (target 90%)."""
    return _reach_counts(ctx, "COMM_TEACHERS")


def comm_parents(ctx: Context) -> Counts:
    """COMM_PARENTS: parents and caregivers reached by any activity held in the year / the
    figure "parents and caregivers" (target 70%)."""
    return _reach_counts(ctx, "COMM_PARENTS")


def comm_children(ctx: Context) -> Counts:
    """COMM_CHILDREN: children reached by any activity held in the year / children 5-17
    (target 70%)."""
    return _reach_counts(ctx, "COMM_CHILDREN")


def comm_businesses(ctx: Context) -> Counts:
    """COMM_BUSINESSES: enterprises, cooperatives and craft-village households reached by any
    activity held in the year / the sum of the three figures (target 90%)."""
    return _reach_counts(ctx, "COMM_BUSINESSES")


def train_officials(ctx: Context) -> Counts:
    """TRAIN_OFFICIALS: officials who attended a training held in the year / the figure
    "officials working on child labour" (target 100%)."""
    return _reach_counts(ctx, "TRAIN_OFFICIALS")


def train_enterprises(ctx: Context) -> Counts:
    """TRAIN_ENTERPRISES: enterprises that attended a training held in the year / the figure
    "enterprises" (target 90%)."""
    return _reach_counts(ctx, "TRAIN_ENTERPRISES")


def train_coops_households(ctx: Context) -> Counts:
    """TRAIN_COOPS_HOUSEHOLDS: cooperatives and craft-village households that attended a
    training held in the year / the sum of the two figures (target 70%)."""
    return _reach_counts(ctx, "TRAIN_COOPS_HOUSEHOLDS")


COMPUTE: dict[str, Callable[[Context], Counts]] = {
    "CL_RATE": cl_rate,
    "TIMELY": timely,
    "MONITORED": monitored,
    "EDU_ACCESS": edu_access,
    "COMM_TEACHERS": comm_teachers,
    "COMM_PARENTS": comm_parents,
    "COMM_CHILDREN": comm_children,
    "COMM_BUSINESSES": comm_businesses,
    "TRAIN_OFFICIALS": train_officials,
    "TRAIN_ENTERPRISES": train_enterprises,
    "TRAIN_COOPS_HOUSEHOLDS": train_coops_households,
    "HAZARDOUS_SHARE": hazardous_share,
}
# Indicators whose denominator is a count of records: zero records is zero, not missing.
RECORD_DENOMINATORS = frozenset({"TIMELY", "MONITORED", "EDU_ACCESS", "HAZARDOUS_SHARE"})


# ---------------------------------------------------------------------------
# Tables
# ---------------------------------------------------------------------------


def _raw(counts: Counts, row: int | None, group: Any, code: str) -> tuple[int, int | None]:
    if row is None:
        num = counts.total_numerator.get(group, 0)
        den = counts.total_denominator.get(group)
    else:
        num = counts.numerator.get((row, group), 0)
        den = counts.denominator.get((row, group))
    if den is None and code in RECORD_DENOMINATORS:
        den = 0
    return num, den


def evaluate(
    code: str,
    counts: Counts,
    *,
    unit_id: int,
    row: int | None,
    group: Any,
    year: int,
    target: Target | None,
    baseline: Counts | None,
) -> IndicatorValue:
    """An IndicatorValue of one cell: value, flags, and status against the target."""
    num, den = _raw(counts, row, group, code)
    value = percent(num, den)
    flags = set(counts.flags_for(row, group))
    if den and num > den:
        flags.add(OVER_100)
    base_value = None
    if baseline is not None:
        base_value = percent(*_raw(baseline, row, group, code))
    return IndicatorValue(
        code=code,
        unit_id=unit_id,
        year=year,
        group=group,
        numerator=num,
        denominator=den,
        value=value,
        target=target,
        status=status_of(value, target, year, base_value),
        flags=frozenset(flags),
    )


@dataclass
class IndicatorTable:
    scope: AdminUnit
    year: int
    structure: Structure
    codes: list[str]
    rows: list[AdminUnit]
    by: Breakdown | None = None
    target_source: TargetSource = "local"
    unattributed: list[int] = field(default_factory=list)
    _cells: dict[tuple[int, str], IndicatorValue] = field(default_factory=dict)
    _totals: dict[str, IndicatorValue] = field(default_factory=dict)
    _groups: dict[tuple[int, str], dict[Any, IndicatorValue]] = field(default_factory=dict)

    def cell(self, row_id: int, code: str) -> IndicatorValue:
        if row_id == self.scope.pk and (row_id, code) not in self._cells:
            return self._totals[code]
        return self._cells[(row_id, code)]

    def total(self, code: str) -> IndicatorValue:
        return self._totals[code]

    def groups(self, row_id: int, code: str) -> dict[Any, IndicatorValue]:
        """Values per breakdown group of a row (``row_id=scope.pk``: of the total)."""
        if row_id == self.scope.pk and row_id not in {r.pk for r in self.rows}:
            return self._groups.get((-1, code), {})
        return self._groups.get((row_id, code), {})

    def as_dict(self) -> dict[str, Any]:
        def row_dict(unit: AdminUnit, values: dict[str, IndicatorValue], groups_of: int) -> dict[str, Any]:
            out: dict[str, Any] = {
                "unit_id": unit.pk,
                "code": unit.code,
                "name": unit.name,
                "values": {code: v.as_dict() for code, v in values.items()},
            }
            if self.by:
                out["groups"] = {
                    code: {str(g): v.as_dict() for g, v in self._groups.get((groups_of, code), {}).items()}
                    for code in self.codes
                }
            return out

        return {
            "scope": {"unit_id": self.scope.pk, "code": self.scope.code, "name": self.scope.name},
            "year": self.year,
            "structure": self.structure,
            "target_source": self.target_source,
            "by": self.by,
            "codes": list(self.codes),
            "rows": [row_dict(r, {c: self.cell(r.pk, c) for c in self.codes}, r.pk) for r in self.rows],
            "total": {code: v.as_dict() for code, v in self._totals.items()},
            "total_groups": {
                code: {str(g): v.as_dict() for g, v in self._groups.get((-1, code), {}).items()} for code in self.codes
            }
            if self.by
            else None,
            "unattributed": sorted(self.unattributed),
        }


def _check(codes: Sequence[str] | None, by: Breakdown | None) -> list[str]:
    chosen = list(codes) if codes is not None else list(CODES)
    unknown = [c for c in chosen if c not in INDICATORS]
    if unknown:
        raise ValueError(f"unknown indicator codes: {', '.join(unknown)}")
    if by is not None and by not in ("sex", "age_band", "law_age_band", "ethnicity"):
        raise ValueError(f"unknown breakdown: {by}")
    return chosen


def _counts(umap: UnitMap, year: int, codes: list[str], by: Breakdown | None, as_of: dt.datetime | None) -> dict[str, Counts]:
    def live(wanted: list[str]) -> dict[str, Counts]:
        ctx = Context(umap=umap, year=year, by=by, as_of=period_as_of(year, as_of))
        return {code: COMPUTE[code](ctx) for code in wanted}

    # A closed year's whole table read now comes from its stored facts (clms.indicators.facts).
    return facts.counts_for(umap, year, codes, by, live) if facts.readable(year, as_of, codes) else live(codes)


def indicator_table(
    scope: AdminUnit,
    year: int,
    *,
    structure: Structure | None = None,
    codes: Sequence[str] | None = None,
    target_source: Literal["local", "national"] = "local",
    by: Breakdown | None = None,
    as_of: dt.datetime | None = None,
) -> IndicatorTable:
    """Every requested indicator for every row under ``scope`` and for the scope as a whole."""
    chosen = _check(codes, by)
    umap = build_unit_map(scope, structure)
    counts = _counts(umap, year, chosen, by, as_of)
    targets = targets_for_units([*umap.rows, scope], year, target_source)
    # The straight line to a target starts from the 2021 value: only needed for indicators
    # that have a target somewhere in the table.
    with_target = [c for c in chosen if any(c in t for t in targets.values())]
    baseline: dict[str, Counts] = {}
    if year == BASELINE_YEAR:
        baseline = counts
    elif year > BASELINE_YEAR and with_target:
        baseline = _counts(umap, BASELINE_YEAR, with_target, by, as_of)

    table = IndicatorTable(
        scope=scope,
        year=year,
        structure=umap.structure,
        codes=chosen,
        rows=umap.rows,
        by=by,
        target_source=target_source,
        unattributed=sorted(umap.unattributed),
    )
    for code in chosen:
        c = counts[code]
        groups = sorted(c.groups, key=str) if by and INDICATORS[code].breakdowns else []
        for row_key, unit_id in [*((r.pk, r.pk) for r in umap.rows), (None, scope.pk)]:
            target = targets.get(unit_id if row_key is not None else scope.pk, {}).get(code)
            common = dict(year=year, target=target, baseline=baseline.get(code))
            value = evaluate(code, c, unit_id=unit_id, row=row_key, group=None, **common)  # type: ignore[arg-type]
            per_group = {
                g: evaluate(code, c, unit_id=unit_id, row=row_key, group=g, **common)  # type: ignore[arg-type]
                for g in groups
            }
            if row_key is None:
                table._totals[code] = value
                table._groups[(-1, code)] = per_group
            else:
                table._cells[(row_key, code)] = value
                table._groups[(row_key, code)] = per_group
    return table


def indicator_trend(
    unit: AdminUnit,
    code: str,
    years: Sequence[int],
    *,
    structure: Structure | None = None,
    target_source: Literal["local", "national"] = "local",
    as_of: dt.datetime | None = None,
) -> list[IndicatorValue]:
    """The unit's value of one indicator for each year, against each year's target."""
    _check([code], None)
    umap = build_unit_map(unit, structure)
    base = _counts(umap, BASELINE_YEAR, [code], None, as_of)[code] if any(y >= BASELINE_YEAR for y in years) else None
    out = []
    for year in years:
        counts = base if year == BASELINE_YEAR and base is not None else _counts(umap, year, [code], None, as_of)[code]
        target = targets_for_units([unit], year, target_source)[unit.pk].get(code)
        out.append(
            evaluate(code, counts, unit_id=unit.pk, row=None, group=None, year=year, target=target,
                     baseline=base if year >= BASELINE_YEAR else None)
        )
    return out


def target_milestones(unit: AdminUnit, code: str, target_source: TargetSource = "local") -> tuple[Target | None, Target | None]:
    """The 2025 target and the 2030 orientation of one indicator for a unit."""
    found = targets_for_units([unit], 2025, target_source)[unit.pk].get(code)
    later = targets_for_units([unit], 2026, target_source)[unit.pk].get(code)
    return (found if found and found.year == 2025 else None), (later if later and later.year == 2030 else None)
