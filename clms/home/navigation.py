"""The menu each role sees: only what that role may do."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.urls import NoReverseMatch, reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from clms.accounts.models import User
from clms.accounts.policy import Perm, may

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser


@dataclass(frozen=True)
class NavItem:
    label: str | Promise
    url_name: str
    # The permission of the page the entry opens (clms.accounts.policy): the menu shows an
    # entry exactly to those the page admits, so the two cannot drift apart.
    perm: Perm


# Order is menu order; an entry whose URL name does not resolve is skipped.
NAV_ITEMS: list[NavItem] = [
    NavItem(_("Home"), "core:home", Perm.HOME),
    NavItem(_("Register"), "people:list", Perm.REGISTER_READ),
    NavItem(_("Field work"), "surveys:field", Perm.REGISTER_WRITE),
    NavItem(_("Cases"), "cases:list", Perm.REPORT_FILE),
    NavItem(_("Employers"), "employers:list", Perm.EMPLOYER_READ),
    NavItem(_("Outreach"), "outreach:list", Perm.OUTREACH_READ),
    NavItem(_("Plan"), "plans:list", Perm.PLAN_READ),
    NavItem(_("Indicators"), "indicators:dashboard", Perm.INDICATORS_READ),
    NavItem(_("Surveys"), "surveys:list", Perm.INDICATORS_READ),
    NavItem(_("Reports"), "reports:list", Perm.REPORTS_READ),
    NavItem(_("Law check"), "legal:classify", Perm.LAW_CHECK),
    NavItem(_("Units"), "places:units", Perm.UNITS_READ),
    NavItem(_("Denominators"), "places:denominators", Perm.UNITS_READ),
    NavItem(_("Users"), "accounts:users", Perm.USERS_READ),
    NavItem(_("Help"), "core:help", Perm.HOME),
]


def menu_for(user: User | AnonymousUser, current_path: str = "") -> list[dict[str, Any]]:
    if not isinstance(user, User) or not user.is_authenticated:
        return []
    items = []
    for item in NAV_ITEMS:
        if not may(user, item.perm):
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
