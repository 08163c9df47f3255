"""Reads of plans, targets, agencies, tasks, budget and pilot models.

Plans are public documents: everyone reads the plans that govern their area (their own unit's,
its ancestors' and, since the 2025 reform, those of the units it was formed from) and the plans
of units inside their area.  Budget lines and pilot models hang under a unit and are scoped
with ``clms.places.scoping.unit_q``.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.db.models import Count, Q, QuerySet, Sum

from clms.places.models import AdminUnit, Level, Scheme, Succession
from clms.places.scoping import area_prefixes, can_write_unit, unit_q
from clms.plans.models import (
    BudgetLine,
    FundingSource,
    PilotModel,
    Plan,
    PlanAgency,
    PlanLevel,
    Target,
    Task,
    TaskStatus,
)

if TYPE_CHECKING:
    from clms.accounts.models import User

# The most specific plan wins: a commune's own plan before its district's, and so on.
LEVEL_RANK = {PlanLevel.COMMUNE: 0, PlanLevel.DISTRICT: 1, PlanLevel.PROVINCE: 2, PlanLevel.NATIONAL: 3}


# ---------------------------------------------------------------------------
# Units: where a plan or an agency sits
# ---------------------------------------------------------------------------


def _path_ids(path: str) -> list[int]:
    return [int(part) for part in path.strip("/").split("/") if part]


def unit_lineage(unit: AdminUnit) -> dict[int, tuple[AdminUnit, int]]:
    """The unit, its ancestors, the units it was formed from (2025 reform) and their ancestors.

    Maps unit id to (unit, distance): the number of steps up the hierarchy from ``unit``; a
    predecessor sits at the same distance as the unit that absorbed it.  Three queries.
    """
    depth = len(_path_ids(unit.path))
    found: dict[int, tuple[AdminUnit, int]] = {}
    for ancestor in AdminUnit.objects.filter(pk__in=_path_ids(unit.path) or [unit.pk]):
        found[ancestor.pk] = (ancestor, depth - len(_path_ids(ancestor.path)))
    found.setdefault(unit.pk, (unit, 0))
    links = list(Succession.objects.filter(successor__in=list(found)).select_related("predecessor"))
    wanted: set[int] = set()
    for link in links:
        pred, distance = link.predecessor, found[link.successor_id][1]
        if pred.pk not in found or found[pred.pk][1] > distance:
            found[pred.pk] = (pred, distance)
        wanted.update(_path_ids(pred.path))
    if wanted - set(found):
        ancestors = {a.pk: a for a in AdminUnit.objects.filter(pk__in=wanted - set(found))}
        for link in links:
            pred = link.predecessor
            pred_depth, base = len(_path_ids(pred.path)), found[pred.pk][1]
            for pk in _path_ids(pred.path):
                if pk in ancestors:
                    distance = base + pred_depth - len(_path_ids(ancestors[pk].path))
                    if pk not in found or found[pk][1] > distance:
                        found[pk] = (ancestors[pk], distance)
    return found


def _code_schemes(level: str) -> tuple[str, ...]:
    # Districts exist only in the old list; provinces may be in either or both.
    if level == PlanLevel.DISTRICT:
        return (Scheme.PRE_2025,)
    return (Scheme.BOTH, Scheme.POST_2025, Scheme.PRE_2025)


def resolve_unit(level: str, code: str) -> AdminUnit | None:
    """The unit an official (level, code) names, or None before the unit lists are loaded."""
    if not code or level == PlanLevel.NATIONAL:
        return None
    candidates = {u.scheme: u for u in AdminUnit.objects.filter(level=level, code=code, scheme__in=_code_schemes(level))}
    for scheme in _code_schemes(level):
        if scheme in candidates:
            return candidates[scheme]
    return None


def plan_unit(plan: Plan) -> AdminUnit | None:
    if plan.scope_unit_id is not None:
        return plan.scope_unit
    return resolve_unit(plan.scope_level, plan.scope_code)


def agency_unit(agency: PlanAgency) -> AdminUnit | None:
    """The unit an agency belongs to; None for a commune-level office repeated in every commune."""
    if agency.unit_code:
        return resolve_unit(agency.level, agency.unit_code)
    if agency.level == PlanLevel.COMMUNE:
        return None
    return plan_unit(agency.plan)


def _lineage_plan_q(lineage: dict[int, tuple[AdminUnit, int]]) -> Q:
    q = Q(scope_unit__in=list(lineage))
    by_level: dict[str, set[str]] = defaultdict(set)
    for unit, _distance in lineage.values():
        if unit.code:
            by_level[unit.level].add(unit.code)
    for level, codes in by_level.items():
        q |= Q(scope_unit__isnull=True, scope_level=level, scope_code__in=sorted(codes))
    return q


def _plan_distance(plan: Plan, lineage: dict[int, tuple[AdminUnit, int]]) -> int:
    if plan.scope_unit_id is not None and plan.scope_unit_id in lineage:
        return lineage[plan.scope_unit_id][1]
    for unit, distance in lineage.values():
        if unit.level == plan.scope_level and unit.code == plan.scope_code:
            return distance
    return 99


# ---------------------------------------------------------------------------
# Plans and targets
# ---------------------------------------------------------------------------


def plans_for_user(user: User) -> QuerySet[Plan]:
    """The plans that govern the user's area, and the plans of units inside it."""
    if not getattr(user, "is_authenticated", False):
        return Plan.objects.none()
    if "/" in area_prefixes(user):
        return Plan.objects.all()
    if user.area is None:
        return Plan.objects.filter(scope_level=PlanLevel.NATIONAL)
    q = Q(scope_level=PlanLevel.NATIONAL) | _lineage_plan_q(unit_lineage(user.area))
    q |= Q(scope_unit__isnull=False) & unit_q(user, "scope_unit")
    inside = AdminUnit.objects.filter(unit_q(user, "")).exclude(code="")
    for level in (PlanLevel.PROVINCE, PlanLevel.DISTRICT):
        q |= Q(
            scope_unit__isnull=True,
            scope_level=level,
            scope_code__in=inside.filter(level=level, scheme__in=_code_schemes(level)).values("code"),
        )
    return Plan.objects.filter(q)


def plan_covers_year(plan: Plan, year: int) -> bool:
    return plan.period_start <= year <= max(plan.period_end, plan.orientation_year or plan.period_end)


def applicable_plans(unit: AdminUnit, year: int | None = None) -> list[Plan]:
    """Plans of the unit and of its lineage, most specific first (national plans excluded)."""
    lineage = unit_lineage(unit)
    plans = [
        p
        for p in Plan.objects.filter(_lineage_plan_q(lineage)).exclude(scope_level=PlanLevel.NATIONAL)
        if year is None or plan_covers_year(p, year)
    ]
    plans.sort(key=lambda p: (LEVEL_RANK[PlanLevel(p.scope_level)], _plan_distance(p, lineage), -p.period_start, p.pk))
    return plans


def _targets_for_year(targets: Iterable[Target], year: int) -> dict[str, Target]:
    """Per indicator, the target of the earliest target year not before ``year``.

    A 2025 target is the goal for every year of 2021-2025; from 2026 the 2030 orientation applies.
    """
    chosen: dict[str, Target] = {}
    for target in sorted(targets, key=lambda t: t.year):
        if target.year >= year and target.indicator not in chosen:
            chosen[target.indicator] = target
    return chosen


@dataclass(frozen=True)
class ApplicableTargets:
    """What ``applicable_targets`` returns.

    - ``plan``: the nearest plan for the unit and year (its own, else the nearest ancestor's),
      or None when no plan covers it;
    - ``local``: indicator code -> ``Target`` from the nearest plan that sets that indicator
      for the year (so a commune plan that leaves an indicator out inherits the district's);
    - ``national``: indicator code -> ``Target`` of the national programme (Decision 782).

    Every ``Target`` has its ``plan`` loaded; ``target.source_status`` says whether the figure
    was verified in the text or comes from a secondary source.
    """

    plan: Plan | None
    local: dict[str, Target] = field(default_factory=dict)
    national: dict[str, Target] = field(default_factory=dict)

    def for_indicator(self, indicator: str) -> list[Target]:
        """The local then the national target for one indicator (either may be missing)."""
        return [t for t in (self.local.get(indicator), self.national.get(indicator)) if t is not None]


def applicable_targets(unit: AdminUnit, year: int) -> ApplicableTargets:
    """The targets that apply to ``unit`` in ``year``: see ``ApplicableTargets``.

    A commune formed on 1 July 2025 inherits the plan of its predecessors' district (Triệu
    Sơn) through the succession links; the national programme applies everywhere.
    """
    plans = applicable_plans(unit, year)
    targets_by_plan: dict[int, list[Target]] = defaultdict(list)
    national_plans = [p for p in Plan.objects.filter(scope_level=PlanLevel.NATIONAL) if plan_covers_year(p, year)]
    all_ids = [p.pk for p in plans] + [p.pk for p in national_plans]
    for target in Target.objects.filter(plan_id__in=all_ids).select_related("plan"):
        targets_by_plan[target.plan_id].append(target)
    local: dict[str, Target] = {}
    for plan in plans:
        for indicator, target in _targets_for_year(targets_by_plan[plan.pk], year).items():
            local.setdefault(indicator, target)
    national: dict[str, Target] = {}
    for plan in sorted(national_plans, key=lambda p: -p.period_start):
        for indicator, target in _targets_for_year(targets_by_plan[plan.pk], year).items():
            national.setdefault(indicator, target)
    return ApplicableTargets(plan=plans[0] if plans else None, local=local, national=national)


def parent_for_commune_plan(commune: AdminUnit, year: int) -> Plan | None:
    """The plan a commune's own plan is made from: the nearest plan above the commune."""
    for plan in applicable_plans(commune, year):
        if plan.scope_level != PlanLevel.COMMUNE:
            return plan
    return None


def commune_plan(commune: AdminUnit, year: int) -> Plan | None:
    return next(
        (p for p in Plan.objects.filter(scope_unit=commune, scope_level=PlanLevel.COMMUNE) if plan_covers_year(p, year)),
        None,
    )


# ---------------------------------------------------------------------------
# Agencies and tasks
# ---------------------------------------------------------------------------


def agencies_for_user(user: User) -> QuerySet[PlanAgency]:
    return PlanAgency.objects.filter(plan__in=plans_for_user(user)).select_related("plan", "predecessor")


def tasks_for_user(user: User) -> QuerySet[Task]:
    return Task.objects.filter(agency__plan__in=plans_for_user(user)).select_related("agency", "agency__plan", "content_area")


def user_acts_for_agency(user: User, agency: PlanAgency) -> bool:
    """Whether the user may update this agency's tasks.

    An agency officer acts for the agencies of his kind whose unit lies in his area (or, for an
    office repeated in every commune, whose plan governs his commune); the supervising officer
    acts for every agency in his area.
    """
    if getattr(user, "is_admin", False):
        return True
    role = getattr(user, "role", "")
    if role == "agency_officer" and (not user.agency or user.agency != agency.kind):
        return False
    if role not in ("agency_officer", "supervisor"):
        return False
    unit = agency_unit(agency)
    if unit is not None:
        return can_write_unit(user, unit)
    if user.area is None:
        return False
    plan_unit_ = plan_unit(agency.plan)
    if plan_unit_ is None:
        return False
    return can_write_unit(user, plan_unit_) or plan_unit_.pk in unit_lineage(user.area)


def agency_tasks_for_officer(user: User) -> list[Task]:
    """The tasks of the agencies the user acts for (an agency officer's home panel)."""
    if getattr(user, "role", "") != "agency_officer" or not user.agency:
        return []
    agencies = [a for a in agencies_for_user(user).filter(kind=user.agency) if user_acts_for_agency(user, a)]
    return list(
        Task.objects.filter(agency__in=agencies).select_related("agency").order_by("agency__order", "order")
    )


def task_status_counts(tasks: Iterable[Task]) -> dict[str, int]:
    counts = {status: 0 for status in TaskStatus.values}
    for task in tasks:
        counts[task.status] += 1
    return counts


# ---------------------------------------------------------------------------
# Budget
# ---------------------------------------------------------------------------


def budget_lines_for_user(user: User) -> QuerySet[BudgetLine]:
    return BudgetLine.objects.filter(unit_q(user, "unit")).select_related("unit", "content_area", "plan")


@dataclass(frozen=True)
class BudgetTotals:
    """Planned and spent per year and source of funds, and the grand total."""

    rows: list[dict[str, Any]]
    planned: int
    spent: int

    @property
    def overspent(self) -> bool:
        return self.spent > self.planned


def budget_totals(lines: QuerySet[BudgetLine]) -> BudgetTotals:
    rows = list(
        lines.order_by()
        .values("year", "source")
        .annotate(planned=Sum("planned"), spent=Sum("spent"), lines=Count("pk"))
        .order_by("-year", "source")
    )
    for row in rows:
        row["overspent"] = (row["spent"] or 0) > (row["planned"] or 0)
        row["source_label"] = FundingSource(row["source"]).label
    return BudgetTotals(
        rows=rows,
        planned=sum(r["planned"] or 0 for r in rows),
        spent=sum(r["spent"] or 0 for r in rows),
    )


# ---------------------------------------------------------------------------
# Pilot models
# ---------------------------------------------------------------------------


def pilot_models_for_user(user: User) -> QuerySet[PilotModel]:
    return PilotModel.objects.filter(unit_q(user, "commune")).select_related("model_type", "commune")


def communes_for_writing(user: User) -> QuerySet[AdminUnit]:
    """Communes the user may record budget lines and pilot models for."""
    if getattr(user, "role", "") == "province_viewer":
        return AdminUnit.objects.none()
    return AdminUnit.objects.filter(unit_q(user, ""), level=Level.COMMUNE).order_by("scheme", "name")
