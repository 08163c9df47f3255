"""The generator's fast paths (issue 18): the same data on SQLite and PostgreSQL, rows that
come after it get fresh ids, and ``new`` builds what ``Model(**values)`` builds."""

from __future__ import annotations

import datetime as dt
import importlib
import json
import os
import tempfile
import threading
from pathlib import Path
from typing import Any
from unittest import mock, skipUnless

from django.db import connection, models
from django.test import SimpleTestCase, TransactionTestCase, override_settings
from django.utils import timezone

from clms.cases.models import Case, CaseEvent, CasePlan, Report
from clms.demo.generator import fingerprint, flush, generate, generator_user
from clms.demo.generator.base import Batch
from clms.demo.generator.fast import new
from clms.people.models import Child, Classification, Visit, WorkObservation
from clms.places.models import AdminUnit, Level, Scheme
from tests.base import PersonaTestCase, build_personas

AS_OF = dt.date(2026, 11, 28)
VAR_DIR = tempfile.mkdtemp(prefix="clms-generate-same-")
# The fingerprint of generate(scale="commune", seed=7, as_of=AS_OF), the same on both databases:
# the test runs on whichever DATABASE_URL names, so SQLite and PostgreSQL runs both compare with it.
# A deliberate change to what the generator makes changes it: the failure prints the new one.
EXPECTED = Path(__file__).with_name("generated_fingerprint_commune_7.json")


@override_settings(VAR_DIR=VAR_DIR)
class SameDataOnEveryDatabaseTestCase(PersonaTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        generate(scale="commune", seed=7, as_of=AS_OF)

    def test_the_fingerprint_is_the_recorded_one(self) -> None:
        got = fingerprint()
        expected = json.loads(EXPECTED.read_text(encoding="utf-8"))
        self.assertEqual(got, expected, "new fingerprint:\n" + json.dumps(got, indent=1))

    def test_rows_created_after_the_run_get_new_ids(self) -> None:
        # COPY sets ids drawn from each table's sequence: the next ORM insert must not collide.
        commune = AdminUnit.objects.get(scheme=Scheme.POST_2025, level=Level.COMMUNE, code="15715")
        last_child = Child.objects.order_by("-pk").values_list("pk", flat=True)[0]
        last_observation = WorkObservation.objects.order_by("-pk").values_list("pk", flat=True)[0]
        last_classification = Classification.objects.order_by("-pk").values_list("pk", flat=True)[0]
        last_event = CaseEvent.objects.order_by("-pk").values_list("pk", flat=True)[0]
        child = Child.objects.create(full_name="Lê Văn Mới", sex="M", dob=dt.date(2013, 5, 1), commune=commune)
        observation = WorkObservation.objects.create(child=child, commune=commune, observed_on=AS_OF, activity="NONE")
        classification = Classification.objects.create(observation=observation, ruleset="vn-law", category="NOT_CHILD_LABOUR")
        case = Case.objects.filter(child__created_by=generator_user()).first()
        assert case is not None
        event = CaseEvent.objects.create(case=case, kind="NOTE", at=timezone.now())
        self.assertGreater(child.pk, last_child)
        self.assertGreater(observation.pk, last_observation)
        self.assertGreater(classification.pk, last_classification)
        self.assertGreater(event.pk, last_event)


class NewBuildsWhatInitBuildsTestCase(SimpleTestCase):
    """No database: the instances are compared before any save."""

    def _same(self, model: type[models.Model], **values: Any) -> tuple[Any, Any]:
        by_init, by_new = model(**values), new(model, **values)
        self.assertIs(type(by_new), model)
        plain = {k: v for k, v in vars(by_init).items() if k != "_state"}
        self.assertEqual({k: v for k, v in vars(by_new).items() if k != "_state"}, plain)
        self.assertEqual(by_new._state.fields_cache, by_init._state.fields_cache)
        self.assertTrue(by_new._state.adding)
        self.assertIsNone(by_new._state.db)
        return by_init, by_new

    def test_plain_fields_defaults_and_unsaved_relations(self) -> None:
        commune = AdminUnit(pk=5, code="15715", name="Xã Tân Ninh")
        child = Child(full_name="Lê Thị Hoa", sex="F", dob=dt.date(2012, 3, 4), commune=commune)
        _, built = self._same(WorkObservation, child=child, commune=commune, observed_on=AS_OF, hours_per_day=None)
        self.assertIsNone(built.child_id)  # the child has no id yet; insert takes it from the cache
        self.assertEqual(built.commune_id, 5)
        self.assertIs(built.child, child)
        self.assertEqual(built.hazards, [])  # a callable default, called per instance
        self.assertIsNot(built.hazards, new(WorkObservation, child=child).hazards)
        self._same(Classification, observation=new(WorkObservation, child=child), ruleset="vn-law", missing=["ruleset"])
        self._same(Child, full_name="A", sex="M", dob=dt.date(2014, 1, 1), commune_id=5, special_circumstances=["X"])

    def test_a_one_to_one_caches_both_ends(self) -> None:
        case = Case(report=Report())
        by_init, by_new = self._same(CasePlan, case=case, goals="Đi học lại")
        self.assertIs(case.plan, by_new)  # the reverse cache, as the descriptor sets it
        observation = WorkObservation()
        _, visit = self._same(Visit, observation=observation, visited_on=AS_OF)
        self.assertIs(observation.visit, visit)

    def test_what_it_does_not_know_goes_to_init(self) -> None:
        with self.assertRaises(TypeError):
            new(Child, full_nam="typo")


@override_settings(VAR_DIR=VAR_DIR)
@skipUnless(connection.vendor == "postgresql", "the writer thread is the PostgreSQL path")
class WriterThreadTestCase(TransactionTestCase):
    """Outside a transaction (as manage.py generate runs) batches go through the writer thread."""

    def setUp(self) -> None:
        # A TransactionTestCase run before this one empties every table, the rows the
        # migrations ship included: put back the due policies the generator's cases need
        # (update_or_create, so nothing doubles when they are still there).
        from django.apps import apps

        importlib.import_module("clms.cases.migrations.0002_ship_default_due_policies").load(apps, None)

    def _run(self, pipeline: str) -> tuple[list[str], dict[str, str]]:
        threads: list[str] = []
        original = Batch.write

        def write(batch: Batch, counts: Any) -> None:
            threads.append(threading.current_thread().name)
            original(batch, counts)

        # A small district (8 clusters) in small batches: a batch is built while the one before is written.
        with (
            mock.patch.dict(os.environ, {"CLMS_GENERATOR_PIPELINE": pipeline}),
            mock.patch("clms.demo.generator.build.BATCH", 60), mock.patch.object(Batch, "write", write),
        ):
            generate(scale="district", seed=7, as_of=AS_OF, children=300)
        return threads, fingerprint()

    def test_batches_written_by_the_writer_thread_give_the_same_data(self) -> None:
        build_personas(self)
        threads, by_writer = self._run("1")
        self.assertGreater(len(threads), 3)
        self.assertTrue(all(name.startswith("generator-writer") for name in threads), threads)
        flush()
        threads, by_loop = self._run("0")
        self.assertEqual(set(threads), {threading.current_thread().name})
        self.assertEqual(by_writer, by_loop)
