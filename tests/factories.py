"""factory_boy factories for domain data."""

from __future__ import annotations

from typing import Any

import factory

from clms.accounts.models import Role, User
from clms.places.models import AdminUnit, Level, Scheme


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

    @factory.post_generation
    def set_path(obj: AdminUnit, create: bool, extracted: Any, **kwargs: Any) -> None:  # noqa: N805
        obj.path = f"{obj.parent.path if obj.parent else '/'}{obj.pk}/"
        if create:
            obj.save(update_fields=["path"])


class UserFactory(factory.django.DjangoModelFactory[User]):
    class Meta:
        model = User
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    full_name = factory.Sequence(lambda n: f"Nguyễn Văn Thử {n}")
    role = Role.COMMUNE_OFFICER
    password = factory.django.Password("correct-horse-battery")
