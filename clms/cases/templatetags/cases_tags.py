"""What the cases app shows on other apps' pages (home panels, the child page)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django import template
from django.utils.translation import gettext_lazy

from clms.accounts.models import Role
from clms.cases import selectors
from clms.cases.models import ReferralStatus

if TYPE_CHECKING:
    from clms.accounts.models import User

register = template.Library()


@register.simple_tag
def cases_unread(user: User) -> int:
    return selectors.unread_count_shared(user)


@register.simple_tag
def cases_step_counts(user: User, only_mine: bool = False) -> dict[str, int]:
    return selectors.step_counts(user, only_mine=only_mine)


@register.simple_tag
def cases_open_referrals(user: User) -> int:
    return selectors.referrals_for_user(user).filter(
        status__in=[ReferralStatus.SENT, ReferralStatus.ACCEPTED]
    ).count()


@register.simple_tag
def cases_of_child(user: User, child: Any) -> dict[str, Any]:
    """The child's cases the user may see, and whether to offer opening one."""
    cases = list(selectors.cases_for_user(user).filter(child=child).order_by("-received_at"))
    writer = user.is_admin or user.role in (Role.COMMUNE_OFFICER, Role.SUPERVISOR)
    ground = selectors.case_ground(child) if writer else ""
    return {"cases": cases, "may_open": bool(ground), "ground": ground}


CATEGORY_LABELS = {
    "NOT_CHILD_LABOUR": gettext_lazy("Not child labour"),
    "PERMITTED_WITH_CONDITIONS": gettext_lazy("Permitted work, with conditions"),
    "CHILD_LABOUR": gettext_lazy("Child labour"),
    "HAZARDOUS_CHILD_LABOUR": gettext_lazy("Hazardous child labour"),
    "OUT_OF_SCOPE": gettext_lazy("Outside the age range"),
    "NOT_CLASSIFIED": gettext_lazy("Not classified (before Circular 09/2020)"),
}


@register.filter
def category_label(code: str) -> str:
    return str(CATEGORY_LABELS.get(code, code or "—"))
