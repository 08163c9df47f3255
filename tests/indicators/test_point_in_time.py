"""Issue 13 points 5 and 6 on the exactness fixture (tests/indicators/fixture.py): TIMELY and
MONITORED are read at the period end, so a closed year never changes afterwards."""

from __future__ import annotations

from clms.cases.models import CaseStep
from clms.indicators.compute import indicator_table
from tests.base import PersonaTestCase
from tests.indicators import fixture
from tests.indicators.factories import StepFactory, local


class PointInTimeTestCase(PersonaTestCase):
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
