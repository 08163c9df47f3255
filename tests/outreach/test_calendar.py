from __future__ import annotations

import datetime as dt

from django.urls import reverse

from clms.accounts.models import User
from clms.outreach.selectors import month_calendar, upcoming_peaks
from tests.base import PersonaTestCase
from tests.outreach.factories import ActivityFactory


class CalendarTestCase(PersonaTestCase):
    def test_it_shows_the_june_peak_periods_and_scheduled_activities(self) -> None:
        ActivityFactory.create(unit=self.commune_a, kind="campaign", title="Mít tinh 12/6", starts_on=dt.date(2026, 6, 12), status="planned")
        ActivityFactory.create(unit=self.commune_b, title="Của xã khác", starts_on=dt.date(2026, 6, 15))
        self.client.force_login(self.officer_a)
        page = self.client.get(reverse("outreach:calendar"), {"month": "2026-06"})
        self.assertContains(page, "Tháng hành động vì trẻ em")
        self.assertContains(page, "Ngày Thế giới phòng, chống lao động trẻ em")
        self.assertContains(page, "Mít tinh 12/6")
        self.assertNotContains(page, "Của xã khác")
        cal = month_calendar(self.officer_a, 2026, 6)
        june_12 = next(c for week in cal.weeks for c in week if c.day == dt.date(2026, 6, 12))
        self.assertEqual(len(june_12.peaks), 2)
        self.assertEqual(cal.weeks[0][0].day.weekday(), 0)

    def test_it_shows_the_report_deadline_kept_on_the_plan(self) -> None:
        self.client.force_login(self.officer_a)
        page = self.client.get(reverse("outreach:calendar"), {"month": "2026-11"}, HTTP_HX_REQUEST="true")
        self.assertContains(page, "Hạn gửi báo cáo hằng năm")
        self.assertContains(page, "15/11/2026")
        self.assertNotContains(page, "<html")

    def test_it_lists_upcoming_peaks(self) -> None:
        names = [o.period.name for o in upcoming_peaks(dt.date(2026, 4, 20), days=60)]
        self.assertEqual(names, ["Ngày Quốc tế Lao động", "Tháng hành động vì trẻ em", "Ngày Thế giới phòng, chống lao động trẻ em"])

    def test_it_guards_the_calendar(self) -> None:
        self.assertEqual(self.client.get(reverse("outreach:calendar")).status_code, 302)
        self.client.force_login(User.objects.get(username="ctv"))
        self.assertEqual(self.client.get(reverse("outreach:calendar")).status_code, 403)
        self.client.force_login(self.viewer)
        self.assertEqual(self.client.get(reverse("outreach:calendar"), {"month": "bad"}).status_code, 200)

    def test_it_shows_the_commune_officer_peaks_and_reach_on_the_home_page(self) -> None:
        self.client.force_login(self.officer_a)
        page = self.client.get("/")
        self.assertContains(page, "Các đợt cao điểm sắp tới")
        self.assertContains(page, "Kết quả tiếp cận năm nay")
