"""Counts from case steps behind TIMELY and MONITORED, per record commune in one query each.

They follow the definitions of the clms.cases.selectors module docstring exactly (the tests
compare them with ``timely_cases`` and ``monitored_cases`` row by row); the difference is
only that these group by commune and breakdown instead of taking one unit filter.
"""

from __future__ import annotations

from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce

from clms.cases.models import Case, CaseEvent, CaseStep, State, StepCode
from clms.indicators.base import Counts
from clms.indicators.context import Context, age_at, expected_groups, group_expr, year_start


def late_steps(ctx: Context) -> QuerySet[CaseStep]:
    """Steps that missed their due time by ``as_of``: done or cancelled after it, or still
    pending after it passed."""
    return CaseStep.objects.annotate(finished=Coalesce("done_at", "cancelled_at")).filter(
        Q(finished__gt=F("due_at")) | Q(done_at__isnull=True, cancelled_at__isnull=True, due_at__lt=ctx.as_of)
    )


def timely_queryset(ctx: Context, communes: list[int]) -> QuerySet[Case]:
    """Cases received in the local calendar year, annotated ``late`` (a step missed its due time)."""
    return Case.objects.filter(
        commune_id__in=communes,
        received_at__gte=year_start(ctx.year),
        received_at__lt=year_start(ctx.year + 1),
    ).alias(late=Exists(late_steps(ctx).filter(case_id=OuterRef("pk"))))


def monitored_queryset(ctx: Context, communes: list[int]) -> QuerySet[Case]:
    """Cases whose state at ``as_of`` was monitoring, annotated ``overdue`` (a follow-up visit
    was overdue at ``as_of``)."""
    as_of = ctx.as_of
    last_state = (
        CaseEvent.objects.filter(case_id=OuterRef("pk"), at__lte=as_of)
        .exclude(to_state="")
        .order_by("-at", "-pk")
        .values("to_state")[:1]
    )
    overdue = CaseStep.objects.annotate(finished=Coalesce("done_at", "cancelled_at")).filter(
        Q(finished__isnull=True) | Q(finished__gt=as_of),
        case_id=OuterRef("pk"),
        step=StepCode.FOLLOW_UP,
        created_at__lte=as_of,
        due_at__lt=as_of,
    )
    return (
        Case.objects.filter(commune_id__in=communes)
        .alias(state_then=Subquery(last_state))
        .filter(state_then=State.MONITORING)
        .alias(overdue=Exists(overdue))
    )


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
