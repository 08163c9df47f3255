"""Issue 18 (the register part): a province's register list counts its rows once per write,
and the search without diacritics is served by a trigram index on PostgreSQL."""

from __future__ import annotations

import importlib
from typing import Any

from django.apps import apps as global_apps
from django.core.cache import cache
from django.db import connection
from django.test import TestCase, override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from clms.people.models import Child
from clms.places.roots import wide_scope_roots
from tests.base import PersonaTestCase
from tests.people.factories import ChildFactory

MIGRATION = importlib.import_module("clms.people.migrations.0006_child_name_trigram")
COUNT_MIGRATION = importlib.import_module("clms.people.migrations.0007_child_minor_count_index")


def child_counts(queries: CaptureQueriesContext) -> list[str]:
    return [q["sql"] for q in queries.captured_queries if "COUNT(" in q["sql"] and "people_child" in q["sql"]]


@override_settings(CLMS_INDICATOR_CACHE_SECONDS=60)
class RegisterCountCacheTestCase(PersonaTestCase):
    an: Child

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.an = ChildFactory.create(full_name="Nguyễn Văn An", village=cls.village_a, sex="M")
        ChildFactory.create(full_name="Đỗ Thị Dung", village=cls.village_a)
        ChildFactory.create(full_name="Nguyễn Văn Anh", village=cls.village_b, sex="M")

    def setUp(self) -> None:
        cache.clear()

    def tearDown(self) -> None:
        cache.clear()

    def total(self, user: Any, **params: str) -> int:
        self.client.force_login(user)
        response = self.client.get(reverse("people:list"), params)
        self.assertEqual(response.status_code, 200)
        return int(response.context["page"].paginator.count)

    def test_it_counts_a_province_once_until_a_write_in_it(self) -> None:
        self.assertEqual(self.total(self.supervisor), 3)
        # Written behind the cache's back (inside the test's transaction, so the invalidation
        # waiting for the commit never runs): the total stays.
        ChildFactory.create(full_name="Lê Văn Mới", village=self.village_b)
        self.client.force_login(self.supervisor)
        with CaptureQueriesContext(connection) as queries:
            response = self.client.get(reverse("people:list"), {"page": "1"})
        self.assertEqual(child_counts(queries), [])
        self.assertEqual(response.context["page"].paginator.count, 3)
        # The rows themselves are read fresh: the new child is listed all the same.
        self.assertIn("Lê Văn Mới", {c.full_name for c in response.context["page"].object_list})
        # A write request by an officer of the province starts a new generation for it.
        self.client.force_login(self.officer_a)
        posted = self.client.post(f"/register/{self.an.pk}/visits/new/", {"visited_on": "01/11/2026", "note": "Thăm"})
        self.assertLess(posted.status_code, 400)
        self.assertEqual(self.total(self.supervisor), 4)

    def test_a_child_saved_outside_a_request_counts_once_committed(self) -> None:
        # An API client, the worker or odk_pull: clms.indicators.invalidation on the commit.
        self.assertEqual(self.total(self.supervisor), 3)
        with self.captureOnCommitCallbacks(execute=True):
            ChildFactory.create(full_name="Lê Văn Mới", village=self.village_b)
        self.assertEqual(self.total(self.supervisor), 4)

    def test_each_filter_has_its_own_total(self) -> None:
        self.assertEqual(self.total(self.supervisor), 3)
        self.assertEqual(self.total(self.supervisor, q="nguyen van"), 2)
        self.assertEqual(self.total(self.supervisor, sex="F"), 1)
        self.assertEqual(self.total(self.supervisor, q="nguyen van", village=str(self.village_b.pk)), 1)

    def test_a_communes_total_is_counted_every_time(self) -> None:
        self.assertIsNone(wide_scope_roots(self.officer_a))
        self.assertEqual(self.total(self.officer_a), 2)
        ChildFactory.create(full_name="Lê Văn Mới", village=self.village_a)
        self.assertEqual(self.total(self.officer_a), 3)

    def test_the_total_of_a_scope_is_not_shown_to_another_scope(self) -> None:
        self.assertEqual(self.total(self.supervisor), 3)
        # The district officer's area (the old district) holds only part of the province.
        self.assertIsNotNone(wide_scope_roots(self.district_officer))
        expected = Child.objects.filter(
            commune__path__startswith=self.district_officer.area.path).count()  # type: ignore[union-attr]
        self.assertNotEqual(expected, 3)
        self.assertEqual(self.total(self.district_officer), expected)

    @override_settings(CLMS_INDICATOR_CACHE_SECONDS=0)
    def test_the_cache_off_counts_every_page(self) -> None:
        self.assertEqual(self.total(self.supervisor), 3)
        ChildFactory.create(full_name="Lê Văn Mới", village=self.village_b)
        self.assertEqual(self.total(self.supervisor), 4)


class RegisterSearchTestCase(PersonaTestCase):
    """Runs on both databases: PostgreSQL answers through the trigram index, SQLite by a scan."""

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        ChildFactory.create(full_name="Nguyễn Văn Đức", village=cls.village_a)
        ChildFactory.create(full_name="Nguyễn Thị Vân", village=cls.village_b)
        ChildFactory.create(full_name="Trần Văn Nguyên", village=cls.village_b)
        ChildFactory.create(full_name="Lê Thị Hoa", village=cls.village_a)

    def names(self, **params: str) -> list[str]:
        self.client.force_login(self.supervisor)
        response = self.client.get(reverse("people:list"), params)
        return [c.full_name for c in response.context["page"].object_list]

    def test_a_surname_and_given_name_without_diacritics_find_every_match(self) -> None:
        # Every word anywhere in the name: "van" is in Văn and in Vân, "nguyen" in Nguyên.
        self.assertEqual(self.names(q="nguyen van"), ["Nguyễn Thị Vân", "Nguyễn Văn Đức", "Trần Văn Nguyên"])
        self.assertEqual(self.names(q="NGUYEN van duc"), ["Nguyễn Văn Đức"])
        self.assertEqual(self.names(q="hoa"), ["Lê Thị Hoa"])
        self.assertEqual(self.names(q="nguyen hoa"), [])


class TrigramMigrationTestCase(TestCase):
    def index_sql(self) -> str:
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT indexdef FROM pg_indexes WHERE indexname = %s", [MIGRATION.INDEX])
                row = cursor.fetchone()
            return row[0] if row else ""
        with connection.cursor() as cursor:
            cursor.execute("SELECT sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'people_child'")
            return " ".join(r[0] or "" for r in cursor.fetchall() if "trgm" in (r[0] or ""))

    def test_it_creates_the_index_on_postgresql_only(self) -> None:
        if connection.vendor == "postgresql":
            self.assertIn("USING gin (name_folded gin_trgm_ops)", self.index_sql())
        else:
            self.assertEqual(self.index_sql(), "")

    def test_on_sqlite_it_runs_no_statement(self) -> None:
        if connection.vendor != "sqlite":
            self.skipTest("the embedded default only")

        class Recorder:
            def __init__(self) -> None:
                self.connection = connection
                self.statements: list[str] = []

            def execute(self, sql: str, params: Any = ()) -> None:
                self.statements.append(sql)

        editor = Recorder()
        MIGRATION.create(global_apps, editor)
        MIGRATION.drop(global_apps, editor)
        self.assertEqual(editor.statements, [])

    def test_on_postgresql_it_can_be_undone_and_run_again(self) -> None:
        if connection.vendor != "postgresql":
            self.skipTest("the trigram index exists on PostgreSQL only")
        with connection.schema_editor() as editor:
            MIGRATION.drop(global_apps, editor)
        self.assertEqual(self.index_sql(), "")
        with connection.schema_editor() as editor:
            MIGRATION.create(global_apps, editor)
            MIGRATION.create(global_apps, editor)  # IF NOT EXISTS: a second run changes nothing
        self.assertIn("gin_trgm_ops", self.index_sql())

    def test_postgresql_answers_a_search_through_the_index(self) -> None:
        if connection.vendor != "postgresql":
            self.skipTest("the trigram index exists on PostgreSQL only")
        with connection.cursor() as cursor:
            # An empty table: only a forbidden scan makes the planner show it would use the index.
            cursor.execute("SET LOCAL enable_seqscan = off")
            cursor.execute("EXPLAIN SELECT id FROM people_child WHERE name_folded LIKE %s", ["%thu%"])
            plan = "\n".join(r[0] for r in cursor.fetchall())
        self.assertIn(MIGRATION.INDEX, plan)


class CountIndexMigrationTestCase(TestCase):
    def test_postgresql_counts_minors_from_the_index_alone(self) -> None:
        if connection.vendor != "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT name FROM sqlite_master WHERE type = 'index' AND name = %s", [COUNT_MIGRATION.INDEX])
                self.assertIsNone(cursor.fetchone())
            return
        with connection.cursor() as cursor:
            cursor.execute("SELECT indexdef FROM pg_indexes WHERE indexname = %s", [COUNT_MIGRATION.INDEX])
            row = cursor.fetchone()
            self.assertIsNotNone(row)
            self.assertIn("INCLUDE (commune_id) WHERE (merged_into_id IS NULL)", row[0])
            cursor.execute("SET LOCAL enable_seqscan = off")
            cursor.execute("EXPLAIN SELECT count(*) FROM people_child WHERE merged_into_id IS NULL AND dob > %s",
                           ["2008-12-03"])
            plan = "\n".join(r[0] for r in cursor.fetchall())
        self.assertIn(COUNT_MIGRATION.INDEX, plan)
