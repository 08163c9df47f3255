from django.urls import reverse

from tests.base import PASSWORD, PersonaTestCase


class LoginTestCase(PersonaTestCase):
    url = reverse("accounts:login")

    def test_it_logs_in_and_shows_the_home_in_vietnamese(self) -> None:
        response = self.client.post(self.url, {"username": "officer_a", "password": PASSWORD}, follow=True)
        self.assertContains(response, "Xin chào")
        self.assertContains(response, "Cán bộ cấp xã")
        self.assertContains(response, 'lang="vi"')

    def test_it_says_why_a_login_failed_in_vietnamese(self) -> None:
        response = self.client.post(self.url, {"username": "officer_a", "password": "wrong"})
        self.assertContains(response, "Sai tên đăng nhập hoặc mật khẩu")

    def test_it_hashes_passwords_with_argon2_in_production(self) -> None:
        import os
        import subprocess
        import sys

        env = {k: v for k, v in os.environ.items() if not k.startswith("CLMS_")}
        env.update(DJANGO_SETTINGS_MODULE="clms.settings", CLMS_SECRET_KEY="x" * 50)
        code = "import django; django.setup(); from django.conf import settings as s; print(s.PASSWORD_HASHERS[0], s.SESSION_COOKIE_SECURE)"
        out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
        self.assertEqual(out.stdout.split(), ["django.contrib.auth.hashers.Argon2PasswordHasher", "True"])

    def test_it_keeps_the_admin_for_administrators(self) -> None:
        self.client.force_login(self.officer_a)
        response = self.client.get(reverse("admin:index"))
        self.assertEqual(response.status_code, 302)
        self.client.force_login(self.admin)
        self.assertEqual(self.client.get(reverse("admin:index")).status_code, 200)

    def test_it_shows_each_role_only_its_menu(self) -> None:
        self.client.force_login(self.collaborator)
        response = self.client.get(reverse("core:home"))
        self.assertNotContains(response, reverse("places:denominators"))
        self.assertNotContains(response, reverse("admin:index"))
        self.client.force_login(self.officer_a)
        response = self.client.get(reverse("core:home"))
        self.assertContains(response, reverse("places:denominators"))
        self.assertNotContains(response, reverse("admin:index"))

    def test_it_logs_out_with_post(self) -> None:
        self.client.force_login(self.officer_a)
        response = self.client.post(reverse("accounts:logout"))
        self.assertRedirects(response, self.url)
        self.assertNotIn("_auth_user_id", self.client.session)
