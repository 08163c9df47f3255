"""Early detection: a transparent risk screening whose weights live in data/risk_weights.json.

Each factor is a yes/no fact about the child or the household; the score is the sum of the
weights of the factors present, and the level comes from the thresholds in the same file.
The factors are stored with every assessment so that an officer sees *why* a child is high.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from clms.people.models import (
    Child,
    Classification,
    Household,
    RiskAssessment,
    RiskLevel,
    SchoolStatus,
)
from clms.people.reference import is_ethnic_minority, risk_weights

if TYPE_CHECKING:
    from clms.accounts.models import User

CHILD_LABOUR = ("CHILD_LABOUR", "HAZARDOUS_CHILD_LABOUR")

FACTOR_LABELS = {
    "dropped_out": _("Dropped out of school"),
    "never_enrolled": _("Never enrolled in school"),
    "irregular_attendance": _("Attends school irregularly"),
    "poor_household": _("Poor household"),
    "near_poor_household": _("Near-poor household"),
    "ethnic_minority_disadvantaged": _("Ethnic minority in an especially disadvantaged area"),
    "craft_village_household": _("Craft-village or craft household"),
    "fishing_household": _("Fishing household"),
    "previous_child_labour": _("Found in child labour before"),
    "sibling_child_labour": _("A sibling is in child labour"),
    "migrant_parents": _("Parents work away from home"),
    "special_circumstances": _("In special circumstances (Children Law Art. 10)"),
    "disability": _("Has a disability"),
}


@dataclass(frozen=True)
class Screening:
    factors: tuple[str, ...]
    score: int
    level: str
    version: str


def child_factors(
    *, child: Child, household: Household | None, previous_child_labour: bool, sibling_child_labour: bool
) -> list[str]:
    """The factors present for one child, in the order of FACTOR_LABELS."""
    present = {
        "dropped_out": child.school_status == SchoolStatus.DROPPED_OUT,
        "never_enrolled": child.school_status == SchoolStatus.NEVER_ENROLLED,
        "irregular_attendance": child.school_status == SchoolStatus.IRREGULAR,
        "previous_child_labour": previous_child_labour,
        "sibling_child_labour": sibling_child_labour,
        "special_circumstances": bool(child.special_circumstances),
        "disability": bool(child.disability.strip()),
    }
    if household is not None:
        present.update(
            {
                "poor_household": household.poverty_status == "poor",
                "near_poor_household": household.poverty_status == "near_poor",
                "ethnic_minority_disadvantaged": household.disadvantaged_area
                and (is_ethnic_minority(child.ethnicity) or is_ethnic_minority(household.ethnicity)),
                "craft_village_household": household.craft_household or household.craft_village_id is not None,
                "fishing_household": household.fishing_household,
                "migrant_parents": household.migrant_parents,
            }
        )
    return [name for name in FACTOR_LABELS if present.get(name)]


def screen(factors: Iterable[str], weights: dict[str, Any] | None = None) -> Screening:
    data = weights or risk_weights()
    present = tuple(factors)
    score = sum(int(data["weights"].get(name, 0)) for name in present)
    thresholds = data["thresholds"]
    if score >= thresholds["high"]:
        level = RiskLevel.HIGH
    elif score >= thresholds["medium"]:
        level = RiskLevel.MEDIUM
    else:
        level = RiskLevel.LOW
    return Screening(present, score, str(level), data["version"])


def factor_rows(factors: Iterable[str], weights: dict[str, Any] | None = None) -> list[dict[str, Any]]:
    data = weights or risk_weights()
    return [{"code": f, "weight": int(data["weights"].get(f, 0))} for f in factors]


def _labour_children(child_ids: Iterable[int]) -> set[int]:
    return set(
        Classification.objects.filter(
            observation__child_id__in=list(child_ids), ruleset="vn-law", is_current=True, category__in=CHILD_LABOUR
        ).values_list("observation__child_id", flat=True)
    )


@transaction.atomic
def child_assess_risk(*, child: Child, user: User | None = None, on: dt.date | None = None) -> Screening:
    """Screen the child again; store a RiskAssessment when the result changed, update risk_level."""
    household = child.household
    family = [child.pk]
    if household is not None:
        family += list(
            Child.objects.filter(household=household, merged_into__isnull=True).exclude(pk=child.pk).values_list("pk", flat=True)
        )
    labour = _labour_children(family)
    result = screen(
        child_factors(
            child=child,
            household=household,
            previous_child_labour=child.pk in labour,
            sibling_child_labour=bool(labour - {child.pk}),
        )
    )
    latest = child.risk_assessments.order_by("-assessed_on", "-pk").first()
    codes = [f["code"] for f in latest.factors] if latest else None
    if latest is None or latest.level != result.level or codes != list(result.factors) or latest.weights_version != result.version:
        RiskAssessment.objects.create(
            child=child,
            assessed_on=on or timezone.localdate(),
            level=result.level,
            score=Decimal(result.score),
            factors=factor_rows(result.factors),
            weights_version=result.version,
            assessed_by=user if getattr(user, "is_authenticated", False) else None,
        )
    if child.risk_level != result.level:
        child.risk_level = result.level
        Child.objects.filter(pk=child.pk).update(risk_level=result.level)
    return result


def household_assess_risk(*, household: Household, user: User | None = None) -> None:
    """Screen every child of the household (a household fact or a sibling's work changed)."""
    for member in Child.objects.filter(household=household, merged_into__isnull=True).select_related("household"):
        child_assess_risk(child=member, user=user)
