"""From a stored observation to clms.rules and back: the register's use of the law as code."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from decimal import Decimal

from django.db import transaction

from clms.people.models import Child, Classification, RegisterStatus, RiskLevel, WorkObservation
from clms.rules import Category, RulesetNotAvailable, Situation, classify

# Every observation is classified under the law and both statistical standards, so that
# reports can show either count and the child page can show why they differ.
RULESETS = ("vn-law", "mics6", "sdg2021")
NOT_CLASSIFIED = "NOT_CLASSIFIED"
CHILD_LABOUR_CATEGORIES = frozenset({Category.CHILD_LABOUR.value, Category.HAZARDOUS_CHILD_LABOUR.value})
# Children Law Art. 1: a child is a person under 16; older minors working unlawfully are
# "người chưa thành niên lao động trái quy định" in the plan's words.
CHILD_AGE_LIMIT = 16


def _num(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


def situation_of(observation: WorkObservation, child: Child | None = None) -> Situation:
    child = child or observation.child
    hours_week = observation.hours_per_week
    if hours_week is None and observation.hours_per_day is not None and observation.days_per_week is not None:
        hours_week = observation.hours_per_day * observation.days_per_week
    return Situation(
        dob=child.dob,
        as_of=observation.observed_on,
        activity=observation.activity or None,
        worst_forms=frozenset(observation.worst_forms or ()),
        job_code=observation.job_code or None,
        workplace_code=observation.workplace_code or None,
        hours_day_max=_num(observation.hours_per_day),
        hours_week=_num(hours_week),
        night_work=observation.night_work,
        overtime=observation.overtime,
        sex=child.sex or None,
        load_kg=_num(observation.load_kg),
        load_regular=observation.load_regular,
        contract_written_child_and_rep=observation.contract_written,
        parent_consent=observation.parent_consent,
        health_cert=observation.health_cert,
        last_health_check=observation.last_health_check,
        affects_study_time=observation.affects_study_time,
        osh_age_appropriate=observation.osh_age_appropriate,
        separate_register=observation.separate_register,
        provincial_consent=observation.provincial_consent,
        harms_study_health_safety=observation.harms_study_health_safety,
        chores_hours_week=_num(observation.chores_hours_week),
        hazards=frozenset(observation.hazards or ()),
    )


def build_classifications(
    observation: WorkObservation, child: Child | None = None, *, make: Callable[..., Classification] = Classification,
) -> list[Classification]:
    """Unsaved Classification rows, one per ruleset, for the observation as it is now.

    ``make`` builds each row from its field values; the generator passes its cheaper
    constructor (clms.demo.generator.fast) for the millions of rows it writes."""
    situation = situation_of(observation, child)
    rows = []
    for ruleset in RULESETS:
        try:
            decision = classify(situation, ruleset=ruleset)
        except RulesetNotAvailable as exc:
            # Spec §7 point 10: observations before 15 March 2021 fall under the old lists,
            # which are not encoded; flag them instead of applying Circular 09/2020.
            rows.append(
                make(
                    observation=observation,
                    ruleset=ruleset,
                    ruleset_id="",
                    category=NOT_CLASSIFIED,
                    missing=["ruleset"],
                    explanation=str(exc),
                )
            )
            continue
        data = decision.as_dict()
        rows.append(
            make(
                observation=observation,
                ruleset=ruleset,
                ruleset_id=data["ruleset_id"],
                category=data["category"],
                subtype=data["subtype"] or "",
                age=data["age"],
                references=data["references"],
                violations=data["violations"],
                conditions=data["conditions"],
                missing=data["missing"],
                explanation=data["explanation"],
            )
        )
    return rows


@transaction.atomic
def observation_classify(observation: WorkObservation) -> list[Classification]:
    """Replace the observation's current classifications; old ones are kept as history."""
    Classification.objects.filter(observation=observation, is_current=True).update(is_current=False)
    rows = build_classifications(observation)
    Classification.objects.bulk_create(rows)
    return rows


def age_on(dob: dt.date, day: dt.date) -> int:
    return day.year - dob.year - ((day.month, day.day) < (dob.month, dob.day))


def register_status_for(category: str, age: int | None, risk_level: str) -> str:
    if category in CHILD_LABOUR_CATEGORIES:
        if age is not None and age >= CHILD_AGE_LIMIT:
            return RegisterStatus.MINOR_UNLAWFUL
        return RegisterStatus.CHILD_LABOUR
    if category or risk_level == RiskLevel.LOW:
        return RegisterStatus.MONITORED if risk_level == RiskLevel.LOW else RegisterStatus.AT_RISK
    return RegisterStatus.AT_RISK


def child_refresh_status(child: Child) -> None:
    """Recompute the denormalised status fields from the latest observation."""
    latest = (
        Classification.objects.filter(observation__child=child, ruleset="vn-law", is_current=True)
        .select_related("observation")
        .order_by("-observation__observed_on", "-observation__pk")
        .first()
    )
    if latest is None:
        child.latest_category = ""
        child.latest_observed_on = None
        age = None
    else:
        child.latest_category = latest.category
        child.latest_observed_on = latest.observation.observed_on
        age = latest.age
    child.register_status = register_status_for(child.latest_category, age, child.risk_level)
    Child.objects.filter(pk=child.pk).update(
        latest_category=child.latest_category,
        latest_observed_on=child.latest_observed_on,
        register_status=child.register_status,
    )


def reclassify(observations: Iterable[WorkObservation]) -> list[tuple[WorkObservation, str, str]]:
    """Classify again under the rulesets in force now; return (observation, old, new) of vn-law moves."""
    moved = []
    for observation in observations:
        old = (
            Classification.objects.filter(observation=observation, ruleset="vn-law", is_current=True)
            .values_list("category", "ruleset_id")
            .first()
        )
        rows = observation_classify(observation)
        new = next(r for r in rows if r.ruleset == "vn-law")
        if old is None or old != (new.category, new.ruleset_id):
            moved.append((observation, old[0] if old else "", new.category))
        child_refresh_status(observation.child)
    return moved
