"""Issue 18: the figure cache's invalidation of saved records runs once per transaction, at its
commit, and not once per save (clms/indicators/invalidation.py)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from django.core.cache import cache
from django.db import connection, transaction
from django.test import override_settings
from django.test.utils import CaptureQueriesContext

from clms.cases.models import Case, CaseStep
from clms.core.figure_cache import generation, root_generation, root_of
from clms.places.models import PRE_REFORM_END, AdminUnit, Level, Scheme, Succession
from clms.places.roots import linked_roots, roots_of_paths
from tests.base import PersonaTestCase
from tests.factories import AdminUnitFactory
from tests.indicators.factories import CaseFactory, StepFactory, local
from tests.people.factories import ChildFactory


class Boom(Exception):
    pass


@contextmanager
def rolled_back() -> Iterator[None]:
    """A savepoint whose writes are rolled back."""
    try:
        with transaction.atomic():
            yield
            raise Boom
    except Boom:
        pass


@override_settings(CLMS_INDICATOR_CACHE_SECONDS=60)
class BatchedInvalidationTestCase(PersonaTestCase):
    """Province P (commune A, B); old province Q whose commune went into A in 2025 (another
    province of the other structure); province R, unrelated."""

    old_province: AdminUnit
    old_commune: AdminUnit
    other_province: AdminUnit
    other_commune: AdminUnit

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.old_province = AdminUnitFactory.create(scheme=Scheme.PRE_2025, level=Level.PROVINCE, code="39",
                                                   name="Tỉnh Cũ", valid_to=PRE_REFORM_END)
        cls.old_commune = AdminUnitFactory.create(scheme=Scheme.PRE_2025, level=Level.COMMUNE, parent=cls.old_province,
                                                  name="Xã Cũ", valid_to=PRE_REFORM_END)
        Succession.objects.create(predecessor=cls.old_commune, successor=cls.commune_a, is_main=False)
        cls.other_province = AdminUnitFactory.create(scheme=Scheme.BOTH, level=Level.PROVINCE, code="40", name="Tỉnh Khác")
        cls.other_commune = AdminUnitFactory.create(parent=cls.other_province, name="Xã Khác")

    def setUp(self) -> None:
        cache.clear()
        self.p = self.root(self.province)
        self.q = self.root(self.old_province)
        self.r = self.root(self.other_province)

    def tearDown(self) -> None:
        cache.clear()

    @staticmethod
    def root(unit: AdminUnit) -> int:
        found = root_of(unit.path)
        assert found is not None
        return found

    def generations(self) -> dict[str, str]:
        return {"P": root_generation(self.p), "Q": root_generation(self.q), "R": root_generation(self.r),
                "*": generation()}

    def changed(self, before: dict[str, str]) -> set[str]:
        after = self.generations()
        return {k for k in before if after[k] != before[k]}

    def saves(self, n: int, *, run_commit: bool) -> int:
        """Queries of ``n`` children saved in one transaction (and its commit's callbacks)."""
        with CaptureQueriesContext(connection) as queries:
            with self.captureOnCommitCallbacks(execute=run_commit), transaction.atomic():
                for i in range(n):
                    ChildFactory.create(full_name=f"Lò Văn {i}", village=self.village_a if i % 2 else self.village_b)
        return len(queries.captured_queries)

    def test_a_save_in_a_transaction_costs_no_query_and_its_commit_a_constant_number(self) -> None:
        self.generations()  # the generation keys exist: their first reads are not counted below
        with override_settings(CLMS_INDICATOR_CACHE_SECONDS=0):
            off = {n: self.saves(n, run_commit=True) for n in (3, 30)}
        noted = {n: self.saves(n, run_commit=False) for n in (3, 30)}
        committed = {n: self.saves(n, run_commit=True) for n in (3, 30)}
        # The signal handler only notes the unit.
        self.assertEqual(noted, off)
        # The commit: the paths and the successions of every unit (two queries) and the
        # cache's writes, the same for 3 children as for 30 (was 2 queries per child).
        extra = {n: committed[n] - off[n] for n in (3, 30)}
        self.assertEqual(extra[3], extra[30])
        self.assertGreaterEqual(extra[3], 2)

    def test_a_commit_invalidates_exactly_the_provinces_involved(self) -> None:
        before = self.generations()
        with self.captureOnCommitCallbacks(execute=True) as callbacks, transaction.atomic():
            for _ in range(5):
                ChildFactory.create(village=self.village_a)
            # Nothing before the commit: a reader in between would store old figures as new.
            self.assertEqual(self.changed(before), set())
        self.assertEqual(len(callbacks), 5)
        # Commune A's province, and the old province of the commune merged into A.
        self.assertEqual(self.changed(before), {"P", "Q"})
        before = self.generations()
        with self.captureOnCommitCallbacks(execute=True), transaction.atomic():
            ChildFactory.create(commune=self.other_commune)
            ChildFactory.create(commune=self.other_commune)
        self.assertEqual(self.changed(before), {"R"})

    def test_a_survey_round_makes_its_provinces_pages_stale(self) -> None:
        # The dashboard shows the survey beside the register's figures (clms/core/page_cache.py).
        from clms.surveys.models import SurveyRound

        before = self.generations()
        with self.captureOnCommitCallbacks(execute=True):
            SurveyRound.objects.create(unit=self.other_province, year=2026, title="Khảo sát", questionnaire_version="1")
        self.assertEqual(self.changed(before), {"R"})

    def test_a_record_of_the_old_commune_reaches_the_new_province(self) -> None:
        before = self.generations()
        with self.captureOnCommitCallbacks(execute=True), transaction.atomic():
            ChildFactory.create(commune=self.old_commune)
        self.assertEqual(self.changed(before), {"P", "Q"})

    def test_a_rolled_back_transaction_invalidates_nothing(self) -> None:
        before = self.generations()
        with self.captureOnCommitCallbacks(execute=True) as callbacks, rolled_back():
            ChildFactory.create(village=self.village_a)
            ChildFactory.create(commune=self.other_commune)
        self.assertEqual(callbacks, [])
        self.assertEqual(self.changed(before), set())

    def test_a_savepoint_rolled_back_never_hides_a_committed_write(self) -> None:
        # The first write of the transaction is rolled back with its savepoint; the second,
        # committed, must still invalidate its province.
        before = self.generations()
        with self.captureOnCommitCallbacks(execute=True), transaction.atomic():
            with rolled_back():
                ChildFactory.create(commune=self.other_commune)
            ChildFactory.create(village=self.village_b)
        self.assertEqual(self.changed(before), {"P"})
        # The other way round: the committed write first, then a savepoint rolled back.  Its
        # unit may be invalidated too (more than needed is allowed, less is not).
        before = self.generations()
        with self.captureOnCommitCallbacks(execute=True), transaction.atomic():
            ChildFactory.create(commune=self.other_commune)
            with rolled_back():
                ChildFactory.create(village=self.village_a)
        self.assertIn("R", self.changed(before))
        self.assertNotIn("*", self.changed(before))

    def test_a_case_with_its_steps_resolves_the_case_once_and_a_cascade_stays_in_its_provinces(self) -> None:
        child = ChildFactory.create(commune=self.other_commune)
        case = CaseFactory.create(child=child, received_at=local(2026, 1, 5), filed_by=self.officer_a)
        due = local(2026, 1, 9)
        before = self.generations()
        with self.captureOnCommitCallbacks(execute=True), transaction.atomic():
            # Steps saved with only the case's id: the case is read at the commit, once.
            for seq in range(1, 6):
                StepFactory.create(case_id=case.pk, seq=seq, due_at=due)
        self.assertEqual(self.changed(before), {"R"})
        before = self.generations()
        with self.captureOnCommitCallbacks(execute=True):
            Case.objects.get(pk=case.pk).delete()
        self.assertFalse(CaseStep.objects.filter(case_id=case.pk).exists())
        # The steps' case is gone by the commit, but it was deleted here and named its commune.
        self.assertEqual(self.changed(before), {"R"})

    def test_a_succession_changes_every_scope(self) -> None:
        before = self.generations()
        with self.captureOnCommitCallbacks(execute=True), transaction.atomic():
            ChildFactory.create(commune=self.other_commune)
            Succession.objects.create(predecessor=self.b1, successor=self.other_commune, is_main=False)
        self.assertIn("*", self.changed(before))

    def test_outside_a_transaction_a_write_is_resolved_at_once(self) -> None:
        from clms.indicators.invalidation import Written

        batch = Written(None)
        batch.add("people.Child", ChildFactory.build(commune=self.other_commune), deleted=False)
        before = self.generations()
        with CaptureQueriesContext(connection) as queries:
            batch.resolve_from(0)
        self.assertEqual(self.changed(before), {"R"})
        self.assertEqual(sum("places_" in q["sql"] for q in queries.captured_queries), 2)


class RootsTestCase(PersonaTestCase):
    def test_the_provinces_of_paths_and_of_linked_units(self) -> None:
        p = root_of(self.province.path)
        self.assertEqual(roots_of_paths([self.commune_a.path, self.a1.path]), {p})
        self.assertIsNone(roots_of_paths(["/1/", "bad"]))
        self.assertEqual(roots_of_paths([]), set())
        with self.assertNumQueries(2):
            self.assertEqual(linked_roots([self.commune_a.pk, self.village_a.pk, self.a1.pk]), {p})
        self.assertEqual(linked_roots([]), set())
        self.assertIsNone(linked_roots([self.commune_a.pk, 10**9]))
        # The user's writes (InvalidateOnWriteMiddleware): the area's linked provinces.
        from clms.indicators.apps import user_roots

        self.assertEqual(user_roots(self.officer_a), {p})
        self.assertIsNone(user_roots(self.admin))
