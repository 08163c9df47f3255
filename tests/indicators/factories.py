"""Factories for the records behind the indicators: cases with their steps and events,
outreach activities with reach and attendance lists, employers, denominators."""

from __future__ import annotations

import datetime as dt
from typing import Any

import factory
from django.utils import timezone

from clms.cases.models import Case, CaseEvent, CaseStep, Report, Source, State
from clms.employers.models import Employer, EmployerKind, Sector
from clms.outreach.models import ActivityKind, ActivityStatus, Attendee, OutreachActivity, Reach
from clms.people.models import Child, Visit
from clms.places.models import Denominator
from clms.rules import fold


def local(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> dt.datetime:
    """An aware datetime in the local zone (Asia/Ho_Chi_Minh, UTC+7)."""
    return timezone.make_aware(dt.datetime(year, month, day, hour, minute))  # noqa: DTZ001 - made aware just here


class ReportFactory(factory.django.DjangoModelFactory[Report]):
    class Meta:
        model = Report

    source = Source.COMMUNE
    what_seen = "Thấy em bốc vác ở chợ."


class CaseFactory(factory.django.DjangoModelFactory[Case]):
    """A case and its report, at the child's commune; ``received_at`` is required."""

    class Meta:
        model = Case

    report = factory.SubFactory(
        ReportFactory,
        received_at=factory.SelfAttribute("..received_at"),
        commune=factory.SelfAttribute("..commune"),
        filed_by=factory.SelfAttribute("..filed_by"),
    )
    commune = factory.LazyAttribute(lambda o: o.child.commune)
    state = State.REPORTED

    class Params:
        filed_by = None


class StepFactory(factory.django.DjangoModelFactory[CaseStep]):
    class Meta:
        model = CaseStep

    step = "verification"
    seq = factory.Sequence(lambda n: n + 1)
    started_at = factory.LazyAttribute(lambda o: o.due_at - dt.timedelta(days=2))
    statutory = False
    policy_version = 1
    rule = "2 working_days from received"

    @classmethod
    def _create(cls, model_class: Any, *args: Any, **kwargs: Any) -> CaseStep:
        created_at = kwargs.pop("created_at", None)
        step = super()._create(model_class, *args, **kwargs)
        if created_at is not None:
            # created_at is set by the database on insert; a fixture needs the past.
            CaseStep.objects.filter(pk=step.pk).update(created_at=created_at)
            step.created_at = created_at
        return step


EVENT_KINDS: dict[str, str] = {State.INTERVENING: "start_intervention", State.MONITORING: "start_monitoring", State.CLOSED: "close"}


def event(case: Case, to_state: str, at: dt.datetime) -> CaseEvent:
    return CaseEvent.objects.create(case=case, kind=EVENT_KINDS.get(to_state, "opened"), to_state=to_state, at=at)


class EmployerFactory(factory.django.DjangoModelFactory[Employer]):
    class Meta:
        model = Employer

    kind = EmployerKind.ENTERPRISE
    name = factory.Sequence(lambda n: f"Công ty TNHH Mây tre {n}")
    name_folded = factory.LazyAttribute(lambda o: fold(o.name))
    sector = Sector.HANDICRAFT


class ActivityFactory(factory.django.DjangoModelFactory[OutreachActivity]):
    class Meta:
        model = OutreachActivity

    kind = ActivityKind.TRAINING
    title = factory.Sequence(lambda n: f"Tập huấn phòng ngừa lao động trẻ em lớp {n}")
    status = ActivityStatus.HELD


def reach(activity: OutreachActivity, **counts: int) -> None:
    for group, count in counts.items():
        Reach.objects.create(activity=activity, group=group, count=count)


def attendee(activity: OutreachActivity, group: str, *, name: str = "", position: str = "",
             employer: Employer | None = None, unit: Any = None) -> Attendee:
    return Attendee.objects.create(
        activity=activity, group=group, full_name=name, name_folded=fold(name), position=position,
        position_folded=fold(position), employer=employer, person_unit=unit,
    )


def denominators(year: int, figures: dict[Any, dict[str, int]], *, source: str = "entered") -> None:
    for unit, groups in figures.items():
        for group, value in groups.items():
            Denominator.objects.create(unit=unit, year=year, group=group, value=value, source=source)


def set_register(child: Child, *, status: str, school: str) -> None:
    """The register status and school status as the officer left them (fixtures only)."""
    Child.objects.filter(pk=child.pk).update(register_status=status, school_status=school)


def visit(child: Child, on: dt.date, school_status: str) -> Visit:
    return Visit.objects.create(child=child, visited_on=on, school_status=school_status)
