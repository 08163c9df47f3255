"""Age, hour, load and date boundaries."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from clms.rules import Category, Situation, age_in_months, age_in_years, classify

from .conftest import lawful

HAZ = Category.HAZARDOUS_CHILD_LABOUR
CL = Category.CHILD_LABOUR
OK = Category.PERMITTED_WITH_CONDITIONS


def at(dob: date, as_of: date, **changes: object) -> Situation:
    return lawful(0, dob=dob, as_of=as_of, **changes)


DOB = date(2008, 7, 20)


@pytest.mark.parametrize("years", [13, 15, 18])
def test_it_counts_completed_years_around_each_birthday(years: int) -> None:
    birthday = date(DOB.year + years, DOB.month, DOB.day)
    assert age_in_years(DOB, birthday - timedelta(days=1)) == years - 1
    assert age_in_years(DOB, birthday) == years


def test_it_moves_an_under_13_to_light_work_on_the_13th_birthday() -> None:
    birthday = date(DOB.year + 13, DOB.month, DOB.day)
    job = {"job_code": "TT09.II.09"}
    assert classify(at(DOB, birthday - timedelta(days=1), **job)).rule_ids[0] == "V5"
    assert classify(at(DOB, birthday, **job)).category is OK


def test_it_applies_15_to_17_hours_from_the_15th_birthday() -> None:
    birthday = date(DOB.year + 15, DOB.month, DOB.day)
    job = {"job_code": "TT09.V.OT.18", "hours_day_max": 6, "hours_week": 30}
    assert classify(at(DOB, birthday - timedelta(days=1), **job)).category is CL
    assert classify(at(DOB, birthday, **job)).category is OK


def test_it_puts_a_child_out_of_scope_on_the_18th_birthday() -> None:
    birthday = date(DOB.year + 18, DOB.month, DOB.day)
    job = {"job_code": "LC147.1.e"}
    assert classify(at(DOB, birthday - timedelta(days=1), **job)).category is HAZ
    assert classify(at(DOB, birthday, **job)).category is Category.OUT_OF_SCOPE


def test_it_ages_29_february_births_on_1_march_in_common_years() -> None:
    dob = date(2008, 2, 29)
    assert age_in_years(dob, date(2023, 2, 28)) == 14
    assert age_in_years(dob, date(2023, 3, 1)) == 15
    assert age_in_years(dob, date(2024, 2, 28)) == 15
    assert age_in_years(dob, date(2024, 2, 29)) == 16
    assert age_in_months(dob, date(2023, 2, 28)) == 179
    assert age_in_months(dob, date(2023, 3, 1)) == 180
    job = {"job_code": "TT09.V.OT.18"}
    assert classify(at(dob, date(2023, 2, 28), **job)).category is CL
    assert classify(at(dob, date(2023, 3, 1), **job)).category is OK


@pytest.mark.parametrize(
    ("age", "field", "limit"),
    [(14, "hours_day_max", 4), (14, "hours_week", 20), (16, "hours_day_max", 8), (16, "hours_week", 40)],
)
def test_it_allows_exactly_the_limit_and_not_a_minute_more(age: int, field: str, limit: float) -> None:
    job = "TT09.II.04" if age < 15 else "OTHER"
    extra = {"job_on_app_v_overtime": False} if age >= 15 else {}
    assert classify(lawful(age, job_code=job, **extra, **{field: limit})).category is OK
    assert classify(lawful(age, job_code=job, **extra, **{field: limit + 0.1})).category is CL


def test_it_caps_overtime_at_12_hours_a_day() -> None:
    base = {"job_code": "TT09.V.OT.16", "overtime": True, "hours_week": 48}
    assert classify(lawful(16, hours_day_max=12, **base)).category is OK
    d = classify(lawful(16, hours_day_max=12.1, **base))
    assert (d.category, d.violation_codes) == (CL, ("V9.OVER_12H",))


@pytest.mark.parametrize(
    ("age", "regular", "sex", "limit"),
    [
        (15, False, "M", 15), (15, False, "F", 12), (15, True, "M", 10), (15, True, "F", 8),
        (16, False, "M", 30), (16, False, "F", 25), (16, True, "M", 20), (16, True, "F", 15),
        (17, True, "F", 15),
    ],
)
def test_it_breaches_item_68_at_the_weight_not_below(age: int, regular: bool, sex: str, limit: float) -> None:
    base = {"job_code": "TT09.III.68", "sex": sex, "load_regular": regular}
    at_limit = classify(lawful(age, load_kg=limit, **base))
    assert at_limit.category is HAZ
    assert "V3.LOAD" in at_limit.violation_codes
    assert "Phụ lục III, mục 68" in at_limit.violations[0].legal_basis
    below = classify(lawful(age, load_kg=limit - 0.5, **base))
    assert below.category is not HAZ


def test_it_counts_item_68_age_in_months() -> None:
    dob = date(2008, 7, 20)
    carry = {"job_code": "TT09.III.68", "sex": "M", "load_regular": True, "load_kg": 15}
    # 191 months: the 15-16 band, regular boys from 10 kg
    assert classify(at(dob, date(2024, 7, 19), **carry)).category is HAZ
    # 192 months: the 16-18 band, regular boys from 20 kg
    assert classify(at(dob, date(2024, 7, 20), **carry)).category is OK


def test_it_does_not_guess_an_unknown_sex_or_regularity_for_item_68() -> None:
    # 13 kg is a breach for a girl carrying occasionally but not for a boy.
    d = classify(lawful(15, job_code="TT09.III.68", load_kg=13, load_regular=False, sex=None))
    assert d.category is OK
    assert "sex" in d.missing
    # 16 kg is past every occasional and regular limit of the 15-16 band.
    assert classify(lawful(15, job_code="TT09.III.68", load_kg=16, sex=None, load_regular=None)).category is HAZ
    unknown_load = classify(lawful(16, job_code="TT09.III.68", load_kg=None))
    assert unknown_load.category is OK and "load_kg" in unknown_load.missing


def test_it_weighs_loads_in_any_job() -> None:
    assert classify(lawful(16, job_code="TT09.V.OT.19", load_kg=20, load_regular=True, sex="M")).category is HAZ


def test_it_bans_sea_going_ships_only_below_16_item_35() -> None:
    ship = {"job_code": "TT09.III.35", "hours_day_max": 6, "hours_week": 30}
    assert classify(lawful(15, **ship)).category is HAZ
    assert classify(lawful(16, **ship)).category is OK
    dob = date(2008, 7, 20)
    assert classify(at(dob, date(2024, 7, 19), **ship)).category is HAZ
    assert classify(at(dob, date(2024, 7, 20), **ship)).category is OK


def test_it_keeps_a_health_check_current_for_six_calendar_months() -> None:
    check = date(2023, 8, 31)
    assert classify(lawful(14, last_health_check=check, as_of=date(2024, 2, 29), dob=date(2010, 1, 15))).category is OK
    late = classify(lawful(14, last_health_check=check, as_of=date(2024, 3, 1), dob=date(2010, 1, 15)))
    assert late.violation_codes == ("V8.HEALTH_CHECK",)


@pytest.mark.parametrize(
    "field",
    [
        "hours_day_max", "hours_week", "overtime", "night_work", "contract_written_child_and_rep",
        "affects_study_time", "health_cert", "last_health_check", "osh_age_appropriate",
        "parent_consent", "separate_register", "job_code", "workplace_code",
    ],
)
def test_it_never_counts_an_unknown_input_as_a_breach(field: str) -> None:
    d = classify(lawful(14, **{field: None}))
    assert d.category is OK
    assert d.violations == ()
    assert field in d.missing


def test_it_reads_an_other_job_as_off_appendix_v() -> None:
    # Appendix V is a closed list and all of it is in the catalogue (spec §2.3 "Closed lists").
    d = classify(lawful(16, job_code="OTHER", hours_day_max=9))
    assert d.category is CL
    assert "job_on_app_v_overtime" not in d.missing


def test_it_does_not_guess_whether_an_unrecorded_job_is_on_appendix_v() -> None:
    # Only a job not recorded at all leaves list membership unknown.
    d = classify(lawful(16, job_code=None, hours_day_max=9))
    assert d.category is OK
    assert "job_code" in d.missing
