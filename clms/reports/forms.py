from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from clms.core import forms as core_forms
from clms.core.forms import set_choices
from clms.reports.models import TEXT_FIELDS

DATE_WIDGET = forms.DateInput(format="%d/%m/%Y", attrs={"placeholder": "dd/mm/yyyy", "inputmode": "numeric"})
LINES_HELP = _("One per line.")


def _text(label: Any, *, rows: int = 4, help_text: Any = "") -> forms.CharField:
    return forms.CharField(label=label, required=False, widget=forms.Textarea(attrs={"rows": rows}), help_text=help_text)


class StartForm(core_forms.Form):
    year = forms.TypedChoiceField(label=_("Year"), coerce=int)

    def __init__(self, *args: Any, years: list[int], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_choices(self, "year", [(y, str(y)) for y in years])


class VersionForm(core_forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)


class SubmitForm(VersionForm):
    """Submitting freezes the figures: the officer says he knows it (no script needed)."""

    confirm = forms.BooleanField(
        label=_("After submitting, the figures are frozen and the report can no longer be edited. I have checked the report."),
        required=True,
    )


class ReturnForm(VersionForm):
    reason = forms.CharField(label=_("Reason for returning"), widget=forms.Textarea(attrs={"rows": 3}))


class DocumentForm(VersionForm):
    """The typed parts of a report, shared by a unit's report and the aggregate report."""

    number = forms.IntegerField(label=pgettext_lazy("document number", "Number"), required=False, min_value=1, max_value=99999)
    symbol = forms.CharField(label=_("Symbol"), max_length=40, required=False)
    issued_on = core_forms.date_field(_("Date of the report"), required=False, kind=core_forms.DateKind.PLANNED, widget=DATE_WIDGET)
    place = forms.CharField(label=pgettext_lazy("place name", "Place"), max_length=120, required=False)
    subject = _text(_("Subject"), rows=2)
    recipients_to = _text(_("Addressed to"), rows=2, help_text=LINES_HELP)
    recipients = _text(_("Copies to"), rows=4, help_text=LINES_HELP)
    signer_authority = forms.CharField(label=_("Signing authority"), max_length=120, required=False)
    signer_deputy = forms.CharField(label=_("Signing on behalf of"), max_length=120, required=False)
    signer_position = forms.CharField(label=_("Signer's position"), max_length=120, required=False)
    signer_name = forms.CharField(label=_("Signer's name"), max_length=150, required=False)
    difficulties = _text(_("Difficulties"), rows=5, help_text=LINES_HELP)
    proposals = _text(_("Proposals"), rows=5, help_text=LINES_HELP)
    next_tasks = _text(_("Tasks for next year"), rows=5, help_text=LINES_HELP)

    TEXT_FIELDS = TEXT_FIELDS

    def values(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in self.TEXT_FIELDS}


class PeriodForm(DocumentForm):
    due_on = core_forms.date_field(_("Due date"), kind=core_forms.DateKind.PLANNED, widget=DATE_WIDGET)

    field_order = ["due_on"]
