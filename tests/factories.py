"""factory_boy factories for domain data."""

from __future__ import annotations

from typing import Any

import factory

from clms.accounts.models import Role, User
from clms.places.models import AdminUnit, Level, Scheme
from clms.places.paths import unit_save


class AdminUnitFactory(factory.django.DjangoModelFactory[AdminUnit]):
    class Meta:
        model = AdminUnit
        skip_postgeneration_save = True

    scheme = Scheme.POST_2025
    level = Level.COMMUNE
    code = factory.Sequence(lambda n: f"9{n:05d}")
    name = factory.Sequence(lambda n: f"Xã Thử Nghiệm {n}")
    short_name = factory.LazyAttribute(lambda o: o.name)
    parent = None

    @classmethod
    def _create(cls, model_class: type[AdminUnit], *args: Any, **kwargs: Any) -> AdminUnit:
        # Through the one function that writes paths, as every unit the code creates.
        return unit_save(model_class(**kwargs))


class UserFactory(factory.django.DjangoModelFactory[User]):
    class Meta:
        model = User
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    full_name = factory.Sequence(lambda n: f"Nguyễn Văn Thử {n}")
    role = Role.COMMUNE_OFFICER
    password = factory.django.Password("correct-horse-battery")
