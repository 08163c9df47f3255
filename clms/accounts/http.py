"""The request type of views behind a login (healthchecks' ``hc/accounts/http.py`` habit).

Django types ``request.user`` as ``User | AnonymousUser``; behind ``login_required`` or
``role_required`` it is always our ``User``, and saying so lets mypy check every use of it.
"""

from __future__ import annotations

from clms.accounts.models import User
from clms.core.http import HtmxHttpRequest


class AuthedHttpRequest(HtmxHttpRequest):
    """A request whose user has logged in (and which django-htmx has marked up)."""

    user: User
