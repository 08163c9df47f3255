"""applicable_targets: own plan, else the nearest ancestor plan in either structure, plus the national one."""

from __future__ import annotations

from decimal import Decimal

from clms.places.models import Level, Scheme
from clms.plans import selectors
from clms.plans.models import Plan
from clms.plans.services import TargetInput, commune_plan_create
from tests.base import PersonaTestCase
from tests.factories import AdminUnitFactory


class ApplicableTargetsTestCase(PersonaTestCase):
    def test_it_gives_a_post_reform_commune_the_plan_of_its_predecessors_district(self) -> None:
        result = selectors.applicable_targets(self.commune_a, 2025)
        assert result.plan is not None
        self.assertEqual(result.plan.key, "kh-trieu-son-2021")
        self.assertEqual(result.local["CL_RATE"].value, Decimal("0.5"))
        self.assertEqual(result.local["TRAIN_OFFICIALS"].value, Decimal("100"))
        self.assertEqual(result.national["CL_RATE"].value, Decimal("4.9"))
        self.assertEqual(
            [t.plan.key for t in result.for_indicator("CL_RATE")], ["kh-trieu-son-2021", "qd-782-ttg-2021"]
        )

    def test_it_uses_the_2030_orientation_after_2025(self) -> None:
        result = selectors.applicable_targets(self.commune_b, 2027)
        self.assertEqual(result.local["CL_RATE"].year, 2030)
        self.assertEqual(result.local["HAZARDOUS_SHARE"].comparator, "decrease")
        self.assertNotIn("COMM_TEACHERS", result.local)  # a 2025 target no longer applies
        self.assertEqual(result.national["CL_RATE"].comparator, "decrease")

    def test_it_gives_an_old_commune_its_district_plan(self) -> None:
        result = selectors.applicable_targets(self.a1, 2023)
        assert result.plan is not None
        self.assertEqual(result.plan.key, "kh-trieu-son-2021")

    def test_it_prefers_the_communes_own_plan_and_inherits_what_it_leaves_out(self) -> None:
        parent = Plan.objects.get(key="kh-trieu-son-2021")
        own = commune_plan_create(
            user=self.officer_a, commune=self.commune_a, parent=parent, number="12/KH-UBND", issued_on=None,
            targets=[TargetInput("CL_RATE", 2025, "<=", Decimal("0.3"))],
        )
        result = selectors.applicable_targets(self.commune_a, 2025)
        self.assertEqual(result.plan, own)
        self.assertEqual(result.local["CL_RATE"].value, Decimal("0.3"))
        self.assertEqual(result.local["COMM_PARENTS"].plan.key, "kh-trieu-son-2021")
        # The neighbouring commune keeps the district's figure.
        self.assertEqual(selectors.applicable_targets(self.commune_b, 2025).local["CL_RATE"].value, Decimal("0.5"))

    def test_it_gives_a_unit_of_another_province_only_the_national_targets(self) -> None:
        other = AdminUnitFactory.create(scheme=Scheme.BOTH, level=Level.PROVINCE, code="01", name="Thành phố Hà Nội")
        commune = AdminUnitFactory.create(parent=other, name="Phường Ba Đình")
        result = selectors.applicable_targets(commune, 2024)
        self.assertIsNone(result.plan)
        self.assertEqual(result.local, {})
        self.assertEqual(result.national["EDU_ACCESS"].comparator, ">")

    def test_it_gives_nothing_before_the_plan_period(self) -> None:
        result = selectors.applicable_targets(self.commune_a, 2019)
        self.assertIsNone(result.plan)
        self.assertEqual(result.national, {})
