"""A large register export is made in the background (clms/people/tasks.py).

The real database backend of django-tasks-db queues the work and the worker runs in this
process (tests/reports/files.py), as ``manage.py db_worker`` would.  The threshold is lowered
to 3 rows so a handful of children stands for a province.
"""

from __future__ import annotations

import datetime as dt
import io
import shutil
import tempfile
from pathlib import Path
from typing import Any

from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult
from openpyxl import load_workbook

from clms.accounts.models import AuditEvent, Role
from clms.core.backup import _media_files
from clms.core.models import JobStatus
from clms.people import tasks
from clms.people.models import Child, ExportJob
from tests.base import PersonaTestCase
from tests.factories import UserFactory
from tests.people.factories import ChildFactory
from tests.reports.files import run_worker

EXPORT = "/register/export.xlsx"


def table(body: bytes) -> list[list[Any]]:
    """The rows after the title row, the blank row and the header row."""
    wb = load_workbook(io.BytesIO(body))
    return [[c.value for c in row] for row in wb.worksheets[0].iter_rows(min_row=4)]


class BackgroundExportTestCase(PersonaTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        for n in range(5):
            ChildFactory.create(full_name=f"Nguyễn Văn An {n}", village=cls.village_a, sex="M")
        ChildFactory.create(full_name="Lê Thị Hoa", village=cls.village_a, sex="F")
        ChildFactory.create(full_name="Trần Văn B", village=cls.village_b, sex="M")

    def setUp(self) -> None:
        self.media = tempfile.mkdtemp()
        for override in (override_settings(PRIVATE_MEDIA_ROOT=Path(self.media)),
                         override_settings(CLMS_EXPORT_BACKGROUND_ROWS=3)):
            override.enable()
            self.addCleanup(override.disable)
        self.addCleanup(shutil.rmtree, self.media, True)

    def ask(self, user: Any, **filters: str) -> ExportJob:
        self.client.force_login(user)
        response = self.client.get(EXPORT, filters)
        job = ExportJob.objects.get(requested_by=user)
        self.assertRedirects(response, reverse("people:export_job", args=[job.pk]), fetch_redirect_response=False)
        return job

    def direct(self, user: Any, **filters: str) -> list[list[Any]]:
        self.client.force_login(user)
        with override_settings(CLMS_EXPORT_BACKGROUND_ROWS=10_000):
            response = self.client.get(EXPORT, filters)
        self.assertEqual(response["Content-Type"].split(";")[0], "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
        return table(response.content)

    def test_the_job_is_queued_shows_progress_and_gives_the_direct_exports_rows(self) -> None:
        job = self.ask(self.officer_a, sex="M")
        self.assertEqual(DBTaskResult.objects.filter(task_path="clms.people.tasks.make_export").count(), 1)
        self.assertEqual((job.status, job.total), (JobStatus.QUEUED, 5))
        page = self.client.get(reverse("people:export_job", args=[job.pk]), headers={"HX-Request": "true"})
        self.assertContains(page, "Đang tạo tệp… 0%")
        self.assertContains(page, 'hx-trigger="every 2s"')
        ExportJob.objects.filter(pk=job.pk).update(done=2)
        self.assertContains(self.client.get(reverse("people:export_job", args=[job.pk])), "Đang tạo tệp… 40%")
        self.assertEqual(run_worker(), 1)
        job.refresh_from_db()
        self.assertEqual((job.status, job.done), (JobStatus.READY, 5))
        page = self.client.get(reverse("people:export_job", args=[job.pk]), headers={"HX-Request": "true"})
        self.assertContains(page, "Tải tệp")
        self.assertNotContains(page, "hx-trigger")
        response = self.client.get(reverse("people:export_download", args=[job.pk]))
        self.assertEqual(response.status_code, 200)
        self.assertIn("no-store", response["Cache-Control"])
        self.assertIn("attachment", response["Content-Disposition"])
        rows = table(response.getvalue())
        self.assertEqual(rows, self.direct(self.officer_a, sex="M"))
        self.assertEqual(sorted(r[2] for r in rows), [f"Nguyễn Văn An {n}" for n in range(5)])
        # Stored privately, readable by the server's own user only.
        stored = Path(self.media) / "exports" / ExportJob.objects.get(pk=job.pk).file
        self.assertEqual(stored.stat().st_mode & 0o777, 0o600)

    def test_scope_is_the_users_at_request_time(self) -> None:
        job = self.ask(self.supervisor)
        self.assertEqual(job.total, 7)
        run_worker()
        self.client.force_login(self.supervisor)
        rows = table(self.client.get(reverse("people:export_download", args=[job.pk])).getvalue())
        self.assertEqual(rows, self.direct(self.supervisor))

    def test_only_the_user_who_asked_may_see_or_download_it(self) -> None:
        job = self.ask(self.officer_a)
        run_worker()
        colleague = UserFactory.create(username="officer_a2", role=Role.COMMUNE_OFFICER, area=self.commune_a)
        for other in (self.supervisor, self.officer_b, colleague, self.admin):
            self.client.force_login(other)
            self.assertEqual(self.client.get(reverse("people:export_download", args=[job.pk])).status_code, 404, other)
            self.assertEqual(self.client.get(reverse("people:export_job", args=[job.pk])).status_code, 404, other)
        self.assertFalse(AuditEvent.objects.filter(action="export", detail__download=job.pk).exists())

    def test_a_user_moved_to_another_commune_no_longer_gets_the_file(self) -> None:
        job = self.ask(self.officer_a)
        run_worker()
        self.officer_a.area = self.commune_b
        self.officer_a.save()
        self.client.force_login(self.officer_a)
        self.assertEqual(self.client.get(reverse("people:export_download", args=[job.pk])).status_code, 404)
        self.assertEqual(self.client.get(reverse("people:export_job", args=[job.pk])).status_code, 404)

    def test_an_expired_file_is_gone(self) -> None:
        job = self.ask(self.officer_a)
        run_worker()
        stored = Path(self.media) / "exports" / ExportJob.objects.get(pk=job.pk).file
        self.assertTrue(stored.exists())
        ExportJob.objects.filter(pk=job.pk).update(created_at=timezone.now() - dt.timedelta(hours=25))
        self.assertEqual(self.client.get(reverse("people:export_download", args=[job.pk])).status_code, 404)
        self.assertEqual(self.client.get(reverse("people:export_job", args=[job.pk])).status_code, 404)
        # The pages only refuse it; deleting is the deferred task's (the next test), so the
        # 2-second poll writes nothing.
        self.assertTrue(stored.exists())
        self.assertEqual(tasks.purge_expired(), 1)
        self.assertFalse(stored.exists())
        self.assertFalse(ExportJob.objects.exists())

    def test_the_status_poll_reads_only(self) -> None:
        job = self.ask(self.officer_a)
        with CaptureQueriesContext(connection) as queries:
            self.client.get(reverse("people:export_job", args=[job.pk]), headers={"HX-Request": "true"})
        writes = [q["sql"] for q in queries.captured_queries
                  if q["sql"].lstrip().upper().startswith(("DELETE", "INSERT INTO \"PEOPLE", "UPDATE \"PEOPLE"))]
        self.assertEqual(writes, [])

    def test_a_job_whose_worker_died_stops_polling_and_says_so(self) -> None:
        job = self.ask(self.officer_a)
        url = reverse("people:export_job", args=[job.pk])
        self.assertContains(self.client.get(url, headers={"HX-Request": "true"}), 'hx-trigger="every 2s"')
        ExportJob.objects.filter(pk=job.pk).update(status=JobStatus.RUNNING, updated_at=timezone.now() - dt.timedelta(minutes=11))
        page = self.client.get(url, headers={"HX-Request": "true"})
        self.assertNotContains(page, "hx-trigger")
        self.assertContains(page, "Không tạo được tệp")

    def test_the_worker_deletes_the_file_at_its_time_without_any_request(self) -> None:
        job = self.ask(self.officer_a)
        self.assertEqual(run_worker(), 1)  # the file; its deletion waits for its time
        deletion = DBTaskResult.objects.get(task_path="clms.people.tasks.expire_export")
        self.assertEqual(deletion.run_after, job.created_at + dt.timedelta(hours=24))
        stored = Path(self.media) / "exports" / ExportJob.objects.get(pk=job.pk).file
        ExportJob.objects.filter(pk=job.pk).update(created_at=timezone.now() - dt.timedelta(hours=25))
        DBTaskResult.objects.filter(pk=deletion.pk).update(run_after=timezone.now())
        self.assertEqual(run_worker(), 1)
        self.assertFalse(stored.exists())
        self.assertFalse(ExportJob.objects.exists())

    def test_a_new_request_deletes_the_users_previous_file(self) -> None:
        first = self.ask(self.officer_a)
        run_worker()
        stored = Path(self.media) / "exports" / ExportJob.objects.get(pk=first.pk).file
        second = self.ask(self.officer_a, sex="M")
        self.assertFalse(stored.exists())
        self.assertEqual(list(ExportJob.objects.values_list("pk", flat=True)), [second.pk])
        self.assertEqual(self.client.get(reverse("people:export_download", args=[first.pk])).status_code, 404)

    def test_the_request_and_each_download_are_audited_with_the_children(self) -> None:
        job = self.ask(self.officer_a)
        ids = sorted(str(pk) for pk in Child.objects.filter(village=self.village_a).values_list("pk", flat=True))
        asked = AuditEvent.objects.filter(action="export", detail__background=job.pk).get()
        self.assertEqual(sorted(asked.object_ids), ids)
        run_worker()
        url = reverse("people:export_download", args=[job.pk])
        self.client.get(url)
        self.client.get(url)
        downloads = AuditEvent.objects.filter(action="export", detail__download=job.pk)
        self.assertEqual(downloads.count(), 2)
        self.assertEqual(sorted(downloads.first().object_ids), ids)  # type: ignore[union-attr]

    def test_a_small_export_stays_direct(self) -> None:
        self.client.force_login(self.officer_a)
        response = self.client.get(EXPORT, {"sex": "F"})
        self.assertEqual(response.status_code, 200)
        self.assertEqual([r[2] for r in table(response.content)], ["Lê Thị Hoa"])
        self.assertFalse(ExportJob.objects.exists())

    def test_a_backup_leaves_the_export_files_out(self) -> None:
        job = self.ask(self.officer_a)
        run_worker()
        upload = Path(self.media) / "commitments" / "a.pdf"
        upload.parent.mkdir()
        upload.write_bytes(b"%PDF-")
        self.assertTrue((Path(self.media) / "exports" / ExportJob.objects.get(pk=job.pk).file).exists())
        self.assertEqual(_media_files(Path(self.media)), [upload])
