"""Short-lived caching of the dashboard's computed table and drawn charts, shared by every
worker process.

A province table takes about a second of SQL and its chart longer to draw; under many
concurrent readers the sync workers queue behind them (bench/RESULTS.md §5).  The cache is
the shared ``default`` cache of the settings (the database cache on the embedded default,
Redis when ``CLMS_REDIS_URL`` is set), so every worker shows the same figures, and the page
says when they were computed.  Documents and ``manage.py indicators`` never use it.

Invalidation, by scope: every key carries the current global *generation* and the
generation of the province its scope lies in (the *root*: the first unit of the scope's
path).  A write starts a new generation for the provinces it can change:

- a record saved or deleted (child, observation, case and its steps and events, outreach
  activity, population figure) starts one for the province of its commune and for those of
  the communes linked to it across the 2025 reform (``clms.indicators.invalidation`` connects the
  signals: a scope's figures read records of linked communes, which may lie in another
  province of the other structure);
- any successful write request by a signed-in user (``InvalidateOnWriteMiddleware``), which
  also covers writes that send no signal (``QuerySet.update``), starts one for the provinces
  of the user's area and of the units linked to it, or a global one for a user without an
  area (an administrator);
- the commands that write records in bulk (``generate``, ``reclassify``, ``demo_setup``)
  start a global generation.

So a figure is never served after a write that could change it, and a write in one province
leaves the others' figures warm.
``CLMS_INDICATOR_CACHE_SECONDS`` (0 disables it, as in tests) caps how long an entry lives.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Iterable
from typing import Any, TypeVar

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.utils import timezone

T = TypeVar("T")

GENERATION_KEY = "clms:ind:generation"
ROOT_KEY = "clms:ind:root:"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})


def lifetime() -> int:
    """Seconds a cached figure may live (``CLMS_INDICATOR_CACHE_SECONDS``; 0: the cache is off)."""
    return int(getattr(settings, "CLMS_INDICATOR_CACHE_SECONDS", 60))


def enabled() -> bool:
    return lifetime() > 0


def generation() -> str:
    value = cache.get(GENERATION_KEY)
    if value is None:
        # Missing (first use, or culled): a fresh value, so no older entry can be reached.
        value = str(time.time_ns())
        cache.set(GENERATION_KEY, value, None)
    return str(value)


def invalidate() -> None:
    """Start a new generation: every cached table and chart is computed again."""
    cache.set(GENERATION_KEY, str(time.time_ns()), None)


def root_generation(root_id: int) -> str:
    key = f"{ROOT_KEY}{root_id}"
    value = cache.get(key)
    if value is None:
        value = str(time.time_ns())
        cache.set(key, value, None)
    return str(value)


def invalidate_roots(root_ids: Iterable[int]) -> None:
    """Start a new generation for the figures of these provinces only."""
    value = str(time.time_ns())
    cache.set_many({f"{ROOT_KEY}{r}": value for r in set(root_ids)}, None)


def root_of(path: str) -> int | None:
    """The province at the top of a materialised path ("/1/7/42/" -> 1)."""
    head = path.strip("/").split("/", 1)[0]
    return int(head) if head.isdigit() else None


# The last values this process read, by full key (generations included, so an entry is as
# current as the shared one): a province's table unpickled from the shared cache cost 13-34 ms
# of every warm dashboard and home page.  Values are shared between the requests of a process,
# so what is cached here must not be changed by its readers (tables, charts, unit maps: built
# once, only read).  Each entry still expires with the shared one's lifetime.
LOCAL_ENTRIES = 16
_local: OrderedDict[str, tuple[Any, dt.datetime]] = OrderedDict()
_local_lock = threading.Lock()


def clear_local() -> None:
    """Forget this process's copies (tests: a test's rolled-back records must not reach the next)."""
    with _local_lock:
        _local.clear()


def generations_of(roots: Iterable[int]) -> str:
    """How current a value is that the writes in these provinces change: the global
    generation and each province's, in the order of their ids (a part of a cache key)."""
    # One round trip for all of them: a wide page asks on every request.
    keys = [GENERATION_KEY, *(f"{ROOT_KEY}{r}" for r in sorted(set(roots)))]
    found = cache.get_many(keys)
    missing = {k: str(time.time_ns()) for k in keys if found.get(k) is None}
    if missing:
        # First use, or culled: a fresh value, so no older entry can be reached.
        cache.set_many(missing, None)
        found.update(missing)
    return ":".join(str(found[k]) for k in keys)


def cached_at(
    key: str, compute: Callable[[], T], *, root: int | None = None, roots: Iterable[int] | None = None
) -> tuple[T, dt.datetime]:
    """The value for ``key`` and when it was computed (now, when the cache is off).
    ``root``, ``roots``: the provinces whose writes make the value stale (a scope whose area
    spans several provinces names them all); with neither, only a global generation does
    (the bulk commands, an administrator's write, plans and targets)."""
    seconds = lifetime()
    if seconds <= 0:
        return compute(), timezone.now()
    scope = {*(roots or ()), *(() if root is None else (root,))}
    full = f"{key}:{generations_of(scope)}"
    now = timezone.now()
    with _local_lock:
        local = _local.get(full)
        if local is not None and now - local[1] < dt.timedelta(seconds=seconds):
            _local.move_to_end(full)
            return local
    hit: tuple[T, dt.datetime] | None = cache.get(full)
    if hit is None:
        hit = (compute(), now)
        cache.set(full, hit, seconds)
    with _local_lock:
        _local[full] = hit
        while len(_local) > LOCAL_ENTRIES:
            _local.popitem(last=False)
    return hit


def cached(key: str, compute: Callable[[], T], *, root: int | None = None, roots: Iterable[int] | None = None) -> T:
    return cached_at(key, compute, root=root, roots=roots)[0]


def table_key(scope_id: int, year: int, structure: str | None, source: str) -> str:
    return f"clms:ind:table:{scope_id}:{year}:{structure or '-'}:{source}"


def chart_key(spec: object) -> str:
    # The spec holds only plain values, so its repr is a stable fingerprint of the picture.
    return "clms:ind:svg:" + hashlib.sha256(repr(spec).encode()).hexdigest()


# Set by the indicators app (it knows units and successions, which this module may not
# import): the provinces a user's writes can touch, or None for "any".
_user_roots: Callable[[Any], set[int] | None] | None = None


def set_user_roots(resolver: Callable[[Any], set[int] | None]) -> None:
    global _user_roots  # noqa: PLW0603 - one resolver for the process, set at start-up
    _user_roots = resolver


def invalidate_for_user(user: Any) -> None:
    roots = _user_roots(user) if _user_roots is not None else None
    if roots is None:
        invalidate()
    else:
        invalidate_roots(roots)


class InvalidateOnWriteMiddleware:
    """A successful write by a signed-in user starts a new cache generation for the provinces
    the user may write in."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        user: Any = getattr(request, "user", None)
        if (
            request.method not in SAFE_METHODS
            and response.status_code < 400
            and getattr(user, "is_authenticated", False)
            and enabled()
        ):
            invalidate_for_user(user)
        return response
