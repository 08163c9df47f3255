"""Counts from the register behind CL_RATE, HAZARDOUS_SHARE and EDU_ACCESS.

Each function runs one aggregate query whatever the number of units or children, grouped by
record commune (and a breakdown group); communes are mapped to row units in Python with the
unit map (units, not personal records).  The definitions are stated on the indicator
functions in clms.indicators.compute.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce, NullIf

from clms.indicators.base import Counts
from clms.indicators.context import Context, age_at, expected_groups, group_expr, year_start
from clms.people.models import (
    Child,
    Classification,
    RegisterStatus,
    SchoolStatus,
    Visit,
    WorkObservation,
)

CL = ("CHILD_LABOUR", "HAZARDOUS_CHILD_LABOUR")
HAZARDOUS = "HAZARDOUS_CHILD_LABOUR"
REGISTERED = (RegisterStatus.CHILD_LABOUR, RegisterStatus.MINOR_UNLAWFUL, RegisterStatus.AT_RISK)
IN_SCHOOL = (SchoolStatus.ATTENDING, SchoolStatus.VOCATIONAL)


def latest_classifications(ctx: Context, communes: list[int]) -> QuerySet[Classification]:
    """The current vn-law classification of each child's latest observation of the year made
    while the child was 5-17.

    "Latest" orders by observation date then id, so two observations on one day resolve the
    same way on every database.  An observation after the 18th birthday is not a child's,
    so it neither counts nor hides an earlier one of the same year.
    """
    period = (ctx.first_day, ctx.last_day)
    later = Classification.objects.filter(
        ruleset="vn-law",
        is_current=True,
        age__gte=5,
        age__lte=17,
        observation__child_id=OuterRef("observation__child_id"),
        observation__observed_on__range=period,
    ).filter(
        Q(observation__observed_on__gt=OuterRef("observation__observed_on"))
        | Q(observation__observed_on=OuterRef("observation__observed_on"), observation_id__gt=OuterRef("observation_id"))
    )
    return Classification.objects.filter(
        ruleset="vn-law",
        is_current=True,
        observation__observed_on__range=period,
        observation__commune_id__in=communes,
        observation__child__merged_into__isnull=True,
        age__gte=5,
        age__lte=17,
    ).filter(~Exists(later))


def _communes(ctx: Context) -> list[int]:
    return sorted(ctx.umap.all_communes)


def child_labour_counts(ctx: Context) -> tuple[Counts, Counts]:
    """(CL_RATE numerator, HAZARDOUS_SHARE counts) from one aggregate query."""
    query = (
        latest_classifications(ctx, _communes(ctx))
        .filter(category__in=CL)
        .annotate(g=group_expr(ctx.by, child="observation__child__", age="age"))
        .values("observation__commune_id", "category", "g")
        .annotate(n=Count("pk"))
        .order_by()
    )
    rate, share = Counts(), Counts()
    for counts in (rate, share):
        counts.groups.update(expected_groups(ctx.by))
    for r in query:
        group = r["g"] if ctx.by else None
        commune = r["observation__commune_id"]
        ctx.add(rate, commune, group, r["n"])
        ctx.add(share, commune, group, r["n"], which="denominator")
        if r["category"] == HAZARDOUS:
            ctx.add(share, commune, group, r["n"])
    return rate, share


def edu_access_queryset(ctx: Context, communes: list[int]) -> QuerySet[Child]:
    """Registered at-risk children and child labourers aged 5-17 on 31 December of the year
    and known to the register by then, with their school status at that day."""
    end = ctx.last_day
    last_visit_status = (
        Visit.objects.filter(child_id=OuterRef("pk"), visited_on__lte=end)
        .exclude(school_status="")
        .order_by("-visited_on", "-pk")
        .values("school_status")[:1]
    )
    return (
        Child.objects.filter(
            merged_into__isnull=True,
            commune_id__in=communes,
            register_status__in=REGISTERED,
            dob__lte=_years_before(end, 5),
            dob__gt=_years_before(end, 18),
        )
        # Known by the end of the year: entered by then (local date), or observed by then,
        # so records typed in later from older paper files still count for their year.
        .filter(
            Q(created_at__lt=year_start(ctx.year + 1))
            | Exists(WorkObservation.objects.filter(child_id=OuterRef("pk"), observed_on__lte=end))
        )
        .annotate(status_at_end=Coalesce(NullIf(Subquery(last_visit_status), Value("")), F("school_status")))
    )


def _years_before(day: Any, years: int) -> Any:
    try:
        return day.replace(year=day.year - years)
    except ValueError:
        return day.replace(year=day.year - years, day=28)


def edu_access_counts(ctx: Context) -> Counts:
    query = (
        edu_access_queryset(ctx, _communes(ctx))
        .annotate(age_at_end=age_at(ctx.last_day, "dob"))
        .annotate(g=group_expr(ctx.by, child="", age="age_at_end"))
        .values("commune_id", "g")
        .annotate(total=Count("pk"), in_school=Count("pk", filter=Q(status_at_end__in=IN_SCHOOL)))
        .order_by()
    )
    counts = Counts()
    counts.groups.update(expected_groups(ctx.by))
    for r in query:
        group = r["g"] if ctx.by else None
        ctx.add(counts, r["commune_id"], group, r["in_school"])
        ctx.add(counts, r["commune_id"], group, r["total"], which="denominator")
    return counts
