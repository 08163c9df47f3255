"""Forms of the case pages.  They parse input into domain values; the services decide."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from clms.accounts.models import Agency, Role, User
from clms.cases.catalogue import service_choices
from clms.cases.models import (
    ClosureReason,
    DueUnit,
    ReferralStatus,
    RiskLevel,
    Source,
    StartEvent,
    State,
    StepCode,
)
from clms.core import forms as core_forms
from clms.core.forms import DateKind
from clms.people.models import Activity, SchoolStatus, Sex
from clms.places.fields import VillageChoiceField
from clms.places.models import AdminUnit, Level

DATE_FORMAT = "%d/%m/%Y"


def date_field(label: Any, *, required: bool = True, kind: DateKind = DateKind.EVENT) -> forms.DateField:
    return core_forms.date_field(
        label,
        required=required,
        kind=kind,
        input_formats=[DATE_FORMAT],
        widget=forms.DateInput(format=DATE_FORMAT, attrs={"placeholder": "dd/mm/yyyy", "inputmode": "numeric"}),
    )


def text_area(rows: int = 3) -> forms.Textarea:
    return forms.Textarea(attrs={"rows": rows})


class Form(core_forms.Form):
    def _field(self, name: str) -> Any:
        # django-stubs types fields as the base Field, without queryset or choices.
        return self.fields[name]


class VersionForm(Form):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


# ---------------------------------------------------------------------------
# Report
# ---------------------------------------------------------------------------


class ReportForm(Form):
    source = forms.ChoiceField(label=pgettext_lazy("of a report", "Source"), choices=[c for c in Source.choices if c[0] != Source.REGISTER])
    received_on = date_field(_("Received on"))
    received_time = forms.TimeField(
        label=_("Time received"), input_formats=["%H:%M"],
        widget=forms.TimeInput(format="%H:%M", attrs={"placeholder": "hh:mm", "inputmode": "numeric"}),
    )
    emergency = forms.BooleanField(
        label=_("Emergency: serious risk to the child's life, health or dignity"), required=False
    )
    what_seen = forms.CharField(label=_("What was seen"), widget=text_area(4))
    commune = forms.ModelChoiceField(label=_("Commune"), queryset=AdminUnit.objects.none(), required=False)
    village = VillageChoiceField(label=_("Village"), required=False)
    children = forms.ModelMultipleChoiceField(
        label=_("Children already in the register"), queryset=AdminUnit.objects.none(), required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    new_name = forms.CharField(label=_("Full name"), max_length=150, required=False)
    new_sex = forms.ChoiceField(label=_("Sex"), choices=[("", "—"), *Sex.choices], required=False)
    new_dob = date_field(_("Date of birth"), required=False, kind=DateKind.BIRTH)
    new_dob_estimated = forms.BooleanField(label=_("Date of birth estimated"), required=False)
    confirm_new = forms.BooleanField(label=_("I checked: this is a new child, not one of those listed"), required=False)
    reporter_name = forms.CharField(label=_("Name of the person who told us"), max_length=150, required=False)
    reporter_phone = forms.CharField(label=_("Their phone"), max_length=20, required=False)
    reporter_relationship = forms.CharField(label=_("Their relationship to the child"), max_length=100, required=False)

    def __init__(self, *args: Any, user: User, children: Any, communes: Any, villages: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        self._field("children").queryset = children
        self._field("commune").queryset = communes
        self._field("village").queryset = villages
        area = user.area
        self.needs_commune = area is None or area.level not in (Level.COMMUNE, Level.VILLAGE)
        if user.role == Role.COLLABORATOR:
            self.fields["source"].initial = Source.COLLABORATOR
        elif user.role == Role.COMMUNE_OFFICER:
            self.fields["source"].initial = Source.COMMUNE
        if area is not None and area.level == Level.VILLAGE:
            self.fields["village"].initial = area.pk

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        day, time = data.get("received_on"), data.get("received_time")
        if day and time:
            data["received_at"] = timezone.make_aware(dt.datetime.combine(day, time))
        new_values = [data.get("new_name"), data.get("new_sex"), data.get("new_dob")]
        if any(new_values) and not all(new_values):
            for name, value in zip(("new_name", "new_sex", "new_dob"), new_values, strict=True):
                if not value:
                    self.add_error(name, _("Enter the name, sex and date of birth of the new child."))
        area = self.user.area
        commune = data.get("commune")
        village = data.get("village")
        if village is not None:
            commune = village.parent
        elif area is not None and area.level == Level.COMMUNE:
            commune = area
        elif area is not None and area.level == Level.VILLAGE:
            commune, village = area.parent, area
        if commune is not None and village is not None and village.parent_id != commune.pk:
            self.add_error("village", _("This village does not belong to the commune."))
        data["commune"], data["village"] = commune, village
        if all(new_values) and commune is None:
            self.add_error("commune", _("Choose the commune where the child lives."))
        return data


class ChildSearchForm(Form):
    q = forms.CharField(required=False, max_length=100)


# ---------------------------------------------------------------------------
# Case actions
# ---------------------------------------------------------------------------


class VerifyForm(VersionForm):
    initial_risk = forms.ChoiceField(label=_("Initial risk level"), choices=RiskLevel.choices)
    initial_note = forms.CharField(label=_("Initial assessment of risk and harm"), widget=text_area(), required=False)
    emergency = forms.BooleanField(label=_("Emergency"), required=False)
    emergency_measures = forms.CharField(label=_("Emergency measures taken"), widget=text_area(2), required=False)


class EmergencyForm(VersionForm):
    measures = forms.CharField(label=_("Emergency measures taken"), widget=text_area(2))


class NoteForm(VersionForm):
    note = forms.CharField(label=_("Note"), widget=text_area(2), required=False)


class RequiredNoteForm(VersionForm):
    note = forms.CharField(label=_("Reason"), widget=text_area(2))


class ApproveForm(VersionForm):
    approved_on = date_field(_("Approved on"))
    decision_number = forms.CharField(label=_("Decision number"), max_length=40)
    approver_name = forms.CharField(label=_("Chair of the commune People's Committee"), max_length=150, required=False)


class CloseForm(VersionForm):
    reason = forms.ChoiceField(label=_("Closure reason"), choices=ClosureReason.choices)
    note = forms.CharField(label=_("Note"), widget=text_area(2), required=False)


class AssignForm(VersionForm):
    officer = forms.ModelChoiceField(label=_("Officer in charge"), queryset=User.objects.none())

    def __init__(self, *args: Any, officers: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if officers is not None:
            self._field("officer").queryset = officers


class FollowUpForm(Form):
    visited_on = date_field(_("Visited on"))
    still_working = forms.TypedChoiceField(
        label=_("Is the child still working?"),
        choices=[("yes", _("Yes")), ("no", _("No"))],
        coerce=lambda v: v == "yes",
        widget=forms.RadioSelect,
    )
    activity = forms.ChoiceField(
        label=_("Kind of work"), required=False,
        choices=[("", "—"), *[c for c in Activity.choices if c[0] != Activity.NONE]],
    )
    work = forms.CharField(label=_("What work"), max_length=255, required=False)
    hours_per_day = forms.DecimalField(label=_("Hours per day"), required=False, min_value=0, max_value=24,
                                       max_digits=4, decimal_places=1)
    days_per_week = forms.IntegerField(label=_("Days per week"), required=False, min_value=0, max_value=7)
    school_status = forms.ChoiceField(label=_("School"), choices=SchoolStatus.choices)
    note = forms.CharField(label=_("Note"), widget=text_area(2), required=False)

    def observation_fields(self) -> dict[str, Any]:
        data = self.cleaned_data
        fields: dict[str, Any] = {}
        if data.get("hours_per_day") is not None:
            fields["hours_per_day"] = data["hours_per_day"]
        if data.get("days_per_week") is not None:
            fields["days_per_week"] = data["days_per_week"]
        return fields


class AssessmentForm(VersionForm):
    child_state = forms.CharField(label=_("State of the child"), widget=text_area(), required=False)
    family = forms.CharField(label=_("Family situation"), widget=text_area(), required=False)
    risks = forms.CharField(label=_("Risks"), widget=text_area(), required=False)
    school = forms.CharField(label=_("Schooling"), widget=text_area(), required=False)
    needs = forms.CharField(label=_("Needs"), widget=text_area(), required=False)
    child_views = forms.CharField(label=_("The child's views"), widget=text_area(), required=False)
    parent_views = forms.CharField(label=_("The parents' views"), widget=text_area(), required=False)
    risk_level = forms.ChoiceField(label=_("Risk level"), choices=[("", "—"), *RiskLevel.choices], required=False)
    needs_meeting_on = date_field(_("Needs meeting held on"), required=False)
    complete = forms.BooleanField(label=_("The assessment is complete"), required=False)


class PlanForm(Form):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    goals = forms.CharField(label=_("Goals"), widget=text_area(4))
    drafted_on = date_field(_("Drafted on"), required=False)


class PlanServiceForm(Form):
    service_type = forms.ChoiceField(label=_("Service"), choices=())
    agency = forms.ChoiceField(label=_("Provider agency"), choices=Agency.choices)
    provider_unit = forms.ModelChoiceField(label=_("Agency at"), queryset=AdminUnit.objects.none())
    description = forms.CharField(label=_("What exactly"), max_length=255, required=False)
    due_on = date_field(_("To be given by"), required=False, kind=DateKind.PLANNED)

    def __init__(self, *args: Any, units: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._field("service_type").choices = service_choices()
        self._field("provider_unit").queryset = units
        self._field("provider_unit").label_from_instance = lambda u: f"{u.name} ({u.get_level_display()})"


class ReferralAnswerForm(VersionForm):
    status = forms.ChoiceField(
        label=_("Answer"),
        choices=[(s, label) for s, label in ReferralStatus.choices if s != ReferralStatus.SENT],
        widget=forms.RadioSelect,
    )
    delivered_on = date_field(_("Delivered on"), required=False)
    refusal_reason = forms.CharField(label=_("Reason for refusal"), widget=text_area(2), required=False)
    note = forms.CharField(label=_("Note"), widget=text_area(2), required=False)


# ---------------------------------------------------------------------------
# Lists and settings
# ---------------------------------------------------------------------------


class CaseFilterForm(Form):
    q = forms.CharField(
        label=_("Child's name"), required=False, max_length=100,
        widget=forms.TextInput(attrs={"type": "search", "placeholder": _("e.g. nguyen van an"), "autocomplete": "off"}),
    )
    state = forms.ChoiceField(
        label=_("State"), required=False,
        choices=[("open", _("Open cases")), ("", _("All cases")), *State.choices],
    )
    due = forms.ChoiceField(
        label=_("Deadline"), required=False,
        choices=[("", _("Any")), ("overdue", _("Overdue")), ("soon", _("Due soon"))],
    )
    mine = forms.BooleanField(label=_("Only my cases"), required=False)
    commune = forms.ModelChoiceField(
        label=_("Commune"), queryset=AdminUnit.objects.none(), required=False, empty_label=_("All communes")
    )
    village = VillageChoiceField(label=_("Village"), required=False, empty_label=_("All villages"))
    officer = forms.ModelChoiceField(
        label=_("Officer"), queryset=User.objects.none(), required=False, empty_label=_("All officers")
    )

    def __init__(self, *args: Any, communes: Any, villages: Any = None, officers: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._field("commune").queryset = communes
        self._field("village").queryset = villages if villages is not None else AdminUnit.objects.none()
        self._field("officer").queryset = officers if officers is not None else User.objects.none()


class PolicyForm(Form):
    step = forms.ChoiceField(label=_("Step"), choices=StepCode.choices)
    scope_unit = forms.ModelChoiceField(label=_("Applies in"), queryset=AdminUnit.objects.none())
    amount = forms.IntegerField(label=_("Time allowed"), min_value=1, max_value=365)
    unit = forms.ChoiceField(label=_("Unit"), choices=DueUnit.choices)
    start_event = forms.ChoiceField(label=_("Clock starts at"), choices=StartEvent.choices)

    def __init__(self, *args: Any, units: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._field("scope_unit").queryset = units


ACTION_FORMS: dict[str, type[forms.Form]] = {
    "verify": VerifyForm,
    "emergency": EmergencyForm,
    "assess": NoteForm,
    "plan": NoteForm,
    "approve_plan": ApproveForm,
    "start_intervention": NoteForm,
    "start_monitoring": NoteForm,
    "close": CloseForm,
    "not_confirm": RequiredNoteForm,
    "reopen": RequiredNoteForm,
    "assign": AssignForm,
}
