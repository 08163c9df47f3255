"""Display helpers of the plan pages and the agency officer's home panel."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django import template
from django.utils.formats import number_format

from clms.plans import selectors
from clms.plans.models import Target, Task
from clms.plans.services import describe_target

if TYPE_CHECKING:
    from clms.accounts.models import User

register = template.Library()

STATUS_BADGES = {"not_started": "bad", "in_progress": "warn", "done": "ok", "recurring": "ok"}


@register.filter
def target_text(target: Target | None) -> str:
    if target is None:
        return "—"
    return describe_target(target.comparator, target.value)


@register.filter
def status_badge(status: str) -> str:
    return STATUS_BADGES.get(status, "")


@register.simple_tag
def my_agency_tasks(user: User) -> list[Task]:
    return selectors.agency_tasks_for_officer(user)


@register.filter
def vnd(amount: int | None) -> str:
    """Whole đồng with the locale's thousands separator (1.500.000 in Vietnamese)."""
    return number_format(amount or 0, decimal_pos=0, force_grouping=True)
