"""Indicators computed from the register: CL_RATE, HAZARDOUS_SHARE, EDU_ACCESS.

Each function runs a fixed number of aggregate queries whatever the number of units or
children, grouped by record commune (and a breakdown), and maps communes to row units in
Python with the unit map (units, not personal records).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any

from django.db.models import Case, CharField, Count, Exists, F, OuterRef, Q, Subquery, Value, When
from django.db.models.functions import Coalesce, NullIf

from clms.indicators.base import (
    ESTIMATE,
    MISSING_DENOMINATOR,
    Breakdown,
    Counts,
)
from clms.indicators.units import UnitMap
from clms.people.models import (
    Child,
    Classification,
    RegisterStatus,
    SchoolStatus,
    Visit,
    WorkObservation,
)
from clms.places.models import Denominator, DenominatorGroup

CL = ("CHILD_LABOUR", "HAZARDOUS_CHILD_LABOUR")
HAZARDOUS = "HAZARDOUS_CHILD_LABOUR"

AGE_BANDS = ("5-11", "12-14", "15-17")
LAW_AGE_BANDS = ("<13", "13-14", "15-17")

# Denominator groups that match a breakdown; the law's bands and ethnicity have none.
DENOMINATOR_GROUPS: dict[Breakdown | None, dict[Any, str]] = {
    None: {None: DenominatorGroup.CHILDREN_5_17},
    "sex": {"M": DenominatorGroup.CHILDREN_5_17_MALE, "F": DenominatorGroup.CHILDREN_5_17_FEMALE},
    "age_band": {
        "5-11": DenominatorGroup.CHILDREN_5_11,
        "12-14": DenominatorGroup.CHILDREN_12_14,
        "15-17": DenominatorGroup.CHILDREN_15_17,
    },
}


def _year_bounds(year: int) -> tuple[dt.date, dt.date]:
    return dt.date(year, 1, 1), dt.date(year, 12, 31)


def _age_band(age_field: str, law: bool) -> Case:
    if law:
        return Case(
            When(**{f"{age_field}__lt": 13}, then=Value("<13")),
            When(**{f"{age_field}__lt": 15}, then=Value("13-14")),
            default=Value("15-17"),
            output_field=CharField(),
        )
    return Case(
        When(**{f"{age_field}__lte": 11}, then=Value("5-11")),
        When(**{f"{age_field}__lte": 14}, then=Value("12-14")),
        default=Value("15-17"),
        output_field=CharField(),
    )


def latest_classifications(year: int, communes: list[int]) -> Any:
    """The vn-law classification of each child's latest observation in the year, ages 5-17.

    "Latest" orders by observation date then id, so two observations on one day resolve the
    same way on every database.
    """
    start, end = _year_bounds(year)
    later = Classification.objects.filter(
        ruleset="vn-law",
        is_current=True,
        observation__child_id=OuterRef("observation__child_id"),
        observation__observed_on__range=(start, end),
    ).filter(
        Q(observation__observed_on__gt=OuterRef("observation__observed_on"))
        | Q(observation__observed_on=OuterRef("observation__observed_on"), observation_id__gt=OuterRef("observation_id"))
    )
    return Classification.objects.filter(
        ruleset="vn-law",
        is_current=True,
        observation__observed_on__range=(start, end),
        observation__commune_id__in=communes,
        observation__child__merged_into__isnull=True,
        age__gte=5,
        age__lte=17,
    ).filter(~Exists(later))


def _group_expr(by: Breakdown | None, *, child: str, age: str) -> Any:
    if by is None:
        return Value("", output_field=CharField())
    if by == "sex":
        return F(f"{child}sex")
    if by == "ethnicity":
        return F(f"{child}ethnicity")
    return _age_band(age, law=by == "law_age_band")


def child_labour_counts(umap: UnitMap, year: int, by: Breakdown | None = None) -> tuple[Counts, Counts]:
    """(CL_RATE counts, HAZARDOUS_SHARE counts) from one aggregate query on classifications."""
    rows = umap.row_of
    query = (
        latest_classifications(year, list(rows))
        .filter(category__in=CL)
        .annotate(g=_group_expr(by, child="observation__child__", age="age"))
        .values("observation__commune_id", "category", "g")
        .annotate(n=Count("observation__child_id", distinct=True))
    )
    rate, share = Counts(), Counts()
    for r in query:
        group = r["g"] if by else None
        commune = r["observation__commune_id"]
        rate.add(rows, commune, group, r["n"])
        if group is not None:
            rate.add(rows, commune, None, r["n"])
        share.add(rows, commune, group, r["n"], which="denominator")
        if group is not None:
            share.add(rows, commune, None, r["n"], which="denominator")
        if r["category"] == HAZARDOUS:
            share.add(rows, commune, group, r["n"])
            if group is not None:
                share.add(rows, commune, None, r["n"])
    _child_denominators(rate, umap, year, by)
    return rate, share


def _child_denominators(counts: Counts, umap: UnitMap, year: int, by: Breakdown | None) -> None:
    groups = {None: DenominatorGroup.CHILDREN_5_17, **DENOMINATOR_GROUPS.get(by, {})}
    if by in ("law_age_band", "ethnicity"):
        counts.flags.add(MISSING_DENOMINATOR)
    row_ids = {r.pk for r in umap.rows}
    wanted = set(umap.row_of) | row_ids
    by_group = {g: key for key, g in groups.items()}
    own: dict[tuple[int, Any], int] = {}
    summed: dict[tuple[int, Any], int] = defaultdict(int)
    for unit_id, group, value in Denominator.objects.filter(
        year=year, group__in=list(groups.values()), unit_id__in=wanted
    ).values_list("unit_id", "group", "value"):
        key = by_group[group]
        if unit_id in row_ids:
            own[(unit_id, key)] = value
        if unit_id in umap.row_of:
            summed[(umap.row_of[unit_id], key)] += value
    for row in row_ids:
        for key in groups:
            found = own.get((row, key), summed.get((row, key)))
            if found is None:
                counts.row_flags[row].add(MISSING_DENOMINATOR)
            else:
                counts.denominator[(row, key)] = found


def edu_access_counts(umap: UnitMap, year: int, by: Breakdown | None = None, today: dt.date | None = None) -> Counts:
    """EDU_ACCESS: registered children at risk and child labourers, 5-17 at the end of the
    year, in school or vocational training at the end of the year.

    School status at the end of the year is the latest visit's finding up to that day, else the
    child's recorded status.  Register status has no history, so a past year is an estimate.
    """
    start, end = _year_bounds(year)
    today = today or dt.date.today()  # noqa: DTZ011 - calendar date
    rows = umap.row_of
    last_visit_status = (
        Visit.objects.filter(child_id=OuterRef("pk"), visited_on__lte=end)
        .exclude(school_status="")
        .order_by("-visited_on", "-pk")
        .values("school_status")[:1]
    )
    age_years = Case(
        *[
            When(dob__gt=dt.date(end.year - a, end.month, end.day), then=Value(a - 1))
            for a in range(6, 19)
        ],
        default=Value(18),
    )
    query = (
        Child.objects.filter(
            merged_into__isnull=True,
            commune_id__in=list(rows),
            register_status__in=[RegisterStatus.CHILD_LABOUR, RegisterStatus.MINOR_UNLAWFUL, RegisterStatus.AT_RISK],
            dob__lte=dt.date(end.year - 5, end.month, end.day),
            dob__gt=dt.date(end.year - 18, end.month, end.day),
        )
        # Known to the register by the end of the year: entered by then, or observed by then
        # (records typed in later from older paper files still count for their year).
        .filter(Q(created_at__date__lte=end) | Exists(WorkObservation.objects.filter(child_id=OuterRef("pk"), observed_on__lte=end)))
        .annotate(
            status_at_end=Coalesce(NullIf(Subquery(last_visit_status), Value("")), F("school_status")),
            age_at_end=age_years,
        )
        .annotate(g=_group_expr(by, child="", age="age_at_end"))
        .values("commune_id", "g")
        .annotate(
            total=Count("pk"),
            in_school=Count("pk", filter=Q(status_at_end__in=[SchoolStatus.ATTENDING, SchoolStatus.VOCATIONAL])),
        )
    )
    counts = Counts()
    for r in query:
        group = r["g"] if by else None
        counts.add(rows, r["commune_id"], group, r["in_school"])
        counts.add(rows, r["commune_id"], group, r["total"], which="denominator")
        if group is not None:
            counts.add(rows, r["commune_id"], None, r["in_school"])
            counts.add(rows, r["commune_id"], None, r["total"], which="denominator")
    if end < today.replace(month=1, day=1) or start > today:
        counts.flags.add(ESTIMATE)
    return counts
