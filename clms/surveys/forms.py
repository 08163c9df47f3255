"""Forms of the survey pages; every form derives from the project's clean form base."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from clms.core import forms as core_forms
from clms.core.forms import set_queryset
from clms.places.fields import VillageChoiceField
from clms.places.models import AdminUnit
from clms.surveys.models import FieldKind, SurveyRound

MAX_UPLOAD = 50 * 1024 * 1024


class UnitField(forms.ModelChoiceField):
    def label_from_instance(self, obj: AdminUnit) -> str:
        return obj.name


class RoundForm(core_forms.Form):
    unit = UnitField(label=_("Unit surveyed"), queryset=AdminUnit.objects.none())
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    title = forms.CharField(label=_("Title"), max_length=200)
    questionnaire_version = forms.CharField(label=_("Questionnaire version"), max_length=40, initial="2026.1")

    def __init__(self, *args: Any, units: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_queryset(self, "unit", units)


class PSUForm(core_forms.Form):
    stratum = forms.CharField(label=_("Stratum"), max_length=40, initial="1")
    village = VillageChoiceField(label=_("Village (primary sampling unit)"))
    psu_weight = forms.FloatField(label=_("Inverse probability of selecting the village"), min_value=1,
                                  max_value=1_000_000, initial=1)
    households_listed = forms.IntegerField(label=_("Households listed in the village"), min_value=1, max_value=100_000)
    households_selected = forms.IntegerField(label=_("Households selected"), min_value=1, max_value=100_000)

    def __init__(self, *args: Any, villages: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_queryset(self, "village", villages)


class FormDownloadForm(core_forms.Form):
    commune = UnitField(label=_("Commune"), queryset=AdminUnit.objects.none())

    def __init__(self, *args: Any, communes: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_queryset(self, "commune", communes)


class ImportForm(core_forms.Form):
    kind = forms.ChoiceField(label=_("Form"), choices=[(k.value, k.label) for k in (FieldKind.REPORT, FieldKind.OBSERVATION, FieldKind.SURVEY)])
    commune = UnitField(label=_("Commune"), queryset=AdminUnit.objects.none())
    survey = forms.ModelChoiceField(label=_("Survey round (household survey only)"), queryset=SurveyRound.objects.none(),
                                    required=False)
    file = forms.FileField(label=_("Export from ODK Central (.csv, .zip) or KoBoToolbox (.xlsx, .csv)"))
    confirm_new = forms.BooleanField(label=_("New children confirmed: I checked the register for each child reported"),
                                     required=False)

    def __init__(self, *args: Any, communes: Any, surveys: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_queryset(self, "commune", communes)
        set_queryset(self, "survey", surveys)

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD:
            raise forms.ValidationError(_("The file is larger than 50 MB."))
        if not upload.name.lower().endswith((".csv", ".zip", ".xlsx")):
            raise forms.ValidationError(_("Upload a .csv, .zip or .xlsx export."))
        return upload

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("kind") == FieldKind.SURVEY and not data.get("survey"):
            self.add_error("survey", _("Choose the survey round the households belong to."))
        return data


class RegisterMemberForm(core_forms.Form):
    confirm_new = forms.BooleanField(label=_("I checked: this is a new child, not one of those listed"), required=False)
    existing = forms.IntegerField(required=False, widget=forms.HiddenInput, min_value=1)
