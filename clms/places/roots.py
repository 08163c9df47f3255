"""The provinces ("roots": the first unit of a path) that a set of units or paths belongs to.

The shared figure cache (``clms.core.figure_cache``) keeps one generation per province, so
whoever writes or reads a cached figure asks here which provinces it concerns: the
invalidation of saved records (``clms.indicators.invalidation``), a user's write requests
(``InvalidateOnWriteMiddleware``), the register count (``clms.people.counting``).  Records
of a unit are read by the figures of the units linked to it across the 2025 reform, which may
lie in another province of the other structure, so ``linked_roots`` adds those.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.db.models import Q

from clms.core.figure_cache import root_of
from clms.places.models import AdminUnit, Level, Succession
from clms.places.scoping import user_area

if TYPE_CHECKING:
    from clms.accounts.models import User

# Paths per OR of the succession query: SQLite refuses an expression deeper than 1,000 terms.
_PATHS_PER_QUERY = 200


def roots_of_paths(paths: Iterable[str]) -> set[int] | None:
    """The provinces at the top of these paths; None ("every province") if one is malformed."""
    roots = {root_of(p) for p in paths}
    return None if None in roots else {r for r in roots if r is not None}


def linked_roots(unit_ids: Iterable[int]) -> set[int] | None:
    """The provinces whose figures read records of these units: the units' own and those of
    every unit linked to one of them (or to a unit under one) by a succession.  Two queries
    (the paths, the successions; one more per 200 distinct units); None ("every province") when
    a unit is missing or has no path."""
    wanted = set(unit_ids)
    if not wanted:
        return set()
    found = dict(AdminUnit.objects.filter(pk__in=wanted).order_by().values_list("pk", "path"))
    if len(found) < len(wanted) or not all(found.values()):
        return None
    # A unit under another of the set adds nothing: its successions match the outer prefix.
    prefixes: list[str] = []
    for path in sorted(set(found.values()), key=len):
        if not any(path.startswith(p) for p in prefixes):
            prefixes.append(path)
    paths = set(prefixes)
    for start in range(0, len(prefixes), _PATHS_PER_QUERY):
        near = Q()
        for path in prefixes[start:start + _PATHS_PER_QUERY]:
            near |= Q(predecessor__path__startswith=path) | Q(successor__path__startswith=path)
        for pred, succ in Succession.objects.filter(near).values_list("predecessor__path", "successor__path"):
            paths.update((pred, succ))
    return roots_of_paths(paths)


# Areas whose pages and register count are kept in the shared cache (a district holds ~5,000
# children): a commune's or a village's is one short index range, cheaper than the cache's
# round trips.
WIDE_LEVELS = frozenset({Level.PROVINCE, Level.DISTRICT})


def wide_scope_roots(user: User) -> set[int] | None:
    """The provinces whose writes can change what a reader of a wide scope sees (the register
    count, the pages of clms.core.page_cache, the inbox count), or None when it is not to be
    shared: a narrow scope, or one of every province (no province's generation covers it)."""
    area = getattr(user, "area", None)
    if area is None or area.level not in WIDE_LEVELS:
        return None
    scope = user_area(user)
    if scope.everything or not scope.prefixes:
        return None
    return roots_of_paths([*scope.prefixes, *(s.old_path for s in scope.splits), *(s.new_path for s in scope.splits)])
