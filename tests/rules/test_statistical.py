"""Decision table 2 (spec §3.3 rows S0–S6) and the side-by-side comparison of §3.5."""

from __future__ import annotations

from typing import Any

import pytest

from clms.rules import Category, Situation, classify, compare

from .conftest import AS_OF, born

HAZ = Category.HAZARDOUS_CHILD_LABOUR
CL = Category.CHILD_LABOUR
NOT = Category.NOT_CHILD_LABOUR


def work(age: int, **fields: Any) -> Situation:
    return Situation(dob=born(age), as_of=AS_OF, **{"activity": "EMPLOYED", **fields})


@pytest.mark.parametrize("ruleset", ["mics6", "sdg2021"])
@pytest.mark.parametrize("age", [4, 18])
def test_it_counts_only_5_to_17_s0(ruleset: str, age: int) -> None:
    d = classify(work(age, hours_week=30), ruleset)
    assert (d.category, d.rule_ids) == (Category.OUT_OF_SCOPE, ("S0",))


@pytest.mark.parametrize("ruleset", ["mics6", "sdg2021"])
def test_it_classifies_worst_forms_as_hazardous_s1(ruleset: str) -> None:
    d = classify(work(12, worst_forms=frozenset({"FORCED_OR_BONDED"})), ruleset)
    assert (d.category, d.rule_ids) == (HAZ, ("S1",))


@pytest.mark.parametrize(
    "fields",
    [
        {"hazards": frozenset({"HEIGHTS"})},
        {"job_code": "LC147.1.e", "hours_week": 2},
        {"workplace_code": "TT09.IV.2", "hours_week": 2},
        {"hours_week": 43},
    ],
)
def test_it_classifies_hazardous_work_s2(fields: dict[str, Any]) -> None:
    d = classify(work(16, **fields), "mics6")
    assert (d.category, d.rule_ids) == (HAZ, ("S2",))


@pytest.mark.parametrize(("age", "threshold"), [(5, 1), (11, 1), (12, 14), (14, 14), (15, 43), (17, 43)])
def test_it_applies_economic_hour_thresholds_s3_s5(age: int, threshold: float) -> None:
    below = classify(work(age, hours_week=threshold - 0.5), "mics6")
    assert (below.category, below.rule_ids) == (NOT, ("S5",))
    reached = classify(work(age, hours_week=threshold), "mics6")
    assert reached.category in (CL, HAZ)
    assert reached.rule_ids == (("S2",) if threshold == 43 else ("S3",))


@pytest.mark.parametrize(
    ("ruleset", "age", "hours", "expected"),
    [
        ("mics6", 10, 27.5, NOT), ("mics6", 10, 28, CL), ("mics6", 14, 28, CL),
        ("mics6", 16, 42.5, NOT), ("mics6", 16, 43, CL),
        ("sdg2021", 10, 21, NOT), ("sdg2021", 10, 21.5, CL), ("sdg2021", 14, 21.5, CL),
        ("sdg2021", 16, 60, NOT),
    ],
)
def test_it_applies_chore_thresholds_by_variant_s4_s6(ruleset: str, age: int, hours: float, expected: Category) -> None:
    d = classify(Situation(dob=born(age), as_of=AS_OF, activity="HOUSEHOLD_CHORES", chores_hours_week=hours), ruleset)
    assert d.category is expected
    assert d.rule_ids == (("S4",) if expected is CL else ("S6",))


def test_it_says_no_activity_is_not_child_labour_s6() -> None:
    d = classify(Situation(dob=born(9), as_of=AS_OF, activity="NONE"), "sdg2021")
    assert (d.category, d.rule_ids) == (NOT, ("S6",))


def test_it_lists_unknown_economic_hours_as_missing() -> None:
    d = classify(work(9), "mics6")
    assert d.category is NOT
    assert "hours_week" in d.missing


def test_it_carries_versioned_ruleset_ids() -> None:
    assert classify(work(9, hours_week=1), "mics6").ruleset_id.startswith("MICS6@")
    assert classify(work(9, hours_week=1), "sdg2021").ruleset_id.startswith("SDG2021@")
    assert classify(work(9, hours_week=1)).ruleset_id == "VN-LC2019+TT09-2020+ND12-2022+ND56-2017@2021-03-15"


def test_it_explains_the_chore_threshold_of_the_variant() -> None:
    d = classify(Situation(dob=born(10), as_of=AS_OF, activity="HOUSEHOLD_CHORES", chores_hours_week=25), "sdg2021")
    assert "trên 21 giờ/tuần" in d.explanation


# --- spec §3.5 -----------------------------------------------------------------------


def test_it_compares_a_12_year_old_working_10_hours_for_someone_else() -> None:
    c = compare(work(12, job_code="TT09.II.09", hours_day_max=2, hours_week=10))
    assert c.law.category is CL
    assert c.statistical.category is NOT
    assert not c.same_category
    assert "13, 15, 18 tuổi" in c.note and "12–14" in c.note


def test_it_compares_a_12_year_old_on_the_family_farm() -> None:
    s = Situation(dob=born(12), as_of=AS_OF, activity="FAMILY_FARM", hours_week=10, harms_study_health_safety=False)
    c = compare(s)
    assert (c.law.category, c.statistical.category) == (NOT, NOT)
    assert c.same_category


def test_it_compares_an_11_year_old_working_2_hours_for_a_neighbour() -> None:
    c = compare(work(11, job_code="TT09.II.09", hours_day_max=1, hours_week=2))
    assert (c.law.category, c.statistical.category) == (CL, CL)
    assert "cùng kết quả" in c.note


def test_it_compares_a_16_year_old_working_42_hours() -> None:
    c = compare(work(16, job_code="OTHER", job_on_app_v_overtime=False, hours_day_max=7, hours_week=42))
    assert c.law.category is CL
    assert c.statistical.category is NOT
    assert "40 giờ" in c.note


def test_it_compares_with_a_chosen_statistical_variant() -> None:
    s = Situation(dob=born(10), as_of=AS_OF, activity="HOUSEHOLD_CHORES", chores_hours_week=25,
                  harms_study_health_safety=False)
    assert compare(s, "mics6").statistical.category is NOT
    c = compare(s, "sdg2021")
    assert (c.law.category, c.statistical.category) == (NOT, CL)
    assert "việc nhà" in c.note
