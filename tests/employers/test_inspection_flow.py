import datetime as dt
import types
from unittest import mock

from django.urls import reverse

from clms.accounts.models import AuditEvent
from clms.employers.models import FoundChild, Inspection, Violation
from clms.people.models import Child, WorkObservation
from tests.employers.helpers import INSPECTED_ON, EmployerTestCase


class InspectionPagesTestCase(EmployerTestCase):
    def child_post(self, **extra: object) -> dict[str, object]:
        data: dict[str, object] = {
            "employer": self.employer.pk,
            "full_name": "Lê Thị Hoa",
            "sex": "F",
            "dob": "05/03/2012",
            "commune": self.commune_a.pk,
            "job_code": "TT09.II.04 — Các nghề truyền thống: chấm men gốm",
            "job_description": "Vẽ tranh sơn mài",
            "hours_per_day": "5",
            "days_per_week": "6",
        }
        data.update(extra)
        return data

    def test_it_records_an_unannounced_inspection(self) -> None:
        self.client.force_login(self.officer_a)
        response = self.client.post(
            reverse("employers:inspection_create"),
            {"kind": "unannounced", "inspected_on": "02/11/2026", "lead_agency": "labour", "employers": [self.employer.pk],
             "team": "Phòng Văn hóa - Xã hội, Công an xã"},
        )
        inspection = Inspection.objects.get()
        self.assertRedirects(response, reverse("employers:inspection", args=[inspection.pk]))
        self.assertEqual((inspection.kind, inspection.inspected_on), ("unannounced", INSPECTED_ON))
        self.assertEqual(list(inspection.employers.all()), [self.employer])

    def test_it_refuses_an_employer_outside_my_area(self) -> None:
        self.client.force_login(self.officer_a)
        response = self.client.post(
            reverse("employers:inspection_create"),
            {"kind": "periodic", "inspected_on": "02/11/2026", "lead_agency": "labour", "employers": [self.employer_b.pk]},
        )
        self.assertEqual(response.status_code, 200)
        self.assertFalse(Inspection.objects.exists())

    def test_it_refuses_a_future_date_in_vietnamese(self) -> None:
        self.client.force_login(self.officer_a)
        future = (dt.date.today() + dt.timedelta(days=3)).strftime("%d/%m/%Y")  # noqa: DTZ011
        response = self.client.post(
            reverse("employers:inspection_create"),
            {"kind": "periodic", "inspected_on": future, "lead_agency": "labour", "employers": [self.employer.pk]},
        )
        self.assertContains(response, "Ngày kiểm tra ở tương lai.")
        self.assertFalse(Inspection.objects.exists())

    def test_it_links_a_new_child_classifies_and_proposes(self) -> None:
        inspection = self.inspect()
        self.client.force_login(self.officer_a)
        response = self.client.post(reverse("employers:inspection_add_child", args=[inspection.pk]), self.child_post())
        found = FoundChild.objects.get()
        self.assertRedirects(response, reverse("employers:inspection", args=[inspection.pk]) + f"#found-{found.pk}")
        self.assertEqual(found.child.full_name, "Lê Thị Hoa")
        self.assertEqual(found.observation.job_code, "TT09.II.04")
        self.assertEqual(found.observation.employer, self.employer)
        violation = Violation.objects.get()
        self.assertEqual((violation.code, violation.clause, violation.point), ("V7.HOURS_DAY+V7.HOURS_WEEK", "2", "c"))
        page = self.client.get(reverse("employers:inspection", args=[inspection.pk]))
        self.assertContains(page, "Lê Thị Hoa")
        self.assertContains(page, "Lao động trẻ em")
        self.assertContains(page, "Điều 146 khoản 1")
        self.assertContains(page, "20.000.000–25.000.000")
        self.assertContains(page, "40.000.000–50.000.000")
        self.assertTrue(AuditEvent.objects.filter(object_type="employers.found_child", action="create").exists())
        read = AuditEvent.objects.filter(object_type="employers.inspection", action="read").latest("at")
        self.assertEqual(read.detail["children"], [found.child_id])

    def test_it_warns_of_a_possible_duplicate_then_links_the_existing_child(self) -> None:
        existing = self.make_child(dob=dt.date(2012, 3, 5), name="Lê Thị Hoa")
        inspection = self.inspect()
        self.client.force_login(self.officer_a)
        url = reverse("employers:inspection_add_child", args=[inspection.pk])
        response = self.client.post(url, self.child_post())
        self.assertContains(response, "có thể đã có trong sổ theo dõi")
        self.assertContains(response, f'value="{existing.pk}"')
        self.assertFalse(FoundChild.objects.exists())
        self.assertEqual(Child.objects.count(), 1)
        response = self.client.post(url, self.child_post(existing_child=existing.pk))
        self.assertEqual(response.status_code, 302)
        self.assertEqual(FoundChild.objects.get().child, existing)
        self.assertEqual(Child.objects.count(), 1)

    def test_it_adds_a_new_child_when_told_it_is_not_a_duplicate(self) -> None:
        self.make_child(dob=dt.date(2012, 3, 5), name="Lê Thị Hoa")
        inspection = self.inspect()
        self.client.force_login(self.officer_a)
        self.client.post(reverse("employers:inspection_add_child", args=[inspection.pk]), self.child_post(not_a_duplicate="on"))
        self.assertEqual(Child.objects.count(), 2)
        self.assertEqual(FoundChild.objects.count(), 1)

    def test_it_writes_nothing_when_the_observation_is_invalid(self) -> None:
        inspection = self.inspect()
        self.client.force_login(self.officer_a)
        response = self.client.post(
            reverse("employers:inspection_add_child", args=[inspection.pk]), self.child_post(job_code="khong co ma nay")
        )
        self.assertContains(response, "Hãy chọn một mục trong danh sách")
        self.assertEqual((Child.objects.count(), WorkObservation.objects.count(), Violation.objects.count()), (0, 0, 0))

    def test_it_does_not_offer_children_of_another_commune(self) -> None:
        other = self.make_child(dob=dt.date(2012, 1, 1), name="Trần Văn Nam", commune=self.commune_b)
        mine = self.make_child(dob=dt.date(2012, 1, 1), name="Trần Văn Nam")
        self.client.force_login(self.officer_a)
        response = self.client.get(reverse("employers:child_options"), {"child_q": "tran van nam"})
        self.assertContains(response, f'value="{mine.pk}"')
        self.assertNotContains(response, f'value="{other.pk}"')
        inspection = self.inspect()
        self.client.post(reverse("employers:inspection_add_child", args=[inspection.pk]), self.child_post(existing_child=other.pk))
        self.assertFalse(FoundChild.objects.exists())

    def test_it_hides_the_childs_details_from_agency_officers(self) -> None:
        found = self.find(age_dob=dt.date(2012, 3, 5), job_code="TT09.II.04", hours_per_day=5)
        self.client.force_login(self.agency)
        page = self.client.get(reverse("employers:inspection", args=[found.inspection_id]))
        self.assertEqual(page.status_code, 200)
        self.assertNotContains(page, found.child.full_name)
        self.assertContains(page, "chỉ cán bộ bảo vệ trẻ em xem được")
        self.assertContains(page, "Điều 146 khoản 1")
        detail = self.client.get(reverse("employers:detail", args=[self.employer.pk]))
        self.assertNotContains(detail, found.child.full_name)

    def test_it_shows_the_history_on_the_employer_page(self) -> None:
        found = self.find(age_dob=dt.date(2012, 3, 5), job_code="TT09.II.04", hours_per_day=5, job_description="Vẽ tranh sơn mài")
        self.client.force_login(self.officer_a)
        page = self.client.get(reverse("employers:detail", args=[self.employer.pk]))
        self.assertContains(page, found.child.full_name)
        self.assertContains(page, "02/11/2026")
        self.assertContains(page, "Vẽ tranh sơn mài")
        self.assertContains(page, "điểm c khoản 2 Điều 27 Nghị định 283/2026/NĐ-CP")


class OpenCaseTestCase(EmployerTestCase):
    def setUp(self) -> None:
        self.found = self.find(age_dob=dt.date(2012, 3, 5), job_code="TT09.II.04", hours_per_day=5)
        self.url = reverse("employers:found_child_open_case", args=[self.found.pk])

    def test_it_opens_a_case_in_one_step(self) -> None:
        from clms.cases.models import Case

        self.client.force_login(self.officer_a)
        response = self.client.post(self.url)
        self.assertRedirects(response, reverse("employers:inspection", args=[self.found.inspection_id]) + f"#found-{self.found.pk}", fetch_redirect_response=False)
        self.found.refresh_from_db()
        self.assertIsNotNone(self.found.case_opened_at)
        case = Case.objects.get(pk=int(self.found.case_ref))
        self.assertEqual(case.child, self.found.child)

    def test_it_calls_the_cases_service_with_the_child(self) -> None:
        calls: list[dict[str, object]] = []
        fake = types.ModuleType("clms.cases.services")

        def case_open_for_child(**kwargs: object) -> object:
            calls.append(kwargs)
            return types.SimpleNamespace(pk=77)

        fake.case_open_for_child = case_open_for_child  # type: ignore[attr-defined]
        with mock.patch("clms.employers.services.inspections.case_services", fake):
            self.client.force_login(self.officer_a)
            self.client.post(self.url)
        self.assertEqual(calls, [{"user": self.officer_a, "child": self.found.child}])
        self.found.refresh_from_db()
        self.assertEqual(self.found.case_ref, "77")

    def test_it_refuses_outsiders_and_readers(self) -> None:
        self.client.force_login(self.officer_b)
        self.assertEqual(self.client.post(self.url).status_code, 404)
        self.client.force_login(self.agency)
        self.assertEqual(self.client.post(self.url).status_code, 403)
        self.client.force_login(self.officer_a)
        self.assertEqual(self.client.get(self.url).status_code, 405)


class UnclassifiedFoundChildTestCase(EmployerTestCase):
    def test_it_shows_a_found_child_whose_observation_has_no_decision_yet(self) -> None:
        # An observation without a current classification (an import, a reclassification in
        # progress) made the inspection page fail on the age in the heading (the matrix found it).
        found = self.find(age_dob=dt.date(2012, 3, 5), hours_per_day=5, days_per_week=5)
        found.observation.classifications.all().delete()
        self.client.force_login(self.officer_a)
        response = self.client.get(reverse("employers:inspection", args=[found.inspection_id]))
        self.assertContains(response, "Lê Thị Hoa")
        self.assertNotContains(response, "tuổi")
