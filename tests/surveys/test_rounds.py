"""A survey round from design to the dashboard, the yearly report and the register."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse

from clms.accounts.models import AuditEvent
from clms.cases.models import Case, Source
from clms.people.models import Child
from clms.places.models import AdminUnit, Level, Scheme
from clms.surveys import selectors, services
from clms.surveys.models import SurveyMember, SurveyRound
from tests.base import PersonaTestCase
from tests.factories import AdminUnitFactory
from tests.people.factories import ChildFactory
from tests.surveys.factories import IDLE, WORKING, survey_round


class RoundTestCase(PersonaTestCase):
    village_a2: AdminUnit
    survey: SurveyRound

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.village_a2 = AdminUnitFactory.create(name="Thôn 5", parent=cls.commune_a, scheme=Scheme.LOCAL,
                                                 level=Level.VILLAGE, code="")
        cls.survey = survey_round(user=cls.officer_a, unit=cls.commune_a, villages=[cls.village_a, cls.village_a2],
                                  households=[
                                      [("Vi Thị Hoa", "F", dt.date(2014, 2, 1), WORKING), ("Vi Văn Tú", "M", dt.date(2016, 3, 1), IDLE)],
                                      [("Lò Văn Sáng", "M", dt.date(2010, 1, 1), IDLE)],
                                      [("Hà Thị Mai", "F", dt.date(2012, 5, 5), IDLE)],
                                      [("Hà Văn Nam", "M", dt.date(2011, 5, 5), WORKING)],
                                  ])

    def test_it_estimates_the_rate_with_the_design(self) -> None:
        estimates = selectors.round_estimates(self.survey)
        rate = estimates["estimates"]["vn-law"]["all"]["rate"]
        self.assertAlmostEqual(rate["value"], 2 / 5)
        self.assertEqual((rate["count"], rate["cases"], rate["psus"], rate["df"]), (5, 2, 2, 1))
        self.assertEqual(estimates["households"]["completed"], 4)
        self.assertEqual(estimates["response_rate"], 1.0)
        self.assertAlmostEqual(estimates["estimates"]["vn-law"]["sex:F"]["rate"]["value"], 1 / 2)
        self.assertAlmostEqual(estimates["estimates"]["mics6"]["all"]["hazardous_share"]["value"], 1.0)

    def test_it_shows_the_round_with_its_tables_and_the_children_found(self) -> None:
        self.client.force_login(self.officer_a)
        page = self.client.get(reverse("surveys:round", args=[self.survey.pk])).content.decode()
        self.assertIn("Tỷ lệ gia quyền", page)
        self.assertIn("40,0 %", page)
        self.assertIn("Vi Thị Hoa", page)
        self.assertNotIn("Vi Văn Tú", page)  # listed only when found in child labour
        self.assertTrue(AuditEvent.objects.filter(object_type="surveys.surveymember", action="list").exists())
        self.client.force_login(self.viewer)  # figures, no names
        page = self.client.get(reverse("surveys:round", args=[self.survey.pk])).content.decode()
        self.assertIn("Tỷ lệ gia quyền", page)
        self.assertNotIn("Vi Thị Hoa", page)
        self.client.force_login(self.officer_b)
        self.assertEqual(self.client.get(reverse("surveys:round", args=[self.survey.pk])).status_code, 404)

    def test_it_puts_the_survey_beside_the_register_on_the_dashboard(self) -> None:
        self.client.force_login(self.officer_a)
        page = self.client.get(reverse("indicators:dashboard") + f"?unit={self.commune_a.pk}&year=2026").content.decode()
        self.assertIn("ước tính từ khảo sát hộ gia đình năm 2026, khoảng tin cậy 95 %:", page)
        self.assertIn("số trẻ được phát hiện trong sổ theo dõi", page.lower())
        self.assertIn("mục tiêu quốc gia: giảm (năm 2030", page)
        self.assertIn("chưa có khảo sát trước", page)
        self.assertIn("mục tiêu của địa phương ≤ 0,5 %", page)
        self.assertNotIn("(CL_RATE)", page)  # issue 19: the indicator's label, not its code

    def test_it_adds_a_surveyed_child_in_child_labour_to_the_register_in_one_step(self) -> None:
        hoa = SurveyMember.objects.get(full_name="Vi Thị Hoa")
        self.client.force_login(self.officer_a)
        response = self.client.post(reverse("surveys:member_register", args=[hoa.pk]))
        child = Child.objects.get(full_name="Vi Thị Hoa")
        self.assertRedirects(response, reverse("people:detail", args=[child.pk]), fetch_redirect_response=False)
        self.assertEqual(child.latest_category, "CHILD_LABOUR")
        self.assertEqual(Case.objects.get(child=child).report.source, Source.SURVEY)
        hoa.refresh_from_db()
        self.assertEqual(hoa.child, child)
        self.client.post(reverse("surveys:member_register", args=[hoa.pk]))
        self.assertEqual(Child.objects.filter(full_name="Vi Thị Hoa").count(), 1)

    def test_it_checks_for_duplicates_before_adding(self) -> None:
        known = ChildFactory.create(village=self.village_a, full_name="Hà Văn Nam", sex="M", dob=dt.date(2011, 5, 5))
        nam = SurveyMember.objects.get(full_name="Hà Văn Nam")
        self.client.force_login(self.officer_a)
        page = self.client.post(reverse("surveys:member_register", args=[nam.pk])).content.decode()
        self.assertIn("có thể đã có trong sổ theo dõi", page)
        self.assertEqual(Child.objects.filter(full_name="Hà Văn Nam").count(), 1)
        self.client.post(reverse("surveys:member_register", args=[nam.pk]), {"existing": known.pk})
        nam.refresh_from_db()
        self.assertEqual(nam.child, known)
        self.assertEqual(Child.objects.filter(full_name="Hà Văn Nam").count(), 1)
        self.assertTrue(Case.objects.filter(child=known).exists())

    def test_it_refuses_a_child_not_in_child_labour_and_other_communes(self) -> None:
        tu = SurveyMember.objects.get(full_name="Vi Văn Tú")
        with self.assertRaises(Exception):  # noqa: B017 - a ValidationError with its message
            services.member_register(user=self.officer_a, member=tu)
        self.client.force_login(self.officer_b)
        hoa = SurveyMember.objects.get(full_name="Vi Thị Hoa")
        self.assertEqual(self.client.post(reverse("surveys:member_register", args=[hoa.pk])).status_code, 404)

    def test_it_creates_rounds_and_sampling_units_from_the_pages(self) -> None:
        self.client.force_login(self.officer_a)
        response = self.client.post(reverse("surveys:round_create"), {
            "unit": self.commune_a.pk, "year": 2027, "title": "Khảo sát 2027", "questionnaire_version": "2026.1"})
        survey = selectors.rounds_for_user(self.officer_a).get(year=2027)
        self.assertRedirects(response, reverse("surveys:round", args=[survey.pk]), fetch_redirect_response=False)
        self.client.post(reverse("surveys:psu_add", args=[survey.pk]), {
            "stratum": "1", "village": self.village_a.pk, "psu_weight": "2", "households_listed": "50", "households_selected": "10"})
        self.assertEqual(survey.psus.get().household_weight, 10.0)
        response = self.client.post(reverse("surveys:psu_add", args=[survey.pk]), {
            "stratum": "1", "village": self.village_a.pk, "psu_weight": "1", "households_listed": "5", "households_selected": "10"}, follow=True)
        self.assertIn("Từ một hộ đến số hộ trong danh sách", response.content.decode())
        self.assertEqual(self.client.post(reverse("surveys:round_create"), {
            "unit": self.commune_b.pk, "year": 2027, "title": "x", "questionnaire_version": "1"}).status_code, 200)
        self.assertFalse(selectors.rounds_for_user(self.supervisor).filter(unit=self.commune_b).exists())


class ReportSectionTestCase(PersonaTestCase):
    def test_it_puts_the_survey_estimate_in_the_yearly_report(self) -> None:
        import io

        from docx import Document

        from clms.reports import services as report_services

        survey_round(user=self.officer_a, unit=self.commune_a, villages=[self.village_a], households=[
            [("Vi Thị Hoa", "F", dt.date(2014, 2, 1), WORKING)], [("Vi Văn Tú", "M", dt.date(2016, 3, 1), IDLE)],
        ])
        submission = report_services.submission_start(user=self.officer_a, unit=self.commune_a, year=2026)
        self.client.force_login(self.officer_a)
        response = self.client.get(reverse("reports:submission_document", args=[submission.pk, "docx"]))
        self.assertEqual(response.status_code, 200)
        body = b"".join(response.streaming_content) if response.streaming else response.content  # type: ignore[attr-defined]
        text = "\n".join(p.text for p in Document(io.BytesIO(body)).paragraphs)
        self.assertIn("Tỷ lệ lao động trẻ em theo khảo sát hộ gia đình: 50,0 %: ước tính từ khảo sát hộ gia đình năm 2026, "
                      "khoảng tin cậy 95 %:", text)
        self.assertIn("số trẻ được phát hiện trong sổ theo dõi, không phải ước tính từ khảo sát", text)
        self.assertIn("mục tiêu của địa phương ≤ 0,5 %", text)
        self.assertNotIn("Vi Thị Hoa", text)  # figures only
