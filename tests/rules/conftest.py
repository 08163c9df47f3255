from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from clms.rules import Situation

AS_OF = date(2024, 6, 1)


def born(age: int, as_of: date = AS_OF) -> date:
    """A date of birth that makes the child ``age`` on ``as_of`` (any ``as_of`` after 15 January)."""
    return date(as_of.year - age, 1, 15)


def lawful(age: int, **changes: Any) -> Situation:
    """An employed child in lawful light work with every paperwork input known and in order."""
    fields: dict[str, Any] = {
        "dob": born(age),
        "as_of": AS_OF,
        "activity": "EMPLOYED",
        "job_code": "ART_PERF" if age < 13 else "TT09.II.04",
        "workplace_code": "OTHER",
        "job_is_appendix_iii": False,
        "hours_day_max": 3,
        "hours_week": 15,
        "night_work": False,
        "overtime": False,
        "parent_consent": True,
        "separate_register": True,
        "contract_written_child_and_rep": True,
        "affects_study_time": False,
        "health_cert": True,
        "last_health_check": date(2024, 2, 1),
        "osh_age_appropriate": True,
        "provincial_consent": True,
        "sex": "M",
        "load_kg": 0,
        "load_regular": False,
        "harms_study_health_safety": False,
        "chores_hours_week": 0,
    }
    fields.update(changes)
    return Situation(**fields)


@pytest.fixture
def make() -> Any:
    return lawful
