"""Who is calling: a personal API token (Bearer) or the browser session (with CSRF).

A token carries its owner's role and area and nothing more: every endpoint then asks the
same selectors and services as the pages, so a collaborator's token can do exactly what the
collaborator can do on the pages.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from ninja.errors import AuthenticationError
from ninja.security import HttpBearer, SessionAuth
from ninja.throttling import SimpleRateThrottle

from clms.api.tokens import token_authenticate


class TokenAuth(HttpBearer):
    openapi_description = "Personal API token from the account page: `Authorization: Bearer clms_…`."

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        found = token_authenticate(token)
        if found is None:
            # A bad, expired or revoked token is refused outright, even from a signed-in
            # browser: the caller meant the token, and must learn that it no longer works.
            raise AuthenticationError
        # Endpoints and services read request.user, like the pages.
        request.user = found.user
        request.api_token = found  # type: ignore[attr-defined]
        return found.user


class ActiveSessionAuth(SessionAuth):
    """Django's session, CSRF checked on unsafe methods (ninja's SessionAuth does that)."""

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        user = request.user
        if user.is_authenticated and user.is_active:
            return user
        return None


class TokenRateThrottle(SimpleRateThrottle):
    """Per token (or per signed-in user on the session): ``CLMS_API_RATE`` requests, e.g.
    ``"600/m"``, kept in Django's cache so every worker process counts the same."""

    scope = "clms_api"

    def __init__(self) -> None:
        super().__init__(rate=settings.CLMS_API_RATE)

    def allow_request(self, request: HttpRequest) -> bool:
        # Read the setting each time so it can be changed without rebuilding the API.
        self.rate = settings.CLMS_API_RATE
        self.num_requests, self.duration = self.parse_rate(self.rate)
        return super().allow_request(request)

    def get_cache_key(self, request: HttpRequest) -> str | None:
        token = getattr(request, "api_token", None)
        if token is not None:
            # The digest, not the row id: ids can be reused (a test database, a restored backup).
            ident = f"t{token.digest[:24]}"
        else:
            user: Any = getattr(request, "user", None)
            if user is None or not user.is_authenticated:
                return None
            ident = f"u{user.pk}"
        return self.cache_format % {"scope": self.scope, "ident": ident}
