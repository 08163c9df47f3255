from __future__ import annotations

import logging

from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.templatetags.static import static
from django.views.decorators.cache import never_cache

logger = logging.getLogger(__name__)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """The CSRF failure in the site's layout, in Vietnamese, with a way back (settings.CSRF_FAILURE_VIEW)."""
    return render(request, "403_csrf.html", status=403)


def favicon(request: HttpRequest) -> HttpResponse:
    """Browsers ask for /favicon.ico whatever the page says: send them to the icon."""
    return HttpResponseRedirect(static("clms/favicon.svg"))


def _check_database() -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()


def _check_cache() -> None:
    import secrets

    from django.core.cache import cache

    key = "clms:health:" + secrets.token_hex(4)
    cache.set(key, "ok", timeout=10)
    value = cache.get(key)
    cache.delete(key)
    if value != "ok":
        raise RuntimeError("the cache did not return what was stored")


HEALTH_CHECKS = {"database": _check_database, "cache": _check_cache}


@never_cache
def health(request: HttpRequest) -> JsonResponse:
    """For the reverse proxy and monitoring: 200 when every dependency answers, else 503.

    Open without login and over plain HTTP (SECURE_REDIRECT_EXEMPT); it names no record and
    shows no error text, only which dependency failed (the log has the details).
    """
    results: dict[str, str] = {}
    for name, check in HEALTH_CHECKS.items():
        try:
            check()
        except Exception:  # any failure of a dependency is what this page reports
            logger.exception("health check %s failed", name)
            results[name] = "fail"
        else:
            results[name] = "ok"
    healthy = all(value == "ok" for value in results.values())
    return JsonResponse({"status": "ok" if healthy else "fail", "checks": results}, status=200 if healthy else 503)
