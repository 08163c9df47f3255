"""Agencies and tasks: each agency officer updates his own agency's tasks only."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from clms.accounts.models import Agency, AuditEvent, Role, User
from clms.places.models import Level, Scheme
from clms.plans.models import Task, TaskProgress, TaskStatus
from clms.plans.services import task_update
from tests.base import PersonaTestCase
from tests.factories import AdminUnitFactory, UserFactory

TRIEU_SON = "kh-trieu-son-2021"


class TaskTestCase(PersonaTestCase):
    def setUp(self) -> None:
        tasks = Task.objects.filter(agency__plan__key=TRIEU_SON)
        self.education_task: Task = tasks.filter(agency__item="2").order_by("order")[0]
        self.labour_task: Task = tasks.filter(agency__item="1").order_by("order")[0]

    def _post(self, task: Task, **extra: str) -> Any:
        data = {"status": TaskStatus.IN_PROGRESS, "on": "02/10/2024", "note": "Đã tập huấn 120 giáo viên.", "version": str(task.version)}
        data.update(extra)
        return self.client.post(reverse("plans:task_update", args=[task.pk]), data)

    def test_it_lets_the_education_officer_update_his_agencys_task(self) -> None:
        self.client.force_login(User.objects.get(username="agency"))
        response = self._post(self.education_task)
        self.assertRedirects(response, reverse("plans:task", args=[self.education_task.pk]))
        self.education_task.refresh_from_db()
        self.assertEqual(self.education_task.status, TaskStatus.IN_PROGRESS)
        note = TaskProgress.objects.get(task=self.education_task)
        self.assertEqual((note.author, note.on), (self.agency, dt.date(2024, 10, 2)))
        self.assertTrue(AuditEvent.objects.filter(object_type="plans.task", action="update").exists())

    def test_it_refuses_another_agencys_task_with_403(self) -> None:
        self.client.force_login(User.objects.get(username="agency"))
        self.assertEqual(self._post(self.labour_task).status_code, 403)
        self.assertFalse(TaskProgress.objects.exists())
        with self.assertRaises(PermissionDenied):
            task_update(user=self.agency, task=self.labour_task, version=1, status="done", note="x", on=dt.date(2024, 1, 1))

    def test_it_lets_the_supervisor_update_every_agency(self) -> None:
        self.client.force_login(User.objects.get(username="district"))
        self.assertEqual(self._post(self.labour_task).status_code, 302)
        self.assertEqual(self._post(self.education_task).status_code, 302)

    def test_it_refuses_roles_that_do_not_update_tasks(self) -> None:
        for username in ("officer_a", "viewer", "ctv"):
            self.client.force_login(User.objects.get(username=username))
            self.assertEqual(self._post(self.education_task).status_code, 403, username)

    def test_it_hides_the_plan_from_an_agency_officer_of_another_province(self) -> None:
        other = AdminUnitFactory.create(scheme=Scheme.BOTH, level=Level.PROVINCE, code="01", name="Thành phố Hà Nội")
        UserFactory.create(username="hanoi", role=Role.AGENCY_OFFICER, area=other, agency=Agency.EDUCATION)
        self.client.force_login(User.objects.get(username="hanoi"))
        self.assertEqual(self._post(self.education_task).status_code, 404)
        self.assertEqual(self.client.get(reverse("plans:task", args=[self.education_task.pk])).status_code, 404)

    def test_it_refuses_a_stale_version_and_an_empty_note(self) -> None:
        self.client.force_login(User.objects.get(username="agency"))
        self.assertContains(self._post(self.education_task, version="0"), "Người khác đã sửa")
        self.assertContains(self._post(self.education_task, note=" "), "bắt buộc")
        with self.assertRaisesMessage(ValidationError, "Hãy mô tả"):
            task_update(user=self.agency, task=self.education_task, version=1, status="done", note=" ", on=dt.date(2024, 1, 1))
        self.assertFalse(TaskProgress.objects.exists())

    def test_it_updates_through_htmx_in_place(self) -> None:
        self.client.force_login(User.objects.get(username="agency"))
        data = {"status": TaskStatus.DONE, "on": "02/10/2024", "note": "Hoàn thành.", "version": "1"}
        response = self.client.post(reverse("plans:task_update", args=[self.education_task.pk]), data, HTTP_HX_REQUEST="true")
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, 'id="task-progress"')
        self.assertNotContains(response, "<html")
        self.assertContains(response, "Hoàn thành.")

    def test_it_lets_everyone_in_the_area_read_the_tasks(self) -> None:
        for username in ("ctv", "officer_a", "viewer", "agency", "supervisor"):
            self.client.force_login(User.objects.get(username=username))
            self.assertEqual(self.client.get(reverse("plans:task", args=[self.labour_task.pk])).status_code, 200)
            self.assertEqual(self.client.get(reverse("plans:agency", args=[self.labour_task.agency_id])).status_code, 200)
        self.client.logout()
        self.assertEqual(self.client.get(reverse("plans:agencies")).status_code, 302)

    def test_it_shows_the_agency_officer_his_tasks_on_the_home_page(self) -> None:
        self.client.force_login(User.objects.get(username="agency"))
        home = self.client.get("/")
        self.assertContains(home, "Cung cấp thông tin, kiến thức, kỹ năng về phòng ngừa")
        self.assertNotContains(home, "Cập nhật dữ liệu về lao động trẻ em")

    def test_it_lists_agencies_filtered_by_kind(self) -> None:
        self.client.force_login(User.objects.get(username="officer_a"))
        page = self.client.get(reverse("plans:agencies"), {"kind": "culture"})
        names = [a.name for a in page.context["agencies"]]
        self.assertEqual(names.count("Phòng Văn hóa - Thông tin"), 2)
        self.assertNotIn("Phòng Giáo dục và Đào tạo", names)
