"""Reads of places, always scoped to the user's area."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Count, Q, QuerySet

from clms.places.models import AdminUnit, Denominator, Level
from clms.places.scoping import area_prefixes, unit_q

if TYPE_CHECKING:
    from clms.accounts.models import User


def units_for_user(user: User) -> QuerySet[AdminUnit]:
    return AdminUnit.objects.filter(unit_q(user, field=""))


def communes_for_user(user: User) -> QuerySet[AdminUnit]:
    return (
        units_for_user(user)
        .filter(level=Level.COMMUNE)
        .select_related("parent")
        .annotate(village_count=Count("children", filter=Q(children__level=Level.VILLAGE)))
        .order_by("scheme", "path")
    )


def administrative_units_for_user(user: User) -> QuerySet[AdminUnit]:
    """The communes, districts and provinces of the user's area (no villages): the units an
    activity, a budget line or a plan belongs to."""
    return units_for_user(user).filter(level__in=(Level.COMMUNE, Level.DISTRICT, Level.PROVINCE)).order_by(
        "level", "scheme", "name"
    )


def villages_for_user(user: User) -> QuerySet[AdminUnit]:
    return units_for_user(user).filter(level=Level.VILLAGE).select_related("parent")


def denominators_for_user(user: User) -> QuerySet[Denominator]:
    return Denominator.objects.filter(unit_q(user, "unit")).select_related("unit")


def user_root_units(user: User) -> QuerySet[AdminUnit]:
    """The units at the top of the user's area (their own unit and the old units it absorbed)."""
    prefixes = area_prefixes(user)
    if "/" in prefixes:
        return AdminUnit.objects.filter(parent__isnull=True)
    return AdminUnit.objects.filter(path__in=prefixes)
