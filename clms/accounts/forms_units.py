from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from clms.core import forms as core_forms
from clms.places.models import DenominatorGroup


class VillageForm(core_forms.Form):
    name = forms.CharField(label=_("Village name"), max_length=150)
    unit_type = forms.ChoiceField(
        label=_("Type"),
        choices=[("Thôn", "Thôn"), ("Bản", "Bản"), ("Khu phố", "Khu phố"), ("Tổ dân phố", "Tổ dân phố"), ("Làng", "Làng")],
    )


class DenominatorImportForm(core_forms.Form):
    file = forms.FileField(label=_("XLSX file"))

    def clean_file(self) -> object:
        upload = self.cleaned_data["file"]
        if upload.size > 10 * 1024 * 1024:
            raise forms.ValidationError(_("The file is larger than 10 MB."))
        if not upload.name.lower().endswith(".xlsx"):
            raise forms.ValidationError(_("Upload an .xlsx file."))
        return upload


class DenominatorFilterForm(core_forms.Form):
    year = forms.IntegerField(label=_("Year"), required=False, min_value=2000, max_value=2100)
    group = forms.ChoiceField(
        label=_("Group"), required=False, choices=[("", _("All groups")), *DenominatorGroup.choices]
    )
