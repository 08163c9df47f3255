"""Query strings cleaned once for every view: no control characters reach a database query.

A NUL byte typed into a search box (``?q=x%00y``) makes PostgreSQL refuse the query with a
``DataError``; other control characters have no meaning in a query string either.  Views read
``request.GET`` directly in many places, so the cleaning happens here, before any of them.
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, QueryDict

from clms.core.text import normalise


class CleanQueryMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        query = request.GET
        if any(normalise(k) != k or any(normalise(v) != v for v in query.getlist(k)) for k in query):
            clean = QueryDict(mutable=True)
            for key in query:
                clean.setlist(normalise(key), [normalise(v) for v in query.getlist(key)])
            clean._mutable = False
            request.GET = clean  # type: ignore[assignment]
        return self.get_response(request)
