"""The three files of a report: layout rules, figures, Vietnamese text, no personal data,
and a submitted report that does not move when records change afterwards."""

from __future__ import annotations

import datetime as dt
import io
import subprocess
import tempfile
from pathlib import Path
from typing import Any

from django.test import SimpleTestCase
from django.urls import reverse
from django.utils import timezone
from docx import Document
from docx.shared import Mm, Pt
from openpyxl import load_workbook

from clms.cases.services import report_file
from clms.reports import services
from clms.reports.documents.content import indicator_sentence, recipient_lines
from clms.reports.models import Submission
from clms.reports.texts import describe_target, vn_date_line, vn_decimal, vn_int, vn_percent
from tests.base import PersonaTestCase
from tests.factories import UserFactory
from tests.reports.factories import CHILD_NAMES, REPORTER_NAME, seed_commune_year
from tests.reports.files import period_file

OFFICER_PHONE = "0912 345 678"
REPORTER_PHONE = "0987 654 321"


def docx_text(body: bytes) -> str:
    doc = Document(io.BytesIO(body))
    parts = [p.text for p in doc.paragraphs]
    for table in doc.tables:
        for row in table.rows:
            parts += [cell.text for cell in row.cells]
    for section in doc.sections:
        parts += [p.text for p in section.header.paragraphs]
    return "\n".join(parts)


def xlsx_cells(body: bytes) -> list[Any]:
    wb = load_workbook(io.BytesIO(body))
    return [cell.value for ws in wb.worksheets for row in ws.iter_rows() for cell in row if cell.value is not None]


def pdf_text(body: bytes) -> str:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "r.pdf"
        path.write_bytes(body)
        return subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True, check=True, text=True).stdout  # noqa: S607


class FormattingTestCase(SimpleTestCase):  # pure: no database
    def test_it_formats_numbers_and_dates_the_vietnamese_way(self) -> None:
        self.assertEqual(vn_int(2857), "2.857")
        self.assertEqual(vn_int(1234567), "1.234.567")
        self.assertEqual(vn_decimal(0.4213), "0,42")
        self.assertEqual(vn_percent(100.0), "100%")
        self.assertEqual(vn_percent(12.5), "12,5%")
        self.assertEqual(describe_target({"comparator": "<=", "value": 0.5}), "≤ 0,5%")
        self.assertEqual(describe_target({"comparator": "decrease", "value": None}), "giảm")
        self.assertEqual(vn_date_line("Tân Ninh", dt.date(2026, 11, 5)), "Tân Ninh, ngày 05 tháng 11 năm 2026")

    def test_it_writes_the_result_sentence_of_the_issue(self) -> None:
        value = {"numerator": 12, "denominator": 2857, "value": 0.42, "status": "met", "target": {"comparator": "<=", "value": 0.5, "year": 2030}}
        self.assertEqual(
            indicator_sentence("CL_RATE", value, {}, 2026),
            "Tỷ lệ trẻ em từ 5 đến 17 tuổi lao động trái quy định là 0,42% (12/2.857 trẻ em), đạt chỉ tiêu ≤ 0,5% của Kế hoạch.",
        )

    def test_it_ends_the_recipients_list_with_a_full_stop(self) -> None:
        self.assertEqual(recipient_lines("Như trên;\n- Lưu: VT, VHXH"), ["- Như trên;", "- Lưu: VT, VHXH."])


class DocumentsTestCase(PersonaTestCase):
    submission: Submission

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.officer_a.phone = OFFICER_PHONE
        cls.officer_a.full_name = "Đặng Thị Cán Bộ"
        cls.officer_a.save()
        reporter = UserFactory.create(username="reporter", role="commune_officer", area=cls.commune_a, full_name=REPORTER_NAME)
        children = seed_commune_year(user=reporter, commune=cls.commune_a, year=2026, children=3)
        report_file(
            user=reporter, source="collaborator", received_at=timezone.now() - dt.timedelta(days=1),
            what_seen="Thấy em bốc vác ở chợ", children=[children[0]], commune=cls.commune_a,
            reporter_name=REPORTER_NAME, reporter_phone=REPORTER_PHONE, reporter_relationship="Hàng xóm",
        )
        sub = services.submission_start(user=cls.officer_a, unit=cls.commune_a, year=2026)
        sub = services.submission_update(
            user=cls.officer_a, submission=sub, version=sub.version, number=7, signer_name="Lê Quang Trung",
            issued_on=dt.date(2026, 11, 5), difficulties="Cán bộ làm công tác trẻ em kiêm nhiệm nhiều việc.",
            proposals="Đề nghị tỉnh bố trí kinh phí tập huấn.", next_tasks="Rà soát trẻ em có nguy cơ tại các thôn.",
        )
        sub = services.submission_submit(user=cls.officer_a, submission=sub, version=sub.version)
        cls.submission = services.submission_accept(user=cls.supervisor, submission=sub, version=sub.version)

    def _get(self, url: str, user: Any = None) -> bytes:
        self.client.force_login(user or self.officer_a)
        response = self.client.get(url)
        self.assertEqual(response.status_code, 200)
        return b"".join(response.streaming_content) if response.streaming else response.content  # type: ignore[attr-defined]

    def _period_get(self, period: int, fmt: str) -> bytes:
        """The receiving level's file: made in the background (tests/reports/files.py)."""
        self.client.force_login(self.supervisor)
        response = period_file(self.client, period, fmt)
        self.assertEqual(response.status_code, 200)
        return response.content

    def _files(self) -> dict[str, bytes]:
        return {fmt: self._get(reverse("reports:submission_document", args=[self.submission.pk, fmt])) for fmt in ("docx", "xlsx", "pdf")}

    def test_it_lays_out_the_docx_as_decree_30_requires(self) -> None:
        doc = Document(io.BytesIO(self._files()["docx"]))
        section = doc.sections[0]
        # Word stores twentieths of a point, so A4 comes back within a fraction of a millimetre.
        self.assertAlmostEqual(section.page_width.mm, 210, delta=0.5)  # type: ignore[union-attr]
        self.assertAlmostEqual(section.page_height.mm, 297, delta=0.5)  # type: ignore[union-attr]
        for margin, (low, high) in (
            (section.top_margin, (20, 25)),
            (section.bottom_margin, (20, 25)),
            (section.left_margin, (30, 35)),
            (section.right_margin, (15, 20)),
        ):
            self.assertTrue(low - 0.1 <= margin.mm <= high + 0.1, margin.mm)  # type: ignore[union-attr]
        # Page numbers in the header, but page 1 has its own, empty header.
        self.assertTrue(section.different_first_page_header_footer)
        self.assertIn("PAGE", section.header._element.xml)
        self.assertEqual("".join(p.text for p in section.first_page_header.paragraphs), "")
        self.assertNotIn("PAGE", section.first_page_header._element.xml)

        header = doc.tables[0]
        runs = {p.text: p.runs[0] for cell in header._cells for p in cell.paragraphs if p.runs}
        parent, issuer = runs["UBND TỈNH THANH HÓA"], runs["UBND XÃ TÂN NINH"]
        self.assertEqual((parent.font.size, bool(parent.bold)), (Pt(13), False))
        self.assertEqual((issuer.font.size, issuer.bold), (Pt(13), True))
        national, motto = runs["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"], runs["Độc lập - Tự do - Hạnh phúc"]
        self.assertTrue(national.bold and Pt(12) <= national.font.size <= Pt(13))
        self.assertTrue(motto.bold and Pt(13) <= motto.font.size <= Pt(14))
        self.assertEqual(runs["Số: 07/BC-UBND"].font.size, Pt(13))
        place = runs["Tân Ninh, ngày 05 tháng 11 năm 2026"]
        self.assertTrue(place.italic)
        for run in (parent, issuer, national, motto, place):
            self.assertEqual(run.font.name, "Times New Roman")

        paragraphs = {p.text: p for p in doc.paragraphs}
        title = paragraphs["BÁO CÁO"]
        self.assertTrue(title.runs[0].bold)
        self.assertEqual(title.alignment, 1)  # centred
        body = next(p for p in doc.paragraphs if p.text.startswith("- Tỷ lệ trẻ em từ 5 đến 17 tuổi"))
        self.assertEqual(body.alignment, 3)  # justified
        self.assertTrue(Mm(10) <= body.paragraph_format.first_line_indent <= Mm(12.7))
        self.assertGreaterEqual(body.paragraph_format.space_after, Pt(6))
        self.assertTrue(Pt(13) <= body.runs[0].font.size <= Pt(14))  # type: ignore[operator]
        heading = next(p for p in doc.paragraphs if p.text.startswith("I. "))
        self.assertTrue(heading.runs[0].bold and heading.text == heading.text.upper())
        # One bar per indicator says nothing the sentences do not: a commune's report has no chart.
        self.assertFalse(doc.inline_shapes)

        sign = doc.tables[1]
        left = {p.text: p for p in sign.cell(0, 0).paragraphs}
        where = left["Nơi nhận:"].runs[0]
        self.assertEqual((where.font.size, where.bold, where.italic), (Pt(12), True, True))
        self.assertEqual(left["- Lưu: VT, VHXH."].runs[0].font.size, Pt(11))
        right = [p for p in sign.cell(0, 1).paragraphs if p.text]
        self.assertEqual([p.text for p in right], ["TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH", "Lê Quang Trung"])
        self.assertTrue(all(p.runs[0].bold for p in right))

    def test_it_puts_the_snapshot_figures_in_every_file(self) -> None:
        files = self._files()
        text = docx_text(files["docx"])
        sentence = "Tỷ lệ trẻ em từ 5 đến 17 tuổi lao động trái quy định là 0,11% (3/2.857 trẻ em), đạt chỉ tiêu ≤ 0,5% của Kế hoạch."
        self.assertIn(sentence, text)
        for part in ("Kính gửi:", "Ủy ban nhân dân tỉnh Thanh Hóa;", "Cán bộ làm công tác trẻ em kiêm nhiệm nhiều việc.", "PHƯƠNG HƯỚNG, NHIỆM VỤ NĂM 2027"):
            self.assertIn(part, text)

        wb = load_workbook(io.BytesIO(files["xlsx"]))
        self.assertEqual(wb.sheetnames[:5], ["ND1 Quản lý", "ND2 Truyền thông", "ND3 Phòng ngừa, hỗ trợ", "ND4 Thanh tra", "ND5 Nguồn lực"])
        self.assertIn("Theo giới tính", wb.sheetnames)
        ws = wb["ND3 Phòng ngừa, hỗ trợ"]
        self.assertEqual(ws["A1"].value, "Phụ lục I")
        self.assertTrue(ws["A1"].font.bold)
        self.assertEqual(ws["A3"].value, "(Kèm theo Báo cáo số 07/BC-UBND ngày 05/11/2026 của Ủy ban nhân dân xã Tân Ninh)")
        self.assertEqual(ws["B8"].value, "Xã Tân Ninh")
        # CL_RATE comes first in content area 3: numerator, denominator, rate as numbers.
        self.assertEqual(ws["C6"].value, "Tỷ lệ lao động trẻ em")
        self.assertEqual((ws["C8"].value, ws["D8"].value), (3, 2857))
        self.assertAlmostEqual(ws["E8"].value, 0.0011)
        self.assertEqual((ws["D8"].number_format, ws["E8"].number_format), ("#,##0", "0.00%"))
        self.assertEqual(ws["F8"].value, "≤ 0,5%")
        self.assertEqual(ws["G8"].value, "Đạt")
        by_sex = wb["Theo giới tính"]
        rows = {r[1]: r for r in by_sex.iter_rows(min_row=8, values_only=True)}
        self.assertEqual(rows["Nữ"][2], 3)

        text = pdf_text(files["pdf"])
        self.assertIn("0,11% (3/2.857 trẻ em)", " ".join(text.split()))

    def test_it_renders_vietnamese_in_the_pdf(self) -> None:
        text = " ".join(pdf_text(self._files()["pdf"]).split())
        for phrase in (
            "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
            "Độc lập - Tự do - Hạnh phúc",
            "Ủy ban nhân dân xã Tân Ninh",
            "Tân Ninh, ngày 05 tháng 11 năm 2026",
            "Phụ lục I",
            "Nơi nhận:",
            "KHÓ KHĂN, VƯỚNG MẮC",
            "Lê Quang Trung",
        ):
            self.assertIn(phrase, text)

    def test_it_numbers_pdf_pages_in_the_top_margin_but_not_page_one(self) -> None:
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "r.pdf"
            path.write_bytes(self._files()["pdf"])
            pages = []
            for number in range(1, 20):
                out = subprocess.run(["pdftotext", "-f", str(number), "-l", str(number), "-layout", str(path), "-"], capture_output=True, text=True).stdout  # noqa: S607
                if not out.strip():
                    break
                pages.append(out.strip().splitlines()[0].strip())
        self.assertTrue(pages[0].startswith("UBND TỈNH THANH HÓA"))
        annex = pages.index("Phụ lục I")
        self.assertEqual(pages[1:annex], [str(n) for n in range(2, annex + 1)])
        # The annex is numbered separately: its first page bare, then 2, 3...
        self.assertEqual(pages[annex + 1 :], [str(n) for n in range(2, len(pages) - annex + 1)])

    def test_it_keeps_personal_data_out_of_every_file(self) -> None:
        files = self._files()
        self.client.force_login(self.supervisor)
        period = self.submission.period_id
        aggregate = {fmt: self._period_get(period, fmt) for fmt in ("docx", "xlsx", "pdf")}
        texts = {
            "docx": docx_text(files["docx"]),
            "xlsx": " ".join(str(v) for v in xlsx_cells(files["xlsx"])),
            "pdf": pdf_text(files["pdf"]),
            "aggregate docx": docx_text(aggregate["docx"]),
            "aggregate xlsx": " ".join(str(v) for v in xlsx_cells(aggregate["xlsx"])),
            "aggregate pdf": pdf_text(aggregate["pdf"]),
        }
        forbidden = (*CHILD_NAMES, REPORTER_NAME, "Đặng Thị Cán Bộ", OFFICER_PHONE, REPORTER_PHONE, "Hàng xóm", "bốc vác")
        for name, text in texts.items():
            flat = " ".join(text.split())
            self.assertIn("Phụ lục I", flat)  # the file has real content
            for word in forbidden:
                with self.subTest(file=name, word=word):
                    self.assertNotIn(word, flat)
        # The snapshot itself holds no names either.
        for word in forbidden:
            self.assertNotIn(word, str(self.submission.snapshot.data))  # type: ignore[union-attr]

    def test_it_keeps_a_submitted_report_frozen_and_shows_what_moved(self) -> None:
        before = self._files()
        frozen = dict(self.submission.snapshot.data)  # type: ignore[union-attr]
        # After submission: another child is found working, and the population figure is corrected.
        seed_commune_year(user=self.officer_a, commune=self.commune_a, year=2026, children=5, denominator=3000)
        self.submission.refresh_from_db()
        self.assertEqual(self.submission.snapshot.data, frozen)  # type: ignore[union-attr]
        after = self._files()
        self.assertEqual(docx_text(after["docx"]), docx_text(before["docx"]))
        self.assertEqual(xlsx_cells(after["xlsx"]), xlsx_cells(before["xlsx"]))
        self.assertIn("(3/2.857 trẻ em)", " ".join(pdf_text(after["pdf"]).split()))

        self.client.force_login(self.officer_a)
        response = self.client.get(reverse("reports:submission_changes", args=[self.submission.pk]))
        self.assertContains(response, "Thay đổi kể từ khi gửi")
        rows = response.context["rows"]
        totals = [r for r in rows if r["label"] and not r["group"] and "3/2.857" in f"{r['before']['numerator']}/{r['before']['denominator']}"]
        self.assertEqual(len(totals), 1)
        self.assertEqual((totals[0]["after"]["numerator"], totals[0]["after"]["denominator"]), ("8", "3.000"))  # 3 before plus 5 found since
        self.assertIn("numerator", totals[0]["moved"])

    def test_it_builds_the_aggregate_report_of_the_province(self) -> None:
        period = self.submission.period_id
        body = self._period_get(period, "docx")
        text = docx_text(body)
        # Decree 30 writes a province's name under "ỦY BAN NHÂN DÂN", on its own line.
        self.assertIn("ỦY BAN NHÂN DÂN\nTỈNH THANH HÓA", text)
        self.assertIn("Trên cơ sở báo cáo của 1/2 xã đã được thẩm định và chấp nhận", text)
        self.assertIn("Xã Triệu Sơn", text)  # not yet accepted, named
        self.assertIn("(3/2.857 trẻ em)", text)
        wb = load_workbook(io.BytesIO(self._period_get(period, "xlsx")))
        ws = wb["ND3 Phòng ngừa, hỗ trợ"]
        names = [row[1] for row in ws.iter_rows(min_row=8, values_only=True) if row[1]]
        self.assertEqual(names[:2], ["Xã Tân Ninh", "Tổng cộng"])
