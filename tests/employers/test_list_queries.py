"""List pages run a fixed number of queries, however many rows they show."""

import datetime as dt

from django.urls import reverse

from clms.accounts.models import AuditEvent
from tests.employers.factories import CommitmentFactory, CraftVillageFactory, EmployerFactory
from tests.employers.helpers import EmployerTestCase

# Session, user, the user's area (header), area prefixes (scoping), the count, the rows, then
# what each page adds: the audit insert and the commune filter (employers), the due lists and
# the prefetched employers (inspections).
EXPECTED = {
    "list": 8,
    "craft_villages": 5,
    "inspections": 9,
    "violations": 6,
}


class ListQueryCountTestCase(EmployerTestCase):
    def add_rows(self, n: int, start: int) -> None:
        for i in range(start, start + n):
            cv = CraftVillageFactory.create(commune=self.commune_a, name=f"Làng nghề {i}")
            e = EmployerFactory.create(commune=self.commune_a, craft_village=cv, name=f"Cơ sở {i}")
            CommitmentFactory.create(employer=e)
            self.find(age_dob=dt.date(2012, 1, 1), employer=e, job_code="TT09.II.04", hours_per_day=5, night_work=True)

    def test_it_pins_the_query_count_of_each_list(self) -> None:
        self.client.force_login(self.officer_a)
        self.add_rows(2, 0)
        for name, expected in EXPECTED.items():
            with self.assertNumQueries(expected):
                response = self.client.get(reverse(f"employers:{name}"))
            self.assertEqual(response.status_code, 200, name)
        self.add_rows(4, 10)
        for name, expected in EXPECTED.items():
            with self.assertNumQueries(expected):
                response = self.client.get(reverse(f"employers:{name}"))
            self.assertContains(response, "Làng nghề 13" if name == "craft_villages" else "Cơ sở 13")

    def test_it_audits_the_employer_list_with_every_id_shown(self) -> None:
        self.client.force_login(self.officer_a)
        self.client.get(reverse("employers:list"), {"q": "duc hanh"})
        event = AuditEvent.objects.get(action="list", object_type="employers.employer")
        self.assertEqual(event.object_ids, [str(self.employer.pk)])

    def test_it_filters_the_list_by_search_with_htmx(self) -> None:
        self.client.force_login(self.officer_a)
        response = self.client.get(reverse("employers:list"), {"q": "DUC HANH"}, headers={"HX-Request": "true"})
        self.assertContains(response, self.employer.name)
        self.assertNotContains(response, "<html")
