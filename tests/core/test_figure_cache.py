"""Issue 13 point 8: one cache shared by every worker, emptied by writes, and the page says
when its figures were computed."""

from __future__ import annotations

import datetime as dt
import itertools
import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

from django.conf import settings
from django.core.cache import cache
from django.test import SimpleTestCase, override_settings
from django.utils import timezone

from clms.core.figure_cache import cached_at, generation, root_generation, root_of
from clms.people.services import child_create, observation_record
from tests.base import PersonaTestCase

ROOT = Path(__file__).resolve().parents[2]


def counter() -> Callable[[], int]:
    """A computation that returns how many times it ran."""
    calls = itertools.count(1)
    return lambda: next(calls)


@override_settings(CLMS_INDICATOR_CACHE_SECONDS=60)
class SharedCacheTestCase(PersonaTestCase):
    def setUp(self) -> None:
        cache.clear()
        self.child = child_create(user=self.officer_a, commune=self.commune_a, village=self.village_a,
                                  full_name="Hà Văn Bảy", sex="M", dob=dt.date(2012, 3, 3))

    def tearDown(self) -> None:
        cache.clear()

    def test_the_settings_use_the_database_cache_on_the_embedded_default(self) -> None:
        self.assertEqual(settings.CACHES["default"]["BACKEND"], "django.core.cache.backends.db.DatabaseCache")
        # The table exists (made by migrate): a value survives a round trip through it.
        cache.set("clms:test", {"a": 1}, 30)
        self.assertEqual(cache.get("clms:test"), {"a": 1})

    def test_a_write_by_a_user_starts_a_new_generation_for_the_province_of_the_area(self) -> None:
        compute = counter()
        root = root_of(self.commune_a.path)
        assert root is not None
        first, at = cached_at("clms:test:table", compute, root=root)
        again, at_again = cached_at("clms:test:table", compute, root=root)
        self.assertEqual((first, again, at_again), (1, 1, at))
        # A value of another province (none of the officer's area) stays warm.
        other = root + 10_000
        self.assertEqual(cached_at("clms:test:other", compute, root=other)[0], 2)
        before, before_root = generation(), root_generation(root)
        self.client.force_login(self.officer_a)
        response = self.client.post(
            f"/register/{self.child.pk}/visits/new/", {"visited_on": "01/11/2026", "note": "Thăm nhà"}
        )
        self.assertLess(response.status_code, 400)
        self.assertEqual(generation(), before)
        self.assertNotEqual(root_generation(root), before_root)
        third, _at = cached_at("clms:test:table", compute, root=root)
        self.assertEqual(third, 3)
        self.assertEqual(cached_at("clms:test:other", compute, root=other)[0], 2)
        # A read does not.
        now = root_generation(root)
        self.client.get("/register/")
        self.assertEqual(root_generation(root), now)

    def test_the_dashboard_shows_new_figures_after_a_write_and_when_they_were_computed(self) -> None:
        self.client.force_login(self.officer_a)
        year = timezone.localdate().year
        url = f"/indicators/?unit={self.commune_a.pk}&year={year}"
        page = self.client.get(url).content.decode()
        self.assertIn("Số liệu được tính từ hồ sơ lúc", page)
        self.assertNotIn("<td class=\"num\">1 / —</td>", page)
        # Recorded through the service with no request, as the API, the worker or odk_pull
        # do: the record's own signal starts a new generation for its province once committed.
        root = root_of(self.commune_a.path)
        assert root is not None
        before = root_generation(root)
        with self.captureOnCommitCallbacks(execute=False) as pending:
            observation_record(user=self.officer_a, child=self.child, observed_on=dt.date(year, 1, 10),
                               activity="EMPLOYED", job_code="LC147.1.e", hours_per_day=8)
        # Not before the commit: a reader in between would store old figures as new ones.
        self.assertEqual(root_generation(root), before)
        self.assertNotIn("<td class=\"num\">1 / —</td>", self.client.get(url).content.decode())
        for callback in pending:
            callback()
        self.assertNotEqual(root_generation(root), before)
        # Welding at 13: hazardous child labour, CL_RATE 1 over no population figure.
        self.assertIn("<td class=\"num\">1 / —</td>", self.client.get(url).content.decode())

    def test_a_record_written_outside_a_request_leaves_other_provinces_warm(self) -> None:
        root = root_of(self.commune_a.path)
        assert root is not None
        other = root + 10_000
        mine, theirs, everything = root_generation(root), root_generation(other), generation()
        with self.captureOnCommitCallbacks(execute=True):
            child_create(user=self.officer_a, commune=self.commune_a, village=self.village_a,
                         full_name="Lò Thị Tám", sex="F", dob=dt.date(2013, 4, 4))
        self.assertNotEqual(root_generation(root), mine)
        self.assertEqual((root_generation(other), generation()), (theirs, everything))

    def test_a_target_changes_every_scope(self) -> None:
        from clms.plans.models import Target

        target = Target.objects.first()
        assert target is not None, "the shipped plans carry targets"
        everything = generation()
        with self.captureOnCommitCallbacks(execute=True):
            target.save()
        self.assertNotEqual(generation(), everything)

    def test_the_process_keeps_its_last_reads_only_while_they_are_current(self) -> None:
        from unittest import mock

        from clms.core import figure_cache

        compute = counter()
        root = root_of(self.commune_a.path)
        assert root is not None
        self.assertEqual(cached_at("clms:test:local", compute, root=root)[0], 1)
        # A second read in this process does not unpickle the shared entry again.
        with mock.patch.object(figure_cache.cache, "get", wraps=figure_cache.cache.get) as shared_get:
            self.assertEqual(cached_at("clms:test:local", compute, root=root)[0], 1)
        self.assertEqual([c.args[0] for c in shared_get.call_args_list if "clms:test:local" in str(c.args[0])], [])
        # A write in the province (another process's, through the shared generation) is seen.
        figure_cache.invalidate_roots([root])
        self.assertEqual(cached_at("clms:test:local", compute, root=root)[0], 2)
        # And an entry older than the lifetime is not served from the process: the shared
        # cache, which expires it, is asked again.
        later = timezone.now() + dt.timedelta(seconds=61)
        with mock.patch.object(figure_cache.timezone, "now", return_value=later), \
                mock.patch.object(figure_cache.cache, "get", return_value=None) as shared_get:
            self.assertEqual(cached_at("clms:test:local", compute, root=root)[0], 3)
        self.assertTrue(any("clms:test:local" in str(c.args[0]) for c in shared_get.call_args_list))
        for n in range(figure_cache.LOCAL_ENTRIES + 5):
            cached_at(f"clms:test:many:{n}", compute, root=root)
        self.assertLessEqual(len(figure_cache._local), figure_cache.LOCAL_ENTRIES)

    def test_a_value_of_several_provinces_is_stale_after_a_write_in_any_of_them(self) -> None:
        from clms.core import figure_cache

        compute = counter()
        root = root_of(self.commune_a.path)
        assert root is not None
        other, unrelated = root + 10_000, root + 20_000
        both = [other, root]
        self.assertEqual(cached_at("clms:test:both", compute, roots=both)[0], 1)
        # The order the caller names them in does not matter, nor a repeated one.
        self.assertEqual(cached_at("clms:test:both", compute, roots=[root, other, root])[0], 1)
        figure_cache.invalidate_roots([unrelated])
        self.assertEqual(cached_at("clms:test:both", compute, roots=both)[0], 1)
        figure_cache.invalidate_roots([other])
        self.assertEqual(cached_at("clms:test:both", compute, roots=both)[0], 2)
        figure_cache.invalidate_roots([root])
        self.assertEqual(cached_at("clms:test:both", compute, roots=both)[0], 3)
        figure_cache.invalidate()
        self.assertEqual(cached_at("clms:test:both", compute, roots=both)[0], 4)
        # root= is one of roots=.
        self.assertEqual(cached_at("clms:test:both", compute, root=root, roots=[other])[0], 4)

    @override_settings(CLMS_INDICATOR_CACHE_SECONDS=0)
    def test_with_the_cache_off_a_write_looks_nothing_up(self) -> None:
        with self.captureOnCommitCallbacks(execute=True) as pending:
            self.child.save()
        self.assertEqual(pending, [])


class RedisSettingTestCase(SimpleTestCase):
    def test_clms_redis_url_selects_djangos_redis_cache(self) -> None:
        # A fresh process reads the settings with CLMS_REDIS_URL set (db 13: this project's
        # tests only) and writes and reads one key through the Redis server of the machine.
        code = (
            "import django, json; django.setup();"
            "from django.conf import settings; from django.core.cache import cache;"
            "cache.set('clms:test:redis', 42, 5);"
            "print(json.dumps([settings.CACHES['default']['BACKEND'], cache.get('clms:test:redis')]))"
        )
        env = {**os.environ, "CLMS_REDIS_URL": "redis://127.0.0.1:6379/13", "DJANGO_SETTINGS_MODULE": "clms.settings",
               "CLMS_TESTING": "1"}
        out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60,
                             check=True)
        self.assertEqual(json.loads(out.stdout.strip().splitlines()[-1]),
                         ["django.core.cache.backends.redis.RedisCache", 42])
