"""Demo data of Triệu Sơn (Thanh Hóa): users per role, then the generator at district scale.

The register, cases, employers, outreach and population figures of the 40 communes (32
before the 2025 reform, 8 after) come from ``clms.demo.generator`` (about 5,000 children);
the apps' own ``demo_fill`` then add hand-made records through their services (cases run
step by step, inspections that find children, plan tasks and budget), so the demo shows
both volume and records made the way users make them.
"""

from __future__ import annotations

import importlib
import random
import secrets
from dataclasses import dataclass

from django.db import transaction

from clms.accounts.models import Agency, Role, User
from clms.demo.generator import generate
from clms.people.models import Child
from clms.places.models import AdminUnit, Level, Scheme
from clms.places.paths import unit_save
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
            unit_save(AdminUnit(
                scheme=Scheme.LOCAL, level=Level.VILLAGE, name=name, short_name=name,
                unit_type="Thôn", parent=commune, valid_from=commune.valid_from,
            ))


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
DEMO_APPS = ("employers", "people", "cases", "plans", "outreach", "surveys")


def _fill_apps(rng: random.Random, communes: list[AdminUnit]) -> None:
    users = {u.username: u for u in User.objects.filter(username__in=[x[1] for x in DEMO_USERS])}
    for app in DEMO_APPS:
        importlib.import_module(f"clms.demo.fill.{app}").demo_fill(rng=rng, communes=communes, users=users)


@transaction.atomic
def demo_setup(seed: int = 2021, children: int | None = None) -> list[DemoLogin]:
    """``children``: registered children of the generated district (default: the scale's
    ~5,000); the tests pass a few hundred."""
    units_load_province(province_code=PROVINCE_CODE)
    rng = random.Random(seed)  # noqa: S311 - reproducible demo figures, not secrets
    communes = trieu_son_communes()
    _ensure_villages(communes)
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
        generate(scale="district", seed=seed, children=children)
        _fill_apps(rng, communes)
    return logins


def _has_records() -> bool:
    return Child.objects.exists()
