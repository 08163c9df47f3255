"""Demo data of Triệu Sơn (Thanh Hóa): users per role, villages and denominators."""

from __future__ import annotations

import importlib
import random
import secrets
from dataclasses import dataclass

from django.db import transaction

from clms.accounts.models import Agency, Role, User
from clms.places.models import (
    AdminUnit,
    Denominator,
    DenominatorGroup,
    DenominatorSource,
    Level,
    Scheme,
)
from clms.places.services import units_load_province

PROVINCE_CODE = "38"
DISTRICT_CODE = "397"  # Huyện Triệu Sơn before 1 July 2025
DEMO_COMMUNE = "15715"  # Xã Tân Ninh, formed from Vân Sơn, Thái Hòa and Nưa
VILLAGE_NAMES = ["Thôn 1", "Thôn 2", "Thôn 3", "Thôn 4", "Thôn 5", "Thôn 6"]


# role, username, full name, area key (see demo_setup), agency
DEMO_USERS: list[tuple[str, str, str, str | None, str]] = [
    (Role.COLLABORATOR, "ctv.tanninh", "Lê Thị Hoa", "village", ""),
    (Role.COMMUNE_OFFICER, "canbo.tanninh", "Nguyễn Thị Lan", "commune", ""),
    (Role.COMMUNE_OFFICER, "canbo.trieuson", "Trần Văn Bình", "commune2", ""),
    (Role.SUPERVISOR, "soyte.thanhhoa", "Phạm Văn Dũng", "province", ""),
    (Role.SUPERVISOR, "ldtbxh.trieuson", "Hoàng Thị Mai", "district", ""),
    (Role.AGENCY_OFFICER, "giaoduc.thanhhoa", "Đỗ Văn Hải", "province", Agency.EDUCATION),
    (Role.PROVINCE_VIEWER, "xem.thanhhoa", "Vũ Thị Thu", "province", ""),
    (Role.ADMIN, "quantri", "Quản trị hệ thống", None, ""),
]


@dataclass(frozen=True)
class DemoLogin:
    role: str
    username: str
    password: str


def _post_commune(code: str) -> AdminUnit:
    return AdminUnit.objects.get(scheme=Scheme.POST_2025, level=Level.COMMUNE, code=code)


def trieu_son_communes() -> list[AdminUnit]:
    """The 8 communes formed on 1 July 2025 from the 32 of Triệu Sơn district."""
    district = AdminUnit.objects.get(scheme=Scheme.PRE_2025, level=Level.DISTRICT, code=DISTRICT_CODE)
    return list(
        AdminUnit.objects.filter(
            scheme=Scheme.POST_2025, predecessors__parent=district
        ).distinct().order_by("code")
    )


def _ensure_villages(communes: list[AdminUnit]) -> None:
    for commune in communes:
        existing = set(commune.children.filter(level=Level.VILLAGE).values_list("name", flat=True))
        for name in VILLAGE_NAMES:
            if name in existing:
                continue
            village = AdminUnit.objects.create(
                scheme=Scheme.LOCAL, level=Level.VILLAGE, name=name, short_name=name,
                unit_type="Thôn", parent=commune, valid_from=commune.valid_from,
            )
            village.path = f"{commune.path}{village.pk}/"
            village.save(update_fields=["path"])


def _ensure_denominators(rng: random.Random, communes: list[AdminUnit]) -> None:
    district = AdminUnit.objects.get(scheme=Scheme.PRE_2025, level=Level.DISTRICT, code=DISTRICT_CODE)
    old_communes = list(AdminUnit.objects.filter(parent=district, level=Level.COMMUNE))
    rows = []
    for unit_list, years in ((old_communes, range(2021, 2025)), (communes, range(2025, 2027))):
        for unit in unit_list:
            size = 4 if unit.scheme == Scheme.POST_2025 else 1
            children = rng.randint(1400, 2600) * size
            for year in years:
                kids = int(children * (1 + 0.01 * (year - 2021)))
                boys = kids * 51 // 100
                values = {
                    DenominatorGroup.CHILDREN_5_17: kids,
                    DenominatorGroup.CHILDREN_5_17_MALE: boys,
                    DenominatorGroup.CHILDREN_5_17_FEMALE: kids - boys,
                    DenominatorGroup.CHILDREN_5_11: kids * 52 // 100,
                    DenominatorGroup.CHILDREN_12_14: kids * 24 // 100,
                    DenominatorGroup.CHILDREN_15_17: kids - kids * 52 // 100 - kids * 24 // 100,
                    DenominatorGroup.TEACHERS: kids // 18,
                    DenominatorGroup.PARENTS: kids * 14 // 10,
                    DenominatorGroup.ENTERPRISES: rng.randint(3, 25) * size,
                    DenominatorGroup.COOPERATIVES: rng.randint(1, 4) * size,
                    DenominatorGroup.CRAFT_HOUSEHOLDS: rng.randint(0, 120) * size,
                    DenominatorGroup.OFFICIALS: rng.randint(4, 8) * size,
                }
                for group, value in values.items():
                    rows.append(Denominator(unit=unit, year=year, group=group, value=value, source=DenominatorSource.ENTERED))
    Denominator.objects.bulk_create(rows, ignore_conflicts=True)


def _user(role: str, username: str, full_name: str, area: AdminUnit | None, agency: str = "") -> DemoLogin:
    password = secrets.token_urlsafe(9)
    user, _created = User.objects.get_or_create(username=username)
    user.full_name = full_name
    user.role = role
    user.area = area
    user.agency = agency
    user.is_staff = role == Role.ADMIN
    user.is_superuser = role == Role.ADMIN
    user.set_password(password)
    user.save()
    return DemoLogin(role, username, password)


# Apps fill their own demo records, in dependency order (employers before the children
# found working for them, children before their cases).
DEMO_APPS = ("employers", "people", "cases", "plans", "outreach")


def _fill_apps(rng: random.Random, communes: list[AdminUnit]) -> None:
    users = {u.username: u for u in User.objects.filter(username__in=[x[1] for x in DEMO_USERS])}
    for app in DEMO_APPS:
        try:
            module = importlib.import_module(f"clms.{app}.demo")
        except ModuleNotFoundError:
            continue
        module.demo_fill(rng=rng, communes=communes, users=users)


@transaction.atomic
def demo_setup(seed: int = 2021) -> list[DemoLogin]:
    units_load_province(province_code=PROVINCE_CODE)
    rng = random.Random(seed)  # noqa: S311 - reproducible demo figures, not secrets
    communes = trieu_son_communes()
    _ensure_villages(communes)
    _ensure_denominators(rng, communes)
    province = AdminUnit.objects.get(level=Level.PROVINCE, code=PROVINCE_CODE)
    district = AdminUnit.objects.get(scheme=Scheme.PRE_2025, level=Level.DISTRICT, code=DISTRICT_CODE)
    commune = _post_commune(DEMO_COMMUNE)
    village = commune.children.filter(level=Level.VILLAGE).order_by("name").first()
    areas = {
        "village": village,
        "commune": commune,
        "commune2": _post_commune("15664"),
        "province": province,
        "district": district,
        None: None,
    }
    logins = [
        _user(role, username, full_name, areas[area], agency) for role, username, full_name, area, agency in DEMO_USERS
    ]
    # Running the demo again keeps its records and only issues new passwords.
    if not _has_records():
        _fill_apps(rng, communes)
    return logins


def _has_records() -> bool:
    try:
        from clms.people.models import Child
    except ImportError:
        return False
    return Child.objects.exists()
