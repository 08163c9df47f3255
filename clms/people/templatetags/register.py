from __future__ import annotations

from django import template

from clms.people.presenters import CATEGORY_BADGES, RISK_BADGES, category_label

register = template.Library()


@register.filter
def risk_badge(level: str) -> str:
    return RISK_BADGES.get(level, "")


@register.filter
def category_badge(code: str) -> str:
    return CATEGORY_BADGES.get(code, "")


@register.filter
def category_name(code: str) -> str:
    return category_label(code) if code else ""
