"""Denominators derived from the employer register (stored by ``places``)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from clms.employers.selectors import derived_denominators
from clms.employers.services.common import check_write
from clms.places.models import (
    AdminUnit,
)
from clms.places.services import DeriveResult, denominators_write_derived

if TYPE_CHECKING:
    from clms.accounts.models import User

# ---------------------------------------------------------------------------
# Denominators derived from the register
# ---------------------------------------------------------------------------

@transaction.atomic
def denominators_derive(*, user: User, unit: AdminUnit, year: int) -> DeriveResult:
    """Write the enterprise, cooperative and craft-household denominators of ``year`` for the
    commune ``unit`` (or every commune under it) from this register.

    Counts employers active and registered by the end of the year (cooperative groups count
    as cooperatives), and the households of the craft villages recognised by then: the
    village's recorded household count, or else the register's households linked to it.
    A merged commune also counts what is registered under the communes it absorbed.
    Figures someone entered or imported are never overwritten.
    """
    check_write(user, unit)
    if not 2000 <= year <= 2100:
        raise ValidationError({"year": _("Enter a year between 2000 and 2100.")})
    return denominators_write_derived(
        user=user, year=year, values=derived_denominators(unit=unit, year=year),
        note=_("Derived from the employer register"),
    )
