"""Forms of the register: plain forms whose cleaned data are the services' arguments."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django import forms
from django.utils.translation import gettext_lazy as _

from clms.core import forms as core_forms
from clms.core.forms import DateKind, set_choices, set_queryset
from clms.people.models import (
    AGED_OUT,
    AGED_OUT_LABEL,
    Activity,
    PovertyStatus,
    RegisterStatus,
    RiskLevel,
    SchoolStatus,
    Sex,
)
from clms.people.reference import ethnicities, special_circumstances
from clms.places.fields import VillageChoiceField
from clms.places.models import AdminUnit
from clms.rules import catalogue

if TYPE_CHECKING:
    from clms.people.selectors import VillageOption

DATE_WIDGET = forms.DateInput(format="%d/%m/%Y", attrs={"placeholder": "dd/mm/yyyy", "inputmode": "numeric"})


def date_field(label: Any, *, required: bool = True, kind: DateKind = DateKind.EVENT) -> forms.DateField:
    return core_forms.date_field(label, required=required, kind=kind, widget=DATE_WIDGET)


class CommaDecimalField(forms.DecimalField):
    """Accepts "4,5" as well as "4.5": officers type the Vietnamese decimal comma."""

    def to_python(self, value: Any) -> Decimal | None:  # type: ignore[override]
        if isinstance(value, str):
            value = value.strip().replace(",", ".")
        result: Decimal | None = super().to_python(value)
        return result


YES, NO, UNKNOWN = "yes", "no", ""
TRISTATE_CHOICES = [(YES, _("Yes")), (NO, _("No")), (UNKNOWN, _("Not known"))]


def tristate(label: Any) -> forms.TypedChoiceField:
    """Yes / no / not known; "not known" stays None so the law never reads it as a breach."""
    return forms.TypedChoiceField(
        label=label,
        choices=TRISTATE_CHOICES,
        coerce=lambda v: v == YES,
        empty_value=None,
        required=False,
        initial=UNKNOWN,
        widget=forms.RadioSelect(attrs={"class": "tristate"}),
    )


def tristate_initial(value: bool | None) -> str:
    return UNKNOWN if value is None else (YES if value else NO)


class UnitChoiceField(forms.ModelChoiceField[AdminUnit]):
    def label_from_instance(self, obj: AdminUnit) -> str:
        if obj.level == "village" and obj.parent_id:
            return f"{obj.name} – {obj.parent.name}" if obj.parent else obj.name
        return obj.name


class RegisterFilterForm(core_forms.Form):
    q = forms.CharField(
        label=_("Search by name"), required=False, max_length=100,
        widget=forms.TextInput(attrs={"type": "search", "placeholder": _("e.g. nguyen van an"), "autocomplete": "off"}),
    )
    status = forms.ChoiceField(
        label=_("Status"), required=False,
        choices=[("", _("All under 18")), *RegisterStatus.choices, (AGED_OUT, AGED_OUT_LABEL)],
    )
    # A province has about 1,000 villages: built without Django's per-option templates.
    village = forms.TypedChoiceField(
        label=_("Village"), required=False, coerce=int, empty_value=None, choices=[],
    )
    age_band = forms.ChoiceField(
        label=_("Age"),
        required=False,
        choices=[
            ("", _("All ages")),
            ("5-11", _("5–11 years")),
            ("12-14", _("12–14 years")),
            ("15-17", _("15–17 years")),
            ("0-12", _("Under 13")),
            ("13-14", _("13–14 years")),
        ],
    )
    sex = forms.ChoiceField(label=_("Sex"), required=False, choices=[("", _("All")), *Sex.choices])
    ethnicity = forms.ChoiceField(label=_("Ethnicity"), required=False, choices=[])
    school_status = forms.ChoiceField(
        label=_("School"), required=False, choices=[("", _("All")), *SchoolStatus.choices]
    )
    risk_level = forms.ChoiceField(label=_("Risk"), required=False, choices=[("", _("All")), *RiskLevel.choices])

    def __init__(self, *args: Any, villages: Iterable[VillageOption] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_choices(self, "village", [("", _("All villages"))] + [
            (v.pk, f"{v.name} – {v.parent_name}" if v.parent_name else v.name) for v in villages
        ])
        set_choices(self, "ethnicity", [("", _("All")), *ethnicities()])


class HouseholdForm(core_forms.Form):
    commune = UnitChoiceField(label=_("Commune"), queryset=AdminUnit.objects.none(), empty_label=None)
    village = VillageChoiceField(label=_("Village"), required=False)
    head_name = forms.CharField(label=_("Head of household"), max_length=150)
    address = forms.CharField(label=_("Address"), max_length=255, required=False)
    members = forms.IntegerField(label=_("Members"), min_value=1, max_value=60, required=False)
    poverty_status = forms.ChoiceField(
        label=_("Poverty status (national multidimensional standard)"), choices=PovertyStatus.choices,
        initial=PovertyStatus.NONE,
    )
    ethnicity = forms.ChoiceField(label=_("Ethnicity of the household"), choices=[], initial="01")
    disadvantaged_area = forms.BooleanField(label=_("Lives in an especially disadvantaged area"), required=False)
    craft_household = forms.BooleanField(label=_("Works in a craft (craft-village household)"), required=False)
    fishing_household = forms.BooleanField(label=_("Fishing household"), required=False)
    migrant_parents = forms.BooleanField(label=_("Parents work away from home"), required=False)
    phone = forms.CharField(label=_("Phone"), max_length=20, required=False)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, communes: list[AdminUnit], villages: list[AdminUnit], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_queryset(self, "commune", AdminUnit.objects.filter(pk__in=[c.pk for c in communes]))
        set_queryset(self, "village", AdminUnit.objects.filter(pk__in=[v.pk for v in villages]).select_related("parent"))
        set_choices(self, "ethnicity", ethnicities())
        if len(communes) == 1:
            self.fields["commune"].initial = communes[0].pk
            self.fields["commune"].widget = forms.HiddenInput()
        if len(villages) == 1:
            self.fields["village"].initial = villages[0].pk

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        commune, village = data.get("commune"), data.get("village")
        if commune and village and village.parent_id != commune.pk:
            self.add_error("village", _("This village does not belong to the commune."))
        return data

    def service_fields(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data.pop("version", None)
        return data


class ChildForm(core_forms.Form):
    full_name = forms.CharField(label=_("Full name"), max_length=150)
    sex = forms.ChoiceField(label=_("Sex"), choices=Sex.choices, widget=forms.RadioSelect)
    dob = date_field(_("Date of birth"), kind=DateKind.BIRTH)
    dob_estimated = forms.BooleanField(label=_("Date of birth estimated"), required=False)
    ethnicity = forms.ChoiceField(label=_("Ethnicity"), choices=[], initial="01")
    personal_id = forms.CharField(
        label=_("Personal identification number (12 digits)"), max_length=12, required=False,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "pattern": "[0-9]{12}"}),
    )
    school_status = forms.ChoiceField(label=_("School status"), choices=SchoolStatus.choices)
    grade = forms.IntegerField(label=_("Grade"), min_value=1, max_value=12, required=False)
    school_name = forms.CharField(label=_("School"), max_length=200, required=False)
    dropped_out_on = date_field(_("Dropped out on"), required=False)
    disability = forms.CharField(label=_("Disability"), max_length=200, required=False)
    special_circumstances = forms.MultipleChoiceField(
        label=_("Special circumstances (Children Law 2016, Art. 10(1))"), required=False,
        choices=[], widget=forms.CheckboxSelectMultiple,
    )
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_choices(self, "ethnicity", ethnicities())
        set_choices(self, "special_circumstances", special_circumstances())

    def clean_personal_id(self) -> str:
        value = "".join(self.cleaned_data.get("personal_id", "").split())
        if value and (len(value) != 12 or not value.isdigit()):
            raise forms.ValidationError(_("A personal identification number has exactly 12 digits."))
        return value

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        status = data.get("school_status")
        if status == SchoolStatus.ATTENDING and not data.get("grade"):
            self.add_error("grade", _("Enter the grade the child attends."))
        if status == SchoolStatus.DROPPED_OUT and not data.get("dropped_out_on"):
            self.add_error("dropped_out_on", _("Enter when the child dropped out (dd/mm/yyyy)."))
        if status != SchoolStatus.DROPPED_OUT:
            data["dropped_out_on"] = None
        return data

    def service_fields(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        for name in ("version", "confirm_different"):
            data.pop(name, None)
        data["grade"] = data.get("grade")
        return data


class ChildCreateForm(ChildForm):
    confirm_different = forms.BooleanField(
        label=_("I have checked: this is a different child from those listed"), required=False
    )


class GuardianForm(core_forms.Form):
    full_name = forms.CharField(label=_("Guardian's full name"), max_length=150)
    relationship = forms.CharField(
        label=_("Relationship to the child"), max_length=60,
        widget=forms.TextInput(attrs={"placeholder": _("e.g. mother, father, grandmother")}),
    )
    phone = forms.CharField(label=_("Phone"), max_length=20, required=False)


class ConsentForm(core_forms.Form):
    given_by = forms.CharField(label=_("Consent given by"), max_length=150)
    relationship = forms.CharField(label=_("Relationship to the child"), max_length=60)
    given_on = date_field(_("Consent given on"))
    purpose = forms.CharField(
        label=_("Purpose"), max_length=255,
        initial=_("Keeping the child on the register for child-labour prevention and support"),
    )


def _choices(entries: Any) -> list[tuple[str, str]]:
    return [(e.code, e.name) for e in entries]


class ObservationForm(core_forms.Form):
    observed_on = date_field(_("Observed on"))
    activity = forms.ChoiceField(label=_("What the child does"), choices=Activity.choices, widget=forms.RadioSelect)
    employer_name = forms.CharField(label=_("Employer or work owner"), max_length=255, required=False)
    job_code = forms.CharField(label=_("Job (from the legal list)"), max_length=24, required=False)
    workplace_code = forms.CharField(label=_("Workplace (from the legal list)"), max_length=24, required=False)
    job_description = forms.CharField(label=_("What the child does, in your words"), max_length=255, required=False)
    hours_per_day = CommaDecimalField(
        label=_("Hours per day"), min_value=0, max_value=24, max_digits=4, decimal_places=1, required=False,
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
    )
    days_per_week = forms.IntegerField(label=_("Days per week"), min_value=0, max_value=7, required=False)
    night_work = tristate(_("Works at night (22:00–06:00)"))
    overtime = tristate(_("Works overtime"))
    hazards = forms.MultipleChoiceField(
        label=_("Hazardous conditions"), required=False, choices=[], widget=forms.CheckboxSelectMultiple
    )
    worst_forms = forms.MultipleChoiceField(
        label=_("Worst forms of child labour"), required=False, choices=[], widget=forms.CheckboxSelectMultiple
    )
    load_kg = CommaDecimalField(
        label=_("Heaviest load carried (kg)"), min_value=0, max_value=999, max_digits=5, decimal_places=1,
        required=False, widget=forms.TextInput(attrs={"inputmode": "decimal"}),
    )
    load_regular = tristate(_("Carries loads regularly"))
    chores_hours_week = CommaDecimalField(
        label=_("Household chores, hours per week"), min_value=0, max_value=168, max_digits=5, decimal_places=1,
        required=False, widget=forms.TextInput(attrs={"inputmode": "decimal"}),
    )
    paid = tristate(_("Paid"))
    contract_written = tristate(_("Written contract with the child and the representative"))
    parent_consent = tristate(_("Parent or guardian consented"))
    health_cert = tristate(_("Health certificate"))
    affects_study_time = tristate(_("Work affects study time"))
    osh_age_appropriate = tristate(_("Safe conditions suited to the age"))
    harms_study_health_safety = tristate(_("Harms study, health or safety"))
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_choices(self, "hazards", _choices(catalogue.hazards()))
        set_choices(self, "worst_forms", _choices(catalogue.worst_forms()))

    def _code(self, name: str, kind: str) -> str:
        code = str(self.cleaned_data.get(name) or "").strip()
        if not code:
            return ""
        try:
            entry = catalogue.get(code)
        except KeyError:
            raise forms.ValidationError(_("Choose an entry from the list.")) from None
        if entry.kind not in (kind, "other"):
            raise forms.ValidationError(_("Choose an entry from the list."))
        return code

    def clean_job_code(self) -> str:
        return self._code("job_code", "job")

    def clean_workplace_code(self) -> str:
        return self._code("workplace_code", "workplace")

    def service_fields(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data.pop("observed_on", None)
        return data


class VisitForm(core_forms.Form):
    visited_on = date_field(_("Visited on"))
    still_working = tristate(_("Still working"))
    school_status = forms.ChoiceField(
        label=_("School status now"), required=False, choices=[("", _("Unchanged")), *SchoolStatus.choices]
    )
    note = forms.CharField(label=_("What you found"), required=False, widget=forms.Textarea(attrs={"rows": 3}))


class ImportForm(core_forms.Form):
    file = forms.FileField(label=_("XLSX or CSV file"))

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > 20 * 1024 * 1024:
            raise forms.ValidationError(_("The file is larger than 20 MB."))
        if not upload.name.lower().endswith((".xlsx", ".csv")):
            raise forms.ValidationError(_("Upload an .xlsx or .csv file."))
        return upload
