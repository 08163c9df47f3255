"""The home page of each role and the role guides."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import timezone

from clms.accounts.http import AuthedHttpRequest
from clms.accounts.models import Role
from clms.core import page_cache
from clms.home.attention import attention_list
from clms.places import selectors as place_selectors
from clms.places.roots import wide_scope_roots

HOME_TEMPLATES = {
    "collaborator": "core/home_collaborator.html",
    "commune_officer": "core/home_commune.html",
    "supervisor": "core/home_supervisor.html",
    "agency_officer": "core/home_agency.html",
    "province_viewer": "core/home_province.html",
    "admin": "core/home_admin.html",
}


# Communes of the attention list per page.
ATTENTION_PAGE_SIZE = 20
COMMUNES_PAGE_SIZE = 20


@login_required
def home(request: AuthedHttpRequest) -> HttpResponse:
    user = request.user
    role = Role.ADMIN if user.is_superuser else user.role
    context: dict[str, Any] = {"area": user.area}
    if role == Role.SUPERVISOR:
        return _supervisor_home(request, context)
    if role != Role.COLLABORATOR:
        # A page of the communes, not every one of a province's two structures (713 for Thanh
        # Hóa): the count is one query, the rows twenty.
        communes = place_selectors.communes_for_user(user)
        context["communes_page"] = Paginator(communes, COMMUNES_PAGE_SIZE).get_page(request.GET.get("communes"))
        if request.htmx and request.htmx.target == "communes-card":
            return render(request, "core/_communes_card.html", context)
    return render(request, HOME_TEMPLATES.get(role, "core/home_admin.html"), context)


def _supervisor_home(request: AuthedHttpRequest, context: dict[str, Any]) -> HttpResponse:
    """The supervisor's home: the greeting and the inbox are the reader's own; the rest (the
    scope's figures, due steps, reports received, the communes that need attention) is the
    same for every supervisor of the area, rendered once per minute and write to the scope
    and shared (clms/core/page_cache.py)."""
    user = request.user
    partial = bool(request.htmx) and request.htmx.target == "attention"

    def render_body() -> tuple[str, dict[str, Any]]:
        # The communes that need attention, not all 713 of both structures (issue 18).
        found = attention_list(user)
        scoped = {
            **context,
            "attention": found,
            "attention_page": Paginator(found.communes, ATTENTION_PAGE_SIZE).get_page(request.GET.get("page")),
            "commune_count": place_selectors.communes_for_user(user).count(),
        }
        template = "core/_attention.html" if partial else "core/_home_supervisor_body.html"
        return render_to_string(template, scoped, request), {}

    # Due and overdue counts move with the clock: the minute is part of the key.
    minute = timezone.now().replace(second=0, microsecond=0)
    body = page_cache.body(
        request, "home:supervisor:" + ("attention" if partial else "page"),
        roots=lambda: wide_scope_roots(user), render=render_body, extra=minute,
    )
    if partial:
        return HttpResponse(body.html)
    return render(request, "core/home_supervisor.html", {**context, "body": body.html})


# The guide of each role: its daily tasks, each with where to click and a screenshot that the
# browser tests take (tests/core/test_browser_officer_day.py writes them to static/clms/help/).
HELP_ROLES = ("commune_officer", "collaborator", "supervisor", "agency_officer", "province_viewer", "admin")


@login_required
def help_index(request: AuthedHttpRequest) -> HttpResponse:
    user = request.user
    own = "admin" if user.is_superuser else user.role
    role = request.GET.get("role") or own
    if role not in HELP_ROLES:
        role = own
    others = [(r, Role(r).label) for r in HELP_ROLES if r != role]
    return render(request, "core/help.html", {"role": role, "role_label": Role(role).label, "others": others, "own": own})
