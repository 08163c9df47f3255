from io import BytesIO

from django.urls import reverse
from openpyxl import Workbook

from clms.accounts.models import AuditEvent
from clms.places.models import Denominator, DenominatorSource
from tests.base import PersonaTestCase

HEADER = ["Mã đơn vị", "Tên đơn vị", "Năm", "Nhóm", "Giá trị"]


def xlsx(rows: list[list[object]], header: list[str] = HEADER) -> BytesIO:
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(header)
    for row in rows:
        ws.append(row)
    buf = BytesIO()
    wb.save(buf)
    buf.seek(0)
    buf.name = "mau-so.xlsx"
    return buf


class DenominatorImportTestCase(PersonaTestCase):
    url = reverse("places:denominator_import")

    def test_it_imports_a_good_file(self) -> None:
        self.client.force_login(self.officer_a)
        f = xlsx([[self.commune_a.code, "Tân Ninh", 2026, "children_5_17", 8123], [self.a1.code, "", 2024, "Giáo viên và nhân viên cơ sở giáo dục, cơ sở trợ giúp", 140]])
        response = self.client.post(self.url, {"file": f})
        self.assertRedirects(response, reverse("places:denominators"))
        d = Denominator.objects.get(unit=self.commune_a, year=2026, group="children_5_17")
        self.assertEqual((d.value, d.source), (8123, DenominatorSource.IMPORTED))
        self.assertTrue(Denominator.objects.filter(unit=self.a1, year=2024, group="teachers", value=140).exists())
        self.assertTrue(AuditEvent.objects.filter(user=self.officer_a, action="import").exists())

    def test_it_rejects_the_whole_file_and_names_the_row(self) -> None:
        self.client.force_login(self.officer_a)
        f = xlsx(
            [
                [self.commune_a.code, "", 2026, "children_5_17", 8000],
                [self.commune_a.code, "", 2026, "teachers", "nhiều"],
            ]
        )
        response = self.client.post(self.url, {"file": f})
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "Dòng 3, cột “Giá trị”")
        self.assertContains(response, "không có dòng nào được lưu")
        self.assertFalse(Denominator.objects.exists())

    def test_it_refuses_units_outside_my_area(self) -> None:
        self.client.force_login(self.officer_a)
        f = xlsx([[self.commune_b.code, "", 2026, "children_5_17", 10]])
        response = self.client.post(self.url, {"file": f})
        self.assertContains(response, "Dòng 2, cột “Mã đơn vị”")
        self.assertFalse(Denominator.objects.exists())

    def test_it_resolves_a_code_by_the_year(self) -> None:
        # An old commune's code is unknown after the reform.
        self.client.force_login(self.supervisor)
        f = xlsx([[self.a1.code, "", 2026, "children_5_17", 10]])
        response = self.client.post(self.url, {"file": f})
        self.assertContains(response, "Dòng 2")
        self.assertFalse(Denominator.objects.exists())

    def test_it_reports_a_missing_column(self) -> None:
        self.client.force_login(self.officer_a)
        f = xlsx([["1", 2026, 5]], header=["Mã đơn vị", "Năm", "Giá trị"])
        response = self.client.post(self.url, {"file": f})
        self.assertContains(response, "cột “Nhóm”")

    def test_it_rejects_a_file_that_is_not_xlsx(self) -> None:
        self.client.force_login(self.officer_a)
        bad = BytesIO(b"not a workbook")
        bad.name = "so-lieu.xlsx"
        response = self.client.post(self.url, {"file": bad})
        self.assertContains(response, "XLSX")
        self.assertFalse(Denominator.objects.exists())

    def test_it_requires_a_writer_role(self) -> None:
        self.client.force_login(self.viewer)
        response = self.client.get(self.url)
        self.assertEqual(response.status_code, 403)

    def test_it_serves_a_template_with_vietnamese_headers(self) -> None:
        from openpyxl import load_workbook

        self.client.force_login(self.officer_a)
        response = self.client.get(reverse("places:denominator_template"))
        wb = load_workbook(BytesIO(response.content))
        header = [c.value for c in next(wb.worksheets[0].iter_rows(max_row=1))]
        self.assertEqual(header, HEADER)
