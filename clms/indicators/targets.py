"""The targets of every row of a table without asking the plans app once per row.

``clms.plans.selectors.applicable_targets(unit, year)`` decides which plan's targets apply to
a unit from the plans of its lineage (the unit, its ancestors, the units it was formed from and
theirs).  Rows whose lineage holds the same plans get the same answer, so the rows are grouped
by that set of plans (three queries for all rows) and ``applicable_targets`` runs once per
group: once for all communes of Triệu Sơn, plus once per commune with a plan of its own.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Literal

from django.db.models import Q

from clms.indicators.base import Target
from clms.places.models import AdminUnit, Succession
from clms.plans import selectors as plan_selectors
from clms.plans.models import Plan, PlanLevel
from clms.plans.models import Target as PlanTarget

TargetSource = Literal["local", "national"]


def _ids(path: str) -> list[int]:
    return [int(p) for p in path.strip("/").split("/") if p]


def convert(target: PlanTarget) -> Target:
    plan = target.plan
    return Target(
        value=target.value,
        comparator=target.comparator,
        year=target.year,
        plan=plan.number or plan.issuer,
    )


def targets_for_units(units: list[AdminUnit], year: int, source: TargetSource) -> dict[int, dict[str, Target]]:
    """Indicator code -> Target for each unit, from its local plans or the national programme."""
    if not units:
        return {}
    if source == "national":
        # The national programme is the same everywhere.
        national = {c: convert(t) for c, t in plan_selectors.applicable_targets(units[0], year).national.items()}
        return {u.pk: national for u in units}
    lineage: dict[int, set[int]] = {u.pk: {u.pk, *_ids(u.path)} for u in units}
    everyone = set().union(*lineage.values())
    links = list(
        Succession.objects.filter(successor_id__in=sorted(everyone)).values_list(
            "successor_id", "predecessor_id", "predecessor__path"
        )
    )
    preds: dict[int, set[int]] = defaultdict(set)
    for successor, predecessor, path in links:
        preds[successor].update({predecessor, *_ids(path)})
    for members in lineage.values():
        for member in list(members):
            members.update(preds.get(member, set()))
    everyone = set().union(*lineage.values())
    coded = {
        pk: (level, code)
        for pk, level, code in AdminUnit.objects.filter(pk__in=sorted(everyone)).exclude(code="").order_by().values_list(
            "pk", "level", "code"
        )
    }
    by_level: dict[str, set[str]] = defaultdict(set)
    for level, code in coded.values():
        by_level[level].add(code)
    q = Q(scope_unit_id__in=sorted(everyone))
    for level, codes in by_level.items():
        q |= Q(scope_unit__isnull=True, scope_level=level, scope_code__in=sorted(codes))
    plans = list(
        Plan.objects.filter(q)
        .exclude(scope_level=PlanLevel.NATIONAL)
        .order_by()
        .values_list("pk", "scope_unit_id", "scope_level", "scope_code", "period_start", "period_end", "orientation_year")
    )

    def plans_of(unit_id: int) -> frozenset[int]:
        members = lineage[unit_id]
        keys = {coded[m] for m in members if m in coded}
        return frozenset(
            pk
            for pk, unit, level, code, start, end, orientation in plans
            if start <= year <= max(end, orientation or end)
            and ((unit is not None and unit in members) or (unit is None and (level, code) in keys))
        )

    groups: dict[frozenset[int], list[AdminUnit]] = defaultdict(list)
    for unit in units:
        groups[plans_of(unit.pk)].append(unit)
    result: dict[int, dict[str, Target]] = {}
    for same in groups.values():
        converted = {code: convert(t) for code, t in plan_selectors.applicable_targets(same[0], year).local.items()}
        for unit in same:
            result[unit.pk] = converted
    return result
