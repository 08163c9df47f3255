from __future__ import annotations

from typing import Any

from django import template

from clms.core.templatetags.vn_format import vn_number

register = template.Library()

_BADGE = {
    "NOT_CHILD_LABOUR": "ok",
    "PERMITTED_WITH_CONDITIONS": "warn",
    "CHILD_LABOUR": "bad",
    "HAZARDOUS_CHILD_LABOUR": "bad",
}


@register.filter
def vnd(amount: Any) -> str:
    """20000000 -> 20.000.000 (Vietnamese thousands separator)."""
    try:
        return vn_number(int(amount))
    except (TypeError, ValueError):
        return ""


@register.filter
def category_badge(category: Any) -> str:
    return _BADGE.get(str(category), "")


@register.filter
def category_label(category: Any) -> str:
    from clms.rules import Category

    try:
        return Category(str(category)).label
    except ValueError:
        return str(category)
