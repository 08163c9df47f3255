from __future__ import annotations

import logging
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.templatetags.static import static
from django.views.decorators.cache import never_cache

from clms.accounts.models import Role
from clms.places import selectors as place_selectors

logger = logging.getLogger(__name__)

HOME_TEMPLATES = {
    "collaborator": "core/home_collaborator.html",
    "commune_officer": "core/home_commune.html",
    "supervisor": "core/home_supervisor.html",
    "agency_officer": "core/home_agency.html",
    "province_viewer": "core/home_province.html",
    "admin": "core/home_admin.html",
}


@login_required
def home(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    role = "admin" if user.is_superuser else user.role
    context = {
        "area": user.area,
        "communes": place_selectors.communes_for_user(user) if role != "collaborator" else [],
    }
    return render(request, HOME_TEMPLATES.get(role, "core/home_admin.html"), context)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """The CSRF failure in the site's layout, in Vietnamese, with a way back (settings.CSRF_FAILURE_VIEW)."""
    return render(request, "403_csrf.html", status=403)


def favicon(request: HttpRequest) -> HttpResponse:
    """Browsers ask for /favicon.ico whatever the page says: send them to the icon."""
    return HttpResponseRedirect(static("clms/favicon.svg"))


# The guide of each role: its daily tasks, each with where to click and a screenshot that the
# browser tests take (tests/core/test_browser_officer_day.py writes them to static/clms/help/).
HELP_ROLES = ("commune_officer", "collaborator", "supervisor", "agency_officer", "province_viewer", "admin")


@login_required
def help_index(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    own = "admin" if user.is_superuser else user.role
    role = request.GET.get("role") or own
    if role not in HELP_ROLES:
        role = own
    others = [(r, Role(r).label) for r in HELP_ROLES if r != role]
    return render(request, "core/help.html", {"role": role, "role_label": Role(role).label, "others": others, "own": own})


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
