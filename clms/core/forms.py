"""The base of every form of the site: bounded dates and integers, clean text.

Every form class of ``clms`` derives from :class:`Form` or :class:`ModelForm` (a test walks
them all), so hostile or clumsy input is answered by a message on the field, never by a
database error:

- text: composed Unicode, control characters removed, one-line fields on one line; a
  bidirectional override or a zero-width character in a name is refused;
- integers: an integer field without its own bounds is bounded by the integer column
  (-2,147,483,648 to 2,147,483,647 on SQLite and PostgreSQL alike), so a 25-digit number
  is a message, not an ``OverflowError``;
- dates: :func:`date_field` gives dd/mm/yyyy with a plausible range for what the date is
  (a birth, something that happened, something planned).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from enum import Enum
from typing import Any, TypeVar

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db.models import QuerySet
from django.utils import formats, timezone
from django.utils.functional import lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from clms.core.locking import StaleEdit
from clms.core.templatetags.vn_format import vn_number
from clms.core.text import has_invisible, normalise, strip_invisible

INT_MIN, INT_MAX = -2_147_483_648, 2_147_483_647

DATE_WIDGET_ATTRS = {"placeholder": "dd/mm/yyyy", "inputmode": "numeric"}


def _years_before(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def _years_after(day: dt.date, years: int) -> dt.date:
    return _years_before(day, -years)


class DateKind(Enum):
    """What a date is, and so which dates are plausible for it (bounds computed on each use)."""

    # A child's (or a young worker's) date of birth: within the last 30 years.
    BIRTH = "birth"
    # Something that happened: an observation, a visit, a decision; not in the future.
    EVENT = "event"
    # Something recorded long ago too: a business registration, a craft village's recognition.
    RECORD = "record"
    # Something planned or with a deadline: up to ten years ahead.
    PLANNED = "planned"

    def bounds(self, today: dt.date) -> tuple[dt.date, dt.date]:
        if self is DateKind.BIRTH:
            return _years_before(today, 30), today
        if self is DateKind.EVENT:
            return dt.date(2000, 1, 1), today
        if self is DateKind.RECORD:
            return dt.date(1945, 1, 1), today
        return dt.date(2000, 1, 1), _years_after(today, 10)


class BoundedDateField(forms.DateField):
    """A dd/mm/yyyy date whose plausible range depends on what it is."""

    def __init__(self, *, kind: DateKind = DateKind.EVENT, today: Callable[[], dt.date] | None = None,
                 **kwargs: Any) -> None:
        kwargs.setdefault("input_formats", ["%d/%m/%Y"])
        kwargs.setdefault("widget", forms.DateInput(format="%d/%m/%Y", attrs=dict(DATE_WIDGET_ATTRS)))
        super().__init__(**kwargs)
        self.kind = kind
        self.today = today or timezone.localdate
        self.error_messages["invalid"] = _("Enter a valid date. Write it as dd/mm/yyyy.")

    def validate(self, value: Any) -> None:
        super().validate(value)
        if value in self.empty_values:
            return
        low, high = self.kind.bounds(self.today())
        if not low <= value <= high:
            raise forms.ValidationError(
                _("%(field)s must be between %(low)s and %(high)s."),
                code="out_of_range",
                params={
                    "field": self.label or _("The date"),
                    "low": formats.date_format(low, "d/m/Y"),
                    "high": formats.date_format(high, "d/m/Y"),
                },
            )


def date_field(label: Any, *, required: bool = True, kind: DateKind = DateKind.EVENT,
               help_text: Any = "", **kwargs: Any) -> BoundedDateField:
    return BoundedDateField(label=label, required=required, kind=kind, help_text=help_text, **kwargs)


def is_name_field(name: str) -> bool:
    """Fields that hold a person's or an organisation's name."""
    return name == "name" or name.endswith("_name") or name in {"given_by", "reporter", "owner"}


class CleanInputMixin:
    """Normalises the submitted text before any field sees it and bounds unbounded integers."""

    fields: dict[str, forms.Field]
    data: Any
    is_bound: bool
    # Extra fields (besides *name*, *_name) where invisible characters are refused.
    name_fields: tuple[str, ...] = ()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._refused: list[str] = []
        self._prepared = False
        self._bound_integers()

    def _bound_integers(self) -> None:
        for field in self.fields.values():
            if isinstance(field, forms.IntegerField):
                _bound_integer(field)

    def _normalised(self, data: Any) -> Any:
        copy = data.copy()
        add_prefix: Callable[[str], str] = self.add_prefix  # type: ignore[attr-defined]
        for name, field in self.fields.items():
            key = add_prefix(name)
            if key not in copy or isinstance(field, forms.FileField):
                continue
            multiline = isinstance(field.widget, forms.Textarea)
            getlist = getattr(copy, "getlist", None)
            as_list = getlist is None and isinstance(copy[key], list | tuple)
            values = getlist(key) if getlist else (list(copy[key]) if as_list else [copy[key]])
            cleaned = []
            for value in values:
                if not isinstance(value, str):
                    cleaned.append(value)
                    continue
                value = normalise(value, multiline=multiline)
                if isinstance(field, forms.ModelChoiceField) and _beyond_bigint(value):
                    # A 25-digit id would overflow the database driver; it names no record.
                    value = "-"
                if has_invisible(value):
                    if is_name_field(name) or name in self.name_fields:
                        self._refused.append(name)
                    else:
                        value = strip_invisible(value)
                cleaned.append(value)
            if getlist:
                copy.setlist(key, cleaned)
            else:
                copy[key] = cleaned if as_list else cleaned[0]
        return copy

    def full_clean(self) -> None:
        # Here rather than in __init__: many forms add fields after their own __init__ ran.
        if self.is_bound and not self._prepared:
            self._prepared = True
            self._bound_integers()
            self.data = self._normalised(self.data)
        super().full_clean()  # type: ignore[misc]
        for name in self._refused:
            label = self.fields[name].label or name
            self.add_error(  # type: ignore[attr-defined]
                name,
                forms.ValidationError(
                    _("%(field)s contains invisible or right-to-left control characters; type it again."),
                    code="invisible",
                    params={"field": label},
                ),
            )


def _beyond_bigint(value: str) -> bool:
    digits = value.strip().lstrip("-")
    return digits.isdigit() and (len(digits) > 19 or int(digits) > 9_223_372_036_854_775_807)


def _at_most() -> str:
    # Our own wording with the bound in Vietnamese digits ("2.147.483.647"): Django's validator
    # would fill its %(limit_value)s with the bare int.
    return gettext("Enter a number no greater than %(limit)s.") % {"limit": vn_number(INT_MAX)}


def _at_least() -> str:
    return gettext("Enter a number no less than %(limit)s.") % {"limit": vn_number(INT_MIN)}


_at_most_lazy, _at_least_lazy = lazy(_at_most, str), lazy(_at_least, str)


def _bound_integer(field: forms.IntegerField) -> None:
    """Bound an integer field to the integer column when its form gave no bound."""
    if field.max_value is None:
        field.max_value = INT_MAX
        field.validators.append(MaxValueValidator(INT_MAX, message=_at_most_lazy()))
        if not field.widget.is_hidden:
            field.widget.attrs.setdefault("max", str(INT_MAX))
    if field.min_value is None:
        field.min_value = INT_MIN
        field.validators.append(MinValueValidator(INT_MIN, message=_at_least_lazy()))


class Form(CleanInputMixin, forms.Form):
    pass


class ModelForm(CleanInputMixin, forms.ModelForm):
    pass


def add_service_errors(form: forms.BaseForm, exc: ValidationError, *, on_top: Iterable[str] = ()) -> None:
    """Put a service's ValidationError on the form: each message on the field it names when the
    form has that field (and it is not one of ``on_top``), else above the form."""
    if not hasattr(exc, "error_dict"):
        form.add_error(None, exc.messages)
        return
    top = set(on_top)
    for name, errors in exc.message_dict.items():
        form.add_error(name if name in form.fields and name not in top else None, errors)


PLANNED_DATE_WIDGET = forms.DateInput(format="%d/%m/%Y", attrs={"placeholder": "dd/mm/yyyy", "inputmode": "numeric"})


def planned_date_field(label: Any, *, required: bool = True) -> forms.DateField:
    """A date planned ahead as well as back (plans, task progress, pilots, activities)."""
    return date_field(label, required=required, kind=DateKind.PLANNED, widget=PLANNED_DATE_WIDGET)


class UnitChoiceField(forms.ModelChoiceField):
    """A choice of administrative units; a unit that no longer exists shows its last day."""

    def label_from_instance(self, obj: Any) -> str:
        return str(obj.name) if not obj.valid_to else f"{obj.name} (≤ {obj.valid_to:%d/%m/%Y})"


class ContentAreaChoiceField(forms.ModelChoiceField):
    """A choice of records with a code and a title (the plan's content areas)."""

    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.code}. {obj.title[:70]}"


def set_queryset(form: forms.BaseForm, name: str, queryset: QuerySet[Any]) -> None:
    """Narrow a model choice field to what the user may pick (their area, their plans).

    ``form.fields`` holds plain ``Field``s for the type checker; this checks the field really is
    a model choice field once, here, instead of silencing the checker at every assignment.
    """
    field = form.fields[name]
    if not isinstance(field, forms.ModelChoiceField):
        raise TypeError(f"{name!r} is not a model choice field")
    field.queryset = queryset


def set_choices(form: forms.BaseForm, name: str, choices: Iterable[tuple[Any, Any]]) -> None:
    """Give a choice field its choices at run time (catalogues, the user's options)."""
    field = form.fields[name]
    if not isinstance(field, forms.ChoiceField):
        raise TypeError(f"{name!r} is not a choice field")
    field.choices = list(choices)


T = TypeVar("T")


_REFUSED = object()


def _call_service(form: forms.BaseForm, call: Callable[[], Any], on_top: Iterable[str]) -> Any:
    try:
        return call()
    except StaleEdit as stale:
        form.add_error(None, str(stale.message))
    except ValidationError as exc:
        add_service_errors(form, exc, on_top=on_top)
    return _REFUSED


def run_service(form: forms.BaseForm, call: Callable[[], T], *, on_top: Iterable[str] = ()) -> T | None:
    """Call a service for a bound, valid form; its refusals become the form's errors.

    A ``StaleEdit`` (someone saved the record after this page was loaded) is an error at the top
    of the form; a ``ValidationError`` goes to the fields it names (``add_service_errors``).
    Returns what the service returned, or ``None`` when it refused: the view re-renders.
    """
    result = _call_service(form, call, on_top)
    return None if result is _REFUSED else result


def service_ok(form: forms.BaseForm, call: Callable[[], object], *, on_top: Iterable[str] = ()) -> bool:
    """``run_service`` for a service that returns nothing: whether it accepted the form."""
    return _call_service(form, call, on_top) is not _REFUSED


def edit_initial(form_class: type[forms.Form] | type[forms.ModelForm[Any]], obj: Any) -> dict[str, Any]:
    """The initial values of an edit form: the record's value of each of the form's fields, and
    the version the page was loaded at (checked on save: ``clms.core.locking``)."""
    initial = {name: getattr(obj, name) for name in form_class.base_fields if name != "version"}
    initial["version"] = obj.version
    return initial
