"""The forms of the report pages: the htmx edit form, locking, transitions, the period form, panels."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse

from clms.reports import services
from clms.reports.models import ReportingPeriod, Submission, SubmissionStatus
from clms.reports.selectors import expected_units
from tests.base import PersonaTestCase
from tests.reports.factories import PeriodFactory, SubmissionFactory, seed_commune_year


class PagesTestCase(PersonaTestCase):
    submission: Submission

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        seed_commune_year(user=cls.officer_a, commune=cls.commune_a, year=2026, children=1)
        cls.submission = services.submission_start(user=cls.officer_a, unit=cls.commune_a, year=2026)

    def _form(self, **changes: object) -> dict[str, object]:
        data: dict[str, object] = {
            "version": self.submission.version, "number": "12", "symbol": "BC-UBND", "issued_on": "05/11/2026",
            "place": "Tân Ninh", "subject": self.submission.subject, "recipients_to": self.submission.recipients_to,
            "recipients": self.submission.recipients, "signer_authority": "TM. ỦY BAN NHÂN DÂN",
            "signer_deputy": "KT. CHỦ TỊCH", "signer_position": "PHÓ CHỦ TỊCH", "signer_name": "Lê Quang Trung",
            "difficulties": "Thiếu kinh phí.", "proposals": "", "next_tasks": "",
        }
        data.update(changes)
        return data

    def test_it_starts_the_officers_report_from_the_list(self) -> None:
        self.client.force_login(self.officer_b)
        response = self.client.get(reverse("reports:list"))
        self.assertContains(response, "Báo cáo của Xã Triệu Sơn")
        response = self.client.post(reverse("reports:start"), {"year": "2026"})
        created = Submission.objects.get(unit=self.commune_b)
        self.assertRedirects(response, reverse("reports:submission", args=[created.pk]))
        self.assertEqual(created.period, self.submission.period)

    def test_it_saves_the_texts_in_place_with_htmx(self) -> None:
        self.client.force_login(self.officer_a)
        url = reverse("reports:submission_edit", args=[self.submission.pk])
        response = self.client.post(url, self._form(), headers={"HX-Request": "true"})
        self.assertContains(response, "Đã lưu lúc")
        self.assertNotContains(response, "<html")
        self.submission.refresh_from_db()
        self.assertEqual((self.submission.number, self.submission.issued_on), (12, dt.date(2026, 11, 5)))
        self.assertContains(response, f'name="version" value="{self.submission.version}"')

    def test_it_shows_a_stale_edit_instead_of_losing_it(self) -> None:
        self.client.force_login(self.officer_a)
        url = reverse("reports:submission_edit", args=[self.submission.pk])
        stale = self._form(difficulties="Bản của tôi.")
        self.client.post(url, self._form(difficulties="Bản của đồng nghiệp."))
        response = self.client.post(url, stale)
        self.assertContains(response, "sau khi bạn mở")
        self.submission.refresh_from_db()
        self.assertEqual(self.submission.difficulties, "Bản của đồng nghiệp.")

    def test_it_names_the_bad_date_field(self) -> None:
        self.client.force_login(self.officer_a)
        response = self.client.post(reverse("reports:submission_edit", args=[self.submission.pk]), self._form(issued_on="2026-31-11"))
        self.assertEqual(response.status_code, 200)
        self.assertTrue(response.context["form"].errors["issued_on"])

    def test_it_explains_what_is_missing_before_submitting(self) -> None:
        self.client.force_login(self.officer_a)
        response = self.client.post(reverse("reports:submission_submit", args=[self.submission.pk]), {"version": self.submission.version, "confirm": "on"}, follow=True)
        self.assertContains(response, "Nhập họ tên người ký trước khi gửi báo cáo.")
        self.submission.refresh_from_db()
        self.assertEqual(self.submission.status, SubmissionStatus.DRAFT)

    def test_it_refuses_a_return_without_reason_from_the_page(self) -> None:
        sub = services.submission_update(user=self.officer_a, submission=self.submission, version=self.submission.version, signer_name="Lê Quang Trung")
        sub = services.submission_submit(user=self.officer_a, submission=sub, version=sub.version)
        self.client.force_login(self.supervisor)
        response = self.client.post(reverse("reports:submission_return", args=[sub.pk]), {"version": sub.version, "reason": ""}, follow=True)
        self.assertContains(response, "Nêu lý do trả lại báo cáo.")
        sub.refresh_from_db()
        self.assertEqual(sub.status, SubmissionStatus.SUBMITTED)

    def test_it_lets_the_province_set_the_due_date(self) -> None:
        period = self.submission.period
        self.client.force_login(self.supervisor)
        data = {**self._form(version=period.version, signer_name="Lê Văn Tỉnh"), "due_on": "20/11/2026"}
        response = self.client.post(reverse("reports:period_edit", args=[period.pk]), data)
        self.assertRedirects(response, reverse("reports:period", args=[period.pk]))
        period.refresh_from_db()
        self.assertEqual((period.due_on, period.signer_name), (dt.date(2026, 11, 20), "Lê Văn Tỉnh"))
        response = self.client.post(reverse("reports:period_edit", args=[period.pk]), {**data, "due_on": "31/02/2026"})
        self.assertTrue(response.context["form"].errors["due_on"])

    def test_it_shows_the_reports_on_the_home_pages(self) -> None:
        self.client.force_login(self.officer_a)
        response = self.client.get("/")
        self.assertContains(response, "Báo cáo năm 20")
        self.client.force_login(self.supervisor)
        response = self.client.get("/")
        self.assertContains(response, "Báo cáo nhận được")
        self.assertTrue(ReportingPeriod.objects.filter(receiver=self.province).exists())


class PeriodOrderTestCase(PersonaTestCase):
    def test_it_lists_the_reports_to_decide_before_the_communes_in_name_order(self) -> None:
        period = PeriodFactory.create(receiver=self.province, year=2026, due_on=dt.date(2026, 11, 15))
        first, *_rest, last = expected_units(period)
        SubmissionFactory.create(period=period, unit=last, status=SubmissionStatus.SUBMITTED)
        self.client.force_login(self.supervisor)
        body = self.client.get(reverse("reports:period", args=[period.pk])).content.decode()
        self.assertLess(body.index(last.name), body.index(first.name))
