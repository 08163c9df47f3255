import random

from clms.demo.fill.employers import demo_fill
from clms.employers.models import (
    Commitment,
    CraftVillage,
    Employer,
    FoundChild,
    Inspection,
    Violation,
)
from clms.employers.taxcode import problem
from tests.employers.helpers import EmployerTestCase
from tests.factories import AdminUnitFactory


class DemoTestCase(EmployerTestCase):
    def test_it_fills_realistic_records_for_every_commune(self) -> None:
        for commune in (self.commune_a, self.commune_b):
            AdminUnitFactory.create(scheme="local", level="village", code="", name="Thôn 3", parent=commune)
        before = Employer.objects.count()
        demo_fill(rng=random.Random(7), communes=[self.commune_a, self.commune_b], users={"soyte.thanhhoa": self.supervisor})  # noqa: S311
        self.assertGreaterEqual(Employer.objects.count() - before, 6)
        self.assertTrue(CraftVillage.objects.filter(name__startswith="Làng nghề").exists())
        self.assertTrue(Commitment.objects.exists())
        years = {d.year for d in Inspection.objects.values_list("inspected_on", flat=True)}
        self.assertTrue({2021, 2025, 2026} <= years, years)
        self.assertTrue(FoundChild.objects.exists())
        self.assertTrue(Violation.objects.exists())
        self.assertEqual({problem(c) for c in Employer.objects.exclude(tax_code="").values_list("tax_code", flat=True)}, {None})
        self.assertTrue(set(Violation.objects.values_list("status", flat=True)) & {"penalised", "remedied"})
