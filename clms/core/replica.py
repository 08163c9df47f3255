"""Reads from a PostgreSQL streaming replica, writes and fresh reads from the primary.

With ``DATABASE_REPLICA_URL`` set, settings add a ``replica`` database and name it in
``CLMS_READ_REPLICA``.  ``ReplicaMiddleware`` decides per request whether its reads may go there
(a GET or HEAD of a supervisor or province viewer, or of a path in ``CLMS_REPLICA_PATHS``, by a
user who has not written in the last ``CLMS_REPLICA_PIN_SECONDS``) and says so in a context
variable; ``ReplicaRouter.db_for_read`` consults it.  Every write, and every read inside a
transaction, goes to ``default``: a replica lags the primary by a little, so the user who just
saved a record is pinned to the primary for a few seconds (a cookie set on any POST) and sees it.
Roles are compared as strings so that this bottom layer does not import clms.accounts.
"""

from __future__ import annotations

import contextvars
import time
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections
from django.http import HttpRequest, HttpResponse

_may_use_replica: contextvars.ContextVar[bool] = contextvars.ContextVar("clms_may_use_replica", default=False)

PIN_COOKIE = "clms_wrote_at"
SAFE_METHODS = ("GET", "HEAD")
# Supervisors and province viewers only read the wide pages (dashboards, lists, exports).
READER_ROLES = ("supervisor", "province_viewer")


def replica_alias() -> str:
    alias: str = getattr(settings, "CLMS_READ_REPLICA", "")
    return alias if alias and alias in settings.DATABASES else ""


def pinned(request: HttpRequest, now: float | None = None) -> bool:
    """True while the user's last write is younger than the pin: read your own writes."""
    raw = request.COOKIES.get(PIN_COOKIE, "")
    try:
        wrote_at = float(raw)
    except ValueError:
        return False
    return (now if now is not None else time.time()) - wrote_at < settings.CLMS_REPLICA_PIN_SECONDS


def may_read_replica(request: HttpRequest, now: float | None = None) -> bool:
    if not replica_alias() or request.method not in SAFE_METHODS or pinned(request, now):
        return False
    if any(request.path.startswith(prefix) for prefix in settings.CLMS_REPLICA_PATHS):
        return True
    user = getattr(request, "user", None)
    return bool(user is not None and user.is_authenticated and getattr(user, "role", "") in READER_ROLES)


class ReplicaMiddleware:
    """After authentication: marks the request as replica-readable, pins writers to the primary."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        token = _may_use_replica.set(may_read_replica(request))
        try:
            response = self.get_response(request)
        finally:
            _may_use_replica.reset(token)
        if request.method not in SAFE_METHODS and replica_alias():
            response.set_cookie(
                PIN_COOKIE, f"{time.time():.3f}", max_age=settings.CLMS_REPLICA_PIN_SECONDS, httponly=True,
                samesite="Lax", secure=settings.SESSION_COOKIE_SECURE,
            )
        return response


class ReplicaRouter:
    """Reads to the replica only when the middleware allowed it and no transaction is open."""

    def db_for_read(self, model: type[Any], **hints: Any) -> str:
        alias = replica_alias()
        if alias and _may_use_replica.get() and not connections[DEFAULT_DB_ALIAS].in_atomic_block:
            return alias
        return DEFAULT_DB_ALIAS

    def db_for_write(self, model: type[Any], **hints: Any) -> str:
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1: Any, obj2: Any, **hints: Any) -> bool:
        return True  # the same rows on both servers

    def allow_migrate(self, db: str, app_label: str, model_name: str | None = None, **hints: Any) -> bool:
        return db == DEFAULT_DB_ALIAS  # the replica follows the primary's WAL


def use_replica(allowed: bool) -> contextvars.Token[bool]:
    """For code outside a request (tests, a background export): allow or forbid replica reads."""
    return _may_use_replica.set(allowed)
