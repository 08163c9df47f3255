"""The issue's flow in a phone-sized browser: a supervisor sees every commune against the
Triệu Sơn targets and the national ones, and drills down from an off-track cell to the
children behind it."""

from __future__ import annotations

import re

from django.apps import apps

from clms.accounts.models import AuditEvent
from clms.plans.models import Plan
from clms.plans.shipped import load_shipped
from tests.browser import BrowserTestCase
from tests.indicators import fixture


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
        rows = page.locator("#indicator-table tbody th").all_inner_texts()
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
