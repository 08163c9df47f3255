from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from clms.places import selectors as place_selectors

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
