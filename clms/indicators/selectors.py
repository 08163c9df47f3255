"""Reads of the dashboards: the units a user may look at, the records behind a cell, and what
a commune officer should do next.  Personal records are read only through the register's and
the cases' own scoping selectors."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.db.models import Q, QuerySet
from django.utils import timezone

from clms.accounts.policy import Perm, roles
from clms.cases.models import OPEN_STATES, Case, CaseStep
from clms.cases.selectors import cases_for_user
from clms.core.figure_cache import cached, root_of, table_key
from clms.indicators.base import IndicatorValue
from clms.indicators.casework import monitored_queryset, timely_queryset
from clms.indicators.compute import IndicatorTable, indicator_table
from clms.indicators.context import Context, period_as_of
from clms.indicators.register import (
    CL,
    HAZARDOUS,
    IN_SCHOOL,
    edu_access_queryset,
    latest_classifications,
)
from clms.indicators.units import Structure, build_unit_map
from clms.people.models import Child, RiskLevel
from clms.people.selectors import children_for_user, minors_q
from clms.places.models import AdminUnit, Level
from clms.places.scoping import unit_q

if TYPE_CHECKING:
    from clms.accounts.models import User

# Roles that see figures; the personal records behind them are for PERSONAL_DATA_ROLES only.
DASHBOARD_ROLES = roles(Perm.INDICATORS_READ)
DRILL_ROLES = roles(Perm.INDICATOR_DRILL)
# A child at high risk should be visited at least this often.
VISIT_EVERY_DAYS = 30


def scope_units_for_user(user: User) -> QuerySet[AdminUnit]:
    """Units whose table the user may open: provinces, districts and communes in the area."""
    return AdminUnit.objects.filter(
        unit_q(user, ""), level__in=(Level.PROVINCE, Level.DISTRICT, Level.COMMUNE)
    ).order_by("level", "scheme", "name")


def default_scope(user: User) -> AdminUnit | None:
    area = getattr(user, "area", None)
    if area is not None and area.level == Level.VILLAGE:
        return area.parent
    if area is not None:
        return area
    return AdminUnit.objects.filter(level=Level.PROVINCE).order_by("name").first()


def area_table(scope: AdminUnit, year: int) -> IndicatorTable:
    """The scope's table for the year against the local targets, in its own structure, from the
    shared figure cache under the key of the dashboard's default view: the home pages and the
    dashboard compute it once between two writes."""
    return cached(
        table_key(scope.pk, year, None, "local"), lambda: indicator_table(scope, year), root=root_of(scope.path)
    )


def _context(unit: AdminUnit, year: int, structure: Structure | None, as_of: dt.datetime | None) -> tuple[Context, list[int]]:
    umap = build_unit_map(unit, structure)
    ctx = Context(umap=umap, year=year, as_of=period_as_of(year, as_of))
    return ctx, sorted(umap.all_communes)


def cell_children(
    user: User, code: str, unit: AdminUnit, year: int, *, structure: Structure | None = None,
    as_of: dt.datetime | None = None,
) -> QuerySet[Child]:
    """The register children behind a cell: in child labour (CL_RATE), in hazardous work
    (HAZARDOUS_SHARE) or out of school (EDU_ACCESS), within what the user may read."""
    ctx, communes = _context(unit, year, structure, as_of)
    ids: Any
    if code == "CL_RATE":
        ids = latest_classifications(ctx, communes).filter(category__in=CL).values("observation__child_id")
    elif code == "HAZARDOUS_SHARE":
        ids = latest_classifications(ctx, communes).filter(category=HAZARDOUS).values("observation__child_id")
    elif code == "EDU_ACCESS":
        ids = edu_access_queryset(ctx, communes).exclude(Q(status_at_end__in=IN_SCHOOL)).values("pk")
    else:
        return Child.objects.none()
    return children_for_user(user).filter(pk__in=ids).select_related("commune", "village").order_by("name_folded", "pk")


def cell_cases(
    user: User, code: str, unit: AdminUnit, year: int, *, structure: Structure | None = None,
    as_of: dt.datetime | None = None,
) -> QuerySet[Case]:
    """The cases behind a cell: those that missed a due time (TIMELY) or whose follow-up is
    overdue (MONITORED), within what the user may read."""
    ctx, communes = _context(unit, year, structure, as_of)
    ids: Any
    if code == "TIMELY":
        ids = timely_queryset(ctx, communes).filter(Q(late=True)).values("pk")
    elif code == "MONITORED":
        ids = monitored_queryset(ctx, communes).filter(Q(overdue=True)).values("pk")
    else:
        return Case.objects.none()
    return cases_for_user(user).filter(pk__in=ids).select_related("child", "commune").order_by("received_at", "pk")


@dataclass
class NextSteps:
    """What a commune officer should do next, with the indicator that needs it."""

    overdue_steps: int = 0
    # Open cases of a child who has turned 18: to close with the reason "Turned 18".
    to_close_turned_18: int = 0
    unvisited: list[Child] = field(default_factory=list)
    unvisited_count: int = 0
    not_reached: list[IndicatorValue] = field(default_factory=list)


def next_steps(user: User, values: list[IndicatorValue], *, today: dt.date | None = None, limit: int = 10) -> NextSteps:
    """Overdue case steps (TIMELY, MONITORED), children at high risk not visited for 30 days,
    and target groups no activity has reached this year (COMM_*, TRAIN_*)."""
    today = today or timezone.localdate()
    overdue = CaseStep.objects.filter(
        minors_q(today, "case__child__"),
        case__in=cases_for_user(user),
        case__state__in=OPEN_STATES,
        done_at__isnull=True,
        cancelled_at__isnull=True,
        due_at__lt=timezone.now(),
    ).count()
    stale = children_for_user(user).filter(minors_q(today), risk_level=RiskLevel.HIGH).filter(
        Q(last_visit_on__isnull=True) | Q(last_visit_on__lt=today - dt.timedelta(days=VISIT_EVERY_DAYS))
    )
    unvisited = list(stale.select_related("village").order_by("last_visit_on", "name_folded", "pk")[:limit])
    count = len(unvisited) if len(unvisited) < limit else stale.count()
    not_reached = [v for v in values if v.code.startswith(("COMM_", "TRAIN_")) and not v.numerator]
    to_close = cases_for_user(user).filter(state__in=OPEN_STATES).exclude(minors_q(today, "child__")).count()
    return NextSteps(overdue_steps=overdue, unvisited=unvisited, unvisited_count=count, not_reached=not_reached,
                     to_close_turned_18=to_close)
