import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from clms.people.models import Child, Visit, WorkObservation
from clms.people.services import visit_record
from tests.base import PersonaTestCase
from tests.people.factories import ChildFactory


class VisitRecordTestCase(PersonaTestCase):
    def setUp(self) -> None:
        self.child = ChildFactory.create(full_name="Bùi Văn Tú", village=self.village_a, dob=dt.date(2011, 1, 1),
                                         risk_level="medium", register_status="at_risk")

    def test_it_updates_the_last_visit_and_school_status(self) -> None:
        version = self.child.version
        visit_record(user=self.officer_a, child=self.child, visited_on=dt.date(2026, 5, 1),
                     school_status="dropped_out", note="Em nghỉ học đi phụ hồ")
        visit_record(user=self.officer_a, child=self.child, visited_on=dt.date(2026, 4, 1))
        self.child.refresh_from_db()
        self.assertEqual(self.child.last_visit_on, dt.date(2026, 5, 1))
        self.assertEqual(self.child.school_status, "dropped_out")
        self.assertGreater(self.child.version, version)
        self.assertEqual(self.child.risk_level, "medium")

    def test_it_can_record_an_observation_with_the_visit(self) -> None:
        visit = visit_record(user=self.officer_a, child=self.child, visited_on=dt.date(2026, 5, 1),
                             still_working=True,
                             observation_fields={"activity": "EMPLOYED", "job_code": "TT09.II.04", "hours_per_day": 10})
        self.assertIsNotNone(visit.observation)
        self.assertEqual(WorkObservation.objects.get().observed_on, dt.date(2026, 5, 1))
        self.child.refresh_from_db()
        self.assertEqual(self.child.latest_category, "CHILD_LABOUR")

    def test_it_writes_nothing_when_the_observation_is_refused(self) -> None:
        with self.assertRaises(ValidationError):
            visit_record(user=self.officer_a, child=self.child, visited_on=dt.date(2026, 5, 1),
                         observation_fields={"job_code": "TT09.II.04"})
        self.assertFalse(Visit.objects.exists())

    def test_it_refuses_an_outsider(self) -> None:
        with self.assertRaises(PermissionDenied):
            visit_record(user=self.officer_b, child=self.child, visited_on=dt.date(2026, 5, 1))

    def test_the_visit_page_records_a_visit(self) -> None:
        url = reverse("people:visit_create", args=[self.child.pk])
        self.client.force_login(self.officer_b)
        self.assertEqual(self.client.get(url).status_code, 404)
        self.client.force_login(self.collaborator)
        response = self.client.post(url, {"visited_on": "03/05/2026", "still_working": "no", "school_status": "",
                                          "note": "Đã đi học lại"})
        self.assertEqual(response.status_code, 302)
        self.assertEqual(Visit.objects.get().still_working, False)


class WorklistTestCase(PersonaTestCase):
    high_old: Child
    high_never: Child
    medium: Child
    labour: Child
    low: Child
    other: Child
    url = "/register/worklist/"

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        v = cls.village_a
        cls.high_old = ChildFactory.create(full_name="A Cao Lâu", village=v, risk_level="high",
                                           last_visit_on=dt.date(2025, 1, 1))
        cls.high_never = ChildFactory.create(full_name="B Cao Chưa", village=v, risk_level="high")
        cls.medium = ChildFactory.create(full_name="C Trung Bình", village=v, risk_level="medium")
        cls.labour = ChildFactory.create(full_name="D Lao Động", village=v, risk_level="low",
                                         register_status="child_labour", last_visit_on=dt.date(2026, 1, 1))
        cls.low = ChildFactory.create(full_name="E Thấp", village=v, risk_level="low", register_status="monitored")
        cls.other = ChildFactory.create(full_name="F Xã Khác", village=cls.village_b, risk_level="high")

    def test_it_orders_by_labour_risk_and_time_since_visit(self) -> None:
        self.client.force_login(self.officer_a)
        response = self.client.get(self.url)
        self.assertEqual(
            [c.pk for c in response.context["page"].object_list],
            [self.labour.pk, self.high_never.pk, self.high_old.pk, self.medium.pk],
        )
        self.assertContains(response, "Trẻ em cần thăm")

    def test_it_shows_only_the_users_area(self) -> None:
        self.client.force_login(self.officer_b)
        response = self.client.get(self.url)
        self.assertEqual([c.pk for c in response.context["page"].object_list], [self.other.pk])
        for user in (self.viewer, self.agency):
            self.client.force_login(user)
            self.assertEqual(self.client.get(self.url).status_code, 403)

    def test_it_keeps_the_query_count_fixed(self) -> None:
        for i in range(20):
            Child.objects.create(full_name=f"G {i}", name_folded=f"g {i}", sex="M", dob=dt.date(2012, 1, 1),
                                 commune=self.commune_a, village=self.village_a, risk_level="high")
        self.client.force_login(self.officer_a)
        with self.assertNumQueries(8):
            self.client.get(self.url)
