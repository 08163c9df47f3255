import random

from clms.cases.models import Case, CaseStep, Referral, State
from clms.demo.fill.cases import demo_fill
from tests.base import PersonaTestCase


class DemoTestCase(PersonaTestCase):
    def test_it_fills_cases_in_every_state_with_late_and_timely_steps(self) -> None:
        users = {u.username: u for u in (self.collaborator, self.officer_a, self.officer_b, self.agency, self.admin)}
        demo_fill(rng=random.Random(7), communes=[self.commune_a, self.commune_b], users=users)
        states = set(Case.objects.values_list("state", flat=True))
        self.assertEqual(states, {s.value for s in State})
        self.assertTrue(CaseStep.objects.filter(done_at__isnull=False).exists())
        late = [s for s in CaseStep.objects.exclude(done_at=None) if s.done_at is not None and s.done_at > s.due_at]
        self.assertTrue(late)
        self.assertTrue(Referral.objects.filter(status="delivered").exists())
        self.assertEqual(Case.objects.get(state=State.CLOSED, commune=self.commune_a).closure_reason, "no_longer_child_labour")
        # Running it again adds nothing for children who already have a case.
        count = Case.objects.count()
        demo_fill(rng=random.Random(7), communes=[self.commune_a, self.commune_b], users=users)
        self.assertEqual(Case.objects.count(), count)
