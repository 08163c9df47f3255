"""The world the authorization matrix probes: Thanh Hóa as loaded from the official lists,
the demo users and the apps' hand-made demo records for two communes, and one marked child
(with household, work observation and case) in each kind of place.

Places, seen from the commune officer of Xã Tân Ninh (the demo commune):
    own            Tân Ninh, its first village (where the collaborator works)
    other_village  Tân Ninh, another village
    absorbed       old Xã Vân Sơn (absorbed into Tân Ninh in 2025), no village
    split          old Phường Đông Thọ, split between Hạc Thành (main successor) and Hàm
                   Rồng, no village: Hạc Thành's child (docs/ACCESS.md)
    other_commune  Xã Triệu Sơn (the second demo commune)
    other_province a commune of another province

``VISIBLE`` is the hand-written truth of which place's child each role may read; the
matrix never asks the code under test who may see what.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone

from clms.accounts.models import Agency, Role, User
from clms.cases.models import Case, Referral, Report, Source
from clms.cases.services import report_file
from clms.demo import setup as demo
from clms.people.models import Child, Household, WorkObservation
from clms.places.models import AdminUnit, Level, Scheme
from clms.places.paths import unit_save
from clms.places.services import units_load_province
from clms.rules import fold

PLACES = ("own", "other_village", "absorbed", "split", "other_commune", "other_province")

# Personas of the matrix: the demo users plus the officer of Hàm Rồng (the non-main
# successor of split Đông Thọ).  role key -> (role, username)
PERSONAS: dict[str, tuple[str, str]] = {
    "collaborator": (Role.COLLABORATOR, "ctv.tanninh"),
    "commune_officer": (Role.COMMUNE_OFFICER, "canbo.tanninh"),
    "other_officer": (Role.COMMUNE_OFFICER, "canbo.trieuson"),
    "split_officer": (Role.COMMUNE_OFFICER, "canbo.hamrong"),
    "supervisor": (Role.SUPERVISOR, "soyte.thanhhoa"),
    "district_supervisor": (Role.SUPERVISOR, "ldtbxh.trieuson"),
    "agency_officer": (Role.AGENCY_OFFICER, "giaoduc.thanhhoa"),
    "province_viewer": (Role.PROVINCE_VIEWER, "xem.thanhhoa"),
    "admin": (Role.ADMIN, "quantri"),
}

# Which place's marked child each persona may read (the agency officer: only the child
# referred to his agency, by name and age on the referral).
VISIBLE: dict[str, frozenset[str]] = {
    "collaborator": frozenset({"own"}),
    "commune_officer": frozenset({"own", "other_village", "absorbed"}),
    "other_officer": frozenset({"other_commune"}),
    "split_officer": frozenset(),
    "supervisor": frozenset({"own", "other_village", "absorbed", "split", "other_commune"}),
    # The pre-2025 district's supervisor sees its old communes only.
    "district_supervisor": frozenset({"absorbed"}),
    "agency_officer": frozenset({"own"}),
    "province_viewer": frozenset(),
    "admin": frozenset(PLACES),
}

MARK = "Kínđáo"  # a word no generated or demo name contains


def child_name(place: str) -> str:
    return f"Đặng {MARK} {place.replace('_', ' ').title().replace(' ', '')}"


def household_name(place: str) -> str:
    return f"Đặng {MARK} Chủ Hộ {place}"


@dataclass
class World:
    users: dict[str, User] = field(default_factory=dict)
    units: dict[str, AdminUnit] = field(default_factory=dict)
    children: dict[str, Child] = field(default_factory=dict)
    households: dict[str, Household] = field(default_factory=dict)
    observations: dict[str, WorkObservation] = field(default_factory=dict)
    cases: dict[str, Case] = field(default_factory=dict)
    referrals: dict[str, Referral] = field(default_factory=dict)
    extra: dict[str, Any] = field(default_factory=dict)


def _commune(code: str) -> AdminUnit:
    return AdminUnit.objects.get(scheme=Scheme.POST_2025, level=Level.COMMUNE, code=code)


def _old(name: str) -> AdminUnit:
    return AdminUnit.objects.get(scheme=Scheme.PRE_2025, level=Level.COMMUNE, name=name)


def build_world() -> World:
    w = World()
    units_load_province(province_code=demo.PROVINCE_CODE)
    own = _commune(demo.DEMO_COMMUNE)
    other = _commune("15664")
    demo._ensure_villages([own, other])
    villages = list(own.children.filter(level=Level.VILLAGE).order_by("name"))
    province = AdminUnit.objects.get(level=Level.PROVINCE, code=demo.PROVINCE_CODE)
    district = AdminUnit.objects.get(scheme=Scheme.PRE_2025, level=Level.DISTRICT, code=demo.DISTRICT_CODE)
    ham_rong = AdminUnit.objects.get(scheme=Scheme.POST_2025, level=Level.COMMUNE, name="Phường Hàm Rồng")
    areas = {"village": villages[0], "commune": own, "commune2": other, "province": province,
             "district": district, None: None}
    for role, username, full_name, area, agency in demo.DEMO_USERS:
        demo._user(role, username, full_name, areas[area], agency)
    demo._user(Role.COMMUNE_OFFICER, "canbo.hamrong", "Lý Văn Rồng", ham_rong)
    w.users = {key: User.objects.get(username=username) for key, (_role, username) in PERSONAS.items()}

    far = unit_save(AdminUnit(scheme=Scheme.BOTH, level=Level.PROVINCE, code="99", name="Tỉnh Xa Xôi"))
    far_commune = unit_save(AdminUnit(scheme=Scheme.POST_2025, level=Level.COMMUNE, code="99001",
                                      name="Xã Biên Viễn", parent=far, valid_from=dt.date(2025, 7, 1)))
    far_village = unit_save(AdminUnit(scheme=Scheme.LOCAL, level=Level.VILLAGE, name="Bản Xa", parent=far_commune))
    w.units = {
        "own": own, "own_village": villages[0], "other_village": villages[1], "absorbed": _old("Xã Vân Sơn"),
        "split": _old("Phường Đông Thọ"), "other_commune": other, "other_province": far_commune,
        "far_village": far_village, "province": province, "far_province": far, "district": district,
    }

    demo._fill_apps(random.Random(2021), [own, other])  # noqa: S311 - reproducible test data

    place_units = {
        "own": (own, villages[0]), "other_village": (own, villages[1]), "absorbed": (w.units["absorbed"], None),
        "split": (w.units["split"], None), "other_commune": (other, other.children.order_by("name").first()),
        "other_province": (far_commune, far_village),
    }
    admin = w.users["admin"]
    now = timezone.now()
    for place, (commune, village) in place_units.items():
        name = child_name(place)
        household = Household.objects.create(commune=commune, village=village, head_name=household_name(place),
                                             head_name_folded=fold(household_name(place)))
        child = Child.objects.create(full_name=name, name_folded=fold(name), sex="F", dob=dt.date(2012, 3, 4),
                                     commune=commune, village=village, household=household)
        w.households[place] = household
        w.children[place] = child
        w.observations[place] = WorkObservation.objects.create(
            child=child, commune=commune, observed_on=dt.date(2026, 1, 10), activity="EMPLOYED"
        )
        report = report_file(user=admin, source=Source.COMMUNE, received_at=now - dt.timedelta(hours=2),
                             what_seen=f"Em {MARK} bốc vác", children=[child], commune=commune)
        w.cases[place] = Case.objects.get(report=report)
    for place, unit in (("own", province), ("other_province", far)):
        w.referrals[place] = Referral.objects.create(
            case=w.cases[place], service_type="education", agency=Agency.EDUCATION, provider_unit=unit, sent_at=now,
        )
    w.extra["reports"] = {p: Report.objects.get(cases=c) for p, c in w.cases.items()}
    return w
