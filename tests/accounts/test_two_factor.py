"""TOTP two-factor: required for administrators and whole-province users, optional for others."""

from __future__ import annotations

import time

from django.core.cache import cache
from django.test import override_settings
from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from clms.accounts.models import User
from clms.accounts.two_factor import two_factor_required
from tests.base import PASSWORD, PersonaTestCase


def _code(device: TOTPDevice, offset_steps: int = 0) -> str:
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time() + offset_steps * device.step
    return f"{totp.token():06d}"


def _enabled_device(user: User) -> TOTPDevice:
    device = TOTPDevice.objects.create(user=user, name="TOTP", confirmed=True)
    User.objects.filter(pk=user.pk).update(two_factor_enabled=True)
    return device


@override_settings(CLMS_TWO_FACTOR_REQUIRED=True)
class TwoFactorTestCase(PersonaTestCase):
    def setUp(self) -> None:
        cache.clear()

    def _login(self, username: str) -> None:
        response = self.client.post(reverse("accounts:login"), {"username": username, "password": PASSWORD})
        self.assertEqual(response.status_code, 302)

    def test_it_requires_it_for_admins_and_whole_province_users_only(self) -> None:
        required = {u.username for u in (self.admin, self.supervisor, self.viewer, self.agency,
                                          self.district_officer, self.officer_a, self.collaborator)
                    if two_factor_required(u)}
        self.assertEqual(required, {"admin", "supervisor", "viewer", "agency"})

    def test_it_sends_a_province_supervisor_to_set_up_before_any_page(self) -> None:
        self._login("supervisor")
        response = self.client.get(reverse("people:list"))
        self.assertRedirects(response, reverse("accounts:two_factor_setup") + "?next=%2Fregister%2F",
                             fetch_redirect_response=False)
        page = self.client.get(response["Location"])
        self.assertContains(page, "Thiết lập xác thực hai bước")
        self.assertContains(page, "<svg")
        device = TOTPDevice.objects.get(user=self.supervisor, confirmed=False)
        wrong = self.client.post(response["Location"], {"token": "000000" if _code(device) != "000000" else "111111"})
        self.assertContains(wrong, "Mã không đúng")
        device.refresh_from_db()
        device.throttling_failure_count = 0
        device.throttling_failure_timestamp = None
        device.save()
        done = self.client.post(response["Location"], {"token": _code(device), "next": "/register/"})
        self.assertRedirects(done, "/register/", fetch_redirect_response=False)
        self.assertEqual(self.client.get(reverse("people:list")).status_code, 200)

    def test_it_asks_for_a_code_at_each_log_in_once_set_up(self) -> None:
        device = _enabled_device(self.officer_a)
        self._login("officer_a")
        response = self.client.get(reverse("core:home"))
        self.assertRedirects(response, reverse("accounts:two_factor_verify") + "?next=%2F", fetch_redirect_response=False)
        self.assertContains(self.client.post(reverse("accounts:two_factor_verify"), {"token": "12a456"}), "chỉ gồm các chữ số")
        ok = self.client.post(reverse("accounts:two_factor_verify"), {"token": _code(device), "next": "/"})
        self.assertRedirects(ok, "/", fetch_redirect_response=False)
        self.assertContains(self.client.get(reverse("core:home")), "Xin chào")

    def test_it_slows_guessing_of_codes(self) -> None:
        device = _enabled_device(self.officer_a)
        self._login("officer_a")
        right = _code(device)
        wrong = "000000" if right != "000000" else "111111"
        self.client.post(reverse("accounts:two_factor_verify"), {"token": wrong})
        # Right after a wrong code even the right one waits (django-otp's doubling delay).
        response = self.client.post(reverse("accounts:two_factor_verify"), {"token": right})
        self.assertContains(response, "Nhập sai mã quá nhiều lần")
        self.assertEqual(self.client.get(reverse("core:home")).status_code, 302)

    def test_it_leaves_it_optional_for_a_commune_officer(self) -> None:
        self._login("officer_a")
        self.assertEqual(self.client.get(reverse("core:home")).status_code, 200)
        status = self.client.get(reverse("accounts:two_factor"))
        self.assertContains(status, "Đang tắt")
        self.client.get(reverse("accounts:two_factor_setup"))
        device = TOTPDevice.objects.get(user=self.officer_a)
        self.client.post(reverse("accounts:two_factor_setup"), {"token": _code(device)})
        self.assertContains(self.client.get(reverse("accounts:two_factor")), "Đang bật")
        # Turning it off needs a fresh code (the previous one was used); on a loaded machine a
        # 30-second step may pass between the two posts, hence the refreshed drift and two tries.
        for offset in (1, 2):
            device.refresh_from_db()
            self.client.post(reverse("accounts:two_factor_disable"), {"token": _code(device, offset)})
            if not TOTPDevice.objects.filter(user=self.officer_a).exists():
                break
            TOTPDevice.objects.filter(pk=device.pk).update(throttling_failure_count=0, throttling_failure_timestamp=None)
        self.assertFalse(TOTPDevice.objects.filter(user=self.officer_a).exists())
        self.assertFalse(User.objects.get(pk=self.officer_a.pk).two_factor_enabled)

    def test_it_lets_the_user_in_after_an_administrator_removed_the_device(self) -> None:
        device = _enabled_device(self.officer_a)
        self._login("officer_a")
        device.delete()  # the admin's "reset" for a lost phone
        response = self.client.get(reverse("core:home"), follow=True)
        self.assertContains(response, "Xin chào")
        self.assertFalse(User.objects.get(pk=self.officer_a.pk).two_factor_enabled)

    def test_it_refuses_to_turn_it_off_for_a_required_role(self) -> None:
        device = _enabled_device(self.supervisor)
        self._login("supervisor")
        self.client.post(reverse("accounts:two_factor_verify"), {"token": _code(device)})
        self.client.post(reverse("accounts:two_factor_disable"), {"token": _code(device, 1)})
        self.assertTrue(TOTPDevice.objects.filter(user=self.supervisor, confirmed=True).exists())

    def test_it_sends_the_admin_login_through_the_same_door(self) -> None:
        response = self.client.get("/admin/login/?next=/admin/")
        self.assertRedirects(response, reverse("accounts:login") + "?next=%2Fadmin%2F", fetch_redirect_response=False)

    def test_it_lets_a_half_logged_in_user_log_out(self) -> None:
        self._login("viewer")
        response = self.client.post(reverse("accounts:logout"))
        self.assertRedirects(response, reverse("accounts:login"), fetch_redirect_response=False)


class PasswordChangeTestCase(PersonaTestCase):
    def setUp(self) -> None:
        cache.clear()

    def test_it_ends_other_sessions_when_the_password_changes(self) -> None:
        other = self.client_class()
        self.assertTrue(other.login(username="officer_a", password=PASSWORD))
        first = other.get(reverse("core:home"))
        self.assertEqual(first.status_code, 200, first.get("Location"))
        self.client.login(username="officer_a", password=PASSWORD)
        new = "Ng4y-mua-xuan-tren-doi"
        response = self.client.post(reverse("accounts:password_change"),
                                    {"old_password": PASSWORD, "new_password1": new, "new_password2": new})
        self.assertRedirects(response, reverse("accounts:password_done"))
        # The session that changed it goes on; the other one is logged out.
        self.assertEqual(self.client.get(reverse("core:home")).status_code, 200)
        self.assertEqual(other.get(reverse("core:home")).status_code, 302)

    def test_it_refuses_a_common_vietnamese_password(self) -> None:
        self.client.force_login(self.officer_a)
        response = self.client.post(reverse("accounts:password_change"), {
            "old_password": PASSWORD, "new_password1": "matkhau123456", "new_password2": "matkhau123456"})
        self.assertContains(response, "Mật khẩu này có rất nhiều người dùng")
