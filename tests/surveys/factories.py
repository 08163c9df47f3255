"""Survey rounds built through the services, as the import builds them."""

from __future__ import annotations

import datetime as dt
from typing import Any

from clms.places.models import AdminUnit
from clms.surveys import services
from clms.surveys.models import SurveyRound

WORKING = {"activity": "EMPLOYED", "job_code": "LC147.1.a", "hours_per_day": 8.0, "days_per_week": 6.0}
HAZARDOUS_WORK = {**WORKING, "hazards": ["HEAVY_LOADS"]}
IDLE = {"activity": "NONE"}


def survey_round(*, user: Any, unit: AdminUnit, villages: list[AdminUnit], year: int = 2026,
                 households: list[list[tuple[str, str, dt.date, dict[str, Any]]]] | None = None) -> SurveyRound:
    """A round with one PSU per village (20 listed, one selected per household given) and the
    given households spread over the villages in turn: each a list of (name, sex, dob, work)."""
    survey = services.round_create(user=user, unit=unit, year=year, title=f"Khảo sát hộ gia đình {year}",
                                   questionnaire_version="2026.1")
    rows = households or []
    per_village = max(1, -(-len(rows) // len(villages)))
    psus = [services.psu_add(user=user, survey=survey, stratum="1", village=v, households_listed=20 * per_village,
                             households_selected=per_village) for v in villages]
    for n, members in enumerate(rows):
        psu = psus[n % len(psus)]
        services.household_record(
            user=user, psu=psu, number=n + 1, result="completed", interviewed_on=dt.date(year, 10, 15),
            members=[services.MemberInput(line=i + 1, full_name=name, sex=sex, dob=dob, situation=dict(work))
                     for i, (name, sex, dob, work) in enumerate(members)],
        )
    return survey
