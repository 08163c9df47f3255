"""A small district with hand-countable records for every indicator (test_exactness.py
derives each expected figure from it).

Units (tests.base): province P; before the reform district D with communes A1, A2, B1;
from 1 July 2025 commune A (A1 + A2 merged) and B (from B1).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from clms.cases.models import State
from clms.people.models import Child
from clms.people.services import child_create, observation_record
from clms.places.models import AdminUnit
from tests.indicators.factories import (
    ActivityFactory,
    CaseFactory,
    EmployerFactory,
    StepFactory,
    attendee,
    denominators,
    event,
    local,
    reach,
    set_register,
    visit,
)

LIGHT = dict(activity="EMPLOYED", job_code="TT09.II.04", hours_per_day=5, days_per_week=5)
WELDING = dict(activity="EMPLOYED", job_code="LC147.1.e", hours_per_day=8, days_per_week=5)
SHORT = dict(activity="EMPLOYED", workplace_code="LC147.2.b", hours_per_day=3, days_per_week=2)


class FixtureNames:
    """The records a test refers to by name (set by ``build``)."""

    lan: Child
    mai: Child
    hoa: Child
    nam: Child
    binh: Child
    tuan: Child
    case1: Any
    case2: Any
    case3: Any
    case4: Any
    case5: Any


def build(t: Any) -> None:
    """Create the records on ``t`` (a PersonaTestCase class); names are kept on ``t``."""
    user = t.supervisor

    def child(name: str, dob: dt.date, commune: AdminUnit, sex: str) -> Child:
        return child_create(user=user, commune=commune, full_name=name, sex=sex, dob=dob)

    def observe(c: Child, day: dt.date, what: dict[str, Any]) -> None:
        observation_record(user=user, child=c, observed_on=day, **what)

    # --- population figures ---------------------------------------------------------------
    denominators(2021, {t.a1: {"children_5_17": 400}, t.a2: {"children_5_17": 600}, t.b1: {"children_5_17": 300}})
    denominators(2025, {
        t.a1: {"children_5_17": 400, "children_5_17_m": 200, "children_5_17_f": 200},
        t.a2: {"children_5_17": 600, "children_5_17_m": 320, "children_5_17_f": 280},
        t.b1: {},
        t.commune_a: {"teachers": 50, "officials": 10, "parents": 200, "enterprises": 20, "cooperatives": 5,
                      "craft_households": 25},
        t.commune_b: {"children_5_17": 300, "officials": 8},
    })
    denominators(2025, {t.commune_b: {"teachers": 40}}, source="derived")

    # --- 2021, the baseline -----------------------------------------------------------------
    t.x = child("Lê Văn Xuân", dt.date(2005, 1, 1), t.a1, "M")
    observe(t.x, dt.date(2021, 6, 1), WELDING)
    t.y = child("Lê Thị Yến", dt.date(2007, 3, 1), t.a1, "F")
    observe(t.y, dt.date(2021, 6, 1), LIGHT)
    t.z = child("Lê Thị Diệu", dt.date(2007, 5, 1), t.a1, "F")
    observe(t.z, dt.date(2021, 6, 1), LIGHT)
    t.u = child("Hà Văn Uy", dt.date(2005, 2, 1), t.b1, "M")
    observe(t.u, dt.date(2021, 7, 1), WELDING)
    t.v = child("Hà Văn Vũ", dt.date(2005, 3, 1), t.b1, "M")
    observe(t.v, dt.date(2021, 7, 1), WELDING)

    # --- 2025 -------------------------------------------------------------------------------
    # A1, before the merger: a 14-year-old girl in a light job 5 h a day.
    t.lan = child("Lê Thị Lan", dt.date(2011, 5, 1), t.a1, "F")
    observe(t.lan, dt.date(2025, 6, 1), LIGHT)
    # A2: welding at 17 in March, welding again in September after her 18th birthday.
    t.mai = child("Đỗ Thị Mai", dt.date(2007, 6, 15), t.a2, "F")
    observe(t.mai, dt.date(2025, 3, 1), WELDING)
    observe(t.mai, dt.date(2025, 9, 1), WELDING)
    # A, after the merger: worked in August, stopped by October.
    t.hoa = child("Trần Thị Hoa", dt.date(2012, 1, 1), t.commune_a, "F")
    observe(t.hoa, dt.date(2025, 8, 1), SHORT)
    observe(t.hoa, dt.date(2025, 10, 1), {"activity": "NONE"})
    # B: a 16-year-old welder seen on 31 December, and a 14-year-old in a light job.
    t.nam = child("Phạm Văn Nam", dt.date(2009, 2, 2), t.commune_b, "M")
    observe(t.nam, dt.date(2025, 12, 31), WELDING)
    t.binh = child("Phạm Văn Bình", dt.date(2011, 3, 3), t.commune_b, "M")
    observe(t.binh, dt.date(2025, 5, 5), LIGHT)
    # B1 in December 2024: not a 2025 figure.
    t.tuan = child("Hà Văn Tuấn", dt.date(2010, 7, 1), t.b1, "M")
    observe(t.tuan, dt.date(2024, 12, 20), LIGHT)

    set_register(t.lan, status="child_labour", school="attending")
    set_register(t.hoa, status="at_risk", school="dropped_out")
    visit(t.hoa, dt.date(2025, 11, 20), "attending")
    set_register(t.nam, status="child_labour", school="dropped_out")
    visit(t.nam, dt.date(2026, 1, 5), "attending")
    set_register(t.binh, status="child_labour", school="vocational")
    set_register(t.tuan, status="monitored", school="attending")
    set_register(t.mai, status="child_labour", school="dropped_out")

    # --- cases ------------------------------------------------------------------------------
    def case(c: Child, received: dt.datetime, **kw: Any) -> Any:
        return CaseFactory.create(child=c, received_at=received, filed_by=user, **kw)

    t.case1 = case(t.lan, local(2025, 3, 1, 10, 0), commune=t.a1, state=State.MONITORING)
    StepFactory.create(case=t.case1, step="initial_assessment", due_at=local(2025, 3, 1, 22), done_at=local(2025, 3, 1, 15))
    StepFactory.create(case=t.case1, step="verification", due_at=local(2025, 3, 4, 17), done_at=local(2025, 3, 4, 9))
    event(t.case1, State.MONITORING, local(2025, 6, 1, 9))
    StepFactory.create(case=t.case1, step="follow_up", due_at=local(2025, 7, 1), done_at=local(2025, 6, 25),
                       created_at=local(2025, 6, 1, 9))
    StepFactory.create(case=t.case1, step="follow_up", due_at=local(2026, 1, 10), created_at=local(2025, 12, 11))
    # Received at 23:30 on 31 December 2025, local time (16:30 UTC): a 2025 case.  Its first
    # step falls due on 1 January 2026, after the period it is judged at.
    t.case2 = case(t.hoa, local(2025, 12, 31, 23, 30))
    StepFactory.create(case=t.case2, step="initial_assessment", due_at=local(2026, 1, 1, 11, 30))
    t.case3 = case(t.nam, local(2025, 6, 1, 8), state=State.MONITORING)
    StepFactory.create(case=t.case3, step="verification", due_at=local(2025, 6, 3, 17), done_at=local(2025, 6, 5, 10))
    event(t.case3, State.MONITORING, local(2025, 9, 1))
    StepFactory.create(case=t.case3, step="follow_up", due_at=local(2025, 10, 1), created_at=local(2025, 9, 1))
    # 18:00 UTC on 31 December 2024 is 01:00 on 1 January 2025 in Vietnam: a 2025 case.
    t.case4 = case(t.binh, dt.datetime(2024, 12, 31, 18, 0, tzinfo=dt.UTC), state=State.MONITORING)
    StepFactory.create(case=t.case4, step="verification", due_at=local(2025, 1, 3, 17), done_at=local(2025, 1, 2, 9))
    event(t.case4, State.INTERVENING, local(2025, 2, 1))
    event(t.case4, State.MONITORING, local(2026, 1, 15))
    # 16:30 UTC on 31 December 2024 is 23:30 that day in Vietnam: a 2024 case.
    t.case5 = case(t.tuan, dt.datetime(2024, 12, 31, 16, 30, tzinfo=dt.UTC), commune=t.b1, state=State.CLOSED)
    StepFactory.create(case=t.case5, step="verification", due_at=local(2025, 1, 3), done_at=local(2025, 1, 20))
    event(t.case5, State.MONITORING, local(2025, 3, 1))
    event(t.case5, State.CLOSED, local(2025, 11, 1))

    # --- outreach ---------------------------------------------------------------------------
    t.e1, t.e2 = EmployerFactory.create(commune=t.a1), EmployerFactory.create(commune=t.commune_a)
    t1 = ActivityFactory.create(unit=t.a1, starts_on=dt.date(2025, 4, 10))
    reach(t1, officials=6, enterprises=1)
    for name in ("Nguyễn Văn An", "Nguyễn văn An", "Trần Thị Bích", "Lê Văn Cường", "Phạm Thị Dung"):
        attendee(t1, "officials", name=name, position="Công chức văn hóa - xã hội")
    attendee(t1, "enterprises", employer=t.e1)
    t2 = ActivityFactory.create(unit=t.commune_a, starts_on=dt.date(2025, 9, 10))
    reach(t2, officials=2, enterprises=3)
    attendee(t2, "officials", name="Trần Thị Bích", position="Công chức văn hóa - xã hội")
    attendee(t2, "officials", name="Hoàng Văn Em", position="Công an xã")
    attendee(t2, "enterprises", employer=t.e1)
    attendee(t2, "enterprises", employer=t.e2)
    c1 = ActivityFactory.create(kind="campaign", unit=t.village_a, starts_on=dt.date(2025, 6, 12))
    reach(c1, teachers=30, parents=150, children=400, craft_households=12)
    c2 = ActivityFactory.create(kind="event", unit=t.commune_b, starts_on=dt.date(2025, 6, 1))
    reach(c2, teachers=45)
    c3 = ActivityFactory.create(kind="event", unit=t.commune_b, starts_on=dt.date(2025, 10, 1), status="planned")
    reach(c3, teachers=100)
    c4 = ActivityFactory.create(kind="campaign", unit=t.commune_b, starts_on=dt.date(2024, 6, 12))
    reach(c4, teachers=10)
