"""Factories and helpers that drive a case through its services to any state."""

from __future__ import annotations

import datetime as dt
from typing import Any

import factory
from django.utils import timezone

from clms.cases import services
from clms.cases.models import Case, Report, Source, State
from clms.people.models import Child
from clms.rules import fold


class ChildFactory(factory.django.DjangoModelFactory[Child]):
    class Meta:
        model = Child

    full_name = factory.Sequence(lambda n: f"Lê Thị Thử {n}")
    name_folded = factory.LazyAttribute(lambda o: fold(o.full_name))  # as child_create stores it
    sex = "F"
    dob = dt.date(2013, 5, 1)


class ReportFactory(factory.django.DjangoModelFactory[Report]):
    class Meta:
        model = Report

    source = Source.COMMUNE
    received_at = factory.LazyFunction(timezone.now)
    what_seen = "Thấy em bé bốc vác ở chợ."


def file_report(*, user: Any, child: Child, emergency: bool = False, received_at: dt.datetime | None = None,
                **kwargs: Any) -> Case:
    report = services.report_file(
        user=user, source=Source.COLLABORATOR, received_at=received_at or timezone.now(),
        what_seen="Em làm việc ở xưởng gạch cả ngày.", emergency=emergency, children=[child], **kwargs,
    )
    # A report about a child with an open case joins that case instead of opening one.
    return report.cases.first() or Case.objects.filter(child=child).order_by("-pk")[0]


def v(case: Case) -> int:
    case.refresh_from_db()
    return case.version


def advance(case: Case, state: str, *, user: Any, provider_unit: Any = None) -> Case:
    """Take an open case forward through the services until it reaches ``state``."""
    order: list[str] = [State.REPORTED, State.VERIFYING, State.ASSESSED, State.PLANNED, State.INTERVENING, State.MONITORING]
    if state == State.NOT_CONFIRMED:
        services.case_not_confirm(user=user, case=case, version=v(case), note="Không đúng sự thật")
        return case
    if state == State.CLOSED:
        services.case_close(user=user, case=case, version=v(case), reason="moved_away")
        return case
    while order.index(case.state) < order.index(state):
        current = case.state
        if current == State.REPORTED:
            services.case_verify(user=user, case=case, version=v(case), initial_risk="high", initial_note="Rủi ro cao")
        elif current == State.VERIFYING:
            services.case_assess(user=user, case=case, version=v(case))
        elif current == State.ASSESSED:
            assessment = case.assessment
            assessment.refresh_from_db()
            services.assessment_save(
                user=user, case=case, version=assessment.version, complete=True, risk_level="high",
                child_state="Sức khỏe yếu", needs="Đi học lại", child_views="Muốn đi học",
            )
            services.plan_save(user=user, case=case, version=None, goals="Em trở lại trường", drafted_on=None)
            services.plan_service_add(
                user=user, case=case, service_type="return_to_school", agency="education",
                provider_unit=provider_unit or case.commune,
            )
            services.case_plan(user=user, case=case, version=v(case))
        elif current == State.PLANNED:
            case.plan.refresh_from_db()
            if case.plan.approved_on is None:
                services.case_approve_plan(
                    user=user, case=case, version=v(case), approved_on=timezone.localdate(), decision_number="12/QĐ-UBND"
                )
            services.case_start_intervention(user=user, case=case, version=v(case))
        elif current == State.INTERVENING:
            services.case_start_monitoring(user=user, case=case, version=v(case))
        case.refresh_from_db()
    return case
