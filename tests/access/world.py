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

from django.apps import apps
from django.core.exceptions import FieldError
from django.utils import timezone

from clms.accounts.models import Agency, Role, User
from clms.cases.models import Case, Referral, Report, Source
from clms.cases.services import report_file
from clms.demo import setup as demo
from clms.people.models import Child, Household, WorkObservation
from clms.places.models import AdminUnit, Level, Scheme
from clms.places.paths import unit_save
from clms.places.services import units_load_province
from clms.plans import selectors as plan_selectors
from clms.plans import services as plan_services
from clms.plans.models import PlanLevel
from clms.rules import fold
from tests.reports.factories import PeriodFactory, SubmissionFactory

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

# Records that belong to an area without being a child's personal data (an employer, an
# inspection, a plan, a report submission, …).  The world holds one in each place of
# AREA_PLACES (the demo's own record, and a copy of it in every foreign kind of place); the
# matrix probes each route on each of them.  label -> None
AREA_MODELS = (
    "employers.Employer", "employers.CraftVillage", "employers.Commitment", "employers.Inspection",
    "employers.Violation", "employers.FoundChild", "outreach.OutreachActivity", "plans.Plan",
    "plans.PlanAgency", "plans.Task", "plans.BudgetLine", "plans.PilotModel",
    "reports.ReportingPeriod", "reports.Submission", "surveys.SurveyRound",
)
AREA_PLACES = ("own", "absorbed", "split", "other_commune", "other_province")
AREA_MARK = "Vạnđáo"  # in the names and titles of the copies: a list that shows one leaks it

# Whose area records each persona may read: the officers their commune (with the old communes
# it absorbed), the pre-2025 district's supervisor its old communes, everyone province-wide
# the province.  Roles a route refuses outright get 403 wherever the record lies.
AREA_VISIBLE: dict[str, frozenset[str]] = {
    "collaborator": frozenset({"own", "absorbed"}),
    "commune_officer": frozenset({"own", "absorbed"}),
    "other_officer": frozenset({"other_commune"}),
    "split_officer": frozenset(),
    "supervisor": frozenset({"own", "absorbed", "split", "other_commune"}),
    "district_supervisor": frozenset({"absorbed"}),
    "agency_officer": frozenset({"own", "absorbed", "split", "other_commune"}),
    "province_viewer": frozenset({"own", "absorbed", "split", "other_commune"}),
    "admin": frozenset(AREA_PLACES),
}


# A plan is the territory's public document: a commune reads the plans of every commune it
# came from, the part of a split one included (docs/ACCESS.md), while a split commune's
# registers, employers and reports stay with its main successor.
PLAN_MODELS = frozenset({"plans.Plan", "plans.PlanAgency", "plans.Task"})


def area_visible(label: str, persona: str) -> frozenset[str]:
    """The places whose ``label`` records ``persona`` may read."""
    if label in PLAN_MODELS and persona == "split_officer":
        return frozenset({"split"})
    return AREA_VISIBLE[persona]


def area_name(place: str, label: str) -> str:
    """The name or title of ``label``'s copy in ``place`` (the model in it, so that a plan a
    persona may read and an employer it may not are told apart)."""
    return f"{AREA_MARK} {place.replace('_', ' ').title().replace(' ', '')} {label.split('.')[1]}."


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
    # label -> place -> pk of the area record probed there
    area: dict[str, dict[str, int]] = field(default_factory=dict)


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
    _build_area_records(w, place_units)
    return w


def _own_area_records(w: World) -> tuple[dict[str, Any], set[str]]:
    """The own commune's record of each area model: the demo's, or made here where the demo
    has none (a commune plan, a report period and the commune's submission); and the labels
    whose record found lies elsewhere (the first of the table: it is copied into the commune)."""
    own, officer = w.units["own"], w.users["commune_officer"]
    year = timezone.localdate().year
    parent = plan_selectors.parent_for_commune_plan(own, year)
    assert parent is not None  # noqa: S101 - the shipped plans cover Thanh Hóa
    plan = plan_selectors.commune_plan(own, year) or plan_services.commune_plan_create(
        user=officer, commune=own, parent=parent, number="", issued_on=None, targets=[])
    period = PeriodFactory.create(receiver=w.units["province"], year=year - 1)
    records: dict[str, Any] = {
        "plans.Plan": plan, "reports.ReportingPeriod": period,
        "reports.Submission": SubmissionFactory.create(period=period, unit=own),
    }
    elsewhere: set[str] = set()
    for label in AREA_MODELS:
        if label in records:
            continue
        qs = apps.get_model(label)._default_manager.order_by("pk")
        for path in ("commune", "unit", "scope_unit", "employer__commune", "employers__commune",
                     "inspection__employers__commune", "plan__scope_unit", "agency__plan__scope_unit"):
            try:
                found = qs.filter(**{path: own}).first()
            except FieldError:
                continue
            if found is not None:
                records[label] = found
                break
        else:
            first = qs.first()
            if first is not None:
                records[label] = first
                elsewhere.add(label)
    return records, elsewhere


def _build_area_records(w: World, place_units: dict[str, tuple[AdminUnit, AdminUnit | None]]) -> None:
    """Copy each own area record into every foreign kind of place, parents first (a copied
    inspection names the copied employer of its place, a copied task the copied plan agency)."""
    own, elsewhere = _own_area_records(w)
    receivers = {"own": w.units["province"], "absorbed": w.units["district"], "other_province": w.units["far_province"]}
    copies: dict[tuple[str, str], Any] = {}
    people: dict[str, dict[str, Any]] = {
        "people.Child": w.children, "people.Household": w.households, "people.WorkObservation": w.observations,
    }

    def copy(label: str, place: str) -> Any:
        if (label, place) in copies:
            return copies[(label, place)]
        if place == "own" and label not in elsewhere:
            return own[label]
        model = apps.get_model(label)
        obj = model._default_manager.get(pk=own[label].pk)
        m2m = {f.name: list(getattr(obj, f.name).all()) for f in model._meta.many_to_many
               if f.related_model._meta.label in AREA_MODELS}
        obj.pk = None
        obj._state.adding = True
        commune, village = place_units[place]
        for f in model._meta.concrete_fields:
            if f.primary_key or not f.is_relation and not f.unique and f.name not in ("name", "title"):
                continue
            related = f.related_model._meta.label if f.is_relation else ""
            if related == "places.AdminUnit":
                if f.name == "receiver":
                    if place not in receivers:
                        return None
                    obj.receiver = receivers[place]
                elif f.name == "village":
                    obj.village = village
                elif getattr(obj, f.attname) is not None:
                    setattr(obj, f.name, commune)
            elif related in people and getattr(obj, f.attname) is not None:
                # A found child, a violation's observation: the marked child of that place.
                setattr(obj, f.name, people[related][place])
            elif related in AREA_MODELS and related != label and getattr(obj, f.attname) is not None:
                parent = copy(related, place)
                if parent is not None:  # no such place for the parent: keep the own one
                    setattr(obj, f.name, parent)
            elif f.unique and not f.is_relation:
                setattr(obj, f.attname, None if f.null else f"{AREA_MARK}-{place}-{label}")
            elif f.name in ("name", "title"):
                setattr(obj, f.name, area_name(place, label))
        if hasattr(obj, "name_folded"):
            obj.name_folded = fold(obj.name)
        if label == "plans.Plan":
            obj.scope_level = PlanLevel.COMMUNE
            obj.scope_code = commune.code
        obj.save()
        for name, values in m2m.items():
            getattr(obj, name).set([copy(v._meta.label, place) or v for v in values])
        copies[(label, place)] = obj
        return obj

    for label in AREA_MODELS:
        if label not in own:
            continue
        w.area[label] = {"own": copy(label, "own").pk}
        for place in AREA_PLACES[1:]:
            made = copy(label, place)
            if made is not None:
                w.area[label][place] = made.pk
