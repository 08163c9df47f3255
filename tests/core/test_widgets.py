"""The select built in Python gives the HTML of Django's own, for every kind of choice."""

from __future__ import annotations

from django import forms
from django.test import SimpleTestCase

from clms.core.widgets import PlainSelect

CHOICES = [
    ("", "All villages"),
    (12, "Thôn Đông – Xã Tân Ninh"),
    (13, 'Bản <Mường> & "Nà"'),
    ("Nhóm", [(14, "Thôn Một"), (15, "Thôn Hai")]),
]


class PlainSelectTestCase(SimpleTestCase):
    def test_it_renders_what_djangos_select_renders(self) -> None:
        for value in (None, "", 12, "13", 15):
            for attrs in (None, {"id": "id_village", "required": True, "disabled": False, "data-x": "a\"b"}):
                with self.subTest(value=value, attrs=attrs):
                    expected = forms.Select(choices=CHOICES).render("village", value, attrs)
                    actual = PlainSelect(choices=CHOICES).render("village", value, attrs)
                    self.assertHTMLEqual(actual, expected)
                    self.assertEqual(actual.count("selected"), expected.count("selected"))

    def test_it_escapes_names_of_units(self) -> None:
        html = PlainSelect(choices=CHOICES).render("village", 13)
        self.assertIn("Bản &lt;Mường&gt; &amp; &quot;Nà&quot;", html)
        self.assertNotIn("<Mường>", html)

    def test_a_bound_form_marks_the_chosen_village(self) -> None:
        class Filter(forms.Form):
            village = forms.TypedChoiceField(required=False, coerce=int, choices=CHOICES, widget=PlainSelect)

        html = str(Filter({"village": "14"})["village"])
        self.assertInHTML('<option value="14" selected>Thôn Một</option>', html)
        self.assertInHTML('<option value="15">Thôn Hai</option>', html)
