from __future__ import annotations

from typing import TYPE_CHECKING

from django.apps import AppConfig

if TYPE_CHECKING:
    from clms.accounts.models import User


def user_roots(user: User) -> set[int] | None:
    """The provinces whose figures a user's writes can change: the province of the user's area
    and those of the units linked to it across the 2025 reform.  None (every province) for a
    user without an area."""
    from clms.places.roots import linked_roots

    return None if user.area_id is None else linked_roots([user.area_id])


class IndicatorsConfig(AppConfig):
    name = "clms.indicators"

    def ready(self) -> None:
        from clms.core.figure_cache import set_user_roots
        from clms.indicators import invalidation

        set_user_roots(user_roots)
        invalidation.connect()
