"""Every indicator on a fixture counted by hand (tests/indicators/fixture.py).

The table is read for 2025 at 1 March 2026, after the period: figures are those at the end
of 2025 (00:00 on 1 January 2026, local time).  Rows are the new communes A and B.
"""

from __future__ import annotations

import json
from decimal import Decimal

from django.db.models import Q
from django.test import SimpleTestCase

from clms.cases.selectors import monitored_cases, timely_cases
from clms.indicators.base import Target, status_of
from clms.indicators.compute import indicator_table, indicator_trend
from clms.indicators.context import period_as_of
from clms.indicators.units import build_unit_map
from clms.outreach.selectors import reach
from tests.base import PersonaTestCase
from tests.indicators import fixture
from tests.indicators.factories import local

AS_OF = local(2026, 3, 1)


class ExactnessTestCase(PersonaTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        fixture.build(cls)

    def setUp(self) -> None:
        self.table = indicator_table(self.province, 2025, as_of=AS_OF)
        self.a, self.b = self.commune_a.pk, self.commune_b.pk

    def figures(self, row: int | None, code: str) -> tuple[int | None, int | None, float | None, str]:
        v = self.table.total(code) if row is None else self.table.cell(row, code)
        return v.numerator, v.denominator, None if v.value is None else round(v.value, 4), v.status

    def test_it_counts_child_labour_by_the_latest_observation_of_a_child_aged_5_to_17(self) -> None:
        # A: Lan (A1, 14, light job 5 h/day: child labour) and Mai (A2, welding at 17 in
        # March; her September observation at 18 is not a child's and does not hide March).
        # Hoa (A) worked in August but not in October: her latest says no child labour.
        # Denominator: A has no 2025 figure of its own, so A1 400 + A2 600 = 1000.
        # 2 / 1000 = 0.2 % <= 0.5 %: met.
        self.assertEqual(self.figures(self.a, "CL_RATE"), (2, 1000, 0.2, "met"))
        # B: Nam (welding on 31 December) and Bình (light job at 14); Tuấn's observation is of
        # December 2024.  B's own figure 300.  2 / 300 = 0.6667 % > 0.5 % in the target year.
        self.assertEqual(self.figures(self.b, "CL_RATE"), (2, 300, 0.6667, "off_track"))
        # The province: 4 / (1000 + 300); the Thanh Hóa plan sets no figure: no target.
        self.assertEqual(self.figures(None, "CL_RATE"), (4, 1300, 0.3077, "no_data"))

    def test_it_shares_hazardous_work_against_the_2021_baseline(self) -> None:
        # 2021 in A1: Xuân welding (hazardous), Yến and Diệu light jobs: 1 / 3 = 33.3 %.
        # 2025 in A: Mai hazardous, Lan not: 1 / 2 = 50 %, not below 33.3 %: off track.
        self.assertEqual(self.figures(self.a, "HAZARDOUS_SHARE"), (1, 2, 50.0, "off_track"))
        # 2021 in B1: Uy and Vũ both welding: 2 / 2 = 100 %.  2025 in B: Nam of Nam and Bình:
        # 1 / 2 = 50 % < 100 %: the "decrease" target is met.
        self.assertEqual(self.figures(self.b, "HAZARDOUS_SHARE"), (1, 2, 50.0, "met"))
        self.assertEqual(self.table.cell(self.b, "HAZARDOUS_SHARE").target, Target(None, "decrease", 2030, "Ủy ban nhân dân huyện Triệu Sơn"))

    def test_it_counts_timely_cases_by_the_local_calendar_year(self) -> None:
        # A: case 1 (steps done in time) and case 2, received 23:30 on 31/12/2025 local time
        # (16:30 UTC): a 2025 case whose first step is due on 1 January 2026, after the
        # period end, so it has missed nothing yet.  2 / 2.
        self.assertEqual(self.figures(self.a, "TIMELY"), (2, 2, 100.0, "met"))
        # B: case 3 verified two days late; case 4 received 18:00 UTC on 31/12/2024, which is
        # 01:00 on 1 January 2025 in Vietnam, all in time.  Case 5 (16:30 UTC on 31/12/2024 =
        # 23:30 local that day) is a 2024 case.  1 / 2.
        self.assertEqual(self.figures(self.b, "TIMELY"), (1, 2, 50.0, "off_track"))
        self.assertIn("statutory_and_policy_steps", self.table.cell(self.b, "TIMELY").flags)
        self.assertEqual(self.figures(None, "TIMELY")[:3], (3, 4, 75.0))

    def test_it_counts_monitored_cases_at_the_end_of_the_year(self) -> None:
        # DESIGN §5: every case open at the period end (00:00 on 1/1/2026), good when none of
        # its steps is pending past due then.
        # A: case 1 monitoring since June; its open follow-up is due 10/01/2026: on schedule.
        # Case 2 (received 23:30 on 31/12/2025, no state change yet: open) has one step, due
        # 01/01/2026 11:30, after the period end: not overdue.  2 / 2.
        self.assertEqual(self.figures(self.a, "MONITORED"), (2, 2, 100.0, "met"))
        # B: case 3 monitoring since September, follow-up due 01/10/2025 never done: overdue.
        # Case 4 is intervening at the end of 2025 (monitoring only from January 2026): open,
        # its one step done in time: followed.  Case 5 was closed in November: not open.  1 / 2.
        self.assertEqual(self.figures(self.b, "MONITORED"), (1, 2, 50.0, "off_track"))
        self.assertEqual(self.figures(None, "MONITORED")[:3], (3, 4, 75.0))

    def test_it_counts_school_access_at_the_end_of_the_year(self) -> None:
        # A: Lan attending; Hoa dropped out on her record but a visit on 20/11/2025 found her
        # at school.  Mai turned 18 in June: out.  2 / 2 = 100 % > 90 %.
        self.assertEqual(self.figures(self.a, "EDU_ACCESS"), (2, 2, 100.0, "met"))
        # B: Bình in vocational training; Nam dropped out (the visit finding him at school is
        # of January 2026).  Tuấn is only monitored.  1 / 2.
        self.assertEqual(self.figures(self.b, "EDU_ACCESS"), (1, 2, 50.0, "off_track"))
        # The register status has no history: a past year is an estimate.
        self.assertIn("estimate", self.table.cell(self.b, "EDU_ACCESS").flags)

    def test_it_counts_outreach_reach(self) -> None:
        # A: the June campaign in village 1 typed 30 teachers without a list: an attendance
        # count.  30 / 50.
        self.assertEqual(self.figures(self.a, "COMM_TEACHERS"), (30, 50, 60.0, "off_track"))
        self.assertTrue({"attendance_count", "estimate"} <= self.table.cell(self.a, "COMM_TEACHERS").flags)
        # B: 45 teachers at the June event against a figure of 40 derived from the register:
        # 112.5 %, not capped, flagged; the planned October event and 2024 do not count.
        self.assertEqual(self.figures(self.b, "COMM_TEACHERS"), (45, 40, 112.5, "met"))
        self.assertTrue({"over_100_percent", "denominator_derived"} <= self.table.cell(self.b, "COMM_TEACHERS").flags)
        self.assertEqual(self.figures(self.a, "COMM_PARENTS"), (150, 200, 75.0, "met"))
        self.assertEqual(self.figures(self.a, "COMM_CHILDREN"), (400, 1000, 40.0, "off_track"))
        # Businesses: employers E1 and E2 on lists (E1 twice) = 2, plus 12 craft households
        # typed = 14, over enterprises 20 + cooperatives 5 + craft households 25 = 50.
        self.assertEqual(self.figures(self.a, "COMM_BUSINESSES"), (14, 50, 28.0, "off_track"))
        # Trainings in A1 (April) and A (September): An (listed twice, once without
        # diacritics on "văn"), Bích (at both), Cường, Dung, Em = 5 people over 10 officials.
        self.assertEqual(self.figures(self.a, "TRAIN_OFFICIALS"), (5, 10, 50.0, "off_track"))
        self.assertEqual(self.figures(self.a, "TRAIN_ENTERPRISES"), (2, 20, 10.0, "off_track"))
        self.assertEqual(self.figures(self.a, "TRAIN_COOPS_HOUSEHOLDS"), (0, 30, 0.0, "off_track"))
        # B has no figure for parents: no value, flagged.
        self.assertEqual(self.figures(self.b, "COMM_PARENTS"), (0, None, None, "no_data"))
        self.assertIn("missing_denominator", self.table.cell(self.b, "COMM_PARENTS").flags)
        # The province: 5 people over 10 + 8 officials.
        self.assertEqual(self.figures(None, "TRAIN_OFFICIALS")[:3], (5, 18, 27.7778))

    def test_it_uses_the_national_targets_on_request(self) -> None:
        table = indicator_table(self.province, 2025, codes=["CL_RATE", "COMM_TEACHERS"], target_source="national", as_of=AS_OF)
        # Decision 782: at most 4.9 %; B's 0.67 % meets it, and the province's total has it too.
        self.assertEqual(table.cell(self.b, "CL_RATE").target, Target(Decimal("4.90"), "<=", 2025, "782/QĐ-TTg"))
        self.assertEqual(table.cell(self.b, "CL_RATE").status, "met")
        self.assertEqual(table.total("CL_RATE").status, "met")
        # No national target for teachers: no status.
        self.assertEqual(table.cell(self.a, "COMM_TEACHERS").status, "no_data")

    def test_it_reads_2025_in_the_old_structure(self) -> None:
        table = indicator_table(self.district, 2025, structure="before-2025", codes=["CL_RATE", "TIMELY"], as_of=AS_OF)
        self.assertEqual([r.pk for r in table.rows], [self.a1.pk, self.a2.pk, self.b1.pk])
        cl = {r.pk: (table.cell(r.pk, "CL_RATE").numerator, table.cell(r.pk, "CL_RATE").denominator) for r in table.rows}
        # Lan in A1, Mai in A2; B (formed from B1 alone) counts for B1, with its figure 300.
        self.assertEqual(cl, {self.a1.pk: (1, 400), self.a2.pk: (1, 600), self.b1.pk: (2, 300)})
        # Case 2 was received in A, formed from A1 and A2: no old commune can take it, but the
        # district's total does.
        self.assertEqual(table.cell(self.a1.pk, "TIMELY").denominator, 1)
        self.assertEqual(table.total("TIMELY").denominator, 4)
        self.assertIn(self.commune_a.pk, table.unattributed)

    def test_it_breaks_down_by_sex_and_by_the_laws_age_bands(self) -> None:
        table = indicator_table(self.province, 2025, codes=["CL_RATE"], by="sex", as_of=AS_OF)
        girls = table.groups(self.a, "CL_RATE")["F"]
        # Lan and Mai over girls 5-17 of A1 200 + A2 280 = 480.
        self.assertEqual((girls.numerator, girls.denominator, round(girls.value or 0, 4)), (2, 480, 0.4167))
        self.assertEqual(table.groups(self.a, "CL_RATE")["M"].numerator, 0)
        # B has no figure by sex.
        self.assertIn("missing_denominator", table.groups(self.b, "CL_RATE")["M"].flags)
        self.assertEqual(table.groups(self.province.pk, "CL_RATE")["M"].numerator, 2)
        table = indicator_table(self.province, 2025, codes=["CL_RATE", "TIMELY"], by="law_age_band", as_of=AS_OF)
        # Ages on the observation day: Lan 14, Mai 17; Nam 16, Bình 14.
        self.assertEqual({g: v.numerator for g, v in table.groups(self.a, "CL_RATE").items()}, {"<13": 0, "13-14": 1, "15-17": 1})
        self.assertEqual({g: v.numerator for g, v in table.groups(self.b, "CL_RATE").items()}, {"<13": 0, "13-14": 1, "15-17": 1})
        # Cases by age on 31/12/2025: Nam 16 (late), Bình 14 (in time).
        self.assertEqual(table.groups(self.b, "TIMELY")["15-17"].numerator, 0)
        self.assertEqual(table.groups(self.b, "TIMELY")["13-14"].numerator, 1)

    def test_it_agrees_with_the_outreach_selector_for_every_row(self) -> None:
        # In the after-2025 structure a row takes its own activities and those of the old
        # communes it absorbed, exactly like reach().  (Read back in the old structure, B's
        # activities count for B1, which reach(B1) cannot know.)
        for scope in (self.province, self.commune_a):
            table = indicator_table(scope, 2025, structure="after-2025", as_of=AS_OF)
            for unit in [*table.rows, scope]:
                for code, groups, kinds in (
                    ("COMM_TEACHERS", ["teachers"], None),
                    ("COMM_BUSINESSES", ["enterprises", "cooperatives", "craft_households"], None),
                    ("TRAIN_OFFICIALS", ["officials"], ["training"]),
                    ("TRAIN_ENTERPRISES", ["enterprises"], ["training"]),
                ):
                    expected = sum(reach(unit, 2025, g, kinds=kinds).count for g in groups)
                    value = table.total(code) if unit == scope else table.cell(unit.pk, code)
                    self.assertEqual(value.numerator, expected, (unit.name, code))

    def test_it_agrees_with_the_case_selectors_for_every_row(self) -> None:
        as_of = period_as_of(2025, AS_OF)
        umap = build_unit_map(self.province, "after-2025")
        for row in self.table.rows:
            unit_filter = Q(commune_id__in=umap.communes_of(row.pk))
            good, every = timely_cases(unit_filter, 2025, as_of=as_of)
            self.assertEqual((self.table.cell(row.pk, "TIMELY").numerator, self.table.cell(row.pk, "TIMELY").denominator), (good.count(), every.count()))
            good, every = monitored_cases(unit_filter, as_of=as_of)
            self.assertEqual((self.table.cell(row.pk, "MONITORED").numerator, self.table.cell(row.pk, "MONITORED").denominator), (good.count(), every.count()))

    def test_it_follows_the_trend_from_2021(self) -> None:
        values = indicator_trend(self.commune_a, "CL_RATE", [2021, 2024, 2025], as_of=AS_OF)
        # 2021: Xuân, Yến, Diệu over 400 + 600; 2024: nothing observed, no 2024 figure.
        self.assertEqual([(v.year, v.numerator, v.denominator) for v in values], [(2021, 3, 1000), (2024, 0, None), (2025, 2, 1000)])
        self.assertEqual([v.status for v in values], ["met", "no_data", "met"])

    def test_it_gives_a_json_ready_table(self) -> None:
        data = json.loads(json.dumps(self.table.as_dict()))
        self.assertEqual(data["rows"][1]["name"], "Xã Triệu Sơn")
        self.assertEqual(data["rows"][1]["values"]["CL_RATE"]["value"], 0.67)
        self.assertEqual(data["total"]["TIMELY"]["numerator"], 3)

    def test_it_pins_the_number_of_queries(self) -> None:
        # Unit map 3; register 2 (classifications, school); cases 2; denominators 1;
        # outreach 6 (villages, typed counts, distinct people per row and in all, for all
        # kinds and for trainings); targets 3 + 6 for the rows' one set of plans (Triệu Sơn)
        # + 5 for the province; the 2021 baseline 11 (the same counts, no targets).
        with self.assertNumQueries(39):
            indicator_table(self.province, 2025, as_of=AS_OF)
        with self.assertNumQueries(39):
            indicator_table(self.province, 2025, by="age_band", as_of=AS_OF)


class StatusRuleTestCase(SimpleTestCase):  # pure: no database
    def test_it_marks_on_track_on_the_straight_line_from_2021(self) -> None:
        target = Target(Decimal("90"), ">=", 2025)
        # Baseline 50 % in 2021 -> line 60 % in 2022, 70 % in 2023, 80 % in 2024.
        self.assertEqual(status_of(70.0, target, 2023, baseline=50.0), "on_track")
        self.assertEqual(status_of(69.9, target, 2023, baseline=50.0), "off_track")
        self.assertEqual(status_of(90.0, target, 2023, baseline=50.0), "met")
        # In the target year there is no line left to be on.
        self.assertEqual(status_of(89.0, target, 2025, baseline=50.0), "off_track")
        lower = Target(Decimal("0.5"), "<=", 2025)
        # From 2.5 % to 0.5 %: 1.5 % is the 2023 point.
        self.assertEqual(status_of(1.5, lower, 2023, baseline=2.5), "on_track")
        self.assertEqual(status_of(1.6, lower, 2023, baseline=2.5), "off_track")
        self.assertEqual(status_of(None, target, 2023, baseline=50.0), "no_data")
        self.assertEqual(status_of(50.0, None, 2023), "no_data")
        decrease = Target(None, "decrease", 2030)
        self.assertEqual(status_of(10.0, decrease, 2026, baseline=12.0), "met")
        self.assertEqual(status_of(12.0, decrease, 2026, baseline=12.0), "off_track")
