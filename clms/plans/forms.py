from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from clms.accounts.models import Agency
from clms.core import forms as core_forms
from clms.core.forms import ContentAreaChoiceField, UnitChoiceField, set_queryset
from clms.core.forms import planned_date_field as date_field
from clms.places.models import AdminUnit
from clms.plans.models import (
    BudgetLine,
    Comparator,
    ContentArea,
    FundingSource,
    PilotModel,
    PilotModelType,
    PilotStatus,
    Plan,
    Target,
    TaskStatus,
)
from clms.plans.services import TargetInput


class CommunePlanForm(core_forms.Form):
    """A commune plan: number, date and one target per target of the parent plan."""

    number = forms.CharField(label=pgettext_lazy("document number", "Number"), max_length=40, required=False)
    issued_on = date_field(_("Date"), required=False)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(
        self, *args: Any, parent_targets: Iterable[Target], current: dict[tuple[str, int], Target] | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.target_rows: list[tuple[Target, str, str]] = []
        for parent in parent_targets:
            target = (current or {}).get((parent.indicator, parent.year), parent)
            key = f"{parent.indicator}_{parent.year}"
            cmp_name, value_name = f"cmp_{key}", f"value_{key}"
            self.fields[cmp_name] = forms.ChoiceField(
                label=_("Comparator"), choices=Comparator.choices, initial=target.comparator
            )
            self.fields[value_name] = forms.DecimalField(
                label=_("Value (%)"),
                required=False,
                localize=True,
                max_digits=6,
                decimal_places=2,
                initial=target.value,
            )
            self.target_rows.append((parent, cmp_name, value_name))

    def bound_rows(self) -> list[dict[str, Any]]:
        return [
            {"target": t, "comparator": self[c], "value": self[v]} for t, c, v in self.target_rows
        ]

    def target_inputs(self) -> list[TargetInput]:
        data = self.cleaned_data
        return [
            TargetInput(indicator=t.indicator, year=t.year, comparator=data[c], value=data.get(v))
            for t, c, v in self.target_rows
        ]


class TaskUpdateForm(core_forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=TaskStatus.choices)
    on = date_field(_("Date"))
    note = forms.CharField(label=_("Progress note"), widget=forms.Textarea(attrs={"rows": 3}))
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["on"].initial = dt.date.today()  # noqa: DTZ011 - local calendar date


class YearFilterMixin(core_forms.Form):
    year = forms.IntegerField(label=_("Year"), required=False, min_value=2000, max_value=2100)


class BudgetFilterForm(YearFilterMixin):
    unit = UnitChoiceField(label=_("Unit"), required=False, queryset=AdminUnit.objects.none())
    source = forms.ChoiceField(label=_("Source of funds"), required=False, choices=[("", _("All sources")), *FundingSource.choices])

    def __init__(self, *args: Any, units: QuerySet[AdminUnit], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_queryset(self, "unit", units)


class BudgetLineForm(core_forms.ModelForm):
    plan = forms.ModelChoiceField(label=_("Plan"), queryset=Plan.objects.none())
    unit = UnitChoiceField(label=_("Unit"), queryset=AdminUnit.objects.none())
    content_area = ContentAreaChoiceField(label=_("Content area"), required=False, queryset=ContentArea.objects.none())
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = BudgetLine
        fields = ["plan", "year", "unit", "source", "content_area", "description", "planned", "spent"]

    def __init__(self, *args: Any, plans: QuerySet[Plan], units: QuerySet[AdminUnit], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_queryset(self, "plan", plans)
        set_queryset(self, "unit", units)
        set_queryset(self, "content_area", ContentArea.objects.filter(plan__in=plans).order_by("plan_id", "order"))
        for name in ("planned", "spent"):
            self.fields[name].widget.attrs.update({"inputmode": "numeric", "min": "0", "step": "1000"})


class PilotFilterForm(YearFilterMixin):
    commune = UnitChoiceField(label=_("Commune"), required=False, queryset=AdminUnit.objects.none())
    model_type = forms.ModelChoiceField(label=_("Model type"), required=False, queryset=PilotModelType.objects.all())

    def __init__(self, *args: Any, communes: QuerySet[AdminUnit], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_queryset(self, "commune", communes)


class PilotModelForm(core_forms.ModelForm):
    commune = UnitChoiceField(label=_("Commune"), queryset=AdminUnit.objects.none())
    started_on = date_field(_("Start date"))
    status = forms.ChoiceField(label=_("Status"), choices=PilotStatus.choices)
    lead_agency = forms.ChoiceField(label=_("Lead agency"), required=False, choices=[("", "—"), *Agency.choices])
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = PilotModel
        fields = ["model_type", "commune", "name", "started_on", "status", "beneficiaries", "lead_agency", "notes"]
        widgets = {"notes": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args: Any, communes: QuerySet[AdminUnit], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_queryset(self, "commune", communes)


