"""Issue 18: the API's child search is the web register's search: the same rows in the same
order, found on PostgreSQL through the trigram index (people migration 0006)."""

from __future__ import annotations

from typing import Any

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.api.helpers import ApiClient
from tests.base import PersonaTestCase
from tests.people.factories import ChildFactory


class ApiRegisterSearchTestCase(PersonaTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        for name, village, sex in (
            ("Nguyễn Văn Đức", cls.village_a, "M"), ("Nguyễn Thị Vân", cls.village_b, "F"),
            ("Trần Văn Nguyên", cls.village_b, "M"), ("Lê Thị Hoa", cls.village_a, "F"),
            ("Nguyễn Văn An", cls.village_b, "M"), ("Vương Văn Nguyện", cls.village_a, "M"),
            ("Nguyễn Văn An", cls.village_a, "M"),
        ):
            ChildFactory.create(full_name=name, village=village, sex=sex)

    def web(self, **params: str) -> list[int]:
        self.client.force_login(self.supervisor)
        response = self.client.get(reverse("people:list"), params)
        self.assertEqual(response.status_code, 200)
        return [c.pk for c in response.context["page"].object_list]

    def api(self, **params: Any) -> list[int]:
        """Every page of the API's list, two rows a page, following the cursors."""
        client, ids, cursor = ApiClient(self.supervisor), [], None
        for _ in range(20):
            response = client.get("/children", limit=2, **params, **({"cursor": cursor} if cursor else {}))
            self.assertEqual(response.status_code, 200, response.content)
            body = response.json()
            ids += [c["id"] for c in body["items"]]
            cursor = body["next_cursor"]
            if cursor is None:
                return ids
        raise AssertionError("the pages did not end")

    def test_both_give_the_same_rows_in_the_same_order(self) -> None:
        for params in ({"q": "nguyen van"}, {"q": "NGUYEN van"}, {"q": "van", "sex": "M"}, {"q": "nguyen an"},
                       {"q": "hoa"}, {"q": "khong ai"}, {}):
            with self.subTest(**params):
                found = self.web(**params)
                self.assertEqual(self.api(**params), found)
        # Real matches (the two An, equal names, in id order): the comparison is not of empty lists.
        self.assertEqual(len(self.web(q="nguyen van")), 6)

    def test_postgresql_does_not_walk_the_name_index_for_the_apis_search(self) -> None:
        if connection.vendor != "postgresql":
            self.skipTest("a PostgreSQL plan")
        with CaptureQueriesContext(connection) as queries:
            self.assertEqual(ApiClient(self.supervisor).get("/children", q="nguyen van").status_code, 200)
        page = next(q["sql"] for q in queries.captured_queries
                    if 'FROM "people_child"' in q["sql"] and "LIKE" in q["sql"])
        with connection.cursor() as cursor:
            cursor.execute("SELECT indexname FROM pg_indexes WHERE tablename = 'people_child' "
                           "AND indexdef LIKE '%%btree (name_folded)'")
            (name_index,) = cursor.fetchone() or ("",)
            # A nearly empty table: only a forbidden scan makes the planner show its choice.
            cursor.execute("SET LOCAL enable_seqscan = off")
            cursor.execute("EXPLAIN " + page)
            plan = "\n".join(r[0] for r in cursor.fetchall())
        # The API sorted by the plain column, which lets PostgreSQL walk the name index in order
        # and test every name until a page matched (on a province: ~37,000 names for "nguyen
        # van"); by the register's expression it takes the matches from the trigram index.
        self.assertTrue(name_index)
        self.assertNotIn(name_index, plan)
        self.assertIn("Sort Key: (((COALESCE(people_child.name_folded", plan)
