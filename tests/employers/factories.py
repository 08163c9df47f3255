"""factory_boy factories for employers, craft villages, commitments and inspections."""

from __future__ import annotations

import datetime as dt

import factory

from clms.employers.models import (
    Commitment,
    CraftVillage,
    Employer,
    EmployerKind,
    EnterpriseSize,
    Inspection,
    InspectionKind,
    Sector,
)
from clms.rules import fold


class CraftVillageFactory(factory.django.DjangoModelFactory[CraftVillage]):
    class Meta:
        model = CraftVillage

    name = factory.Sequence(lambda n: f"Làng nghề sơn mài {n}")
    name_folded = factory.LazyAttribute(lambda o: fold(o.name))
    trade = "Sơn mài"
    household_count = 40


class EmployerFactory(factory.django.DjangoModelFactory[Employer]):
    class Meta:
        model = Employer

    kind = EmployerKind.HOUSEHOLD_BUSINESS
    name = factory.Sequence(lambda n: f"Cơ sở sơn mài Đức Hạnh {n}")
    name_folded = factory.LazyAttribute(lambda o: fold(o.name))
    sector = Sector.HANDICRAFT


class EnterpriseFactory(EmployerFactory):
    kind = EmployerKind.ENTERPRISE
    size = EnterpriseSize.SMALL
    name = factory.Sequence(lambda n: f"Công ty TNHH May Triệu Sơn {n}")
    sector = Sector.GARMENT


class CommitmentFactory(factory.django.DjangoModelFactory[Commitment]):
    class Meta:
        model = Commitment

    signed_on = dt.date(2026, 1, 10)
    signer_name = "Nguyễn Văn Đức"


class InspectionFactory(factory.django.DjangoModelFactory[Inspection]):
    class Meta:
        model = Inspection
        skip_postgeneration_save = True

    kind = InspectionKind.UNANNOUNCED
    inspected_on = dt.date(2026, 11, 2)
    lead_agency = "labour"

    @factory.post_generation
    def employers(obj: Inspection, create: bool, extracted: list[Employer] | None, **kwargs: object) -> None:  # noqa: N805
        if create and extracted:
            obj.employers.set(extracted)
