"""A commune officer makes a token on her account page, a partner system uses it, she revokes
it; the API documentation renders from the vendored Swagger UI."""

from __future__ import annotations

from clms.api.models import ApiToken
from tests.browser import BrowserTestCase


class TokenFlowBrowserTest(BrowserTestCase):
    def test_it_creates_uses_and_revokes_a_token(self) -> None:
        page = self.page
        self.login("officer_a")
        # On a phone the menu and the user box fold behind the menu button (issue 19).
        page.click("[data-menu-toggle]")
        page.click(".userbox >> text=Mã truy cập API")
        page.get_by_role("heading", name="Mã truy cập API").wait_for()
        page.fill("#id_name", "Phần mềm trường THCS Dân Lực")
        page.fill("#id_days", "30")
        page.click("text=Tạo mã")
        page.wait_for_load_state("networkidle")
        secret = page.locator("#new-token").inner_text().strip()
        self.assertTrue(secret.startswith("clms_"))
        self.screenshot("api-token-created")

        api = self.context.request
        me = api.get(f"{self.live_server_url}/api/v1/me", headers={"Authorization": f"Bearer {secret}"})
        self.assertEqual(me.status, 200)
        self.assertEqual(me.json()["username"], "officer_a")

        page.goto(f"{self.live_server_url}/accounts/api-tokens/")
        self.assertNotIn(secret, page.content())
        page.click("button:has-text('Thu hồi')")
        page.wait_for_load_state("networkidle")
        self.assertIn("Đã thu hồi mã Phần mềm trường THCS Dân Lực", page.content())
        self.assertIsNotNone(ApiToken.objects.get().revoked_at)
        refused = api.get(f"{self.live_server_url}/api/v1/me", headers={"Authorization": f"Bearer {secret}"})
        self.assertEqual(refused.status, 401)
        self.assertIn("mã truy cập API", refused.json()["errors"][0]["message"])
        self.screenshot("api-token-revoked")

    def test_the_documentation_renders_without_a_cdn(self) -> None:
        page = self.page
        self.page.set_viewport_size({"width": 1280, "height": 900})
        errors: list[str] = []
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        requested: list[str] = []
        page.on("request", lambda request: requested.append(request.url))
        self.login("officer_a")
        page.goto(f"{self.live_server_url}/api/v1/docs")
        page.locator(".swagger-ui .info .title", has_text="CLMS API").wait_for()
        page.locator(".opblock-summary-path", has_text="/api/v1/children").first.wait_for()
        self.assertEqual(errors, [])
        self.assertTrue(all(url.startswith(self.live_server_url) for url in requested), requested)
        self.screenshot("api-docs")
