"""What the employers' services share: who may write, where, and today's date."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from clms.accounts.policy import RULES, Perm, require
from clms.places.models import (
    AdminUnit,
    Level,
)

if TYPE_CHECKING:
    from clms.accounts.models import User

WRITER_ROLES = RULES[Perm.EMPLOYER_WRITE]


def today() -> dt.date:
    return timezone.localdate()


def check_write(user: User, unit: AdminUnit) -> None:
    require(user, Perm.EMPLOYER_WRITE, unit)


def check_place(commune: AdminUnit, village: AdminUnit | None) -> None:
    if commune.level != Level.COMMUNE:
        raise ValidationError({"commune": _("Choose a commune.")})
    if village is not None and (village.level != Level.VILLAGE or village.parent_id != commune.pk):
        raise ValidationError({"village": _("This village does not belong to the commune.")})


def apply_fields(obj: Any, fields: dict[str, Any]) -> None:
    for name, value in fields.items():
        setattr(obj, name, value)
