from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from clms.core import forms as core_forms
from clms.core.forms import set_choices, set_queryset
from clms.indicators.base import BASELINE_YEAR
from clms.indicators.overview import ROW_STATUSES
from clms.indicators.registry import CODES
from clms.places.models import AdminUnit

STRUCTURE_CHOICES = [
    ("after-2025", _("After 1 July 2025 (communes report to the province)")),
    ("before-2025", _("Before 1 July 2025 (districts and communes)")),
]
TARGET_CHOICES = [
    ("local", _("Local plan")),
    ("national", _("National programme (Decision 782)")),
]
SORT_CHOICES = [("name", _("Name")), *[(c, c) for c in CODES]]


def year_choices(today: dt.date) -> list[tuple[int, int]]:
    return [(y, y) for y in range(max(today.year, 2026), BASELINE_YEAR - 1, -1)]


class UnitField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        if obj.level == "province":
            return obj.name
        # One translation per scheme and form, not one per unit: a province's form lists 740
        # units, and get_scheme_display() translated each (60 ms of a warm dashboard's 115).
        labels: dict[str, str] = self.__dict__.setdefault("_scheme_labels", {})
        label = labels.get(obj.scheme)
        if label is None:
            label = labels[obj.scheme] = str(obj.get_scheme_display())
        return f"{obj.name} ({label})"


class DashboardForm(core_forms.Form):
    """The filters of the dashboard (GET); each field falls back to its default when absent."""

    unit = UnitField(label=_("Unit"), required=False, queryset=AdminUnit.objects.none())
    year = forms.TypedChoiceField(label=_("Year"), required=False, coerce=int, choices=[])
    structure = forms.ChoiceField(label=_("Administrative structure"), required=False, choices=STRUCTURE_CHOICES)
    targets = forms.ChoiceField(label=_("Targets"), required=False, choices=TARGET_CHOICES)
    sort = forms.ChoiceField(required=False, choices=SORT_CHOICES, widget=forms.HiddenInput)
    order = forms.ChoiceField(required=False, choices=[("asc", "asc"), ("desc", "desc")], widget=forms.HiddenInput)
    # The communes list: one row status only (clms.indicators.overview), and whether the rows
    # without any figure are shown (hidden unless asked for).
    status = forms.ChoiceField(required=False, choices=[(s, s) for s in ROW_STATUSES], widget=forms.HiddenInput)
    empty = forms.ChoiceField(required=False, choices=[("show", "show")], widget=forms.HiddenInput)

    def __init__(self, *args: Any, units: QuerySet[AdminUnit], today: dt.date, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_queryset(self, "unit", units)
        set_choices(self, "year", year_choices(today))


class TrendForm(core_forms.Form):
    unit = UnitField(label=_("Unit"), required=False, queryset=AdminUnit.objects.none())
    structure = forms.ChoiceField(label=_("Administrative structure"), required=False, choices=STRUCTURE_CHOICES)
    targets = forms.ChoiceField(label=_("Targets"), required=False, choices=TARGET_CHOICES)

    def __init__(self, *args: Any, units: QuerySet[AdminUnit], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_queryset(self, "unit", units)
