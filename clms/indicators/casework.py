"""Counts from case steps behind TIMELY and MONITORED, per record commune in one query each.

The cases app defines both (``with_timeliness`` and ``with_monitoring`` in
clms.cases.selectors, which ``timely_cases`` and ``monitored_cases`` use too); this module only
groups them by commune and breakdown instead of taking one unit filter.
"""

from __future__ import annotations

from django.db.models import Count, Q, QuerySet

from clms.cases.models import Case
from clms.cases.selectors import with_monitoring, with_timeliness
from clms.indicators.base import Counts
from clms.indicators.context import Context, age_at, expected_groups, group_expr


def timely_queryset(ctx: Context, communes: list[int]) -> QuerySet[Case]:
    """The cases of TIMELY (``clms.cases.selectors.with_timeliness``) in ``communes``."""
    return with_timeliness(Case.objects.filter(commune_id__in=communes), ctx.year, ctx.as_of)


def monitored_queryset(ctx: Context, communes: list[int]) -> QuerySet[Case]:
    """The cases of MONITORED (``clms.cases.selectors.with_monitoring``) in ``communes``."""
    return with_monitoring(Case.objects.filter(commune_id__in=communes), ctx.as_of)


def _count(ctx: Context, qs: QuerySet[Case], good: Q) -> Counts:
    if ctx.by in ("age_band", "law_age_band"):
        # Only a breakdown by age needs the join to the child's date of birth.
        qs = qs.annotate(age_at_end=age_at(ctx.last_day, "child__dob"))
    query = (
        qs.annotate(g=group_expr(ctx.by, child="child__", age="age_at_end"))
        .values("commune_id", "g")
        .annotate(total=Count("pk"), good=Count("pk", filter=good))
        .order_by()
    )
    counts = Counts()
    counts.groups.update(expected_groups(ctx.by))
    for r in query:
        group = r["g"] if ctx.by else None
        ctx.add(counts, r["commune_id"], group, r["good"])
        ctx.add(counts, r["commune_id"], group, r["total"], which="denominator")
    return counts


def timely_counts(ctx: Context) -> Counts:
    return _count(ctx, timely_queryset(ctx, sorted(ctx.umap.all_communes)), Q(late=False))


def monitored_counts(ctx: Context) -> Counts:
    return _count(ctx, monitored_queryset(ctx, sorted(ctx.umap.all_communes)), Q(overdue=False))
