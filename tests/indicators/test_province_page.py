"""The province page a person can read (issue 18): the summary first, the communes with
figures a page at a time, the chart of the communes shown, and a page whose weight does not
grow with the communes that have no data."""

from __future__ import annotations

from typing import Any
from unittest import mock

from django.db import connection
from django.test.utils import CaptureQueriesContext

from clms.indicators.compute import indicator_table
from clms.indicators.overview import overview
from clms.places.models import REFORM_DATE, Denominator, Level, Scheme
from tests.base import PersonaTestCase
from tests.factories import AdminUnitFactory

YEAR = 2025
URL = f"/indicators/?year={YEAR}"


def communes(t: Any, n: int, *, with_data: bool, start: int) -> list[Any]:
    """``n`` new communes of the province; ``with_data``: each with a population figure, so its
    child-labour rate has a value (0 %) and the commune has figures without a local target."""
    made = [
        AdminUnitFactory.create(
            scheme=Scheme.POST_2025, level=Level.COMMUNE, parent=t.province, valid_from=REFORM_DATE,
            name=f"Xã Thử {start + i:03d}",
        )
        for i in range(n)
    ]
    if with_data:
        Denominator.objects.bulk_create(
            Denominator(unit=u, year=YEAR, group="children_5_17", value=500 + i) for i, u in enumerate(made)
        )
    return made


class ProvincePageTestCase(PersonaTestCase):
    filled: list[Any]
    empty: list[Any]

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        # 25 communes with figures (more than a page), 5 without, and the personas' A and B
        # (no figure for 2025 either).
        cls.filled = communes(cls, 25, with_data=True, start=0)
        cls.empty = communes(cls, 5, with_data=False, start=100)

    def get(self, query: str = "", **headers: str) -> str:
        self.client.force_login(self.supervisor)
        response = self.client.get(URL + query, headers=headers or None)
        self.assertEqual(response.status_code, 200)
        return response.content.decode()

    def test_it_counts_the_communes_by_status_in_the_summary(self) -> None:
        table = indicator_table(self.province, YEAR)
        found = overview(table)
        self.assertEqual(found.counts["no_target"], 25)
        self.assertEqual(found.counts["no_data"], 7)
        self.assertEqual(found.with_data, 25)
        body = self.get()
        summary = body[body.index('id="indicator-summary"'):body.index('id="indicator-table"')]
        self.assertIn("Tỉnh Thanh Hóa so với chỉ tiêu", summary)
        self.assertIn("Số xã theo tình trạng của chỉ tiêu", summary)
        # The province's own child-labour rate: 0 of the 25 communes' 12,800 children.
        self.assertIn("0 / 12.800", summary)
        listing = body[body.index('id="row-filter"'):]
        self.assertIn("Chưa có chỉ tiêu để so sánh: 25", listing)
        self.assertIn("Chưa có số liệu: 7", listing)

    def test_it_hides_the_communes_without_data_until_asked(self) -> None:
        body = self.get()
        table = body[body.index('id="indicator-table"'):]
        self.assertIn("Xã Thử 000", table)
        self.assertNotIn("Xã Thử 100", table)
        self.assertNotIn("Xã Tân Ninh", table)
        self.assertIn("Hiện 7 đơn vị chưa có số liệu", table)
        shown = self.get("&empty=show&sort=name&order=desc")
        table = shown[shown.index('id="indicator-table"'):]
        self.assertIn("Xã Thử 104", table)
        self.assertIn("Xã Triệu Sơn", table)
        self.assertIn("Ẩn các đơn vị chưa có số liệu", table)

    def test_it_filters_by_status_and_pages_the_list(self) -> None:
        body = self.get("&status=no_data", **{"HX-Request": "true", "HX-Target": "indicator-table"})
        self.assertNotIn("<html", body)
        self.assertIn("Xã Thử 100", body)
        self.assertNotIn("Xã Thử 000", body)
        first = self.get()
        table = first[first.index('id="indicator-table"'):]
        self.assertIn("Xã Thử 019", table)
        self.assertNotIn("Xã Thử 020", table)
        self.assertIn("Đơn vị 1–20 trong số 25", table)
        second = self.get("&page=2")
        table = second[second.index('id="indicator-table"'):]
        self.assertIn("Xã Thử 024", table)
        self.assertNotIn("Xã Thử 019", table)
        # Sorted across pages: the last page of the names in reverse holds the first names.
        last = self.get("&sort=name&order=desc&page=2")
        table = last[last.index('id="indicator-table"'):]
        self.assertIn("Xã Thử 000", table)
        self.assertNotIn("Xã Thử 024", table)

    def test_it_draws_the_chart_of_the_communes_shown_only(self) -> None:
        with mock.patch("clms.indicators.charts.render_svg", return_value="<svg></svg>") as render:
            body = self.get("&page=2&part=chart")
        self.assertEqual(body, '<div id="indicator-chart"><svg></svg></div>\n')
        spec = render.call_args.args[0]
        self.assertEqual(spec.categories, [f"Xã Thử {i:03d}" for i in range(20, 25)])

    def test_it_keeps_the_total_and_drill_links_in_the_summary(self) -> None:
        body = self.get("&targets=national")
        summary = body[body.index('id="indicator-summary"'):body.index('id="indicator-table"')]
        self.assertIn("≤ 4,9%", summary)
        self.assertIn("/indicators/trend/CL_RATE/", summary)


class PageWeightTestCase(PersonaTestCase):
    """The page of a province weighs about the same with 10 or 60 communes when the extra
    ones have no data or fall on later pages: only the unit choice grows (one option, about
    70 bytes, per commune), and the queries stay the same."""

    def measure(self) -> tuple[int, int]:
        self.client.force_login(self.supervisor)
        self.client.get(URL)
        with CaptureQueriesContext(connection) as queries:
            response = self.client.get(URL)
        return len(response.content), len(queries)

    def test_it_stays_bounded_as_communes_grow(self) -> None:
        communes(self, 10, with_data=True, start=0)
        size_10, queries_10 = self.measure()
        communes(self, 50, with_data=False, start=100)
        size_60_empty, queries_60 = self.measure()
        self.assertEqual(queries_60, queries_10)
        # A listed row weighs about 3.5 KB; 50 hidden rows add the 50 options only.
        self.assertLess(size_60_empty - size_10, 50 * 120, (size_10, size_60_empty))
        communes(self, 50, with_data=True, start=200)
        size_paged, queries_paged = self.measure()
        self.assertEqual(queries_paged, queries_10)
        # 10 more rows fill the first page; the other 40 fall on later pages.
        self.assertLess(size_paged - size_60_empty, 10 * 4500 + 50 * 120, (size_60_empty, size_paged))
        self.assertLess(size_paged, 200 * 1024)
        communes(self, 100, with_data=True, start=300)
        size_more, _ = self.measure()
        self.assertLess(size_more - size_paged, 100 * 120, (size_paged, size_more))
