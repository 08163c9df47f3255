"""Decree chosen by date (spec §5) and the ruleset registry with its dates (spec §7 point 10)."""

from __future__ import annotations

from datetime import date

import pytest

from clms.rules import RULESETS, Category, RulesetNotAvailable, classify, decree_for

from .conftest import lawful


def sanction_on(day: date) -> tuple[str, str, str | None]:
    s = lawful(14, as_of=day, dob=date(day.year - 14, 1, 1), hours_day_max=5)
    sanction = classify(s).violations[0].sanction
    assert sanction is not None
    return sanction.decree, sanction.article, sanction.point


@pytest.mark.parametrize(
    ("day", "decree", "article"),
    [
        (date(2022, 1, 16), "Nghị định 28/2020/NĐ-CP", "28"),
        (date(2022, 1, 17), "Nghị định 12/2022/NĐ-CP", "29"),
        (date(2026, 9, 9), "Nghị định 12/2022/NĐ-CP", "29"),
        (date(2026, 9, 10), "Nghị định 283/2026/NĐ-CP", "27"),
    ],
)
def test_it_chooses_the_decree_by_the_date(day: date, decree: str, article: str) -> None:
    assert sanction_on(day) == (decree, article, "c")
    found = decree_for(day)
    assert found is not None and found.name == decree


def test_it_doubles_fines_for_organisations() -> None:
    d = classify(lawful(16, job_code="LC147.1.e"))
    sanction = d.violations[0].sanction
    assert sanction is not None
    assert sanction.fine_individual == (50_000_000, 75_000_000)
    assert sanction.fine_organisation == (100_000_000, 150_000_000)
    assert sanction.citation == "điểm c khoản 3 Điều 29 Nghị định 12/2022/NĐ-CP"


def test_it_lists_rulesets_with_their_dates() -> None:
    by_key = {r.key: r for r in RULESETS}
    assert set(by_key) == {"vn-law", "mics6", "sdg2021"}
    law = by_key["vn-law"]
    assert law.id == "VN-LC2019+TT09-2020+ND12-2022+ND56-2017@2021-03-15"
    assert law.effective_from == date(2021, 3, 15) and law.effective_to is None
    assert all(r.name for r in RULESETS)


def test_it_accepts_the_versioned_id_as_ruleset() -> None:
    law = next(r for r in RULESETS if r.key == "vn-law")
    assert classify(lawful(16), law.id).ruleset_id == law.id


def test_it_refuses_vn_law_before_circular_09_took_effect() -> None:
    s = lawful(16, as_of=date(2021, 3, 14), dob=date(2005, 1, 1))
    with pytest.raises(RulesetNotAvailable) as raised:
        classify(s)
    assert "Thông tư 10/2013" in raised.value.reason
    assert raised.value.key == "vn-law"
    on_the_day = lawful(16, as_of=date(2021, 3, 15), dob=date(2005, 1, 1))
    assert classify(on_the_day).category is Category.PERMITTED_WITH_CONDITIONS


def test_it_refuses_vn_law_under_the_2012_code() -> None:
    with pytest.raises(RulesetNotAvailable) as raised:
        classify(lawful(16, as_of=date(2020, 6, 1), dob=date(2004, 1, 1)))
    assert "2012" in raised.value.reason


def test_it_applies_statistical_definitions_to_any_date() -> None:
    s = lawful(16, as_of=date(2018, 11, 1), dob=date(2002, 1, 1))
    assert classify(s, "mics6").category is Category.NOT_CHILD_LABOUR


def test_it_rejects_an_unknown_ruleset() -> None:
    with pytest.raises(ValueError, match="unknown ruleset"):
        classify(lawful(16), "ilo-2030")
