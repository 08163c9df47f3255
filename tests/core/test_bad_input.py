"""Each input of issue 16's table that answered 500: now a clear answer, and nothing written."""

from __future__ import annotations

import io
import zipfile

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from openpyxl import Workbook

from clms.employers.models import FoundChild
from clms.outreach.models import Reach
from clms.people.models import Child, Household
from clms.places.models import Denominator
from clms.reports import services as report_services
from clms.reports.models import Submission
from tests.base import PersonaTestCase
from tests.employers.helpers import EmployerTestCase
from tests.outreach.factories import ActivityFactory
from tests.people.factories import ChildFactory
from tests.people.imports import URL as REGISTER_IMPORT
from tests.people.imports import import_file
from tests.people.test_forms_flow import child_data, household_data
from tests.reports.factories import seed_commune_year
from tests.reports.test_documents import docx_text

DIGITS_25 = "1" * 25


def no_raise_client(case: PersonaTestCase, user: object) -> Client:
    """A client that answers 500 like the server would, instead of raising into the test."""
    client = Client(raise_request_exception=False)
    client.force_login(user)  # type: ignore[arg-type]
    return client


class DateOfBirthTestCase(EmployerTestCase):
    def test_it_refuses_a_birth_in_9999_on_the_register_form(self) -> None:
        client = no_raise_client(self, self.officer_a)
        response = client.post("/register/new/", {**household_data(self.village_a), **child_data(**{"child-dob": "31/12/9999"})})
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "Ngày sinh phải trong khoảng")
        self.assertFalse(Child.objects.exists())
        self.assertFalse(Household.objects.exists())

    def test_it_refuses_a_birth_in_9999_on_the_found_child_form(self) -> None:
        inspection = self.inspect()
        client = no_raise_client(self, self.officer_a)
        data = {
            "employer": self.employer.pk, "full_name": "Lê Thị Hoa", "sex": "F", "dob": "31/12/9999",
            "commune": self.commune_a.pk, "job_description": "Vẽ tranh sơn mài", "hours_per_day": "5",
        }
        response = client.post(reverse("employers:inspection_add_child", args=[inspection.pk]), data)
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "Ngày sinh phải trong khoảng")
        self.assertFalse(FoundChild.objects.exists())

    def test_it_refuses_31_february(self) -> None:
        client = no_raise_client(self, self.officer_a)
        response = client.post("/register/new/", {**household_data(self.village_a), **child_data(**{"child-dob": "31/02/2015"})})
        self.assertContains(response, "Nhập một ngày hợp lệ. Ghi ngày theo dạng dd/mm/yyyy")
        self.assertFalse(Child.objects.exists())


class IntegerOverflowTestCase(PersonaTestCase):
    def test_it_refuses_a_25_digit_reach_figure(self) -> None:
        activity = ActivityFactory.create(unit=self.commune_a, created_by=self.officer_a)
        client = no_raise_client(self, self.officer_a)
        page = client.get(reverse("outreach:edit", args=[activity.pk]))
        self.assertEqual(page.status_code, 200)
        data = {
            "kind": activity.kind, "title": activity.title, "unit": str(self.commune_a.pk),
            "starts_on": activity.starts_on.strftime("%d/%m/%Y"), "status": activity.status,
            "version": str(activity.version), "reach_children": DIGITS_25,
        }
        response = client.post(reverse("outreach:edit", args=[activity.pk]), data)
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "không lớn hơn 2.147.483.647")  # the bound in Vietnamese digits (issue 19)
        self.assertFalse(Reach.objects.filter(activity=activity).exists())


class QueryStringTestCase(PersonaTestCase):
    def test_it_answers_hand_edited_ids_without_a_500(self) -> None:
        client = no_raise_client(self, self.officer_a)
        for url, expected in (
            (f"/register/worklist/?village={DIGITS_25}", 200),
            ("/register/worklist/?village=-3", 200),
            ("/register/merge/?a=x&b=y", 404),
            (f"/register/merge/?a={DIGITS_25}&b=1", 404),
            ("/register/new/?household=abc", 404),
            (f"/register/new/?household={DIGITS_25}", 404),
        ):
            self.assertEqual(client.get(url).status_code, expected, url)

    def test_it_ignores_a_nul_byte_in_searches(self) -> None:
        ChildFactory.create(full_name="Nguyễn Văn An", village=self.village_a)
        client = no_raise_client(self, self.officer_a)
        response = client.get("/employers/children/options/?child_q=ng%00uyen")
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "Nguyễn Văn An")
        self.assertEqual(client.get("/employers/craft-villages/?q=x%00y").status_code, 200)
        self.assertEqual(client.get("/register/?q=an%00%07").status_code, 200)


class StoredControlCharactersTestCase(PersonaTestCase):
    def test_the_report_files_are_written_despite_control_characters_in_the_texts(self) -> None:
        seed_commune_year(user=self.officer_a, commune=self.commune_a, year=2026, children=1)
        submission = report_services.submission_start(user=self.officer_a, unit=self.commune_a, year=2026)
        # As pasted from Word before the forms removed them: bell, vertical tab, escape.
        Submission.objects.filter(pk=submission.pk).update(
            difficulties="Thiếu\x07 kinh phí\x0b.\x1b", proposals="Đề\x1b xuất", signer_name="Lê\x0b Quang Trung"
        )
        client = no_raise_client(self, self.officer_a)
        for fmt in ("docx", "xlsx", "pdf"):
            response = client.get(reverse("reports:submission_document", args=[submission.pk, fmt]))
            self.assertEqual(response.status_code, 200, fmt)
        docx = client.get(reverse("reports:submission_document", args=[submission.pk, "docx"]))
        text = docx_text(docx.content)
        self.assertIn("Thiếu kinh phí", text)
        self.assertIn("Lê Quang Trung", text)
        self.assertNotRegex(text, "[\x00-\x08\x0b\x0c\x0e-\x1f]")

    def test_the_forms_remove_control_characters_before_saving(self) -> None:
        client = no_raise_client(self, self.officer_a)
        data = {**household_data(self.village_a, **{"hh-head_name": "Lê Văn\x07 Nam"}),
                **child_data(**{"child-full_name": "Lê Thị\x0b Hoa", "child-note": "Dòng 1\nDòng\x1b 2"})}
        self.assertEqual(client.post("/register/new/", data).status_code, 302)
        child = Child.objects.get()
        self.assertEqual((child.full_name, child.note), ("Lê Thị Hoa", "Dòng 1\nDòng 2"))
        self.assertEqual(Household.objects.get().head_name, "Lê Văn Nam")

    def test_a_name_with_a_right_to_left_override_or_zero_width_space_is_refused(self) -> None:
        client = no_raise_client(self, self.officer_a)
        for name in ("Lê Thị \u202eaoH", "Lê Thị\u200b Hoa"):
            response = client.post("/register/new/", {**household_data(self.village_a), **child_data(**{"child-full_name": name})})
            self.assertEqual(response.status_code, 200)
            self.assertContains(response, "ký tự ẩn")
        self.assertFalse(Child.objects.exists())

    def test_decomposed_vietnamese_is_stored_composed(self) -> None:
        import unicodedata

        client = no_raise_client(self, self.officer_a)
        name = unicodedata.normalize("NFD", "Lê Thị Hoà")
        data = {**household_data(self.village_a), **child_data(**{"child-full_name": name})}
        self.assertEqual(client.post("/register/new/", data).status_code, 302)
        self.assertEqual(Child.objects.get().full_name, unicodedata.normalize("NFC", "Lê Thị Hoà"))


def broken_xlsx() -> bytes:
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(["Họ và tên", "Giới tính", "Ngày sinh"])
    ws.append(["Nguyễn Văn An", "Nam", "15/03/2013"])
    good = io.BytesIO()
    wb.save(good)
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(good.getvalue())) as src, zipfile.ZipFile(out, "w") as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = data[: len(data) // 2]  # the sheet XML cut in the middle
            dst.writestr(item, data)
    return out.getvalue()


class ImportTestCase(PersonaTestCase):
    def _post(self, url: str, name: str, content: bytes) -> object:
        """The page that shows the import's outcome: the register's import runs in the worker."""
        client = no_raise_client(self, self.officer_a)
        upload = SimpleUploadedFile(name, content)
        if url == REGISTER_IMPORT:
            return import_file(client, upload)
        return client.post(url, {"file": upload})

    def test_a_zip_with_broken_sheet_xml_is_refused_with_a_message(self) -> None:
        for url in (REGISTER_IMPORT, reverse("places:denominator_import")):
            response = self._post(url, "tre-em.xlsx", broken_xlsx())
            self.assertEqual(response.status_code, 200, url)  # type: ignore[attr-defined]
            self.assertContains(response, "không phải là bảng tính XLSX hợp lệ")  # type: ignore[arg-type]
        self.assertFalse(Child.objects.exists())

    def test_a_csv_cell_over_131072_characters_is_refused_with_its_row(self) -> None:
        head = "Họ và tên;Giới tính;Ngày sinh;Thôn\n"
        body = f"Nguyễn Văn An;Nam;15/03/2013;Thôn 1\n\"{'x' * 140_000}\";Nam;15/03/2013;Thôn 1\n"
        response = self._post(REGISTER_IMPORT, "tre-em.csv", (head + body).encode())
        self.assertEqual(response.status_code, 200)  # type: ignore[attr-defined]
        self.assertContains(response, "Dòng 3")  # type: ignore[arg-type]
        self.assertFalse(Child.objects.exists())

    def test_a_nul_byte_in_a_csv_name_is_not_stored(self) -> None:
        head = "Họ và tên;Giới tính;Ngày sinh;Thôn\n"
        body = "Nguyễn\x00 Văn An;Nam;15/03/2013;Thôn 1\n"
        response = self._post(REGISTER_IMPORT, "tre-em.csv", (head + body).encode())
        self.assertContains(response, "Đã nhập 1 trẻ em.")  # type: ignore[arg-type]
        self.assertEqual(Child.objects.get().full_name, "Nguyễn Văn An")

    def test_a_name_with_a_right_to_left_override_is_refused_with_its_row(self) -> None:
        head = "Họ và tên;Giới tính;Ngày sinh;Thôn\n"
        body = "Nguyễn Văn An;Nam;15/03/2013;Thôn 1\nNguyễn \u202enA;Nam;15/03/2013;Thôn 1\n"
        response = self._post(REGISTER_IMPORT, "tre-em.csv", (head + body).encode())
        self.assertEqual(response.status_code, 200)  # type: ignore[attr-defined]
        self.assertContains(response, "Dòng 3")  # type: ignore[arg-type]
        self.assertFalse(Child.objects.exists())

    def test_a_denominator_of_10_to_the_20_is_refused_with_its_row(self) -> None:
        wb = Workbook()
        ws = wb.active
        assert ws is not None
        ws.append(["Mã đơn vị", "Tên đơn vị", "Năm", "Nhóm", "Giá trị"])
        ws.append([self.commune_a.code, "", 2026, "children_5_17", 10**20])
        ws.append([self.commune_a.code, "", 2025, "children_5_17", str(10**20)])
        out = io.BytesIO()
        wb.save(out)
        response = self._post(reverse("places:denominator_import"), "mau-so.xlsx", out.getvalue())
        self.assertEqual(response.status_code, 200)  # type: ignore[attr-defined]
        self.assertContains(response, "Dòng 2")  # type: ignore[arg-type]
        self.assertContains(response, "Dòng 3")  # type: ignore[arg-type]
        self.assertFalse(Denominator.objects.exists())
