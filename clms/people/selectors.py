"""Reads of the register.  The one place that scopes children to the user's area."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, NamedTuple

from django.db.models import Case, CharField, F, IntegerField, Q, QuerySet, Value, When
from django.db.models.functions import Concat
from django.utils import timezone

from clms.people.models import (
    ADULT_AGE,
    AGED_OUT,
    Child,
    Consent,
    Household,
    RiskLevel,
    Visit,
    WorkObservation,
)
from clms.places.models import AdminUnit, Level
from clms.places.scoping import personal_data_q, unit_q
from clms.rules import fold

if TYPE_CHECKING:
    from clms.accounts.models import User


def children_for_user(user: User) -> QuerySet[Child]:
    """Children the user may read: inside the area, personal-data roles only, not merged away."""
    return Child.objects.filter(personal_data_q(user, "commune"), merged_into__isnull=True)


def households_for_user(user: User) -> QuerySet[Household]:
    return Household.objects.filter(personal_data_q(user, "commune"))


def observations_for_user(user: User) -> QuerySet[WorkObservation]:
    return WorkObservation.objects.filter(personal_data_q(user, "commune", "child__village"))


def visits_for_user(user: User) -> QuerySet[Visit]:
    return Visit.objects.filter(personal_data_q(user, "child__commune", "child__village"))


def consents_for_user(user: User) -> QuerySet[Consent]:
    return Consent.objects.filter(personal_data_q(user, "child__commune", "child__village"))


def communes_for_writing(user: User) -> list[AdminUnit]:
    """Current communes where the user may register children (a collaborator: the
    commune of the village)."""
    area = getattr(user, "area", None)
    if area is not None and area.level == Level.VILLAGE:
        return [area.parent] if area.parent else []
    return list(
        AdminUnit.objects.filter(unit_q(user, ""), level=Level.COMMUNE, valid_to__isnull=True).order_by("name")
    )


def villages_for_writing(user: User) -> list[AdminUnit]:
    area = getattr(user, "area", None)
    if area is not None and area.level == Level.VILLAGE:
        return [area]
    return list(
        AdminUnit.objects.filter(unit_q(user, ""), level=Level.VILLAGE, parent__valid_to__isnull=True)
        .select_related("parent")
        .order_by("parent__name", "name")
    )


class VillageOption(NamedTuple):
    """A village of a filter's choices (a province lists ~1,000: tuples, not units)."""

    pk: int
    name: str
    parent_name: str | None


AGE_BANDS = {
    "5-11": (5, 11),
    "12-14": (12, 14),
    "15-17": (15, 17),
    "0-12": (0, 12),
    "13-14": (13, 14),
}


def _years_before(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def dob_range_for_age(low: int, high: int, on: dt.date) -> tuple[dt.date, dt.date]:
    """Dates of birth of children aged ``low`` to ``high`` (completed years) on ``on``."""
    latest = _years_before(on, low)
    earliest = _years_before(on, high + 1) + dt.timedelta(days=1)
    return earliest, latest


@dataclass(frozen=True)
class RegisterFilters:
    q: str = ""
    status: str = ""
    village: int | None = None
    age_band: str = ""
    sex: str = ""
    ethnicity: str = ""
    school_status: str = ""
    risk_level: str = ""


def search_children(qs: QuerySet[Child], query: str) -> QuerySet[Child]:
    """Every word of the query, folded like the stored name, must appear in the name."""
    for word in fold(query).split():
        qs = qs.filter(name_folded__contains=word)
    return qs


def adult_cutoff(on: dt.date) -> dt.date:
    """Latest date of birth of a person aged 18 or more on ``on`` (29 February births turn 18
    on 1 March in a common year, like ``clms.rules.age_in_years``)."""
    try:
        return on.replace(year=on.year - ADULT_AGE)
    except ValueError:  # on is 29 February: an adult was born on or before 28 February
        return on.replace(year=on.year - ADULT_AGE, day=28)


def minors_q(on: dt.date | None = None, prefix: str = "") -> Q:
    """Children under 18 on ``on`` (default today): the active register."""
    return Q(**{f"{prefix}dob__gt": adult_cutoff(on or timezone.localdate())})


def register_rows(user: User, filters: RegisterFilters, *, on: dt.date | None = None) -> QuerySet[Child]:
    qs = children_for_user(user)
    if filters.q:
        qs = search_children(qs, filters.q)
    if filters.status == AGED_OUT:
        qs = qs.exclude(minors_q(on))
    else:
        qs = qs.filter(minors_q(on))
        if filters.status:
            qs = qs.filter(register_status=filters.status)
    if filters.village:
        qs = qs.filter(village_id=filters.village)
    if filters.age_band in AGE_BANDS:
        earliest, latest = dob_range_for_age(*AGE_BANDS[filters.age_band], on or timezone.localdate())
        qs = qs.filter(dob__gte=earliest, dob__lte=latest)
    if filters.sex:
        qs = qs.filter(sex=filters.sex)
    if filters.ethnicity:
        qs = qs.filter(ethnicity=filters.ethnicity)
    if filters.school_status:
        qs = qs.filter(school_status=filters.school_status)
    if filters.risk_level:
        qs = qs.filter(risk_level=filters.risk_level)
    return qs.select_related("commune", "village").order_by(*register_order(filters))


def register_order(filters: RegisterFilters) -> tuple[Any, ...]:
    """The register's order, by folded name and id, for the web list and the API's pages.

    With a search, by an expression no index gives: PostgreSQL otherwise walks the name index
    from "a" and tests every name until a page matches, as if matches were spread evenly,
    when a surname such as Nguyễn sorts at "n" (61,000 children: 104 ms); so it takes the
    matches from the trigram index (migration 0006) and sorts them (26 ms)."""
    if filters.q:
        return (Concat(F("name_folded"), Value(""), output_field=CharField()), "pk")
    return ("name_folded", "pk")


def child_page(user: User, pk: int) -> Child:
    """One child with everything its page shows; raises Child.DoesNotExist for outsiders."""
    return (
        children_for_user(user)
        .select_related("commune", "village", "household", "created_by")
        .prefetch_related("guardians", "consents", "risk_assessments", "visits__visited_by")
        .get(pk=pk)
    )


def child_timeline(child: Child) -> QuerySet[WorkObservation]:
    return (
        child.observations.select_related("observed_by", "employer")
        .prefetch_related("classifications")
        .order_by("-observed_on", "-pk")
    )


RISK_RANK = Case(
    When(risk_level=RiskLevel.HIGH, then=Value(3)),
    When(risk_level=RiskLevel.MEDIUM, then=Value(2)),
    When(risk_level=RiskLevel.LOW, then=Value(1)),
    default=Value(0),
    output_field=IntegerField(),
)


def worklist(user: User, *, village: int | None = None) -> QuerySet[Child]:
    """Children to visit: child labourers and medium/high risk first, then those not
    visited for longest (never visited first)."""
    qs = children_for_user(user).filter(minors_q()).filter(
        Q(risk_level__in=[RiskLevel.HIGH, RiskLevel.MEDIUM])
        | Q(register_status__in=["child_labour", "minor_unlawful"])
    )
    if village:
        qs = qs.filter(village_id=village)
    labour = Case(
        When(register_status__in=["child_labour", "minor_unlawful"], then=Value(1)),
        default=Value(0),
        output_field=IntegerField(),
    )
    return (
        qs.annotate(risk_rank=RISK_RANK, labour_rank=labour)
        .select_related("village", "commune")
        .order_by("-labour_rank", "-risk_rank", F("last_visit_on").asc(nulls_first=True), "name_folded", "pk")
    )
