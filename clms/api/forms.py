from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from clms.api.tokens import MAX_DAYS
from clms.core import forms as core_forms


class TokenForm(core_forms.Form):
    name = forms.CharField(label=_("Name"), max_length=80, help_text=_("The system that will use it, e.g. “Phần mềm trường THCS Dân Lực”."))
    days = forms.IntegerField(label=_("Valid for (days)"), min_value=1, max_value=MAX_DAYS, initial=90)
