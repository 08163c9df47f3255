import datetime as dt

from clms.indicators.register import child_labour_counts, edu_access_counts
from clms.indicators.units import build_unit_map
from clms.people.models import Child
from clms.people.services import child_create, observation_record
from clms.places.models import AdminUnit, Denominator
from tests.base import PersonaTestCase


class RegisterCountsTestCase(PersonaTestCase):
    lan: Child
    hoa: Child
    nam: Child
    old: Child

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        def child(name: str, dob: dt.date, commune: AdminUnit, sex: str = "F") -> Child:
            return child_create(user=cls.supervisor, commune=commune, full_name=name, sex=sex, dob=dob)

        # 2024, old commune A1: a 14-year-old working 5 h/day in a light job -> child labour.
        cls.lan = child("Lê Thị Lan", dt.date(2010, 5, 1), cls.a1)
        observation_record(user=cls.supervisor, child=cls.lan, observed_on=dt.date(2024, 6, 1), activity="EMPLOYED",
                           job_code="TT09.II.04", hours_per_day=5, days_per_week=5)
        # Same child later in 2024 no longer working: the latest observation of the year wins.
        cls.hoa = child("Trần Thị Hoa", dt.date(2011, 1, 1), cls.a2)
        observation_record(user=cls.supervisor, child=cls.hoa, observed_on=dt.date(2024, 3, 1), activity="EMPLOYED",
                           workplace_code="LC147.2.b", hours_per_day=3, days_per_week=2)
        observation_record(user=cls.supervisor, child=cls.hoa, observed_on=dt.date(2024, 9, 1), activity="NONE")
        # B1: a 16-year-old boy welding -> hazardous.
        cls.nam = child("Phạm Văn Nam", dt.date(2008, 2, 2), cls.b1, sex="M")
        observation_record(user=cls.supervisor, child=cls.nam, observed_on=dt.date(2024, 12, 31), activity="EMPLOYED",
                           job_code="LC147.1.e", hours_per_day=8, days_per_week=5)
        # A child who turned 18 before her only 2024 observation is out of scope.
        cls.old = child("Đỗ Thị Mai", dt.date(2006, 1, 10), cls.a1)
        observation_record(user=cls.supervisor, child=cls.old, observed_on=dt.date(2024, 2, 1), activity="EMPLOYED",
                           job_code="LC147.1.e", hours_per_day=8, days_per_week=5)
        for unit, value in ((cls.a1, 1000), (cls.a2, 500), (cls.b1, 800)):
            Denominator.objects.create(unit=unit, year=2024, group="children_5_17", value=value)

    def test_it_counts_the_new_communes_from_the_old_ones(self) -> None:
        umap = build_unit_map(self.province, "after-2025")
        rate, share = child_labour_counts(umap, 2024)
        a, b = self.commune_a.pk, self.commune_b.pk
        self.assertEqual(rate.numerator[(a, None)], 1)
        self.assertEqual(rate.denominator[(a, None)], 1500)
        self.assertEqual(rate.numerator[(b, None)], 1)
        self.assertEqual((share.numerator[(b, None)], share.denominator[(b, None)]), (1, 1))
        self.assertEqual((share.numerator[(a, None)], share.denominator[(a, None)]), (0, 1))

    def test_it_reads_the_same_year_in_the_old_structure(self) -> None:
        umap = build_unit_map(self.district, "before-2025")
        rate, _share = child_labour_counts(umap, 2024)
        self.assertEqual(rate.numerator[(self.a1.pk, None)], 1)
        self.assertEqual(rate.numerator[(self.a2.pk, None)], 0)
        self.assertEqual(rate.denominator[(self.a2.pk, None)], 500)

    def test_it_breaks_down_by_sex_and_age_band(self) -> None:
        umap = build_unit_map(self.province, "after-2025")
        rate, _share = child_labour_counts(umap, 2024, by="sex")
        self.assertEqual(rate.numerator[(self.commune_b.pk, "M")], 1)
        self.assertEqual(rate.numerator[(self.commune_b.pk, None)], 1)
        rate, _share = child_labour_counts(umap, 2024, by="law_age_band")
        self.assertEqual(rate.numerator[(self.commune_a.pk, "13-14")], 1)
        self.assertIn("missing_denominator", rate.flags)

    def test_it_uses_a_bounded_number_of_queries(self) -> None:
        umap = build_unit_map(self.province, "after-2025")
        with self.assertNumQueries(2):
            child_labour_counts(umap, 2024, by="age_band")

    def test_it_counts_school_access_of_registered_children(self) -> None:
        umap = build_unit_map(self.province, "after-2025")
        counts = edu_access_counts(umap, 2026, today=dt.date(2026, 11, 28))
        # Lan (16 at the end of 2026) and Hoa (15) are registered in A; Nam turned 18 in
        # February 2026 and Mai is 20, so neither counts.
        self.assertEqual(counts.denominator[(self.commune_a.pk, None)], 2)
        self.assertEqual(counts.numerator[(self.commune_a.pk, None)], 2)
        self.assertEqual(counts.denominator[(self.commune_b.pk, None)], 0)
        counts = edu_access_counts(umap, 2025, today=dt.date(2026, 11, 28))
        self.assertEqual(counts.denominator[(self.commune_b.pk, None)], 1)
        self.assertIn("estimate", counts.flags)
