"""Every form class of the site derives from clms.core.forms, so its bounds and text cleaning apply."""

from __future__ import annotations

import importlib
import pkgutil

from django import forms
from django.contrib.auth import forms as auth_forms
from django.test import SimpleTestCase, TestCase

import clms
from clms.core.forms import CleanInputMixin, DateKind, Form, date_field


def _subclasses(cls: type) -> set[type]:
    out = set()
    for sub in cls.__subclasses__():
        out.add(sub)
        out |= _subclasses(sub)
    return out


class FormBaseTestCase(SimpleTestCase):
    def test_every_form_class_of_clms_cleans_its_input(self) -> None:
        for info in pkgutil.walk_packages(clms.__path__, "clms."):
            if ".migrations" not in info.name and not info.name.endswith("demo"):
                importlib.import_module(info.name)
        ours = [c for c in _subclasses(forms.BaseForm) if c.__module__.startswith("clms.")]
        self.assertGreater(len(ours), 40)
        # The login form is Django's authentication form (its fields refuse NUL themselves);
        # the Django admin's forms are for system administrators only.
        missing = [f"{c.__module__}.{c.__name__}" for c in ours
                   if not issubclass(c, CleanInputMixin) and not issubclass(c, auth_forms.AuthenticationForm)
                   and not c.__module__.endswith(".admin")]
        self.assertEqual(missing, [], "derive these from clms.core.forms.Form or ModelForm")

    def test_integers_are_bounded_by_the_column_and_text_is_cleaned(self) -> None:
        class Sample(Form):
            count = forms.IntegerField(required=False)
            full_name = forms.CharField(required=False)
            note = forms.CharField(required=False, widget=forms.Textarea)
            dob = date_field("Ngày sinh", required=False, kind=DateKind.BIRTH)

        form = Sample({"count": "2147483648", "full_name": "An\x07 Bình", "note": "a\x1b\nb", "dob": "31/12/9999"})
        self.assertFalse(form.is_valid())
        self.assertEqual(set(form.errors), {"count", "dob"})
        self.assertEqual((form.cleaned_data["full_name"], form.cleaned_data["note"]), ("An Bình", "a\nb"))
        form = Sample({"count": "-2147483648", "full_name": "An\u200bBình"})
        self.assertEqual(set(form.errors), {"full_name"})
        form = Sample({"count": "1e308"})
        self.assertEqual(set(form.errors), {"count"})

class ModelChoiceTestCase(TestCase):
    def test_a_25_digit_id_in_a_model_choice_is_an_invalid_choice(self) -> None:
        from clms.places.models import AdminUnit

        class Pick(Form):
            one = forms.ModelChoiceField(queryset=AdminUnit.objects.all(), required=False)
            many = forms.ModelMultipleChoiceField(queryset=AdminUnit.objects.all(), required=False)

        form = Pick({"one": "1" * 25, "many": ["1" * 25]})
        self.assertEqual(set(form.errors), {"one", "many"})
