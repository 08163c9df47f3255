from __future__ import annotations

import datetime as dt

import factory

from clms.plans.models import (
    BudgetLine,
    FundingSource,
    PilotModel,
    PilotModelType,
    PilotStatus,
    Plan,
)


class BudgetLineFactory(factory.django.DjangoModelFactory[BudgetLine]):
    class Meta:
        model = BudgetLine

    plan = factory.LazyFunction(lambda: Plan.objects.get(key="kh-trieu-son-2021"))
    year = 2024
    source = FundingSource.STATE_COMMUNE
    description = factory.Sequence(lambda n: f"Tuyên truyền đợt {n}")
    planned = 10_000_000
    spent = 0


class PilotModelFactory(factory.django.DjangoModelFactory[PilotModel]):
    class Meta:
        model = PilotModel

    model_type = factory.LazyFunction(lambda: PilotModelType.objects.get(code=3))
    name = factory.Sequence(lambda n: f"Mô hình phát hiện sớm số {n}")
    started_on = dt.date(2023, 3, 1)
    status = PilotStatus.ACTIVE
    beneficiaries = 25
