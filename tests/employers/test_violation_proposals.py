"""Each breach clms.rules finds becomes a proposed violation with the decree's clause and fine."""

import datetime as dt

from clms.employers.models import EmployerKind, Violation
from tests.employers.helpers import EmployerTestCase

ON = dt.date(2026, 11, 2)  # Decree 283/2026 is in force


def dob(age: int, on: dt.date = ON) -> dt.date:
    return dt.date(on.year - age, 1, 1)


class ViolationProposalTestCase(EmployerTestCase):
    def proposed(self, **kwargs: object) -> list[Violation]:
        found = self.find(**kwargs)  # type: ignore[arg-type]
        return list(Violation.objects.filter(observation=found.observation).order_by("pk"))

    def assert_one(self, violations: list[Violation], code: str, clause: str, point: str) -> Violation:
        by_code = {c: v for v in violations for c in v.code.split("+")}
        self.assertIn(code, by_code, [v.code for v in violations])
        v = by_code[code]
        self.assertEqual((v.clause, v.point), (clause, point))
        self.assertEqual(v.status, "proposed")
        return v

    def test_it_proposes_clause_2c_for_too_many_hours(self) -> None:
        vs = self.proposed(age_dob=dob(14), job_code="TT09.II.04", hours_per_day=5)
        v = self.assert_one(vs, "V7.HOURS_DAY", "2", "c")
        self.assertIn("Điều 146 khoản 1", v.legal_basis)
        self.assertEqual((v.decree, v.article), ("Nghị định 283/2026/NĐ-CP", "27"))
        self.assertEqual(v.citation, "điểm c khoản 2 Điều 27 Nghị định 283/2026/NĐ-CP")

    def test_it_proposes_clause_2c_for_a_16_year_old_beyond_8_hours(self) -> None:
        vs = self.proposed(age_dob=dob(16), job_code="TT09.II.04", hours_per_day=10, parent_consent=True, separate_register=True)
        self.assert_one(vs, "V9.HOURS_DAY", "2", "c")

    def test_it_proposes_clause_2d_for_night_work_under_15(self) -> None:
        vs = self.proposed(age_dob=dob(14), job_code="TT09.II.04", hours_per_day=3, night_work=True)
        self.assert_one(vs, "V7.NIGHT", "2", "d")

    def test_it_proposes_clause_2d_for_overtime_under_15(self) -> None:
        vs = self.proposed(age_dob=dob(14), job_code="TT09.II.04", hours_per_day=3, overtime=True)
        self.assert_one(vs, "V7.OVERTIME", "2", "d")

    def test_it_proposes_clause_3a_for_13_14_outside_appendix_ii(self) -> None:
        vs = self.proposed(age_dob=dob(13), job_code="OTHER", hours_per_day=3)
        v = self.assert_one(vs, "V6.JOB", "3", "a")
        self.assertEqual((v.fine_individual_min, v.fine_individual_max), (50_000_000, 75_000_000))

    def test_it_proposes_clause_3b_under_13(self) -> None:
        vs = self.proposed(age_dob=dob(11), job_code="OTHER", hours_per_day=2)
        self.assert_one(vs, "V5.JOB", "3", "b")

    def test_it_proposes_clause_3c_for_an_article_147_job(self) -> None:
        vs = self.proposed(age_dob=dob(16), job_code="LC147.1.e", hours_per_day=4)
        self.assert_one(vs, "V3.JOB", "3", "c")

    def test_it_proposes_clause_3c_for_an_article_147_workplace(self) -> None:
        vs = self.proposed(age_dob=dob(16), job_code="OTHER", workplace_code="LC147.2.b", hours_per_day=4)
        self.assert_one(vs, "V3.WORKPLACE", "3", "c")

    def test_it_proposes_clause_2a_for_missing_parental_consent(self) -> None:
        vs = self.proposed(age_dob=dob(16), job_code="OTHER", hours_per_day=6, parent_consent=False, separate_register=True)
        v = self.assert_one(vs, "V10.PARENT_CONSENT", "2", "a")
        self.assertEqual((v.fine_min, v.fine_max), (20_000_000, 25_000_000))

    def test_it_proposes_clause_1_for_no_register(self) -> None:
        vs = self.proposed(age_dob=dob(16), job_code="OTHER", hours_per_day=6, parent_consent=True, separate_register=False)
        v = self.assert_one(vs, "V10.REGISTER", "1", "")
        self.assertEqual(v.citation, "khoản 1 Điều 27 Nghị định 283/2026/NĐ-CP")
        self.assertEqual((v.fine_min, v.fine_max), (1_000_000, 2_000_000))

    def test_it_proposes_nothing_for_lawful_work(self) -> None:
        vs = self.proposed(age_dob=dob(16), job_code="OTHER", hours_per_day=6, parent_consent=True, separate_register=True)
        self.assertEqual(vs, [])

    def test_it_chooses_the_decree_by_the_date(self) -> None:
        before = self.proposed(age_dob=dob(14), on=dt.date(2026, 9, 9), job_code="TT09.II.04", hours_per_day=5)
        after = self.proposed(age_dob=dob(14), on=dt.date(2026, 9, 10), job_code="TT09.II.04", hours_per_day=5)
        self.assertEqual((before[0].decree, before[0].article), ("Nghị định 12/2022/NĐ-CP", "29"))
        self.assertEqual((after[0].decree, after[0].article), ("Nghị định 283/2026/NĐ-CP", "27"))

    def test_it_fines_a_household_business_as_an_individual(self) -> None:
        vs = self.proposed(age_dob=dob(13), kind=EmployerKind.HOUSEHOLD_BUSINESS, job_code="OTHER", hours_per_day=3)
        v = vs[0]
        self.assertEqual(v.offender_type, "individual")
        self.assertEqual((v.fine_min, v.fine_max), (50_000_000, 75_000_000))
        self.assertEqual((v.fine_organisation_min, v.fine_organisation_max), (100_000_000, 150_000_000))

    def test_it_fines_an_enterprise_and_a_cooperative_as_organisations(self) -> None:
        for kind in (EmployerKind.ENTERPRISE, EmployerKind.COOPERATIVE):
            vs = self.proposed(age_dob=dob(13), kind=kind, job_code="OTHER", hours_per_day=3)
            v = vs[0]
            self.assertEqual(v.offender_type, "organisation", kind)
            self.assertEqual((v.fine_min, v.fine_max), (100_000_000, 150_000_000))
            self.assertEqual((v.fine_individual_min, v.fine_individual_max), (50_000_000, 75_000_000))

    def test_it_fines_an_individual_employer_as_an_individual(self) -> None:
        vs = self.proposed(age_dob=dob(14), kind=EmployerKind.INDIVIDUAL, job_code="TT09.II.04", hours_per_day=5)
        self.assertEqual((vs[0].offender_type, vs[0].fine_min, vs[0].fine_max), ("individual", 20_000_000, 25_000_000))

    def test_it_proposes_one_violation_per_clause(self) -> None:
        vs = self.proposed(age_dob=dob(14), job_code="TT09.II.04", hours_per_day=5, days_per_week=6, night_work=True)
        self.assertEqual(sorted((v.clause, v.point) for v in vs), [("2", "c"), ("2", "d")])
        hours = next(v for v in vs if v.point == "c")
        self.assertEqual(hours.code, "V7.HOURS_DAY+V7.HOURS_WEEK")
        self.assertIn("5 giờ/ngày", hours.description)
        self.assertIn("30 giờ/tuần", hours.description)

    def test_it_records_the_observation_for_the_employer(self) -> None:
        found = self.find(age_dob=dob(14), job_code="TT09.II.04", hours_per_day=5)
        self.assertEqual(found.observation.employer, self.employer)
        self.assertEqual(found.observation.activity, "EMPLOYED")
        self.assertEqual(found.observation.observed_on, ON)
        self.assertEqual(found.child.register_status, "child_labour")
