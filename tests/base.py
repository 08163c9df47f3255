"""Personas per role, built once per test class (healthchecks' BaseTestCase habit)."""

from __future__ import annotations

from typing import Any

from django.test import TestCase

from clms.accounts.models import Agency, Role, User
from clms.places.models import PRE_REFORM_END, REFORM_DATE, AdminUnit, Level, Scheme, Succession
from tests.factories import AdminUnitFactory, UserFactory

PASSWORD = "correct-horse-battery"


class Personas:
    """Province P; before the reform district D with communes A1, A2, B1; since the reform
    communes A (from A1 and A2) and B (from B1), each with a village.  See build_personas."""

    province: AdminUnit
    district: AdminUnit
    a1: AdminUnit
    a2: AdminUnit
    b1: AdminUnit
    commune_a: AdminUnit
    commune_b: AdminUnit
    village_a: AdminUnit
    village_b: AdminUnit
    collaborator: User
    officer_a: User
    officer_b: User
    supervisor: User
    district_officer: User
    agency: User
    viewer: User
    admin: User


class PersonaTestCase(Personas, TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        build_personas(cls)


def build_personas(cls: Any) -> None:
    """Create the units and personas as attributes of ``cls`` (a test class or instance)."""
    cls.province = AdminUnitFactory.create(scheme=Scheme.BOTH, level=Level.PROVINCE, code="38", name="Tỉnh Thanh Hóa")
    cls.district = AdminUnitFactory.create(
        scheme=Scheme.PRE_2025, level=Level.DISTRICT, code="397", name="Huyện Triệu Sơn",
        parent=cls.province, valid_to=PRE_REFORM_END,
    )
    old = dict(scheme=Scheme.PRE_2025, level=Level.COMMUNE, parent=cls.district, valid_to=PRE_REFORM_END)
    cls.a1 = AdminUnitFactory.create(name="Xã Vân Sơn", **old)
    cls.a2 = AdminUnitFactory.create(name="Xã Thái Hòa", **old)
    cls.b1 = AdminUnitFactory.create(name="Xã Minh Sơn", **old)
    new = dict(scheme=Scheme.POST_2025, level=Level.COMMUNE, parent=cls.province, valid_from=REFORM_DATE)
    cls.commune_a = AdminUnitFactory.create(name="Xã Tân Ninh", **new)
    cls.commune_b = AdminUnitFactory.create(name="Xã Triệu Sơn", **new)
    for old_unit, new_unit in ((cls.a1, cls.commune_a), (cls.a2, cls.commune_a), (cls.b1, cls.commune_b)):
        Succession.objects.create(predecessor=old_unit, successor=new_unit)
    village = dict(scheme=Scheme.LOCAL, level=Level.VILLAGE, code="")
    cls.village_a = AdminUnitFactory.create(name="Thôn 1", parent=cls.commune_a, **village)
    cls.village_b = AdminUnitFactory.create(name="Thôn 2", parent=cls.commune_b, **village)

    cls.collaborator = UserFactory.create(username="ctv", role=Role.COLLABORATOR, area=cls.village_a)
    cls.officer_a = UserFactory.create(username="officer_a", role=Role.COMMUNE_OFFICER, area=cls.commune_a)
    cls.officer_b = UserFactory.create(username="officer_b", role=Role.COMMUNE_OFFICER, area=cls.commune_b)
    cls.supervisor = UserFactory.create(username="supervisor", role=Role.SUPERVISOR, area=cls.province)
    cls.district_officer = UserFactory.create(username="district", role=Role.SUPERVISOR, area=cls.district)
    cls.agency = UserFactory.create(
        username="agency", role=Role.AGENCY_OFFICER, area=cls.province, agency=Agency.EDUCATION
    )
    cls.viewer = UserFactory.create(username="viewer", role=Role.PROVINCE_VIEWER, area=cls.province)
    cls.admin = UserFactory.create(username="admin", role=Role.ADMIN, is_staff=True, is_superuser=True)
