import datetime as dt
import io

from django.core.management import call_command
from django.urls import reverse

from clms.people.models import Classification, Consent, Guardian
from clms.people.services import child_create, household_create, observation_record
from tests.base import PersonaTestCase


class ChildEndpointsAccessTestCase(PersonaTestCase):
    def setUp(self) -> None:
        self.household = household_create(user=self.officer_a, commune=self.commune_a, village=self.village_a,
                                          head_name="Trịnh Văn Lâm")
        self.child = child_create(user=self.officer_a, household=self.household, commune=self.commune_a,
                                  full_name="Trịnh Thị Ngân", sex="F", dob=dt.date(2013, 1, 20))
        pk = self.child.pk
        self.urls = [
            reverse("people:detail", args=[pk]),
            reverse("people:edit", args=[pk]),
            reverse("people:guardian_add", args=[pk]),
            reverse("people:consent_add", args=[pk]),
            reverse("people:observation_create", args=[pk]),
            reverse("people:visit_create", args=[pk]),
            reverse("people:household_edit", args=[self.household.pk]),
        ]

    def test_every_child_page_hides_the_child_from_another_commune(self) -> None:
        self.client.force_login(self.officer_b)
        for url in self.urls:
            self.assertEqual(self.client.get(url).status_code, 404, url)
            self.assertEqual(self.client.post(url, {}).status_code, 404, url)

    def test_every_child_page_refuses_roles_without_personal_data(self) -> None:
        for user in (self.viewer, self.agency):
            self.client.force_login(user)
            for url in self.urls:
                self.assertEqual(self.client.get(url).status_code, 403, url)
        self.client.logout()
        for url in self.urls:
            self.assertEqual(self.client.get(url).status_code, 302, url)

    def test_it_records_a_guardian_and_a_consent_with_who_and_when(self) -> None:
        self.client.force_login(self.collaborator)
        self.client.post(reverse("people:guardian_add", args=[self.child.pk]),
                         {"full_name": "Trịnh Văn Lâm", "relationship": "Bố", "phone": ""})
        self.client.post(reverse("people:consent_add", args=[self.child.pk]),
                         {"given_by": "Trịnh Văn Lâm", "relationship": "Bố", "given_on": "05/01/2026",
                          "purpose": "Theo dõi trong sổ"})
        self.assertEqual(Guardian.objects.get().child, self.child)
        consent = Consent.objects.get()
        self.assertEqual((consent.given_on, consent.recorded_by), (dt.date(2026, 1, 5), self.collaborator))


class ReclassifyCommandTestCase(PersonaTestCase):
    def test_it_reports_what_moved(self) -> None:
        child = child_create(user=self.officer_a, commune=self.commune_a, village=self.village_a,
                             full_name="Mai Văn Tùng", sex="M", dob=dt.date(2012, 6, 1))
        obs = observation_record(user=self.officer_a, child=child, observed_on=dt.date(2026, 6, 2),
                                 activity="EMPLOYED", job_code="TT09.II.04", hours_per_day=6)
        # As if an older ruleset had said otherwise.
        Classification.objects.filter(observation=obs, ruleset="vn-law").update(category="NOT_CHILD_LABOUR")
        out = io.StringIO()
        call_command("reclassify", verbose=True, stdout=out)
        text = out.getvalue()
        self.assertIn("1 moved", text)
        self.assertIn("NOT_CHILD_LABOUR -> CHILD_LABOUR: 1", text)
        self.assertIn(f"observation {obs.pk}", text)
        self.assertEqual(Classification.objects.filter(observation=obs, ruleset="vn-law").count(), 2)
        out = io.StringIO()
        call_command("reclassify", stdout=out)
        self.assertIn("0 moved", out.getvalue())
