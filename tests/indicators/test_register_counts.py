import datetime as dt

from clms.indicators.compute import indicator_table
from clms.indicators.context import Context
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
        table = indicator_table(self.province, 2024, structure="after-2025", codes=["CL_RATE", "HAZARDOUS_SHARE"])
        a, b = self.commune_a.pk, self.commune_b.pk
        self.assertEqual((table.cell(a, "CL_RATE").numerator, table.cell(a, "CL_RATE").denominator), (1, 1500))
        self.assertEqual((table.cell(b, "CL_RATE").numerator, table.cell(b, "CL_RATE").denominator), (1, 800))
        self.assertEqual((table.cell(b, "HAZARDOUS_SHARE").numerator, table.cell(b, "HAZARDOUS_SHARE").denominator), (1, 1))
        self.assertEqual((table.cell(a, "HAZARDOUS_SHARE").numerator, table.cell(a, "HAZARDOUS_SHARE").denominator), (0, 1))
        self.assertEqual((table.total("CL_RATE").numerator, table.total("CL_RATE").denominator), (2, 2300))

    def test_it_reads_the_same_year_in_the_old_structure(self) -> None:
        table = indicator_table(self.district, 2024, structure="before-2025", codes=["CL_RATE"])
        self.assertEqual(table.cell(self.a1.pk, "CL_RATE").numerator, 1)
        self.assertEqual(table.cell(self.a2.pk, "CL_RATE").numerator, 0)
        self.assertEqual(table.cell(self.a2.pk, "CL_RATE").denominator, 500)

    def test_it_breaks_down_by_sex_and_age_band(self) -> None:
        ctx = Context(umap=build_unit_map(self.province, "after-2025"), year=2024, by="sex")
        rate, _share = child_labour_counts(ctx)
        self.assertEqual(rate.numerator[(self.commune_b.pk, "M")], 1)
        self.assertEqual(rate.numerator[(self.commune_b.pk, None)], 1)
        table = indicator_table(self.province, 2024, codes=["CL_RATE"], by="law_age_band")
        groups = table.groups(self.commune_a.pk, "CL_RATE")
        self.assertEqual(groups["13-14"].numerator, 1)
        self.assertIn("missing_denominator", groups["13-14"].flags)

    def test_it_uses_a_bounded_number_of_queries(self) -> None:
        ctx = Context(umap=build_unit_map(self.province, "after-2025"), year=2024, by="age_band")
        with self.assertNumQueries(1):
            child_labour_counts(ctx)

    def test_it_counts_school_access_of_registered_children(self) -> None:
        umap = build_unit_map(self.province, "after-2025")
        now = dt.datetime(2026, 11, 28, tzinfo=dt.UTC)
        counts = edu_access_counts(Context(umap=umap, year=2026, as_of=now))
        # Lan (16 at the end of 2026) and Hoa (15) are registered in A; Nam turned 18 in
        # February 2026 and Mai is 20, so neither counts.
        self.assertEqual(counts.denominator.get((self.commune_a.pk, None)), 2)
        self.assertEqual(counts.numerator[(self.commune_a.pk, None)], 2)
        self.assertEqual(counts.denominator.get((self.commune_b.pk, None), 0), 0)
        table = indicator_table(self.province, 2025, codes=["EDU_ACCESS"], as_of=now)
        self.assertEqual(table.cell(self.commune_b.pk, "EDU_ACCESS").denominator, 1)
        self.assertIn("estimate", table.cell(self.commune_b.pk, "EDU_ACCESS").flags)
