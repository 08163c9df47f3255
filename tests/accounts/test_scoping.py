"""A commune officer of commune A cannot reach commune B's units, users or records."""

from django.urls import reverse

from clms.accounts.models import AuditEvent
from clms.places.models import Denominator
from clms.places.scoping import area_prefixes
from tests.base import PersonaTestCase


class ScopingTestCase(PersonaTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        Denominator.objects.create(unit=cls.commune_a, year=2026, group="children_5_17", value=1111)
        Denominator.objects.create(unit=cls.commune_b, year=2026, group="children_5_17", value=2222)
        Denominator.objects.create(unit=cls.b1, year=2024, group="children_5_17", value=3333)

    def test_it_covers_the_merged_old_communes(self) -> None:
        prefixes = area_prefixes(self.officer_a)
        self.assertEqual(set(prefixes), {self.commune_a.path, self.a1.path, self.a2.path})

    def test_it_hides_another_communes_unit_page(self) -> None:
        self.client.force_login(self.officer_a)
        self.assertEqual(self.client.get(reverse("places:unit", args=[self.commune_a.pk])).status_code, 200)
        for unit in (self.commune_b, self.b1, self.village_b, self.district, self.province):
            self.assertEqual(self.client.get(reverse("places:unit", args=[unit.pk])).status_code, 404, unit.name)

    def test_it_shows_old_communes_to_the_new_communes_officer(self) -> None:
        self.client.force_login(self.officer_a)
        response = self.client.get(reverse("places:unit", args=[self.a1.pk]))
        self.assertEqual(response.status_code, 200)

    def test_it_lists_only_my_units(self) -> None:
        self.client.force_login(self.officer_a)
        response = self.client.get(reverse("places:units"))
        self.assertContains(response, "Xã Tân Ninh")
        self.assertContains(response, "Xã Vân Sơn")
        self.assertNotContains(response, "Xã Triệu Sơn")
        self.assertNotContains(response, "Xã Minh Sơn")

    def test_it_lists_only_my_denominators(self) -> None:
        self.client.force_login(self.officer_a)
        response = self.client.get(reverse("places:denominators"))
        # Shown with the Vietnamese thousands separator, like every number on the pages.
        self.assertContains(response, "1.111")
        self.assertNotContains(response, "2.222")
        self.assertNotContains(response, "3.333")

    def test_it_lists_only_users_of_my_area_and_audits_it(self) -> None:
        self.client.force_login(self.officer_a)
        response = self.client.get(reverse("accounts:users"))
        self.assertContains(response, "officer_a")
        self.assertContains(response, "ctv")
        self.assertNotContains(response, "officer_b")
        self.assertNotContains(response, "supervisor")
        event = AuditEvent.objects.get(user=self.officer_a, action="list", object_type="accounts.user")
        self.assertIn(str(self.officer_a.pk), event.object_ids)
        self.assertNotIn(str(self.officer_b.pk), event.object_ids)

    def test_it_lets_the_supervisor_see_every_commune(self) -> None:
        self.client.force_login(self.supervisor)
        response = self.client.get(reverse("places:units"))
        self.assertContains(response, "Xã Tân Ninh")
        self.assertContains(response, "Xã Triệu Sơn")
        self.assertEqual(self.client.get(reverse("places:unit", args=[self.b1.pk])).status_code, 200)

    def test_it_limits_the_district_officer_to_the_district(self) -> None:
        self.client.force_login(self.district_officer)
        self.assertEqual(self.client.get(reverse("places:unit", args=[self.b1.pk])).status_code, 200)
        self.assertEqual(self.client.get(reverse("places:unit", args=[self.commune_b.pk])).status_code, 404)

    def test_it_keeps_the_collaborator_out_of_lists(self) -> None:
        self.client.force_login(self.collaborator)
        for name in ("places:units", "places:denominators", "accounts:users"):
            self.assertEqual(self.client.get(reverse(name)).status_code, 403, name)

    def test_it_requires_login_everywhere(self) -> None:
        for name in ("core:home", "places:units", "places:denominators", "accounts:users"):
            response = self.client.get(reverse(name))
            self.assertEqual(response.status_code, 302, name)
            self.assertIn(reverse("accounts:login"), response["Location"])


class WideAreaScopingTestCase(PersonaTestCase):
    def test_it_keeps_one_prefix_for_a_province(self) -> None:
        # The old communes hang under the province too: one prefix covers them all.
        self.assertEqual(area_prefixes(self.supervisor), (self.province.path,))
        self.assertEqual(len(area_prefixes(self.officer_a)), 3)
