from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from clms.accounts.models import Agency
from clms.core import forms as core_forms
from clms.core.forms import ContentAreaChoiceField, UnitChoiceField, set_queryset
from clms.core.forms import planned_date_field as date_field
from clms.employers.models import Employer
from clms.outreach.models import (
    ActivityKind,
    ActivityStatus,
    BroadcastChannel,
    OutreachActivity,
    PeakPeriod,
    PrintedProduct,
    ReachGroup,
)
from clms.places.models import AdminUnit
from clms.plans.models import ContentArea


class ActivityFilterForm(core_forms.Form):
    year = forms.IntegerField(label=_("Year"), required=False, min_value=2000, max_value=2100)
    unit = UnitChoiceField(label=_("Unit"), required=False, queryset=AdminUnit.objects.none())
    kind = forms.ChoiceField(label=_("Kind"), required=False, choices=[("", _("All kinds")), *ActivityKind.choices])

    def __init__(self, *args: Any, units: QuerySet[AdminUnit], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_queryset(self, "unit", units)


class ActivityForm(core_forms.ModelForm):
    unit = UnitChoiceField(label=_("Unit"), queryset=AdminUnit.objects.none())
    starts_on = date_field(_("Date"))
    ends_on = date_field(_("Until"), required=False)
    status = forms.ChoiceField(label=_("Status"), choices=ActivityStatus.choices, initial=ActivityStatus.HELD)
    lead_agency = forms.ChoiceField(label=_("Lead agency"), required=False, choices=[("", "—"), *Agency.choices])
    peak_period = forms.ModelChoiceField(label=_("Peak period"), required=False, queryset=PeakPeriod.objects.all())
    content_area = ContentAreaChoiceField(label=_("Plan content area"), required=False, queryset=ContentArea.objects.none())
    channel = forms.ChoiceField(label=_("Channel (broadcasts)"), required=False, choices=[("", "—"), *BroadcastChannel.choices])
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = OutreachActivity
        fields = [
            "kind", "title", "topic", "unit", "lead_agency", "starts_on", "ends_on", "status",
            "peak_period", "content_area", "channel", "broadcasts", "notes",
        ]
        widgets = {"topic": forms.Textarea(attrs={"rows": 2}), "notes": forms.Textarea(attrs={"rows": 2})}

    def __init__(
        self, *args: Any, units: QuerySet[AdminUnit], content_areas: QuerySet[ContentArea], lock_agency: bool, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        set_queryset(self, "unit", units)
        set_queryset(self, "content_area", content_areas)
        if lock_agency:
            # The service sets an agency officer's own agency; the field would only mislead.
            del self.fields["lead_agency"]
        activity = self.instance if self.instance.pk else None
        current_reach = {r.group: r.count for r in activity.reach.all()} if activity else {}
        current_printed = {p.product: p.quantity for p in activity.printed.all()} if activity else {}
        for group, label in ReachGroup.choices:
            self.fields[f"reach_{group}"] = forms.IntegerField(
                label=label, required=False, min_value=0, initial=current_reach.get(group),
                widget=forms.NumberInput(attrs={"inputmode": "numeric", "min": "0"}),
            )
        for product, product_label in PrintedProduct.choices:
            self.fields[f"printed_{product}"] = forms.IntegerField(
                label=product_label, required=False, min_value=0, initial=current_printed.get(product),
                widget=forms.NumberInput(attrs={"inputmode": "numeric", "min": "0"}),
            )

    def main_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in self.Meta.fields if name in self.fields]

    def reach_fields(self) -> list[forms.BoundField]:
        return [self[f"reach_{g}"] for g in ReachGroup.values]

    def printed_fields(self) -> list[forms.BoundField]:
        return [self[f"printed_{p}"] for p in PrintedProduct.values]

    def reach_values(self) -> dict[str, int]:
        return {g: self.cleaned_data.get(f"reach_{g}") or 0 for g in ReachGroup.values}

    def printed_values(self) -> dict[str, int]:
        return {p: self.cleaned_data.get(f"printed_{p}") or 0 for p in PrintedProduct.values}

    def activity_values(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in self.Meta.fields if name in self.fields}


class AttendeeForm(core_forms.Form):
    employer = forms.ModelChoiceField(label=_("Employer"), required=False, queryset=Employer.objects.none())
    full_name = forms.CharField(label=_("Full name"), required=False, max_length=150)
    position = forms.CharField(label=_("Position"), required=False, max_length=150)
    person_unit = UnitChoiceField(label=_("Unit"), required=False, queryset=AdminUnit.objects.none())
    group = forms.ChoiceField(label=_("Target group"), required=False, choices=[("", "—"), *ReachGroup.choices])

    def __init__(self, *args: Any, employers: QuerySet[Employer], units: QuerySet[AdminUnit], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_queryset(self, "employer", employers)
        set_queryset(self, "person_unit", units)
