from __future__ import annotations

from django import template

register = template.Library()


@register.filter
def vnd(amount: int | None) -> str:
    """20000000 -> "20.000.000": the Vietnamese thousands separator, whatever the UI language."""
    if amount is None:
        return "—"
    return f"{int(amount):,}".replace(",", ".")


CATEGORY_BADGES = {
    "NOT_CHILD_LABOUR": "ok",
    "PERMITTED_WITH_CONDITIONS": "warn",
    "CHILD_LABOUR": "bad",
    "HAZARDOUS_CHILD_LABOUR": "bad",
}

STATUS_BADGES = {"proposed": "warn", "confirmed": "bad", "penalised": "bad", "remedied": "ok", "dismissed": ""}


@register.filter
def category_badge(category: str) -> str:
    return CATEGORY_BADGES.get(category, "")


@register.filter
def status_badge(status: str) -> str:
    return STATUS_BADGES.get(status, "")
