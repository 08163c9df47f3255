"""The linearised ratio estimator against a case computed by hand, and its domains."""

from __future__ import annotations

import math
import random

from django.test import SimpleTestCase

from clms.surveys.estimation import Person, Unit, child_labour_estimates, ratio, t975


class RatioTestCase(SimpleTestCase):  # pure: no database
    # Two strata: A with PSUs a1, a2 (household weight 2), B with b1, b2, b3 (weight 1).
    UNITS = [
        Unit("A", "a1", 2, 1, 1), Unit("A", "a1", 2, 0, 1), Unit("A", "a2", 2, 0, 1),
        Unit("B", "b1", 1, 1, 1), Unit("B", "b1", 1, 1, 1), Unit("B", "b2", 1, 0, 1),
        Unit("B", "b3", 1, 0, 1), Unit("B", "b3", 1, 0, 1),
    ]

    def test_it_matches_the_hand_computed_case(self) -> None:
        # By hand: X = 11, Y = 4, R = 4/11.  z_hj = sum w (y - R x) / X per PSU:
        # a1 = 6/121, a2 = -8/121; b1 = 14/121, b2 = -4/121, b3 = -8/121.
        # A: 2/1 * [(7/121)^2 + (7/121)^2] = 196/121^2.
        # B: 3/2 * [14^2 + 4^2 + 8^2 - 3 (2/3)^2] / 121^2 = 412/121^2.
        # v = 608/121^2, se = sqrt(608)/121; df = 5 PSUs - 2 strata = 3, t = 3.182.
        estimate = ratio(self.UNITS)
        self.assertAlmostEqual(estimate.value or 0, 4 / 11, places=12)
        self.assertAlmostEqual(estimate.se or 0, math.sqrt(608) / 121, places=12)
        self.assertEqual((estimate.psus, estimate.strata, estimate.df), (5, 2, 3))
        self.assertEqual((estimate.count, estimate.cases), (8, 3))
        self.assertEqual(estimate.low, 0.0)  # 0.364 - 3.182 * 0.204 < 0: clipped
        self.assertAlmostEqual(estimate.high or 0, 1.0)

    def test_it_counts_psus_without_children_as_zero_totals(self) -> None:
        with_empty = ratio(self.UNITS, design=[("B", "b4")])
        # B gets a fourth PSU with z = 0: mean 0.5/121, sum of squares 276 - 4 * 0.25 = 275, times 4/3.
        expected = math.sqrt(196 + 275 * 4 / 3) / 121
        self.assertAlmostEqual(with_empty.se or 0, expected, places=12)
        self.assertEqual(with_empty.df, 4)

    def test_it_reports_a_single_psu_stratum_and_an_empty_domain(self) -> None:
        estimate = ratio([Unit("A", "a1", 1, 1, 1), Unit("A", "a1", 1, 0, 1)])
        self.assertEqual(estimate.singleton_strata, 1)
        self.assertEqual(estimate.se, 0.0)
        self.assertIsNone(ratio([Unit("A", "a1", 1, 0, 0)]).value)

    def test_it_uses_students_t(self) -> None:
        self.assertEqual(t975(3), 3.182)
        self.assertAlmostEqual(t975(60), 2.000, places=2)
        self.assertAlmostEqual(t975(10_000), 1.96, places=2)


class DomainsTestCase(SimpleTestCase):  # pure: no database
    def test_it_estimates_by_sex_and_age_band_and_the_hazardous_share(self) -> None:
        people = [
            Person("1", "p1", 10, "M", 8, True, False), Person("1", "p1", 10, "F", 13, False, False),
            Person("1", "p2", 20, "F", 16, True, True), Person("1", "p2", 20, "M", 12, False, False),
        ]
        out = child_labour_estimates(people)
        self.assertAlmostEqual(out["all"]["rate"]["value"] or 0, 30 / 60)
        self.assertAlmostEqual(out["sex:F"]["rate"]["value"] or 0, 20 / 30)
        self.assertAlmostEqual(out["age:5-11"]["rate"]["value"] or 0, 1.0)
        self.assertAlmostEqual(out["all"]["hazardous_share"]["value"] or 0, 20 / 30)
        self.assertEqual(out["age:12-14"]["rate"]["count"], 2)

    def test_it_covers_the_true_rate_about_95_times_in_100(self) -> None:
        # A small stand-in for bench/survey_coverage.py: 300 samples of 40 villages.
        rng = random.Random(20)
        villages = [(s, v, rng.betavariate(2, 18)) for s in "AB" for v in range(100)]
        true = sum(p for *_x, p in villages) / len(villages)
        covered = 0
        for _n in range(300):
            people = []
            for stratum in "AB":
                for s, v, p in rng.sample([x for x in villages if x[0] == stratum], 20):
                    for _k in range(15):
                        people.append(Person(s, str(v), 5.0, "M", 10, rng.random() < p, False))
            estimate = child_labour_estimates(people)["all"]["rate"]
            covered += (estimate["low"] or 0) <= true <= (estimate["high"] or 0)
        self.assertGreater(covered / 300, 0.88)
        self.assertLess(covered / 300, 0.99)
