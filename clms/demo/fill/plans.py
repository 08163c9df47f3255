"""Demo records of the plan for the 8 Triệu Sơn communes, 2021-2026."""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal
from typing import Any

from clms.places.models import AdminUnit, Succession
from clms.plans.models import (
    BudgetLine,
    ContentArea,
    FundingSource,
    PilotModel,
    PilotModelType,
    PilotStatus,
    Plan,
    PlanLevel,
    Task,
    TaskProgress,
    TaskStatus,
)
from clms.plans.services import TargetInput, commune_plan_create

TRIEU_SON = "kh-trieu-son-2021"
BUDGET_ITEMS = [
    ("III.2", "Tổ chức truyền thông Tháng hành động vì trẻ em"),
    ("III.2", "In ấn tờ rơi, pa-nô tuyên truyền phòng ngừa lao động trẻ em"),
    ("III.1", "Tập huấn cán bộ làm công tác trẻ em và cộng tác viên thôn"),
    ("III.3", "Hỗ trợ trẻ em có nguy cơ trở lại trường học"),
    ("III.4", "Kiểm tra các cơ sở sản xuất, hộ kinh doanh làng nghề"),
]
PILOT_NAMES = {
    1: "Tư vấn hướng nghiệp cho học sinh THCS có nguy cơ bỏ học",
    2: "Câu lạc bộ truyền thông quyền trẻ em",
    3: "Nhóm phát hiện sớm trẻ em có nguy cơ tại thôn",
    4: "Doanh nghiệp cam kết không sử dụng lao động trẻ em",
    5: "Hợp tác xã làng nghề không lao động trẻ em",
    6: "Truyền nghề an toàn cho trẻ em trong làng nghề",
}
PROGRESS = [
    (TaskStatus.IN_PROGRESS, "Đã triển khai tới các xã, thị trấn; đang tổng hợp kết quả quý."),
    (TaskStatus.RECURRING, "Thực hiện thường xuyên theo kế hoạch năm."),
    (TaskStatus.DONE, "Đã hoàn thành, có báo cáo kết quả gửi Phòng Lao động - Thương binh và Xã hội."),
]


def _main_predecessor(commune: AdminUnit) -> AdminUnit:
    link = Succession.objects.filter(successor=commune, is_main=True).select_related("predecessor").order_by("predecessor__name").first()
    return link.predecessor if link else commune


def _unit_for(commune: AdminUnit, year: int) -> AdminUnit:
    # Before the reform the money was the old commune's; since 1 July 2025 the new commune's.
    return commune if year >= 2025 else _main_predecessor(commune)


def demo_fill(*, rng: random.Random, communes: list[AdminUnit], users: dict[str, Any]) -> None:
    plan = Plan.objects.get(key=TRIEU_SON)
    if BudgetLine.objects.filter(plan=plan).exists():
        return  # already filled
    areas = {a.code: a for a in ContentArea.objects.filter(plan=plan)}
    lines = []
    for commune in communes:
        for year in range(2021, 2027):
            unit = _unit_for(commune, year)
            for area_code, description in rng.sample(BUDGET_ITEMS, 3):
                planned = rng.randrange(5, 60) * 1_000_000
                spent = 0 if year == 2026 and rng.random() < 0.4 else int(planned * rng.uniform(0.6, 1.15)) // 1000 * 1000
                source = rng.choice([FundingSource.STATE_COMMUNE] * 4 + [FundingSource.MOBILISED, FundingSource.DONOR_INTERNATIONAL])
                lines.append(BudgetLine(
                    plan=plan, year=year, unit=unit, source=source, content_area=areas[area_code],
                    description=description, planned=planned, spent=spent,
                ))
    BudgetLine.objects.bulk_create(lines)

    types = {t.code: t for t in PilotModelType.objects.all()}
    pilots = []
    for commune in communes:
        for code in rng.sample(sorted(types), 2):
            started = dt.date(rng.randint(2022, 2026), rng.randint(1, 9), 1)
            pilots.append(PilotModel(
                model_type=types[code], commune=commune, name=PILOT_NAMES[code], started_on=started,
                status=rng.choice([PilotStatus.ACTIVE, PilotStatus.ACTIVE, PilotStatus.REPLICATED, PilotStatus.PLANNED]),
                beneficiaries=rng.randint(15, 180), lead_agency=rng.choice(["labour", "education", "economy", "women"]),
            ))
    PilotModel.objects.bulk_create(pilots)

    author = users.get("ldtbxh.trieuson") or users.get("quantri")
    education = users.get("giaoduc.thanhhoa") or author
    if author is not None:
        for task in Task.objects.filter(agency__plan=plan).select_related("agency"):
            if rng.random() < 0.3:
                continue
            status, text = rng.choice(PROGRESS)
            writer: Any = education if task.agency.kind == "education" else author
            for year in sorted(rng.sample(range(2022, 2026), 2)):
                TaskProgress.objects.create(task=task, on=dt.date(year, 11, 10), author=writer, status=status, text=text)
            Task.objects.filter(pk=task.pk).update(status=status)

    officer = users.get("canbo.tanninh")
    if officer is not None and officer.area is not None and not Plan.objects.filter(scope_unit=officer.area, scope_level=PlanLevel.COMMUNE).exists():
        # A commune that adopted stricter targets (V.14 of the plan).
        stricter = {"CL_RATE": Decimal("0.3"), "COMM_PARENTS": Decimal("80"), "COMM_CHILDREN": Decimal("80")}
        commune_plan_create(
            user=officer, commune=officer.area, parent=plan, number="35/KH-UBND", issued_on=dt.date(2025, 9, 15),
            targets=[
                TargetInput(t.indicator, t.year, t.comparator, stricter.get(t.indicator, t.value) if t.year == 2025 else t.value)
                for t in plan.targets.all()
            ],
        )
