"""The synthetic-data generator: reproducible, realistic in its shares, consistent with the services."""

from __future__ import annotations

import datetime as dt
import json
import tempfile
from io import StringIO
from pathlib import Path

from django.conf import settings
from django.core.management import CommandError, call_command
from django.db import connection
from django.db.models import Count, Q
from django.test import override_settings

from clms.cases.calendar import build_calendar, due_time
from clms.cases.models import Case, CaseStep, ClosureReason, DuePolicy, State, StepCode
from clms.cases.services import TRANSITIONS, may_close_as_resolved
from clms.demo.generator import (
    GeneratorRefused,
    Result,
    fingerprint,
    flush,
    generate,
    generator_user,
)
from clms.demo.generator.stats import profile
from clms.indicators.compute import indicator_table
from clms.people.classification import RULESETS, build_classifications, child_refresh_status
from clms.people.models import Child, Classification, RiskAssessment, WorkObservation
from clms.people.risk import child_assess_risk
from clms.places.models import AdminUnit, Denominator, Level, Scheme
from clms.rules import fold
from tests.base import PersonaTestCase

AS_OF = dt.date(2026, 11, 28)


def _steps_fit_state(case: Case, steps: list[CaseStep]) -> bool:
    """Which steps a case in each state has done and still owes (clms.cases.services)."""
    pending = {s.step for s in steps if s.done_at is None and s.cancelled_at is None}
    done = {s.step for s in steps if s.done_at is not None}
    if case.state == State.REPORTED:
        return StepCode.VERIFICATION in pending
    if case.state == State.VERIFYING:
        return StepCode.INITIAL_ASSESSMENT in done and StepCode.VERIFICATION in pending
    if case.state == State.ASSESSED:
        return StepCode.VERIFICATION in done and StepCode.PLAN_DRAFT in pending
    if case.state == State.PLANNED:
        return StepCode.PLAN_DRAFT in done and StepCode.PLAN_APPROVAL in pending | done
    if case.state == State.INTERVENING:
        return StepCode.PLAN_APPROVAL in done and not pending and case.referrals.count() == case.plan.services.count()
    if case.state == State.MONITORING:
        return pending == {StepCode.FOLLOW_UP} and sum(1 for s in steps if s.step == StepCode.FOLLOW_UP and s.done_at is None and s.cancelled_at is None) == 1
    return not pending and case.closed_at is not None
# The ground-truth file goes to VAR_DIR; keep the tests' copy away from the real one.
VAR_DIR = tempfile.mkdtemp(prefix="clms-generate-")


@override_settings(VAR_DIR=VAR_DIR)
class GenerateTestCase(PersonaTestCase):
    result: Result

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.result = generate(scale="commune", seed=7, as_of=AS_OF)

    def test_it_fills_the_commune_and_its_predecessors(self) -> None:
        commune = AdminUnit.objects.get(scheme=Scheme.POST_2025, level=Level.COMMUNE, code="15715")
        old = set(commune.predecessors.values_list("pk", flat=True))
        self.assertEqual(len(old), 3)
        places = set(Child.objects.values_list("commune_id", flat=True))
        self.assertIn(commune.pk, places)
        self.assertTrue(places & old)
        self.assertLessEqual(places, old | {commune.pk})
        self.assertGreater(Child.objects.count(), 300)
        self.assertTrue(Child.objects.filter(village__parent=commune).exists())
        self.assertEqual(self.result.clusters, 1)
        self.assertGreater(self.result.counts["people.classification"], 3 * 300)

    def test_it_is_reproducible_for_a_seed(self) -> None:
        first = fingerprint()
        flush()
        self.assertFalse(Child.objects.exists())
        generate(scale="commune", seed=7, as_of=AS_OF)
        self.assertEqual(fingerprint(), first)
        flush()
        generate(scale="commune", seed=8, as_of=AS_OF)
        other = fingerprint()
        self.assertNotEqual(other["children"], first["children"])

    def test_it_matches_the_national_shares_roughly(self) -> None:
        shares = profile()
        self.assertGreater(shares["child_labourers"], 60)
        # NCLS 2018 (spec §6.2): about half hazardous, just over half in agriculture, 40.5 %
        # unpaid family workers, about half in school; older children work most.
        self.assertGreater(shares["hazardous"], 0.3)
        self.assertLess(shares["hazardous"], 0.7)
        self.assertGreater(shares["sectors"]["agriculture"], 0.35)
        self.assertLess(shares["sectors"]["agriculture"], 0.7)
        self.assertGreater(shares["unpaid_family"], 0.2)
        self.assertLess(shares["unpaid_family"], 0.6)
        self.assertGreater(shares["in_school"], 0.3)
        self.assertLess(shares["in_school"], 0.8)
        self.assertEqual(max(shares["age_bands"], key=shares["age_bands"].get), "15-17")
        self.assertLess(shares["share_of_register"], 0.6)

    def test_it_gives_a_realistic_child_labour_rate(self) -> None:
        commune = AdminUnit.objects.get(scheme=Scheme.POST_2025, level=Level.COMMUNE, code="15715")
        for year in (2022, 2025):
            value = indicator_table(commune, year, codes=["CL_RATE"]).total("CL_RATE")
            assert value.value is not None
            # A few per thousand children aged 5-17: the district target is 0.5 %.
            self.assertGreater(value.value, 0.05, year)
            self.assertLess(value.value, 3.0, year)
        self.assertTrue(Denominator.objects.filter(unit=commune, year=2026, group="children_5_17").exists())

    def test_it_stores_exactly_the_classifications_of_clms_rules(self) -> None:
        counts = (
            Classification.objects.filter(is_current=True)
            .values("observation_id", "ruleset")
            .annotate(n=Count("pk"))
            .filter(n__gt=1)
        )
        self.assertFalse(counts.exists())
        observations = WorkObservation.objects.select_related("child").prefetch_related("classifications")
        self.assertGreater(len(observations), 500)
        for observation in observations:
            stored = {c.ruleset: c for c in observation.classifications.all() if c.is_current}
            self.assertEqual(set(stored), set(RULESETS))
            for expected in build_classifications(observation):
                got = stored[expected.ruleset]
                self.assertEqual(
                    (got.category, got.subtype, got.age, got.references, got.missing, got.ruleset_id),
                    (expected.category, expected.subtype, expected.age, expected.references, expected.missing,
                     expected.ruleset_id),
                    observation.pk,
                )

    def test_it_denormalises_children_as_the_services_do(self) -> None:
        assessments = RiskAssessment.objects.count()
        children = list(Child.objects.select_related("household").prefetch_related("visits"))
        for child in children:
            before = (child.latest_category, child.latest_observed_on, child.register_status, child.risk_level)
            self.assertEqual(child.name_folded, fold(child.full_name))
            visits = [v.visited_on for v in child.visits.all()]
            self.assertEqual(child.last_visit_on, max(visits) if visits else None)
            screening = child_assess_risk(child=child)
            self.assertEqual(screening.level, before[3], child.pk)
            child_refresh_status(child)
            child.refresh_from_db()
            self.assertEqual(
                (child.latest_category, child.latest_observed_on, child.register_status, child.risk_level), before, child.pk
            )
        # The latest stored assessment already said what a new screening says.
        self.assertEqual(RiskAssessment.objects.count(), assessments)
        statuses = set(Child.objects.values_list("register_status", flat=True))
        self.assertTrue({"child_labour", "at_risk"} <= statuses, statuses)

    def test_it_keeps_every_case_consistent_with_the_state_machine(self) -> None:
        calendar = build_calendar()
        policies = {p.step: p for p in DuePolicy.objects.filter(scope_unit__isnull=True)}
        cases = list(Case.objects.prefetch_related("steps", "events", "follow_ups", "referrals"))
        self.assertGreater(len(cases), 20)
        self.assertGreaterEqual({c.state for c in cases}, {State.CLOSED, State.MONITORING})
        now = dt.datetime(2026, 11, 28, 3, tzinfo=dt.UTC)
        overdue = 0
        for case in cases:
            steps = list(case.steps.all())
            pending = {s.step for s in steps if s.done_at is None and s.cancelled_at is None}
            done = {s.step for s in steps if s.done_at is not None}
            moves = [e for e in sorted(case.events.all(), key=lambda e: (e.at, e.pk)) if e.to_state and e.from_state != e.to_state]
            self.assertEqual(moves[-1].to_state, case.state, case.pk)
            for move in moves[1:]:
                action = next(a for a, (sources, target) in TRANSITIONS.items() if target == move.to_state)
                self.assertIn(move.from_state, TRANSITIONS[action][0], case.pk)
            for step in steps:
                policy = policies[step.step]
                self.assertEqual(step.due_at, due_time(start=step.started_at, amount=policy.amount, unit=policy.unit,
                                                       calendar=calendar), (case.pk, step.step))
                overdue += step.done_at is None and step.cancelled_at is None and step.due_at < now
            self.assertTrue(_steps_fit_state(case, steps), (case.pk, case.state, pending, done))
            if case.state == State.CLOSED and case.closure_reason == ClosureReason.NO_LONGER_CHILD_LABOUR:
                self.assertTrue(may_close_as_resolved(case), case.pk)
        self.assertGreater(overdue, 0)

    def test_it_writes_the_duplicates_ground_truth(self) -> None:
        flush()
        self.result = generate(scale="commune", seed=7, as_of=AS_OF)
        path = Path(settings.VAR_DIR) / "generated-duplicates.json"
        data = json.loads(path.read_text(encoding="utf-8"))
        self.assertEqual((data["scale"], data["seed"]), ("commune", 7))
        self.assertEqual(len(data["pairs"]), len(self.result.duplicates))
        self.assertGreater(len(data["pairs"]), 2)
        for pair in data["pairs"]:
            original = Child.objects.get(pk=pair["original"])
            duplicate = Child.objects.get(pk=pair["duplicate"])
            self.assertEqual(duplicate.personal_id, "")
            self.assertEqual(original.commune_id, duplicate.commune_id)
            self.assertTrue(pair["mistakes"])
            if pair["mistakes"] == ["no_diacritics"]:
                self.assertEqual(fold(original.full_name), fold(duplicate.full_name))
            if "swap_day_month" in pair["mistakes"] and "near_dob" not in pair["mistakes"]:
                self.assertEqual((duplicate.dob.day, duplicate.dob.month), (original.dob.month, original.dob.day))

    def test_it_refers_only_to_services_of_the_catalogue(self) -> None:
        from clms.cases.catalogue import service_types
        from clms.cases.models import PlanService, Referral

        stored = set(PlanService.objects.values_list("service_type", flat=True)) | set(Referral.objects.values_list("service_type", flat=True))
        self.assertIn("counselling", stored)
        self.assertEqual(stored - set(service_types()), set())

    def test_it_refuses_a_database_with_other_records_unless_forced(self) -> None:
        with self.assertRaises(GeneratorRefused):
            generate(scale="commune", seed=7, as_of=AS_OF)  # already generated
        Child.objects.create(
            commune=self.commune_a, full_name="Nguyễn Văn An", sex="M", dob=dt.date(2012, 3, 4), created_by=self.officer_a,
        )
        with self.assertRaises(CommandError):
            call_command("generate", "--scale", "commune", "--seed", "7", "--flush", "--as-of", "2026-11-28", stdout=StringIO())
        out = StringIO()
        call_command("generate", "--scale", "commune", "--seed", "7", "--flush", "--force", "--as-of", "2026-11-28", stdout=out)
        self.assertIn("rows/s", out.getvalue())
        if connection.vendor == "postgresql":
            # The planner's statistics are fresh after the bulk load (pg_stats reads
            # pg_statistic, which ANALYZE writes inside this test's transaction too).
            self.assertIn("ANALYZE in", out.getvalue())
            with connection.cursor() as cursor:
                cursor.execute("SELECT COUNT(*) FROM pg_stats WHERE tablename = 'people_child'")
                self.assertGreater(cursor.fetchone()[0], 0)
        self.assertTrue(Child.objects.filter(full_name="Nguyễn Văn An", created_by=self.officer_a).exists())
        self.assertTrue(Child.objects.filter(created_by=generator_user()).exists())
        self.assertFalse(generator_user().is_active)
        flush()
        self.assertEqual(list(Child.objects.values_list("full_name", flat=True)), ["Nguyễn Văn An"])
        self.assertFalse(Case.objects.exists() or CaseStep.objects.exists())
        self.assertFalse(Denominator.objects.filter(Q(updated_by__username="generator")).exists())
