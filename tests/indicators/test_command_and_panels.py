"""The ``indicators`` command and the home-page panels."""

from __future__ import annotations

import json
from io import StringIO

from django.core.management import CommandError, call_command

from clms.places.models import Level, Scheme
from tests.base import PersonaTestCase
from tests.factories import AdminUnitFactory
from tests.indicators import fixture


class CommandTestCase(PersonaTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        fixture.build(cls)

    def run_command(self, *args: str) -> str:
        out = StringIO()
        call_command("indicators", *args, stdout=out)
        return out.getvalue()

    def test_it_prints_the_unit_and_its_communes(self) -> None:
        out = self.run_command("--unit", self.province.code, "--year", "2025")
        lines = [line for line in out.splitlines() if "CL_RATE" in line]
        # The province, then A and B.
        self.assertEqual(len(lines), 3)
        self.assertIn("Xã Triệu Sơn", lines[2])
        self.assertIn("0.67%", lines[2])
        self.assertIn("off_track", lines[2])

    def test_it_prints_json_in_the_old_structure(self) -> None:
        out = self.run_command("--unit", self.district.code, "--year", "2025", "--structure", "before-2025", "--json")
        data = json.loads(out)
        self.assertEqual([r["name"] for r in data["rows"]], ["Xã Vân Sơn", "Xã Thái Hòa", "Xã Minh Sơn"])
        self.assertEqual(data["rows"][2]["values"]["CL_RATE"]["numerator"], 2)

    def test_it_refuses_an_unknown_or_ambiguous_code(self) -> None:
        with self.assertRaisesMessage(CommandError, "No unit has code 99999"):
            self.run_command("--unit", "99999", "--year", "2025")
        # The district code does not exist in the post-2025 list.
        with self.assertRaisesMessage(CommandError, "No unit has code 397 in the after-2025 list"):
            self.run_command("--unit", "397", "--year", "2025")
        AdminUnitFactory.create(code="555", scheme=Scheme.POST_2025, level=Level.COMMUNE, parent=self.province)
        AdminUnitFactory.create(code="555", scheme=Scheme.BOTH, level=Level.DISTRICT, parent=self.province)
        with self.assertRaisesMessage(CommandError, "ambiguous"):
            self.run_command("--unit", "555", "--year", "2025")


class PanelTestCase(PersonaTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        fixture.build(cls)

    def test_it_adds_a_summary_to_each_home_page(self) -> None:
        self.client.force_login(self.officer_b)
        body = self.client.get("/").content.decode()
        self.assertIn("Chỉ tiêu của xã năm", body)
        self.assertIn("bước xử lý vụ việc quá hạn", body)
        self.client.force_login(self.supervisor)
        body = self.client.get("/").content.decode()
        self.assertIn("Tất cả các xã so với chỉ tiêu", body)
        self.client.force_login(self.viewer)
        body = self.client.get("/").content.decode()
        self.assertIn("Số liệu theo từng xã", body)
        self.assertNotIn("/indicators/drill/", body)
