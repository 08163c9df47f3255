import datetime as dt
from typing import Any

from django.template import Context, Template
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from clms.cases.models import Case, Report, ReporterIdentity
from clms.people.models import Child
from clms.people.services import observation_record
from tests.base import PersonaTestCase
from tests.cases.factories import ChildFactory


class ReportFormTestCase(PersonaTestCase):
    def post(self, **overrides: object) -> Any:
        now = timezone.localtime()
        data = {
            "source": "collaborator", "received_on": now.strftime("%d/%m/%Y"), "received_time": now.strftime("%H:%M"),
            "what_seen": "Em phụ bán hàng ở chợ đến 23 giờ.", "village": self.village_a.pk,
            "new_name": "Lò Văn Páo", "new_sex": "M", "new_dob": "03/04/2014",
            "reporter_name": "Bà Hạnh", "reporter_phone": "0987654321",
        }
        data.update(overrides)
        return self.client.post(reverse("cases:report_new"), data)

    def test_it_files_a_report_for_a_new_child_from_the_collaborators_phone_form(self) -> None:
        self.client.force_login(self.collaborator)
        response = self.post(emergency="on")
        self.assertRedirects(response, reverse("cases:list"))
        child = Child.objects.get(full_name="Lò Văn Páo")
        self.assertEqual((child.commune, child.village), (self.commune_a, self.village_a))
        case = Case.objects.get(child=child)
        self.assertTrue(case.emergency)
        self.assertEqual(case.report.filed_by, self.collaborator)
        self.assertEqual(ReporterIdentity.objects.get(report=case.report).phone, "0987654321")

    def test_it_names_the_field_of_bad_input_in_vietnamese_and_writes_nothing(self) -> None:
        self.client.force_login(self.collaborator)
        response = self.post(received_on="31/02/2026", new_sex="")
        self.assertContains(response, "Nhập đủ họ tên, giới tính và ngày sinh của trẻ mới.")
        self.assertContains(response, "Nhập một ngày hợp lệ.")
        response = self.post(new_name="", new_sex="", new_dob="")
        self.assertContains(response, "Chọn ít nhất một trẻ hoặc nhập trẻ mới.")
        self.assertFalse(Report.objects.exists())
        self.assertFalse(Child.objects.exists())

    def test_it_warns_of_a_possible_duplicate_before_adding_the_child(self) -> None:
        ChildFactory.create(commune=self.commune_a, village=self.village_a, full_name="Lò Văn Páo",
                            name_folded="lo van pao", sex="M", dob=dt.date(2014, 4, 3))
        self.client.force_login(self.collaborator)
        response = self.post()
        self.assertContains(response, "có thể đã có trong sổ theo dõi")
        self.assertEqual(Child.objects.count(), 1)
        response = self.post(confirm_new="on")
        self.assertEqual(response.status_code, 302)
        self.assertEqual(Child.objects.count(), 2)

    def test_it_files_a_report_about_a_registered_child_found_by_search(self) -> None:
        child = ChildFactory.create(commune=self.commune_a, village=self.village_a, full_name="Vi Thị Hoa",
                                    name_folded="vi thi hoa")
        ChildFactory.create(commune=self.commune_b, village=self.village_b, full_name="Vi Thị Hoa B",
                            name_folded="vi thi hoa b")
        self.client.force_login(self.officer_a)
        results = self.client.get(reverse("cases:child_search"), {"q": "Vi Thị"})
        self.assertContains(results, "Vi Thị Hoa")
        self.assertNotContains(results, "Vi Thị Hoa B")  # another commune's child
        response = self.post(new_name="", new_sex="", new_dob="", children=[child.pk], village="", source="school")
        case = Case.objects.get(child=child)
        self.assertRedirects(response, reverse("cases:detail", args=[case.pk]))
        self.assertEqual((case.report.source, case.assigned_to), ("school", self.officer_a))


class ChildPanelTestCase(PersonaTestCase):
    def render(self, user: object, child: Child) -> str:
        request = RequestFactory().get("/")
        request.user = user  # type: ignore[assignment]
        template = Template('{% load panels %}{% include_panels "child" %}')
        return template.render(Context({"child": child, "user": user, "request": request}))

    def test_it_offers_a_case_for_a_child_under_16_in_child_labour_and_opens_it(self) -> None:
        child = ChildFactory.create(commune=self.commune_a, village=self.village_a, dob=dt.date(2012, 1, 1))
        self.assertNotIn("open-for-child", self.render(self.officer_a, child))
        observation_record(user=self.officer_a, child=child, observed_on=timezone.localdate(), activity="EMPLOYED",
                           job_code="TT09.II.04", hours_per_day=6, days_per_week=6)
        html = self.render(self.officer_a, child)
        self.assertIn(reverse("cases:open_for_child", args=[child.pk]), html)
        self.assertIn("trẻ em bị bóc lột", html)
        self.client.force_login(self.officer_a)
        response = self.client.post(reverse("cases:open_for_child", args=[child.pk]))
        case = Case.objects.get(child=child)
        self.assertRedirects(response, reverse("cases:detail", args=[case.pk]))
        self.assertEqual(case.report.source, "register")
        html = self.render(self.officer_a, child)
        self.assertNotIn(reverse("cases:open_for_child", args=[child.pk]), html)
        self.assertIn(reverse("cases:detail", args=[case.pk]), html)
        again = self.client.post(reverse("cases:open_for_child", args=[child.pk]))
        self.assertEqual(again.status_code, 302)
        self.assertEqual(Case.objects.filter(child=child).count(), 1)

    def test_it_offers_a_case_for_a_minor_of_16_in_child_labour_or_at_high_risk_but_not_to_a_collaborator(self) -> None:
        today = timezone.localdate()
        older = ChildFactory.create(
            commune=self.commune_a, village=self.village_a, dob=dt.date(today.year - 17, 1, 1) if today.month > 1 else dt.date(today.year - 18, 6, 1)
        )
        observation_record(user=self.officer_a, child=older, observed_on=today, activity="EMPLOYED",
                           job_code="TT09.III.01")
        older.refresh_from_db()
        self.assertIn(older.latest_category, ("CHILD_LABOUR", "HAZARDOUS_CHILD_LABOUR"))
        html = self.render(self.officer_a, older)
        self.assertIn(reverse("cases:open_for_child", args=[older.pk]), html)
        self.assertIn("16 hoặc 17 tuổi", html)
        at_risk = ChildFactory.create(commune=self.commune_a, village=self.village_a, dob=dt.date(2013, 1, 1), risk_level="high")
        html = self.render(self.officer_a, at_risk)
        self.assertIn(reverse("cases:open_for_child", args=[at_risk.pk]), html)
        self.client.force_login(self.officer_a)
        self.client.post(reverse("cases:open_for_child", args=[at_risk.pk]))
        self.assertEqual(Case.objects.get(child=at_risk).report.what_seen, "Được đánh giá có nguy cơ cao trở thành lao động trẻ em trong sổ theo dõi.")
        adult = ChildFactory.create(commune=self.commune_a, village=self.village_a, dob=dt.date(today.year - 19, 1, 1), risk_level="high")
        self.assertNotIn("open-for-child", self.render(self.officer_a, adult))
        young = ChildFactory.create(commune=self.commune_a, village=self.village_a, dob=dt.date(2012, 1, 1))
        observation_record(user=self.officer_a, child=young, observed_on=timezone.localdate(), activity="EMPLOYED",
                           job_code="TT09.II.04", hours_per_day=6, days_per_week=6)
        self.assertNotIn("open-for-child", self.render(self.collaborator, young))
        self.client.force_login(self.collaborator)
        self.assertEqual(self.client.post(reverse("cases:open_for_child", args=[young.pk])).status_code, 403)


class AgencyReportTestCase(PersonaTestCase):
    """A school or the police reports a child they saw; the case stays with the commune."""

    def post(self, **overrides: object) -> Any:
        now = timezone.localtime()
        data = {
            "source": "school", "received_on": now.strftime("%d/%m/%Y"), "received_time": now.strftime("%H:%M"),
            "what_seen": "Em nghỉ học hai tuần để làm ở xưởng gạch.", "commune": self.commune_a.pk,
            "new_name": "Hà Văn Sinh", "new_sex": "M", "new_dob": "03/04/2013",
        }
        data.update(overrides)
        return self.client.post(reverse("cases:report_new"), data)

    def test_it_lets_an_agency_officer_report_a_child_without_reading_the_register(self) -> None:
        self.client.force_login(self.agency)
        response = self.post()
        self.assertRedirects(response, reverse("cases:report_new"))
        child = Child.objects.get(full_name="Hà Văn Sinh")
        self.assertEqual(child.commune, self.commune_a)
        case = Case.objects.get(child=child)
        self.assertEqual(case.report.filed_by, self.agency)
        # A case not referred to the agency does not exist for it (404, as in the access matrix).
        self.assertEqual(self.client.get(reverse("cases:detail", args=[case.pk])).status_code, 404)
        self.assertEqual(self.client.get(reverse("people:detail", args=[child.pk])).status_code, 403)

    def test_it_never_shows_duplicate_candidates_to_an_agency(self) -> None:
        ChildFactory.create(commune=self.commune_a, village=self.village_a, full_name="Hà Văn Sinh",
                            name_folded="ha van sinh", sex="M", dob=dt.date(2013, 4, 3))
        self.client.force_login(self.agency)
        response = self.post()
        self.assertEqual(response.status_code, 302)
        self.assertEqual(Child.objects.filter(name_folded="ha van sinh").count(), 2)

    def test_it_refuses_a_commune_outside_the_agencys_area(self) -> None:
        from tests.factories import UserFactory

        school = UserFactory.create(username="school_b", role="agency_officer", agency="education", area=self.commune_b)
        self.client.force_login(school)
        response = self.post()
        self.assertNotEqual(response.status_code, 302)
        self.assertFalse(Child.objects.filter(full_name="Hà Văn Sinh").exists())
