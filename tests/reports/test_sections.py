"""Part II of the report, "what was done under each content area", from the records.

A commune gets known records in every section (tasks, outreach, cases and referrals,
inspections and violations, budget, pilot models).  Each figure is read back from the DOCX
(python-docx), the XLSX (openpyxl) and the PDF (pdftotext) and compared with the number the
app's own pages show the commune's officer; the other commune's records must not leak in, and
no file carries a child's name.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from typing import Any

from django.urls import reverse
from django.utils import timezone
from docx import Document
from openpyxl import load_workbook

from clms.accounts.models import Agency
from clms.cases.models import Referral, ReferralStatus, State
from clms.employers.models import FoundChild, Violation, ViolationStatus
from clms.outreach.models import ActivityKind
from clms.outreach.selectors import reach_summary
from clms.people.models import Child
from clms.places.models import Denominator
from clms.plans.models import (
    FundingSource,
    PilotModelType,
    Plan,
    PlanAgency,
    PlanLevel,
    Task,
    TaskStatus,
)
from clms.reports import services
from clms.reports.documents.parts import _labels
from clms.reports.models import Submission
from clms.reports.sections import aggregate_sections
from clms.reports.texts import vn_int
from tests.base import PersonaTestCase
from tests.cases.factories import ChildFactory, advance, file_report
from tests.employers.factories import EmployerFactory, InspectionFactory
from tests.outreach.factories import ActivityFactory, ReachFactory
from tests.plans.factories import BudgetLineFactory, PilotModelFactory
from tests.reports.factories import CHILD_NAMES, seed_commune_year
from tests.reports.test_documents import pdf_text

YEAR = 2026


def flat(text: str) -> str:
    """Whitespace folded to single spaces: a justified PDF breaks lines anywhere."""
    return re.sub(r"\s+", " ", text).strip()


def docx_paragraphs(body: bytes) -> list[str]:
    doc = Document(io.BytesIO(body))
    return [p.text for p in doc.paragraphs]


def xlsx_facts(body: bytes) -> dict[str, dict[str, Any]]:
    """Sheet → {label: value} of the "Số liệu thực hiện" tables (STT | Nội dung | Số liệu)."""
    wb = load_workbook(io.BytesIO(body))
    found: dict[str, dict[str, Any]] = {}
    for ws in wb.worksheets:
        rows = list(ws.iter_rows(values_only=True))
        table: dict[str, Any] = {}
        inside = False
        for row in rows:
            if row[:3] == ("STT", "Nội dung", "Số liệu"):
                inside = True
                continue
            if inside and isinstance(row[0], int) and isinstance(row[1], str):
                table[row[1]] = row[2]
            elif inside:
                inside = False
        found[ws.title] = table
    return found


def seed_sections(case: type[PersonaTestCase]) -> dict[str, Any]:
    """Known records of commune A in 2026 (and some in commune B and in 2025 that must not count)."""
    officer = case.officer_a
    commune, other = case.commune_a, case.commune_b
    children = seed_commune_year(user=officer, commune=commune, year=YEAR, children=2)
    # III.1: a commune plan whose agencies have tasks in four states.
    plan = Plan.objects.create(
        issuer="Ủy ban nhân dân xã Tân Ninh", number="35/KH-UBND", issued_on=dt.date(2025, 9, 15),
        title="Kế hoạch phòng ngừa lao động trẻ em", scope_level=PlanLevel.COMMUNE, scope_unit=commune,
        period_start=2026, period_end=2030,
    )
    agency = PlanAgency.objects.create(plan=plan, name="Công chức Văn hóa - Xã hội", kind=Agency.LABOUR, level=PlanLevel.COMMUNE)
    for n, task_status in enumerate([TaskStatus.DONE, TaskStatus.DONE, TaskStatus.IN_PROGRESS, TaskStatus.NOT_STARTED]):
        Task.objects.create(agency=agency, order=n, text=f"Nhiệm vụ {n}", status=task_status)
    # III.2: a training (officials) and a campaign (parents) held in 2026, one planned, one in 2025.
    Denominator.objects.update_or_create(unit=commune, year=YEAR, group="parents", defaults={"value": 600})
    training = ActivityFactory.create(unit=commune, kind=ActivityKind.TRAINING, starts_on=dt.date(YEAR, 6, 12))
    ReachFactory.create(activity=training, group="officials", count=12)
    campaign = ActivityFactory.create(unit=commune, kind=ActivityKind.CAMPAIGN, starts_on=dt.date(YEAR, 6, 1))
    ReachFactory.create(activity=campaign, group="parents", count=150)
    ActivityFactory.create(unit=commune, kind=ActivityKind.CAMPAIGN, starts_on=dt.date(YEAR - 1, 6, 1))
    ActivityFactory.create(unit=other, kind=ActivityKind.CAMPAIGN, starts_on=dt.date(YEAR, 6, 1))
    # III.3: cases in three states, a referral delivered and one refused.
    cases = [file_report(user=officer, child=ChildFactory.create(commune=commune)) for _ in range(3)]
    advance(cases[1], State.VERIFYING, user=officer)
    file_report(user=officer, child=ChildFactory.create(commune=commune), emergency=True)
    file_report(user=case.officer_b, child=ChildFactory.create(commune=other))
    now = timezone.now()
    for status in (ReferralStatus.DELIVERED, ReferralStatus.REFUSED):
        Referral.objects.create(case=cases[0], service_type="legal_aid", agency=Agency.JUSTICE, provider_unit=commune, sent_at=now, status=status)
    # III.4: three employers; two inspections in 2026, one in 2025; violations under two articles.
    employers = [EmployerFactory.create(commune=commune) for _ in range(3)]
    EmployerFactory.create(commune=other)
    first = InspectionFactory.create(inspected_on=dt.date(YEAR, 3, 2), employers=employers[:2])
    second = InspectionFactory.create(inspected_on=dt.date(YEAR, 9, 2), employers=employers[:1])
    InspectionFactory.create(inspected_on=dt.date(YEAR - 1, 9, 2), employers=employers[2:])
    violation = {"rule_id": "R1", "description": "Sử dụng lao động chưa đủ 15 tuổi", "legal_basis": "Điều 29",
                 "decree": "Nghị định 12/2022/NĐ-CP", "offender_type": "organisation", "clause": "2"}
    Violation.objects.create(inspection=first, employer=employers[0], code="V1", article="29", fine_min=50_000_000, fine_max=75_000_000,
                             status=ViolationStatus.PENALISED, fine_amount=60_000_000, **violation)
    Violation.objects.create(inspection=first, employer=employers[1], code="V2", article="29", fine_min=50_000_000, fine_max=75_000_000,
                             status=ViolationStatus.CONFIRMED, **violation)
    Violation.objects.create(inspection=second, employer=employers[0], code="V3", article="30", fine_min=10_000_000, fine_max=20_000_000,
                             status=ViolationStatus.PROPOSED, **violation)
    found = children[0]
    FoundChild.objects.create(inspection=first, employer=employers[0], child=found, observation=found.observations.get())
    # III.5 and the pilot models.
    BudgetLineFactory.create(plan=plan, year=YEAR, unit=commune, source=FundingSource.STATE_COMMUNE, planned=20_000_000, spent=15_000_000)
    BudgetLineFactory.create(plan=plan, year=YEAR, unit=commune, source=FundingSource.MOBILISED, planned=5_000_000, spent=5_000_000)
    BudgetLineFactory.create(plan=plan, year=YEAR - 1, unit=commune, source=FundingSource.MOBILISED, planned=7_000_000, spent=0)
    BudgetLineFactory.create(plan=plan, year=YEAR, unit=other, source=FundingSource.MOBILISED, planned=9_000_000, spent=0)
    PilotModelFactory.create(commune=commune, model_type=PilotModelType.objects.order_by("code").first(), beneficiaries=40)
    return {"plan": plan}


class SectionsData(PersonaTestCase):
    """Commune A's known records and its submitted report (no tests of its own)."""

    submission: Submission
    files: dict[str, bytes]

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        seed_sections(cls)
        submission = services.submission_start(user=cls.officer_a, unit=cls.commune_a, year=YEAR)
        submission = services.submission_update(user=cls.officer_a, submission=submission, version=submission.version, signer_name="Nguyễn Văn Ký")
        submission = services.submission_submit(user=cls.officer_a, submission=submission, version=submission.version)
        cls.submission = Submission.objects.get(pk=submission.pk)
        cls.files = {}

    def _file(self, fmt: str) -> bytes:
        if fmt not in self.files:
            self.client.force_login(self.officer_a)
            response = self.client.get(reverse("reports:submission_document", args=[self.submission.pk, fmt]))
            self.assertEqual(response.status_code, 200)
            self.files[fmt] = response.content
        return self.files[fmt]

    def _pages(self) -> dict[str, Any]:
        """The numbers the app's own pages show the commune's officer."""
        self.client.force_login(self.officer_a)
        overview = self.client.get(reverse("employers:overview"), {"year": YEAR}).context["overview"]
        row = next(r for r in overview.rows if r.commune == self.commune_a)
        budget = self.client.get(reverse("plans:budget"), {"year": YEAR, "unit": self.commune_a.pk}).context["totals"]
        states = {}
        for state in (State.REPORTED, State.VERIFYING):
            states[state] = len(self.client.get(reverse("cases:list"), {"state": state}).context["cases"])
        reach = {r.group: r for r in reach_summary(self.commune_a, YEAR)}
        return {"row": row, "budget": budget, "states": states, "reach": reach}

    def expected_sentences(self) -> list[str]:
        pages = self._pages()
        row, budget, states, reach = pages["row"], pages["budget"], pages["states"], pages["reach"]
        labels = _labels()
        # The sentences are built from the pages' numbers, not copied from the report.
        self.assertEqual((row.inspections, row.open_violations, row.children_found, row.employers), (2, 3, 1, 3))
        self.assertEqual((budget.planned, budget.spent), (25_000_000, 20_000_000))
        cases_total = sum(states.values())
        state_text = ", ".join(f"{labels['state'][s].lower()} {states[s]}" for s in states)
        return [
            "Các cơ quan, đơn vị được giao 4 nhiệm vụ: hoàn thành 2, thực hiện thường xuyên 0, đang thực hiện 1, chưa triển khai 1.",
            "Tổ chức 2 hoạt động truyền thông, tập huấn (chiến dịch truyền thông: 1, tập huấn: 1).".replace(
                "chiến dịch truyền thông", labels["kind"]["campaign"].lower()).replace("tập huấn: 1", f"{labels['kind']['training'].lower()}: 1"),
            f"- {labels['group']['officials']}: {reach['officials'].count};",
            f"- {labels['group']['parents']}: {reach['parents'].count} (25% so với 600);",
            f"Tiếp nhận {cases_total} trường hợp trẻ em lao động, có nguy cơ trong năm, trong đó 1 trường hợp khẩn cấp. "
            f"Tình trạng xử lý hiện nay: {state_text}.",
            f"- {labels['service']['legal_aid']}: 2 lượt (đã cung cấp 1, đang thực hiện 0, từ chối 1);",
            f"Trên địa bàn có {row.employers} cơ sở sử dụng lao động đang hoạt động, {row.craft_villages} làng nghề; "
            f"{row.active_commitments} cam kết không sử dụng lao động trẻ em trái pháp luật còn hiệu lực.",
            f"Trong năm tổ chức {row.inspections} cuộc thanh tra, kiểm tra tại 2 cơ sở; phát hiện {row.children_found} lượt trẻ em "
            f"làm việc tại các cơ sở được kiểm tra; ghi nhận 3 vi phạm; hiện còn {row.open_violations} vi phạm chưa khắc phục xong.",
            "- Điều 29 Nghị định 12/2022/NĐ-CP: 2 vi phạm, mức phạt theo quy định từ 100.000.000 đến 150.000.000 đồng;",
            "- Điều 30 Nghị định 12/2022/NĐ-CP: 1 vi phạm, mức phạt theo quy định từ 10.000.000 đến 20.000.000 đồng;",
            "Đã ra quyết định xử phạt 1 vi phạm với tổng số tiền 60.000.000 đồng.",
            f"Kinh phí thực hiện năm {YEAR}: dự toán {vn_int(budget.planned)} đồng, đã sử dụng {vn_int(budget.spent)} đồng (đạt 80% dự toán).",
            f"- {labels['source']['state_commune']}: dự toán 20.000.000 đồng, đã sử dụng 15.000.000 đồng;",
            "Duy trì 1 mô hình với 40 người hưởng lợi:",
        ]



class SectionsTestCase(SectionsData):
    def test_it_says_every_section_in_the_docx_as_the_pages_count_it(self) -> None:
        paragraphs = docx_paragraphs(self._file("docx"))
        for sentence in self.expected_sentences():
            self.assertIn(sentence, paragraphs)
        self.assertNotIn("Không có.", paragraphs[: paragraphs.index(next(p for p in paragraphs if p.startswith("III.")))])

    def test_it_says_every_section_in_the_pdf(self) -> None:
        text = flat(pdf_text(self._file("pdf")))
        for sentence in self.expected_sentences():
            self.assertIn(flat(sentence), text)

    def test_it_puts_the_figures_in_the_annex_sheets(self) -> None:
        pages = self._pages()
        row, budget = pages["row"], pages["budget"]
        facts = xlsx_facts(self._file("xlsx"))
        inspections = facts["ND4 Thanh tra"]
        self.assertEqual(inspections["Cuộc thanh tra, kiểm tra"], row.inspections)
        self.assertEqual(inspections["Vi phạm chưa khắc phục xong"], row.open_violations)
        self.assertEqual(inspections["Lượt trẻ em phát hiện làm việc"], row.children_found)
        self.assertEqual(inspections["Cơ sở được kiểm tra"], 2)
        self.assertEqual(inspections["Vi phạm Điều 29 Nghị định 12/2022/NĐ-CP"], 2)
        self.assertEqual(inspections["Tiền phạt đã quyết định (đồng)"], 60_000_000)
        self.assertEqual(facts["ND5 Nguồn lực"]["Kinh phí dự toán (đồng)"], budget.planned)
        self.assertEqual(facts["ND5 Nguồn lực"]["Kinh phí đã sử dụng (đồng)"], budget.spent)
        self.assertEqual(facts["ND1 Quản lý"]["Nhiệm vụ hoàn thành"], 2)
        self.assertEqual(facts["ND2 Truyền thông"]["Hoạt động truyền thông, tập huấn"], 2)
        self.assertEqual(facts["ND3 Phòng ngừa, hỗ trợ"]["Lượt chuyển gửi dịch vụ"], 2)
        self.assertEqual(facts["ND3 Phòng ngừa, hỗ trợ"]["Người hưởng lợi từ mô hình điểm"], 40)

    def test_it_names_no_child_in_any_file(self) -> None:
        names = [*CHILD_NAMES, *Child.objects.values_list("full_name", flat=True)]
        docx = "\n".join(docx_paragraphs(self._file("docx")))
        wb = load_workbook(io.BytesIO(self._file("xlsx")))
        xlsx = "\n".join(str(c) for ws in wb.worksheets for r in ws.iter_rows(values_only=True) for c in r if c is not None)
        pdf = pdf_text(self._file("pdf"))
        for name in names:
            for text in (docx, xlsx, pdf):
                self.assertNotIn(name, text)

    def test_it_sums_the_sections_of_accepted_reports_for_the_province(self) -> None:
        assert self.submission.snapshot is not None  # noqa: S101 - submitted in setUpTestData
        part = self.submission.snapshot.data["sections"]
        total = aggregate_sections([part, part, {}])
        self.assertEqual(total["inspections"]["inspections"], 2 * part["inspections"]["inspections"])
        self.assertEqual(total["resources"]["planned"], 50_000_000)
        self.assertEqual((total["parts"], total["complete"]), (3, 2))
        # Two communes implementing one plan report the same tasks: counted once.
        self.assertEqual(sum(a["done"] for a in total["management"]["agencies"]), 2)
        self.assertEqual(total["inspections"]["articles"][0]["count"], 4)

    def test_it_serves_a_frozen_file_again_from_the_cache_until_the_report_changes(self) -> None:
        from unittest import mock

        from django.core.cache import cache

        from clms.reports.documents import render as documents

        cache.clear()
        self.client.force_login(self.officer_a)
        url = reverse("reports:submission_document", args=[self.submission.pk, "docx"])
        with mock.patch.object(documents, "render", wraps=documents.render) as made:
            first = self.client.get(url).content
            self.assertEqual(self.client.get(url).content, first)
            self.assertEqual(made.call_count, 1)
            # A return makes it editable again: a new version, a new file.
            services.submission_return(user=self.supervisor, submission=self.submission, version=self.submission.version, reason="Bổ sung.")
            self.client.get(url)
            self.assertEqual(made.call_count, 2)
