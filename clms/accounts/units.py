"""Changes to units and denominators that a user makes: a village added to a commune, a
population figure entered.  Checked against the access policy, so they live here, above
``places`` (which only loads and stores the units)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from clms.accounts.policy import Perm, may
from clms.places.models import AdminUnit, Denominator, DenominatorSource, Level, Scheme
from clms.places.paths import unit_save

if TYPE_CHECKING:
    from clms.accounts.models import User

# ---------------------------------------------------------------------------
# Villages
# ---------------------------------------------------------------------------


def village_create(*, user: User, commune: AdminUnit, name: str, unit_type: str = "Thôn") -> AdminUnit:
    if commune.level != Level.COMMUNE:
        raise ValidationError({"commune": _("A village must belong to a commune.")})
    if not may(user, Perm.UNITS_WRITE, commune):
        raise PermissionDenied
    name = name.strip()
    if not name:
        raise ValidationError({"name": _("Enter the village name.")})
    if commune.children.filter(level=Level.VILLAGE, name__iexact=name).exists():
        raise ValidationError({"name": _("This commune already has a village with this name.")})
    with transaction.atomic():
        village = AdminUnit(
            scheme=Scheme.LOCAL,
            level=Level.VILLAGE,
            code="",
            name=name,
            short_name=name,
            unit_type=unit_type,
            parent=commune,
            valid_from=commune.valid_from,
            valid_to=commune.valid_to,
            created_by=user,
        )
        village.full_clean(exclude=["path"])
        unit_save(village)
    return village


def denominator_set(
    *, user: User, unit: AdminUnit, year: int, group: str, value: int, source: str = DenominatorSource.ENTERED
) -> Denominator:
    if not may(user, Perm.UNITS_WRITE, unit):
        raise PermissionDenied
    obj, _created = Denominator.objects.update_or_create(
        unit=unit, year=year, group=group, defaults={"value": value, "source": source, "updated_by": user}
    )
    return obj
