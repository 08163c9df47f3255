import datetime as dt
import io

from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook, load_workbook

from clms.accounts.models import AuditEvent
from clms.people.importers import COLUMNS
from clms.people.models import Child, Household, RiskAssessment
from tests.base import PersonaTestCase
from tests.people.factories import ChildFactory
from tests.people.imports import import_file


def csv_file(rows: list[str], *, bom: bool = False, header: str | None = None) -> SimpleUploadedFile:
    head = header or ";".join(
        ["Họ và tên", "Giới tính", "Ngày sinh", "Dân tộc", "Số định danh cá nhân", "Thôn", "Chủ hộ",
         "Hộ nghèo, cận nghèo", "Tình trạng đi học", "Lớp", "Ngày bỏ học"]
    )
    text = "\n".join([head, *rows]) + "\n"
    data = ("\ufeff" + text if bom else text).encode("utf-8")
    return SimpleUploadedFile("tre-em.csv", data, content_type="text/csv")


class ImportTestCase(PersonaTestCase):
    url = "/register/import/"

    def post(self, user, upload):
        """The import's page once the worker has run it."""
        self.client.force_login(user)
        return import_file(self.client, upload)

    def test_it_imports_a_utf8_csv_with_bom(self) -> None:
        upload = csv_file([
            "Nguyễn Văn An;Nam;15/03/2013;Kinh;;Thôn 1;Nguyễn Văn Bình;Cận nghèo;Bỏ học;;01/09/2025",
            "Nguyễn Thị Bé;Nữ;02/11/2016;Mường;001216000123;thon 1;Nguyễn Văn Bình;Cận nghèo;Đang đi học;4;",
        ], bom=True)
        response = self.post(self.officer_a, upload)
        self.assertContains(response, "Đã nhập 2 trẻ em.")
        an = Child.objects.get(full_name="Nguyễn Văn An")
        be = Child.objects.get(full_name="Nguyễn Thị Bé")
        self.assertEqual(an.dob, dt.date(2013, 3, 15))
        self.assertEqual(an.village, self.village_a)
        self.assertEqual(an.commune, self.commune_a)
        self.assertEqual(an.school_status, "dropped_out")
        self.assertEqual(be.ethnicity, "06")
        self.assertEqual(an.household_id, be.household_id)
        self.assertEqual(Household.objects.get().poverty_status, "near_poor")
        self.assertEqual(an.risk_level, "medium")
        self.assertEqual(RiskAssessment.objects.count(), 2)
        event = AuditEvent.objects.get(action="import")
        self.assertEqual(set(event.object_ids), {str(an.pk), str(be.pk)})

    def test_it_writes_nothing_when_one_row_is_bad_and_names_row_and_column(self) -> None:
        upload = csv_file([
            "Nguyễn Văn An;Nam;15/03/2013;Kinh;;Thôn 1;;;;;",
            "Trần Văn Bốn;Nam;2013-03-15;Kinh;;Thôn 1;;;;;",
            "Lê Thị Năm;Nữ;01/01/2014;Kinh;12345;Thôn 9;;;;;",
        ])
        response = self.post(self.officer_a, upload)
        self.assertFalse(Child.objects.exists())
        self.assertFalse(Household.objects.exists())
        self.assertFalse(AuditEvent.objects.filter(action="import").exists())
        self.assertContains(response, "Tệp có 3 lỗi; không có dòng nào được lưu.")
        self.assertContains(response, "Dòng 3, cột “Ngày sinh”")
        self.assertContains(response, "Dòng 4, cột “Số định danh cá nhân”")
        self.assertContains(response, f"Dòng 4, cột “{COLUMNS['village']}”")

    def test_it_refuses_a_village_of_another_commune(self) -> None:
        response = self.post(self.officer_b, csv_file(["Nguyễn Văn An;Nam;15/03/2013;Kinh;;Thôn 1;;;;;"]))
        self.assertContains(response, f"Dòng 2, cột “{COLUMNS['village']}”")
        self.assertFalse(Child.objects.exists())

    def test_it_refuses_duplicates_within_the_file_and_against_the_register(self) -> None:
        ChildFactory.create(full_name="Phạm Thị Hồng", dob=dt.date(2012, 5, 6), village=self.village_a)
        upload = csv_file([
            "Pham Thi Hong;Nữ;05/06/2012;Kinh;;Thôn 1;;;;;",
            "Lò Văn Pao;Nam;01/01/2011;Thái;;Thôn 1;;;;;",
            "LO VAN PAO;Nam;01/01/2011;Thái;;Thôn 1;;;;;",
        ])
        response = self.post(self.officer_a, upload)
        self.assertContains(response, "Dòng 2, cột “Họ và tên”: Có thể là trẻ Phạm Thị Hồng, sinh ngày 06/05/2012")
        self.assertContains(response, "Dòng 4, cột “Họ và tên”: Có thể là cùng một trẻ với dòng 3.")
        self.assertEqual(Child.objects.count(), 1)

    def test_it_accepts_a_confirmed_different_child(self) -> None:
        ChildFactory.create(full_name="Phạm Thị Hồng", dob=dt.date(2012, 5, 6), village=self.village_a)
        head = "Họ và tên;Giới tính;Ngày sinh;Thôn;Khác trẻ đã có trong sổ"
        response = self.post(self.officer_a, csv_file(["Phạm Thị Hồng;Nữ;06/05/2012;Thôn 1;x"], header=head))
        self.assertContains(response, "Đã nhập 1 trẻ em.")
        self.assertEqual(Child.objects.count(), 2)

    def test_it_imports_an_xlsx_with_date_cells(self) -> None:
        wb = Workbook()
        ws = wb.active
        ws.append([str(COLUMNS[k]) for k in ("full_name", "sex", "dob", "village")])
        excel_day = dt.datetime(2014, 2, 1)  # noqa: DTZ001 - Excel cells carry no time zone
        ws.append(["Hà Văn Sáu", "Nam", excel_day, "Thôn 1"])
        out = io.BytesIO()
        wb.save(out)
        upload = SimpleUploadedFile("tre.xlsx", out.getvalue())
        self.assertContains(self.post(self.officer_a, upload), "Đã nhập 1 trẻ em.")
        self.assertEqual(Child.objects.get().dob, dt.date(2014, 2, 1))

    def test_it_reports_a_missing_column(self) -> None:
        response = self.post(self.officer_a, csv_file(["Hà;Nam"], header="Họ và tên;Giới tính"))
        self.assertContains(response, "Dòng 1, cột “Ngày sinh”: Dòng tiêu đề thiếu cột này.")

    def test_it_is_for_officers_only(self) -> None:
        self.assertEqual(self.client.get(self.url).status_code, 302)
        for user in (self.collaborator, self.viewer, self.agency):
            self.client.force_login(user)
            self.assertEqual(self.client.get(self.url).status_code, 403)
            self.assertEqual(self.client.get("/register/import/template.xlsx").status_code, 403)

    def test_it_offers_a_template_with_vietnamese_headers(self) -> None:
        self.client.force_login(self.officer_a)
        response = self.client.get("/register/import/template.xlsx")
        wb = load_workbook(io.BytesIO(response.content))
        header = [c.value for c in wb.worksheets[0][1]]
        self.assertEqual(header[:3], ["Họ và tên", "Giới tính", "Ngày sinh"])


class ExportTestCase(PersonaTestCase):
    evil: Child
    plain: Child
    other: Child
    url = "/register/export.xlsx"

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.evil = ChildFactory.create(full_name="=HYPERLINK(\"http://x\")", village=cls.village_a)
        cls.plain = ChildFactory.create(full_name="Nguyễn Văn An", village=cls.village_a, sex="M")
        cls.other = ChildFactory.create(full_name="Trần Văn B", village=cls.village_b)

    def rows(self, response) -> list[list]:
        """The table's rows after the title row, the blank row and the header row."""
        wb = load_workbook(io.BytesIO(response.content))
        return [[c.value for c in row] for row in wb.worksheets[0].iter_rows(min_row=3)]

    def test_it_exports_the_filtered_list_of_the_area_and_audits_it(self) -> None:
        self.client.force_login(self.officer_a)
        response = self.client.get(self.url, {"q": "nguyen van an"})
        rows = self.rows(response)
        self.assertEqual(rows[0][:3], ["Số thứ tự", "Mã hồ sơ", "Họ và tên"])
        self.assertEqual([r[2] for r in rows[1:]], ["Nguyễn Văn An"])
        event = AuditEvent.objects.get(action="export")
        self.assertEqual(event.object_ids, [str(self.plain.pk)])

    def test_it_guards_against_formula_injection(self) -> None:
        self.client.force_login(self.officer_a)
        rows = self.rows(self.client.get(self.url))
        names = [r[2] for r in rows[1:]]
        self.assertIn("'=HYPERLINK(\"http://x\")", names)
        self.assertNotIn(self.other.pk, [r[1] for r in rows[1:]])

    def test_it_numbers_the_rows_and_keeps_the_record_id_and_prints(self) -> None:
        self.client.force_login(self.officer_a)
        response = self.client.get(self.url)
        wb = load_workbook(io.BytesIO(response.content))
        ws = wb.worksheets[0]
        self.assertTrue(str(ws["A1"].value).startswith("Sổ theo dõi trẻ em, xuất ngày "))
        rows = self.rows(response)[1:]
        self.assertEqual([r[0] for r in rows], [1, 2])  # 1, 2, 3..., not database ids
        self.assertEqual(sorted(r[1] for r in rows), sorted([self.evil.pk, self.plain.pk]))
        dob = ws.cell(row=4, column=5)
        self.assertEqual(dob.number_format, "DD/MM/YYYY")
        self.assertGreaterEqual(ws.column_dimensions["E"].width, 10)  # a date never shows "###"
        self.assertEqual(ws.cell(row=4, column=3).border.left.style, "thin")
        self.assertEqual(ws.freeze_panes, "A4")
        self.assertEqual(ws.print_title_rows, "$3:$3")
        self.assertEqual(ws.page_setup.orientation, "landscape")
        self.assertEqual(ws.page_setup.fitToWidth, 1)
        self.assertTrue(ws.sheet_properties.pageSetUpPr.fitToPage)

    def test_it_is_refused_to_roles_that_may_not_export(self) -> None:
        self.assertEqual(self.client.get(self.url).status_code, 302)
        for user in (self.collaborator, self.viewer, self.agency):
            self.client.force_login(user)
            self.assertEqual(self.client.get(self.url).status_code, 403)
        self.assertFalse(AuditEvent.objects.filter(action="export").exists())

    def test_officer_b_exports_nothing_of_commune_a(self) -> None:
        self.client.force_login(self.officer_b)
        rows = self.rows(self.client.get(self.url))
        self.assertEqual([r[2] for r in rows[1:]], ["Trần Văn B"])


class ImportTemplateTestCase(PersonaTestCase):
    def test_it_never_imports_the_example_and_offers_drop_downs(self) -> None:
        self.client.force_login(self.officer_a)
        template = self.client.get("/register/import/template.xlsx").content
        wb = load_workbook(io.BytesIO(template))
        data = wb.worksheets[0]
        # The header only (the date cells are formatted, empty): the example sits on its own sheet.
        self.assertEqual([r for r in data.iter_rows(min_row=2, values_only=True) if any(r)], [])
        example = next(s for s in wb.worksheets if "không nhập" in s.title)
        self.assertIn("Nguyễn Văn An", [c.value for c in example[3]])
        ranges = {str(v.sqref): v for v in data.data_validations.dataValidation}
        kinds = sorted(v.type for v in ranges.values())
        self.assertEqual(kinds.count("date"), 2)
        self.assertGreaterEqual(kinds.count("list"), 5)  # sex, ethnicity, school, poverty, commune, village
        sex = next(v for v in ranges.values() if v.type == "list" and v.formula1 and "$A$2:$A$3" in v.formula1)
        self.assertEqual(str(sex.sqref), "B2:B1001")
        lists = wb[sex.formula1.split("!")[0].strip("'")]
        self.assertEqual([lists["A2"].value, lists["A3"].value], ["Nam", "Nữ"])
        self.assertEqual(lists.sheet_state, "hidden")
        villages = [c.value for c in lists["F"][1:] if c.value]
        self.assertIn(self.village_a.name, villages)
        # Uploaded unchanged, the template creates no child: "the file has no data rows".
        upload = SimpleUploadedFile("mau.xlsx", template)
        response = import_file(self.client, upload)
        self.assertEqual(Child.objects.count(), 0)
        self.assertContains(response, "không có dòng dữ liệu")
