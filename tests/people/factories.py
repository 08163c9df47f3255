"""factory_boy factories for the register.  Created through the ORM for speed; tests of
the services call the services themselves."""

from __future__ import annotations

import datetime as dt

import factory

from clms.people.models import Child, Household, WorkObservation
from clms.rules import fold


class HouseholdFactory(factory.django.DjangoModelFactory[Household]):
    class Meta:
        model = Household

    head_name = factory.Sequence(lambda n: f"Lê Văn Chủ {n}")
    head_name_folded = factory.LazyAttribute(lambda o: fold(o.head_name))
    village = None
    commune = factory.LazyAttribute(lambda o: o.village.parent if o.village else None)


class ChildFactory(factory.django.DjangoModelFactory[Child]):
    class Meta:
        model = Child

    full_name = factory.Sequence(lambda n: f"Trần Thị Thử {n}")
    name_folded = factory.LazyAttribute(lambda o: fold(o.full_name))
    sex = "F"
    dob = dt.date(2013, 5, 4)
    village = None
    commune = factory.LazyAttribute(lambda o: o.village.parent if o.village else None)
    household = None


class ObservationFactory(factory.django.DjangoModelFactory[WorkObservation]):
    class Meta:
        model = WorkObservation

    child = factory.SubFactory(ChildFactory)
    commune = factory.LazyAttribute(lambda o: o.child.commune)
    observed_on = dt.date(2026, 1, 10)
    activity = "EMPLOYED"
