"""Short-lived caching of the dashboard's computed table and drawn charts.

A province table takes about a second of SQL and its chart longer to draw; under many
concurrent readers the two sync workers queue behind them (bench/RESULTS.md §5).  Figures a
minute old are still "live" for a dashboard; documents and the command never use this cache.
``CLMS_INDICATOR_CACHE_SECONDS`` (0 disables it, as in tests) sets how long.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from typing import TypeVar

from django.conf import settings
from django.core.cache import cache

T = TypeVar("T")


def _seconds() -> int:
    return int(getattr(settings, "CLMS_INDICATOR_CACHE_SECONDS", 60))


def cached(key: str, compute: Callable[[], T]) -> T:
    seconds = _seconds()
    if seconds <= 0:
        return compute()
    value: T | None = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, seconds)
    return value


def table_key(scope_id: int, year: int, structure: str | None, source: str) -> str:
    return f"clms:ind:table:{scope_id}:{year}:{structure or '-'}:{source}"


def chart_key(spec: object) -> str:
    # The spec holds only plain values, so its repr is a stable fingerprint of the picture.
    return "clms:ind:svg:" + hashlib.sha256(repr(spec).encode()).hexdigest()
