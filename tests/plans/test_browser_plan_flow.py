"""The issue's flow in a phone-sized browser: the plan, a 12 June campaign, a teachers' training,
a budget line, and the education office updating its task."""

from __future__ import annotations

from django.apps import apps

from clms.accounts.models import User
from clms.outreach.models import OutreachActivity, Reach
from clms.outreach.shipped import load_peak_periods
from clms.places.models import AdminUnit
from clms.plans.models import BudgetLine, Plan, TaskProgress
from clms.plans.shipped import load_shipped
from tests.browser import BrowserTestCase


class PlanFlowBrowserTestCase(BrowserTestCase):
    # Set by build_personas in BrowserTestCase.setUp.
    commune_a: AdminUnit
    agency: User

    def setUp(self) -> None:
        super().setUp()
        # A live-server test empties the database between tests; put the shipped data back.
        if not Plan.objects.filter(key="kh-trieu-son-2021").exists():
            load_shipped(apps)
        load_peak_periods(apps)

    def _fill_activity(self, kind: str, title: str, date: str, reach: dict[str, str], peak: str | None = None) -> None:
        page = self.page
        page.goto(f"{self.live_server_url}/outreach/new/?kind={kind}")
        page.fill("#id_title", title)
        page.fill("#id_starts_on", date)
        if peak:
            page.select_option("#id_peak_period", label=peak)
        for group, count in reach.items():
            page.fill(f"#id_reach_{group}", count)
        page.click("main button[type=submit]")
        page.wait_for_load_state("networkidle")

    def test_it_runs_the_plan_and_outreach_flow_on_a_phone(self) -> None:
        page = self.page
        self.login("officer_a")
        page.goto(f"{self.live_server_url}/plans/")
        assert "Chỉ tiêu áp dụng cho Xã Tân Ninh" in page.content()
        page.click("a:has-text('Ủy ban nhân dân huyện Triệu Sơn')")
        page.wait_for_load_state("networkidle")
        body = page.inner_text("main")
        assert "≤ 0,5%" in body and "Phòng Giáo dục và Đào tạo" in body
        self.screenshot("plans-trieu-son-plan")

        self._fill_activity(
            "campaign", "Mít tinh hưởng ứng ngày 12/6", "12/06/2026", {"children": "300", "parents": "120"},
            peak="Ngày Thế giới phòng, chống lao động trẻ em",
        )
        assert "Đã lưu hoạt động." in page.inner_text("main")
        assert "Chiến dịch truyền thông" in page.inner_text("main")
        self._fill_activity("training", "Tập huấn cho giáo viên trường THCS", "20/09/2026", {"teachers": "45"})
        assert "Danh sách tham dự" in page.inner_text("main")
        self.screenshot("outreach-teacher-training")
        self.assertEqual(
            dict(Reach.objects.filter(activity__title__startswith="Mít tinh").values_list("group", "count")),
            {"children": 300, "parents": 120},
        )
        self.assertEqual(Reach.objects.get(activity__kind="training").count, 45)
        self.assertEqual(OutreachActivity.objects.get(kind="campaign").peak_period.code, "world-day-against-child-labour")  # type: ignore[union-attr]

        page.goto(f"{self.live_server_url}/plans/budget/new/")
        page.fill("#id_year", "2026")
        page.select_option("#id_source", "state_commune")
        page.fill("#id_description", "In tờ rơi Tháng hành động vì trẻ em")
        page.fill("#id_planned", "3000000")
        page.fill("#id_spent", "3200000")
        page.click("main button[type=submit]")
        page.wait_for_load_state("networkidle")
        assert "Đã lưu khoản kinh phí." in page.inner_text("main")
        assert "vượt kế hoạch" in page.inner_text("main")
        line = BudgetLine.objects.get()
        self.assertEqual((line.unit, line.planned, line.spent), (self.commune_a, 3_000_000, 3_200_000))
        self.screenshot("plans-budget")

        self.context.clear_cookies()
        self.login("agency")
        assert "Nhiệm vụ của cơ quan tôi trong kế hoạch" in page.inner_text("main")
        page.click("text=Cung cấp thông tin, kiến thức, kỹ năng")
        page.wait_for_load_state("networkidle")
        page.select_option("#id_status", "in_progress")
        page.fill("#id_note", "Đã tập huấn cho 120 giáo viên THCS.")
        page.click("text=Lưu tiến độ")
        page.wait_for_selector("text=Đã tập huấn cho 120 giáo viên THCS.")
        assert "Đang thực hiện" in page.inner_text("#task-progress")
        note = TaskProgress.objects.get()
        self.assertEqual((note.author, note.task.agency.kind, note.task.status), (self.agency, "education", "in_progress"))
        self.screenshot("plans-agency-task-update")
