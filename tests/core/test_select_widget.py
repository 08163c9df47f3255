"""The select's options written in Python give Django's own markup (clms/core/templatetags/form_widgets.py)."""

from __future__ import annotations

from django import forms
from django.forms.renderers import DjangoTemplates
from django.test import SimpleTestCase

CHOICES = [
    ("", "---------"),
    ("Xã", [("1", "Xã Tân Ninh"), ("2", 'Xã <b>"Thọ"</b> & Bình')]),
    ("3", "Thôn 3"),
    ('4"><script>', "Giá trị lạ"),
]


class PlaceForm(forms.Form):
    unit = forms.ChoiceField(choices=CHOICES, required=False)
    many = forms.MultipleChoiceField(choices=CHOICES, required=False)
    extra = forms.ChoiceField(choices=CHOICES, widget=forms.Select(attrs={"data-x": 'a"b', "disabled": True}))


class SelectWidgetTestCase(SimpleTestCase):
    def test_the_markup_is_djangos(self) -> None:
        for data in (None, {"unit": "2", "many": ["1", "3"], "extra": '4"><script>'}):
            ours = PlaceForm(data)
            django_own = PlaceForm(data, renderer=DjangoTemplates())
            for name in ("unit", "many", "extra"):
                self.assertHTMLEqual(str(ours[name]), str(django_own[name]))
                self.assertEqual(str(ours[name]).count("<option"), 5)

    def test_labels_and_values_are_escaped(self) -> None:
        html = str(PlaceForm({"unit": "2"})["unit"])
        self.assertIn("Xã &lt;b&gt;&quot;Thọ&quot;&lt;/b&gt; &amp; Bình", html)
        self.assertIn('value="4&quot;&gt;&lt;script&gt;"', html)
        self.assertIn('<option value="2" selected>', html)
        self.assertNotIn("<script>", html)
