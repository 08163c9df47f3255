import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError

from clms.core.locking import StaleEdit
from clms.people.models import Classification, RegisterStatus
from clms.people.services import child_create, child_update, household_create, observation_record
from tests.base import PersonaTestCase


class ObservationRecordTestCase(PersonaTestCase):
    def setUp(self) -> None:
        self.household = household_create(
            user=self.officer_a, commune=self.commune_a, village=self.village_a, head_name="Lê Văn Nam"
        )
        self.child = child_create(
            user=self.officer_a, household=self.household, commune=self.commune_a,
            full_name="  Lê Thị   Hà ", sex="F", dob=dt.date(2012, 3, 1),
        )

    def test_it_folds_the_name_for_search(self) -> None:
        self.assertEqual(self.child.full_name, "Lê Thị Hà")
        self.assertEqual(self.child.name_folded, "le thi ha")

    def test_it_classifies_under_every_ruleset_with_its_id(self) -> None:
        obs = observation_record(
            user=self.officer_a, child=self.child, observed_on=dt.date(2026, 11, 2), activity="EMPLOYED",
            job_code="TT09.II.04", hours_per_day=5, days_per_week=6,
        )
        rows = {c.ruleset: c for c in Classification.objects.filter(observation=obs, is_current=True)}
        self.assertEqual(set(rows), {"vn-law", "mics6", "sdg2021"})
        law = rows["vn-law"]
        self.assertEqual(law.category, "CHILD_LABOUR")
        self.assertTrue(law.ruleset_id.startswith("VN-LC2019"))
        self.assertIn("V7", [r["rule_id"] for r in law.references])
        self.assertIn("Điều 146 khoản 1", law.explanation)
        self.assertEqual(rows["mics6"].category, "CHILD_LABOUR")  # 30 h/week at 14 >= 14 h
        self.child.refresh_from_db()
        self.assertEqual(self.child.register_status, RegisterStatus.CHILD_LABOUR)
        self.assertEqual(self.child.latest_category, "CHILD_LABOUR")

    def test_it_flags_observations_before_circular_09(self) -> None:
        obs = observation_record(
            user=self.officer_a, child=self.child, observed_on=dt.date(2021, 3, 14), activity="EMPLOYED",
        )
        law = Classification.objects.get(observation=obs, ruleset="vn-law")
        self.assertEqual(law.category, "NOT_CLASSIFIED")
        self.assertEqual(law.missing, ["ruleset"])

    def test_it_refuses_another_communes_officer(self) -> None:
        with self.assertRaises(PermissionDenied):
            observation_record(user=self.officer_b, child=self.child, observed_on=dt.date(2026, 1, 5), activity="NONE")
        with self.assertRaises(PermissionDenied):
            child_create(user=self.viewer, commune=self.commune_a, full_name="X", sex="M", dob=dt.date(2015, 1, 1))

    def test_it_refuses_a_stale_edit(self) -> None:
        loaded = self.child.version
        child_update(user=self.officer_a, child=self.child, version=loaded, school_status="irregular")
        with self.assertRaises(StaleEdit):
            child_update(user=self.officer_a, child=self.child, version=loaded, school_status="dropped_out")
        self.child.refresh_from_db()
        self.assertEqual(self.child.school_status, "irregular")

    def test_it_validates_the_personal_id(self) -> None:
        with self.assertRaises(ValidationError) as ctx:
            child_create(user=self.officer_a, commune=self.commune_a, full_name="Lê Văn B", sex="M",
                         dob=dt.date(2015, 1, 1), personal_id="12345")
        self.assertIn("personal_id", ctx.exception.message_dict)
