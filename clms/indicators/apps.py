from __future__ import annotations

from typing import TYPE_CHECKING

from django.apps import AppConfig

if TYPE_CHECKING:
    from clms.accounts.models import User


def user_roots(user: User) -> set[int] | None:
    """The provinces whose figures a user's writes can change: the province of the user's area
    and those of the units linked to it across the 2025 reform (a scope's figures read records
    of linked communes).  None (every province) for a user without an area."""
    from django.db.models import Q

    from clms.core.figure_cache import root_of
    from clms.places.models import Succession

    area = user.area
    if area is None or not area.path:
        return None
    paths = {area.path}
    for pred, succ in Succession.objects.filter(
        Q(predecessor__path__startswith=area.path) | Q(successor__path__startswith=area.path)
    ).values_list("predecessor__path", "successor__path"):
        paths.update((pred, succ))
    roots = {root_of(p) for p in paths}
    return None if None in roots else {r for r in roots if r is not None}


class IndicatorsConfig(AppConfig):
    name = "clms.indicators"

    def ready(self) -> None:
        from clms.core.figure_cache import set_user_roots

        set_user_roots(user_roots)
