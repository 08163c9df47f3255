"""Decision table 1 (spec §2.3 rows V0–V10, worked checks of §2.4, the two policy settings)."""

from __future__ import annotations

from datetime import date

import pytest

from clms.rules import Category, Situation, classify

from .conftest import AS_OF, born, lawful

HAZ = Category.HAZARDOUS_CHILD_LABOUR
CL = Category.CHILD_LABOUR
OK = Category.PERMITTED_WITH_CONDITIONS
NOT = Category.NOT_CHILD_LABOUR


def test_it_puts_adults_out_of_scope_v0() -> None:
    d = classify(lawful(18))
    assert d.category is Category.OUT_OF_SCOPE
    assert d.rule_ids == ("V0",)
    assert d.references[0].article == "Điều 143 khoản 1 Bộ luật Lao động 2019"


def test_it_says_no_work_is_not_child_labour_v1() -> None:
    d = classify(Situation(dob=born(10), as_of=AS_OF, activity="NONE"))
    assert (d.category, d.rule_ids, d.missing) == (NOT, ("V1",), ())


def test_it_lists_activity_as_missing_when_nothing_shows_work() -> None:
    d = classify(Situation(dob=born(10), as_of=AS_OF))
    assert d.category is NOT
    assert d.missing == ("activity",)


def test_it_classifies_worst_forms_as_hazardous_v2() -> None:
    d = classify(lawful(16, worst_forms=frozenset({"TRAFFICKING"})))
    assert (d.category, d.subtype) == (HAZ, "WORST_FORM")
    assert d.rule_ids[0] == "V2"
    assert d.violations[0].sanction is None  # criminal law, not the labour decree
    assert "Mua bán trẻ em" in d.violations[0].description


def test_it_does_not_let_no_activity_hide_a_worst_form() -> None:
    d = classify(Situation(dob=born(12), as_of=AS_OF, activity="NONE", worst_forms=frozenset({"SEXUAL_EXPLOITATION"})))
    assert d.category is HAZ


@pytest.mark.parametrize(
    ("changes", "code"),
    [
        ({"job_code": "LC147.1.e"}, "V3.JOB"),
        ({"job_code": "TT09.III.12"}, "V3.JOB"),
        ({"job_code": "OTHER", "job_is_appendix_iii": True}, "V3.JOB"),
        ({"workplace_code": "LC147.2.b"}, "V3.WORKPLACE"),
        ({"workplace_code": "TT09.IV.6"}, "V3.WORKPLACE"),
    ],
)
def test_it_classifies_banned_jobs_and_workplaces_as_hazardous_v3(changes: dict[str, object], code: str) -> None:
    d = classify(lawful(16, **changes))
    assert (d.category, d.subtype) == (HAZ, "HAZARDOUS_WORK")
    assert "V3" in d.rule_ids
    assert code in d.violation_codes
    sanction = next(v.sanction for v in d.violations if v.code == code)
    assert sanction is not None and (sanction.clause, sanction.point) == ("3", "c")


def test_it_leaves_harmless_family_work_outside_employer_rules_v4() -> None:
    s = Situation(dob=born(10), as_of=AS_OF, activity="FAMILY_FARM", job_code="TT09.II.09",
                  hours_day_max=2, hours_week=6, harms_study_health_safety=False)
    d = classify(s)
    assert (d.category, d.subtype, d.rule_ids) == (NOT, "FAMILY_WORK", ("V4",))


def test_it_treats_harmful_family_work_as_work_v4() -> None:
    s = Situation(dob=born(10), as_of=AS_OF, activity="HOUSEHOLD_CHORES", hours_day_max=6,
                  hours_week=30, harms_study_health_safety=True, job_code="OTHER")
    d = classify(s)
    assert d.category is CL
    assert {"V5", "V7"} <= set(d.rule_ids)
    assert all(v.sanction is None for v in d.violations)  # no employer to fine


def test_it_reports_unknown_harm_for_family_work() -> None:
    d = classify(Situation(dob=born(10), as_of=AS_OF, activity="FAMILY_FARM", hours_week=5))
    assert d.category is NOT
    assert "harms_study_health_safety" in d.missing


def test_it_applies_employer_rules_to_family_work_when_the_policy_is_off() -> None:
    s = Situation(dob=born(10), as_of=AS_OF, activity="FAMILY_FARM", job_code="TT09.II.09",
                  hours_day_max=2, hours_week=6, harms_study_health_safety=False)
    d = classify(s, FAMILY_WORK_OUTSIDE_EMPLOYER_RULES=False)
    assert (d.category, d.rule_ids[0]) == (CL, "V5")
    assert d.violations[0].sanction is not None
    assert classify(s, family_work_outside_employer_rules=False).category is CL


def test_it_still_finds_hazards_in_family_work() -> None:
    s = Situation(dob=born(14), as_of=AS_OF, activity="FAMILY_FARM", job_code="TT09.III.59",
                  harms_study_health_safety=False)
    d = classify(s)
    assert d.category is HAZ
    assert d.violations[0].sanction is None


def test_it_allows_under_13s_only_art_and_sport_v5() -> None:
    assert classify(lawful(12, job_code="TT09.II.09")).rule_ids[0] == "V5"
    d = classify(lawful(12, job_code="TT09.II.09"))
    assert (d.category, d.subtype) == (CL, "UNDER_13")
    sanction = d.violations[0].sanction
    assert sanction is not None and (sanction.clause, sanction.point) == ("3", "b")
    assert classify(lawful(12, job_code="SPORT_PHYS")).category is OK
    assert classify(lawful(12, job_code="TT09.V.NIGHT.01")).category is OK


def test_it_needs_provincial_consent_under_13_v5() -> None:
    d = classify(lawful(12, provincial_consent=False))
    assert d.category is CL
    assert d.violation_codes == ("V5.CONSENT",)
    unknown = classify(lawful(12, provincial_consent=None))
    assert unknown.category is OK and "provincial_consent" in unknown.missing


def test_it_allows_13_and_14_only_appendix_ii_v6() -> None:
    d = classify(lawful(14, job_code="TT09.V.OT.16"))
    assert (d.category, d.subtype, d.rule_ids) == (CL, "NOT_LIGHT_WORK", ("V6",))
    sanction = d.violations[0].sanction
    assert sanction is not None and (sanction.clause, sanction.point) == ("3", "a")
    assert classify(lawful(14, job_code="TT09.II.12")).category is OK
    assert classify(lawful(14, job_code="OTHER")).category is CL


@pytest.mark.parametrize(
    ("changes", "code", "point"),
    [
        ({"hours_day_max": 5}, "V7.HOURS_DAY", "c"),
        ({"hours_week": 21}, "V7.HOURS_WEEK", "c"),
        ({"overtime": True}, "V7.OVERTIME", "d"),
        ({"night_work": True}, "V7.NIGHT", "d"),
    ],
)
def test_it_limits_under_15_hours_v7(changes: dict[str, object], code: str, point: str) -> None:
    d = classify(lawful(14, **changes))
    assert (d.category, d.rule_ids) == (CL, ("V7",))
    assert d.violation_codes == (code,)
    sanction = d.violations[0].sanction
    assert sanction is not None and (sanction.clause, sanction.point) == ("2", point)


@pytest.mark.parametrize(
    ("changes", "code"),
    [
        ({"contract_written_child_and_rep": False}, "V8.CONTRACT"),
        ({"affects_study_time": True}, "V8.STUDY"),
        ({"health_cert": False}, "V8.HEALTH_CERT"),
        ({"last_health_check": date(2023, 11, 30)}, "V8.HEALTH_CHECK"),
        ({"osh_age_appropriate": False}, "V8.OSH"),
    ],
)
def test_it_counts_missing_under_15_conditions_by_policy_v8(changes: dict[str, object], code: str) -> None:
    strict = classify(lawful(14, **changes))
    assert (strict.category, strict.subtype, strict.rule_ids) == (CL, "CONDITIONS_NOT_MET", ("V8",))
    assert strict.violation_codes == (code,)
    lenient = classify(lawful(14, **changes), STRICT_UNDER15_CONDITIONS=False)
    assert (lenient.category, lenient.subtype) == (OK, "CONDITIONS_NOT_MET")
    assert lenient.violation_codes == (code,)
    assert classify(lawful(14, **changes), strict_under15_conditions=False).category is OK


@pytest.mark.parametrize(
    ("changes", "codes"),
    [
        ({"hours_day_max": 9}, ("V9.HOURS_DAY",)),
        ({"hours_week": 41}, ("V9.HOURS_WEEK",)),
        ({"overtime": True}, ("V9.OVERTIME",)),
        ({"night_work": True}, ("V9.NIGHT",)),
        ({"job_code": "TT09.V.OT.16", "overtime": True, "hours_day_max": 12.5}, ("V9.OVER_12H",)),
    ],
)
def test_it_limits_15_to_17_hours_v9(changes: dict[str, object], codes: tuple[str, ...]) -> None:
    base = {"job_code": "OTHER", "job_on_app_v_overtime": False, "job_on_app_v_night": False}
    d = classify(lawful(16, **{**base, **changes}))
    assert (d.category, d.rule_ids) == (CL, ("V9",))
    assert d.violation_codes == codes


def test_it_allows_overtime_and_night_work_on_appendix_v_v9() -> None:
    assert classify(lawful(16, job_code="TT09.V.OT.16", overtime=True, hours_day_max=10, hours_week=48)).category is OK
    assert classify(lawful(16, job_code="TT09.V.OT.16", night_work=True)).category is CL
    assert classify(lawful(16, job_code="ART_PERF", night_work=True, overtime=True, hours_day_max=10)).category is OK
    assert classify(lawful(16, job_code="OTHER", job_on_app_v_overtime=True, overtime=True)).category is OK


def test_it_permits_lawful_work_with_conditions_v10() -> None:
    d = classify(lawful(16, job_code="TT09.V.OT.18"))
    assert (d.category, d.subtype, d.rule_ids) == (OK, "LAWFUL_WORK", ("V10",))
    assert d.violations == ()
    assert {c.code for c in d.conditions} >= {"PARENT_CONSENT", "REGISTER"}


def test_it_keeps_permitted_but_adds_paperwork_violations_for_15_to_17() -> None:
    d = classify(lawful(16, parent_consent=False, separate_register=False))
    assert d.category is OK
    assert d.violation_codes == ("V10.PARENT_CONSENT", "V10.REGISTER")
    register = d.violations[1].sanction
    assert register is not None and register.fine_individual == (1_000_000, 2_000_000)
    assert register.fine_organisation == (2_000_000, 4_000_000)


def test_it_attaches_age_specific_conditions() -> None:
    under13 = {c.code for c in classify(lawful(12)).conditions}
    assert {"CONTRACT", "HEALTH", "OSH", "STUDY_TIME", "PROVINCIAL_CONSENT"} <= under13
    teen = {c.code for c in classify(lawful(16)).conditions}
    assert "CONTRACT" not in teen and "PROVINCIAL_CONSENT" not in teen
    assert classify(lawful(14, job_code="OTHER")).conditions == ()


# --- worked checks of spec §2.4 -------------------------------------------------------


def test_it_passes_worked_check_16_shop_assistant() -> None:
    s = lawful(16, job_code="TT09.V.OT.18", hours_day_max=6, hours_week=30)
    assert classify(s).category is OK


def test_it_passes_worked_check_16_karaoke_waiter() -> None:
    d = classify(lawful(16, job_code="TT09.V.OT.16", workplace_code="LC147.2.d", hours_day_max=4))
    assert d.category is HAZ
    assert "Điều 147 khoản 2 điểm d" in d.violations[0].description


def test_it_passes_worked_check_17_garment_factory() -> None:
    d = classify(lawful(17, job_code="OTHER", job_on_app_v_overtime=False, hours_day_max=9, hours_week=45))
    assert d.category is CL
    assert "Điều 146 khoản 2" in d.references[0].article


def test_it_passes_worked_check_17_garment_factory_as_written() -> None:
    # Spec §2.4 as written: "17 y, garment factory 9 h/day". The officer records the job as
    # OTHER (a garment factory job is on no list) and says nothing about Appendix V: the
    # closed list is not read as "might be on it".
    d = classify(lawful(17, job_code="OTHER", hours_day_max=9, hours_week=None))
    assert d.category is CL
    assert [v.code for v in d.violations] == ["V9.HOURS_DAY"]
    assert "job_on_app_v_overtime" not in d.missing


def test_it_reads_long_hours_in_an_unlisted_job_as_child_labour() -> None:
    # The case of issue 13: 16 y, employed, job OTHER, 10 h/day, 60 h/week, overtime yes.
    d = classify(lawful(16, job_code="OTHER", hours_day_max=10, hours_week=60, overtime=True))
    assert d.category is CL
    assert {v.code for v in d.violations} == {"V9.HOURS_DAY", "V9.HOURS_WEEK", "V9.OVERTIME"}


def test_it_reads_night_work_in_an_unlisted_job_as_child_labour() -> None:
    d = classify(lawful(16, job_code="OTHER", night_work=True))
    assert d.category is CL
    assert [v.code for v in d.violations] == ["V9.NIGHT"]
    # The officer's "yes, it is on Appendix V part II" keeps it lawful.
    assert classify(lawful(16, job_code="OTHER", night_work=True, job_on_app_v_night=True)).category is OK


def test_it_does_not_report_the_appendix_iii_stand_in_missing_for_an_other_job() -> None:
    d = classify(lawful(16, job_code="OTHER", job_is_appendix_iii=None))
    assert d.category is OK
    assert "job_is_appendix_iii" not in d.missing


def test_it_passes_worked_check_14_non_la() -> None:
    s = lawful(14, job_code="TT09.II.04", hours_day_max=3, hours_week=15, last_health_check=date(2024, 2, 1))
    assert classify(s).category is OK


def test_it_passes_worked_check_14_non_la_five_hours_on_sunday() -> None:
    d = classify(lawful(14, job_code="TT09.II.04", hours_day_max=5, hours_week=15))
    assert d.category is CL
    assert "Điều 146 khoản 1" in d.references[0].article


def test_it_passes_worked_check_14_cafe_waiter() -> None:
    assert classify(lawful(14, job_code="TT09.V.OT.16")).category is CL


def test_it_passes_worked_check_12_child_actor() -> None:
    assert classify(lawful(12, job_code="ART_PERF", hours_day_max=3)).category is OK


def test_it_passes_worked_check_12_picking_vegetables_for_a_neighbour() -> None:
    d = classify(lawful(12, job_code="TT09.II.09"))
    assert d.category is CL
    assert "Điều 145 khoản 3" in d.references[0].article


def test_it_passes_worked_check_15_welding() -> None:
    d = classify(lawful(15, job_code="LC147.1.e"))
    assert d.category is HAZ
    assert "hàn kim loại" in d.violations[0].description


def test_it_passes_worked_check_13_on_scaffolding() -> None:
    d = classify(lawful(13, workplace_code="TT09.IV.4"))
    assert d.category is HAZ
    assert d.violations[0].sanction is not None and d.violations[0].sanction.point == "a"


# --- explanations ----------------------------------------------------------------------


def test_it_explains_in_vietnamese_with_the_article() -> None:
    d = classify(lawful(14, hours_day_max=5))
    text = d.explanation
    assert "Điều 146 khoản 1 Bộ luật Lao động 2019: người chưa đủ 15 tuổi không làm quá 4 giờ/ngày" in text
    assert "Nghị định 12/2022/NĐ-CP" in text
    assert "20.000.000" in text and "40.000.000" in text
    assert d.references[0].rule_id == "V7"


def test_it_names_missing_inputs_in_the_explanation() -> None:
    d = classify(Situation(dob=born(14), as_of=AS_OF, activity="EMPLOYED", job_code="TT09.II.04"))
    assert "hours_day_max" in d.missing
    assert "số giờ làm việc nhiều nhất trong một ngày" in d.explanation


def test_it_serialises_a_decision() -> None:
    data = classify(lawful(14, hours_day_max=5)).as_dict()
    assert data["category"] == "CHILD_LABOUR"
    assert data["violations"][0]["sanction"]["fine_organisation"] == [40_000_000, 50_000_000]


def test_it_builds_the_same_decision_on_the_fast_path() -> None:
    from clms.rules.decision import Decision

    d = classify(lawful(14, hours_day_max=5))
    slow = Decision(d.category, d.subtype, d.ruleset_id, d.age, d.rule_ids, d.violation_codes,
                    d.missing, d.situation, d.employer)
    assert d == slow and hash(d) == hash(slow)
    assert d.explanation == slow.explanation
    with pytest.raises(AttributeError):
        d.category = NOT  # type: ignore[misc]
