from tests.browser import BrowserTestCase


class LoginSmokeTestCase(BrowserTestCase):
    def test_it_logs_in_as_a_commune_officer_and_sees_the_vietnamese_home(self) -> None:
        self.login("officer_a")
        body = self.page.inner_text("body")
        self.assertIn("Xin chào", body)
        self.assertIn("Cán bộ cấp xã", body)
        self.assertIn("Xã Tân Ninh", body)
        self.assertEqual(self.page.get_attribute("html", "lang"), "vi")
        self.assertTrue(self.screenshot("home-commune-officer").stat().st_size > 1000)
