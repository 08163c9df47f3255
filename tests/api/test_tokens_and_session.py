"""The account page's tokens (shown once, stored hashed, expiry, last use, revoke) and the
browser session with CSRF."""

from __future__ import annotations

import datetime as dt
import re

from django.test import Client
from django.utils import timezone

from clms.api.models import ApiToken
from clms.api.tokens import digest_of, token_authenticate, token_create
from tests.base import PersonaTestCase


class TokenPageTests(PersonaTestCase):
    def setUp(self) -> None:
        self.client.force_login(self.officer_a)

    def test_it_creates_a_token_shown_once_and_stores_only_its_digest(self) -> None:
        response = self.client.post("/accounts/api-tokens/", {"name": "Phần mềm trường THCS", "days": 30})
        self.assertEqual(response.status_code, 200)
        secret = re.search(r'<code id="new-token" class="secret">([^<]+)</code>', response.content.decode()).group(1)  # type: ignore[union-attr]
        token = ApiToken.objects.get(user=self.officer_a)
        self.assertEqual(token.digest, digest_of(secret))
        self.assertNotIn(secret, str(ApiToken.objects.filter(pk=token.pk).values().get()))
        again = self.client.get("/accounts/api-tokens/")
        self.assertNotContains(again, secret)
        self.assertContains(again, "Phần mềm trường THCS")
        api = Client().get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {secret}")
        self.assertEqual(api.json()["username"], "officer_a")
        token.refresh_from_db()
        assert token.last_used_at is not None
        self.assertContains(self.client.get("/accounts/api-tokens/"), token.last_used_at.astimezone(timezone.get_current_timezone()).strftime("%d/%m/%Y"))

    def test_it_revokes_only_the_owners_token(self) -> None:
        mine, _ = token_create(user=self.officer_a, name="a", days=5)
        theirs, raw = token_create(user=self.officer_b, name="b", days=5)
        self.assertEqual(self.client.post(f"/accounts/api-tokens/{theirs.pk}/revoke/").status_code, 404)
        self.assertIsNotNone(token_authenticate(raw))
        self.client.post(f"/accounts/api-tokens/{mine.pk}/revoke/")
        mine.refresh_from_db()
        self.assertIsNotNone(mine.revoked_at)

    def test_an_expired_token_or_inactive_user_is_refused(self) -> None:
        token, raw = token_create(user=self.officer_a, name="a", days=1)
        ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - dt.timedelta(seconds=1))
        self.assertIsNone(token_authenticate(raw))
        token2, raw2 = token_create(user=self.officer_b, name="b", days=1)
        self.officer_b.is_active = False
        self.officer_b.save()
        self.assertIsNone(token_authenticate(raw2))

    def test_it_refuses_a_too_long_lifetime_in_vietnamese(self) -> None:
        response = self.client.post("/accounts/api-tokens/", {"name": "x", "days": 5000})
        self.assertContains(response, "365")
        self.assertFalse(ApiToken.objects.exists())


class SessionTests(PersonaTestCase):
    def test_a_session_reads_and_writes_only_with_the_csrf_token(self) -> None:
        from tests.people.factories import ChildFactory

        child = ChildFactory.create(commune=self.commune_a, village=self.village_a, grade=6)
        browser = Client(enforce_csrf_checks=True)
        browser.force_login(self.officer_a)
        self.assertEqual(browser.get(f"/api/v1/children/{child.pk}").status_code, 200)
        body = '{"version": 1, "grade": 7}'
        refused = browser.patch(f"/api/v1/children/{child.pk}", body, content_type="application/json")
        self.assertEqual(refused.status_code, 403)
        child.refresh_from_db()
        self.assertEqual(child.grade, 6)
        browser.get("/accounts/api-tokens/")  # sets the CSRF cookie, as any page does
        csrf = browser.cookies["csrftoken"].value
        ok = browser.patch(f"/api/v1/children/{child.pk}", body, content_type="application/json", HTTP_X_CSRFTOKEN=csrf)
        self.assertEqual(ok.status_code, 200, ok.content)

    def test_the_docs_page_uses_vendored_assets_and_no_inline_script(self) -> None:
        self.client.force_login(self.officer_a)
        page = self.client.get("/api/v1/docs").content.decode()
        self.assertIn("/static/ninja/swagger-ui-bundle.js", page)
        self.assertNotIn("cdn", page.lower())
        scripts = re.findall(r"<script([^>]*)>(.*?)</script>", page, re.S)
        for attrs, _body in scripts:
            # Only external scripts, or a JSON data block (not executed, so CSP script-src allows it).
            self.assertTrue("src=" in attrs or 'type="application/json"' in attrs, attrs)


class BadTokenWithSessionTests(PersonaTestCase):
    def test_a_revoked_token_is_refused_even_from_a_signed_in_browser(self) -> None:
        self.client.force_login(self.officer_a)
        self.assertEqual(self.client.get("/api/v1/me").status_code, 200)
        response = self.client.get("/api/v1/me", HTTP_AUTHORIZATION="Bearer clms_not-a-real-token")
        self.assertEqual(response.status_code, 401)
