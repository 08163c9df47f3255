"""A province supervisor's first log-in: the setup page, a code from the app, then the site;
and the CSP lets the pages' own scripts (htmx) run in a real browser."""

from __future__ import annotations

import time

from django.test import override_settings
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.browser import BrowserTestCase


@override_settings(CLMS_TWO_FACTOR_REQUIRED=True)
class TwoFactorBrowserTestCase(BrowserTestCase):
    bypass_csp = False  # this test checks that the pages work under the policy

    def test_it_sets_up_two_step_verification_on_first_log_in(self) -> None:
        errors: list[str] = []
        self.page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        self.login("supervisor")
        self.assertIn("/accounts/two-factor/setup/", self.page.url)
        body = self.page.inner_text("body")
        self.assertIn("Thiết lập xác thực hai bước", body)
        self.assertTrue(self.page.is_visible(".qr svg"))
        self.screenshot("two-factor-setup")
        device = TOTPDevice.objects.get(user__username="supervisor", confirmed=False)
        totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
        totp.time = time.time()
        self.page.fill("#id_token", f"{totp.token():06d}")
        self.page.click("form.stack button[type=submit]")
        self.page.wait_for_load_state("networkidle")
        self.assertIn("Đã bật xác thực hai bước", self.page.inner_text("body"))
        # htmx (a static script) ran under the policy; no inline script was refused.
        self.assertTrue(self.page.evaluate("typeof window.htmx === 'object'"))
        self.assertEqual([e for e in errors if "Content Security Policy" in e], [])
        self.screenshot("two-factor-done")
