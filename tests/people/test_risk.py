import datetime as dt

from clms.people.models import RiskAssessment
from clms.people.reference import risk_weights, special_circumstances
from clms.people.risk import child_factors, screen
from clms.people.services import (
    child_create,
    child_update,
    household_create,
    household_update,
    observation_record,
)
from tests.base import PersonaTestCase


class RiskScreeningTestCase(PersonaTestCase):
    def setUp(self) -> None:
        self.household = household_create(
            user=self.officer_a, commune=self.commune_a, village=self.village_a, head_name="Lò Văn Pao",
            ethnicity="03", disadvantaged_area=True,
        )
        self.child = child_create(
            user=self.officer_a, household=self.household, commune=self.commune_a, full_name="Lò Thị Mai",
            sex="F", dob=dt.date(2011, 5, 5), ethnicity="03",
        )
        self.sibling = child_create(
            user=self.officer_a, household=self.household, commune=self.commune_a, full_name="Lò Văn Sơn",
            sex="M", dob=dt.date(2012, 9, 9), ethnicity="03",
        )

    def factors(self, child) -> list[str]:
        return [f["code"] for f in child.risk_assessments.order_by("-pk").first().factors]

    def test_it_reads_weights_and_thresholds_from_the_data_file(self) -> None:
        weights = risk_weights()
        self.assertTrue(weights["version"])
        self.assertEqual(screen(["dropped_out", "poor_household"]).score,
                         weights["weights"]["dropped_out"] + weights["weights"]["poor_household"])
        self.assertEqual(screen([]).level, "low")
        self.assertEqual(screen(["previous_child_labour", "dropped_out"]).level, "high")

    def test_it_stores_the_factors_and_the_level(self) -> None:
        self.assertEqual(self.factors(self.child), ["ethnic_minority_disadvantaged"])
        self.assertEqual(self.child.risk_level, "low")
        assessment = self.child.risk_assessments.first()
        assert assessment is not None
        self.assertEqual(assessment.weights_version, risk_weights()["version"])

    def test_it_recomputes_when_the_child_changes(self) -> None:
        child_update(user=self.officer_a, child=self.child, version=self.child.version, school_status="dropped_out",
                     dropped_out_on=dt.date(2025, 10, 1))
        self.child.refresh_from_db()
        self.assertEqual(self.factors(self.child), ["dropped_out", "ethnic_minority_disadvantaged"])
        self.assertEqual(self.child.risk_level, "high")
        self.assertEqual(self.child.register_status, "at_risk")

    def test_it_recomputes_when_the_household_changes(self) -> None:
        household_update(user=self.officer_a, household=self.household, version=self.household.version,
                         poverty_status="poor", migrant_parents=True)
        self.child.refresh_from_db()
        self.assertEqual(self.factors(self.child),
                         ["poor_household", "ethnic_minority_disadvantaged", "migrant_parents"])
        self.assertEqual(self.child.risk_level, "high")

    def test_it_flags_previous_child_labour_and_the_sibling(self) -> None:
        observation_record(user=self.officer_a, child=self.child, observed_on=dt.date(2026, 3, 2),
                           activity="EMPLOYED", job_code="TT09.II.04", hours_per_day=8, days_per_week=6)
        self.child.refresh_from_db()
        self.sibling.refresh_from_db()
        self.assertIn("previous_child_labour", self.factors(self.child))
        self.assertIn("sibling_child_labour", self.factors(self.sibling))
        self.assertNotIn("sibling_child_labour", self.factors(self.child))
        self.assertEqual(self.sibling.risk_level, "medium")

    def test_it_does_not_add_a_row_when_nothing_changed(self) -> None:
        before = RiskAssessment.objects.filter(child=self.child).count()
        child_update(user=self.officer_a, child=self.child, version=self.child.version, note="Đã gặp gia đình")
        self.assertEqual(RiskAssessment.objects.filter(child=self.child).count(), before)

    def test_it_counts_kinh_children_outside_the_minority_factor(self) -> None:
        self.child.ethnicity = "01"
        self.household.ethnicity = "01"
        factors = child_factors(child=self.child, household=self.household, previous_child_labour=False,
                                sibling_child_labour=False)
        self.assertEqual(factors, [])

    def test_it_ships_the_fourteen_special_circumstance_groups(self) -> None:
        groups = special_circumstances()
        self.assertEqual(len(groups), 14)
        self.assertTrue(groups[0][1].startswith("a) Trẻ em mồ côi"))
        self.assertTrue(any(label.startswith("đ) ") for _c, label in groups))
