"""The options of a ``<select>`` written in Python (clms/core/templates/django/forms/widgets/select.html).

Django renders each option through two template includes; a form with the units of a
province (790 options on the administrator's outreach form) spent 60 % of its time there
(a profile of the form fuzz).  This writes the same markup as Django's ``select_option.html``
and ``attrs.html``, escaped the same way.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django import template
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe

register = template.Library()


def _attrs(attrs: Mapping[str, Any]) -> str:
    out = []
    for name, value in attrs.items():
        if value is False:
            continue
        if value is True:
            out.append(f" {conditional_escape(name)}")
        else:
            out.append(f' {conditional_escape(name)}="{conditional_escape(str(value))}"')
    return "".join(out)


def _option(option: Mapping[str, Any]) -> str:
    return (
        f'\n  <option value="{conditional_escape(str(option["value"]))}"{_attrs(option["attrs"])}>'
        f'{conditional_escape(option["label"])}</option>'
    )


@register.simple_tag
def select_options(optgroups: Iterable[tuple[Any, list[Mapping[str, Any]], int]]) -> SafeString:
    parts: list[str] = []
    for group_name, group_choices, _index in optgroups:
        if group_name:
            parts.append(f'\n  <optgroup label="{conditional_escape(group_name)}">')
        parts.extend(_option(o) for o in group_choices)
        if group_name:
            parts.append("\n  </optgroup>")
    return mark_safe("".join(parts))  # noqa: S308 - every value above is escaped
