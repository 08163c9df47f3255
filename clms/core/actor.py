"""Who acts, and from where: an ``Actor``, built once per request by ``ActorMiddleware``
(user, real client address, path, user agent) and once per management command
(``acting(Actor.command(...))``).  It travels to the services and selectors in a context
variable, so the audit trail (``clms.accounts.audit``) and the change history
(``clms.core.locking``) called deep inside a service still know the request's user, path and
address, and no service can forget to pass them on.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.conf import settings
from django.http import HttpRequest, HttpResponse

if TYPE_CHECKING:
    from clms.accounts.models import User


def _valid_ip(raw: str) -> str | None:
    try:
        return str(ipaddress.ip_address(raw.strip()))
    except ValueError:
        return None


def client_ip(request: HttpRequest) -> str | None:
    """The client's address.  Behind the reverse proxies listed in ``CLMS_TRUSTED_PROXIES``
    it is read from ``CLMS_TRUSTED_PROXY_HEADER`` (X-Forwarded-For: the right-most address
    that is not one of our proxies); a header from anyone else is ignored, since any
    client can forge it."""
    remote = _valid_ip(request.META.get("REMOTE_ADDR", "") or "")
    header = getattr(settings, "CLMS_TRUSTED_PROXY_HEADER", "")
    proxies = set(getattr(settings, "CLMS_TRUSTED_PROXIES", ()))
    if not header or remote is None or remote not in proxies:
        return remote
    raw = request.META.get("HTTP_" + header.upper().replace("-", "_"), "")
    hops = [ip for ip in (_valid_ip(part) for part in raw.split(",")) if ip is not None]
    for hop in reversed(hops):
        if hop not in proxies:
            return hop
    return remote


@dataclass(frozen=True)
class Actor:
    # None for a command run without --user, or a request before anyone logged in.
    user: User | None
    ip: str | None = None
    path: str = ""
    user_agent: str = ""

    @classmethod
    def from_request(cls, request: HttpRequest) -> Actor:
        user = getattr(request, "user", None)
        return cls(
            user=user if user is not None and user.is_authenticated else None,
            ip=client_ip(request),
            path=request.get_full_path()[:255],
            user_agent=request.META.get("HTTP_USER_AGENT", "")[:255],
        )

    @classmethod
    def command(cls, name: str, user: User | None = None) -> Actor:
        return cls(user=user, path=f"manage.py {name}"[:255], user_agent="command")


_actor: ContextVar[Actor | None] = ContextVar("clms_actor", default=None)


@contextmanager
def acting(actor: Actor) -> Iterator[Actor]:
    token = _actor.set(actor)
    try:
        yield actor
    finally:
        _actor.reset(token)


def current_actor() -> Actor | None:
    return _actor.get()


class ActorMiddleware:
    """Sets the request's Actor for everything the view calls (after authentication)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        with acting(Actor.from_request(request)):
            return self.get_response(request)
