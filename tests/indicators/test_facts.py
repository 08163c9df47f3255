"""Issue 18: closed years from stored per-year facts.

A table of a closed year read now comes from ``IndicatorFact`` rows; the same table read at a
moment the caller names (``as_of``) is computed from the records.  Both must give the same
figures for every scope, structure and breakdown, and a write that counts for a closed year
(backdated, or a change to a child the year reads) must make the stored facts stale, whatever
path wrote it, while a write of the open year leaves them alone.
"""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from clms.indicators.base import BREAKDOWNS, Breakdown
from clms.indicators.compute import indicator_table, indicator_trend
from clms.indicators.facts import FACTS_VERSION, dump, load
from clms.indicators.models import IndicatorFact
from clms.indicators.units import STRUCTURES
from clms.people.models import Child
from clms.people.services import child_create, observation_record
from clms.places.models import AdminUnit
from tests.base import PersonaTestCase
from tests.indicators import fixture
from tests.indicators.factories import ActivityFactory, StepFactory, local, reach

CLOSED = (2021, 2024, 2025)
WELDING: dict[str, Any] = fixture.WELDING


def live(scope: AdminUnit, year: int, **kw: Any) -> dict[str, Any]:
    """The table computed from the records (a named reading moment never reads facts)."""
    return indicator_table(scope, year, as_of=timezone.now(), **kw).as_dict()


def stored(scope: AdminUnit, year: int, **kw: Any) -> dict[str, Any]:
    return indicator_table(scope, year, **kw).as_dict()


class FactsEqualLiveTestCase(fixture.FixtureNames, PersonaTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        fixture.build(cls)

    def test_it_gives_the_live_figures_for_every_scope_structure_year_and_breakdown(self) -> None:
        scopes = [self.province, self.district, self.commune_a, self.commune_b, self.a1, self.a2, self.b1]
        breakdowns: list[Breakdown | None] = [None, *BREAKDOWNS]
        compared = 0
        for scope in scopes:
            for structure in STRUCTURES:
                for by in breakdowns:
                    for year in CLOSED:
                        kw = {"structure": structure, "by": by}
                        expected = live(scope, year, **kw)
                        # The first read computes and stores the facts, the second reads them.
                        self.assertEqual(stored(scope, year, **kw), expected, (scope.name, structure, by, year))
                        self.assertEqual(stored(scope, year, **kw), expected, (scope.name, structure, by, year))
                        compared += 1
        self.assertEqual(compared, 7 * 2 * 5 * 3)
        # Facts are kept for closed years only, without statuses.
        self.assertFalse(IndicatorFact.objects.filter(year__gte=timezone.localdate().year).exists())
        fact = IndicatorFact.objects.get(scope=self.province, structure="after-2025", year=2025, code="CL_RATE", by="")
        self.assertNotIn("status", str(fact.counts))

    def test_a_second_read_takes_the_counts_from_the_facts(self) -> None:
        # 2021 is its own baseline: the whole table comes from the facts.
        indicator_table(self.province, 2021)
        with CaptureQueriesContext(connection) as queries:
            indicator_table(self.province, 2021)
        sql = " ".join(q["sql"] for q in queries.captured_queries)
        # The register's, the cases' and the outreach counts are not queried again; the
        # fingerprint is one query (a UNION ALL of 12 parts) and the facts one more.
        self.assertNotIn("NOT EXISTS", sql)
        self.assertEqual(sql.count("UNION ALL"), 11)
        self.assertEqual(IndicatorFact.objects.filter(scope=self.province, year=2021, by="").count(), 12)
        indicator_table(self.province, 2025)
        self.assertEqual(IndicatorFact.objects.filter(scope=self.province, year=2025, by="").count(), 12)
        # What is read is what is stored: a fact changed by hand shows in the table.
        fact = IndicatorFact.objects.get(scope=self.province, structure="after-2025", year=2025, code="CL_RATE", by="")
        counts = load(fact.counts)
        counts.total_numerator[None] = 99
        IndicatorFact.objects.filter(pk=fact.pk).update(counts=dump(counts))
        self.assertEqual(indicator_table(self.province, 2025).total("CL_RATE").numerator, 99)

    def test_the_drill_down_lists_the_records_behind_a_stored_figure(self) -> None:
        self.client.force_login(self.supervisor)
        url = f"/indicators/?unit={self.province.pk}&year=2025"
        self.client.get(url)  # stores the facts
        body = self.client.get(url).content.decode()
        table = indicator_table(self.province, 2025)
        cell = table.cell(self.commune_b.pk, "CL_RATE")
        self.assertEqual((cell.numerator, cell.status), (2, "off_track"))
        drill = f"/indicators/drill/CL_RATE/{self.commune_b.pk}/?year=2025&amp;structure=after-2025"
        self.assertIn(drill, body)
        page = self.client.get(drill.replace("&amp;", "&")).content.decode()
        for child in (self.nam, self.binh):
            self.assertIn(child.full_name, page)
        self.assertNotIn(self.lan.full_name, page)

    def test_a_subset_of_indicators_is_computed_not_stored(self) -> None:
        # A trend (one indicator) and a baseline (those with a target) cost less computed
        # than the fingerprint of every indicator costs to check.
        expected = indicator_trend(self.commune_a, "CL_RATE", [2021, 2024, 2025], as_of=timezone.now())
        self.assertEqual(indicator_trend(self.commune_a, "CL_RATE", [2021, 2024, 2025]), expected)
        indicator_table(self.commune_a, 2025, codes=["CL_RATE", "TIMELY"])
        self.assertFalse(IndicatorFact.objects.filter(scope=self.commune_a).exists())


class FactsInvalidationTestCase(fixture.FixtureNames, PersonaTestCase):
    tuan: Child

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        fixture.build(cls)

    def setUp(self) -> None:
        self.before = stored(self.province, 2025)
        self.stamp = self.computed_at()

    def computed_at(self) -> list[dt.datetime]:
        return list(IndicatorFact.objects.filter(scope=self.province, year=2025).order_by("code")
                    .values_list("computed_at", flat=True))

    def assert_fresh(self) -> dict[str, Any]:
        after = stored(self.province, 2025)
        self.assertEqual(after, live(self.province, 2025))
        return after

    def test_a_backdated_observation_makes_the_year_stale(self) -> None:
        # Tuấn (B1) seen welding in May 2025, typed in now.
        observation_record(user=self.supervisor, child=self.tuan, observed_on=dt.date(2025, 5, 1), **WELDING)
        after = self.assert_fresh()
        self.assertEqual(after["total"]["CL_RATE"]["numerator"], self.before["total"]["CL_RATE"]["numerator"] + 1)
        self.assertNotEqual(self.computed_at(), self.stamp)

    def test_a_write_of_the_open_year_leaves_the_facts_alone(self) -> None:
        year = timezone.localdate().year
        child = child_create(user=self.supervisor, commune=self.commune_a, full_name="Lê Văn Mới", sex="M",
                             dob=dt.date(2012, 2, 2))
        observation_record(user=self.supervisor, child=child, observed_on=dt.date(year, 1, 2), **WELDING)
        reach(ActivityFactory.create(unit=self.commune_a, starts_on=dt.date(year, 2, 3)), officials=3)
        # A step done now on a 2025 case that was still pending at the end of 2025.
        step = self.case3.steps.get(step="follow_up")
        step.done_at = timezone.now()
        step.save()
        self.assertEqual(self.assert_fresh(), self.before)
        self.assertEqual(self.computed_at(), self.stamp)

    def test_a_backdated_step_makes_the_year_stale(self) -> None:
        # Nam's follow-up, due 1 October 2025, recorded as done on 30 September 2025.
        self.case3.steps.filter(step="follow_up").update(done_at=local(2025, 9, 30))
        after = self.assert_fresh()
        self.assertEqual(after["total"]["MONITORED"]["numerator"], self.before["total"]["MONITORED"]["numerator"] + 1)

    def test_a_step_created_back_then_makes_the_year_stale(self) -> None:
        StepFactory.create(case=self.case1, step="follow_up", due_at=local(2025, 8, 1), created_at=local(2025, 7, 1))
        after = self.assert_fresh()
        self.assertEqual(after["total"]["MONITORED"]["numerator"], self.before["total"]["MONITORED"]["numerator"] - 1)

    def test_a_child_changed_without_a_signal_makes_the_year_stale(self) -> None:
        # The register keeps no history of the school status: a closed year reads today's.
        Child.objects.filter(pk=self.lan.pk).update(school_status="dropped_out")
        after = self.assert_fresh()
        self.assertEqual(after["total"]["EDU_ACCESS"]["numerator"], self.before["total"]["EDU_ACCESS"]["numerator"] - 1)

    def test_a_population_figure_makes_the_year_stale(self) -> None:
        self.commune_b.denominators.filter(year=2025, group="children_5_17").update(value=600)
        after = self.assert_fresh()
        self.assertEqual(after["total"]["CL_RATE"]["denominator"], 1600)

    def test_a_new_version_of_the_computation_makes_every_fact_stale(self) -> None:
        from clms.indicators import facts

        original = facts.FACTS_VERSION
        try:
            facts.FACTS_VERSION = original + "-next"
            self.assertEqual(self.assert_fresh(), self.before)
            self.assertNotEqual(self.computed_at(), self.stamp)
        finally:
            facts.FACTS_VERSION = original
        self.assertEqual(FACTS_VERSION, original)


class RebuildCommandTestCase(PersonaTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        fixture.build(cls)

    def test_it_rebuilds_the_facts_of_a_province(self) -> None:
        out = io.StringIO()
        call_command("indicator_facts", "--rebuild", "--province", self.province.code, stdout=out)
        self.assertIn("facts", out.getvalue())
        years = set(IndicatorFact.objects.filter(scope=self.province).values_list("year", flat=True))
        self.assertEqual(years, set(range(2021, timezone.localdate().year)))
        self.assertTrue(IndicatorFact.objects.filter(scope=self.district, structure="after-2025").exists())
        with CaptureQueriesContext(connection) as queries:
            table = stored(self.province, 2021)
        self.assertNotIn("NOT EXISTS", " ".join(q["sql"] for q in queries.captured_queries))
        self.assertEqual(table, live(self.province, 2021))
