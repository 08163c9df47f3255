"""``{% load access %}{% if user|may:"register.write" %}``: templates ask the policy."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django import template

from clms.accounts.policy import Perm
from clms.accounts.policy import may as policy_may

if TYPE_CHECKING:
    from clms.accounts.models import User

register = template.Library()


@register.filter
def may(user: User, perm: str) -> bool:
    return policy_may(user, Perm(perm))
