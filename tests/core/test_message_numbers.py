"""Issue 19: numbers built in Python messages are in Vietnamese format ("1.234"), like the pages.

An import of 1,234 children says "Đã nhập 1.234 trẻ em" (before: "1234", the msgid used
%(count)d), and a bad row past the thousandth is named "Dòng 12.345"."""

from __future__ import annotations

import datetime as dt
import itertools

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import SimpleTestCase

from clms.core.imports import RowError
from clms.people.models import Child
from clms.reports import texts
from tests.base import PersonaTestCase
from tests.people.imports import import_file

HEADER = "Họ và tên;Giới tính;Ngày sinh;Dân tộc;Số định danh cá nhân;Thôn;Chủ hộ;Hộ nghèo, cận nghèo;Tình trạng đi học;Lớp;Ngày bỏ học"
FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô", "Dương"]
MIDDLE = ["Văn", "Thị", "Minh", "Đức", "Ngọc", "Quang", "Thu", "Hữu"]
GIVEN = ["An", "Bình", "Châu", "Dũng", "Giang", "Hà", "Khánh", "Lâm", "Mai", "Nam", "Phúc", "Quân", "Sơn"]


def rows(n: int) -> list[str]:
    names = itertools.islice(itertools.product(FAMILY, MIDDLE, GIVEN), n)
    start = dt.date(2010, 1, 1)
    return [
        f"{' '.join(name)};{'Nữ' if i % 2 else 'Nam'};{(start + dt.timedelta(days=i * 2)):%d/%m/%Y};Kinh;;Thôn 1;;;;;"
        for i, name in enumerate(names)
    ]


def upload(lines: list[str]) -> SimpleUploadedFile:
    return SimpleUploadedFile("tre-em.csv", ("\n".join([HEADER, *lines]) + "\n").encode(), content_type="text/csv")


class ImportCountTestCase(PersonaTestCase):
    def test_it_says_how_many_children_were_imported_with_a_thousands_dot(self) -> None:
        self.client.force_login(self.officer_a)
        response = import_file(self.client, upload(rows(1234)))
        self.assertEqual(Child.objects.count(), 1234)
        self.assertContains(response, "Đã nhập 1.234 trẻ em.")


class PythonFormattersTestCase(SimpleTestCase):
    def test_they_all_group_thousands_as_the_templates_do(self) -> None:
        from clms.core.templatetags.vn_format import vn_number
        from clms.employers.services.violations import _money
        from clms.people.presenters import money

        self.assertEqual(vn_number(1234567), "1.234.567")
        self.assertEqual(texts.vn_int(1234567), "1.234.567")
        self.assertEqual(texts.vn_int(None), "-")
        self.assertEqual(_money(40000000), "40.000.000")
        self.assertEqual(money(40000000), "40.000.000")
        with self.settings(LANGUAGE_CODE="vi"):
            self.assertEqual(str(RowError(row=12345, column="Thôn", message="?")), "Dòng 12.345, cột “Thôn”: ?")
