"""Demo register for the 8 communes of Triệu Sơn: households, children, what was seen of
their work from 2021 to 2026 (classified through observation_record), visits, risk, and a
few children reported twice so that the duplicate report has something to show."""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from django.utils import timezone

from clms.accounts.models import User
from clms.people import services
from clms.people.models import Child, Household
from clms.places.models import AdminUnit, Level
from clms.rules import catalogue

SURNAMES = [("Nguyễn", 38), ("Trần", 11), ("Lê", 10), ("Phạm", 7), ("Hoàng", 4), ("Phan", 4), ("Vũ", 3), ("Đỗ", 3),
            ("Bùi", 3), ("Đặng", 2), ("Hồ", 2), ("Ngô", 2), ("Dương", 1), ("Lý", 1), ("Trịnh", 2), ("Lò", 1),
            ("Hà", 2), ("Mai", 1), ("Cao", 1), ("Quách", 1)]
MIDDLE = {"M": ["Văn", "Văn", "Văn", "Đức", "Minh", "Quang", "Hữu", "Công", "Đình", "Xuân"],
          "F": ["Thị", "Thị", "Thị", "Ngọc", "Thu", "Thanh", "Phương", "Hồng", "Minh", "Khánh"]}
GIVEN = {"M": "An Bình Cường Dũng Duy Đạt Giang Hải Hiếu Hùng Huy Khánh Kiên Long Mạnh Nam Nghĩa Phong Phúc Quân "
              "Sơn Tài Thắng Thành Tiến Trung Tú Tuấn Việt Vinh".split(),
         "F": "Anh Châu Chi Dung Duyên Hà Hằng Hạnh Hiền Hoa Hồng Hương Huyền Lan Linh Loan Ly Mai My Nga Ngân "
              "Ngọc Nhung Oanh Phương Quỳnh Thảo Thu Trang Vân Yến".split()}
# Work seen in Triệu Sơn: craft villages (nón lá, đan lát), quarries, building sites,
# family farms and street trade.
JOBS = ["TT09.II.04", "TT09.II.06", "TT09.II.07", "TT09.III.12", "TT09.V.OT.11", "TT09.V.OT.12"]
WORKPLACES = ["LC147.2.b"]
PER_COMMUNE = 75


def _pick(rng: random.Random, pairs: list[tuple[str, int]]) -> str:
    return rng.choices([p[0] for p in pairs], weights=[p[1] for p in pairs])[0]


def _name(rng: random.Random, surname: str, sex: str) -> str:
    return f"{surname} {rng.choice(MIDDLE[sex])} {rng.choice(GIVEN[sex])}"


def _writer(users: dict[str, Any]) -> Any:
    for username in ("quantri", "soyte.thanhhoa"):
        if username in users:
            return users[username]
    from clms.accounts.models import User

    return User.objects.filter(role="admin").first() or User.objects.filter(is_superuser=True).first()


def _known(codes: list[str]) -> list[str]:
    found = []
    for code in codes:
        try:
            catalogue.get(code)
        except KeyError:
            continue
        found.append(code)
    return found


def _observe(rng: random.Random, user: User, child: Child, today: dt.date, jobs: list[str], places: list[str]) -> None:
    first = max(child.dob + dt.timedelta(days=5 * 365), dt.date(2021, 4, 1))
    if first >= today:
        return
    for _ in range(rng.choice([1, 1, 1, 2, 3])):
        day = first + dt.timedelta(days=rng.randrange((today - first).days))
        kind = rng.choices(["EMPLOYED", "FAMILY_FARM", "FAMILY_BUSINESS", "HOUSEHOLD_CHORES", "NONE"],
                           weights=[35, 25, 15, 15, 10])[0]
        fields: dict[str, Any] = {}
        if kind in ("EMPLOYED", "FAMILY_BUSINESS"):
            fields = {
                "job_code": rng.choice(jobs) if jobs else "",
                "hours_per_day": rng.choice([2, 3, 4, 5, 6, 8, 10]),
                "days_per_week": rng.choice([2, 3, 5, 6, 7]),
                "night_work": rng.choice([None, False, False, True]),
                "paid": rng.choice([True, False, None]),
            }
            if kind == "EMPLOYED" and places and rng.random() < 0.15:
                fields["workplace_code"] = rng.choice(places)
            if kind == "EMPLOYED":
                fields["employer_name"] = rng.choice(["Cơ sở làm nón lá", "Xưởng đan cói", "Mỏ đá", "Công trình xây dựng", "Quán ăn"])
        elif kind == "FAMILY_FARM":
            fields = {"hours_per_day": rng.choice([1, 2, 3, 4]), "days_per_week": rng.choice([2, 3, 7]),
                      "harms_study_health_safety": rng.choice([None, False, True])}
        elif kind == "HOUSEHOLD_CHORES":
            fields = {"chores_hours_week": rng.choice([5, 10, 15, 21, 28])}
        services.observation_record(user=user, child=child, observed_on=day, activity=kind, **fields)
        if rng.random() < 0.6:
            visit_day = min(today, day + dt.timedelta(days=rng.randint(7, 120)))
            services.visit_record(user=user, child=child, visited_on=visit_day,
                                  still_working=rng.choice([True, False, None]), note="Thăm hộ gia đình, tuyên truyền cho cha mẹ.")


def demo_fill(*, rng: random.Random, communes: list[AdminUnit], users: dict[str, Any]) -> None:
    user = _writer(users)
    if user is None or Child.objects.exists():
        return
    today = timezone.localdate()
    jobs, places = _known(JOBS), _known(WORKPLACES)
    start = dt.date(2008, 9, 1).toordinal()
    span = (dt.date(2020, 12, 31) - dt.date(2008, 9, 1)).days
    made: list[Child] = []
    for commune in communes:
        villages = list(AdminUnit.objects.filter(parent=commune, level=Level.VILLAGE).order_by("name"))
        count = 0
        while count < PER_COMMUNE:
            surname = _pick(rng, SURNAMES)
            village = rng.choice(villages) if villages else None
            household: Household = services.household_create(
                user=user, commune=commune, village=village, head_name=_name(rng, surname, "M"),
                address=f"{village.name if village else ''}, {commune.name}".strip(", "),
                members=rng.randint(3, 8),
                poverty_status=rng.choices(["none", "near_poor", "poor"], weights=[78, 13, 9])[0],
                ethnicity=rng.choices(["01", "06", "03"], weights=[90, 7, 3])[0],
                disadvantaged_area=rng.random() < 0.1,
                craft_household=rng.random() < 0.2,
                fishing_household=rng.random() < 0.03,
                migrant_parents=rng.random() < 0.15,
            )
            given: set[str] = set()
            for _ in range(rng.choice([1, 1, 2, 2, 3])):
                sex = rng.choice("MF")
                name = _name(rng, surname, sex)
                if name.split()[-1] in given:
                    continue
                given.add(name.split()[-1])
                dob = dt.date.fromordinal(start + rng.randrange(span))
                school = rng.choices(["attending", "irregular", "dropped_out", "vocational"], weights=[75, 10, 12, 3])[0]
                if school in ("dropped_out", "vocational") and today.year - dob.year < 12:
                    school = "attending"
                fields: dict[str, Any] = {"ethnicity": household.ethnicity, "school_status": school}
                if school in ("attending", "irregular"):
                    fields["grade"] = max(1, min(12, today.year - dob.year - 5))
                if school == "dropped_out":
                    year = rng.randint(max(2021, dob.year + 11), today.year)
                    fields["dropped_out_on"] = min(dt.date(year, 9, 1), today)
                if rng.random() < 0.05:
                    fields["special_circumstances"] = [rng.choice(["a", "d", "h", "k"])]
                child = services.child_create(user=user, household=household, commune=commune, full_name=name,
                                              sex=sex, dob=dob, **fields)
                if rng.random() < 0.7:
                    services.consent_record(user=user, child=child, given_by=household.head_name, relationship="Bố",
                                            given_on=min(today, dt.date(2021, 6, 1) + dt.timedelta(days=rng.randrange(1500))),
                                            purpose="Theo dõi, hỗ trợ trẻ trong sổ theo dõi lao động trẻ em")
                    services.guardian_add(user=user, child=child, full_name=household.head_name, relationship="Bố")
                if rng.random() < 0.6:
                    _observe(rng, user, child, today, jobs, places)
                made.append(child)
                count += 1
    # The same child reported again by the school or the police: no diacritics, or day and
    # month swapped, no household.  The duplicate report should find every one.
    from clms.rules import fold

    for original in rng.sample(made, min(8, len(made))):
        dob = original.dob
        if dob.day <= 12 and dob.day != dob.month and rng.random() < 0.5:
            dob = dt.date(dob.year, dob.day, dob.month)
        services.child_create(
            user=user, commune=original.commune, village=original.village, full_name=fold(original.full_name).title(),
            sex=original.sex, dob=dob, school_status=original.school_status, grade=original.grade,
            dropped_out_on=original.dropped_out_on, note="Do nhà trường báo cáo.",
        )
