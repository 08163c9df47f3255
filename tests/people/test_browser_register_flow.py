"""A commune officer, on a phone: household and child, what she saw, the law's answer,
and the child found again by typing the name without accents."""

from clms.people.models import Child
from tests.browser import BrowserTestCase
from tests.people.factories import ChildFactory


class RegisterFlowBrowserTest(BrowserTestCase):
    def test_it_registers_observes_classifies_and_finds_the_child(self) -> None:
        page = self.page
        self.login("officer_a")
        page.goto(f"{self.live_server_url}/register/new/")
        page.fill("#id_hh-head_name", "Lê Văn Nam")
        page.select_option("#id_hh-poverty_status", "poor")
        page.fill("#id_child-full_name", "Nguyễn Thị Hà")
        page.check("input[name='child-sex'][value='F']")
        page.fill("#id_child-dob", "15/03/2012")
        page.fill("#id_child-grade", "8")
        page.click("main button[type=submit]")
        page.wait_for_load_state("networkidle")
        page.get_by_role("heading", name="Nguyễn Thị Hà").wait_for()
        self.assertIn("Hộ nghèo", page.content())
        child = Child.objects.get(full_name="Nguyễn Thị Hà")

        page.click("text=Ghi nhận tình trạng làm việc")
        page.check("input[name='activity'][value='EMPLOYED']")
        page.fill("#job-q", "non la")
        page.locator("input[name='job_code'][value='TT09.II.04']").check()
        page.fill("#id_hours_per_day", "5")
        page.fill("#id_days_per_week", "6")
        page.click("text=Lưu và phân loại")
        page.wait_for_load_state("networkidle")
        page.locator(".badge.bad", has_text="Lao động trẻ em").first.wait_for()
        content = page.content()
        self.assertIn("Điều 146 khoản 1", content)
        self.assertIn("Theo pháp luật Việt Nam", content)
        self.assertEqual(child.observations.count(), 1)
        self.screenshot("people-child-page")

        ChildFactory.create(full_name="Trần Văn Bình", village=self.village_a)
        page.goto(f"{self.live_server_url}/register/")
        page.locator("#register-rows a", has_text="Trần Văn Bình").wait_for()
        page.fill("#id_q", "nguyen thi ha")
        page.locator("#register-rows a", has_text="Trần Văn Bình").wait_for(state="detached")
        page.locator("#register-rows a", has_text="Nguyễn Thị Hà").wait_for()
        # The filtered list has its own address, so it can be bookmarked or shared.
        page.wait_for_function("location.search.includes('q=nguyen')")
        self.assertIn("1 trẻ em", page.locator("#register-rows").inner_text())
        self.screenshot("people-register-flow")
