"""The register import runs in the background (clms/people/import_tasks.py).

The real database backend of django-tasks-db queues the work and the worker runs in this
process (tests/reports/files.py), as ``manage.py db_worker`` would, like the export's tests.
"""

from __future__ import annotations

import datetime as dt
import io
import itertools
import os
import re
import shutil
import tempfile
import uuid
from pathlib import Path
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult
from openpyxl import Workbook

from clms.accounts.models import AuditEvent, Role
from clms.core import figure_cache
from clms.core.backup import _media_files
from clms.core.models import JobStatus
from clms.people import importers, tasks
from clms.people.models import Child, Household, ImportJob, ImportStage
from tests.base import PersonaTestCase
from tests.core.test_message_numbers import FAMILY, GIVEN, MIDDLE
from tests.factories import UserFactory
from tests.people.imports import URL
from tests.reports.files import run_worker

HEADER = ["Họ và tên", "Giới tính", "Ngày sinh", "Thôn", "Chủ hộ"]


def workbook(rows: list[list[Any]], name: str = "tre-em.xlsx") -> SimpleUploadedFile:
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(HEADER)
    for row in rows:
        ws.append(row)
    out = io.BytesIO()
    wb.save(out)
    return SimpleUploadedFile(name, out.getvalue())


def good_rows(n: int) -> list[list[Any]]:
    """Rows no two of which look like the same child (the names of test_message_numbers)."""
    names = itertools.islice(itertools.product(FAMILY, MIDDLE, GIVEN), n)
    start = dt.date(2010, 1, 1)
    return [[" ".join(name), "Nữ" if i % 2 else "Nam", (start + dt.timedelta(days=2 * i)).strftime("%d/%m/%Y"),
             "Thôn 1", f"Chủ hộ {i}"] for i, name in enumerate(names)]


class BackgroundImportTestCase(PersonaTestCase):
    def setUp(self) -> None:
        self.media = tempfile.mkdtemp()
        override = override_settings(PRIVATE_MEDIA_ROOT=Path(self.media))
        override.enable()
        self.addCleanup(override.disable)
        self.addCleanup(shutil.rmtree, self.media, True)

    def upload(self, user: Any, upload: SimpleUploadedFile, **headers: str) -> ImportJob:
        self.client.force_login(user)
        response = self.client.post(URL, {"file": upload}, headers=headers)
        job = ImportJob.objects.filter(requested_by=user).latest("pk")
        self.assertRedirects(response, reverse("people:import_job", args=[job.pk]), fetch_redirect_response=False)
        return job

    def page(self, job: ImportJob, *, htmx: bool = False) -> Any:
        return self.client.get(reverse("people:import_job", args=[job.pk]), headers={"HX-Request": "true"} if htmx else {})

    def test_the_task_imports_a_good_workbook_and_counts_its_rows(self) -> None:
        job = self.upload(self.officer_a, workbook(good_rows(12)))
        self.assertEqual(DBTaskResult.objects.filter(task_path="clms.people.import_tasks.make_import").count(), 1)
        # Nothing is written by the request: the worker does it.
        self.assertEqual((job.status, job.file_name, Child.objects.count()), (JobStatus.QUEUED, "tre-em.xlsx", 0))
        stored = Path(self.media) / "import-uploads" / job.file
        self.assertEqual(stored.stat().st_mode & 0o777, 0o600)
        self.assertEqual(run_worker(), 1)
        job.refresh_from_db()
        self.assertEqual((job.status, job.created_count, job.done, job.total, job.error_count),
                         (JobStatus.READY, 12, 12, 12, 0))
        self.assertEqual(Child.objects.filter(commune=self.commune_a, village=self.village_a).count(), 12)
        self.assertEqual(Household.objects.count(), 12)
        page = self.page(job, htmx=True)
        self.assertContains(page, "Đã nhập 12 trẻ em.")
        self.assertNotContains(page, "hx-trigger")
        # The upload is gone once read; the job stays (until expiry) to show the outcome.
        self.assertFalse(stored.exists())
        self.assertEqual(job.file, "")
        self.assertEqual(list(Path(self.media, "import-uploads").iterdir()), [])

    def test_the_audit_event_is_the_uploaders_with_the_ids_and_the_requests_origin(self) -> None:
        job = self.upload(self.officer_a, workbook(good_rows(3)), **{"User-Agent": "Trình duyệt thử"})
        run_worker()
        event = AuditEvent.objects.get(action="import")
        self.assertEqual(event.user, self.officer_a)
        self.assertEqual(sorted(event.object_ids), sorted(str(pk) for pk in Child.objects.values_list("pk", flat=True)))
        self.assertEqual(event.detail, {"rows": 3, "file": "tre-em.xlsx", "job": job.pk})
        self.assertEqual((event.path, event.ip, event.user_agent), (URL, "127.0.0.1", "Trình duyệt thử"))
        # The change history names the uploader too, though no request is running.
        self.assertEqual({h.history_user for h in Child.history.all()}, {self.officer_a})

    def test_a_bad_workbook_writes_nothing_and_its_errors_are_shown_on_the_page(self) -> None:
        rows = good_rows(4)
        rows[1][2] = "2013-03-15"
        rows[3][3] = "Thôn 9"
        job = self.upload(self.officer_a, workbook(rows))
        run_worker()
        job.refresh_from_db()
        self.assertEqual((job.status, job.error_count, job.created_count), (JobStatus.READY, 2, 0))
        self.assertEqual([e[:2] for e in job.errors], [[3, "Ngày sinh"], [5, "Thôn, bản"]])
        self.assertFalse(Child.objects.exists())
        self.assertFalse(Household.objects.exists())
        self.assertFalse(AuditEvent.objects.filter(action="import").exists())
        page = self.page(job)
        self.assertContains(page, "Tệp có 2 lỗi; không có dòng nào được lưu.")
        self.assertContains(page, "Dòng 3, cột “Ngày sinh”: Ghi ngày theo dạng dd/mm/yyyy.")
        self.assertContains(page, "Dòng 5, cột “Thôn, bản”: Không có thôn “Thôn 9”")
        self.assertContains(page, reverse("people:import"))
        self.assertEqual(list(Path(self.media, "import-uploads").iterdir()), [])

    def test_the_first_300_errors_are_kept_and_shown_with_their_total(self) -> None:
        rows = [[f"Trẻ {n}", "?", "01/01/2015", "Thôn 1", ""] for n in range(305)]
        job = self.upload(self.officer_a, workbook(rows))
        run_worker()
        job.refresh_from_db()
        self.assertEqual((job.error_count, len(job.errors)), (305, 300))
        page = self.page(job).content.decode()
        self.assertIn("Tệp có 305 lỗi", page)
        self.assertEqual(page.count("<li>Dòng "), 300)
        self.assertEqual(Child.objects.count(), 0)

    def test_the_errors_are_in_the_uploaders_language(self) -> None:
        rows = good_rows(1)
        rows[0][1] = "?"
        job = self.upload(self.officer_a, workbook(rows), **{"Accept-Language": "en"})
        self.assertEqual(job.language, "en")
        run_worker()
        job.refresh_from_db()
        self.assertEqual(job.errors, [[2, "Sex", "Write Nam or Nữ."]])

    def test_the_page_polls_with_the_progress_and_then_the_writing(self) -> None:
        job = self.upload(self.officer_a, workbook(good_rows(5)))
        page = self.page(job, htmx=True)
        self.assertContains(page, 'hx-trigger="every 2s"')
        self.assertContains(page, "Đang nhập… 0%")
        ImportJob.objects.filter(pk=job.pk).update(status=JobStatus.RUNNING, done=2, total=5)
        page = self.page(job)
        self.assertContains(page, "Đang nhập… 40%")
        self.assertContains(page, "Đã kiểm tra 2/5 dòng")
        self.assertContains(page, '<progress max="100" value="40">')
        ImportJob.objects.filter(pk=job.pk).update(stage=ImportStage.WRITE, done=5)
        page = self.page(job, htmx=True)
        self.assertContains(page, "Đang lưu vào sổ theo dõi…")
        self.assertContains(page, 'hx-trigger="every 2s"')

    def test_the_check_reports_progress_every_500_rows(self) -> None:
        seen: list[tuple[int, int]] = []
        clean = importers.children_check(user=self.officer_a, file=io.BytesIO(workbook(good_rows(1200)).read()), name="a.xlsx",
                                         progress=lambda done, total: seen.append((done, total)))
        self.assertEqual(len(clean), 1200)
        self.assertEqual(seen, [(500, 1200), (1000, 1200), (1200, 1200)])

    def test_the_status_poll_reads_only(self) -> None:
        job = self.upload(self.officer_a, workbook(good_rows(2)))
        with CaptureQueriesContext(connection) as queries:
            self.page(job, htmx=True)
        writes = [q["sql"] for q in queries.captured_queries
                  if q["sql"].lstrip().upper().startswith(("DELETE", "INSERT INTO \"PEOPLE", "UPDATE \"PEOPLE"))]
        self.assertEqual(writes, [])

    def test_only_the_uploader_sees_the_page(self) -> None:
        job = self.upload(self.officer_a, workbook([["Trẻ", "?", "01/01/2015", "Thôn 1", ""]]))
        run_worker()
        self.assertEqual(self.page(job).status_code, 200)
        colleague = UserFactory.create(username="officer_a2", role=Role.COMMUNE_OFFICER, area=self.commune_a)
        for other in (self.officer_b, colleague, self.supervisor, self.admin):
            self.client.force_login(other)
            self.assertEqual(self.page(job).status_code, 404, other)
            self.assertEqual(self.page(job, htmx=True).status_code, 404, other)
        for refused in (self.collaborator, self.viewer, self.agency):
            self.client.force_login(refused)
            self.assertEqual(self.page(job).status_code, 403, refused)

    def test_a_user_moved_to_another_commune_no_longer_sees_it_and_the_task_writes_nothing(self) -> None:
        job = self.upload(self.officer_a, workbook(good_rows(2)))
        self.officer_a.area = self.commune_b
        self.officer_a.save()
        run_worker()
        job.refresh_from_db()
        self.assertEqual(job.status, JobStatus.FAILED)
        self.assertFalse(Child.objects.exists())
        self.client.force_login(self.officer_a)
        self.assertEqual(self.page(job).status_code, 404)

    def test_a_double_submit_of_the_form_makes_one_job(self) -> None:
        self.client.force_login(self.officer_a)
        html = self.client.get(URL).content.decode()
        # The upload form's token (the header's logout form has its own, before it).
        found = re.search(r'name="form_token" value="([0-9a-f-]{36})"', html[html.index('enctype="multipart/form-data"'):])
        assert found is not None
        token = found.group(1)
        data = workbook(good_rows(2)).read()
        first = self.client.post(URL, {"file": SimpleUploadedFile("a.xlsx", data), "form_token": token})
        second = self.client.post(URL, {"file": SimpleUploadedFile("a.xlsx", data), "form_token": token}, follow=True)
        job = ImportJob.objects.get()
        self.assertEqual(first["Location"], reverse("people:import_job", args=[job.pk]))
        self.assertEqual(second.redirect_chain[-1][0], reverse("people:import_job", args=[job.pk]))
        self.assertContains(second, "Biểu mẫu này đã được gửi trước đó")
        self.assertEqual(DBTaskResult.objects.filter(task_path="clms.people.import_tasks.make_import").count(), 1)
        self.assertEqual(len(list(Path(self.media, "import-uploads").iterdir())), 1)
        run_worker()
        self.assertEqual(Child.objects.count(), 2)

    def test_a_form_error_stays_on_the_upload_page_and_queues_nothing(self) -> None:
        self.client.force_login(self.officer_a)
        response = self.client.post(URL, {"file": SimpleUploadedFile("tre.pdf", b"%PDF-")})
        self.assertContains(response, "Hãy tải lên tệp .xlsx hoặc .csv.")
        self.assertFalse(ImportJob.objects.exists())
        self.assertFalse(DBTaskResult.objects.exists())

    def test_a_job_whose_worker_died_stops_polling_and_says_so(self) -> None:
        job = self.upload(self.officer_a, workbook(good_rows(2)))
        ImportJob.objects.filter(pk=job.pk).update(status=JobStatus.RUNNING, stage=ImportStage.WRITE,
                                                    updated_at=timezone.now() - dt.timedelta(minutes=11))
        page = self.page(job, htmx=True)
        self.assertNotContains(page, "hx-trigger")
        self.assertContains(page, "Việc nhập đã dừng trước khi xong; chưa có dòng nào được lưu.")

    def test_a_job_queued_past_its_stale_time_is_not_imported_after_all(self) -> None:
        # Its page already said it stopped and nothing was saved; a late worker keeps it so.
        job = self.upload(self.officer_a, workbook(good_rows(2)))
        ImportJob.objects.filter(pk=job.pk).update(updated_at=timezone.now() - dt.timedelta(minutes=11))
        self.assertContains(self.page(job), "Việc nhập đã dừng trước khi xong")
        run_worker()
        job.refresh_from_db()
        self.assertEqual(job.status, JobStatus.FAILED)
        self.assertFalse(Child.objects.exists())
        self.assertContains(self.page(job), "Việc nhập đã dừng trước khi xong")

    def test_a_worker_failure_is_recorded_and_shown_and_writes_nothing(self) -> None:
        job = self.upload(self.officer_a, workbook(good_rows(2)))
        (Path(self.media) / "import-uploads" / job.file).unlink()
        self.assertEqual(run_worker(), 1)
        job.refresh_from_db()
        self.assertEqual(job.status, JobStatus.FAILED)
        self.assertIn("FileNotFoundError", job.error)
        self.assertFalse(Child.objects.exists())
        page = self.page(job, htmx=True)
        self.assertNotContains(page, "hx-trigger")
        self.assertContains(page, "Việc nhập đã dừng trước khi xong; chưa có dòng nào được lưu.")

    def test_a_second_run_of_the_task_does_nothing(self) -> None:
        job = self.upload(self.officer_a, workbook(good_rows(2)))
        run_worker()
        from clms.people.import_tasks import make_import

        self.assertEqual(make_import.call(job_id=job.pk), 0)
        self.assertEqual(Child.objects.count(), 2)

    def test_expiry_deletes_the_job_and_a_file_the_worker_never_read(self) -> None:
        job = self.upload(self.officer_a, workbook(good_rows(2)))
        stored = Path(self.media) / "import-uploads" / job.file
        expiry = DBTaskResult.objects.get(task_path="clms.people.import_tasks.expire_import")
        self.assertEqual(expiry.run_after, job.created_at + dt.timedelta(hours=24))
        # An upload left without a job (a request that failed after storing it).
        orphan = Path(self.media) / "import-uploads" / f"{uuid.uuid4().hex}.csv"
        orphan.write_bytes(b"x")
        old = (timezone.now() - dt.timedelta(hours=25)).timestamp()
        os.utime(orphan, (old, old))
        ImportJob.objects.filter(pk=job.pk).update(created_at=timezone.now() - dt.timedelta(hours=25))
        self.assertEqual(self.page(job).status_code, 404)
        DBTaskResult.objects.filter(pk=expiry.pk).update(run_after=timezone.now())
        DBTaskResult.objects.filter(task_path="clms.people.import_tasks.make_import").delete()
        self.assertEqual(run_worker(), 1)
        self.assertFalse(ImportJob.objects.exists())
        self.assertFalse(stored.exists())
        self.assertFalse(orphan.exists())

    def test_a_backup_leaves_the_waiting_uploads_out(self) -> None:
        self.upload(self.officer_a, workbook(good_rows(2)))
        self.assertEqual(len(list(Path(self.media, "import-uploads").iterdir())), 1)
        self.assertEqual(_media_files(Path(self.media)), [])

    @override_settings(CLMS_INDICATOR_CACHE_SECONDS=60)
    def test_the_worker_makes_the_province_figures_stale(self) -> None:
        job = self.upload(self.officer_a, workbook(good_rows(2)))
        before = figure_cache.root_generation(self.province.pk)
        with self.captureOnCommitCallbacks(execute=True):
            run_worker()
        self.assertEqual(ImportJob.objects.get(pk=job.pk).created_count, 2)
        self.assertNotEqual(figure_cache.root_generation(self.province.pk), before)


class PurgeTestCase(PersonaTestCase):
    def test_a_recent_job_and_its_file_stay(self) -> None:
        with tempfile.TemporaryDirectory() as media, override_settings(PRIVATE_MEDIA_ROOT=Path(media)):
            folder = Path(media) / "import-uploads"
            folder.mkdir()
            (folder / "a.csv").write_bytes(b"x")
            ImportJob.objects.create(requested_by=self.officer_a, file_name="a.csv", file="a.csv")
            stray = folder / "b.csv"
            stray.write_bytes(b"x")  # recent: perhaps a request still in its transaction
            self.assertEqual(tasks.purge_expired(), 0)
            self.assertEqual(sorted(p.name for p in folder.iterdir()), ["a.csv", "b.csv"])
