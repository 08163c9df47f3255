"""Reads of the survey app: scoped querysets and the estimates of a round."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db.models import Count, Q, QuerySet, Sum

from clms.people.classification import CHILD_LABOUR_CATEGORIES
from clms.places.models import AdminUnit
from clms.places.scoping import personal_data_q, unit_q
from clms.rules import Category
from clms.surveys.estimation import Person, child_labour_estimates
from clms.surveys.models import (
    FieldSubmission,
    ImportBatch,
    InterviewResult,
    SurveyHousehold,
    SurveyMember,
    SurveyRound,
)

if TYPE_CHECKING:
    from clms.accounts.models import User

RULESET_FIELDS = {"vn-law": "category_vn_law", "mics6": "category_mics6", "sdg2021": "category_sdg2021"}
HAZARDOUS = Category.HAZARDOUS_CHILD_LABOUR.value


def rounds_for_user(user: User) -> QuerySet[SurveyRound]:
    """Rounds of units inside the user's area (figures only; the children are scoped below)."""
    return SurveyRound.objects.filter(unit_q(user, "unit")).select_related("unit")


def households_for_user(user: User) -> QuerySet[SurveyHousehold]:
    return SurveyHousehold.objects.filter(personal_data_q(user, "commune", "village"))


def members_for_user(user: User) -> QuerySet[SurveyMember]:
    return SurveyMember.objects.filter(personal_data_q(user, "household__commune", "household__village"))


def batches_for_user(user: User) -> QuerySet[ImportBatch]:
    return ImportBatch.objects.filter(unit_q(user, "commune")).select_related("commune", "imported_by")


def field_submissions_for_user(user: User) -> QuerySet[FieldSubmission]:
    return FieldSubmission.objects.filter(user=user)


def round_estimates(survey: SurveyRound) -> dict[str, Any]:
    """Weighted rates by ruleset (all, by sex, by age band), the unweighted counts and the
    response rate; three queries whatever the size of the round."""
    design = [(s, str(p)) for s, p in survey.psus.values_list("stratum", "pk")]
    selected = survey.psus.aggregate(n=Sum("households_selected"))["n"] or 0
    results = dict(
        survey.households.values_list("result").annotate(n=Count("pk")).order_by()
    )
    completed = results.get(InterviewResult.COMPLETED, 0)
    rows = list(
        SurveyMember.objects.filter(household__round=survey).values_list(
            "household__psu__stratum", "household__psu_id", "household__weight", "sex", "age", *RULESET_FIELDS.values()
        )
    )
    by_ruleset = {}
    for index, ruleset in enumerate(RULESET_FIELDS):
        people = [
            Person(stratum=r[0], psu=str(r[1]), weight=r[2], sex=r[3], age=r[4],
                   labour=r[5 + index] in CHILD_LABOUR_CATEGORIES, hazardous=r[5 + index] == HAZARDOUS)
            for r in rows
        ]
        by_ruleset[ruleset] = child_labour_estimates(people, design)
    return {
        "round": survey.pk,
        "year": survey.year,
        "title": survey.title,
        "children": len(rows),
        "households": {"selected": selected, "completed": completed, "recorded": sum(results.values()),
                       "refused": results.get(InterviewResult.REFUSED, 0), "absent": results.get(InterviewResult.ABSENT, 0)},
        "response_rate": completed / selected if selected else None,
        "estimates": by_ruleset,
    }


def latest_round_for(unit: AdminUnit, year: int) -> SurveyRound | None:
    """The most recent round of the unit itself for the year or the years before (a survey is
    taken every few years; the report says which year it is from)."""
    return (
        SurveyRound.objects.filter(unit=unit, year__lte=year)
        .annotate(members=Count("households__members"))
        .filter(members__gt=0)
        .order_by("-year", "-pk")
        .first()
    )


def previous_rate(unit: AdminUnit, round_pk: int) -> tuple[int, float] | None:
    """(year, weighted vn-law rate) of the unit's round before ``round_pk``, if any."""
    current = SurveyRound.objects.filter(pk=round_pk).values_list("year", flat=True).first()
    if current is None:
        return None
    earlier = (
        SurveyRound.objects.filter(unit=unit, year__lt=current).annotate(members=Count("households__members"))
        .filter(members__gt=0).order_by("-year", "-pk").first()
    )
    if earlier is None:
        return None
    value = round_estimates(earlier)["estimates"]["vn-law"]["all"]["rate"]["value"]
    return None if value is None else (earlier.year, value)


def members_in_labour(survey: SurveyRound, user: User) -> QuerySet[SurveyMember]:
    return (
        members_for_user(user)
        .filter(household__round=survey, category_vn_law__in=sorted(CHILD_LABOUR_CATEGORIES))
        .select_related("household__village", "child")
        .order_by("household__village__name", "household__number", "line")
    )


__all__ = ["Q", "latest_round_for", "members_for_user", "round_estimates", "rounds_for_user"]
