"""Issue 19 on a phone (390 px): the inspection picker with its "new employer" shortcut, villages
that follow the commune, the folded menu, cases as cards, the agency officer's inbox and the
user pages; then the village collaborator's day on a phone and the province viewer's on a
desktop (1366 px), on the demo's records. The screenshots also illustrate /help/: with
CLMS_HELP_SHOTS=1 they are written to clms/core/static/clms/help/ as well."""

from __future__ import annotations

import datetime as dt
import os
import shutil

from django.utils import timezone

from clms.accounts.models import User
from clms.cases.models import Case, Notification, Referral, State
from clms.demo.setup import demo_setup
from clms.employers.models import Inspection
from clms.reports.services import (
    submission_accept,
    submission_start,
    submission_submit,
    submission_update,
)
from tests.base import PASSWORD
from tests.browser import ARTIFACTS, BrowserTestCase, reload_shipped_data
from tests.cases.factories import ChildFactory, advance, file_report
from tests.core.test_form_fuzz import build_world
from tests.employers.factories import EmployerFactory

HELP_DIR = os.path.join(os.path.dirname(__file__), "..", "..", "clms", "core", "static", "clms", "help")


class HelpShots(BrowserTestCase):
    def shot(self, name: str, *, help_name: str = "") -> None:
        path = self.screenshot(f"officer-day-{name}")
        self.assertGreater(path.stat().st_size, 1000)
        if help_name and os.environ.get("CLMS_HELP_SHOTS"):
            self.page.screenshot(path=str(ARTIFACTS / f"help-{help_name}.png"))
            shutil.copy(ARTIFACTS / f"help-{help_name}.png", os.path.join(HELP_DIR, f"{help_name}.png"))

    def relogin(self, username: str, *args: str) -> None:
        self.context.clear_cookies()  # the login page of a logged-in user also shows "Log out"
        self.login(username, *args)

    def fits(self, width: int = 390) -> None:
        self.assertLessEqual(self.page.evaluate("document.documentElement.scrollWidth"), width + 1)


class OfficerDayBrowserTestCase(HelpShots):

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
        # The guide's picture: the picker with the two namesakes told apart, the chosen one above.
        page.evaluate("document.querySelector('#employers-chosen').scrollIntoView({block: 'start'}); window.scrollBy(0, -110)")
        self.shot("inspection-namesakes", help_name="inspection-picker")
        page.fill("#employer-q", "xuong moc so 1")
        page.wait_for_selector("#employer-options label:has-text('Xưởng mộc số 1')")
        self.assertIn("2801234567", page.inner_text("#employers-chosen"))  # kept through a new search
        page.click("summary:has-text('Cách điền biểu mẫu này')")
        self.shot("inspection-picker")
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


class RoleGuideBrowserTestCase(HelpShots):
    """The collaborator and the province viewer on the demo's units, users and records, so that
    their guide's pictures show a working commune and province."""

    def setUp(self) -> None:
        reload_shipped_data()
        self.context = self.browser.new_context(locale="vi-VN", viewport={"width": 390, "height": 844},
                                                bypass_csp=self.bypass_csp)
        self.page = self.context.new_page()

    def demo_logins(self) -> None:
        for user in User.objects.all():  # the demo draws random passwords
            user.set_password(PASSWORD)
            user.save(update_fields=["password"])

    def test_it_shows_the_collaborator_her_day_on_a_phone(self) -> None:
        page, base = self.page, self.live_server_url
        build_world()  # the demo without its generated children: the work-list below is the three
        self.demo_logins()
        village = User.objects.get(username="ctv.tanninh").area
        assert village is not None
        today = timezone.localdate()
        for name, dob, status, risk, visited in (
            ("Hà Văn Tùng", dt.date(2011, 3, 2), "child_labour", "high", today - dt.timedelta(days=45)),
            ("Lò Thị Mỷ", dt.date(2012, 8, 19), "at_risk", "high", None),
            ("Vi Văn Hùng", dt.date(2010, 1, 25), "at_risk", "medium", today - dt.timedelta(days=20)),
        ):
            ChildFactory.create(village=village, commune=village.parent, full_name=name, sex="F" if "Thị" in name else "M", dob=dob,
                                register_status=status, risk_level=risk, last_visit_on=visited)
        self.login("ctv.tanninh")
        # 1. A report from the village, the child new to the register.
        page.goto(f"{base}/cases/report/")
        page.fill("#id_what_seen", "Em phụ bán hàng ở chợ từ 5 giờ sáng, hôm nay không đi học.")
        page.fill("#id_new_name", "Lò Văn Sáng")
        page.select_option("#id_new_sex", "M")
        page.fill("#id_new_dob", "12/05/2013")
        self.fits()
        page.evaluate("window.scrollTo(0, 0)")  # the picture starts at the title, not at the last field
        self.shot("collaborator-report", help_name="collaborator-report")
        page.click("button[type=submit] >> text=Gửi tin báo")
        page.wait_for_load_state("networkidle")
        self.assertIn("Đã ghi nhận tin báo", page.inner_text("body"))
        reported = Case.objects.get(child__full_name="Lò Văn Sáng").child
        self.assertEqual((reported.ethnicity, reported.school_status), ("", ""))  # not entered: unknown
        # 2. The field forms, which also work without a connection.
        page.goto(f"{base}/field/")
        page.wait_for_selector("#field[data-cached='1']", timeout=20_000)
        # A report saved with no connection waits on the phone, counted at the top.
        self.context.set_offline(True)
        page.fill("#report_what_seen", "Em chăn trâu thuê cả ngày.")
        page.fill("#report_new_name", "Lò Văn Páo")
        page.select_option("#report_new_sex", "M")
        page.fill("#report_new_dob", "02/03/2014")
        page.click("#form-report button[type=submit]")
        page.wait_for_selector("[data-pending-counter]:has-text('chờ gửi (1)')", timeout=20_000)
        self.fits()
        page.evaluate("window.scrollTo(0, 0)")
        self.shot("collaborator-field", help_name="collaborator-field")
        self.context.set_offline(False)
        page.wait_for_selector("[data-pending-counter]:has-text('chờ gửi (0)')", timeout=20_000)
        self.assertTrue(Case.objects.filter(child__full_name="Lò Văn Páo").exists())
        # 3. The children of her village to visit.
        page.goto(f"{base}/register/worklist/")
        self.assertEqual(page.locator("table.cards tbody tr").count(), 3)
        self.assertIn("Hà Văn Tùng", page.inner_text("table.cards tbody tr:first-child"))  # child labour first
        self.fits()
        self.shot("collaborator-worklist", help_name="collaborator-worklist")
        page.goto(f"{base}/help/")
        self.assertIn("Cộng tác viên", page.inner_text("h1"))
        self.assertEqual(page.locator("main img").count(), 3)
        self.shot("help-collaborator")

    def test_it_shows_the_province_viewer_the_figures_on_a_desktop(self) -> None:
        page, base = self.page, self.live_server_url
        demo_setup(seed=2021, children=150)  # figures for the indicators need generated children
        self.demo_logins()
        year = timezone.localdate().year
        supervisor = User.objects.get(username="soyte.thanhhoa")
        for username in ("canbo.tanninh", "canbo.trieuson"):
            officer = User.objects.get(username=username)
            assert officer.area is not None
            draft = submission_start(user=officer, unit=officer.area, year=year)
            draft = submission_update(user=officer, submission=draft, version=draft.version, signer_name=officer.full_name)
            sent = submission_submit(user=officer, submission=draft, version=draft.version)
        submission_accept(user=supervisor, submission=sent, version=sent.version)
        page.set_viewport_size({"width": 1366, "height": 900})
        self.login("xem.thanhhoa")
        # 1. The indicators of the province on the home page, each with its count.
        self.assertIn("Chỉ tiêu của Tỉnh Thanh Hóa", page.inner_text("main"))
        self.assertGreater(page.locator("main table tbody tr").count(), 5)
        self.fits(1366)
        self.shot("viewer-indicators", help_name="viewer-indicators")
        # 2. The reports of the chains in force this year.
        page.goto(f"{base}/reports/")
        self.assertNotIn("Huyện Triệu Sơn", page.inner_text("main"))  # abolished on 1 July 2025
        # Not "No reports yet" under two sent reports: the viewer reads the province's summary.
        self.assertNotIn("Chưa có báo cáo nào", page.inner_text("main"))
        self.assertTrue(page.is_visible("#summary-only"))
        self.shot("viewer-report-list")
        page.click(f"main a:has-text('{year}')")
        page.wait_for_load_state("networkidle")
        self.assertIn("Xã Tân Ninh", page.inner_text("main"))
        self.fits(1366)
        self.shot("viewer-reports", help_name="viewer-reports")
        page.goto(f"{base}/help/")
        self.assertEqual(page.locator("main img").count(), 2)
        self.shot("help-viewer")
