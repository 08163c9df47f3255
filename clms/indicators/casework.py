"""Counts from case steps behind TIMELY and MONITORED, per record commune in one query each.

They follow the definitions of the clms.cases.selectors module docstring exactly (the tests
compare them with ``timely_cases`` and ``monitored_cases`` row by row); the difference is
only that these group by commune and breakdown instead of taking one unit filter.
"""

from __future__ import annotations

from django.db.models import Count, Exists, OuterRef, Q, QuerySet

from clms.cases.models import Case, CaseStep
from clms.cases.selectors import missed_q, open_at, overdue_q, with_finished
from clms.indicators.base import Counts
from clms.indicators.context import Context, age_at, expected_groups, group_expr, year_start


def late_steps(ctx: Context) -> QuerySet[CaseStep]:
    """Steps that had missed their due time at ``as_of`` (the period end): fell due before it
    and were not done or cancelled by their due time.  Nothing done later changes this."""
    return with_finished(CaseStep.objects.all()).filter(missed_q(ctx.as_of))


def timely_queryset(ctx: Context, communes: list[int]) -> QuerySet[Case]:
    """Cases received in the local calendar year, annotated ``late`` (a step missed its due time)."""
    return Case.objects.filter(
        commune_id__in=communes,
        received_at__gte=year_start(ctx.year),
        received_at__lt=year_start(ctx.year + 1),
    ).alias(late=Exists(late_steps(ctx).filter(case_id=OuterRef("pk"))))


def monitored_queryset(ctx: Context, communes: list[int]) -> QuerySet[Case]:
    """Cases open at ``as_of``, annotated ``overdue`` (one of their steps, statutory, local
    policy or follow-up, was pending and past due at ``as_of``): DESIGN §5."""
    as_of = ctx.as_of
    overdue = with_finished(CaseStep.objects.filter(case_id=OuterRef("pk"))).filter(overdue_q(as_of))
    return open_at(Case.objects.filter(commune_id__in=communes), as_of).alias(overdue=Exists(overdue))


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
