"""The issue's flow in a phone-sized browser: a supervisor sees every commune against the
Triệu Sơn targets and the national ones, and drills down from an off-track cell to the
children behind it."""

from __future__ import annotations

import datetime as dt
import re

from django.apps import apps
from django.utils import timezone

from clms.accounts.models import AuditEvent
from clms.places.models import Level
from clms.plans.models import Plan
from clms.plans.shipped import load_shipped
from clms.reports.models import SubmissionStatus
from tests.browser import BrowserTestCase
from tests.home.test_attention import overdue_case
from tests.indicators import fixture
from tests.indicators.test_province_page import communes
from tests.reports.factories import PeriodFactory, SubmissionFactory


class DashboardBrowserTestCase(fixture.FixtureNames, BrowserTestCase):
    def setUp(self) -> None:
        super().setUp()
        # A live-server test empties the database between tests; put the shipped plans back.
        if not Plan.objects.filter(key="kh-trieu-son-2021").exists():
            load_shipped(apps)
        fixture.build(self)

    def test_it_shows_the_communes_against_both_targets_and_drills_down(self) -> None:
        page = self.page
        self.login("supervisor")
        page.goto(f"{self.live_server_url}/indicators/?year=2025")
        main = page.inner_text("main")
        assert "Chỉ tiêu của Tỉnh Thanh Hóa, năm 2025" in main
        assert "Xã Tân Ninh" in main and "Xã Triệu Sơn" in main
        assert "≤ 0,5%" in main and "Chưa đạt" in main and "Đạt" in main
        self.screenshot("indicators-dashboard-local-targets")

        page.click("text=Dùng chỉ tiêu quốc gia")
        page.wait_for_load_state("networkidle")
        main = page.inner_text("main")
        assert "So với chỉ tiêu của Chương trình quốc gia" in main
        assert "≤ 4,9%" in main and "≤ 0,5%" not in main

        # Sort by the child-labour rate, highest first, through htmx.
        page.click("text=Dùng chỉ tiêu của kế hoạch địa phương")
        page.wait_for_load_state("networkidle")
        page.click("th a:has-text('Tỷ lệ lao động trẻ em')")
        page.wait_for_url(re.compile(r"sort=CL_RATE&order=asc"))
        page.click("th a:has-text('Tỷ lệ lao động trẻ em')")
        page.wait_for_url(re.compile(r"sort=CL_RATE&order=desc"))
        page.wait_for_selector("th a:has-text('▼')")
        # Each row's heading is the commune's name, then its status.
        rows = [t.splitlines()[0] for t in page.locator("#indicator-table tbody th").all_inner_texts()]
        assert rows[:2] == ["Xã Triệu Sơn", "Xã Tân Ninh"], rows

        page.click(f"a[href*='/indicators/drill/CL_RATE/{self.commune_b.pk}/']")
        page.wait_for_load_state("networkidle")
        main = page.inner_text("main")
        assert "Trẻ em có lần ghi nhận gần nhất trong năm là lao động trẻ em." in main
        assert "Phạm Văn Nam" in main and "Phạm Văn Bình" in main
        assert "Lê Thị Lan" not in main
        self.screenshot("indicators-drill-down")
        event = AuditEvent.objects.get(action="list", object_type="people.child", user=self.supervisor)
        assert sorted(event.object_ids) == sorted([str(self.nam.pk), str(self.binh.pk)])


class ProvincePageBrowserTestCase(BrowserTestCase):
    """Issue 18: a province of 40 communes, 25 with figures. The supervisor reads the summary,
    the first page of the communes with figures, the chart of those drawn after the table, and
    opens the communes without data on demand; her home lists the communes that need attention."""

    def setUp(self) -> None:
        super().setUp()
        if not Plan.objects.filter(key="kh-trieu-son-2021").exists():
            load_shipped(apps)
        filled = communes(self, 25, with_data=True, start=0)
        communes(self, 15, with_data=False, start=100)
        # For the home page: this year's reports are due since 10 days, the communes with
        # figures have sent theirs; two cases have a step overdue.
        today = timezone.localdate()
        period = PeriodFactory.create(year=today.year, receiver=self.province, level=Level.COMMUNE,
                                      due_on=today - dt.timedelta(days=10))
        for unit in filled:
            SubmissionFactory.create(period=period, unit=unit, status=SubmissionStatus.SUBMITTED)
        overdue_case(self.commune_a, self.officer_a)
        overdue_case(filled[3], self.supervisor)

    def test_it_reads_the_summary_then_a_page_of_communes_then_the_chart(self) -> None:
        page = self.page
        page.set_viewport_size({"width": 1280, "height": 900})
        self.login("supervisor")
        page.goto(f"{self.live_server_url}/indicators/?year=2025&targets=national")
        page.wait_for_selector("#indicator-chart svg")
        main = page.inner_text("main")
        assert "Tỉnh Thanh Hóa so với chỉ tiêu" in main
        assert "Đơn vị 1–20 trong số 25" in main
        assert "Xã Thử 100" not in page.inner_text("#indicator-table")
        assert "Hiện 17 đơn vị chưa có số liệu" in main
        self.screenshot("indicators-province-page")

        # One request at a time (the test database is SQLite in memory): wait for each swap and
        # for the chart that follows it.
        page.click("text=Trang sau")
        page.wait_for_selector("text=Đơn vị 21–25 trong số 25")
        page.wait_for_selector("#indicator-chart svg")
        assert "page=2" in page.url
        page.click("text=Hiện 17 đơn vị chưa có số liệu")
        # Page 1 of all 42 communes (the 25 with figures, 15 without, and A and B).
        page.wait_for_selector("text=Đơn vị 1–20 trong số 42")
        page.wait_for_selector("#indicator-chart svg")
        assert "empty=show" in page.url
        page.goto(f"{self.live_server_url}/")
        assert "Các xã cần chú ý" in page.inner_text("main")
        self.screenshot("supervisor-home-attention")
