"""Writes of the survey app: rounds and their design, surveyed households and children (each
classified by ``clms.rules`` under the law and both statistical standards), and the one step
that puts a surveyed child in child labour on the register."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from clms.accounts.audit import audit_log
from clms.accounts.models import AuditAction
from clms.accounts.policy import Perm, require
from clms.people.classification import CHILD_LABOUR_CATEGORIES, RULESETS
from clms.places.models import AdminUnit, Level
from clms.places.scoping import can_write_unit
from clms.rules import Category, RulesetNotAvailable, Situation, age_in_years, classify
from clms.surveys.models import (
    InterviewResult,
    SurveyHousehold,
    SurveyMember,
    SurveyPSU,
    SurveyRound,
)

if TYPE_CHECKING:
    from clms.accounts.models import User

MIN_AGE, MAX_AGE = 5, 17
SITUATION_FIELDS = ("activity", "job_code", "workplace_code", "hours_per_day", "days_per_week", "night_work",
                    "hazards", "load_kg", "chores_hours_week", "school_status")


def _check_unit(user: User, unit: AdminUnit) -> None:
    require(user, Perm.REGISTER_MANAGE)
    if not can_write_unit(user, unit):
        raise PermissionDenied


@transaction.atomic
def round_create(*, user: User, unit: AdminUnit, year: int, title: str, questionnaire_version: str,
                 true_rate: float | None = None) -> SurveyRound:
    if unit.level not in (Level.COMMUNE, Level.DISTRICT, Level.PROVINCE):
        raise ValidationError({"unit": _("A survey covers a commune, a district or a province.")})
    _check_unit(user, unit)
    survey = SurveyRound(unit=unit, year=year, title=title.strip(), questionnaire_version=questionnaire_version.strip(),
                         created_by=user, true_rate=true_rate)
    survey.full_clean()
    survey.save()
    audit_log(user=user, action=AuditAction.CREATE, object_type="surveys.surveyround", object_id=survey.pk)
    return survey


@transaction.atomic
def psu_add(*, user: User, survey: SurveyRound, stratum: str, village: AdminUnit, households_listed: int,
            households_selected: int, psu_weight: float = 1.0) -> SurveyPSU:
    _check_unit(user, survey.unit)
    errors: dict[str, list[str]] = {}
    if village.level != Level.VILLAGE or not village.path.startswith(survey.unit.path):
        errors.setdefault("village", []).append(_("The village is not inside the unit of the survey."))
    if households_selected < 1 or households_selected > households_listed:
        errors.setdefault("households_selected", []).append(
            _("Between one household and the number of households listed."))
    if psu_weight < 1:
        errors.setdefault("psu_weight", []).append(_("An inverse probability is at least 1."))
    if SurveyPSU.objects.filter(round=survey, village=village).exists():
        errors.setdefault("village", []).append(_("This village is already a sampling unit of the survey."))
    if errors:
        raise ValidationError(errors)
    psu = SurveyPSU(round=survey, stratum=stratum.strip() or "1", village=village, psu_weight=psu_weight,
                    households_listed=households_listed, households_selected=households_selected)
    psu.full_clean()
    psu.save()
    return psu


@dataclass
class MemberInput:
    line: int
    full_name: str
    sex: str
    dob: dt.date
    situation: dict[str, Any] = field(default_factory=dict)


def situation_for(member: MemberInput, on: dt.date) -> Situation:
    s = member.situation
    hours = s.get("hours_per_day")
    days = s.get("days_per_week")
    return Situation(
        dob=member.dob, as_of=on, sex=member.sex,
        activity=s.get("activity") or None,
        job_code=s.get("job_code") or None,
        workplace_code=s.get("workplace_code") or None,
        hours_day_max=hours,
        hours_week=hours * days if hours is not None and days is not None else None,
        night_work=s.get("night_work"),
        hazards=frozenset(s.get("hazards") or ()),
        load_kg=s.get("load_kg"),
        chores_hours_week=s.get("chores_hours_week"),
    )


def member_categories(member: MemberInput, on: dt.date) -> tuple[dict[str, str], dict[str, str]]:
    """Category and ruleset id under each ruleset; a ValidationError naming the input the law
    cannot read (an unknown code, 30 hours a day)."""
    try:
        situation = situation_for(member, on)
    except (ValueError, TypeError) as exc:
        raise ValidationError(str(exc)) from exc
    categories, ids = {}, {}
    for ruleset in RULESETS:
        try:
            decision = classify(situation, ruleset=ruleset)
        except RulesetNotAvailable as exc:
            raise ValidationError(str(exc)) from exc
        categories[ruleset] = decision.category.value
        ids[ruleset] = decision.ruleset_id
    return categories, ids


def check_member(member: MemberInput, on: dt.date) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if member.sex not in ("M", "F"):
        errors.setdefault("member_sex", []).append(_("Sex is M or F."))
    age = age_in_years(member.dob, on) if member.dob <= on else -1
    if not MIN_AGE <= age <= MAX_AGE:
        errors.setdefault("member_dob", []).append(_("Only children aged 5 to 17 on the day of the interview."))
    if not errors:
        try:
            member_categories(member, on)
        except ValidationError as exc:
            errors.setdefault("activity", []).extend(exc.messages)
    return errors


@transaction.atomic
def household_record(*, user: User, psu: SurveyPSU, number: int, result: str, interviewed_on: dt.date | None,
                     head_name: str = "", members: list[MemberInput] | None = None,
                     instance_id: str = "") -> SurveyHousehold:
    survey = psu.round
    _check_unit(user, survey.unit)
    errors: dict[str, list[str]] = {}
    if result not in InterviewResult.values:
        errors.setdefault("result", []).append(_("Unknown interview result."))
    if interviewed_on is not None and interviewed_on > timezone.localdate():
        errors.setdefault("interviewed_on", []).append(_("The date is in the future."))
    if SurveyHousehold.objects.filter(psu=psu, number=number).exists():
        errors.setdefault("household_number", []).append(_("This household of the village is already recorded."))
    if SurveyHousehold.objects.filter(psu=psu).count() >= psu.households_selected:
        errors.setdefault("household_number", []).append(_("All households selected in this village are recorded."))
    members = members or []
    if members and result != InterviewResult.COMPLETED:
        errors.setdefault("result", []).append(_("Children are recorded only for a completed interview."))
    on = interviewed_on or dt.date(survey.year, 12, 31)
    for member in members:
        for name, messages in check_member(member, on).items():
            errors.setdefault(name, []).extend(f"{member.line}: {m}" for m in messages)
    if errors:
        raise ValidationError(errors)
    village = psu.village
    household = SurveyHousehold(
        round=survey, psu=psu, commune=village.parent, village=village, number=number, head_name=head_name.strip(),
        result=result, interviewed_on=interviewed_on, weight=psu.household_weight, instance_id=instance_id,
    )
    household.full_clean()
    household.save()
    for member in members:
        categories, ids = member_categories(member, on)
        SurveyMember.objects.create(
            household=household, line=member.line, full_name=" ".join(member.full_name.split()), sex=member.sex,
            dob=member.dob, age=age_in_years(member.dob, on), situation=_json(member.situation),
            category_vn_law=categories["vn-law"], category_mics6=categories["mics6"],
            category_sdg2021=categories["sdg2021"], ruleset_ids=ids,
        )
    return household


def _json(situation: dict[str, Any]) -> dict[str, Any]:
    return {k: (sorted(v) if isinstance(v, set | frozenset) else v) for k, v in situation.items() if v not in (None, "", [])}


def in_child_labour(member: SurveyMember) -> bool:
    return member.category_vn_law in CHILD_LABOUR_CATEGORIES


@transaction.atomic
def member_register(*, user: User, member: SurveyMember, confirm_new: bool = False, existing: Any = None) -> Any:
    """Put a surveyed child found in child labour on the register in one step: a report with
    source "survey" (the register's duplicate check first, unless ``confirm_new`` or an
    ``existing`` child is named), and the surveyed work as a classified observation."""
    from clms.cases.models import Source
    from clms.cases.services import NewChild, report_file
    from clms.people.services import observation_record

    # The area first: whether another commune's surveyed child is on the register is not told.
    require(user, Perm.REGISTER_WRITE, member.household.commune)
    if member.child_id is not None:
        raise ValidationError(_("This child is already on the register."))
    if not in_child_labour(member):
        raise ValidationError(_("Only a child the survey found in child labour is added from here."))
    household = member.household
    interviewed = household.interviewed_on or dt.date(household.round.year, 12, 31)
    seen = _("Found in child labour by the household survey “%(survey)s” (household %(number)s of %(village)s).") % {
        "survey": household.round.title, "number": household.number, "village": household.village.name,
    }
    received = timezone.make_aware(dt.datetime.combine(interviewed, dt.time(12, 0)))
    kwargs: dict[str, Any] = {}
    if existing is not None:
        kwargs["children"] = [existing]
    else:
        kwargs["new_children"] = [NewChild(full_name=member.full_name, sex=member.sex, dob=member.dob,
                                           village=household.village)]
    report = report_file(user=user, source=Source.SURVEY, received_at=received, what_seen=seen,
                         commune=household.commune, confirm_new=confirm_new, **kwargs)
    case = report.cases.select_related("child").order_by("pk").first()
    assert case is not None  # noqa: S101 - report_file opens one case per child
    child = case.child
    s = member.situation
    fields = {k: s[k] for k in ("job_code", "workplace_code", "hours_per_day", "days_per_week", "night_work",
                                "load_kg", "chores_hours_week") if s.get(k) not in (None, "")}
    fields["hazards"] = list(s.get("hazards") or [])
    observation_record(user=user, child=child, observed_on=interviewed, activity=s.get("activity") or "NONE",
                       note=seen, **fields)
    SurveyMember.objects.filter(pk=member.pk).update(child=child)
    member.child = child
    audit_log(user=user, action=AuditAction.CREATE, object_type="people.child", object_id=child.pk,
              detail={"survey_member": member.pk, "report": report.pk})
    return child


__all__ = ["Category", "MemberInput", "household_record", "member_register", "psu_add", "round_create"]
