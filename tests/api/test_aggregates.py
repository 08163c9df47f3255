"""The exchange layout: the same figures as the dashboard, per commune, CSV/JSON/DHIS2."""

from __future__ import annotations

import csv
import io
import json

from django.core.management import call_command

from clms.api.aggregates import COLUMNS
from clms.indicators.compute import indicator_table
from tests.api.helpers import ApiClient
from tests.base import PersonaTestCase
from tests.reports.factories import seed_commune_year


class AggregateTests(PersonaTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.province.code = "38"
        cls.province.save()
        cls.commune_a.code = "16000"
        cls.commune_a.save()
        seed_commune_year(user=cls.officer_a, commune=cls.commune_a, year=2025, children=2, denominator=400)

    def _cl(self, rows: list[dict[str, str]], unit: str) -> dict[str, str]:
        return next(r for r in rows if r["unit_code"] == unit and r["indicator"] == "CL_RATE")

    def test_the_csv_command_writes_the_documented_columns_and_the_dashboards_figures(self) -> None:
        out = io.StringIO()
        call_command("export_aggregates", "--year", "2025", "--unit", "38", "--format", "csv", stdout=out)
        reader = csv.DictReader(io.StringIO(out.getvalue()))
        self.assertEqual(tuple(reader.fieldnames or ()), COLUMNS)
        rows = list(reader)
        row = self._cl(rows, "16000")
        self.assertEqual((row["numerator"], row["denominator"], row["value"]), ("2", "400", "0.5"))
        self.assertEqual((row["unit_list"], row["unit_level"], row["parent_code"]), ("post2025", "commune", "38"))
        dashboard = indicator_table(self.province, 2025, structure="after-2025").cell(self.commune_a.pk, "CL_RATE")
        self.assertEqual((int(row["numerator"]), int(row["denominator"])), (dashboard.numerator, dashboard.denominator))
        # Every commune of the scope appears, with every indicator.
        communes = {r["unit_name"] for r in rows if r["unit_level"] == "commune"}
        self.assertEqual(communes, {"Xã Tân Ninh", "Xã Triệu Sơn"})
        self.assertEqual(len([r for r in rows if r["unit_code"] == "16000"]), len([r for r in rows if r["unit_code"] == "38"]))

    def test_the_json_and_dhis2_formats_carry_the_same_value(self) -> None:
        out = io.StringIO()
        call_command("export_aggregates", "--year", "2025", "--unit", "38", "--format", "json", stdout=out)
        body = json.loads(out.getvalue())
        self.assertEqual(body["layout_version"], 1)
        self.assertEqual(self._cl(body["rows"], "16000")["value"], 0.5)
        out = io.StringIO()
        call_command("export_aggregates", "--year", "2025", "--unit", "38", "--format", "dhis2", stdout=out)
        values = json.loads(out.getvalue())["dataValues"]
        cl = next(v for v in values if v["orgUnit"] == "16000" and v["dataElement"] == "CL_RATE")
        self.assertEqual((cl["period"], cl["value"], cl["comment"]), ("2025", "0.50", "2/400"))
        # A value that does not exist (no denominator) is not sent as 0.
        self.assertFalse(any(v["dataElement"] == "CL_RATE" and v["orgUnit"] == "" for v in values))

    def test_the_api_serves_the_same_rows_to_the_province_viewer_without_any_child(self) -> None:
        api = ApiClient(self.viewer)
        body = api.get("/aggregates", unit=self.province.pk, year=2025).json()
        self.assertEqual(self._cl(body["rows"], "16000")["numerator"], 2)
        text = json.dumps(body, ensure_ascii=False)
        for name in ("Nguyễn", "Lê Thị", "Trần"):
            self.assertNotIn(name, text)
        csv_body = api.get("/aggregates.csv", unit=self.province.pk, year=2025)
        self.assertEqual(csv_body["Content-Type"], "text/csv; charset=utf-8")
        self.assertTrue(csv_body.content.decode().startswith(",".join(COLUMNS)))
        dhis2 = api.get("/aggregates/dhis2", unit=self.province.pk, year=2025).json()
        self.assertIn({"dataElement": "CL_RATE", "orgUnit": "16000", "period": "2025", "value": "0.50", "comment": "2/400"},
                      dhis2["dataValues"])

    def test_the_indicators_endpoint_matches_the_dashboard_table(self) -> None:
        api = ApiClient(self.supervisor)
        body = api.get("/indicators", unit=self.province.pk, year=2025, by="sex").json()
        table = indicator_table(self.province, 2025, by="sex")
        self.assertEqual(body["total"]["CL_RATE"]["numerator"], table.total("CL_RATE").numerator)
        self.assertEqual(body["by"], "sex")
        self.assertIn("F", body["total_groups"]["CL_RATE"])
