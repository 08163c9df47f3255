"""Who may open and act on which report page; query counts of the list pages."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.urls import reverse

from clms.accounts.models import AuditEvent
from clms.reports import services
from clms.reports.models import Submission, SubmissionStatus
from tests.base import PersonaTestCase
from tests.factories import UserFactory
from tests.reports.factories import seed_commune_year
from tests.reports.files import period_file


class AccessTestCase(PersonaTestCase):
    submission: Submission
    old: Submission

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        seed_commune_year(user=cls.officer_a, commune=cls.commune_a, year=2026, children=1)
        sub = services.submission_start(user=cls.officer_a, unit=cls.commune_a, year=2026)
        sub = services.submission_update(user=cls.officer_a, submission=sub, version=sub.version, signer_name="Lê Văn Ký")
        cls.submission = services.submission_submit(user=cls.officer_a, submission=sub, version=sub.version)
        officer_a1 = UserFactory.create(username="officer_a1", role="commune_officer", area=cls.a1)
        old = services.submission_start(user=officer_a1, unit=cls.a1, year=2024)
        old = services.submission_update(user=officer_a1, submission=old, version=old.version, signer_name="Phạm Văn Ký")
        cls.old = services.submission_submit(user=officer_a1, submission=old, version=old.version)

    def _urls(self, sub: Submission) -> dict[str, tuple[str, str]]:
        pk, period = sub.pk, sub.period_id
        return {
            "submission": ("get", reverse("reports:submission", args=[pk])),
            "edit": ("get", reverse("reports:submission_edit", args=[pk])),
            "changes": ("get", reverse("reports:submission_changes", args=[pk])),
            "docx": ("get", reverse("reports:submission_document", args=[pk, "docx"])),
            "submit": ("post", reverse("reports:submission_submit", args=[pk])),
            "accept": ("post", reverse("reports:submission_accept", args=[pk])),
            "return": ("post", reverse("reports:submission_return", args=[pk])),
            "period": ("get", reverse("reports:period", args=[period])),
            "period_edit": ("get", reverse("reports:period_edit", args=[period])),
            "period_docx": ("get", reverse("reports:period_document", args=[period, "docx"])),
            "period_files": ("get", reverse("reports:period_files", args=[period])),
        }

    def _status(self, user: Any, method: str, url: str) -> int:
        self.client.force_login(user)
        data = {"version": self.submission.version, "reason": "x"}
        response = self.client.post(url, data) if method == "post" else self.client.get(url)
        return response.status_code

    def test_it_sends_anonymous_users_to_the_login_page(self) -> None:
        for name, (method, url) in [*self._urls(self.submission).items(), ("list", ("get", reverse("reports:list")))]:
            response = self.client.post(url) if method == "post" else self.client.get(url)
            with self.subTest(name):
                self.assertEqual(response.status_code, 302)
                self.assertIn("/accounts/login/", response["Location"])

    def test_it_forbids_collaborators_and_agencies(self) -> None:
        for user in (self.collaborator, self.agency):
            for name, (method, url) in [*self._urls(self.submission).items(), ("list", ("get", reverse("reports:list")))]:
                with self.subTest(user=user.username, page=name):
                    self.assertEqual(self._status(user, method, url), 403)

    def test_it_hides_another_communes_report(self) -> None:
        for name in ("submission", "edit", "changes", "docx", "submit"):
            method, url = self._urls(self.submission)[name]
            with self.subTest(name):
                self.assertEqual(self._status(self.officer_b, method, url), 404)
        # A district supervisor of the old structure does not see the 2026 commune reports.
        for name in ("submission", "accept", "return", "period"):
            method, url = self._urls(self.submission)[name]
            with self.subTest(f"district {name}"):
                self.assertEqual(self._status(self.district_officer, method, url), 404)

    def test_it_lets_only_the_receiving_level_decide(self) -> None:
        urls = self._urls(self.submission)
        for name in ("accept", "return", "period", "period_edit"):
            method, url = urls[name]
            with self.subTest(name):
                self.assertEqual(self._status(self.officer_a, method, url), 403)
        # The province receives nothing from A1 in 2024: that goes to the district.
        old = self._urls(self.old)
        self.assertEqual(self._status(self.supervisor, *old["accept"]), 403)
        self.assertEqual(self._status(self.supervisor, *old["period_edit"]), 403)
        self.old.refresh_from_db()
        self.assertEqual(self.old.status, SubmissionStatus.SUBMITTED)
        self.client.force_login(self.district_officer)
        self.client.post(old["accept"][1], {"version": self.old.version})
        self.old.refresh_from_db()
        self.assertEqual(self.old.status, SubmissionStatus.ACCEPTED)

    def test_it_forbids_the_supervisor_to_edit_or_submit_a_communes_report(self) -> None:
        for name in ("edit", "submit"):
            method, url = self._urls(self.submission)[name]
            with self.subTest(name):
                self.assertEqual(self._status(self.supervisor, method, url), 403)

    def test_it_shows_the_viewer_aggregates_only(self) -> None:
        urls = self._urls(self.submission)
        self.assertEqual(self._status(self.viewer, *urls["period"]), 200)
        self.assertEqual(self._status(self.viewer, *urls["period_files"]), 200)
        self.client.force_login(self.viewer)
        self.assertEqual(period_file(self.client, self.submission.period_id, "docx").status_code, 200)
        for name in ("submission", "changes", "docx", "accept", "period_edit"):
            with self.subTest(name):
                self.assertEqual(self._status(self.viewer, *urls[name]), 403)

    def test_it_tells_the_viewer_where_the_units_reports_are_instead_of_no_reports(self) -> None:
        # Issue 19: "No reports yet" under a sent report read as if nothing had arrived.
        self.client.force_login(self.viewer)
        page = self.client.get("/reports/")
        self.assertContains(page, 'id="summary-only"')
        self.assertNotContains(page, "Chưa có báo cáo nào")
        self.client.force_login(self.supervisor)
        self.assertNotContains(self.client.get("/reports/"), 'id="summary-only"')

    def test_it_opens_each_page_for_those_entitled(self) -> None:
        urls = self._urls(self.submission)
        for user, names in (
            (self.officer_a, ("submission", "changes", "docx")),
            (self.supervisor, ("submission", "changes", "docx", "period", "period_edit", "period_files")),
        ):
            for name in names:
                with self.subTest(user=user.username, page=name):
                    self.assertEqual(self._status(user, *urls[name]), 200)

    def test_it_audits_reads_and_exports(self) -> None:
        self.client.force_login(self.supervisor)
        self.client.get(reverse("reports:submission", args=[self.submission.pk]))
        period_file(self.client, self.submission.period_id, "xlsx")
        events = AuditEvent.objects.filter(user=self.supervisor).values_list("action", "object_type")
        self.assertIn(("read", "reports.submission"), events)
        self.assertIn(("export", "reports.reportingperiod"), events)

    def test_it_refuses_an_unknown_format(self) -> None:
        self.client.force_login(self.officer_a)
        response = self.client.get(f"/reports/submissions/{self.submission.pk}/report.odt")
        self.assertEqual(response.status_code, 404)


class ListQueryCountTestCase(PersonaTestCase):
    def _seed(self, communes: int) -> None:
        from tests.factories import AdminUnitFactory

        for _n in range(communes):
            unit = AdminUnitFactory.create(level="commune", scheme="post2025", parent=self.province, valid_from=dt.date(2025, 7, 1))
            officer = UserFactory.create(username=f"o{unit.pk}", role="commune_officer", area=unit)
            services.submission_start(user=officer, unit=unit, year=2026)
        services.submission_start(user=self.officer_a, unit=self.commune_a, year=2026)

    def test_it_lists_reports_in_a_fixed_number_of_queries(self) -> None:
        self._seed(3)
        self.client.force_login(self.supervisor)
        # session, user, area prefixes, submissions, periods, audit insert
        with self.assertNumQueries(7):
            response = self.client.get(reverse("reports:list"))
        self.assertContains(response, "Xã Tân Ninh")
        self._seed(4)
        with self.assertNumQueries(7):
            self.client.get(reverse("reports:list"))

    def test_it_shows_the_period_overview_in_a_fixed_number_of_queries(self) -> None:
        self._seed(2)
        sub = Submission.objects.get(unit=self.commune_a)
        self.client.force_login(self.supervisor)
        url = reverse("reports:period", args=[sub.period_id])
        # ... and the files panel: its job row and one cache read for the three files.
        with self.assertNumQueries(16):
            response = self.client.get(url)
        self.assertContains(response, "Xã Tân Ninh")
        self._seed(4)
        with self.assertNumQueries(16):
            self.client.get(url)
