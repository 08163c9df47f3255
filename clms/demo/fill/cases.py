"""Demo cases of Triệu Sơn: reports and cases in every state, with realistic timings.

Every write goes through the services; the services read the clock, so each step is run
with the clock set to the moment it would have happened (``_clock``), which is what gives
the demo its history of timely, late and overdue steps.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any
from unittest import mock

from django.db import transaction
from django.utils import timezone

from clms.accounts.models import Agency, Role, User
from clms.cases import services
from clms.cases.models import Case, Referral, Source, State
from clms.people.models import Child
from clms.places.models import AdminUnit, Level

TARGETS = [
    State.REPORTED, State.VERIFYING, State.ASSESSED, State.PLANNED, State.INTERVENING, State.MONITORING,
    State.CLOSED, State.NOT_CONFIRMED, State.REPORTED, State.MONITORING,
]
DEMO_NAMES = [
    ("Lê Văn An", "M"), ("Nguyễn Thị Bình", "F"), ("Trần Văn Cường", "M"), ("Phạm Thị Dung", "F"),
    ("Hoàng Văn Em", "M"), ("Vũ Thị Giang", "F"), ("Đỗ Văn Hùng", "M"), ("Bùi Thị Khánh", "F"),
]
WHAT_SEEN = [
    "Em bốc vác gạch ở lò gạch của thôn từ sáng đến tối, không đi học.",
    "Em phụ bán hàng ở chợ đến 23 giờ hằng ngày.",
    "Em làm thuê ở xưởng mộc, tiếp xúc bụi gỗ và máy cưa.",
    "Em chăn trâu thuê và nghỉ học từ đầu năm học.",
    "Em phụ việc ở quán ăn, có dấu hiệu bị đánh.",
]


@contextmanager
def _clock(moment: dt.datetime) -> Iterator[None]:
    with mock.patch.object(timezone, "now", return_value=moment):
        yield


def _officer_for(commune: AdminUnit, users: dict[str, Any]) -> User:
    for user in users.values():
        if user.role == Role.COMMUNE_OFFICER and user.area_id == commune.pk:
            return user
    return next(u for u in users.values() if u.is_superuser)


def _children(rng: random.Random, commune: AdminUnit, officer: User) -> list[Child]:
    children = list(Child.objects.filter(commune=commune, merged_into__isnull=True).order_by("pk")[:10])
    if children:
        return children
    from clms.people.services import child_create

    villages = list(commune.children.filter(level=Level.VILLAGE))
    today = timezone.localdate()
    return [
        child_create(
            user=officer, commune=commune, village=rng.choice(villages) if villages else None, full_name=name,
            sex=sex, dob=dt.date(today.year - rng.randint(10, 15), rng.randint(1, 12), rng.randint(1, 28)),
        )
        for name, sex in DEMO_NAMES
    ]


def _v(case: Case) -> int:
    case.refresh_from_db()
    return case.version


def _run_case(rng: random.Random, *, child: Child, target: str, officer: User, agency: User | None,
              now: dt.datetime) -> None:
    ages: dict[str, int] = {
        State.REPORTED: rng.choice([0, 1, 4]), State.NOT_CONFIRMED: 20, State.CLOSED: 150,
        State.MONITORING: rng.choice([45, 60, 120]),
    }
    age_days = ages.get(target, 100)
    received = now - dt.timedelta(days=age_days, hours=rng.randint(1, 10))
    emergency = rng.random() < 0.2
    with _clock(received + dt.timedelta(minutes=30)):
        report = services.report_file(
            user=officer, source=rng.choice([Source.COLLABORATOR, Source.SCHOOL, Source.HOTLINE, Source.COMMUNE]),
            received_at=received, what_seen=rng.choice(WHAT_SEEN), emergency=emergency, children=[child],
            reporter_name=rng.choice(["Bà Nguyễn Thị Hạnh", "Ông Lê Văn Tâm", ""]), reporter_relationship="Hàng xóm",
        )
    case = report.cases.first()
    if case is None or target == State.REPORTED:
        return
    moment = received + dt.timedelta(hours=rng.choice([3, 8, 20, 40]))  # sometimes later than 12 hours
    with _clock(moment):
        services.case_verify(user=officer, case=case, version=_v(case), initial_risk=rng.choice(["medium", "high"]),
                             initial_note="Đã gặp gia đình, xác định nguy cơ ban đầu.",
                             emergency_measures="Tách trẻ khỏi nơi làm việc, giao cho ông bà chăm sóc." if emergency else "")
    if target == State.NOT_CONFIRMED:
        with _clock(moment + dt.timedelta(days=1)):
            services.case_not_confirm(user=officer, case=case, version=_v(case), note="Trẻ chỉ phụ giúp gia đình ít giờ, không phải lao động trẻ em.")
        return
    if target == State.VERIFYING:
        return
    moment += dt.timedelta(days=rng.choice([1, 2, 4]))
    with _clock(moment):
        services.case_assess(user=officer, case=case, version=_v(case))
    if target == State.ASSESSED:
        return
    moment += dt.timedelta(days=rng.choice([1, 2, 3]))
    with _clock(moment):
        assessment = case.assessment
        assessment.refresh_from_db()
        services.assessment_save(
            user=officer, case=case, version=assessment.version, complete=True, risk_level="high",
            needs_meeting_on=timezone.localtime(moment).date(), child_state="Sức khỏe bình thường, gầy, mệt mỏi.",
            family="Hộ nghèo, bố mẹ đi làm ăn xa.", risks="Tiếp tục bỏ học và làm việc nặng.",
            school="Bỏ học từ học kỳ I.", needs="Trở lại trường, hỗ trợ sinh kế cho gia đình.",
            child_views="Em muốn đi học lại.", parent_views="Gia đình đồng ý nếu được hỗ trợ.",
        )
        services.plan_save(user=officer, case=case, version=None, goals="Em trở lại trường trong học kỳ này.",
                           drafted_on=timezone.localtime(moment).date())
        services.plan_service_add(user=officer, case=case, service_type="return_to_school", agency=Agency.EDUCATION,
                                  provider_unit=case.commune.parent or case.commune)
        services.plan_service_add(user=officer, case=case, service_type="livelihood", agency=Agency.LABOUR,
                                  provider_unit=case.commune)
    moment += dt.timedelta(days=rng.choice([2, 4, 8]))  # 8 days misses the statutory 5 working days
    with _clock(moment):
        services.case_plan(user=officer, case=case, version=_v(case))
    if target == State.PLANNED:
        return
    moment += dt.timedelta(days=rng.choice([1, 2]))
    with _clock(moment):
        services.case_approve_plan(user=officer, case=case, version=_v(case), approved_on=timezone.localtime(moment).date(),
                                   decision_number=f"{rng.randint(10, 250)}/QĐ-UBND", approver_name="Chủ tịch UBND xã")
        services.case_start_intervention(user=officer, case=case, version=_v(case))
    if agency is not None:
        for referral in Referral.objects.filter(case=case, agency=agency.agency):
            with _clock(moment + dt.timedelta(days=7)):
                services.referral_answer(user=agency, referral=referral, version=referral.version, status="delivered",
                                         delivered_on=timezone.localtime(moment + dt.timedelta(days=6)).date())
    if target == State.INTERVENING:
        return
    moment += dt.timedelta(days=10)
    with _clock(moment):
        services.case_start_monitoring(user=officer, case=case, version=_v(case))
    visits = 2 if target == State.CLOSED else 1
    for _n in range(visits):
        moment += dt.timedelta(days=rng.choice([30, 35]))  # at least the 30-day follow-up interval
        if moment > now:
            break
        with _clock(moment):
            services.follow_up_record(user=officer, case=case, visited_on=timezone.localtime(moment).date(),
                                      still_working=False, school_status="attending", note="Em đi học đều.")
    if target == State.CLOSED:
        with _clock(moment + dt.timedelta(hours=2)):
            services.case_close(user=officer, case=case, version=_v(case), reason="no_longer_child_labour")


@transaction.atomic
def demo_fill(*, rng: random.Random, communes: list[AdminUnit], users: dict[str, Any]) -> None:
    now = timezone.now()
    agency = next((u for u in users.values() if u.role == Role.AGENCY_OFFICER and u.agency == Agency.EDUCATION), None)
    for index, commune in enumerate(communes):
        # Rotate the states so that communes with few registered children still show all of them.
        shift = (index * 3) % len(TARGETS)
        targets = TARGETS[shift:] + TARGETS[:shift]
        officer = _officer_for(commune, users)
        with_case = set(Case.objects.filter(commune=commune).values_list("child_id", flat=True))
        children = [c for c in _children(rng, commune, officer) if c.pk not in with_case]
        for child, target in zip(children, targets, strict=False):
            _run_case(rng, child=child, target=target, officer=officer, agency=agency, now=now)
