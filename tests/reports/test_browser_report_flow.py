"""The issue's flow on a phone: a commune officer drafts, reviews and submits her 2026 report
before the deadline; the province supervisor returns it once with a reason and accepts the
second; the province's aggregate report is downloaded as DOCX, XLSX and PDF."""

from __future__ import annotations

import datetime as dt
import io
import subprocess
from pathlib import Path
from unittest import mock

from django.apps import apps
from docx import Document
from openpyxl import load_workbook

from clms.plans.models import Plan
from clms.plans.shipped import load_shipped
from clms.reports.models import Submission, SubmissionStatus
from tests.browser import ARTIFACTS, BrowserTestCase
from tests.reports.factories import CHILD_NAMES, seed_commune_year
from tests.reports.files import run_worker

# 5 November 2026, ten days before the 15 November deadline.
BEFORE_DEADLINE = dt.datetime(2026, 11, 5, 2, 0, tzinfo=dt.UTC)


class ReportFlowBrowserTestCase(BrowserTestCase):
    def setUp(self) -> None:
        super().setUp()
        # A live-server test empties the database between tests; put the shipped plans back.
        if not Plan.objects.filter(key="kh-trieu-son-2021").exists():
            load_shipped(apps)
        seed_commune_year(user=self.officer_a, commune=self.commune_a, year=2026, children=3)
        clock = mock.patch("clms.reports.clock.now", return_value=BEFORE_DEADLINE)
        clock.start()
        self.addCleanup(clock.stop)

    def _as(self, username: str) -> None:
        self.context.clear_cookies()
        self.login(username)

    def _open(self, path: str) -> None:
        self.page.goto(f"{self.live_server_url}{path}")
        self.page.wait_for_load_state("networkidle")

    def _click(self, selector: str) -> None:
        self.page.click(selector)
        self.page.wait_for_load_state("networkidle")

    def _download(self, label: str) -> bytes:
        with self.page.expect_download() as info:
            self.page.click(f"a:has-text('{label}')")
        return Path(info.value.path()).read_bytes()

    def test_it_runs_the_yearly_report_flow_on_a_phone(self) -> None:
        page = self.page
        # The commune officer opens her 2026 report and fills in the typed parts.
        self._as("officer_a")
        self._open("/reports/")
        assert "Báo cáo của Xã Tân Ninh" in page.inner_text("main")
        page.select_option("#id_year", "2026")
        self._click("button:has-text('Mở báo cáo')")
        main = page.inner_text("main")
        assert "Báo cáo năm 2026 của Xã Tân Ninh" in main and "Dự thảo" in main, main
        assert "hạn nộp 15/11/2026" in main
        self._click("a:has-text('Sửa số, người ký và nội dung')")
        page.fill("#id_number", "12")
        page.fill("#id_signer_name", "Lê Quang Trung")
        page.fill("#id_difficulties", "Cán bộ làm công tác trẻ em cấp xã kiêm nhiệm nhiều việc.")
        self._click("#document-form button[type=submit]")
        page.wait_for_selector("text=Đã lưu lúc")  # the form was saved in place by htmx
        self.screenshot("reports-1-officer-edits")
        self._click("a:has-text('Quay lại báo cáo')")
        draft = self._download("Báo cáo (DOCX)")
        assert "Lê Quang Trung" in "\n".join(p.text for t in Document(io.BytesIO(draft)).tables for c in t._cells for p in c.paragraphs)
        page.check("#id_confirm")  # "Sau khi gửi, số liệu sẽ được chốt…"
        self._click("button:has-text('Gửi báo cáo')")
        assert "Đã gửi báo cáo. Số liệu của báo cáo đã được chốt." in page.inner_text("main")
        submission = Submission.objects.get(unit=self.commune_a)
        self.assertEqual(submission.status, SubmissionStatus.SUBMITTED)
        assert submission.submitted_at is not None
        self.assertLess(submission.submitted_at, dt.datetime(2026, 11, 15, tzinfo=dt.UTC))

        # The province supervisor sees it arrive and returns it once, with a reason.
        self._as("supervisor")
        self._open("/reports/")
        self._click("a:has-text('2026')")
        main = page.inner_text("main")
        assert "Báo cáo năm 2026 gửi Tỉnh Thanh Hóa" in main and "Đã gửi" in main, main
        self._click("a:has-text('Xã Tân Ninh')")
        page.fill("#id_reason", "Đề nghị bổ sung đề xuất, kiến nghị về kinh phí.")
        self._click("button:has-text('Trả lại báo cáo')")
        assert "Đã trả lại báo cáo cho Xã Tân Ninh." in page.inner_text("main")
        self.screenshot("reports-2-supervisor-returns")

        # The officer reads the reason, completes the report and submits it again.
        self._as("officer_a")
        self._open("/cases/inbox/")
        assert "Báo cáo năm 2026 của Xã Tân Ninh đã bị Tỉnh Thanh Hóa trả lại" in page.inner_text("main")
        self.screenshot("reports-2b-officer-inbox")
        self._open(f"/reports/submissions/{submission.pk}/")
        assert "Bị trả lại: Đề nghị bổ sung đề xuất, kiến nghị về kinh phí." in page.inner_text("main")
        self._click("a:has-text('Sửa số, người ký và nội dung')")
        page.fill("#id_proposals", "Đề nghị tỉnh hỗ trợ kinh phí tập huấn cho cộng tác viên thôn.")
        self._click("#document-form button[type=submit]")
        page.wait_for_selector("text=Đã lưu lúc")
        self._click("a:has-text('Quay lại báo cáo')")
        page.check("#id_confirm")
        self._click("button:has-text('Gửi lại báo cáo')")
        assert "Đã gửi báo cáo." in page.inner_text("main")

        # The supervisor accepts the second submission and downloads the province's aggregate.
        self._as("supervisor")
        self._open(f"/reports/submissions/{submission.pk}/")
        self._click("button:has-text('Chấp nhận báo cáo')")
        assert "Đã chấp nhận báo cáo của Xã Tân Ninh." in page.inner_text("main")
        timeline = page.inner_text("main")
        for step in ("Bắt đầu dự thảo", "Đã gửi", "Bị trả lại", "Gửi lại", "Đã chấp nhận"):
            assert step in timeline, step
        self._open(f"/reports/periods/{submission.period_id}/")
        main = page.inner_text("main")
        assert "1/2" in main and "Xã Triệu Sơn" in main and "Tổng hợp các báo cáo đã chấp nhận" in main
        self.screenshot("reports-3-province-aggregate")

        # The files are made in the background: a click queues them, the page counts them.
        page.click("button:has-text('Báo cáo (DOCX)')")
        page.wait_for_selector("text=Đang tạo tệp… (1/3)")
        self.screenshot("reports-4-files-in-progress")
        self.assertEqual(run_worker(), 1)
        page.wait_for_selector("a:has-text('Báo cáo (PDF)')", timeout=15_000)  # the panel polls every 2 s
        assert "Đang tạo tệp" not in page.inner_text("#files")
        docx = Document(io.BytesIO(self._download("Báo cáo (DOCX)")))
        text = "\n".join(p.text for p in docx.paragraphs)
        assert "(3/2.857 trẻ em)" in text and "Trên cơ sở báo cáo của 1/2 xã" in text
        workbook = load_workbook(io.BytesIO(self._download("Phụ lục (XLSX)")))
        assert workbook["ND3 Phòng ngừa, hỗ trợ"]["C8"].value == 3
        pdf = self._download("Báo cáo (PDF)")
        ARTIFACTS.mkdir(exist_ok=True)
        pdf_path = ARTIFACTS / "reports-province-2026.pdf"
        pdf_path.write_bytes(pdf)
        text = subprocess.run(["pdftotext", "-enc", "UTF-8", str(pdf_path), "-"], capture_output=True, check=True, text=True).stdout  # noqa: S607
        flat = " ".join(text.split())
        for phrase in ("ỦY BAN NHÂN DÂN TỈNH THANH HÓA", "Độc lập - Tự do - Hạnh phúc", "Phụ lục I", "Kính gửi: Bộ Y tế"):
            assert phrase in flat, phrase
        for name in CHILD_NAMES:
            assert name not in flat
        # The first page as an image, to look at the layout.
        subprocess.run(["pdftoppm", "-png", "-r", "60", "-f", "1", "-l", "1", str(pdf_path), str(ARTIFACTS / "reports-province-2026-page")], check=True)  # noqa: S607
