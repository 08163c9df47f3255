"""Shared set-up: a craft-village employer in commune A and a child found working there."""

from __future__ import annotations

import datetime as dt
from typing import Any

from clms.employers import services
from clms.employers.models import CraftVillage, Employer, EmployerKind, FoundChild, Inspection
from clms.people.models import Child
from clms.people.services import child_create
from tests.base import PersonaTestCase
from tests.employers.factories import CraftVillageFactory, EmployerFactory, InspectionFactory

INSPECTED_ON = dt.date(2026, 11, 2)


class EmployerTestCase(PersonaTestCase):
    craft_village: CraftVillage
    employer: Employer
    employer_b: Employer

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.craft_village = CraftVillageFactory.create(commune=cls.commune_a, name="Làng sơn mài Hạ Thái")
        cls.employer = EmployerFactory.create(
            commune=cls.commune_a, craft_village=cls.craft_village, name="Cơ sở sơn mài Đức Hạnh"
        )
        cls.employer_b = EmployerFactory.create(commune=cls.commune_b, name="Lò gạch Minh Sơn", sector="construction_materials")

    def make_child(self, *, dob: dt.date, name: str = "Lê Thị Hoa", commune: Any = None, sex: str = "F") -> Child:
        return child_create(
            user=self.supervisor, commune=commune or self.commune_a, full_name=name, sex=sex, dob=dob
        )

    def inspect(self, *, employer: Any = None, on: dt.date = INSPECTED_ON) -> Inspection:
        return InspectionFactory.create(inspected_on=on, employers=[employer or self.employer])

    def find(
        self,
        *,
        age_dob: dt.date,
        employer: Any = None,
        on: dt.date = INSPECTED_ON,
        kind: str | None = None,
        **observation: Any,
    ) -> FoundChild:
        employer = employer or self.employer
        if kind is not None and employer.kind != kind:
            employer.kind = kind
            employer.size = "small" if kind == EmployerKind.ENTERPRISE else ""
            employer.save()
        inspection = self.inspect(employer=employer, on=on)
        child = self.make_child(dob=age_dob, commune=employer.commune)
        return services.inspection_add_child(
            user=self.supervisor, inspection=inspection, employer=employer, child=child, observation=observation
        )
