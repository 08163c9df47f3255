"""Pages of one app show panels contributed by other apps without importing them.

``{% include_panels "child" %}`` renders, in app order, every template named
``<app>/_panel_child.html`` that exists, with the current context.  So the cases app adds
its panel to the child page of the register, and the register never imports cases.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from django import template
from django.apps import apps
from django.template import Context, TemplateDoesNotExist
from django.template.loader import get_template
from django.utils.safestring import SafeString, mark_safe

register = template.Library()


@cache
def _panel_templates(slot: str) -> tuple[str, ...]:
    found = []
    for config in apps.get_app_configs():
        if not config.name.startswith("clms."):
            continue
        name = f"{config.label}/_panel_{slot}.html"
        try:
            get_template(name)
        except TemplateDoesNotExist:
            continue
        found.append(name)
    return tuple(found)


@register.simple_tag(takes_context=True)
def include_panels(context: Context, slot: str) -> SafeString:
    # The flattened context already holds what the context processors gave the page (menu,
    # user, CSRF token, messages): rendering with the request would run them again per panel.
    flat: dict[str, Any] = {str(k): v for k, v in context.flatten().items()}
    parts = [get_template(name).render(flat) for name in _panel_templates(slot)]
    return mark_safe("".join(parts))  # noqa: S308 - each part is an autoescaped template render
