"""The whole flow on a phone: a report, verification in time, assessment, plan, referral to
the education office, delivery, two follow-ups and closure -- every screen in Vietnamese."""

import datetime as dt

from django.utils import timezone

from clms.cases.models import Case, CaseStep, FollowUp, Referral
from clms.places.models import AdminUnit
from tests.browser import BrowserTestCase


class CaseFlowBrowserTestCase(BrowserTestCase):
    province: AdminUnit  # set by build_personas in setUp

    def switch_to(self, username: str) -> None:
        self.context.clear_cookies()
        self.login(username)

    def submit(self, selector: str) -> None:
        with self.page.expect_navigation():
            self.page.click(selector)
        self.page.wait_for_load_state("networkidle")

    def body(self) -> str:
        return str(self.page.inner_text("body"))

    def test_it_takes_a_report_from_a_phone_to_a_closed_case(self) -> None:
        today = timezone.localdate().strftime("%d/%m/%Y")
        url = self.live_server_url

        # 1. The village collaborator files the report on her phone.
        self.login("ctv")
        self.page.goto(f"{url}/cases/report/")
        self.assertIn("Báo tin", self.body())
        self.assertIn("Người báo tin (bảo mật)", self.body())
        self.page.check("#id_emergency")
        self.page.fill("#id_what_seen", "Em bốc vác gạch ở lò gạch từ sáng đến tối, không đi học.")
        self.page.fill("#id_new_name", "Lò Thị Mai")
        self.page.select_option("#id_new_sex", "F")
        self.page.fill("#id_new_dob", "03/04/2013")
        self.page.fill("#id_reporter_name", "Bà Hạnh")
        self.page.fill("#id_reporter_phone", "0987654321")
        self.screenshot("cases-1-report-form-phone")
        self.submit("button[type=submit] >> text=Gửi tin báo")
        self.assertIn("Đã ghi nhận tin báo", self.body())
        case = Case.objects.get(child__full_name="Lò Thị Mai")
        self.assertTrue(case.emergency)

        # 2. The commune officer verifies it within its due time.
        self.switch_to("officer_a")
        self.page.goto(f"{url}/cases/")
        self.assertIn("Khẩn cấp", self.body())
        self.page.click("text=Lò Thị Mai")
        self.page.wait_for_load_state("networkidle")
        self.assertIn("Hồ sơ của trẻ Lò Thị Mai", self.body())
        self.assertIn("0987654321", self.body())  # the officer handling it sees who reported
        self.page.select_option("#id_verify-initial_risk", "high")
        self.page.fill("#id_verify-initial_note", "Trẻ làm việc nặng, nguy cơ cao.")
        self.page.fill("#id_verify-emergency_measures", "Đưa trẻ về nhà ông bà, yêu cầu chủ lò dừng sử dụng.")
        self.submit("#action-verify button")
        self.assertIn("Đang xác minh", self.body())
        step = CaseStep.objects.get(case=case, step="verification")
        self.assertTrue(step.due_at > timezone.now())
        self.assertIsNotNone(CaseStep.objects.get(case=case, step="emergency").done_at)
        self.submit("#action-assess button")
        self.assertIn("Đang đánh giá", self.body())

        # 3. Detailed assessment and plan with a service from the education office.
        self.page.goto(f"{url}/cases/{case.pk}/assessment/")
        self.assertIn("Đánh giá chi tiết", self.body())
        self.page.fill("#id_child_state", "Gầy, mệt mỏi.")
        self.page.fill("#id_needs", "Trở lại trường học.")
        self.page.fill("#id_child_views", "Em muốn đi học lại.")
        self.page.select_option("#id_risk_level", "high")
        self.page.fill("#id_needs_meeting_on", today)
        self.page.check("#id_complete")
        self.submit("button >> text=Lưu đánh giá")
        self.assertIn("Đã lưu đánh giá", self.body())
        self.page.goto(f"{url}/cases/{case.pk}/plan/")
        # Inline help beside the goals and due dates, folded on the phone (issue 19).
        help_boxes = self.page.locator("details.field-help")
        self.assertGreaterEqual(help_boxes.count(), 4)
        self.assertFalse(help_boxes.first.evaluate("d => d.open"))
        help_boxes.first.locator("summary").click()
        self.assertIn("Hai đến bốn mục tiêu", self.body())
        self.page.fill("#id_goals", "Em trở lại trường trong tháng này.")
        self.submit("button >> text=Lưu kế hoạch")
        self.page.select_option("#id_service_type", "return_to_school")
        self.page.select_option("#id_agency", "education")
        self.page.select_option("#id_provider_unit", str(self.province.pk))
        self.submit("button >> text=Thêm dịch vụ")
        self.assertIn("Hỗ trợ trở lại trường học", self.body())
        self.screenshot("cases-2-plan-phone")
        self.page.goto(f"{url}/cases/{case.pk}/")
        self.submit("#action-plan button")
        self.page.fill("#id_approve_plan-approved_on", today)
        self.page.fill("#id_approve_plan-decision_number", "25/QĐ-UBND")
        self.submit("#action-approve_plan button")
        self.assertIn("Quyết định số 25/QĐ-UBND", self.body())
        self.submit("#action-start_intervention button")
        self.assertIn("Đang can thiệp", self.body())

        # 4. The education officer marks the service delivered.
        self.switch_to("agency")
        self.page.goto(f"{url}/cases/referrals/")
        self.assertIn("Lò Thị Mai", self.body())
        self.page.click("text=Lò Thị Mai")
        self.page.wait_for_load_state("networkidle")
        self.assertNotIn("0987654321", self.body())
        self.assertNotIn("lò gạch", self.body())
        self.page.check("input[name=status][value=delivered]")
        self.page.fill("#id_delivered_on", today)
        self.submit("button >> text=Gửi trả lời")
        self.assertIn("Đã cung cấp", self.body())
        self.screenshot("cases-3-referral-delivered-phone")
        self.assertEqual(Referral.objects.get(case=case).status, "delivered")

        # 5. Two follow-up visits, then the case is closed.
        self.switch_to("officer_a")
        self.page.goto(f"{url}/cases/{case.pk}/")
        self.submit("#action-start_monitoring button")
        for _visit in range(2):
            self.page.check("input[name=still_working][value=no]")
            self.page.select_option("#id_school_status", "attending")
            self.submit("button >> text=Lưu lần thăm")
            self.assertIn("Đã ghi nhận lần thăm theo dõi", self.body())
        # Two visits minutes apart prove nothing: the closure waits for the follow-up interval.
        self.page.select_option("#id_close-reason", "no_longer_child_labour")
        self.submit("#action-close button")
        self.assertIn("cách nhau ít nhất 30 ngày", self.body())
        self.assertNotEqual(Case.objects.get(pk=case.pk).state, "closed")
        # A month goes by between the two visits (the first one moved back 30 days).
        first = FollowUp.objects.filter(case=case).order_by("pk").first()
        assert first is not None
        FollowUp.objects.filter(pk=first.pk).update(visited_on=first.visited_on - dt.timedelta(days=30))
        self.page.goto(f"{url}/cases/{case.pk}/")
        self.page.select_option("#id_close-reason", "no_longer_child_labour")
        self.submit("#action-close button")
        self.assertIn("Đã đóng", self.body())
        self.assertIn("Không còn là lao động trẻ em", self.body())
        self.screenshot("cases-4-closed-phone")
        case.refresh_from_db()
        self.assertEqual((case.state, case.closure_reason), ("closed", "no_longer_child_labour"))
