"""Issue 18: the wide pages' bodies rendered once per scope and write, shared by their readers
(clms/core/page_cache.py), without showing one reader's data to another or a stale page after a
committed write."""

from __future__ import annotations

import datetime as dt
from typing import Any
from unittest import mock

from django.core.cache import cache
from django.db import connection
from django.test import RequestFactory, SimpleTestCase, override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from clms.accounts.models import AuditEvent, Role
from clms.cases.models import Notification, NotificationKind
from clms.core import page_cache
from clms.places.models import Level, Scheme
from tests.base import PersonaTestCase
from tests.factories import AdminUnitFactory, UserFactory
from tests.people.factories import ChildFactory

PAGES = ("people:list", "indicators:dashboard", "cases:due", "core:home")


@override_settings(CLMS_INDICATOR_CACHE_SECONDS=60)
class PageCacheTestCase(PersonaTestCase):
    other_supervisor: Any
    second_supervisor: Any

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        ChildFactory.create(full_name="Nguyễn Văn An", village=cls.village_a)
        ChildFactory.create(full_name="Đỗ Thị Dung", village=cls.village_b)
        other = AdminUnitFactory.create(scheme=Scheme.BOTH, level=Level.PROVINCE, code="01", name="Thành phố Hà Nội")
        commune = AdminUnitFactory.create(scheme=Scheme.POST_2025, level=Level.COMMUNE, parent=other, name="Xã Ba Vì")
        village = AdminUnitFactory.create(scheme=Scheme.LOCAL, level=Level.VILLAGE, parent=commune, name="Thôn Xa", code="")
        ChildFactory.create(full_name="Phạm Thị Xa", village=village)
        cls.other_supervisor = UserFactory.create(username="sup_hn", role=Role.SUPERVISOR, area=other)
        cls.second_supervisor = UserFactory.create(username="sup2", role=Role.SUPERVISOR, area=cls.province)

    def setUp(self) -> None:
        cache.clear()

    def tearDown(self) -> None:
        cache.clear()

    def get(self, user: Any, name: str, **params: str) -> tuple[str, int]:
        self.client.force_login(user)
        with CaptureQueriesContext(connection) as queries:
            response = self.client.get(reverse(name), params)
        self.assertEqual(response.status_code, 200)
        return response.content.decode(), len(queries.captured_queries)

    def test_a_second_reader_of_the_scope_gets_the_body_without_its_queries(self) -> None:
        for name in PAGES:
            with self.subTest(page=name):
                first, first_queries = self.get(self.supervisor, name)
                second, second_queries = self.get(self.second_supervisor, name)
                self.assertLess(second_queries, first_queries)
                # The frame is the reader's own: the user box names the second supervisor.
                self.assertIn(f"<span>{self.second_supervisor} ·", second)
                self.assertNotIn(f"<span>{self.supervisor} ·", second)

    def test_the_body_is_the_same_rows_for_readers_of_one_scope(self) -> None:
        first, _n = self.get(self.supervisor, "people:list")
        second, _n = self.get(self.second_supervisor, "people:list")
        for name in ("Nguyễn Văn An", "Đỗ Thị Dung"):
            self.assertIn(name, first)
            self.assertIn(name, second)

    def test_a_supervisor_of_another_province_never_gets_this_body(self) -> None:
        self.get(self.supervisor, "people:list")
        other, _n = self.get(self.other_supervisor, "people:list")
        self.assertIn("Phạm Thị Xa", other)
        self.assertNotIn("Nguyễn Văn An", other)
        mine, _n = self.get(self.supervisor, "people:list")
        self.assertNotIn("Phạm Thị Xa", mine)

    def test_a_committed_write_to_the_scope_renders_the_page_again(self) -> None:
        before, _n = self.get(self.supervisor, "people:list")
        self.assertNotIn("Lê Văn Mới", before)
        with self.captureOnCommitCallbacks(execute=True):
            ChildFactory.create(full_name="Lê Văn Mới", village=self.village_b)
        after, _n = self.get(self.supervisor, "people:list")
        self.assertIn("Lê Văn Mới", after)

    def test_a_write_in_another_province_leaves_the_body_cached(self) -> None:
        self.get(self.supervisor, "people:list")
        with self.captureOnCommitCallbacks(execute=True):
            ChildFactory.create(full_name="Vũ Văn Xa", village=self.other_supervisor.area.children.get().children.get())
        _html, queries = self.get(self.supervisor, "people:list")
        _html, again = self.get(self.supervisor, "people:list")
        self.assertEqual(queries, again)

    def test_every_request_audits_the_children_it_shows_even_from_the_cache(self) -> None:
        self.get(self.supervisor, "people:list")
        self.get(self.second_supervisor, "people:list")
        event = AuditEvent.objects.filter(username="sup2", action="list", object_type="people.child").get()
        self.assertEqual(len(event.object_ids), 2)

    def test_the_htmx_rows_and_the_page_are_kept_apart(self) -> None:
        self.client.force_login(self.supervisor)
        page = self.client.get(reverse("people:list")).content.decode()
        rows = self.client.get(reverse("people:list"), headers={"HX-Request": "true"}).content.decode()
        self.assertIn("<h1>", page)
        self.assertNotIn("<h1>", rows)
        self.assertIn("Nguyễn Văn An", rows)

    def test_the_inbox_count_on_the_home_is_the_readers_own(self) -> None:
        Notification.objects.create(user=self.supervisor, kind=NotificationKind.REPORT, text="Báo cáo đã được duyệt")
        mine, _n = self.get(self.supervisor, "core:home")
        theirs, _n = self.get(self.second_supervisor, "core:home")
        self.assertIn("1 thông báo chưa đọc", mine)
        self.assertIn("0 thông báo chưa đọc", theirs)
        # Read from the inbox (a POST): the count kept for the home follows at once.
        self.client.force_login(self.supervisor)
        self.assertEqual(self.client.post(reverse("cases:notifications_read_all")).status_code, 302)
        after, _n = self.get(self.supervisor, "core:home")
        self.assertIn("0 thông báo chưa đọc", after)
        # A new one, made outside a request (the reminders' command): counted once committed.
        with self.captureOnCommitCallbacks(execute=True):
            Notification.objects.create(user=self.supervisor, kind=NotificationKind.REPORT, text="Báo cáo mới")
        again, _n = self.get(self.supervisor, "core:home")
        self.assertIn("1 thông báo chưa đọc", again)

    def test_the_due_list_is_rendered_again_the_next_minute(self) -> None:
        self.get(self.supervisor, "cases:due")
        _html, cached = self.get(self.supervisor, "cases:due")
        later = timezone.now() + dt.timedelta(minutes=1)
        with mock.patch("django.utils.timezone.now", return_value=later):
            _html, next_minute = self.get(self.supervisor, "cases:due")
        self.assertGreater(next_minute, cached)

    def test_a_commune_officers_page_is_not_kept(self) -> None:
        # A commune's page is one short index range: cheaper than the cache's round trips.
        with mock.patch.object(page_cache, "store") as kept:
            self.get(self.officer_a, "people:list")
            self.get(self.supervisor, "people:list")
        self.assertEqual(kept.call_count, 1)


class StoreTestCase(SimpleTestCase):
    def test_a_body_with_a_csrf_field_is_never_kept(self) -> None:
        with mock.patch.object(page_cache.cache, "set") as kept:
            self.assertFalse(page_cache.store("k", '<input type="hidden" name="csrfmiddlewaretoken" value="x">', {}))
            self.assertTrue(page_cache.store("k", "<p>ok</p>", {}))
        self.assertEqual(kept.call_count, 1)

    def test_the_key_names_what_the_body_depends_on(self) -> None:
        factory = RequestFactory()

        def key(path: str, role: str = "supervisor", area: int = 1, htmx: bool = False) -> str:
            request = factory.get(path)
            request.user = mock.Mock(role=role, area_id=area, is_admin=False, is_superuser=False)
            request.htmx = mock.Mock(boosted=False, __bool__=lambda _self: htmx)  # type: ignore[attr-defined]
            with mock.patch.object(page_cache.figure_cache, "generations_of", return_value="g:r"):
                return page_cache.key_for(request, "people:list", [1])

        base = key("/register/?a=1&b=2")
        self.assertEqual(base, key("/register/?b=2&a=1"))
        self.assertNotEqual(base, key("/register/?a=1&b=3"))
        self.assertNotEqual(base, key("/register/?a=1&b=2", role="province_viewer"))
        self.assertNotEqual(base, key("/register/?a=1&b=2", area=2))
        self.assertNotEqual(base, key("/register/?a=1&b=2", htmx=True))
