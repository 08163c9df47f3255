"""The receiving level's report files are made in the background (clms/reports/tasks.py).

The real database backend of django-tasks-db queues the work; the worker runs in this process
(tests/reports/files.py), so each test sees exactly what ``manage.py db_worker`` would do.
"""

from __future__ import annotations

import io
from typing import Any
from unittest import mock

from django.core.cache import cache
from django.urls import reverse
from django_tasks_db.models import DBTaskResult
from docx import Document

from clms.core.models import JobStatus
from clms.reports import services
from clms.reports.documents import render as documents
from clms.reports.models import FileJob, ReportingPeriod, Submission
from tests.base import PersonaTestCase
from tests.reports.factories import seed_commune_year
from tests.reports.files import run_worker


class BackgroundFilesTestCase(PersonaTestCase):
    submission: Submission
    period: ReportingPeriod

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        seed_commune_year(user=cls.officer_a, commune=cls.commune_a, year=2026, children=3)
        sub = services.submission_start(user=cls.officer_a, unit=cls.commune_a, year=2026)
        sub = services.submission_update(user=cls.officer_a, submission=sub, version=sub.version, number=3, signer_name="Lê Văn Ký")
        sub = services.submission_submit(user=cls.officer_a, submission=sub, version=sub.version)
        cls.submission = services.submission_accept(user=cls.supervisor, submission=sub, version=sub.version)
        cls.period = cls.submission.period

    def setUp(self) -> None:
        cache.clear()
        self.client.force_login(self.supervisor)

    def _click(self, fmt: str, *, htmx: bool = True) -> Any:
        headers = {"HX-Request": "true"} if htmx else {}
        return self.client.post(reverse("reports:period_generate", args=[self.period.pk, fmt]), headers=headers)

    def _panel(self) -> str:
        return self.client.get(reverse("reports:period_files", args=[self.period.pk]), headers={"HX-Request": "true"}).content.decode()

    def test_it_enqueues_once_however_often_the_user_clicks(self) -> None:
        response = self._click("pdf")
        self.assertContains(response, "Đang tạo tệp… (1/3)")
        self.assertContains(response, 'hx-trigger="every 2s"')
        self._click("pdf")
        self._click("docx")
        self._click("xlsx", htmx=False)
        self.assertEqual(DBTaskResult.objects.count(), 1)
        job = FileJob.objects.get()
        self.assertEqual((job.status, job.formats, job.done), (JobStatus.QUEUED, ["pdf", "docx", "xlsx"], 0))
        self.assertEqual(str(DBTaskResult.objects.get().id), job.task_id)
        # Not made yet: the download link leads back to the page, it does not make the file itself.
        response = self.client.get(reverse("reports:period_document", args=[self.period.pk, "docx"]))
        self.assertRedirects(response, reverse("reports:period", args=[self.period.pk]) + "#files")

    def test_it_makes_the_three_files_counting_them_and_offers_each(self) -> None:
        self._click("docx")
        seen: list[int] = []
        real = documents.render

        def counting(report: Any, fmt: str) -> Any:
            seen.append(FileJob.objects.get().done)
            return real(report, fmt)

        with mock.patch.object(documents, "render", counting):
            self.assertEqual(run_worker(), 1)
        self.assertEqual(seen, [0, 1, 2])  # the panel said 1/3, 2/3, 3/3 while they were made
        job = FileJob.objects.get()
        self.assertEqual((job.status, job.done), (JobStatus.READY, 3))
        self.assertEqual(DBTaskResult.objects.get().status, "SUCCESSFUL")
        panel = self._panel()
        self.assertNotIn("every 2s", panel)
        for fmt in ("docx", "xlsx", "pdf"):
            self.assertIn(reverse("reports:period_document", args=[self.period.pk, fmt]), panel)
        body = self.client.get(reverse("reports:period_document", args=[self.period.pk, "docx"])).content
        self.assertIn("Trên cơ sở báo cáo của 1/2 xã", "\n".join(p.text for p in Document(io.BytesIO(body)).paragraphs))
        # A later click finds the files: nothing is queued again.
        response = self._click("pdf", htmx=False)
        self.assertRedirects(response, reverse("reports:period_document", args=[self.period.pk, "pdf"]), fetch_redirect_response=False)
        self.assertEqual(DBTaskResult.objects.count(), 1)

    def test_it_says_what_failed_in_vietnamese_and_can_be_retried(self) -> None:
        self._click("pdf")
        broken = mock.Mock(side_effect=OSError("no fonts"))
        with mock.patch.dict(documents.FORMATS, {"pdf": (broken, "application/pdf")}), self.assertLogs("clms.reports.tasks", "ERROR"):
            run_worker()
        job = FileJob.objects.get()
        self.assertEqual(job.status, JobStatus.FAILED)
        self.assertEqual(DBTaskResult.objects.get().status, "FAILED")
        panel = self._panel()
        self.assertIn("Không tạo được tệp", panel)
        self.assertNotIn("no fonts", panel)  # the cause is logged, not shown
        self.assertNotIn("every 2s", panel)
        # Retry: queued again, once, and made this time.
        self._click("pdf")
        self._click("pdf")
        self.assertEqual(DBTaskResult.objects.count(), 2)
        run_worker()
        self.assertEqual(FileJob.objects.get().status, JobStatus.READY)
        response = self.client.get(reverse("reports:period_document", args=[self.period.pk, "pdf"]))
        self.assertEqual(response["Content-Type"], "application/pdf")

    def test_it_makes_new_files_when_another_report_is_accepted(self) -> None:
        self._click("xlsx")
        run_worker()
        officer = self.officer_b
        seed_commune_year(user=officer, commune=self.commune_b, year=2026, children=1)
        sub = services.submission_start(user=officer, unit=self.commune_b, year=2026)
        sub = services.submission_update(user=officer, submission=sub, version=sub.version, signer_name="Phạm Văn Ký")
        sub = services.submission_submit(user=officer, submission=sub, version=sub.version)
        services.submission_accept(user=self.supervisor, submission=sub, version=sub.version)
        # The old files are of other figures: the buttons ask for new ones.
        response = self.client.get(reverse("reports:period_document", args=[self.period.pk, "xlsx"]))
        self.assertEqual(response.status_code, 302)
        self._click("xlsx")
        self.assertEqual(FileJob.objects.count(), 2)
        run_worker()
        response = self.client.get(reverse("reports:period_document", args=[self.period.pk, "xlsx"]))
        self.assertEqual(response.status_code, 200)

    def test_it_names_the_files_from_the_snapshot_ids_alone(self) -> None:
        # The click reads no snapshot figures; the worker, which does, must find the same key.
        from clms.reports import selectors

        self.assertEqual(documents.period_file_key(self.period), documents.period_file_key(self.period, selectors.period_aggregate(self.period)))

    def test_it_keeps_a_communes_own_report_a_direct_download(self) -> None:
        self.client.force_login(self.officer_a)
        response = self.client.get(reverse("reports:submission_document", args=[self.submission.pk, "docx"]))
        self.assertEqual(response.status_code, 200)
        self.assertEqual(DBTaskResult.objects.count(), 0)

    def test_it_shows_the_panel_on_the_period_page(self) -> None:
        response = self.client.get(reverse("reports:period", args=[self.period.pk]))
        self.assertContains(response, 'id="files"')
        self.assertContains(response, reverse("reports:period_generate", args=[self.period.pk, "pdf"]))
