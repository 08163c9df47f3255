"""Demo household survey of the demo commune: a round of 2026 over three of its villages,
entered through the services (so every child is classified by clms.rules), so the dashboard
and the report show a survey estimate beside the register's CL_RATE."""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from django.utils import timezone

from clms.places.models import AdminUnit, Level
from clms.surveys import services
from clms.surveys.generator import WORK

FAMILY = ["Lê", "Nguyễn", "Trịnh", "Hoàng", "Phạm", "Đỗ", "Lò", "Hà", "Vi", "Bùi"]
MIDDLE = {"M": ["Văn", "Đức", "Minh"], "F": ["Thị", "Ngọc", "Thu"]}
GIVEN = {"M": ["An", "Bình", "Cường", "Dũng", "Hải", "Nam", "Sơn", "Tú"], "F": ["Hoa", "Lan", "Mai", "Nga", "Thảo", "Yến", "Hà", "Linh"]}
HOUSEHOLDS_PER_VILLAGE = 12


def _situation(work: str) -> dict[str, Any]:
    s = dict(WORK[work])
    hours, week = s.pop("hours_day_max", None), s.pop("hours_week", None)
    if hours is not None:
        s["hours_per_day"], s["days_per_week"] = hours, round(week / hours) if week else None
    if "hazards" in s:
        s["hazards"] = sorted(s["hazards"])
    return s


def demo_fill(*, rng: random.Random, communes: list[AdminUnit], users: dict[str, Any]) -> None:
    officer = users.get("canbo.tanninh")
    if officer is None or officer.area is None:
        return
    commune = officer.area
    villages = list(AdminUnit.objects.filter(parent=commune, level=Level.VILLAGE).order_by("name")[:3])
    if not villages:
        return
    today = timezone.localdate()
    survey = services.round_create(user=officer, unit=commune, year=today.year,
                                   title=f"Khảo sát hộ gia đình về lao động trẻ em {today.year}", questionnaire_version="2026.1")
    for village in villages:
        psu = services.psu_add(user=officer, survey=survey, stratum="1", village=village,
                               households_listed=rng.randint(140, 260), households_selected=HOUSEHOLDS_PER_VILLAGE)
        for number in range(1, HOUSEHOLDS_PER_VILLAGE + 1):
            result = "completed" if rng.random() < 0.92 else rng.choice(["refused", "absent"])
            family = rng.choice(FAMILY)
            interviewed = max(dt.date(today.year, 1, 1), today - dt.timedelta(days=rng.randint(1, 40)))
            members = []
            if result == "completed":
                for line in range(1, rng.choice([1, 1, 2, 2, 3]) + 1):
                    sex = rng.choice("MF")
                    age = rng.randint(5, 17)
                    roll = rng.random()
                    work = "brick_kiln" if roll < 0.02 else "employed_long" if roll < 0.06 else rng.choice(["idle", "chores", "farm_light"])
                    name = f"{family} {rng.choice(MIDDLE[sex])} {rng.choice(GIVEN[sex])}"
                    dob = interviewed - dt.timedelta(days=int(age * 365.25) + rng.randint(20, 330))
                    members.append(services.MemberInput(line=line, full_name=name, sex=sex, dob=dob, situation=_situation(work)))
            services.household_record(user=officer, psu=psu, number=number, result=result,
                                      interviewed_on=interviewed,
                                      head_name=f"{family} {rng.choice(MIDDLE['M'])} {rng.choice(GIVEN['M'])}", members=members)
