"""Factories and the data the reports' tests share."""

from __future__ import annotations

import datetime as dt
from typing import Any

import factory

from clms.people.models import Child
from clms.people.services import child_create, observation_record
from clms.places.models import AdminUnit, Denominator, Level
from clms.reports.models import ReportingPeriod, Submission, SubmissionStatus

# Names no document may contain (personal data): children, the household head, a reporter.
CHILD_NAMES = ("Hoàng Thị Xuyến Quỳnh", "Vàng Seo Phủng", "Lò Thị Nguyệt Ánh")
REPORTER_NAME = "Trịnh Văn Báo Tin"


class PeriodFactory(factory.django.DjangoModelFactory[ReportingPeriod]):
    class Meta:
        model = ReportingPeriod

    year = 2026
    level = Level.COMMUNE
    due_on = factory.LazyAttribute(lambda o: dt.date(o.year, 11, 15))
    symbol = "BC-UBND"
    signer_authority = "TM. ỦY BAN NHÂN DÂN"
    signer_deputy = "KT. CHỦ TỊCH"
    signer_position = "PHÓ CHỦ TỊCH"
    signer_name = "Lê Văn Tỉnh"
    recipients_to = "Bộ Y tế"
    recipients = "Như trên\nLưu: VT, VX"


class SubmissionFactory(factory.django.DjangoModelFactory[Submission]):
    class Meta:
        model = Submission

    period = factory.SubFactory(PeriodFactory)
    status = SubmissionStatus.DRAFT
    symbol = "BC-UBND"
    place = "Tân Ninh"
    signer_authority = "TM. ỦY BAN NHÂN DÂN"
    signer_deputy = "KT. CHỦ TỊCH"
    signer_position = "PHÓ CHỦ TỊCH"
    signer_name = "Nguyễn Văn Ký"
    recipients_to = "Ủy ban nhân dân tỉnh Thanh Hóa\nSở Y tế tỉnh Thanh Hóa"
    recipients = "Như trên\nLưu: VT, VHXH"


def child_labourer(*, user: Any, commune: AdminUnit, name: str, dob: dt.date, on: dt.date, sex: str = "F") -> Child:
    """A child observed working 5 h a day in a light job at 14: child labour under Vietnamese law."""
    child = child_create(user=user, commune=commune, full_name=name, sex=sex, dob=dob)
    observation_record(
        user=user, child=child, observed_on=on, activity="EMPLOYED", job_code="TT09.II.04", hours_per_day=5, days_per_week=5
    )
    return child


def seed_commune_year(*, user: Any, commune: AdminUnit, year: int, children: int = 2, denominator: int = 2857) -> list[Child]:
    """Children in child labour in ``commune`` during ``year`` and the commune's child population."""
    Denominator.objects.update_or_create(unit=commune, year=year, group="children_5_17", defaults={"value": denominator})
    made = []
    for n in range(children):
        name = CHILD_NAMES[n % len(CHILD_NAMES)] + ("" if n < len(CHILD_NAMES) else f" {n}")
        made.append(child_labourer(user=user, commune=commune, name=name, dob=dt.date(year - 14, 3, 1), on=dt.date(year, 6, 1 + n % 27)))
    return made
