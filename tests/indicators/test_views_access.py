"""Who may open which page, what each sees, and how many queries the pages cost."""

from __future__ import annotations

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from clms.accounts.models import AuditEvent
from tests.base import PersonaTestCase
from tests.indicators import fixture

YEAR = "2025"


class DashboardAccessTestCase(fixture.FixtureNames, PersonaTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        fixture.build(cls)

    def drill_url(self, code: str, unit_id: int) -> str:
        return f"/indicators/drill/{code}/{unit_id}/?year={YEAR}&structure=after-2025"

    def test_it_sends_anonymous_visitors_to_the_login_page(self) -> None:
        for url in ("/indicators/", "/indicators/trend/CL_RATE/", self.drill_url("CL_RATE", self.commune_b.pk)):
            response = self.client.get(url)
            self.assertEqual(response.status_code, 302, url)
            self.assertIn("/accounts/login/", response["Location"])

    def test_it_refuses_collaborators(self) -> None:
        self.client.force_login(self.collaborator)
        for url in ("/indicators/", "/indicators/trend/CL_RATE/", self.drill_url("CL_RATE", self.commune_b.pk)):
            self.assertEqual(self.client.get(url).status_code, 403, url)

    def test_it_shows_the_supervisor_every_commune_against_the_local_targets(self) -> None:
        self.client.force_login(self.supervisor)
        response = self.client.get(f"/indicators/?year={YEAR}")
        body = response.content.decode()
        self.assertEqual(response.status_code, 200)
        self.assertIn("Xã Tân Ninh", body)
        self.assertIn("Xã Triệu Sơn", body)
        self.assertIn("≤ 0,5%", body)
        # B's child-labour cell is off track: a drill-down link to its children.
        self.assertIn(self.drill_url("CL_RATE", self.commune_b.pk).replace("&", "&amp;"), body)
        # The chart comes after the table, in a request of its own.
        self.assertNotIn("<svg", body)
        self.assertIn('hx-trigger="load"', body)
        chart = self.client.get(f"/indicators/?year={YEAR}&part=chart").content.decode()
        self.assertTrue(chart.startswith('<div id="indicator-chart"><svg'), chart[:80])

    def test_it_switches_to_the_national_targets(self) -> None:
        self.client.force_login(self.supervisor)
        body = self.client.get(f"/indicators/?year={YEAR}&targets=national").content.decode()
        self.assertIn("≤ 4,9%", body)
        self.assertNotIn("≤ 0,5%", body)

    def test_it_sorts_on_the_server_and_answers_htmx_with_the_table_only(self) -> None:
        self.client.force_login(self.supervisor)
        response = self.client.get(
            f"/indicators/?year={YEAR}&sort=CL_RATE&order=desc",
            headers={"HX-Request": "true", "HX-Target": "indicator-table"},
        )
        body = response.content.decode()
        self.assertNotIn("<html", body)
        # B (0.67 %) before A (0.2 %) when sorted down.
        self.assertLess(body.index("Xã Triệu Sơn"), body.index("Xã Tân Ninh"))
        body = self.client.get(f"/indicators/?year={YEAR}&sort=CL_RATE&order=asc").content.decode()
        table = body[body.index('id="indicator-table"'):]
        self.assertLess(table.index("Xã Tân Ninh"), table.index("Xã Triệu Sơn"))

    def test_it_reads_the_old_structure(self) -> None:
        self.client.force_login(self.district_officer)
        body = self.client.get(f"/indicators/?year={YEAR}&structure=before-2025").content.decode()
        for name in ("Xã Vân Sơn", "Xã Thái Hòa", "Xã Minh Sơn"):
            self.assertIn(name, body)

    def test_it_shows_figures_without_drill_down_to_the_province_viewer_and_agencies(self) -> None:
        for user in (self.viewer, self.agency):
            self.client.force_login(user)
            body = self.client.get(f"/indicators/?year={YEAR}").content.decode()
            self.assertIn("Xã Triệu Sơn", body)
            self.assertNotIn("/indicators/drill/", body)
            self.assertEqual(self.client.get(self.drill_url("CL_RATE", self.commune_b.pk)).status_code, 403)

    def test_it_shows_the_commune_officer_her_commune_and_what_to_do_next(self) -> None:
        self.client.force_login(self.officer_b)
        body = self.client.get(f"/indicators/?year={YEAR}").content.decode()
        self.assertIn("Xã Triệu Sơn", body)
        self.assertNotIn("Xã Tân Ninh", body)
        # Case 3's follow-up due 01/10/2025 is overdue.
        self.assertIn("bước xử lý vụ việc quá hạn", body)
        self.assertIn(self.drill_url("MONITORED", self.commune_b.pk).replace("&", "&amp;"), body)

    def test_it_drills_down_to_the_children_behind_a_cell_and_audits_it(self) -> None:
        self.client.force_login(self.supervisor)
        response = self.client.get(self.drill_url("CL_RATE", self.commune_b.pk))
        body = response.content.decode()
        self.assertIn("Phạm Văn Nam", body)
        self.assertIn("Phạm Văn Bình", body)
        self.assertNotIn("Lê Thị Lan", body)
        self.assertIn(f'href="{reverse("people:detail", args=[self.nam.pk])}"', body)
        event = AuditEvent.objects.get(action="list", object_type="people.child")
        self.assertEqual(sorted(event.object_ids), sorted([str(self.nam.pk), str(self.binh.pk)]))
        self.assertEqual(event.detail["indicator"], "CL_RATE")

    def test_it_drills_down_to_the_cases_behind_a_cell(self) -> None:
        self.client.force_login(self.officer_b)
        body = self.client.get(self.drill_url("TIMELY", self.commune_b.pk)).content.decode()
        self.assertIn(f'href="/cases/{self.case3.pk}/"', body)
        self.assertNotIn(f'href="/cases/{self.case4.pk}/"', body)
        self.assertEqual(AuditEvent.objects.get(object_type="cases.case").object_ids, [str(self.case3.pk)])

    def test_it_hides_other_communes_from_an_officer(self) -> None:
        self.client.force_login(self.officer_a)
        self.assertEqual(self.client.get(self.drill_url("CL_RATE", self.commune_b.pk)).status_code, 404)
        # Her own commune: A, formed from A1 and A2, shows Lan and Mai.
        body = self.client.get(self.drill_url("CL_RATE", self.commune_a.pk)).content.decode()
        self.assertIn("Lê Thị Lan", body)
        self.assertIn("Đỗ Thị Mai", body)

    def test_it_refuses_a_drill_down_for_a_figure_without_records(self) -> None:
        self.client.force_login(self.supervisor)
        self.assertEqual(self.client.get(self.drill_url("COMM_TEACHERS", self.commune_b.pk)).status_code, 404)

    def test_it_shows_a_trend_with_its_targets(self) -> None:
        self.client.force_login(self.supervisor)
        response = self.client.get(f"/indicators/trend/CL_RATE/?unit={self.commune_a.pk}")
        body = response.content.decode()
        self.assertEqual(response.status_code, 200)
        self.assertIn("Mục tiêu năm 2025", body)
        self.assertIn("<svg", body)
        self.assertEqual(self.client.get("/indicators/trend/NOPE/").status_code, 404)

    def test_it_ignores_a_unit_outside_the_area(self) -> None:
        self.client.force_login(self.officer_a)
        body = self.client.get(f"/indicators/?unit={self.commune_b.pk}&year={YEAR}").content.decode()
        self.assertIn("Xã Tân Ninh", body)
        self.assertNotIn("Phạm Văn", body)

    def test_it_pins_the_queries_of_the_dashboard(self) -> None:
        self.client.force_login(self.supervisor)
        self.client.get(f"/indicators/?year={YEAR}")
        # Session and user 2, the unit choices 1, the table 21 (the 39 of test_exactness, but
        # 2025 and its 2021 baseline are closed years read from their stored facts: a
        # fingerprint and the facts, 2 each, instead of 11 each), the area prefixes of the
        # supervisor 1, the default unit put into the form and validated 1, the survey panel's
        # latest round of the unit 1 (none here).
        with self.assertNumQueries(28):
            self.client.get(f"/indicators/?year={YEAR}")


class DashboardCacheTestCase(PersonaTestCase):
    def test_it_reuses_a_computed_table_within_the_cache_time(self) -> None:
        from django.core.cache import cache
        from django.test import override_settings

        cache.clear()
        self.client.force_login(self.supervisor)
        with override_settings(CLMS_INDICATOR_CACHE_SECONDS=60):
            with CaptureQueriesContext(connection) as first:
                self.assertEqual(self.client.get(f"/indicators/?year={YEAR}").status_code, 200)
            with CaptureQueriesContext(connection) as second:
                self.assertEqual(self.client.get(f"/indicators/?year={YEAR}").status_code, 200)
        # The second request skips the ~39 queries of the table.
        self.assertLess(len(second.captured_queries) + 30, len(first.captured_queries))
        cache.clear()
