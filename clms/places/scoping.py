"""The one place that decides which part of the country a user may see.

Every selector that returns records tied to a unit builds its filter from
``unit_q``; views never filter by area themselves.
"""

from __future__ import annotations

import logging
import threading
from collections import OrderedDict
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db.models import Exists, OuterRef, Q

from clms.core import figure_cache
from clms.places.models import AdminUnit, Succession
from clms.places.paths import check_path

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from clms.accounts.models import User

_CACHE_ATTR = "_clms_area"
log = logging.getLogger(__name__)


@dataclass(frozen=True)
class SplitPart:
    """An old commune split between several new ones, of which the user's area is one.

    The rule (documented in docs/ACCESS.md): a child of the old commune belongs to the new
    commune its village went to -- the village now lies under the new commune, or has a
    ``Succession`` to a unit under it -- and, when that is unknown (no village, or an old
    village with no successor), to the main successor (``Succession.is_main``).
    """

    old_path: str
    new_path: str
    is_main: bool


@dataclass(frozen=True)
class Area:
    """What a user's area covers: whole subtrees, and the share of split old communes."""

    prefixes: tuple[str, ...]
    splits: tuple[SplitPart, ...] = ()

    @property
    def everything(self) -> bool:
        return "/" in self.prefixes


def user_area(user: User | AnonymousUser) -> Area:
    cached: Area | None = getattr(user, _CACHE_ATTR, None)
    if cached is not None:
        return cached
    area: Area
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        area = Area(())
    elif user.is_superuser or (user.role == "admin" and user.area_id is None):
        area = Area(("/",))
    elif user.area_id is None:
        area = Area(())
    else:
        unit = user.area
        assert unit is not None  # noqa: S101 - area_id was checked just above
        area = _area_of(unit)
    setattr(user, _CACHE_ATTR, area)
    return area


# Areas worked out by this process, by unit, path and global cache generation: a province's
# area is one query over its successions and ~2 ms of Python on every page its supervisors
# open.  A change of successions starts a new global generation (clms.indicators.invalidation),
# so a remembered area is never older than the links it came from; with the shared cache off
# (tests) nothing is remembered.
_AREAS: OrderedDict[tuple[int, str, str], Area] = OrderedDict()
_AREAS_KEPT = 256
_areas_lock = threading.Lock()


def clear_areas() -> None:
    """Forget the areas this process worked out (tests: rolled-back units and successions)."""
    with _areas_lock:
        _AREAS.clear()


def _area_of(unit: AdminUnit) -> Area:
    if not figure_cache.enabled():
        return _compute_area(unit)
    key = (unit.pk, unit.path, figure_cache.generation())
    with _areas_lock:
        found = _AREAS.get(key)
        if found is not None:
            _AREAS.move_to_end(key)
            return found
    area = _compute_area(unit)
    with _areas_lock:
        _AREAS[key] = area
        while len(_AREAS) > _AREAS_KEPT:
            _AREAS.popitem(last=False)
    return area


def _compute_area(unit: AdminUnit) -> Area:
    own = check_path(unit.path, unit_id=unit.pk)
    # Every succession link of every old unit that went (wholly or partly) into the area, in one
    # query: an old unit with a successor outside the area was split.
    ours = Q(successor=unit) | Q(successor__path__startswith=own)
    links = Succession.objects.filter(
        predecessor__in=Succession.objects.filter(ours).exclude(predecessor__path__startswith=own).values("predecessor")
    ).values_list("predecessor_id", "predecessor__path", "successor__path", "is_main")
    whole = {own}
    inside: dict[str, bool] = {}
    split: set[str] = set()
    for pk, path, successor_path, is_main in links:
        check_path(path, unit_id=pk)
        if successor_path.startswith(own):
            inside[path] = inside.get(path, False) or is_main
        else:
            split.add(path)
    splits: dict[str, bool] = {}
    for path, is_main in inside.items():
        if path in split:
            splits[path] = is_main
        else:
            whole.add(path)
    # A province's old communes already lie under its own path: keep only the prefixes no
    # other prefix covers, or every query of a province supervisor carries ~550 LIKE clauses.
    kept: list[str] = []
    for path in sorted(whole, key=len):
        if not any(path.startswith(k) for k in kept):
            kept.append(path)
    return Area(
        tuple(sorted(kept)),
        tuple(SplitPart(old, own, main) for old, main in sorted(splits.items())),
    )


def area_prefixes(user: User | Any) -> tuple[str, ...]:
    """Path prefixes of the units a user's records may hang under.

    A commune created by the 2025 merger also covers the old communes it absorbed, so that
    its officer keeps the history of 2021-2025; an old commune split between several new
    ones is covered (for records without a village) by its main successor only.
    ``("/",)`` means everything; ``()`` means nothing.
    """
    area = user_area(user)
    return tuple(sorted({*area.prefixes, *(s.old_path for s in area.splits if s.is_main)}))


def unit_q(user: User | Any, field: str = "unit") -> Q:
    """A filter on ``<field>`` (a foreign key to AdminUnit) limited to the user's area."""
    prefixes = area_prefixes(user)
    if not prefixes:
        return Q(pk__in=[])
    if "/" in prefixes:
        return Q()
    return _prefix_q(prefixes, field)


def _prefix_q(prefixes: tuple[str, ...], field: str) -> Q:
    lookup = f"{field}__path__startswith" if field else "path__startswith"
    q = Q(pk__in=[])
    for prefix in prefixes:
        # Fail closed: an empty prefix would match every row of the country.
        q |= Q(**{lookup: check_path(prefix)})
    return q


def _split_q(part: SplitPart, field: str, village_field: str | None) -> Q:
    """Records of a split old commune that belong to ``part.new_path`` (see SplitPart)."""
    in_old = Q(**{f"{field}__path__startswith": part.old_path})
    if village_field is None:
        return in_old if part.is_main else Q(pk__in=[])
    went_here = Q(**{f"{village_field}__path__startswith": part.new_path}) | Q(
        Exists(Succession.objects.filter(predecessor=OuterRef(village_field), successor__path__startswith=part.new_path))
    )
    if not part.is_main:
        return in_old & went_here
    unknown = Q(**{f"{village_field}__isnull": True}) | (
        Q(**{f"{village_field}__path__startswith": part.old_path})
        & ~Q(Exists(Succession.objects.filter(predecessor=OuterRef(village_field))))
    )
    return in_old & (went_here | unknown)


def personal_data_q(user: User | Any, field: str = "commune", village_field: str | None = "village") -> Q:
    """Like ``unit_q`` but empty for roles that may only see aggregated figures.

    Records hang under their commune; a user attached to a village (a collaborator) is
    matched on the record's village instead, since a commune path never starts with it.
    """
    if not getattr(user, "is_authenticated", False) or not user.may_read_personal_data:
        return Q(pk__in=[])
    unit = getattr(user, "area", None)
    area = user_area(user)
    if area.everything:
        return Q()
    if unit is not None and unit.level == "village":
        return _prefix_q(area.prefixes, village_field) if village_field else Q(pk__in=[])
    q = _prefix_q(area.prefixes, field)
    for part in area.splits:
        q |= _split_q(part, field, village_field)
    return q


def can_write_unit(user: User | Any, unit: AdminUnit) -> bool:
    """Whether the user may record data for this unit (it lies inside the user's area)."""
    if user.role == "province_viewer":
        return False
    prefixes = area_prefixes(user)
    return "/" in prefixes or any(unit.path.startswith(p) for p in prefixes)
