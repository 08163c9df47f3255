"""``{% csrf_token %}`` for the whole site (a template builtin): Django's hidden CSRF field and a
one-time ``form_token`` (see clms.core.once), so every POST form is idempotent without
each template having to remember it."""

from __future__ import annotations

import uuid
from typing import Any

from django import template
from django.template.defaulttags import CsrfTokenNode
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

register = template.Library()


class CsrfAndOnceNode(template.Node):
    def render(self, context: Any) -> SafeString:
        csrf = CsrfTokenNode().render(context)
        if not csrf:
            return mark_safe("")  # noqa: S308 - empty
        return mark_safe(csrf + format_html('<input type="hidden" name="form_token" value="{}">', uuid.uuid4()))  # noqa: S308 - both parts escaped


@register.tag
def csrf_token(parser: Any, token: Any) -> CsrfAndOnceNode:
    return CsrfAndOnceNode()
