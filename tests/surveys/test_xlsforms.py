"""The XLSForms: built from the catalogues and the commune's villages, valid for ODK (pyxform),
with Vietnamese labels, constraints and instanceID; downloadable per commune."""

from __future__ import annotations

import io
import tempfile
from pathlib import Path
from unittest import mock

from django.urls import reverse
from openpyxl import load_workbook
from pyxform.xls2xform import convert

from clms.rules import catalogue
from clms.surveys.xlsforms import KINDS, build_xlsform, form_id
from tests.base import PersonaTestCase


def xform(raw: bytes) -> str:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "form.xlsx"
        path.write_bytes(raw)
        return str(convert(xlsform=str(path), validate=False).xform)


class XLSFormTestCase(PersonaTestCase):
    def test_it_builds_valid_xlsforms_for_every_kind(self) -> None:
        for kind in KINDS:
            with self.subTest(kind=kind):
                xml = xform(build_xlsform(kind, self.commune_a))
                self.assertIn("instanceID", xml)
                self.assertIn(form_id(kind, self.commune_a), xml)
                self.assertIn("Tiếng Việt (vi)", xml)

    def test_it_takes_choices_from_the_catalogues_and_the_villages(self) -> None:
        book = load_workbook(io.BytesIO(build_xlsform("survey", self.commune_a)))
        choices = [tuple(r) for r in book["choices"].iter_rows(min_row=2, values_only=True)]
        self.assertIn(("village", f"V{self.village_a.pk}", "Thôn 1"), choices)
        self.assertNotIn("Thôn 2", [c[2] for c in choices])  # the other commune's village
        self.assertEqual(len([c for c in choices if c[0] == "job"]), len(catalogue.jobs()))
        rows = list(book["survey"].iter_rows(min_row=2, values_only=True))
        survey = {r[1]: r for r in rows}
        self.assertIn("<= 24", survey["hours_per_day"][5])
        self.assertIn(("begin repeat", "member"), [(r[0], r[1]) for r in rows])

    def test_it_changes_with_the_catalogue(self) -> None:
        new = catalogue.Entry(code="NEW.1", kind="job", name="Công việc mới theo thông tư mới", source="Thông tư mới",
                              lists=frozenset(), catalogue="x")
        with mock.patch.object(catalogue, "jobs", return_value=(*catalogue.jobs(), new)):
            xml = xform(build_xlsform("observation", self.commune_a))
        self.assertIn("NEW.1", xml)

    def test_it_offers_the_forms_per_commune_to_officers_only(self) -> None:
        self.client.force_login(self.officer_a)
        page = self.client.get(reverse("surveys:forms")).content.decode()
        self.assertIn(form_id("report", self.commune_a), page)
        response = self.client.get(reverse("surveys:form_download", args=["report"]) + f"?commune={self.commune_a.pk}")
        self.assertEqual(response.status_code, 200)
        xml = xform(response.content)
        self.assertIn("what_seen", xml)
        other = reverse("surveys:form_download", args=["report"]) + f"?commune={self.commune_b.pk}"
        self.assertEqual(self.client.get(other).status_code, 404)
        self.client.force_login(self.collaborator)
        self.assertEqual(self.client.get(reverse("surveys:forms")).status_code, 403)
