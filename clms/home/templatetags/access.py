"""``{% load access %}{% if user|may:"register.write" %}``: templates ask the policy."""

from __future__ import annotations

from typing import Any

from django import template

from clms.accounts.policy import Perm
from clms.accounts.policy import may as policy_may

register = template.Library()


@register.filter
def may(user: Any, perm: str) -> bool:
    return policy_may(user, Perm(perm))
