"""Every form of the site, posted with hostile input: no 5xx, and a refused form writes nothing.

Issue 16: the harness (tests/core/fuzz.py) clicks through the demo-like site as the system
administrator and as a commune officer, collects every form it meets and posts each field
with a seeded sample of the hostile values.  ``CLMS_FUZZ_SAMPLE=all`` posts every value.
"""

from __future__ import annotations

import os
import random
import time

from django.db import connection
from django.test import Client, TestCase

from clms.accounts.models import User
from clms.demo.setup import (
    DEMO_APPS,
    DEMO_USERS,
    _ensure_villages,
    _post_commune,
    _user,
    trieu_son_communes,
)
from clms.places.models import AdminUnit, Level, Scheme
from clms.places.services import units_load_province
from tests.core.fuzz import HOSTILE, Crawler, all_url_names, fuzz
from tests.core.fuzz_world import build_reachable
from tests.summary import summary_line

SEED = 16
SAMPLE = len(HOSTILE) if os.environ.get("CLMS_FUZZ_SAMPLE") == "all" else int(os.environ.get("CLMS_FUZZ_SAMPLE", "2"))
PERSONAS = ("quantri", "canbo.tanninh", "soyte.thanhhoa", "giaoduc.thanhhoa", "ctv.tanninh")

# URL patterns no page links to, with the reason (left out of the printed list).
NOT_LINKED: dict[str, str] = {
    "accounts:logout": "followed, it would end the session of the crawl",
    "accounts:login": "the crawl is logged in; tests/accounts/test_login.py posts to it",
    "accounts:password_done": "shown after a password change, no form",
    "accounts:two_factor_verify": "only in a session waiting for its second step (tests/accounts/test_two_factor.py)",
    "accounts:two_factor_disable": "only for a user with a device (tests/accounts/test_two_factor.py)",
    "core:favicon": "an image", "core:health": "JSON for the proxy, no form",
    "surveys:field_sync": "JSON from the offline page, fuzzed by tests/surveys", "surveys:manifest": "JSON",
    "surveys:service_worker": "JavaScript",
    "reports:period_document": "a file", "reports:submission_document": "a file", "employers:commitment_file": "a file",
    # Reached only by an export of 2,000 children or more (CLMS_EXPORT_BACKGROUND_ROWS); the
    # progress page and the file hold no form (tests/people/test_export_background.py).
    "people:export_job": "a background export's progress page, no form", "people:export_download": "a file",
    # Where an upload of the import form leads once the worker has the file; its progress and
    # outcome hold no form (tests/people/test_import_background.py).
    "people:import_job": "a background import's progress page, no form",
}
# The JSON API has its own property-based fuzz (tests/api/test_schemathesis.py); no HTML forms.
NOT_FORMS_PREFIX = ("api:",)


def build_world() -> None:
    """The demo's units, users and hand-made records (cases run step by step, inspections,
    plans, outreach), without the 5,000 generated children."""
    import importlib

    units_load_province(province_code="38")
    communes = trieu_son_communes()
    _ensure_villages(communes)
    commune = _post_commune("15715")
    areas = {
        "village": commune.children.filter(level=Level.VILLAGE).order_by("name").first(),
        "commune": commune, "commune2": _post_commune("15664"),
        "province": AdminUnit.objects.get(level=Level.PROVINCE, code="38"),
        "district": AdminUnit.objects.get(scheme=Scheme.PRE_2025, level=Level.DISTRICT, code="397"),
        None: None,
    }
    for role, username, full_name, area, agency in DEMO_USERS:
        _user(role, username, full_name, areas[area], agency)
    users = {u.username: u for u in User.objects.all()}
    rng = random.Random(SEED)  # noqa: S311 - reproducible demo records
    for app in DEMO_APPS:
        importlib.import_module(f"clms.demo.fill.{app}").demo_fill(rng=rng, communes=communes, users=users)


class FormFuzzTestCase(TestCase):
    starts: list[str]

    @classmethod
    def setUpTestData(cls) -> None:
        build_world()
        cls.starts = ["/", *build_reachable()]

    def test_every_form_answers_hostile_input_without_a_server_error(self) -> None:
        reached: set[str] = set()
        totals = {"forms": 0, "fields": 0, "requests": 0, "5xx": 0, "refused": 0, "accepted": 0}
        failures = []
        seen_forms: set[tuple[str, str, tuple[str, ...]]] = set()
        begun = time.monotonic()
        for username in PERSONAS:
            client = Client()
            client.force_login(User.objects.get(username=username))
            crawler = Crawler(client)
            started = time.monotonic()
            crawler.crawl(self.starts)
            crawled = time.monotonic()
            reached |= crawler.reached
            failures.extend(crawler.errors)
            forms = [f for k, f in sorted(crawler.forms.items()) if k not in seen_forms]
            seen_forms |= set(crawler.forms)
            result = fuzz(client, forms, seed=SEED, sample=SAMPLE)
            print(f"\n{username}: {sum(crawler.pages.values())} pages in {crawled - started:.0f} s, "
                  f"{result.requests} requests in {time.monotonic() - crawled:.0f} s; slowest forms: "
                  + ", ".join(f"{k} {v:.0f} s" for k, v in sorted(result.seconds.items(), key=lambda kv: -kv[1])[:4]))
            totals["forms"] += result.forms
            totals["fields"] += result.fields
            totals["requests"] += result.requests
            totals["5xx"] += result.server_errors
            totals["refused"] += result.refused
            totals["accepted"] += result.accepted
            failures.extend(result.failures)
        # Patterns the clicks did not reach: a new page no link leads to fails here, until
        # tests/core/fuzz_world.py builds what leads to it or NOT_LINKED says why it has no form.
        unreached = sorted(n for n in all_url_names() - reached - set(NOT_LINKED) if not n.startswith(NOT_FORMS_PREFIX))
        summary_line(
            f"form fuzz ({connection.vendor}, sample {SAMPLE}): {totals['forms']} forms, {totals['fields']} fields, "
            f"{totals['requests']} requests, {totals['5xx']} 5xx ({totals['refused']} refused, "
            f"{totals['accepted']} accepted), {len(unreached)} URL patterns not reached, in {time.monotonic() - begun:.0f} s"
        )
        self.assertGreater(totals["forms"], 40)
        report = "\n".join(f"{f.form} [{f.field}={f.value}]: {f.problem}" for f in failures[:60])
        self.assertEqual(failures, [], f"{len(failures)} problems:\n{report}")
        self.assertEqual(unreached, [], "URL patterns no page of the crawl leads to")
