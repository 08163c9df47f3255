"""On a phone: a lacquer workshop in a craft village, its commitment, an unannounced
inspection that finds a 14-year-old painting lacquer pictures five hours a day, the
classification with its articles, the confirmed violation with its fine, and her case."""

from __future__ import annotations

import datetime as dt
import shutil
import tempfile
from pathlib import Path

from django.test import override_settings
from django.utils import timezone

from clms.employers.models import Commitment, FoundChild, Violation
from tests.browser import BrowserTestCase

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


class InspectionFlowBrowserTestCase(BrowserTestCase):
    def setUp(self) -> None:
        super().setUp()
        media = tempfile.mkdtemp()
        override = override_settings(PRIVATE_MEDIA_ROOT=Path(media))
        override.enable()
        self.addCleanup(override.disable)
        self.addCleanup(shutil.rmtree, media, True)

    def submit(self) -> None:
        self.page.click("main form.stack button[type=submit]")
        self.page.wait_for_load_state("networkidle")

    def test_it_records_an_inspection_that_finds_a_child_and_opens_her_case(self) -> None:
        page = self.page
        self.login("officer_a")
        base = self.live_server_url

        # A craft village, and a lacquer workshop registered in it.
        page.goto(f"{base}/employers/craft-villages/new/")
        page.fill("#id_name", "Làng nghề sơn mài Tân Ninh")
        page.fill("#id_trade", "Sơn mài")
        page.select_option("#id_commune", label="Xã Tân Ninh")
        page.fill("#id_household_count", "45")
        self.submit()
        self.assertIn("Đã thêm làng nghề", page.inner_text("body"))
        page.click("text=Đăng ký cơ sở trong làng nghề này")
        page.fill("#id_name", "Cơ sở sơn mài Đức Hạnh")
        page.select_option("#id_kind", "household")
        page.select_option("#id_sector", "handicraft")
        page.select_option("#id_commune", label="Xã Tân Ninh")
        page.fill("#id_owner_name", "Nguyễn Văn Hạnh")
        self.submit()
        body = page.inner_text("body")
        self.assertIn("Đã đăng ký cơ sở", body)
        self.assertIn("Làng nghề sơn mài Tân Ninh", body)

        # Its commitment, with the scanned copy.
        page.click("text=Ghi nhận bản cam kết")
        page.fill("#id_signed_on", "15/01/2026")
        page.fill("#id_signer_name", "Nguyễn Văn Hạnh")
        page.fill("#id_expires_on", "31/12/2027")
        page.set_input_files("#id_document", files=[{"name": "cam-ket.pdf", "mimeType": "application/pdf", "buffer": PDF}])
        self.submit()
        self.assertIn("còn hiệu lực", page.inner_text("body"))
        self.assertEqual(Commitment.objects.get().document_type, "application/pdf")

        # An unannounced inspection.
        page.click("text=Ghi nhận cuộc kiểm tra")
        page.select_option("#id_kind", "unannounced")
        self.assertEqual(page.input_value("#id_inspected_on"), timezone.localdate().strftime("%d/%m/%Y"))
        page.fill("#id_team", "Công chức Văn hóa - Xã hội, Công an xã")
        self.submit()
        self.assertIn("Đã ghi nhận cuộc kiểm tra", page.inner_text("body"))

        # She is 14, paints lacquer pictures five hours a day.
        page.click("text=Thêm trẻ bị phát hiện làm việc")
        today = timezone.localdate()
        dob = dt.date(today.year - 14, 1, 15) if today.month > 1 else dt.date(today.year - 15, 12, 1)
        page.fill("#id_full_name", "Lê Thị Hoa")
        page.select_option("#id_sex", "F")
        page.fill("#id_dob", dob.strftime("%d/%m/%Y"))
        page.select_option("#id_commune", label="Xã Tân Ninh")
        page.fill("#id_job_code", "son mai")
        page.wait_for_function("document.querySelectorAll('#job-options option').length > 0")
        option = page.get_attribute("#job-options option", "value") or ""
        self.assertTrue(option.startswith("TT09.II.04"), option)
        page.fill("#id_job_code", option)
        page.fill("#id_job_description", "Vẽ tranh sơn mài")
        page.fill("#id_hours_per_day", "5")
        page.select_option("#id_parent_consent", "true")
        page.click("text=Ghi nhận và phân loại")
        page.wait_for_load_state("networkidle")
        body = page.inner_text("body")
        self.assertIn("Lê Thị Hoa", body)
        self.assertIn("14 tuổi", body)
        self.assertIn("Lao động trẻ em", body)
        self.assertIn("Điều 146 khoản 1", body)
        self.assertIn("điểm c khoản 2 Điều 27 Nghị định 283/2026/NĐ-CP", body)
        self.assertIn("20.000.000–25.000.000", body)  # a household business is fined as an individual
        self.assertIn("40.000.000–50.000.000", body)
        self.screenshot("employers-inspection-found-child")

        # Confirm the proposed violation (htmx, in place).
        violation = Violation.objects.get()
        card = f"#violation-{violation.pk}"
        page.click(f"{card} >> text=Xác nhận")
        page.wait_for_selector(f"{card} form")
        page.click(f"{card} form button[type=submit]")
        page.wait_for_selector(f"{card} >> text=Đã xác nhận")
        violation.refresh_from_db()
        self.assertEqual(violation.status, "confirmed")

        # Open her case in one step.
        page.click("text=Mở hồ sơ hỗ trợ cho trẻ này")
        page.wait_for_load_state("networkidle")
        self.assertIn("Đã mở hồ sơ hỗ trợ cho Lê Thị Hoa", page.inner_text("body"))
        found = FoundChild.objects.get()
        self.assertIsNotNone(found.case_opened_at)
        self.assertEqual(page.get_attribute(f"#found-{found.pk} a:has(.badge.ok)", "href"), f"/cases/{found.case_ref}/")
        self.assertLessEqual(page.evaluate("document.documentElement.scrollWidth"), 390 + 1)
        self.assertTrue(self.screenshot("employers-inspection-case-opened").stat().st_size > 1000)
