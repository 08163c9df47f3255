"""Writes through the pages' own Django forms, so the API cannot accept what a page refuses.

The JSON body is first checked against the OpenAPI schema (types, lengths), then turned into
the strings a browser would post and validated by the same form the page uses; its errors
(Vietnamese, per field) become the API's 422 errors.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any, TypeVar

from django import forms
from django.core.exceptions import ValidationError
from django.utils.datastructures import MultiValueDict

F = TypeVar("F", bound=forms.Form)


def _as_posted(field: forms.Field, value: Any) -> list[str]:
    if value is None:
        return [""]
    if isinstance(field, forms.MultipleChoiceField | forms.ModelMultipleChoiceField):
        return [str(v) for v in value] if isinstance(value, list | tuple) else [str(value)]
    if isinstance(field, forms.BooleanField):
        return ["on"] if value else []
    if isinstance(field, forms.TypedChoiceField) and isinstance(value, bool):
        return ["yes" if value else "no"]
    if isinstance(field, forms.DateField) and isinstance(value, dt.date):
        return [value.strftime("%d/%m/%Y")]
    if isinstance(field, forms.ModelChoiceField) and hasattr(value, "pk"):
        return [str(value.pk)]
    return [str(value)]


def initial_of(obj: Any, form_class: type[forms.Form]) -> dict[str, Any]:
    """What the edit page starts from: the stored value of every form field."""
    out: dict[str, Any] = {}
    for name in form_class.base_fields:
        if hasattr(obj, f"{name}_id") and not isinstance(getattr(type(obj), name, None), property):
            out[name] = getattr(obj, f"{name}_id")
        elif hasattr(obj, name):
            out[name] = getattr(obj, name)
    return out


def posted_data(probe: forms.Form, values: Mapping[str, Any]) -> MultiValueDict[str, str]:
    """What a browser would post for ``values`` to the (unbound) form ``probe``: a field
    not sent keeps the value the page would have pre-filled (e.g. ethnicity 01)."""
    data: MultiValueDict[str, str] = MultiValueDict()
    for name, field in probe.fields.items():
        if name in values:
            value = values[name]
        else:
            value = probe.get_initial_for_field(field, name)
            if value is None or callable(value):
                continue
        posted = _as_posted(field, value)
        if posted:
            data.setlist(probe.add_prefix(name), posted)
    return data


def check(form: forms.Form) -> None:
    """A ValidationError keyed by field (the API's 422) unless the bound form is valid."""
    if not form.is_valid():
        raise ValidationError({field: [str(m) for m in messages] for field, messages in form.errors.items()})


def bound_form(form_class: type[F], values: Mapping[str, Any], **kwargs: Any) -> F:
    return form_class(data=posted_data(form_class(**kwargs), values), **kwargs)


def valid_form(form_class: type[F], values: Mapping[str, Any], **kwargs: Any) -> F:
    """The bound form, valid; otherwise a ValidationError keyed by field (the API's 422)."""
    form = bound_form(form_class, values, **kwargs)
    check(form)
    return form
