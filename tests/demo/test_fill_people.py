import random
from unittest import mock

from clms.demo.fill import people as demo
from clms.people.duplicates import likely_pairs
from clms.people.models import Child, Classification, RiskAssessment
from tests.base import PersonaTestCase


class DemoFillTestCase(PersonaTestCase):
    def test_it_fills_a_classified_register_with_findable_duplicates(self) -> None:
        with mock.patch.object(demo, "PER_COMMUNE", 12):
            demo.demo_fill(rng=random.Random(3), communes=[self.commune_a, self.commune_b], users={"quantri": self.admin})
        children = Child.objects.all()
        self.assertGreaterEqual(children.count(), 24 + 8)
        self.assertEqual(RiskAssessment.objects.values("child").distinct().count(), children.count())
        self.assertTrue(Classification.objects.filter(ruleset="vn-law", ruleset_id__startswith="VN-").exists())
        self.assertTrue(all(" " in c.full_name for c in children))
        pairs = likely_pairs(Child.objects.all())
        reported_twice = set(Child.objects.filter(note="Do nhà trường báo cáo.").values_list("pk", flat=True))
        found = {p.pk for a, b, _c in pairs for p in (a, b)}
        self.assertTrue(reported_twice <= found)
