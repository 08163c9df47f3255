"""Login throttling that slows guessing without locking anybody out.

Three independent limits, all kept in Django's cache (the shared database or Redis cache in
production, so every worker sees the same counts):

* per username: the first ``CLMS_LOGIN_FREE_FAILURES`` failures are free; after that each
  further try must wait a delay that doubles (2 s, 4 s, 8 s ...) up to
  ``CLMS_LOGIN_MAX_DELAY_SECONDS``.  A try made during the delay is refused without checking
  the password and does not lengthen the delay, so the real user is never shut out for longer
  than the ceiling, whatever an attacker does.  A successful login clears the count.
* per client address: the same, with a larger allowance (an office behind one NAT address)
  and without being cleared by a success (an attacker may own one valid account).
* the whole endpoint: at most ``CLMS_LOGIN_GLOBAL_PER_MINUTE`` attempts a minute, which
  bounds a spray of one password over many usernames from many addresses.

Counts expire ``CLMS_LOGIN_WINDOW_MINUTES`` after the last failure.
"""

from __future__ import annotations

import hashlib
import math
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest

from clms.core.actor import client_ip

_PREFIX = "clms:login"
_BASE_DELAY_SECONDS = 2


@dataclass(frozen=True)
class Refusal:
    reason: str  # "username", "address" or "global"
    retry_after: int  # seconds


def _key(kind: str, value: str) -> str:
    digest = hashlib.sha256(value.encode()).hexdigest()[:32]
    return f"{_PREFIX}:{kind}:{digest}"


def _normal_username(username: str) -> str:
    return username.strip().casefold()


def _window_seconds() -> int:
    return max(60, settings.CLMS_LOGIN_WINDOW_MINUTES * 60)


def delay_after(failures: int, free: int) -> int:
    """Seconds a try must wait after ``failures`` failures when ``free`` of them cost nothing."""
    if failures < free:
        return 0
    return int(min(_BASE_DELAY_SECONDS * 2 ** (failures - free), settings.CLMS_LOGIN_MAX_DELAY_SECONDS))


def _wait(key: str, free: int, now: float) -> int:
    state = cache.get(key)
    if not state:
        return 0
    failures, last = state
    remaining = last + delay_after(failures, free) - now
    return math.ceil(remaining) if remaining > 0 else 0


def check(request: HttpRequest, username: str) -> Refusal | None:
    """Whether this login attempt may be checked now; counts it against the global limit."""
    now = time.time()
    minute = int(now // 60)
    global_key = f"{_PREFIX}:global:{minute}"
    # add() then incr() is atomic on every shared backend, so parallel workers count right.
    if not cache.add(global_key, 1, timeout=120):
        try:
            count = cache.incr(global_key)
        except ValueError:  # expired between the two calls
            cache.add(global_key, 1, timeout=120)
            count = 1
        if count > settings.CLMS_LOGIN_GLOBAL_PER_MINUTE:
            return Refusal("global", 60 - int(now % 60))
    ip = client_ip(request)
    if ip:
        wait = _wait(_key("ip", ip), settings.CLMS_LOGIN_IP_FREE_FAILURES, now)
        if wait:
            return Refusal("address", wait)
    if username:
        wait = _wait(_key("user", _normal_username(username)), settings.CLMS_LOGIN_FREE_FAILURES, now)
        if wait:
            return Refusal("username", wait)
    return None


def _bump(key: str, now: float) -> None:
    state = cache.get(key)
    failures = state[0] if state else 0
    cache.set(key, (failures + 1, now), timeout=_window_seconds())


def record_failure(request: HttpRequest, username: str) -> None:
    now = time.time()
    ip = client_ip(request)
    if ip:
        _bump(_key("ip", ip), now)
    if username:
        _bump(_key("user", _normal_username(username)), now)


def record_success(username: str) -> None:
    cache.delete(_key("user", _normal_username(username)))


def failures(username: str = "", ip: str = "") -> int:
    """How many failures count against a username or an address now (for tests and admins)."""
    key = _key("user", _normal_username(username)) if username else _key("ip", ip)
    state = cache.get(key)
    return int(state[0]) if state else 0
