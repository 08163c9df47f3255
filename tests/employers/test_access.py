"""Every page: anonymous users go to the login, wrong roles get 403, outsiders 404."""

import datetime as dt

from django.urls import reverse

from clms.employers import selectors
from clms.employers.models import Commitment, Violation
from tests.employers.factories import CommitmentFactory, CraftVillageFactory, EmployerFactory
from tests.employers.helpers import EmployerTestCase

LIST_PAGES = ["list", "craft_villages", "inspections", "violations", "overview"]
WRITE_PAGES = ["create", "craft_village_create", "inspection_create"]


class AccessTestCase(EmployerTestCase):
    def setUp(self) -> None:
        self.found = self.find(age_dob=dt.date(2012, 3, 5), job_code="TT09.II.04", hours_per_day=5)
        self.violation = Violation.objects.get()
        self.commitment: Commitment = CommitmentFactory.create(employer=self.employer)
        # Object pages of commune A's records: (url name, args, whether the page writes).
        self.object_pages: list[tuple[str, list[object], bool]] = [
            ("detail", [self.employer.pk], False),
            ("edit", [self.employer.pk], True),
            ("commitment_create", [self.employer.pk], True),
            ("craft_village", [self.craft_village.pk], False),
            ("craft_village_edit", [self.craft_village.pk], True),
            ("inspection", [self.found.inspection_id], False),
            ("inspection_findings", [self.found.inspection_id], True),
            ("inspection_add_child", [self.found.inspection_id], True),
            ("violation_action", [self.violation.pk, "confirm"], True),
        ]

    def test_it_sends_anonymous_users_to_the_login(self) -> None:
        urls = [reverse(f"employers:{n}") for n in LIST_PAGES + WRITE_PAGES]
        urls += [reverse(f"employers:{n}", args=a) for n, a, _w in self.object_pages]
        urls += [reverse("employers:commitment_file", args=[self.commitment.pk]), reverse("employers:catalogue_options")]
        for url in urls:
            response = self.client.get(url)
            self.assertEqual(response.status_code, 302, url)
            self.assertIn("/accounts/login/", response["Location"])

    def test_it_refuses_roles_without_business_here(self) -> None:
        for user in (self.collaborator, self.viewer):
            self.client.force_login(user)
            for name in LIST_PAGES + WRITE_PAGES:
                self.assertEqual(self.client.get(reverse(f"employers:{name}")).status_code, 403, (user, name))
            for name, args, _w in self.object_pages:
                self.assertEqual(self.client.get(reverse(f"employers:{name}", args=args)).status_code, 403, (user, name))

    def test_it_lets_agency_officers_read_but_not_write(self) -> None:
        self.client.force_login(self.agency)
        for name in LIST_PAGES:
            self.assertEqual(self.client.get(reverse(f"employers:{name}")).status_code, 200, name)
        for name in WRITE_PAGES:
            self.assertEqual(self.client.get(reverse(f"employers:{name}")).status_code, 403, name)
        for name, args, writes in self.object_pages:
            expected = 403 if writes else 200
            self.assertEqual(self.client.get(reverse(f"employers:{name}", args=args)).status_code, expected, name)
        response = self.client.post(reverse("employers:denominators_derive"), {"unit": self.commune_a.pk, "year": 2026})
        self.assertEqual(response.status_code, 403)

    def test_it_hides_another_communes_records(self) -> None:
        self.client.force_login(self.officer_b)
        for name, args, _w in self.object_pages:
            self.assertEqual(self.client.get(reverse(f"employers:{name}", args=args)).status_code, 404, name)
        self.assertEqual(self.client.get(reverse("employers:commitment_file", args=[self.commitment.pk])).status_code, 404)

    def test_it_lets_the_commune_officer_and_supervisors_in(self) -> None:
        for user in (self.officer_a, self.supervisor, self.admin):
            self.client.force_login(user)
            for name in LIST_PAGES + WRITE_PAGES:
                self.assertEqual(self.client.get(reverse(f"employers:{name}")).status_code, 200, (user, name))
            for name, args, _w in self.object_pages:
                self.assertEqual(self.client.get(reverse(f"employers:{name}", args=args)).status_code, 200, (user, name))

    def test_it_shows_lists_only_within_the_area(self) -> None:
        self.client.force_login(self.officer_b)
        response = self.client.get(reverse("employers:list"))
        self.assertContains(response, self.employer_b.name)
        self.assertNotContains(response, self.employer.name)
        for name in ("inspections", "violations", "craft_villages"):
            self.assertNotContains(self.client.get(reverse(f"employers:{name}")), self.employer.name)


class ScopingTestCase(EmployerTestCase):
    def test_it_scopes_every_selector_to_the_area(self) -> None:
        found = self.find(age_dob=dt.date(2012, 3, 5), job_code="TT09.II.04", hours_per_day=5)
        CommitmentFactory.create(employer=self.employer)
        cases = {
            self.officer_a: 1, self.officer_b: 0, self.supervisor: 1, self.agency: 1, self.viewer: 0, self.collaborator: 0,
        }
        for user, n in cases.items():
            self.assertEqual(selectors.employers_for_user(user).filter(pk=self.employer.pk).count(), n, user)
            self.assertEqual(selectors.inspections_for_user(user).count(), n, user)
            self.assertEqual(selectors.violations_for_user(user).count(), n, user)
            self.assertEqual(selectors.commitments_for_user(user).count(), n, user)
            self.assertEqual(selectors.found_children_for_user(user).filter(pk=found.pk).count(), n, user)
            self.assertEqual(selectors.craft_villages_for_user(user).filter(pk=self.craft_village.pk).count(), n, user)

    def test_it_shows_an_old_communes_employer_to_the_merged_communes_officer(self) -> None:
        old = EmployerFactory.create(commune=self.a1, name="Lò gạch Vân Sơn")
        self.assertIn(old, selectors.employers_for_user(self.officer_a))
        self.assertNotIn(old, selectors.employers_for_user(self.officer_b))
        self.assertIn(old, selectors.employers_for_user(self.district_officer))

    def test_it_shows_an_interagency_inspection_in_every_commune_it_visited(self) -> None:
        inspection = self.inspect()
        inspection.employers.add(self.employer_b)
        for user in (self.officer_a, self.officer_b):
            self.assertEqual(list(selectors.inspections_for_user(user)), [inspection], user)

    def test_it_searches_without_diacritics(self) -> None:
        CraftVillageFactory.create(commune=self.commune_a, name="Làng nghề đúc đồng Trà Đông")
        found = selectors.employer_search(selectors.employers_for_user(self.officer_a), "son mai duc hanh")
        self.assertEqual(list(found), [self.employer])
        villages = selectors.craft_village_search(selectors.craft_villages_for_user(self.officer_a), "duc dong")
        self.assertEqual([v.name for v in villages], ["Làng nghề đúc đồng Trà Đông"])
