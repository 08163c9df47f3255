"""The situation form of the law-check page: every input of clms.rules.Situation."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from clms.core import forms as core_forms
from clms.core.forms import DateKind, set_choices
from clms.rules import Situation, catalogue

DATE_FORMATS = ["%d/%m/%Y", "%Y-%m-%d"]
TRI_STATE = [("", _("Not known")), ("yes", _("Yes")), ("no", _("No"))]


def _tri(label: Any) -> forms.ChoiceField:
    return forms.ChoiceField(label=label, choices=TRI_STATE, required=False, widget=forms.RadioSelect)


def _date_field(label: Any, required: bool = False, kind: DateKind = DateKind.EVENT) -> forms.DateField:
    return core_forms.date_field(
        label,
        required=required,
        kind=kind,
        input_formats=DATE_FORMATS,
        widget=forms.DateInput(format="%d/%m/%Y", attrs={"placeholder": "dd/mm/yyyy", "inputmode": "numeric"}),
    )


def _choices(entries: Any) -> list[tuple[str, str]]:
    """The Vietnamese name and the article of law, never the internal code ("EMPLOYED", "HEAVY_LOADS")."""
    return [(e.code, entry_label(e)) for e in entries]


def entry_label(entry: Any) -> str:
    if not entry.source or entry.source == INTERNAL_SOURCE:
        return str(entry.name)
    return f"{entry.name} ({entry.source})"


# What the catalogues write as the source of a code CLMS made up (no article of law behind it).
INTERNAL_SOURCE = "Mã của CLMS"


class SituationForm(core_forms.Form):
    as_of = _date_field(_("Date of the observation"), required=True, kind=DateKind.PLANNED)
    dob = _date_field(_("Date of birth"), kind=DateKind.BIRTH)
    age = forms.IntegerField(
        label=_("or age in completed years"), required=False, min_value=0, max_value=30,
        help_text=_("Used when the date of birth is not given: the child is taken to have had this birthday one day before."),
    )
    sex = forms.ChoiceField(label=_("Sex"), required=False, choices=[("", _("Not known")), ("M", _("Male")), ("F", _("Female"))])
    activity = forms.ChoiceField(label=pgettext_lazy("kind of work", "Activity"), choices=[])
    # Wide enough for "CODE — name" as the type-ahead fills it; clean_job_code keeps the code.
    job_code = forms.CharField(label=_("Job (code from the lists)"), required=False, max_length=400)
    workplace_code = forms.ChoiceField(label=_("Workplace"), required=False, choices=[])
    hours_day_max = forms.DecimalField(label=_("Most hours worked in one day"), required=False, min_value=0, max_value=24, decimal_places=1)
    hours_week = forms.DecimalField(label=_("Hours worked in the week"), required=False, min_value=0, max_value=168, decimal_places=1)
    chores_hours_week = forms.DecimalField(label=_("Household chores, hours in the week"), required=False, min_value=0, max_value=168, decimal_places=1)
    night_work = _tri(_("Works at night (22:00-06:00)"))
    overtime = _tri(_("Works overtime"))
    load_kg = forms.DecimalField(label=_("Load carried (kg)"), required=False, min_value=0, max_value=500, decimal_places=1)
    load_regular = _tri(_("Carries loads regularly"))
    hazards = forms.MultipleChoiceField(label=_("Hazardous conditions"), required=False, choices=[], widget=forms.CheckboxSelectMultiple)
    worst_forms = forms.MultipleChoiceField(label=_("Worst forms"), required=False, choices=[], widget=forms.CheckboxSelectMultiple)
    contract_written_child_and_rep = _tri(_("Written contract with the child and the representative"))
    parent_consent = _tri(_("Parent or guardian consented"))
    health_cert = _tri(_("Health certificate"))
    last_health_check = _date_field(_("Last periodic health check"))
    affects_study_time = _tri(_("Work affects study time"))
    osh_age_appropriate = _tri(_("Safe conditions suited to the age"))
    separate_register = _tri(_("Employer keeps a register of minor workers"))
    provincial_consent = _tri(_("Provincial consent (under 13)"))
    harms_study_health_safety = _tri(_("Family work harms study, health or safety"))
    strict_under15 = forms.BooleanField(
        label=_("Count missing under-15 conditions as child labour (recommended reading)"), required=False, initial=True
    )
    family_outside = forms.BooleanField(
        label=_("Family chores and farming are outside the employer rules unless harmful"), required=False, initial=True
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_choices(self, "activity", _choices(catalogue.activities()))
        set_choices(self, "workplace_code", [("", _("Not known / ordinary workplace"))] + _choices(catalogue.workplaces()))
        set_choices(self, "hazards", _choices(catalogue.hazards()))
        set_choices(self, "worst_forms", _choices(catalogue.worst_forms()))
        if not self.is_bound:
            self.initial.setdefault("as_of", timezone.localdate())

    def clean_job_code(self) -> str:
        code = self.cleaned_data.get("job_code", "").strip()
        if code:
            # The picker puts "CODE — name"; people also type just the code.
            code = code.split(" ")[0]
            try:
                catalogue.get(code)
            except KeyError:
                raise forms.ValidationError(_("Unknown job code. Pick a job from the list.")) from None
            # OTHER ("a job on none of the lists") is a recorded answer, unlike an empty field:
            # the closed lists then say the job is on none of them (clms.rules.vn_law).
            if catalogue.get(code).kind not in ("job", "other"):
                raise forms.ValidationError(_("This code is not a job."))
        return code

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        as_of: dt.date | None = data.get("as_of")
        dob: dt.date | None = data.get("dob")
        age = data.get("age")
        if as_of and dob is None:
            if age is None:
                self.add_error("dob", _("Give the date of birth or the age."))
            else:
                try:
                    birthday = as_of.replace(year=as_of.year - age)
                except ValueError:  # 29 February in a common year
                    birthday = as_of.replace(year=as_of.year - age, day=28)
                data["dob"] = birthday - dt.timedelta(days=1)
        if as_of and data.get("dob") and data["dob"] > as_of:
            self.add_error("dob", _("The date of birth is after the date of the observation."))
        return data

    def situation(self) -> Situation:
        d = self.cleaned_data

        def tri(name: str) -> bool | None:
            return {"yes": True, "no": False}.get(d.get(name) or "")

        def num(name: str) -> float | None:
            value = d.get(name)
            return None if value is None else float(value)

        return Situation(
            dob=d["dob"],
            as_of=d["as_of"],
            activity=d["activity"],
            worst_forms=frozenset(d.get("worst_forms") or ()),
            job_code=d.get("job_code") or None,
            workplace_code=d.get("workplace_code") or None,
            hours_day_max=num("hours_day_max"),
            hours_week=num("hours_week"),
            night_work=tri("night_work"),
            overtime=tri("overtime"),
            sex=d.get("sex") or None,
            load_kg=num("load_kg"),
            load_regular=tri("load_regular"),
            contract_written_child_and_rep=tri("contract_written_child_and_rep"),
            parent_consent=tri("parent_consent"),
            health_cert=tri("health_cert"),
            last_health_check=d.get("last_health_check"),
            affects_study_time=tri("affects_study_time"),
            osh_age_appropriate=tri("osh_age_appropriate"),
            separate_register=tri("separate_register"),
            provincial_consent=tri("provincial_consent"),
            harms_study_health_safety=tri("harms_study_health_safety"),
            chores_hours_week=num("chores_hours_week"),
            hazards=frozenset(d.get("hazards") or ()),
        )
