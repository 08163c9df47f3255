"""Short-lived caching of the dashboard's computed table and drawn charts, shared by every
worker process.

A province table takes about a second of SQL and its chart longer to draw; under many
concurrent readers the sync workers queue behind them (bench/RESULTS.md §5).  The cache is
the shared ``default`` cache of the settings (the database cache on the embedded default,
Redis when ``CLMS_REDIS_URL`` is set), so every worker shows the same figures, and the page
says when they were computed.  Documents and ``manage.py indicators`` never use it.

Invalidation: every key carries the current *generation*; any successful write request by a
signed-in user (``InvalidateOnWriteMiddleware``) and the commands that write records in bulk
(``generate``, ``reclassify``, ``demo_setup``) start a new generation, so a figure is never
served after a write that could change it, whichever scope the write touched (writes are
rare next to reads, and a scope's figures depend on records of linked communes across the
reform, so one generation for all is the rule that cannot miss).
``CLMS_INDICATOR_CACHE_SECONDS`` (0 disables it, as in tests) caps how long an entry lives.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import time
from collections.abc import Callable
from typing import Any, TypeVar

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.utils import timezone

T = TypeVar("T")

GENERATION_KEY = "clms:ind:generation"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})


def _seconds() -> int:
    return int(getattr(settings, "CLMS_INDICATOR_CACHE_SECONDS", 60))


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


def cached_at(key: str, compute: Callable[[], T]) -> tuple[T, dt.datetime]:
    """The value for ``key`` and when it was computed (now, when the cache is off)."""
    seconds = _seconds()
    if seconds <= 0:
        return compute(), timezone.now()
    full = f"{key}:{generation()}"
    hit: tuple[T, dt.datetime] | None = cache.get(full)
    if hit is None:
        hit = (compute(), timezone.now())
        cache.set(full, hit, seconds)
    return hit


def cached(key: str, compute: Callable[[], T]) -> T:
    return cached_at(key, compute)[0]


def table_key(scope_id: int, year: int, structure: str | None, source: str) -> str:
    return f"clms:ind:table:{scope_id}:{year}:{structure or '-'}:{source}"


def chart_key(spec: object) -> str:
    # The spec holds only plain values, so its repr is a stable fingerprint of the picture.
    return "clms:ind:svg:" + hashlib.sha256(repr(spec).encode()).hexdigest()


class InvalidateOnWriteMiddleware:
    """A successful write by a signed-in user starts a new cache generation."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        user: Any = getattr(request, "user", None)
        if (
            request.method not in SAFE_METHODS
            and response.status_code < 400
            and getattr(user, "is_authenticated", False)
            and _seconds() > 0
        ):
            invalidate()
        return response
