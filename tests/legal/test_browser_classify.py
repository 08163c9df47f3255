from tests.browser import BrowserTestCase


class ClassifyInBrowserTestCase(BrowserTestCase):
    def test_it_classifies_as_the_officer_types(self) -> None:
        page = self.page
        page.goto(f"{self.live_server_url}/legal/")
        page.fill("#id_as_of", "02/11/2026")
        page.fill("#id_age", "14")
        page.select_option("#id_activity", "EMPLOYED")
        page.fill("#id_job_code", "ve tranh son mai")
        # The type-ahead fills the datalist from the catalogue, matching without diacritics.
        page.wait_for_function("document.querySelectorAll('#job-options option').length > 0")
        option = page.eval_on_selector("#job-options option", "o => o.value")
        self.assertTrue(option.startswith("TT09.II.04"))
        page.fill("#id_job_code", option)
        page.fill("#id_hours_day_max", "5")
        page.fill("#id_hours_week", "30")
        page.click("button[type=submit]")
        try:
            page.wait_for_selector("#result .decision", timeout=5000)
        finally:
            self.screenshot("law-check")
        result = page.inner_text("#result")
        self.assertIn("Lao động trẻ em", result)
        self.assertIn("Điều 146 khoản 1", result)
        self.assertIn("MICS6", result)
        self.screenshot("law-check")
