"""Forms of the employers app: they parse input into domain values, services validate the rest."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from clms.accounts.models import Agency, User
from clms.core import forms as core_forms
from clms.core.forms import DateKind, set_queryset
from clms.employers.models import (
    CraftVillage,
    Employer,
    EmployerKind,
    EnterpriseSize,
    Inspection,
    InspectionKind,
    Sector,
    ViolationStatus,
)
from clms.people.models import Child, Sex
from clms.places.fields import VillageChoiceField
from clms.places.models import AdminUnit
from clms.rules import catalogue

DATE_FORMAT = "%d/%m/%Y"


def date_field(
    label: Any, *, required: bool = True, help_text: Any = "", kind: DateKind = DateKind.EVENT
) -> forms.DateField:
    return core_forms.date_field(
        label,
        required=required,
        help_text=help_text,
        kind=kind,
        input_formats=[DATE_FORMAT, "%d-%m-%Y", "%Y-%m-%d"],
        widget=forms.DateInput(format=DATE_FORMAT, attrs={"placeholder": "dd/mm/yyyy", "inputmode": "numeric", "autocomplete": "off"}),
    )


class VersionedForm(core_forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class EmployerFilterForm(core_forms.Form):
    q = forms.CharField(label=_("Search"), required=False, widget=forms.TextInput(attrs={"placeholder": _("Name or tax code")}))
    commune = forms.ModelChoiceField(label=_("Commune"), queryset=AdminUnit.objects.none(), required=False, empty_label=_("All communes"))
    kind = forms.ChoiceField(label=_("Kind"), required=False, choices=[("", _("All kinds")), *EmployerKind.choices])
    sector = forms.ChoiceField(label=_("Sector"), required=False, choices=[("", _("All sectors")), *Sector.choices])

    def __init__(self, *args: Any, communes: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_queryset(self, "commune", communes)


class EmployerForm(VersionedForm):
    name = forms.CharField(label=_("Name"), max_length=255)
    kind = forms.ChoiceField(label=_("Kind"), choices=EmployerKind.choices)
    size = forms.ChoiceField(
        label=_("Size (enterprises)"), required=False, choices=[("", "—"), *EnterpriseSize.choices]
    )
    sector = forms.ChoiceField(label=_("Sector"), choices=Sector.choices)
    commune = forms.ModelChoiceField(label=_("Commune"), queryset=AdminUnit.objects.none())
    village = VillageChoiceField(label=_("Village"), required=False)
    address = forms.CharField(label=_("Address"), max_length=255, required=False)
    tax_code = forms.CharField(
        label=_("Tax code"), max_length=20, required=False, help_text=_("10 digits, or 10 digits-3 digits for a branch; an individual or household business: the 12-digit personal identification number")
    )
    owner_name = forms.CharField(label=_("Owner or legal representative"), max_length=150, required=False)
    phone = forms.CharField(label=_("Phone"), max_length=20, required=False)
    craft_village = forms.ModelChoiceField(label=_("Craft village"), queryset=CraftVillage.objects.none(), required=False)
    workers = forms.IntegerField(label=_("Number of workers"), min_value=0, required=False)
    registered_on = date_field(_("Registered on"), required=False, kind=DateKind.RECORD)
    active = forms.BooleanField(label=_("Still operating"), required=False, initial=True)

    def __init__(self, *args: Any, communes: Any, villages: Any, craft_villages: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_queryset(self, "commune", communes)
        set_queryset(self, "village", villages)
        set_queryset(self, "craft_village", craft_villages)

    def values(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data.pop("version", None)
        for name in ("address", "tax_code", "owner_name", "phone", "size"):
            data[name] = data.get(name) or ""
        return data


class CraftVillageForm(VersionedForm):
    name = forms.CharField(label=_("Name"), max_length=200)
    trade = forms.CharField(label=_("Craft"), max_length=200)
    commune = forms.ModelChoiceField(label=_("Commune"), queryset=AdminUnit.objects.none())
    village = VillageChoiceField(label=_("Village"), required=False)
    recognised_on = date_field(_("Recognised on"), required=False, kind=DateKind.RECORD)
    household_count = forms.IntegerField(label=_("Households in the trade"), min_value=0, required=False)
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args: Any, communes: Any, villages: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_queryset(self, "commune", communes)
        set_queryset(self, "village", villages)

    def values(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data.pop("version", None)
        data["note"] = data.get("note") or ""
        return data


class CommitmentForm(core_forms.Form):
    signed_on = date_field(_("Signed on"))
    signer_name = forms.CharField(label=_("Signed by"), max_length=150)
    signer_title = forms.CharField(label=_("Signer's position"), max_length=100, required=False)
    expires_on = date_field(_("Valid until"), required=False, kind=DateKind.PLANNED)
    document = forms.FileField(
        label=_("Scanned copy"),
        required=False,
        help_text=_("PDF, JPEG or PNG, at most 5 MB."),
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png,application/pdf,image/jpeg,image/png"}),
    )
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class InspectionForm(core_forms.Form):
    kind = forms.ChoiceField(label=_("Kind of inspection"), choices=InspectionKind.choices)
    # The service refuses a future inspection with its own message; the field only bounds.
    inspected_on = date_field(_("Date"), kind=DateKind.PLANNED)
    lead_agency = forms.ChoiceField(label=_("Lead agency"), choices=Agency.choices, initial=Agency.LABOUR)
    # Rendered by the type-ahead picker of the template, never as one checkbox per employer (799
    # of them in a district, several with the same name): the queryset only validates the ids.
    employers = forms.ModelMultipleChoiceField(
        label=_("Employers inspected"), queryset=Employer.objects.none(), widget=forms.MultipleHiddenInput,
        help_text=_("Type a few letters of the name (diacritics not needed) or of the tax code, then tick."),
    )
    team = forms.CharField(
        label=_("Team"), required=False, widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Names and agencies of the members"),
    )
    members = forms.ModelMultipleChoiceField(
        label=_("Team members with an account"), queryset=User.objects.none(), required=False, widget=forms.CheckboxSelectMultiple
    )
    follow_up_of = forms.ModelChoiceField(label=_("Follow-up of an earlier inspection"), queryset=Inspection.objects.none(), required=False)
    findings = forms.CharField(label=_("Findings"), required=False, widget=forms.Textarea(attrs={"rows": 4}))

    def __init__(self, *args: Any, employers: Any, members: Any, inspections: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_queryset(self, "employers", employers)
        set_queryset(self, "members", members)
        set_queryset(self, "follow_up_of", inspections)


class FindingsForm(VersionedForm):
    findings = forms.CharField(label=_("Findings"), required=False, widget=forms.Textarea(attrs={"rows": 4}))


class CatalogueCodeField(forms.CharField):
    """A job or workplace typed with the type-ahead: "TT09.II.04 — Các nghề truyền thống…" or just the code."""

    def __init__(self, *, kinds: tuple[str, ...], **kwargs: Any) -> None:
        self.kinds = kinds
        super().__init__(**kwargs)

    def clean(self, value: Any) -> str:
        text = super().clean(value)
        if not text:
            return ""
        code = text.split("—")[0].strip()
        try:
            entry = catalogue.get(code)
        except KeyError:
            raise forms.ValidationError(_("Pick an item from the list (type a few words, then choose).")) from None
        if entry.kind not in self.kinds:
            raise forms.ValidationError(_("Pick an item from the list (type a few words, then choose)."))
        return entry.code


class FoundChildForm(core_forms.Form):
    employer = forms.ModelChoiceField(label=_("Found working for"), queryset=Employer.objects.none())
    existing_child = forms.ModelChoiceField(
        label=_("Child already on the register"), queryset=Child.objects.none(), required=False, widget=forms.RadioSelect
    )
    full_name = forms.CharField(label=_("Full name"), max_length=150, required=False)
    sex = forms.ChoiceField(label=_("Sex"), choices=[("", "—"), *Sex.choices], required=False)
    dob = date_field(_("Date of birth"), required=False, kind=DateKind.BIRTH)
    commune = forms.ModelChoiceField(label=_("Commune where the child lives"), queryset=AdminUnit.objects.none(), required=False)
    village = VillageChoiceField(label=_("Village"), required=False)
    not_a_duplicate = forms.BooleanField(
        label=_("None of the children listed is this child: add a new one"), required=False
    )
    job_code = CatalogueCodeField(
        label=_("Job"), kinds=("job", "other"), max_length=300, required=False,
        help_text=_("Type a few words without diacritics, e.g. “son mai”, then choose."),
    )
    workplace_code = CatalogueCodeField(label=_("Workplace"), kinds=("workplace", "other"), max_length=300, required=False)
    job_description = forms.CharField(label=_("What the child does"), max_length=255, required=False)
    hours_per_day = forms.DecimalField(label=_("Hours per day"), min_value=0, max_value=24, decimal_places=1, required=False, localize=True)
    days_per_week = forms.IntegerField(label=_("Days per week"), min_value=0, max_value=7, required=False)
    night_work = forms.NullBooleanField(label=_("Works at night (22:00-06:00)"), required=False)
    overtime = forms.NullBooleanField(label=_("Works overtime"), required=False)
    parent_consent = forms.NullBooleanField(label=_("Parent or guardian consented"), required=False)
    separate_register = forms.NullBooleanField(label=_("Employer keeps a register of minor workers"), required=False)
    contract_written = forms.NullBooleanField(label=_("Written contract with the child and the representative"), required=False)
    health_cert = forms.NullBooleanField(label=_("Health certificate"), required=False)
    provincial_consent = forms.NullBooleanField(label=_("Provincial consent (under 13)"), required=False)
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    OBSERVATION = (
        "job_code", "workplace_code", "job_description", "hours_per_day", "days_per_week", "night_work", "overtime",
        "parent_consent", "separate_register", "contract_written", "health_cert", "provincial_consent", "note",
    )

    def __init__(self, *args: Any, employers: Any, children: Any, communes: Any, villages: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_queryset(self, "employer", employers)
        set_queryset(self, "existing_child", children)
        set_queryset(self, "commune", communes)
        set_queryset(self, "village", villages)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("existing_child") is None:
            for name in ("full_name", "sex", "dob", "commune"):
                if not data.get(name):
                    self.add_error(name, _("Enter this for a new child, or pick a child already on the register."))
        return data

    def observation(self) -> dict[str, Any]:
        return {name: self.cleaned_data.get(name) for name in self.OBSERVATION if self.cleaned_data.get(name) not in (None, "")}

    def new_child(self) -> dict[str, Any] | None:
        if self.cleaned_data.get("existing_child") is not None:
            return None
        return {
            "full_name": self.cleaned_data["full_name"],
            "sex": self.cleaned_data["sex"],
            "dob": self.cleaned_data["dob"],
            "commune": self.cleaned_data["commune"],
            "village": self.cleaned_data.get("village"),
        }


class ViolationConfirmForm(VersionedForm):
    remedy_deadline = date_field(_("Remedy by"), required=False, kind=DateKind.PLANNED)


class ViolationPenaliseForm(VersionedForm):
    decision_number = forms.CharField(label=_("Decision number"), max_length=60)
    decision_date = date_field(_("Decision date"))
    fine_amount = forms.IntegerField(label=_("Fine imposed (đồng)"), min_value=0)
    remedy_deadline = date_field(_("Remedy by"), required=False, kind=DateKind.PLANNED)


class ViolationRemedyForm(VersionedForm):
    remedied_on = date_field(_("Remedied on"))


class ViolationDismissForm(VersionedForm):
    reason = forms.CharField(label=_("Reason for dismissal"), widget=forms.Textarea(attrs={"rows": 2}))


class ViolationFilterForm(core_forms.Form):
    status = forms.ChoiceField(label=_("Status"), required=False, choices=[("", _("All statuses")), *ViolationStatus.choices])


class YearForm(core_forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100, required=False)


class DeriveForm(core_forms.Form):
    unit = forms.ModelChoiceField(label=_("Unit"), queryset=AdminUnit.objects.none())
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)

    def __init__(self, *args: Any, units: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_queryset(self, "unit", units)
