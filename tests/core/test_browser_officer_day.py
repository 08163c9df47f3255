"""Issue 19 on a phone (390 px): the inspection picker with its "new employer" shortcut, villages
that follow the commune, the folded menu, cases as cards, the agency officer's inbox and the
user pages. The screenshots also illustrate /help/: with CLMS_HELP_SHOTS=1 they are written to
clms/core/static/clms/help/ as well."""

from __future__ import annotations

import datetime as dt
import os
import shutil

from django.utils import timezone

from clms.cases.models import Notification, Referral, State
from clms.employers.models import Inspection
from tests.browser import ARTIFACTS, BrowserTestCase
from tests.cases.factories import ChildFactory, advance, file_report
from tests.employers.factories import EmployerFactory

HELP_DIR = os.path.join(os.path.dirname(__file__), "..", "..", "clms", "core", "static", "clms", "help")


class OfficerDayBrowserTestCase(BrowserTestCase):
    def shot(self, name: str, *, help_name: str = "") -> None:
        path = self.screenshot(f"officer-day-{name}")
        self.assertGreater(path.stat().st_size, 1000)
        if help_name and os.environ.get("CLMS_HELP_SHOTS"):
            self.page.screenshot(path=str(ARTIFACTS / f"help-{help_name}.png"))
            shutil.copy(ARTIFACTS / f"help-{help_name}.png", os.path.join(HELP_DIR, f"{help_name}.png"))

    def relogin(self, username: str, *args: str) -> None:
        self.context.clear_cookies()  # the login page of a logged-in user also shows "Log out"
        self.login(username, *args)

    def fits(self) -> None:
        self.assertLessEqual(self.page.evaluate("document.documentElement.scrollWidth"), 390 + 1)

    def test_it_records_an_inspection_by_typing_and_finds_a_child_in_a_village_of_the_commune(self) -> None:
        page, base = self.page, self.live_server_url
        EmployerFactory.create(commune=self.commune_a, name="Công ty TNHH May mặc Thọ Bình", tax_code="2801234567")
        EmployerFactory.create(commune=self.commune_b, name="Công ty TNHH May mặc Thọ Bình", tax_code="2807654321")
        for n in range(12):
            EmployerFactory.create(commune=self.commune_a, name=f"Xưởng mộc số {n}")
        self.login("supervisor")
        # The menu is folded behind one button on a phone.
        self.assertFalse(page.is_visible("nav.main"))
        page.click("[data-menu-toggle]")
        self.assertTrue(page.is_visible("nav.main a[href='/help/']"))

        page.goto(f"{base}/employers/inspections/new/")
        self.assertEqual(page.locator("input[name=employers]").count(), 0)  # no 14 checkboxes
        page.fill("#employer-q", "may mac tho binh")
        page.wait_for_selector("#employer-options label")
        options = page.inner_text("#employer-options")
        self.assertIn("Xã Tân Ninh", options)
        self.assertIn("Xã Triệu Sơn", options)  # the province supervisor sees both namesakes, told apart
        page.check("#employer-options label:has-text('2801234567') input")
        self.assertIn("2801234567", page.inner_text("#employers-chosen"))
        page.fill("#employer-q", "xuong moc so 1")
        page.wait_for_selector("#employer-options label:has-text('Xưởng mộc số 1')")
        self.assertIn("2801234567", page.inner_text("#employers-chosen"))  # kept through a new search
        page.click("summary:has-text('Cách điền biểu mẫu này')")
        self.shot("inspection-picker", help_name="inspection-picker")
        # An employer not on the list: the shortcut registers it and comes back with it ticked.
        page.click("a[href*='for=inspection']")
        page.fill("#id_name", "Cơ sở chế biến nông sản Minh Tâm")
        page.select_option("#id_kind", "household")
        page.select_option("#id_sector", "handicraft")
        page.select_option("#id_commune", label="Xã Tân Ninh")
        page.click("main form button[type=submit]")
        page.wait_for_load_state("networkidle")
        self.assertIn("/employers/inspections/new/?employer=", page.url)
        self.assertIn("Minh Tâm", page.inner_text("#employers-chosen"))
        page.check("#employers-chosen input")  # tick stays on
        page.fill("#employer-q", "2801234")
        page.wait_for_selector("#employer-options label")
        page.check("#employer-options input")
        page.select_option("#id_kind", "unannounced")
        page.click("main form.stack button[type=submit]")
        page.wait_for_load_state("networkidle")
        inspection = Inspection.objects.get()
        self.assertEqual({e.name for e in inspection.employers.all()},
                         {"Cơ sở chế biến nông sản Minh Tâm", "Công ty TNHH May mặc Thọ Bình"})

        # The child's village list follows the commune picked, and names the commune.
        page.goto(f"{base}/employers/inspections/{inspection.pk}/children/new/")
        page.select_option("#id_commune", label="Xã Triệu Sơn")
        labels = page.eval_on_selector_all("#id_village option:not([hidden])", "os => os.map(o => o.textContent)")
        self.assertIn("Thôn 2 – Xã Triệu Sơn", labels)
        self.assertNotIn("Thôn 1 – Xã Tân Ninh", labels)
        page.select_option("#id_commune", label="Xã Tân Ninh")
        labels = page.eval_on_selector_all("#id_village option:not([hidden])", "os => os.map(o => o.textContent)")
        self.assertIn("Thôn 1 – Xã Tân Ninh", labels)
        self.fits()
        self.shot("found-child-villages")

        # Cases on a phone: search without diacritics, one card per case, nothing clipped.
        for name in ("Nguyễn Văn An", "Trần Thị Bình"):
            file_report(user=self.officer_a, child=ChildFactory.create(commune=self.commune_a, village=self.village_a, full_name=name))
        self.relogin("officer_a")
        page.goto(f"{base}/cases/?q=nguyen+van")
        self.assertEqual(page.locator("table.cards tbody tr").count(), 1)
        self.assertEqual(page.eval_on_selector("table.cards tr td", "td => getComputedStyle(td).display"), "block")
        self.fits()
        page.goto(f"{base}/cases/")
        self.shot("cases-list", help_name="cases-list")
        page.click("text=Nguyễn Văn An")
        page.click("#child-record")
        page.wait_for_load_state("networkidle")
        self.assertIn("/register/", page.url)

    def test_it_shows_the_agency_a_readable_inbox_and_the_supervisor_the_user_pages(self) -> None:
        page, base = self.page, self.live_server_url
        child = ChildFactory.create(commune=self.commune_a, village=self.village_a, full_name="Phạm Thị Mai",
                                    dob=dt.date(timezone.localdate().year - 13, 1, 1))
        case = advance(file_report(user=self.officer_a, child=child), State.INTERVENING, user=self.officer_a)
        referral = Referral.objects.get(case=case)
        self.assertTrue(Notification.objects.filter(user=self.agency, referral=referral).exists())
        self.login("agency")
        page.goto(f"{base}/cases/inbox/")
        line = page.inner_text(f"#n-{Notification.objects.get(user=self.agency).pk}")
        self.assertIn(f"Hồ sơ số {case.pk}, Xã Tân Ninh: P.T.M., 13 tuổi", line)
        self.shot("agency-inbox", help_name="agency-inbox")
        page.click(f"#n-{Notification.objects.get(user=self.agency).pk} a")
        page.wait_for_load_state("networkidle")
        self.assertIn("Người chuyển gửi", page.inner_text("#referrer"))
        page.click("text=Phần hồ sơ cơ quan của bạn được xem")
        page.wait_for_load_state("networkidle")
        self.assertIn("Phạm Thị Mai", page.inner_text("main"))
        self.assertNotIn("403", page.inner_text("main"))

        self.relogin("supervisor")
        page.goto(f"{base}/accounts/users/new/")
        page.fill("#id_username", "canbo.moi")
        page.fill("#id_full_name", "Trần Văn Mới")
        page.select_option("#id_area", label="Xã Tân Ninh (Xã)")
        page.select_option("#id_role", "province_viewer")
        page.click("main form button[type=submit]")
        page.wait_for_load_state("networkidle")
        self.assertIn("chỉ gắn với cấp", page.inner_text("main"))  # the level rule, named on the field
        page.select_option("#id_role", "commune_officer")
        page.click("main form button[type=submit]")
        page.wait_for_load_state("networkidle")
        password = page.inner_text("#temporary-password")
        page.goto(f"{base}/accounts/users/")
        self.fits()
        self.shot("users", help_name="users")
        page.goto(f"{base}/help/")
        self.assertIn("Hướng dẫn cho", page.inner_text("h1"))
        self.shot("help-supervisor")
        self.relogin("canbo.moi", password)
        self.assertIn("/accounts/password/", page.url)
        self.assertTrue(page.is_visible("#must-change"))
