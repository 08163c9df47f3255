"""The rendered body of the supervisors' wide pages, shared by every reader of the same scope.

Under load a page's cost is its Python, not its SQL: rendering a register page of 50 rows,
or the dashboard's table, took 30-60 ms of a worker's time while its queries took 5-15
(bench/RESULTS.md, "what prevents it").  With 2 workers and 50 readers a page needs ≤ 12 ms
per request for a p95 of 300 ms.  So the body of such a page (everything inside the site's
frame: the heading, the filters, the table, the pager) is rendered once per scope, query and
cache generation and kept in the shared cache (``clms.core.figure_cache``: Redis or the
database cache), and each request renders only the frame around it (menu, user box, CSRF
token, messages), writes its audit event and answers.

What a body may depend on is in its key: the page, the reader's role, area and admin flag
(everything the access policy decides from), the language, whether htmx asked for the
partial, the query string (sorted), the day (ages and due dates move at midnight) and the
generations of the provinces the scope reads (``roots``), so a write to the scope, by any
route, makes the next request render again (the same invalidation as the dashboard's
figures).  A scope with no bounded set of provinces (an administrator without an area) is
never cached: no province's generation covers it.

A body must hold nothing that belongs to one person or one request: ``store`` refuses to
keep a body with a CSRF form field, and the pages keep their POST forms in the frame.
With the cache off (``CLMS_INDICATOR_CACHE_SECONDS=0``, as in tests) the body is rendered
on every request, by the same code.
"""

from __future__ import annotations

import hashlib
import zlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.core.cache import cache
from django.http import HttpRequest
from django.utils import timezone, translation
from django.utils.safestring import SafeString, mark_safe

from clms.core import figure_cache

KEY = "clms:page:"
CSRF_FIELD = 'name="csrfmiddlewaretoken"'


@dataclass(frozen=True)
class Body:
    """A rendered page body and what the request still needs from it (the ids to audit)."""

    html: SafeString
    meta: dict[str, Any] = field(default_factory=dict)


def scope_signature(user: Any) -> str:
    """What the access policy decides a reader's view from: role, area and the admin flags."""
    return ":".join(
        str(part)
        for part in (
            getattr(user, "role", "") or "-",
            getattr(user, "area_id", None) or "-",
            int(bool(getattr(user, "is_admin", False))),
            int(bool(getattr(user, "is_superuser", False))),
        )
    )


def key_for(request: HttpRequest, page: str, roots: Iterable[int], extra: object = None) -> str:
    htmx = getattr(request, "htmx", None)
    partial = bool(htmx) and not getattr(htmx, "boosted", False)
    query = sorted((k, tuple(request.GET.getlist(k))) for k in request.GET)
    generations = figure_cache.generations_of(roots)
    parts = (
        page,
        scope_signature(request.user),
        translation.get_language() or "",
        int(partial),
        timezone.localdate().isoformat(),
        query,
        generations,
        extra,
    )
    return KEY + hashlib.sha256(repr(parts).encode()).hexdigest()


def body(
    request: HttpRequest,
    page: str,
    *,
    roots: Callable[[], Iterable[int] | None],
    render: Callable[[], tuple[str, dict[str, Any]]],
    extra: object = None,
) -> Body:
    """The page's body from the shared cache, or ``render()``ed (and kept, when cacheable).

    ``render`` returns the body's HTML and its metadata (plain values: ids to audit, a
    count).  ``roots()``: the provinces whose writes change the body, or None: not cacheable
    (called only when the cache is on, so a page with the cache off runs its own queries
    only).  ``extra``: anything else the body depends on (a page of due times: the minute)."""
    scope_roots = roots() if figure_cache.enabled() else None
    if scope_roots is None:
        html, meta = render()
        return Body(mark_safe(html), meta)  # noqa: S308 - rendered by our own templates
    key = key_for(request, page, scope_roots, extra)
    hit = cache.get(key)
    if isinstance(hit, tuple) and len(hit) == 2 and isinstance(hit[0], bytes):
        html = zlib.decompress(hit[0]).decode()
        return Body(mark_safe(html), hit[1])  # noqa: S308 - stored from our own templates
    html, meta = render()
    store(key, html, meta)
    return Body(mark_safe(html), meta)  # noqa: S308 - rendered by our own templates


def store(key: str, html: str, meta: dict[str, Any]) -> bool:
    """Keep a rendered body, unless it holds a CSRF token (one person's, so never shared)."""
    if CSRF_FIELD in html:
        return False
    # Compressed (HTML shrinks about tenfold, in well under a millisecond): every search typed
    # is a key of its own, and on the embedded default the entries are rows of the database.
    cache.set(key, (zlib.compress(str(html).encode(), 1), meta), figure_cache.lifetime())
    return True
