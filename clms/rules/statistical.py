"""Decision table 2: the international statistical standard, rules S0–S6 of spec §3.3.

The rulesets "mics6" and "sdg2021" share these rules and differ only in their hour
thresholds, which come from ``catalogues/rulesets.json``.
"""

from __future__ import annotations

from .decision import Decision, make_decision
from .model import Category, Situation
from .rulesets import Compiled
from .vn_law import hazards_found, works

__all__ = ["classify_statistical"]

_ECONOMIC = frozenset({"EMPLOYED", "FAMILY_BUSINESS", "FAMILY_FARM"})


def _reaches(hours: float, threshold: tuple[float, bool] | None) -> bool:
    if threshold is None:
        return False
    limit, strict = threshold
    return hours > limit if strict else hours >= limit


def classify_statistical(s: Situation, rs: Compiled) -> Decision:
    dob = s.dob
    as_of = s.as_of
    age = as_of.year - dob.year - ((as_of.month, as_of.day) < (dob.month, dob.day))
    rid = rs.info.id
    low, high = rs.age_range
    if age < low or age > high:
        return make_decision(Category.OUT_OF_SCOPE, "OUTSIDE_AGE_RANGE", rid, age, ("S0",), (), (), s, False)
    if s.worst_forms:
        return make_decision(Category.HAZARDOUS_CHILD_LABOUR, "WORST_FORM", rid, age, ("S1",), (), (), s, False)
    activity = s.activity
    if activity == "NONE" or (activity is None and not works(s)):
        unknown: tuple[str, ...] = ("activity",) if activity is None else ()
        return make_decision(Category.NOT_CHILD_LABOUR, "NO_WORK", rid, age, ("S6",), (), unknown, s, False)

    missing_list: list[str] = []
    economic: float | None
    if activity in _ECONOMIC:
        economic = s.hours_week
        if economic is None:
            missing_list.append("hours_week")
    elif activity is None:
        # Hours of unknown work may be chores, which count far later: not counted as economic.
        economic = None
        missing_list.append("activity")
    else:
        economic = 0.0
    chores = s.chores_hours_week
    if chores is None and activity == "HOUSEHOLD_CHORES":
        chores = s.hours_week

    if (
        s.hazards
        or hazards_found(s, rs, age, missing_list, None)
        or (economic is not None and economic >= rs.hazardous_economic_hours)
    ):
        return make_decision(Category.HAZARDOUS_CHILD_LABOUR, "HAZARDOUS_WORK", rid, age, ("S2",), (), (), s, False)
    if economic is not None and _reaches(economic, rs.economic_hours[age]):
        return make_decision(Category.CHILD_LABOUR, "ECONOMIC_HOURS", rid, age, ("S3",), (), tuple(missing_list), s, False)
    chores_threshold = rs.chores_hours[age]
    if chores is None:
        if chores_threshold is not None:
            missing_list.append("chores_hours_week")
    elif _reaches(chores, chores_threshold):
        return make_decision(Category.CHILD_LABOUR, "HOUSEHOLD_CHORES", rid, age, ("S4",), (), tuple(missing_list), s, False)
    missing = tuple(dict.fromkeys(missing_list))
    if economic:
        return make_decision(Category.NOT_CHILD_LABOUR, "PERMISSIBLE_WORK", rid, age, ("S5",), (), missing, s, False)
    return make_decision(Category.NOT_CHILD_LABOUR, "BELOW_THRESHOLDS", rid, age, ("S6",), (), missing, s, False)
