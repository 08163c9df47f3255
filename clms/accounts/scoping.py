"""The one place that decides which part of the country a user may see.

Every selector that returns records tied to a unit builds its filter from
``unit_q``; views never filter by area themselves.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db.models import Q

from clms.places.models import AdminUnit

if TYPE_CHECKING:
    from clms.accounts.models import User

_CACHE_ATTR = "_clms_area_prefixes"


def area_prefixes(user: User | Any) -> tuple[str, ...]:
    """Path prefixes of the units a user's records may hang under.

    A commune created by the 2025 merger also covers the old communes it absorbed,
    so that its officer keeps the history of 2021-2025.  ``("/",)`` means everything;
    ``()`` means nothing.
    """
    cached = getattr(user, _CACHE_ATTR, None)
    if cached is not None:
        return cached
    prefixes: tuple[str, ...]
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        prefixes = ()
    elif user.is_superuser or (user.role == "admin" and user.area_id is None):
        prefixes = ("/",)
    elif user.area_id is None:
        prefixes = ()
    else:
        area = user.area
        assert area is not None  # noqa: S101 - area_id was checked just above
        paths = {area.path}
        predecessors = AdminUnit.objects.filter(
            Q(succession_out__successor=area) | Q(succession_out__successor__path__startswith=area.path)
        ).values_list("path", flat=True)
        paths.update(predecessors)
        # A province's old communes already lie under its own path: keep only the prefixes no
        # other prefix covers, or every query of a province supervisor carries ~550 LIKE clauses.
        ordered = sorted(paths, key=len)
        kept: list[str] = []
        for path in ordered:
            if not any(path.startswith(k) for k in kept):
                kept.append(path)
        prefixes = tuple(sorted(kept))
    setattr(user, _CACHE_ATTR, prefixes)
    return prefixes


def unit_q(user: User | Any, field: str = "unit") -> Q:
    """A filter on ``<field>`` (a foreign key to AdminUnit) limited to the user's area."""
    prefixes = area_prefixes(user)
    if not prefixes:
        return Q(pk__in=[])
    if "/" in prefixes:
        return Q()
    lookup = f"{field}__path__startswith" if field else "path__startswith"
    q = Q()
    for prefix in prefixes:
        q |= Q(**{lookup: prefix})
    return q


def personal_data_q(user: User | Any, field: str = "commune", village_field: str | None = "village") -> Q:
    """Like ``unit_q`` but empty for roles that may only see aggregated figures.

    Records hang under their commune; a user attached to a village (a collaborator) is
    matched on the record's village instead, since a commune path never starts with it.
    """
    if not getattr(user, "is_authenticated", False) or not user.may_read_personal_data:
        return Q(pk__in=[])
    area = getattr(user, "area", None)
    if area is not None and area.level == "village" and "/" not in area_prefixes(user):
        return unit_q(user, village_field) if village_field else Q(pk__in=[])
    return unit_q(user, field)


def can_write_unit(user: User | Any, unit: AdminUnit) -> bool:
    """Whether the user may record data for this unit (it lies inside the user's area)."""
    if user.role == "province_viewer":
        return False
    prefixes = area_prefixes(user)
    return "/" in prefixes or any(unit.path.startswith(p) for p in prefixes)
