"""The menu each role sees: only what that role may do."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.urls import NoReverseMatch, reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

ALL_ROLES = ("collaborator", "commune_officer", "supervisor", "agency_officer", "province_viewer", "admin")


@dataclass(frozen=True)
class NavItem:
    label: str | Promise
    url_name: str
    roles: tuple[str, ...]


# Apps append their entries here at import time of their urls module; order is menu order.
# Entries whose URL name does not exist yet are skipped, so an app appears in the menu
# as soon as it defines the named view.
NAV_ITEMS: list[NavItem] = [
    NavItem(_("Home"), "core:home", ALL_ROLES),
    NavItem(_("Register"), "people:list", ("collaborator", "commune_officer", "supervisor", "admin")),
    NavItem(_("Cases"), "cases:list", ("collaborator", "commune_officer", "supervisor", "agency_officer", "admin")),
    NavItem(_("Employers"), "employers:list", ("commune_officer", "supervisor", "agency_officer", "admin")),
    NavItem(_("Outreach"), "outreach:list", ("commune_officer", "supervisor", "agency_officer", "admin")),
    NavItem(_("Plan"), "plans:list", ALL_ROLES),
    NavItem(_("Indicators"), "indicators:dashboard", ("commune_officer", "supervisor", "agency_officer", "province_viewer", "admin")),
    NavItem(_("Reports"), "reports:list", ("commune_officer", "supervisor", "province_viewer", "admin")),
    NavItem(_("Law check"), "legal:classify", ALL_ROLES),
    NavItem(_("Units"), "places:units", ("commune_officer", "supervisor", "province_viewer", "admin")),
    NavItem(_("Denominators"), "places:denominators", ("commune_officer", "supervisor", "province_viewer", "admin")),
    NavItem(_("Users"), "accounts:users", ("commune_officer", "supervisor", "admin")),
]


def register(item: NavItem, *, before: str | None = None) -> None:
    if any(existing.url_name == item.url_name for existing in NAV_ITEMS):
        return
    if before is not None:
        for index, existing in enumerate(NAV_ITEMS):
            if existing.url_name == before:
                NAV_ITEMS.insert(index, item)
                return
    NAV_ITEMS.append(item)


def menu_for(user: Any, current_path: str = "") -> list[dict[str, Any]]:
    if not getattr(user, "is_authenticated", False):
        return []
    role = "admin" if user.is_superuser else user.role
    items = []
    for item in NAV_ITEMS:
        if role not in item.roles:
            continue
        try:
            url = reverse(item.url_name)
        except NoReverseMatch:
            continue
        active = url == current_path if url == "/" else current_path.startswith(url)
        items.append({"label": item.label, "url": url, "active": active})
    if user.is_admin:
        items.append({"label": _("Administration"), "url": reverse("admin:index"), "active": False})
    return items
