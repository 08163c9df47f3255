"""Demo employers of Triệu Sơn: craft villages, brick kilns, garment workshops, household
businesses, their commitments and six years of inspections with the children they found."""

from __future__ import annotations

import datetime as dt
import random
from typing import TYPE_CHECKING, Any

from django.utils import timezone

from clms.accounts.models import Agency, Role
from clms.employers import services, taxcode
from clms.employers.models import EmployerKind, EnterpriseSize, InspectionKind, Sector, Violation
from clms.places.models import AdminUnit, Level

if TYPE_CHECKING:
    from clms.accounts.models import User

CRAFTS = [
    ("Làng nghề sơn mài {v}", "Sơn mài, vẽ tranh sơn mài"),
    ("Làng nghề mây tre đan {v}", "Đan lát mây tre"),
    ("Làng nghề nón lá {v}", "Làm nón lá"),
    ("Làng nghề bún bánh {v}", "Làm bún, bánh đa"),
]
SURNAMES = ["Lê", "Nguyễn", "Trần", "Hoàng", "Phạm", "Đỗ", "Lò", "Hà", "Vũ", "Bùi"]
MIDDLE = {"F": ["Thị", "Ngọc", "Thu"], "M": ["Văn", "Đức", "Minh"]}
GIVEN = {"F": ["Hoa", "Lan", "Mai", "Hằng", "Thảo", "Nhung", "Linh"], "M": ["Nam", "Hùng", "Dũng", "Tuấn", "Sơn", "Long", "Khánh"]}

# (name pattern, kind, size, sector, what a child found there does: job code, description, hours/day, age)
WORKSHOPS: list[tuple[str, str, str, str, tuple[str, str, float, int] | None]] = [
    ("Cơ sở sơn mài {o}", EmployerKind.HOUSEHOLD_BUSINESS, "", Sector.HANDICRAFT, ("TT09.II.04", "Vẽ tranh sơn mài", 5, 14)),
    ("Lò gạch thủ công {o}", EmployerKind.HOUSEHOLD_BUSINESS, "", Sector.CONSTRUCTION_MATERIALS, ("TT09.III.29", "Đốt lò, bốc xếp gạch", 8, 16)),
    ("Công ty TNHH Gạch Tuynel {p}", EmployerKind.ENTERPRISE, EnterpriseSize.SMALL, Sector.CONSTRUCTION_MATERIALS, None),
    ("Công ty TNHH May mặc {p}", EmployerKind.ENTERPRISE, EnterpriseSize.MEDIUM, Sector.GARMENT, ("TT09.II.04", "Cắt chỉ, gấp hàng may", 10, 16)),
    ("Xưởng may gia công {o}", EmployerKind.HOUSEHOLD_BUSINESS, "", Sector.GARMENT, ("OTHER", "Cắt chỉ, đóng gói", 6, 13)),
    ("Hợp tác xã Nông nghiệp {p}", EmployerKind.COOPERATIVE, "", Sector.AGRICULTURE, None),
    ("Tổ hợp tác mây tre đan {p}", EmployerKind.COOPERATIVE_GROUP, "", Sector.HANDICRAFT, None),
    ("Quán ăn {o}", EmployerKind.INDIVIDUAL, "", Sector.SERVICES, ("OTHER", "Bưng bê, rửa bát", 6, 12)),
]


def _person(rng: random.Random, sex: str) -> str:
    return f"{rng.choice(SURNAMES)} {rng.choice(MIDDLE[sex])} {rng.choice(GIVEN[sex])}"


def _tax_code(rng: random.Random, used: set[str]) -> str:
    while True:
        head = "28" + "".join(str(rng.randint(0, 9)) for _ in range(7))
        digit = taxcode.check_digit(head)
        code = f"{head}{digit}"
        if digit is not None and code not in used and taxcode.problem(code) is None:
            used.add(code)
            return code


def _actor(users: dict[str, Any]) -> Any:
    """Someone who may write in every commune: the province supervisor, else the administrator."""
    for name in ("soyte.thanhhoa", "quantri"):
        user = users.get(name)
        if user is not None:
            return user
    return next((u for u in users.values() if u.is_superuser or u.role in (Role.SUPERVISOR, Role.ADMIN)), None)


def _date(rng: random.Random, year: int, today: dt.date) -> dt.date:
    # Circular 09/2020 applies from 15 March 2021: earlier observations cannot be classified.
    start = dt.date(year, 4, 1) if year == 2021 else dt.date(year, 1, 5)
    end = min(dt.date(year, 12, 20), today - dt.timedelta(days=2))
    return start + dt.timedelta(days=rng.randint(0, max(0, (end - start).days)))


def demo_fill(*, rng: random.Random, communes: list[AdminUnit], users: dict[str, Any]) -> None:
    user = _actor(users)
    if user is None or not communes:
        return
    today = timezone.localdate()
    used_codes: set[str] = set()
    employers_by_commune = {}
    for index, commune in enumerate(communes):
        villages = list(commune.children.filter(level=Level.VILLAGE).order_by("name"))
        place = commune.short_name or commune.name
        craft_village = None
        if index % 2 == 0 and villages:
            pattern, trade = CRAFTS[(index // 2) % len(CRAFTS)]
            craft_village = services.craft_village_create(
                user=user, commune=commune, village=villages[0], name=pattern.format(v=place), trade=trade,
                recognised_on=dt.date(2012 + index, 6, 1), household_count=rng.randint(35, 120),
            )
        picks = rng.sample(WORKSHOPS, k=rng.randint(3, 5))
        if craft_village is not None and WORKSHOPS[0] not in picks:
            picks[0] = WORKSHOPS[0]
        made = []
        for pattern, kind, size, sector, finding in picks:
            owner = _person(rng, rng.choice("MF"))
            employer = services.employer_create(
                user=user,
                kind=kind,
                size=size,
                name=pattern.format(o=owner.split()[-1] + " " + owner.split()[0], p=place),
                sector=sector,
                commune=commune,
                village=rng.choice(villages) if villages else None,
                tax_code=_tax_code(rng, used_codes) if kind in (EmployerKind.ENTERPRISE, EmployerKind.COOPERATIVE) else "",
                owner_name=owner,
                craft_village=craft_village if sector == Sector.HANDICRAFT else None,
                workers=rng.randint(3, 12) if kind != EmployerKind.ENTERPRISE else rng.randint(30, 250),
                registered_on=dt.date(rng.randint(2008, 2022), rng.randint(1, 12), 1),
            )
            made.append((employer, finding))
            if rng.random() < 0.6:
                signed = dt.date(rng.randint(2021, 2025), rng.randint(1, 12), rng.randint(1, 28))
                services.commitment_record(
                    user=user, employer=employer, signed_on=signed, signer_name=owner,
                    signer_title="Chủ cơ sở" if kind != EmployerKind.ENTERPRISE else "Giám đốc",
                    expires_on=signed.replace(year=signed.year + 2),
                )
        employers_by_commune[commune.pk] = made

    for year in range(2021, today.year + 1):
        for commune in communes:
            for employer, finding in employers_by_commune[commune.pk]:
                if rng.random() > 0.35:
                    continue
                on = _date(rng, year, today)
                kind = rng.choice([InspectionKind.PERIODIC, InspectionKind.UNANNOUNCED, InspectionKind.INTERAGENCY])
                inspection = services.inspection_record(
                    user=user, kind=kind, inspected_on=on,
                    lead_agency=Agency.LABOUR if kind != InspectionKind.INTERAGENCY else rng.choice([Agency.LABOUR, Agency.POLICE]),
                    employers=[employer],
                    team="Phòng Văn hóa - Xã hội, Công an xã, Hội Phụ nữ xã",
                    findings="Cơ sở chấp hành quy định về sử dụng lao động." if finding is None else "",
                )
                if finding is None or rng.random() > 0.5:
                    continue
                job, description, hours, age = finding
                sex = rng.choice("MF")
                born = on - dt.timedelta(days=365 * age + rng.randint(30, 300))
                found = services.inspection_add_child(
                    user=user,
                    inspection=inspection,
                    employer=employer,
                    new_child={"full_name": _person(rng, sex), "sex": sex, "dob": born, "commune": commune},
                    not_a_duplicate=True,
                    observation={
                        "job_code": job,
                        "job_description": description,
                        "hours_per_day": hours,
                        "days_per_week": 6,
                        "parent_consent": rng.random() < 0.5,
                        "separate_register": False,
                    },
                )
                inspection.findings = f"Phát hiện 01 trẻ em làm việc: {description.lower()}."
                inspection.save(update_fields=["findings"])
                _advance(rng, user, found.inspection_id, on, today)


def _advance(rng: random.Random, user: User, inspection_id: int, on: dt.date, today: dt.date) -> None:
    """Older violations went through the whole procedure; recent ones are still open."""
    for violation in Violation.objects.filter(inspection_id=inspection_id).select_related("inspection", "employer__commune"):
        age_days = (today - on).days
        deadline = on + dt.timedelta(days=30)
        v = services.violation_confirm(user=user, violation=violation, version=violation.version, remedy_deadline=deadline)
        if age_days < 60 or v.fine_min is None or v.fine_max is None:
            continue
        step = 500_000
        amount = v.fine_min + step * rng.randint(0, (v.fine_max - v.fine_min) // step)
        decided = on + dt.timedelta(days=rng.randint(7, 20))
        v = services.violation_penalise(
            user=user, violation=v, version=v.version,
            decision_number=f"{rng.randint(10, 250)}/QĐ-XPHC", decision_date=decided, fine_amount=amount,
        )
        if age_days > 120 and rng.random() < 0.8:
            services.violation_remedy(user=user, violation=v, version=v.version, remedied_on=deadline)
