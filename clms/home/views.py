"""The home page of each role and the role guides."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import render

from clms.accounts.http import AuthedHttpRequest
from clms.accounts.models import Role
from clms.home.attention import attention_list
from clms.places import selectors as place_selectors

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
        # The communes that need attention, not all 713 of both structures (issue 18).
        found = attention_list(user)
        context["attention"] = found
        context["attention_page"] = Paginator(found.communes, ATTENTION_PAGE_SIZE).get_page(request.GET.get("page"))
        context["commune_count"] = place_selectors.communes_for_user(user).count()
        if request.htmx and request.htmx.target == "attention":
            return render(request, "core/_attention.html", context)
    elif role != Role.COLLABORATOR:
        # A page of the communes, not every one of a province's two structures (713 for Thanh
        # Hóa): the count is one query, the rows twenty.
        communes = place_selectors.communes_for_user(user)
        context["communes_page"] = Paginator(communes, COMMUNES_PAGE_SIZE).get_page(request.GET.get("communes"))
        if request.htmx and request.htmx.target == "communes-card":
            return render(request, "core/_communes_card.html", context)
    return render(request, HOME_TEMPLATES.get(role, "core/home_admin.html"), context)


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
