"""Recording and reviewing outreach activities; attendance lists are personal data."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse

from clms.accounts.models import AuditEvent, User
from clms.outreach.models import Attendee, OutreachActivity, PeakPeriod, PrintedQuantity, Reach
from tests.base import PersonaTestCase
from tests.outreach.factories import (
    ActivityFactory,
    EmployerFactory,
    PersonAttendeeFactory,
    ReachFactory,
)


def _as(case: PersonaTestCase, username: str) -> None:
    case.client.force_login(User.objects.get(username=username))


class ActivityPagesTestCase(PersonaTestCase):
    def _campaign_data(self, **extra: str) -> dict[str, str]:
        data = {
            "kind": "campaign", "title": "Hưởng ứng Ngày Thế giới phòng, chống lao động trẻ em",
            "unit": str(self.commune_a.pk), "starts_on": "12/06/2025", "status": "held",
            "peak_period": str(PeakPeriod.objects.get(code="world-day-against-child-labour").pk),
            "reach_children": "320", "reach_parents": "150",
        }
        data.update(extra)
        return data

    def test_it_records_a_12_june_campaign_with_reach_by_group(self) -> None:
        _as(self, "officer_a")
        response = self.client.post(reverse("outreach:create"), self._campaign_data())
        activity = OutreachActivity.objects.get()
        self.assertRedirects(response, reverse("outreach:detail", args=[activity.pk]))
        self.assertEqual(dict(Reach.objects.values_list("group", "count")), {"children": 320, "parents": 150})
        self.assertEqual((activity.starts_on, activity.created_by), (dt.date(2025, 6, 12), self.officer_a))
        page = self.client.get(reverse("outreach:detail", args=[activity.pk]))
        self.assertContains(page, "Ngày Thế giới phòng, chống lao động trẻ em")
        self.assertContains(page, "Cha mẹ, người chăm sóc trẻ em")

    def test_it_explains_bad_input_and_saves_nothing(self) -> None:
        _as(self, "officer_a")
        cases = [
            (self._campaign_data(ends_on="01/06/2025"), "Ngày kết thúc trước ngày bắt đầu"),
            (self._campaign_data(kind="broadcast"), "Hãy chọn kênh phát sóng"),
            (self._campaign_data(kind="printed"), "ít nhất một loại ấn phẩm"),
            (self._campaign_data(printed_leaflet="500"), "Số lượng ấn phẩm chỉ ghi"),
            (self._campaign_data(reach_children="-3"), "reach_children"),
            (self._campaign_data(unit=str(self.commune_b.pk)), "Hãy chọn một lựa chọn hợp lệ"),
        ]
        for data, text in cases:
            response = self.client.post(reverse("outreach:create"), data)
            self.assertEqual(response.status_code, 200, text)
            self.assertContains(response, text)
        self.assertFalse(OutreachActivity.objects.exists())

    def test_it_records_printed_products_with_quantities(self) -> None:
        _as(self, "officer_a")
        data = self._campaign_data(kind="printed", title="In tờ rơi", printed_leaflet="2000", printed_banner="4")
        self.client.post(reverse("outreach:create"), data)
        self.assertEqual(dict(PrintedQuantity.objects.values_list("product", "quantity")), {"leaflet": 2000, "banner": 4})

    def test_it_edits_with_optimistic_locking(self) -> None:
        activity = ActivityFactory.create(unit=self.commune_a, kind="campaign")
        _as(self, "officer_a")
        data = self._campaign_data(version="1", title="Đã sửa")
        self.assertEqual(self.client.post(reverse("outreach:edit", args=[activity.pk]), data).status_code, 302)
        self.assertContains(self.client.post(reverse("outreach:edit", args=[activity.pk]), data), "Người khác đã sửa")
        activity.refresh_from_db()
        self.assertEqual((activity.title, activity.version), ("Đã sửa", 2))

    def test_it_scopes_activities_by_unit_and_agency(self) -> None:
        mine = ActivityFactory.create(unit=self.commune_a, lead_agency="education")
        theirs = ActivityFactory.create(unit=self.commune_b, lead_agency="labour")
        _as(self, "officer_b")
        self.assertEqual(self.client.get(reverse("outreach:detail", args=[mine.pk])).status_code, 404)
        self.assertEqual(self.client.get(reverse("outreach:edit", args=[mine.pk])).status_code, 404)
        _as(self, "agency")  # education, province
        self.assertEqual(self.client.get(reverse("outreach:detail", args=[mine.pk])).status_code, 200)
        self.assertEqual(self.client.get(reverse("outreach:detail", args=[theirs.pk])).status_code, 404)
        listed = [a.pk for a in self.client.get(reverse("outreach:list")).context["activities"]]
        self.assertEqual(listed, [mine.pk])

    def test_it_gives_the_agency_officer_his_own_agency_as_lead(self) -> None:
        _as(self, "agency")
        data = self._campaign_data(kind="training", title="Tập huấn giáo viên", reach_teachers="45", peak_period="")
        self.client.post(reverse("outreach:create"), data)
        activity = OutreachActivity.objects.get()
        self.assertEqual(activity.lead_agency, "education")

    def test_it_guards_by_role(self) -> None:
        activity = ActivityFactory.create(unit=self.commune_a)
        self.assertEqual(self.client.get(reverse("outreach:list")).status_code, 302)
        _as(self, "ctv")
        self.assertEqual(self.client.get(reverse("outreach:list")).status_code, 403)
        _as(self, "viewer")
        self.assertEqual(self.client.get(reverse("outreach:list")).status_code, 200)
        self.assertEqual(self.client.get(reverse("outreach:create")).status_code, 403)
        self.assertEqual(self.client.get(reverse("outreach:edit", args=[activity.pk])).status_code, 403)
        page = self.client.get(reverse("outreach:detail", args=[activity.pk]))
        self.assertNotContains(page, "Danh sách tham dự")

    def test_it_lists_activities_in_a_fixed_number_of_queries(self) -> None:
        for unit in (self.commune_a, self.a1, self.a2):
            for activity in ActivityFactory.create_batch(3, unit=unit):
                ReachFactory.create(activity=activity)
        _as(self, "officer_a")
        self.client.get(reverse("outreach:list"))
        with self.assertNumQueries(6):
            page = self.client.get(reverse("outreach:list"), {"year": "2024", "kind": "training"})
        self.assertEqual(len(page.context["activities"]), 9)


class AttendancePagesTestCase(PersonaTestCase):
    def setUp(self) -> None:
        self.training = ActivityFactory.create(unit=self.commune_a)

    def test_it_adds_people_and_employers_through_htmx_and_audits_it(self) -> None:
        employer = EmployerFactory.create(commune=self.commune_a)
        _as(self, "officer_a")
        url = reverse("outreach:attendee_add", args=[self.training.pk])
        response = self.client.post(url, {"full_name": "Hoàng Văn Tú", "position": "Trưởng thôn", "group": "officials"}, HTTP_HX_REQUEST="true")
        self.assertContains(response, "Hoàng Văn Tú")
        self.assertNotContains(response, "<html")
        self.client.post(url, {"employer": employer.pk}, HTTP_HX_REQUEST="true")
        response = self.client.post(url, {"employer": employer.pk}, HTTP_HX_REQUEST="true")
        self.assertContains(response, "đã có trong danh sách")
        self.assertEqual(Attendee.objects.count(), 2)
        self.assertEqual(dict(Reach.objects.values_list("group", "count")), {"officials": 1, "enterprises": 1})
        self.assertTrue(AuditEvent.objects.filter(object_type="outreach.attendee", action="create").exists())
        self.client.get(reverse("outreach:detail", args=[self.training.pk]))
        listed = AuditEvent.objects.filter(object_type="outreach.attendee", action="list").latest("at")
        self.assertEqual(sorted(listed.object_ids), sorted(str(pk) for pk in Attendee.objects.values_list("pk", flat=True)))

    def test_it_removes_an_attendee(self) -> None:
        attendee = PersonAttendeeFactory.create(activity=self.training)
        _as(self, "officer_b")
        remove = reverse("outreach:attendee_remove", args=[self.training.pk, attendee.pk])
        self.assertEqual(self.client.post(remove).status_code, 404)
        _as(self, "officer_a")
        self.assertRedirects(self.client.post(remove), reverse("outreach:detail", args=[self.training.pk]))
        self.assertFalse(Attendee.objects.exists())
        self.assertTrue(AuditEvent.objects.filter(object_type="outreach.attendee", action="delete").exists())

    def test_it_refuses_an_attendance_list_on_a_campaign(self) -> None:
        campaign = ActivityFactory.create(unit=self.commune_a, kind="campaign")
        _as(self, "officer_a")
        response = self.client.post(reverse("outreach:attendee_add", args=[campaign.pk]), {"full_name": "A", "group": "officials"}, HTTP_HX_REQUEST="true")
        self.assertContains(response, "chỉ lập cho hoạt động tập huấn")
        self.assertFalse(Attendee.objects.exists())

    def test_it_keeps_attendance_lists_from_other_communes(self) -> None:
        attendee = PersonAttendeeFactory.create(activity=self.training, full_name="Đinh Thị Mơ")
        _as(self, "officer_b")
        self.assertEqual(self.client.post(reverse("outreach:attendee_add", args=[self.training.pk]), {}).status_code, 404)
        _as(self, "supervisor")
        self.assertContains(self.client.get(reverse("outreach:detail", args=[self.training.pk])), attendee.full_name)
