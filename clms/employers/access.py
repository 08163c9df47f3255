"""Who may do what in the employers app, and the writeable places a form may offer."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import QuerySet

from clms.accounts.policy import Perm, roles
from clms.places.models import AdminUnit, Level
from clms.places.selectors import units_for_user

if TYPE_CHECKING:
    from clms.accounts.models import User

READERS = roles(Perm.EMPLOYER_READ)
WRITERS = roles(Perm.EMPLOYER_WRITE)


def may_write(user: User) -> bool:
    return bool(user.is_superuser or user.role in (*WRITERS, "admin"))


def writable_communes(user: User) -> QuerySet[AdminUnit]:
    """Communes a form may offer: the user's area, the communes since the 2025 reform first
    ("post2025" sorts before "pre2025"), so records of 2021-2025 can still use the old ones."""
    return units_for_user(user).filter(level=Level.COMMUNE).order_by("scheme", "name")


def writable_villages(user: User) -> QuerySet[AdminUnit]:
    return units_for_user(user).filter(level=Level.VILLAGE).select_related("parent").order_by("parent__name", "name")
