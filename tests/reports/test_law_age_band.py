"""The annex table "Theo độ tuổi luật định" (the Labour Code's age bands: under 13, 13-14, 15-17)
carries the child-labour denominator and rate, from the population figures by the same
precedence rule as every other figure (clms.indicators.denominators.territory_figure)."""

from __future__ import annotations

import io
import re

from django.urls import reverse
from docx import Document
from openpyxl import load_workbook

from clms.places.models import Denominator
from clms.reports import services
from clms.reports.models import Submission
from tests.base import PersonaTestCase
from tests.reports.factories import seed_commune_year
from tests.reports.files import period_file
from tests.reports.test_documents import pdf_text

YEAR = 2026
SHEET = "Theo độ tuổi luật định"
# Commune A's own figures for the year; its predecessors' figures (abolished communes) must not
# be added to them in 2026 (never both sides of a succession).
FIGURES = {"children_5_12": 1700, "children_13_14": 500, "children_15_17": 657}
# (band label, numerator, denominator, rate as the files write it)
EXPECTED = [("Dưới 13 tuổi", None, 1700, None), ("13 - 14 tuổi", 2, 500, 0.004), ("15 - 17 tuổi", None, 657, None)]


class LawAgeBandTestCase(PersonaTestCase):
    submission: Submission

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        # Two children of 14 in child labour; 2,857 children in all.
        seed_commune_year(user=cls.officer_a, commune=cls.commune_a, year=YEAR, children=2)
        for group, value in FIGURES.items():
            Denominator.objects.create(unit=cls.commune_a, year=YEAR, group=group, value=value)
            Denominator.objects.create(unit=cls.a1, year=YEAR, group=group, value=999)
        sub = services.submission_start(user=cls.officer_a, unit=cls.commune_a, year=YEAR)
        sub = services.submission_update(user=cls.officer_a, submission=sub, version=sub.version, signer_name="Lê Văn Ký")
        sub = services.submission_submit(user=cls.officer_a, submission=sub, version=sub.version)
        cls.submission = services.submission_accept(user=cls.supervisor, submission=sub, version=sub.version)

    def _file(self, fmt: str) -> bytes:
        self.client.force_login(self.officer_a)
        response = self.client.get(reverse("reports:submission_document", args=[self.submission.pk, fmt]))
        self.assertEqual(response.status_code, 200)
        return response.content

    def test_it_fills_the_snapshot_from_the_population_figures(self) -> None:
        assert self.submission.snapshot is not None  # noqa: S101 - accepted above
        bands = self.submission.snapshot.data["groups"]["law_age_band"]["CL_RATE"]
        self.assertEqual({k: (v["numerator"], v["denominator"]) for k, v in bands.items()}, {"<13": (0, 1700), "13-14": (2, 500), "15-17": (0, 657)})
        self.assertEqual(bands["13-14"]["value"], 0.4)

    def _check_xlsx(self, body: bytes) -> None:
        ws = load_workbook(io.BytesIO(body))[SHEET]
        rows = {row[1]: row for row in ws.iter_rows(values_only=True) if row[1] in {e[0] for e in EXPECTED}}
        for label, numerator, denominator, rate in EXPECTED:
            # STT, band, then the child-labour rate's numerator, denominator and rate.
            self.assertEqual(rows[label][2:5], (numerator or 0, denominator, rate or 0.0), label)

    def test_it_writes_the_denominator_and_rate_in_the_xlsx(self) -> None:
        self._check_xlsx(self._file("xlsx"))
        self.client.force_login(self.supervisor)
        self._check_xlsx(period_file(self.client, self.submission.period_id, "xlsx").content)

    def test_it_writes_them_in_the_docx(self) -> None:
        doc = Document(io.BytesIO(self._file("docx")))
        table = next(t for t in doc.tables if any(SHEET in c.text for row in t.rows[:2] for c in row.cells) or
                     any(row.cells[1].text == "13 - 14 tuổi" for row in t.rows if len(row.cells) > 4))
        rows = {row.cells[1].text: [c.text for c in row.cells] for row in table.rows if len(row.cells) > 4}
        self.assertEqual(rows["13 - 14 tuổi"][2:5], ["2", "500", "0,4%"])
        self.assertEqual(rows["Dưới 13 tuổi"][3], "1.700")
        self.assertEqual(rows["15 - 17 tuổi"][3], "657")

    def test_it_writes_them_in_the_pdf(self) -> None:
        text = pdf_text(self._file("pdf"))
        after = text[text.index(SHEET):]
        self.assertRegex(re.sub(r"\s+", " ", after), r"13 - 14 tuổi 2 500 0,4%")
        self.assertRegex(re.sub(r"\s+", " ", after), r"Dưới 13 tuổi 0 1.700 0%")
