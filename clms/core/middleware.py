"""Query strings cleaned once for every view: no control characters reach a database query.

A NUL byte typed into a search box (``?q=x%00y``) makes PostgreSQL refuse the query with a
``DataError``; other control characters have no meaning in a query string either.  Views read
``request.GET`` directly in many places, so the cleaning happens here, before any of them.
The API is left alone: its schemas refuse such input with a 422 naming the parameter, which
tells a client's programmer more than silently changed input would.

Response headers that keep personal data out of caches.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse, QueryDict
from django.utils.cache import patch_cache_control

from clms.core.text import normalise


class CleanQueryMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.api_prefix = "/" + settings.CLMS_API_MOUNT

    def __call__(self, request: HttpRequest) -> HttpResponse:
        query = request.GET
        if request.path_info.startswith(self.api_prefix):
            return self.get_response(request)
        if any(normalise(k) != k or any(normalise(v) != v for v in query.getlist(k)) for k in query):
            clean = QueryDict(mutable=True)
            for key in query:
                clean.setlist(normalise(key), [normalise(v) for v in query.getlist(key)])
            clean._mutable = False
            request.GET = clean  # type: ignore[assignment]
        return self.get_response(request)


class NoStoreMiddleware:
    """``Cache-Control: no-store, private`` on every answer to a logged-in user.

    Register pages, case files and exports all sit behind a login; a shared office computer's
    browser cache or a proxy must keep none of them.  Static files (served by the reverse proxy
    in production) are not affected; nor are anonymous pages such as the login form.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        user: Any = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            # Replace whatever a view set: max-age on a personal page would be a leak.
            if "Cache-Control" in response:
                del response["Cache-Control"]
            patch_cache_control(response, no_store=True, private=True)
            response["Pragma"] = "no-cache"
        return response
