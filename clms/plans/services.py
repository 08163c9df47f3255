"""Writes to plans: a commune's own plan, task progress, budget lines, pilot models."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from clms.accounts.policy import RULES, Perm, require
from clms.core.locking import save_versioned, update_versioned
from clms.places.models import AdminUnit, Level
from clms.plans import selectors
from clms.plans.models import (
    BudgetLine,
    Comparator,
    ContentArea,
    Indicator,
    PilotModel,
    PilotModelType,
    Plan,
    PlanLevel,
    SourceStatus,
    Target,
    Task,
    TaskProgress,
)

if TYPE_CHECKING:
    from clms.accounts.models import User

BUDGET_WRITERS = RULES[Perm.BUDGET_WRITE]

_UPPER = (Comparator.LE, Comparator.LT)
_LOWER = (Comparator.GE, Comparator.GT)


@dataclass(frozen=True)
class TargetInput:
    indicator: str
    year: int
    comparator: str
    value: Decimal | None


_SYMBOLS = {Comparator.LE: "≤", Comparator.LT: "<", Comparator.GE: "≥", Comparator.GT: ">", Comparator.EQ: "="}


def describe_target(comparator: str, value: Decimal | None) -> str:
    """``≤ 0,5%`` in Vietnamese; "decrease" in words, since it has no figure."""
    if comparator == Comparator.DECREASE or value is None:
        return str(Comparator(comparator).label)
    return f"{_SYMBOLS[Comparator(comparator)]} {number_format(value.normalize())}%"


def is_not_weaker(*, child: TargetInput, parent: Target) -> bool:
    """Whether a commune's target asks at least as much as its parent plan's.

    Upper bounds (rates to push down) must be no higher; lower bounds (coverage to push up)
    no lower; at an equal figure a strict comparator beats a lenient one but not the reverse.
    """
    if parent.comparator == Comparator.DECREASE:
        # Any figure the commune commits to is at least as demanding as "decrease".
        return child.comparator in (Comparator.DECREASE, *_UPPER) and (
            child.comparator == Comparator.DECREASE or child.value is not None
        )
    if child.value is None or parent.value is None:
        return False
    if parent.comparator in _UPPER:
        if child.comparator not in (*_UPPER, Comparator.EQ):
            return False
        if child.value != parent.value:
            return child.value < parent.value
        return not (child.comparator == Comparator.LE and parent.comparator == Comparator.LT)
    if parent.comparator in _LOWER:
        if child.comparator not in (*_LOWER, Comparator.EQ):
            return False
        if child.value != parent.value:
            return child.value > parent.value
        return not (child.comparator == Comparator.GE and parent.comparator == Comparator.GT)
    # An exact parent target can only be repeated.
    return child.comparator == Comparator.EQ and child.value == parent.value


def _check_targets(parent: Plan, targets: Sequence[TargetInput]) -> None:
    parent_targets = {(t.indicator, t.year): t for t in parent.targets.all()}
    errors: list[str] = []
    for item in targets:
        label = Indicator(item.indicator).label
        if item.comparator != Comparator.DECREASE and item.value is None:
            errors.append(_("Enter a value for the target “%(indicator)s” (%(year)s).") % {"indicator": label, "year": item.year})
            continue
        if item.value is not None and not (Decimal(0) <= item.value <= Decimal(100)):
            errors.append(
                _("The target “%(indicator)s” (%(year)s) must be a percentage between 0 and 100.")
                % {"indicator": label, "year": item.year}
            )
            continue
        base = parent_targets.get((item.indicator, item.year))
        if base is not None and not is_not_weaker(child=item, parent=base):
            errors.append(
                _(
                    "The target “%(indicator)s” for %(year)s (%(value)s) is weaker than the parent plan's "
                    "(%(parent)s). A commune plan may only be stricter."
                )
                % {
                    "indicator": label,
                    "year": item.year,
                    "value": describe_target(item.comparator, item.value),
                    "parent": describe_target(base.comparator, base.value),
                }
            )
    if errors:
        raise ValidationError({"targets": errors})


def _check_commune_writer(user: User, commune: AdminUnit) -> None:
    require(user, Perm.PLAN_WRITE, commune)
    if commune.level != Level.COMMUNE:
        raise PermissionDenied


def _write_targets(plan: Plan, parent: Plan, targets: Sequence[TargetInput]) -> None:
    parent_by_key = {(t.indicator, t.year): t for t in parent.targets.select_related("content_area")}
    plan.targets.all().delete()
    for item in targets:
        base = parent_by_key.get((item.indicator, item.year))
        target = Target(
            plan=plan,
            indicator=item.indicator,
            year=item.year,
            comparator=item.comparator,
            value=None if item.comparator == Comparator.DECREASE else item.value,
            source_status=SourceStatus.VERIFIED,
            wording=base.wording if base else "",
        )
        target.full_clean(exclude=["content_area"])
        target.save()


@transaction.atomic
def commune_plan_create(
    *,
    user: User,
    commune: AdminUnit,
    parent: Plan,
    number: str,
    issued_on: dt.date | None,
    targets: Sequence[TargetInput],
) -> Plan:
    """A commune adopts its own plan from the plan above it, with targets at least as strict (V.14)."""
    _check_commune_writer(user, commune)
    if parent.scope_level == PlanLevel.COMMUNE:
        raise ValidationError({"parent": _("A commune plan is made from a district, province or national plan.")})
    if Plan.objects.filter(scope_unit=commune, scope_level=PlanLevel.COMMUNE, period_start=parent.period_start).exists():
        raise ValidationError({"number": _("This commune already has a plan for this period.")})
    _check_targets(parent, targets)
    plan = Plan(
        issuer=_("People's Committee of %(commune)s") % {"commune": commune.name},
        number=number.strip(),
        issued_on=issued_on,
        title=_("Plan to prevent and reduce child labour in %(commune)s, %(start)s-%(end)s")
        % {"commune": commune.name, "start": parent.period_start, "end": parent.period_end},
        scope_level=PlanLevel.COMMUNE,
        scope_code=commune.code,
        scope_unit=commune,
        period_start=parent.period_start,
        period_end=parent.period_end,
        orientation_year=parent.orientation_year,
        parent=parent,
        report_deadline_day=parent.report_deadline_day,
        report_deadline_month=parent.report_deadline_month,
        created_by=user,
    )
    plan.full_clean(exclude=["key"])
    plan.save()
    for area in parent.content_areas.all():
        ContentArea.objects.create(plan=plan, code=area.code, title=area.title, order=area.order)
    _write_targets(plan, parent, targets)
    return plan


@transaction.atomic
def commune_plan_update(
    *,
    user: User,
    plan: Plan,
    version: int,
    number: str,
    issued_on: dt.date | None,
    targets: Sequence[TargetInput],
) -> Plan:
    if plan.scope_level != PlanLevel.COMMUNE or plan.scope_unit is None or plan.parent is None:
        raise PermissionDenied
    _check_commune_writer(user, plan.scope_unit)
    _check_targets(plan.parent, targets)
    plan.number = number.strip()
    plan.issued_on = issued_on
    plan.full_clean(exclude=["key"])
    save_versioned(plan, expected_version=version, fields=["number", "issued_on"])
    _write_targets(plan, plan.parent, targets)
    return plan


@transaction.atomic
def task_update(*, user: User, task: Task, version: int, status: str, note: str, on: dt.date) -> TaskProgress:
    """Record progress on a task and set its status; only the agency's own officer or a supervisor."""
    if not selectors.user_acts_for_agency(user, task.agency):
        raise PermissionDenied
    note = note.strip()
    if not note:
        raise ValidationError({"note": _("Describe the progress made.")})
    today = dt.date.today()  # noqa: DTZ011 - a calendar date in the server's own zone is what officers mean
    if on > today:
        raise ValidationError({"on": _("The date of a progress note cannot be in the future.")})
    task.status = status
    task.full_clean()
    save_versioned(task, expected_version=version, fields=["status"])
    progress = TaskProgress(task=task, on=on, author=user, status=status, text=note)
    progress.full_clean()
    progress.save()
    return progress


def _check_budget(*, user: User, line: BudgetLine) -> None:
    require(user, Perm.BUDGET_WRITE, line.unit)
    errors: dict[str, list[str]] = {}
    if line.unit.level not in (Level.COMMUNE, Level.DISTRICT, Level.PROVINCE):
        errors["unit"] = [_("A budget line belongs to a commune, a district or the province.")]
    if line.content_area is not None and line.content_area.plan_id != line.plan_id:
        errors["content_area"] = [_("This content area belongs to another plan.")]
    last_year = max(line.plan.period_end, line.plan.orientation_year or line.plan.period_end)
    if not (line.plan.period_start <= line.year <= last_year):
        errors["year"] = [
            _("The year must lie between %(start)s and %(end)s, the years of the plan.")
            % {"start": line.plan.period_start, "end": last_year}
        ]
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def budget_line_create(
    *,
    user: User,
    plan: Plan,
    year: int,
    unit: AdminUnit,
    source: str,
    description: str,
    planned: int,
    spent: int = 0,
    content_area: ContentArea | None = None,
) -> BudgetLine:
    line = BudgetLine(
        plan=plan,
        year=year,
        unit=unit,
        source=source,
        description=description.strip(),
        planned=planned,
        spent=spent,
        content_area=content_area,
        created_by=user,
    )
    _check_budget(user=user, line=line)
    line.full_clean()
    line.save()
    return line


@transaction.atomic
def budget_line_update(*, user: User, line: BudgetLine, version: int, **fields: Any) -> BudgetLine:
    return update_versioned(line, version=version, fields=fields, check=lambda it: _check_budget(user=user, line=it))


def _check_pilot(*, user: User, pilot: PilotModel) -> None:
    require(user, Perm.BUDGET_WRITE)
    if pilot.commune.level != Level.COMMUNE:
        raise ValidationError({"commune": _("A pilot model runs in a commune.")})
    require(user, Perm.BUDGET_WRITE, pilot.commune)


@transaction.atomic
def pilot_model_create(
    *,
    user: User,
    model_type: PilotModelType,
    commune: AdminUnit,
    name: str,
    started_on: dt.date,
    status: str,
    beneficiaries: int = 0,
    lead_agency: str = "",
    notes: str = "",
) -> PilotModel:
    pilot = PilotModel(
        model_type=model_type,
        commune=commune,
        name=name.strip(),
        started_on=started_on,
        status=status,
        beneficiaries=beneficiaries,
        lead_agency=lead_agency,
        notes=notes.strip(),
        created_by=user,
    )
    _check_pilot(user=user, pilot=pilot)
    pilot.full_clean()
    pilot.save()
    return pilot


@transaction.atomic
def pilot_model_update(*, user: User, pilot: PilotModel, version: int, **fields: Any) -> PilotModel:
    return update_versioned(pilot, version=version, fields=fields, check=lambda it: _check_pilot(user=user, pilot=it))
