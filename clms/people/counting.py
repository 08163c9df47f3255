"""The register list's total, counted once per scope and filters instead of on every page.

Paging the register of a province (61,000 children) costs little once the rows are found;
counting them for "N children" and "page 3 of 1,226" reads the whole scope again on every
page and every htmx step (bench/bench_register.py).  The count is kept in the shared cache
(``clms.core.figure_cache``: Redis or the database cache), for the same lifetime as the
dashboard's figures (``CLMS_INDICATOR_CACHE_SECONDS``; 0, as in tests, counts every time),
and under the same generations: a child saved or deleted in a province (by a request, an API
client, the worker or ``odk_pull``: ``clms.indicators.invalidation``), any write request there,
or a bulk command starts a new generation and the next page counts again, so a list never
shows a total older than the last write to its scope.

The key is the count's own SQL and parameters: the scope of the user (area, split communes,
role), every filter and the day that decides who is under 18 are all in it, so two users see
one cached figure only when they would run the same query.  Only wide scopes are cached: a
commune's or a village's count is one short index range, cheaper than the cache's round
trips; a scope of every province (an administrator without an area) is never cached,
because no province's generation covers it.
"""

from __future__ import annotations

import hashlib
from typing import TYPE_CHECKING, Any

from django.core.cache import cache
from django.core.paginator import Paginator
from django.db.models import QuerySet

from clms.core.figure_cache import generations_of, lifetime
from clms.places.roots import wide_scope_roots

if TYPE_CHECKING:
    from clms.accounts.models import User

KEY = "clms:people:count:"


def cached_count(user: User, rows: QuerySet[Any]) -> int:
    """``rows.count()``, from the shared cache when the user's scope is wide."""
    seconds = lifetime()
    roots = wide_scope_roots(user) if seconds > 0 else None
    if roots is None:
        return rows.count()
    sql, params = rows.order_by().query.sql_with_params()
    digest = hashlib.sha256(repr((sql, params, generations_of(roots))).encode()).hexdigest()
    key = KEY + digest
    found = cache.get(key)
    if isinstance(found, int):
        return found
    total = rows.count()
    cache.set(key, total, seconds)
    return total


class CountedPaginator(Paginator[Any]):
    """A paginator told its total instead of counting the rows itself."""

    def __init__(self, object_list: QuerySet[Any], per_page: int, *, count: int) -> None:
        super().__init__(object_list, per_page)
        self._known_count = count

    @property
    def count(self) -> int:
        return self._known_count
