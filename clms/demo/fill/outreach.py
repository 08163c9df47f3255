"""Demo outreach of the 8 Triệu Sơn communes, 2021-2026: campaigns, trainings with lists, broadcasts."""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from clms.employers.models import Employer
from clms.outreach.models import (
    ActivityKind,
    ActivityStatus,
    Attendee,
    BroadcastChannel,
    OutreachActivity,
    PeakPeriod,
    PrintedQuantity,
    Reach,
)
from clms.outreach.services import EMPLOYER_GROUPS
from clms.places.models import REFORM_DATE, AdminUnit, Succession
from clms.plans.models import ContentArea
from clms.rules import fold

OFFICIALS = [
    ("Nguyễn Thị Lan", "Công chức Văn hóa - Xã hội"),
    ("Lê Văn Thắng", "Phó Chủ tịch UBND xã"),
    ("Trịnh Thị Huyền", "Bí thư Đoàn xã"),
    ("Phạm Văn Long", "Trưởng Công an xã"),
    ("Hoàng Thị Nga", "Chủ tịch Hội Phụ nữ xã"),
    ("Đỗ Văn Quang", "Công chức Tư pháp - Hộ tịch"),
]


def _main_predecessor(commune: AdminUnit) -> AdminUnit:
    link = Succession.objects.filter(successor=commune, is_main=True).select_related("predecessor").order_by("predecessor__name").first()
    return link.predecessor if link else commune


def demo_fill(*, rng: random.Random, communes: list[AdminUnit], users: dict[str, Any]) -> None:
    if OutreachActivity.objects.filter(unit__in=communes).exists():
        return  # already filled
    today = dt.date.today()  # noqa: DTZ011 - local calendar date
    peaks = {p.code: p for p in PeakPeriod.objects.all()}
    areas = {a.code: a for a in ContentArea.objects.filter(plan__key="kh-trieu-son-2021")}
    author = users.get("canbo.tanninh")

    def add(unit: AdminUnit, day: dt.date, kind: str, title: str, reach: dict[str, int], **extra: Any) -> OutreachActivity:
        extra.setdefault("content_area", areas.get("III.2"))
        activity = OutreachActivity.objects.create(
            unit=unit, starts_on=day, kind=kind, title=title, created_by=author,
            status=ActivityStatus.PLANNED if day > today else ActivityStatus.HELD, **extra,
        )
        if day <= today:
            Reach.objects.bulk_create([Reach(activity=activity, group=g, count=c) for g, c in reach.items() if c])
        return activity

    for commune in communes:
        old = _main_predecessor(commune)
        employers = list(Employer.objects.filter(commune__in=[commune, old])[:6])
        for year in range(2021, 2027):
            def unit_on(day: dt.date, new: AdminUnit = commune, before: AdminUnit = old) -> AdminUnit:
                return new if day >= REFORM_DATE else before

            may_day = dt.date(year, 5, 1)
            add(unit_on(may_day), may_day, ActivityKind.CAMPAIGN, "Tuyên truyền nhân Ngày Quốc tế Lao động",
                {"parents": rng.randint(80, 300), "enterprises": rng.randint(2, 12)},
                peak_period=peaks["international-labour-day"], lead_agency="labour_federation")
            june = dt.date(year, 6, 12)
            add(unit_on(june), june, ActivityKind.CAMPAIGN, "Mít tinh hưởng ứng Ngày Thế giới phòng, chống lao động trẻ em",
                {"children": rng.randint(150, 600), "parents": rng.randint(100, 400), "teachers": rng.randint(20, 60)},
                peak_period=peaks["world-day-against-child-labour"], lead_agency="labour")
            june_1 = dt.date(year, 6, 1)
            add(unit_on(june_1), june_1, ActivityKind.BROADCAST, "Phát thanh chuyên mục Tháng hành động vì trẻ em",
                {"parents": rng.randint(200, 900)}, peak_period=peaks["action-month-for-children"],
                channel=BroadcastChannel.LOUDSPEAKER, broadcasts=rng.randint(8, 20), lead_agency="culture")
            printed = add(unit_on(june_1), june_1, ActivityKind.PRINTED, "Phát tờ rơi, treo băng-zôn tuyên truyền", {},
                          peak_period=peaks["action-month-for-children"])
            PrintedQuantity.objects.bulk_create([
                PrintedQuantity(activity=printed, product="leaflet", quantity=rng.randint(300, 1500)),
                PrintedQuantity(activity=printed, product="banner", quantity=rng.randint(2, 8)),
            ])
            sept = dt.date(year, 9, rng.randint(5, 25))
            add(unit_on(sept), sept, ActivityKind.TRAINING, "Tập huấn kiến thức phòng ngừa lao động trẻ em cho giáo viên",
                {"teachers": rng.randint(25, 70)}, lead_agency="education", content_area=areas.get("III.1"))
            if year in (2023, 2026):
                # Trainings with attendance lists: the same officials come back, counted once.
                for month in (4, 10):
                    day = dt.date(year, month, 15)
                    training = add(unit_on(day), day, ActivityKind.TRAINING,
                                   "Tập huấn kỹ năng phát hiện sớm, hỗ trợ trẻ em có nguy cơ", {},
                                   lead_agency="labour", content_area=areas.get("III.1"))
                    if day > today:
                        continue
                    rows = [
                        Attendee(activity=training, group="officials", full_name=name, name_folded=fold(name),
                                 position=position, position_folded=fold(position), person_unit=unit_on(day), created_by=author)
                        for name, position in rng.sample(OFFICIALS, 4)
                    ]
                    rows += [
                        Attendee(activity=training, group=EMPLOYER_GROUPS.get(e.kind, "other"), employer=e, created_by=author)  # type: ignore[call-overload]
                        for e in rng.sample(employers, min(3, len(employers)))
                    ]
                    Attendee.objects.bulk_create(rows)
                    counts: dict[str, int] = {}
                    for row in rows:
                        counts[row.group] = counts.get(row.group, 0) + 1
                    Reach.objects.bulk_create([Reach(activity=training, group=g, count=c) for g, c in counts.items()])
        # Scheduled for the coming weeks, so the calendar has something ahead.
        soon = today + dt.timedelta(days=rng.randint(3, 25))
        add(commune, soon, ActivityKind.EVENT, "Hội nghị sơ kết công tác bảo vệ trẻ em cuối năm", {}, lead_agency="culture")
