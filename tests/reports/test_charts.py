"""Charts only where they carry information: one per indicator across the units of a district or
province report (each on one printed page), none for an indicator every unit has the same figure
for, none for a single commune."""

from __future__ import annotations

import io
from typing import Any

from django.core.cache import cache
from django.test import SimpleTestCase, override_settings
from PIL import Image

from clms.reports.documents.charts import CHART_DPI, MAX_HEIGHT_INCHES, _chosen_codes, report_charts


def value(code: str, unit: int, v: float | None) -> dict[str, Any]:
    return {"code": code, "unit_id": unit, "year": 2026, "group": None, "numerator": None if v is None else int(v * 10),
            "denominator": None if v is None else 1000, "value": v, "target": None, "status": "no_data", "flags": []}


def aggregate(units: int) -> dict[str, Any]:
    rows = [{"id": n, "name": f"Xã Thử {n:03d}", "code": f"{n:05d}"} for n in range(1, units + 1)]
    cells = {
        str(n): {
            "CL_RATE": value("CL_RATE", n, 0.1 * (n % 7)),  # varies: a chart
            "COMM_PARENTS": value("COMM_PARENTS", n, 70.0),  # the same everywhere: none
            "TIMELY": value("TIMELY", n, 50.0 if n == 1 else None),  # one unit only: none
            "MONITORED": value("MONITORED", n, float(n % 3) * 10),  # varies: a chart
        }
        for n in range(1, units + 1)
    }
    codes = ["CL_RATE", "COMM_PARENTS", "TIMELY", "MONITORED"]
    return {
        "year": 2026, "codes": codes, "rows": rows, "cells": cells,
        "totals": {c: value(c, 0, 1.0) for c in codes},
        "indicators": {c: {"label": c, "higher_is_better": c != "CL_RATE"} for c in codes},
    }


@override_settings(CACHES={"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}})
class ChartsTestCase(SimpleTestCase):
    def setUp(self) -> None:
        cache.clear()

    def test_it_draws_one_chart_per_indicator_that_differs_across_units(self) -> None:
        self.assertEqual(_chosen_codes(aggregate(8)), ["CL_RATE", "MONITORED"])
        charts = report_charts(aggregate(8))
        self.assertEqual(len(charts), 2)

    def test_it_keeps_a_province_chart_on_one_page(self) -> None:
        chart = report_charts(aggregate(166))[0]
        width, height = Image.open(io.BytesIO(chart.png)).size
        self.assertLessEqual(height, MAX_HEIGHT_INCHES * CHART_DPI + 1)
        # 15 cm wide in the DOCX and PDF: at most about 20 cm high, under the text height of A4.
        self.assertLessEqual(15 * height / width, 20)

    def test_it_draws_nothing_for_a_single_unit(self) -> None:
        self.assertEqual(_chosen_codes(aggregate(1)), [])
