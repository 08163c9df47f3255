"""User management from the site: who may create whom, where, audited, first password changed."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from clms.accounts import users
from clms.accounts.models import AuditEvent, User
from clms.core.locking import StaleEdit
from tests.base import PersonaTestCase


class UserManagementTestCase(PersonaTestCase):
    def create(self, by: User, **values: object) -> tuple[User, str]:
        data: dict[str, object] = {"username": "moi", "full_name": "Người Mới", "role": "commune_officer", "area": self.commune_a}
        data.update(values)
        return users.user_create(by=by, **data)  # type: ignore[arg-type]

    def test_it_enforces_the_role_levels_and_the_area_in_the_service(self) -> None:
        with self.assertRaises(ValidationError) as ctx:  # a commune officer sits at a commune
            self.create(self.supervisor, area=self.province)
        self.assertIn("area", ctx.exception.message_dict)
        with self.assertRaises(ValidationError) as ctx:  # a province viewer at the province
            self.create(self.supervisor, role="province_viewer", area=self.commune_a)
        self.assertIn("area", ctx.exception.message_dict)
        with self.assertRaises(ValidationError) as ctx:  # a supervisor gives no administrator role
            self.create(self.supervisor, role="admin", area=self.province)
        self.assertIn("role", ctx.exception.message_dict)
        with self.assertRaises(ValidationError) as ctx:  # an agency officer needs an agency
            self.create(self.supervisor, role="agency_officer", area=self.commune_a)
        self.assertIn("agency", ctx.exception.message_dict)
        with self.assertRaises(PermissionDenied):
            self.create(self.officer_a)
        with self.assertRaises(ValidationError) as ctx:  # the district supervisor's area ends at the old district
            self.create(self.district_officer, area=self.commune_b)
        self.assertIn("area", ctx.exception.message_dict)
        user, password = self.create(self.supervisor)
        self.assertTrue(user.must_change_password)
        self.assertTrue(user.check_password(password))
        self.assertTrue(AuditEvent.objects.filter(user=self.supervisor, action="create", object_type="accounts.user",
                                                  object_id=str(user.pk)).exists())
        admin_made, _pw = self.create(self.admin, username="qt2", role="admin", area=None)
        self.assertTrue(admin_made.is_staff)
        with self.assertRaises(PermissionDenied):
            users.user_reset_password(by=self.supervisor, user=admin_made)

    def test_it_creates_deactivates_and_resets_from_the_pages_and_forces_the_first_change(self) -> None:
        self.client.force_login(self.supervisor)
        page = self.client.get(reverse("accounts:user_create")).content.decode()
        self.assertNotIn('value="admin"', page)
        response = self.client.post(reverse("accounts:user_create"), {
            "username": "canbo.moi", "full_name": "Trần Văn Mới", "role": "commune_officer", "area": self.commune_a.pk,
            "phone": "0912000111",
        })
        self.assertContains(response, "Mật khẩu tạm thời")
        password = response.context["password"]
        new = User.objects.get(username="canbo.moi")
        wrong = self.client.post(reverse("accounts:user_edit", args=[new.pk]), {
            "full_name": "Trần Văn Mới", "role": "province_viewer", "area": self.commune_a.pk,
        })
        self.assertEqual(wrong.status_code, 200)
        self.assertIn("area", wrong.context["form"].errors)
        self.client.post(reverse("accounts:user_active", args=[new.pk]), {"active": "0"})
        new.refresh_from_db()
        self.assertFalse(new.is_active)
        self.client.post(reverse("accounts:user_active", args=[new.pk]), {"active": "1"})
        reset = self.client.post(reverse("accounts:user_reset_password", args=[new.pk]))
        password = reset.context["password"]
        # Created, read (the refused edit), deactivated, reactivated, password reset.
        self.assertEqual(AuditEvent.objects.filter(object_type="accounts.user", object_id=str(new.pk)).count(), 5)

        self.client.logout()
        login = self.client.post(reverse("accounts:login"), {"username": "canbo.moi", "password": password})
        self.assertEqual(login.status_code, 302)
        home = self.client.get("/")
        self.assertRedirects(home, reverse("accounts:password_change"))
        self.assertContains(self.client.get(reverse("accounts:password_change")), 'id="must-change"')
        done = self.client.post(reverse("accounts:password_change"), {
            "old_password": password, "new_password1": "Lua-chin-vang-2026", "new_password2": "Lua-chin-vang-2026",
        })
        self.assertEqual(done.status_code, 302)
        self.assertEqual(self.client.get("/").status_code, 200)
        new.refresh_from_db()
        self.assertFalse(new.must_change_password)

    def test_it_keeps_the_pages_from_other_roles_and_other_areas(self) -> None:
        self.client.force_login(self.officer_a)
        self.assertEqual(self.client.get(reverse("accounts:user_create")).status_code, 403)
        self.assertNotContains(self.client.get(reverse("accounts:users")), 'id="new-user"')
        self.client.force_login(self.district_officer)
        self.assertEqual(self.client.get(reverse("accounts:user_edit", args=[self.officer_b.pk])).status_code, 404)

    def test_two_managers_editing_one_account_do_not_overwrite_each_other(self) -> None:
        new, _pw = self.create(self.supervisor, username="canbo.hai", full_name="Lê Văn Hai")
        url = reverse("accounts:user_edit", args=[new.pk])
        self.client.force_login(self.supervisor)
        page = self.client.get(url).content.decode()
        self.assertIn('name="version" value="0"', page)
        data = {"full_name": "Lê Văn Hải", "role": "commune_officer", "area": self.commune_a.pk, "version": "0"}
        # The administrator saves first, from a page loaded at the same version.
        other = self.client_class()
        other.force_login(self.admin)
        self.assertEqual(other.post(url, {**data, "phone": "0912000222"}).status_code, 302)
        late = self.client.post(url, {**data, "full_name": "Lê Văn Hai (sửa)"})
        self.assertEqual(late.status_code, 200)
        self.assertContains(late, "Người khác đã sửa hồ sơ này")
        new.refresh_from_db()
        self.assertEqual((new.full_name, new.phone, new.version), ("Lê Văn Hải", "0912000222", 1))
        # Reloaded, the second manager sees the first one's change and can save theirs.
        self.assertIn('name="version" value="1"', self.client.get(url).content.decode())
        self.assertEqual(self.client.post(url, {**data, "version": "1", "full_name": "Lê Văn Hai (sửa)"}).status_code, 302)
        new.refresh_from_db()
        self.assertEqual((new.full_name, new.version), ("Lê Văn Hai (sửa)", 2))

    def test_the_service_refuses_a_stale_version(self) -> None:
        new, _pw = self.create(self.supervisor, username="canbo.ba")
        users.user_update(by=self.supervisor, user=new, full_name="A", role="commune_officer", area=self.commune_a, version=0)
        with self.assertRaises(StaleEdit):
            users.user_update(by=self.supervisor, user=new, full_name="B", role="commune_officer", area=self.commune_a, version=0)
        new.refresh_from_db()
        self.assertEqual(new.full_name, "A")
