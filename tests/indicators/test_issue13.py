"""Issue 13 points 4-7 on the exactness fixture (tests/indicators/fixture.py), every expected
figure counted by hand in the comments.

Points 5 and 6: TIMELY and MONITORED are read at the period end, so a closed year never
changes afterwards.  Point 4: one precedence rule for denominators across the 2025 reform.
Point 7: rates are shown with the precision that makes the status badge agree.
"""

from __future__ import annotations

from decimal import Decimal

from django.test import SimpleTestCase
from django.utils import translation

from clms.cases.models import CaseStep
from clms.indicators.base import IndicatorValue, Target, rate_places, status_of
from clms.indicators.compute import indicator_table
from clms.indicators.denominators import territory_figure
from clms.indicators.templatetags.indicator_tags import rate
from clms.reports.texts import vn_percent
from tests.base import PersonaTestCase
from tests.indicators import fixture
from tests.indicators.factories import StepFactory, denominators, local


class PointInTimeTestCase(fixture.FixtureNames, PersonaTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        fixture.build(cls)

    def figures(self, code: str, as_of_month: int) -> dict[str, tuple[int | None, int | None]]:
        table = indicator_table(self.province, 2025, codes=[code], as_of=local(2026, as_of_month, 1))
        cells = {"A": table.cell(self.commune_a.pk, code), "B": table.cell(self.commune_b.pk, code)}
        return {k: (v.numerator, v.denominator) for k, v in cells.items()}

    def test_a_late_completion_after_the_year_end_does_not_change_timely(self) -> None:
        # A at the end of 2025: case 1 in time, case 2's first step due 01/01/2026 11:30 (after
        # the period end) has missed nothing: 2 / 2.  B: case 3 late, case 4 in time: 1 / 2.
        before = self.figures("TIMELY", 2)
        self.assertEqual(before, {"A": (2, 2), "B": (1, 2)})
        # On 5 January 2026 case 2's step is done, four days late; case 3's overdue
        # follow-up (due 01/10/2025) is done too.  Read again in March: 2025 is closed and
        # keeps its figures (the code before issue 13 gave A 1 / 2 here).
        step = CaseStep.objects.get(case=self.case2)
        step.done_at = local(2026, 1, 5, 9)
        step.save()
        CaseStep.objects.filter(case=self.case3, step="follow_up").update(done_at=local(2026, 1, 5, 9))
        self.assertEqual(self.figures("TIMELY", 3), before)

    def test_a_step_pending_past_due_at_the_year_end_stays_a_miss(self) -> None:
        # Case 1 gets a step due 20/12/2025, done only on 10/01/2026: it had missed its due
        # time at the period end.  A: 1 / 2.
        StepFactory.create(case=self.case1, step="plan_draft", due_at=local(2025, 12, 20),
                           created_at=local(2025, 12, 13), done_at=local(2026, 1, 10))
        self.assertEqual(self.figures("TIMELY", 3)["A"], (1, 2))
        # And at the period end it was overdue, so case 1 was not followed: MONITORED A 1 / 2
        # (case 2 still good), whenever it is read afterwards.
        self.assertEqual(self.figures("MONITORED", 3)["A"], (1, 2))

    def test_monitored_counts_every_open_case_not_only_monitoring(self) -> None:
        # B: case 4 was intervening at the end of 2025 and is counted (the code before issue 13
        # counted only the monitoring state: B 0 / 1).  Case 3's overdue follow-up keeps it out
        # of the numerator: 1 / 2; a follow-up done in 2026 does not change 2025.
        self.assertEqual(self.figures("MONITORED", 3)["B"], (1, 2))
        CaseStep.objects.filter(case=self.case3, step="follow_up").update(done_at=local(2026, 1, 5, 9))
        self.assertEqual(self.figures("MONITORED", 3)["B"], (1, 2))


class DenominatorPrecedenceTestCase(PersonaTestCase):
    """Children 5-17 of the old district D (A1, A2, B1) = the new communes A (A1 + A2), B (B1)."""

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        fixture.build(cls)
        # 2024: the old communes' figures (400, 600, 300) and, typed in later for the new
        # commune A, 950 for the same territory as A1 + A2.  B has none for 2024.
        denominators(2024, {cls.a1: {"children_5_17": 400}, cls.a2: {"children_5_17": 600},
                            cls.b1: {"children_5_17": 300}, cls.commune_a: {"children_5_17": 950}})

    def denominator(self, scope: object, year: int, structure: str, row: object = None) -> int | None:
        table = indicator_table(scope, year, structure=structure, codes=["CL_RATE"], as_of=local(2026, 3, 1))  # type: ignore[arg-type]
        value = table.total("CL_RATE") if row is None else table.cell(row.pk, "CL_RATE")  # type: ignore[attr-defined]
        return value.denominator

    def test_the_same_territory_has_the_same_total_in_both_structures(self) -> None:
        # 2024 is a year of the old structure: the group {A1, A2, A} counts by A1 + A2 =
        # 1000 (never + A's 950), the group {B1, B} by B1 = 300: 1300 in both structures.
        # (Before issue 13: 400 + 600 + 300 + 950 = 2250 in the old structure, 950 + 300 =
        # 1250 in the new one.)
        self.assertEqual(self.denominator(self.district, 2024, "before-2025"), 1300)
        self.assertEqual(self.denominator(self.district, 2024, "after-2025"), 1300)
        self.assertEqual(self.denominator(self.province, 2024, "after-2025"), 1300)
        self.assertEqual(self.denominator(self.commune_a, 2024, "after-2025"), 1000)
        # 2025 (the fixture): A has no figure, A1 400 + A2 600; B 300: 1300 both ways.
        self.assertEqual(self.denominator(self.district, 2025, "before-2025"), 1300)
        self.assertEqual(self.denominator(self.district, 2025, "after-2025"), 1300)

    def test_a_row_never_adds_both_sides_of_the_reform(self) -> None:
        # The new commune A's row in 2024: A1 + A2 = 1000, its own 950 is the other side.
        self.assertEqual(self.denominator(self.province, 2024, "after-2025", self.commune_a), 1000)
        self.assertEqual(self.denominator(self.district, 2024, "before-2025", self.a1), 400)

    def test_the_rule_itself(self) -> None:
        links = [(1, 10), (2, 10), (3, 11)]  # old 1, 2 -> new 10; old 3 -> new 11
        both = {1: (400, False), 2: (600, False), 10: (950, False), 3: (300, False)}
        # Old structure's year: the old side when complete.
        self.assertEqual(territory_figure(both, [1, 2, 10, 3, 11], links, 2024).value, 1300)  # type: ignore[union-attr]
        # New structure's year: the new side when complete (10: 950; 11 missing -> old 3: 300).
        self.assertEqual(territory_figure(both, [1, 2, 10, 3, 11], links, 2025).value, 1250)  # type: ignore[union-attr]
        # Half of the old side only: the complete new side wins even in 2024.
        half = {1: (400, False), 10: (950, False)}
        self.assertEqual(territory_figure(half, [1, 2, 10], links, 2024).value, 950)  # type: ignore[union-attr]
        # Neither side complete: what there is, flagged partial.
        only = territory_figure({1: (400, True)}, [1, 2, 10], links, 2024)
        self.assertEqual((only.value, only.derived, only.partial), (400, True, True))  # type: ignore[union-attr]
        self.assertIsNone(territory_figure({}, [1, 2, 10], links, 2024))


class RatePrecisionTestCase(SimpleTestCase):
    """Point 7: Xã Dân Lực showed "0,5%" against "≤ 0,5%" with "off track" (value 0.52 %)."""

    def value(self, numerator: int, denominator: int, target: Target | None) -> IndicatorValue:
        v = 100.0 * numerator / denominator
        return IndicatorValue("CL_RATE", 1, 2025, None, numerator, denominator, v, target,
                              status_of(v, target, 2025), frozenset())

    def test_the_badge_and_the_figure_agree(self) -> None:
        at_most = Target(Decimal("0.5"), "<=", 2025)
        at_least = Target(Decimal("90"), ">=", 2025)
        with translation.override("vi"):
            # 13 / 2500 = 0,52 %: off track, and shown with the two decimals that say so.
            dan_luc = self.value(13, 2500, at_most)
            self.assertEqual((rate(dan_luc), dan_luc.status), ("0,52%", "off_track"))
            # 12 / 2500 = 0,48 %: 0,5 at one decimal would still be met: one decimal is enough.
            self.assertEqual(rate(self.value(12, 2500, at_most)), "0,5%")
            # 1 / 199 = 0,5025 %: 0,50 at two decimals would read as met: three decimals.
            self.assertEqual(rate(self.value(1, 199, at_most)), "0,503%")
            # 2249 / 2500 = 89,96 %: "90,0%" against "≥ 90%" would contradict "off track".
            self.assertEqual(rate(self.value(2249, 2500, at_least)), "89,96%")
            self.assertEqual(rate(self.value(2, 300, at_most)), "0,7%")
            self.assertEqual(rate(self.value(2, 300, None)), "0,7%")
        # The JSON (command, reports) carries the same decimals, at least two.
        self.assertEqual(self.value(1, 199, at_most).as_dict()["value"], 0.503)
        self.assertEqual(self.value(13, 2500, at_most).as_dict()["value"], 0.52)
        self.assertEqual(self.value(2, 300, at_most).as_dict()["value"], 0.67)
        # And the report's sentence shows what the JSON holds.
        self.assertEqual(vn_percent(self.value(1, 199, at_most).as_dict()["value"]), "0,503%")
        self.assertEqual(rate_places(0.52, at_most), 2)

    def test_a_small_rate_that_is_not_zero_never_shows_as_zero(self) -> None:
        with translation.override("vi"):
            # 5 children in 56.176 (the province's register in the viewer's help picture).
            self.assertEqual(rate(self.value(5, 56176, None)), "0,01%")
            self.assertEqual(rate(self.value(5, 56176, Target(Decimal("0.5"), "<=", 2025))), "0,01%")
            self.assertEqual(rate(self.value(0, 56176, None)), "0,0%")
        self.assertEqual(self.value(5, 56176, None).as_dict()["value"], 0.01)
