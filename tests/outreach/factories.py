from __future__ import annotations

import datetime as dt

import factory

from clms.employers.models import Employer, EmployerKind, Sector
from clms.outreach.models import ActivityKind, ActivityStatus, Attendee, OutreachActivity, Reach
from clms.rules import fold


class ActivityFactory(factory.django.DjangoModelFactory[OutreachActivity]):
    class Meta:
        model = OutreachActivity

    kind = ActivityKind.TRAINING
    title = factory.Sequence(lambda n: f"Tập huấn phòng ngừa lao động trẻ em lớp {n}")
    starts_on = dt.date(2024, 6, 12)
    status = ActivityStatus.HELD


class ReachFactory(factory.django.DjangoModelFactory[Reach]):
    class Meta:
        model = Reach

    group = "officials"
    count = 10


class PersonAttendeeFactory(factory.django.DjangoModelFactory[Attendee]):
    class Meta:
        model = Attendee

    group = "officials"
    full_name = factory.Sequence(lambda n: f"Lê Văn Học {n}")
    name_folded = factory.LazyAttribute(lambda o: fold(o.full_name))
    position = "Công chức văn hóa - xã hội"
    position_folded = factory.LazyAttribute(lambda o: fold(o.position))


class EmployerFactory(factory.django.DjangoModelFactory[Employer]):
    class Meta:
        model = Employer

    kind = EmployerKind.ENTERPRISE
    name = factory.Sequence(lambda n: f"Công ty TNHH Mây tre {n}")
    sector = Sector.HANDICRAFT
