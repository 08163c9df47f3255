"""Issue 19: the points a new officer trips over, checked through the pages (test client)."""

from __future__ import annotations

import datetime as dt
import re

from django.test import SimpleTestCase, override_settings
from django.urls import reverse
from django.utils import timezone

from clms.cases.models import Case, CaseEvent, State
from clms.core.templatetags.vn_format import ago, vn_number
from clms.employers.models import Employer
from clms.indicators.base import IndicatorValue, Target
from clms.indicators.templatetags.indicator_tags import status_label
from clms.people.models import Child
from clms.people.presenters import decision_summary
from clms.people.services import observation_record
from tests.base import PersonaTestCase
from tests.cases.factories import ChildFactory, advance, file_report
from tests.employers.factories import EmployerFactory, InspectionFactory
from tests.factories import UserFactory


class FormatsTestCase(SimpleTestCase):
    def test_it_writes_numbers_and_times_the_vietnamese_way(self) -> None:
        self.assertEqual(vn_number(48265), "48.265")
        self.assertEqual(vn_number(1234567), "1.234.567")
        self.assertEqual(vn_number(38.5), "38,5")
        self.assertEqual(vn_number(None), "—")
        self.assertEqual(vn_number(5342.25, 1), "5.342,2")
        today = dt.date(2026, 12, 1)
        self.assertEqual(ago(dt.date(2026, 12, 1), today), "hôm nay")
        self.assertEqual(ago(dt.date(2026, 11, 28), today), "3 ngày trước")
        self.assertEqual(ago(dt.date(2026, 9, 20), today), "2 tháng trước")
        self.assertEqual(ago(dt.date(2024, 11, 1), today), "2 năm trước")
        self.assertNotIn("month", ago(dt.date(2026, 9, 20), today))

    def test_it_says_no_target_rather_than_no_data_next_to_a_value(self) -> None:
        def value(v: float | None, target: Target | None) -> IndicatorValue:
            return IndicatorValue(code="CL_RATE", unit_id=1, year=2026, group=None, numerator=5, denominator=13,
                                  value=v, target=target, status="no_data", flags=frozenset())

        self.assertEqual(status_label(value(38.5, None)), "Chưa giao chỉ tiêu năm 2026")
        self.assertEqual(status_label(value(None, None)), "Chưa có số liệu")

    def test_it_leads_the_legal_explanation_with_one_sentence(self) -> None:
        summary = decision_summary("CHILD_LABOUR", [
            {"rule_id": "V7", "article": "Điều 146 khoản 1 Bộ luật Lao động 2019", "explanation": "trẻ 14 tuổi làm quá 4 giờ một ngày."},
            {"rule_id": "V8", "article": "Điều 145", "explanation": "điều khác"},
        ])
        self.assertEqual(summary, "Lao động trẻ em: trẻ 14 tuổi làm quá 4 giờ một ngày (Điều 146 khoản 1 Bộ luật Lao động 2019).")


class InspectionPickerTestCase(PersonaTestCase):
    tho_a: Employer
    tho_b: Employer

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        for n in range(30):
            EmployerFactory.create(commune=cls.commune_a, name=f"Xưởng mộc số {n}")
        cls.tho_a = EmployerFactory.create(commune=cls.commune_a, name="Công ty TNHH May mặc Thọ Bình", tax_code="2801234567")
        cls.tho_b = EmployerFactory.create(commune=cls.commune_b, name="Công ty TNHH May mặc Thọ Bình", tax_code="2807654321")

    def test_it_offers_a_scoped_type_ahead_instead_of_every_employer(self) -> None:
        self.client.force_login(self.officer_a)
        page = self.client.get(reverse("employers:inspection_create")).content.decode()
        self.assertNotIn("Xưởng mộc số", page)  # no checkbox per employer
        self.assertIn('hx-get="/employers/inspections/employers/options/"', page)
        self.assertIn("?for=inspection", page)
        found = self.client.get(reverse("employers:employer_options"), {"employer_q": "may mac tho binh"}).content.decode()
        self.assertIn("Xã Tân Ninh", found)
        self.assertIn("2801234567", found)
        self.assertNotIn("2807654321", found)  # the other commune's namesake stays out of scope
        by_tax = self.client.get(reverse("employers:employer_options"), {"employer_q": "280123"}).content.decode()
        self.assertIn(f'value="{self.tho_a.pk}"', by_tax)
        response = self.client.post(reverse("employers:inspection_create"), {
            "kind": "unannounced", "inspected_on": "02/11/2026", "lead_agency": "labour", "employers": [self.tho_b.pk],
        })
        self.assertEqual(response.status_code, 200)  # an employer outside the area is refused
        self.assertIn("employers", response.context["form"].errors)

    def test_it_comes_back_from_the_new_employer_shortcut_with_it_ticked(self) -> None:
        self.client.force_login(self.officer_a)
        response = self.client.post(f"{reverse('employers:create')}?for=inspection", {
            "name": "Cơ sở chế biến nông sản Minh Tâm", "kind": "household", "sector": "handicraft", "commune": self.commune_a.pk,
        })
        self.assertEqual(response.status_code, 302, getattr(response, "context", None) and response.context["form"].errors)
        self.assertIn(f"{reverse('employers:inspection_create')}?employer=", response["Location"])
        form = self.client.get(response["Location"]).content.decode()
        self.assertIn("Cơ sở chế biến nông sản Minh Tâm", form)
        self.assertRegex(form, r'name="employers" value="\d+" checked')

    def test_it_labels_villages_with_their_commune_and_ties_them_to_it(self) -> None:
        self.client.force_login(self.supervisor)
        inspection = InspectionFactory.create(inspected_on=dt.date(2026, 11, 2), employers=[self.tho_a])
        page = self.client.get(reverse("employers:inspection_add_child", args=[inspection.pk])).content.decode()
        select = re.search(r'<select name="village"[^>]*>(.*?)</select>', page, re.S)
        assert select is not None
        self.assertIn('data-villages-of="commune"', page)
        self.assertIn(f'data-commune="{self.commune_a.pk}"', select.group(1))
        self.assertIn("Thôn 1 – Xã Tân Ninh", select.group(1))
        self.assertIn("Thôn 2 – Xã Triệu Sơn", select.group(1))


class CasesTestCase(PersonaTestCase):
    def test_it_searches_and_filters_the_cases(self) -> None:
        other_officer = UserFactory.create(username="officer_a2", role="commune_officer", area=self.commune_a, full_name="Lê Văn Tâm")
        an = file_report(user=self.officer_a, child=ChildFactory.create(commune=self.commune_a, village=self.village_a, full_name="Nguyễn Văn An"))
        binh = file_report(user=self.officer_a, child=ChildFactory.create(commune=self.commune_a, full_name="Trần Thị Bình"))
        Case.objects.filter(pk=binh.pk).update(assigned_to=other_officer)
        self.client.force_login(self.officer_a)
        url = reverse("cases:list")
        names = lambda **q: [c.child.full_name for c in self.client.get(url, q).context["cases"]]  # noqa: E731
        self.assertEqual(names(q="nguyen van"), ["Nguyễn Văn An"])
        self.assertEqual(names(q="BINH", state="open"), ["Trần Thị Bình"])
        self.assertEqual(names(village=self.village_a.pk), ["Nguyễn Văn An"])
        self.assertEqual(names(officer=other_officer.pk), ["Trần Thị Bình"])
        self.assertEqual(sorted(names()), ["Nguyễn Văn An", "Trần Thị Bình"])
        page = self.client.get(reverse("cases:detail", args=[an.pk])).content.decode()
        self.assertIn(f'href="{reverse("people:detail", args=[an.child_id])}" id="child-record"', page)

    def test_it_lists_steps_in_the_order_of_the_procedure_and_drops_same_state_arrows(self) -> None:
        case = advance(file_report(user=self.officer_a, child=ChildFactory.create(commune=self.commune_a)), State.PLANNED,
                       user=self.officer_a)
        draft = case.steps.get(step="plan_draft")
        # A local policy that gives the approval an earlier deadline than the draft.
        case.steps.filter(step="plan_approval").update(due_at=draft.due_at - dt.timedelta(days=3))
        CaseEvent.objects.create(case=case, kind="approve_plan", at=timezone.now(), from_state="planned", to_state="planned")
        self.client.force_login(self.officer_a)
        page = self.client.get(reverse("cases:detail", args=[case.pk])).content.decode()
        self.assertLess(page.index("Xây dựng kế hoạch hỗ trợ"), page.index("Phê duyệt kế hoạch hỗ trợ"))
        self.assertNotIn("Đã xây dựng kế hoạch → Đã xây dựng kế hoạch", page)

    def test_it_leaves_unknown_ethnicity_and_schooling_unknown_after_a_report(self) -> None:
        self.client.force_login(self.collaborator)
        now = timezone.localtime()
        self.client.post(reverse("cases:report_new"), {
            "source": "collaborator", "received_on": now.strftime("%d/%m/%Y"), "received_time": now.strftime("%H:%M"),
            "what_seen": "Em phụ bán hàng ở chợ đến 23 giờ.", "village": self.village_a.pk,
            "new_name": "Lò Văn Páo", "new_sex": "M", "new_dob": "03/04/2014",
        })
        child = Child.objects.get(full_name="Lò Văn Páo")
        self.assertEqual((child.ethnicity, child.school_status), ("", ""))
        self.client.force_login(self.officer_a)
        page = self.client.get(reverse("people:detail", args=[child.pk])).content.decode()
        self.assertIn("<dd>Chưa rõ", page)
        self.assertNotIn("<dd>Kinh</dd>", page)


class PagesTestCase(PersonaTestCase):
    @override_settings(DEBUG=False)
    def test_it_shows_errors_in_the_site_layout_in_vietnamese(self) -> None:
        self.client.force_login(self.viewer)
        missing = self.client.get("/cases/999999/nope/")
        self.assertEqual(missing.status_code, 404)
        self.assertContains(missing, "Không tìm thấy trang", status_code=404)
        self.assertContains(missing, 'class="brand"', status_code=404)
        self.assertContains(missing, "Về trang chủ", status_code=404)
        denied = self.client.get(reverse("cases:due"))
        self.assertContains(denied, "Trang này không mở cho tài khoản của bạn", status_code=403)
        self.assertNotContains(denied, "Forbidden", status_code=403)
        from django.test import Client

        strict = Client(enforce_csrf_checks=True)
        strict.force_login(self.officer_a)
        expired = strict.post(reverse("cases:report_new"), {})
        self.assertContains(expired, "Biểu mẫu đã hết hạn", status_code=403)
        self.assertContains(expired, "Trường hợp", status_code=403)  # the menu: a way on
        icon = self.client.get("/favicon.ico")
        self.assertEqual((icon.status_code, icon["Location"]), (302, "/static/clms/favicon.svg"))

    def test_it_shows_a_guide_for_each_role(self) -> None:
        for user, heading in ((self.officer_a, "Cán bộ cấp xã"), (self.agency, "Cán bộ cơ quan, ngành"), (self.supervisor, "")):
            self.client.force_login(user)
            page = self.client.get(reverse("core:help"))
            self.assertContains(page, "Hướng dẫn cho")
            if heading:
                self.assertContains(page, heading)
        self.client.force_login(self.officer_a)
        self.assertContains(self.client.get(reverse("core:help")), "/static/clms/help/inspection-picker.png")
        self.assertContains(self.client.get(reverse("core:help"), {"role": "agency_officer"}), "agency-inbox.png")

    def test_it_shows_labels_not_internal_codes_on_the_legal_pages(self) -> None:
        page = self.client.get(reverse("legal:catalogues")).content.decode()
        self.assertNotRegex(page, r"<td>(EMPLOYED|HEAVY_LOADS|LC147\.2\.a)</td>")
        self.assertIn("<code>HEAVY_LOADS</code>", page)  # kept, in the collapsed technical details
        self.assertIn("chi tiết kỹ thuật", page)
        form = self.client.get(reverse("legal:classify")).content.decode()
        self.assertNotIn("EMPLOYED —", form)
        self.assertNotIn("HEAVY_LOADS —", form)
        result = self.client.post(reverse("legal:classify"), {
            "as_of": "02/11/2026", "activity": "EMPLOYED", "age": "14", "job_code": "TT09.II.04", "hours_day_max": "3",
            "hours_week": "15", "strict_under15": "on", "family_outside": "on",
        }).content.decode()
        visible = result.split("<details")[0]
        self.assertNotRegex(visible, r"<strong>V\d+</strong>")
        self.assertNotIn("(LAWFUL_WORK)", result)

    def test_it_opens_the_dashboard_on_the_unit_it_shows(self) -> None:
        self.client.force_login(self.officer_a)
        page = self.client.get(reverse("indicators:dashboard")).content.decode()
        self.assertRegex(page, rf'<option value="{self.commune_a.pk}" selected>')

    def test_it_offers_reports_only_for_chains_in_force(self) -> None:
        self.client.force_login(self.district_officer)
        page = self.client.get(reverse("reports:list")).content.decode()
        self.assertNotIn('action="/reports/start/"', page)
        self.assertIn('id="no-chain"', page)
        self.client.force_login(self.officer_a)
        self.assertIn(str(timezone.localdate().year), self.client.get(reverse("reports:list")).content.decode())


class ChildPageTestCase(PersonaTestCase):
    def test_it_leads_with_the_decision_and_hides_ruleset_ids(self) -> None:
        child = ChildFactory.create(commune=self.commune_a, village=self.village_a, dob=dt.date(2012, 1, 1))
        observation_record(user=self.officer_a, child=child, observed_on=timezone.localdate(), activity="NONE")
        self.client.force_login(self.officer_a)
        page = self.client.get(reverse("people:detail", args=[child.pk])).content.decode()
        lead = re.search(r'<p class="lead"><strong>(.*?)</strong>', page)
        assert lead is not None
        self.assertTrue(lead.group(1).startswith("Không phải lao động trẻ em"), lead.group(1))
        self.assertNotIn("<li>: ", page)
        visible = re.sub(r"<details.*?</details>", "", page, flags=re.S)
        self.assertNotIn("VN-LC2019", visible)
        self.assertNotIn("risk-2026", visible)


