"""The policy table is what the pages, the menu and the admin obey (leak 6)."""

from __future__ import annotations

from django.urls import reverse

from clms.accounts.models import Role
from clms.accounts.policy import Perm, assignable_roles, may, role_fits_unit
from clms.home.navigation import NAV_ITEMS, menu_for
from tests.base import PersonaTestCase


class PolicyTestCase(PersonaTestCase):
    def personas(self) -> list:
        return [self.collaborator, self.officer_a, self.supervisor, self.agency, self.viewer, self.admin]

    def test_it_shows_a_menu_entry_exactly_to_those_the_page_admits(self) -> None:
        for user in self.personas():
            self.client.force_login(user)
            shown = {item["url"] for item in menu_for(user)}
            for item in NAV_ITEMS:
                url = reverse(item.url_name)
                status = self.client.get(url).status_code
                # The cases list sends an agency officer on to his referrals (302).
                admitted = status in (200, 302)
                self.assertEqual(url in shown, admitted, f"{item.url_name} for {user.username}: {status}")

    def test_it_lets_the_province_viewer_open_outreach_from_the_menu(self) -> None:
        self.assertIn(reverse("outreach:list"), {i["url"] for i in menu_for(self.viewer)})

    def test_it_refuses_inactive_users_and_checks_the_unit(self) -> None:
        self.assertTrue(may(self.officer_a, Perm.REGISTER_WRITE, self.village_a))
        self.assertFalse(may(self.officer_a, Perm.REGISTER_WRITE, self.village_b))
        self.assertFalse(may(self.viewer, Perm.UNITS_WRITE, self.commune_a))
        self.officer_a.is_active = False
        self.assertFalse(may(self.officer_a, Perm.REGISTER_READ))

    def test_it_fits_roles_to_levels(self) -> None:
        self.assertTrue(role_fits_unit(Role.COMMUNE_OFFICER, self.commune_a))
        self.assertFalse(role_fits_unit(Role.COMMUNE_OFFICER, self.province))
        self.assertFalse(role_fits_unit(Role.PROVINCE_VIEWER, self.village_a))
        self.assertEqual(assignable_roles(self.officer_a, self.village_a), [Role.COLLABORATOR])
        self.assertEqual(assignable_roles(self.officer_a, self.village_b), [])
        self.assertIn(Role.SUPERVISOR, assignable_roles(self.admin, self.province))

    def test_it_refuses_a_role_at_the_wrong_level_in_the_admin(self) -> None:
        self.client.force_login(self.admin)
        url = reverse("admin:accounts_user_change", args=[self.officer_b.pk])
        response = self.client.post(url, {
            "username": "officer_b", "role": Role.COMMUNE_OFFICER, "area": self.province.pk, "is_active": "on",
            "date_joined_0": "01/01/2026", "date_joined_1": "00:00:00",
        })
        self.assertEqual(response.status_code, 200)
        self.assertIn("area", response.context["adminform"].form.errors)
        self.officer_b.refresh_from_db()
        self.assertEqual(self.officer_b.area, self.commune_b)
