"""The case plan, its services, its approval and the start of the intervention and monitoring."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from clms.accounts.models import Agency
from clms.cases.catalogue import service_types
from clms.cases.models import (
    Assessment,
    Case,
    CasePlan,
    EventKind,
    NotificationKind,
    PlanService,
    Referral,
    State,
    StepCode,
)
from clms.cases.services.common import (
    InvalidTransition,
    check_case_writer,
    check_transition,
    moment_of,
    step_done,
    step_open,
    transition_apply,
)
from clms.cases.services.notifications import notify
from clms.cases.services.referrals import agency_officers_for, referral_notice
from clms.core.locking import save_versioned
from clms.places.models import AdminUnit, Level

if TYPE_CHECKING:
    from clms.accounts.models import User


@transaction.atomic
def plan_save(*, user: User, case: Case, version: int | None, goals: str, drafted_on: dt.date | None) -> CasePlan:
    check_case_writer(user, case)
    if case.state != State.ASSESSED:
        raise InvalidTransition(_("The plan can be changed only before it is submitted for approval."))
    if drafted_on is not None and drafted_on > timezone.localdate():
        raise ValidationError({"drafted_on": _("The date is in the future.")})
    plan, created = CasePlan.objects.get_or_create(case=case)
    plan.goals = goals.strip()
    plan.drafted_on = drafted_on
    plan.full_clean()
    save_versioned(plan, expected_version=plan.version if created or version is None else version,
                   fields=["goals", "drafted_on"])
    return plan


@transaction.atomic
def plan_service_add(*, user: User, case: Case, service_type: str, agency: str, provider_unit: AdminUnit,
                     description: str = "", due_on: dt.date | None = None) -> PlanService:
    check_case_writer(user, case)
    if case.state != State.ASSESSED:
        raise InvalidTransition(_("The plan can be changed only before it is submitted for approval."))
    errors: dict[str, list[str]] = {}
    if service_type not in service_types():
        errors["service_type"] = [_("Unknown service.")]
    if agency not in Agency.values:
        errors["agency"] = [_("Unknown agency.")]
    if provider_unit.level == Level.VILLAGE or not (
        provider_unit.path and case.commune.path.startswith(provider_unit.path) or provider_unit == case.commune
    ):
        # The provider sits at the child's commune or a unit above it, never elsewhere.
        errors["provider_unit"] = [_("Choose the child's commune or a unit above it.")]
    if errors:
        raise ValidationError(errors)
    plan, _created = CasePlan.objects.get_or_create(case=case)
    service = PlanService(
        plan=plan, service_type=service_type, agency=agency, provider_unit=provider_unit,
        description=description.strip(), due_on=due_on,
    )
    service.full_clean()
    service.save()
    return service


@transaction.atomic
def plan_service_remove(*, user: User, case: Case, service: PlanService) -> None:
    check_case_writer(user, case)
    if case.state != State.ASSESSED or service.plan.case_id != case.pk:
        raise InvalidTransition(_("The plan can be changed only before it is submitted for approval."))
    service.delete()


@transaction.atomic
def case_plan(*, user: User, case: Case, version: int) -> Case:
    """Submit the drafted plan for approval (Decree 56 Art. 28(1)-(3), Form 04)."""
    check_case_writer(user, case)
    check_transition(case, "plan")
    assessment = Assessment.objects.filter(case=case).first()
    plan = CasePlan.objects.filter(case=case).first()
    errors = []
    if assessment is None or assessment.completed_at is None:
        errors.append(_("Complete the detailed assessment first."))
    if plan is None or not plan.goals:
        errors.append(_("Write the goals of the plan."))
    if plan is None or not plan.services.exists():
        errors.append(_("Add at least one service to the plan."))
    if errors:
        raise ValidationError(errors)
    assert plan is not None  # noqa: S101 - checked above
    now = timezone.now()
    transition_apply(case, user=user, action="plan", version=version, kind=EventKind.PLAN, now=now)
    plan.submitted_at = now
    plan.drafted_on = plan.drafted_on or timezone.localdate()
    plan.approved_on = None
    plan.decision_number = ""
    plan.approver_name = ""
    plan.save(update_fields=["submitted_at", "drafted_on", "approved_on", "decision_number", "approver_name"])
    step_done(case, StepCode.PLAN_DRAFT, now)
    step_open(case, step=StepCode.PLAN_APPROVAL, start=now)
    return case


@transaction.atomic
def case_approve_plan(*, user: User, case: Case, version: int, approved_on: dt.date, decision_number: str,
                      approver_name: str = "") -> Case:
    """Record the commune chair's decision approving the plan (Art. 28(4)-(5), Form 05);
    each planned service becomes a referral to its provider agency."""
    check_case_writer(user, case)
    check_transition(case, "approve_plan")
    plan = CasePlan.objects.get(case=case)
    errors: dict[str, list[str]] = {}
    if plan.approved_on is not None:
        raise InvalidTransition(_("The plan is already approved."))
    if approved_on > timezone.localdate():
        errors["approved_on"] = [_("The approval date is in the future.")]
    elif plan.submitted_at and approved_on < timezone.localtime(plan.submitted_at).date():
        errors["approved_on"] = [_("The plan was approved before it was submitted.")]
    if not decision_number.strip():
        errors["decision_number"] = [_("Enter the number of the decision.")]
    if errors:
        raise ValidationError(errors)
    now = timezone.now()
    plan.approved_on = approved_on
    plan.decision_number = decision_number.strip()
    plan.approver_name = approver_name.strip()
    plan.approval_recorded_by = user
    plan.save(update_fields=["approved_on", "decision_number", "approver_name", "approval_recorded_by"])
    transition_apply(
        case, user=user, action="approve_plan", version=version, kind=EventKind.APPROVE_PLAN, now=now,
        note=decision_number,
    )
    step_done(case, StepCode.PLAN_APPROVAL, moment_of(approved_on, now))
    for service in plan.services.select_related("provider_unit").filter(referral__isnull=True):
        referral = Referral.objects.create(
            case=case, plan_service=service, service_type=service.service_type, agency=service.agency,
            provider_unit=service.provider_unit, description=service.description, due_on=service.due_on,
            sent_at=now, sent_by=user,
        )
        for officer in agency_officers_for(referral):
            notify(
                user=officer, case=case, kind=NotificationKind.REFERRAL, referral=referral,
                text=referral_notice(referral, service_types()[service.service_type].label, now=now),
            )
    return case


@transaction.atomic
def case_start_intervention(*, user: User, case: Case, version: int) -> Case:
    check_case_writer(user, case)
    check_transition(case, "start_intervention")
    plan = CasePlan.objects.filter(case=case).first()
    if plan is None or plan.approved_on is None:
        raise ValidationError(_("The plan must be approved before the intervention starts."))
    transition_apply(case, user=user, action="start_intervention", version=version, kind=EventKind.START_INTERVENTION,
                now=timezone.now())
    return case


@transaction.atomic
def case_start_monitoring(*, user: User, case: Case, version: int) -> Case:
    check_case_writer(user, case)
    now = timezone.now()
    transition_apply(case, user=user, action="start_monitoring", version=version, kind=EventKind.START_MONITORING, now=now)
    step_open(case, step=StepCode.FOLLOW_UP, start=now)
    return case
