"""Forms of the user management pages; the services check roles, levels and area again."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from clms.accounts.models import ROLE_LEVELS, Agency, Role
from clms.core.forms import Form, set_choices, set_queryset
from clms.places.models import AdminUnit, Level


class UnitField(forms.ModelChoiceField[AdminUnit]):
    def label_from_instance(self, obj: AdminUnit) -> str:
        level = Level(obj.level).label
        parent = f" – {obj.parent.name}" if obj.level == Level.VILLAGE and obj.parent else ""
        return f"{obj.name}{parent} ({level})"


class UserForm(Form):
    username = forms.CharField(label=_("Username"), max_length=150)
    full_name = forms.CharField(label=_("Full name"), max_length=150)
    area = UnitField(label=_("Unit"), queryset=AdminUnit.objects.none(), required=False)
    role = forms.ChoiceField(label=_("Role"), choices=[])
    agency = forms.ChoiceField(label=_("Agency (agency officers)"), required=False, choices=[("", "—"), *Agency.choices])
    email = forms.EmailField(label=_("E-mail"), required=False)
    phone = forms.CharField(label=_("Phone"), max_length=20, required=False)
    # The version the editor loaded (edit only); a stale one is refused by the service.
    version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=0, max_value=2_147_483_647)

    def __init__(self, *args: Any, roles: list[str], units: Any, editing: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_queryset(self, "area", units)
        set_choices(self, "role", [(r, Role(r).label) for r in roles])
        levels = {r: ", ".join(str(Level(lv).label) for lv in ROLE_LEVELS[r]) for r in roles}
        self.fields["role"].help_text = "; ".join(f"{Role(r).label}: {levels[r]}" for r in roles)
        if not editing:
            del self.fields["version"]
        if editing:
            self.fields["username"].disabled = True
