from typing import Any

from django.http import HttpRequest
from django_htmx.middleware import HtmxDetails


class HtmxHttpRequest(HttpRequest):
    """A request as django-htmx's middleware leaves it, for type-checked views."""

    htmx: HtmxDetails


# Primary keys are big integers; anything longer is not an id of this site.
_ID_MAX = 9_223_372_036_854_775_807


def query_int(params: Any, name: str, *, default: int | None = None, low: int = 1, high: int = _ID_MAX) -> int | None:
    """An integer parameter of a query string (an id, a year), or ``default`` when it is missing,
    not a whole number or outside ``low``..``high``: a hand-edited link never makes a 500."""
    raw = params.get(name)
    if raw is None:
        return default
    raw = str(raw).strip()
    if not raw or len(raw) > 19 or not raw.lstrip("-").isdigit():
        return default
    value = int(raw)
    return value if low <= value <= high else default
