from django import forms
from django.utils.translation import gettext_lazy as _

from clms.core.forms import Form
from clms.people.forms import date_field


class WithdrawForm(Form):
    withdrawn_on = date_field(_("Withdrawn on"))
    confirm = forms.BooleanField(label=_("The person who gave the consent asked to withdraw it"), required=True)
