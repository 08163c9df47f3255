"""What a child is seen doing: work situations drawn so that child labour splits like NCLS 2018.

Spec §6.2 (NCLS 2018): about half of child labour is hazardous; just over half is in
agriculture, forestry and fishing, the rest mainly in services and industry/construction;
40.5 % are unpaid family workers.  Each scenario below is one situation officers meet in
Thanh Hóa, written with the job and workplace codes of Circular 09/2020 so that
``clms.rules.classify`` (not this module) decides the category; the weights are tuned so
that the classified result lands near those shares (tests/core/test_generate.py checks it).
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field
from typing import Any

AGRICULTURE = "agriculture"
SERVICES = "services"
INDUSTRY = "industry"
SECTORS = (AGRICULTURE, SERVICES, INDUSTRY)


@dataclass(frozen=True)
class Scenario:
    key: str
    sector: str
    weight: float
    activity: str
    description: str
    min_age: int = 5
    max_age: int = 17
    job_code: str = ""
    workplace_code: str = ""
    hazards: tuple[str, ...] = ()
    hours_day: tuple[float, float] = (3, 6)
    days_week: tuple[int, int] = (5, 7)
    unpaid_family: bool = False
    night_share: float = 0.0
    load_kg: float | None = None
    # Sector of the employer an EMPLOYED child is linked to (clms.employers Sector values).
    employer_sector: str = ""
    extra: dict[str, Any] = field(default_factory=dict)


# Situations that make child labour (hazardous or not) under Vietnamese law.
LABOUR: tuple[Scenario, ...] = (
    # Agriculture, forestry, fishing: mostly the family's own fields, harming study.
    Scenario("farm_family", AGRICULTURE, 17, "FAMILY_FARM", "Làm ruộng, chăn trâu bò cho gia đình, nghỉ học nhiều buổi",
             max_age=14, job_code="TT09.II.10", hours_day=(5, 7), unpaid_family=True,
             extra={"harms_study_health_safety": True, "affects_study_time": True}),
    Scenario("harvest_family", AGRICULTURE, 7, "FAMILY_FARM", "Thu hoạch mía, sắn cùng gia đình từ sáng đến tối",
             min_age=15, job_code="OTHER", hours_day=(13, 14), days_week=(6, 7), unpaid_family=True,
             extra={"harms_study_health_safety": True}),
    Scenario("farm_hired", AGRICULTURE, 7, "EMPLOYED", "Làm thuê trồng, chăm sóc mía cho chủ vườn",
             max_age=14, job_code="OTHER", hours_day=(4, 8), employer_sector="agriculture", extra={"paid": True}),
    Scenario("pesticide", AGRICULTURE, 9, "FAMILY_FARM", "Phun thuốc trừ sâu cho ruộng lúa, vườn rau",
             min_age=11, job_code="TT09.III.60", hazards=("CHEMICALS",), hours_day=(3, 5), unpaid_family=True,
             extra={"harms_study_health_safety": True}),
    Scenario("carry_loads", AGRICULTURE, 7, "EMPLOYED", "Bốc vác mía, gánh sắn thuê",
             min_age=12, job_code="TT09.III.68", hazards=("HEAVY_LOADS",), hours_day=(6, 9), load_kg=35,
             employer_sector="agriculture", extra={"load_regular": True, "paid": True}),
    Scenario("logging", AGRICULTURE, 3, "EMPLOYED", "Chặt, cưa cây keo, vác gỗ trên đồi",
             min_age=14, job_code="TT09.III.19", hazards=("DANGEROUS_TOOLS", "HEAVY_LOADS"), hours_day=(7, 9),
             employer_sector="agriculture", extra={"paid": True}),
    Scenario("sea_fishing", AGRICULTURE, 3, "FAMILY_BUSINESS", "Theo tàu đánh bắt cá xa bờ cùng bố",
             min_age=13, job_code="LC147.1.g", hazards=("EXTREME_TEMPERATURE",), hours_day=(8, 12), unpaid_family=True),
    # Services.
    Scenario("eatery", SERVICES, 7, "EMPLOYED", "Bưng bê, rửa bát ở quán ăn, làm đến khuya",
             min_age=10, job_code="TT09.V.OT.16", hours_day=(5, 9), night_share=0.8, employer_sector="services",
             extra={"paid": True}),
    Scenario("family_shop", SERVICES, 6, "FAMILY_BUSINESS", "Trông quán tạp hóa của gia đình đến 23 giờ",
             min_age=8, job_code="TT09.V.OT.18", hours_day=(5, 8), night_share=1.0, unpaid_family=True,
             extra={"affects_study_time": True}),
    Scenario("domestic", SERVICES, 3, "EMPLOYED", "Giúp việc gia đình cho một hộ ở thị trấn",
             min_age=12, job_code="TT09.V.OT.13", hours_day=(8, 11), night_share=0.6, extra={"paid": True}),
    Scenario("street_vending", SERVICES, 2, "EMPLOYED", "Bán hàng rong, bán vé số đến tối muộn",
             min_age=9, job_code="TT09.V.OT.12", hours_day=(5, 8), night_share=1.0, extra={"paid": True}),
    Scenario("karaoke", SERVICES, 5, "EMPLOYED", "Phục vụ ở quán karaoke, nhà nghỉ",
             min_age=14, workplace_code="LC147.2.d", job_code="OTHER", hours_day=(5, 8), night_share=0.9,
             employer_sector="entertainment", extra={"paid": True}),
    Scenario("motorbike_repair", SERVICES, 3, "EMPLOYED", "Phụ sửa xe máy, rửa xe, tiếp xúc xăng dầu",
             min_age=12, job_code="LC147.1.d", hazards=("DANGEROUS_TOOLS", "CHEMICALS"), hours_day=(6, 9),
             employer_sector="services", extra={"paid": True}),
    # Industry and construction: mostly hazardous.
    Scenario("brick_kiln", INDUSTRY, 7, "EMPLOYED", "Đốt lò, bốc xếp gạch ở lò gạch thủ công",
             min_age=12, job_code="TT09.III.29", hazards=("HEAVY_LOADS", "EXTREME_TEMPERATURE", "DUST_FUMES_GAS"),
             hours_day=(7, 10), employer_sector="construction_materials", extra={"paid": True}),
    Scenario("construction", INDUSTRY, 6, "EMPLOYED", "Phụ hồ ở công trường xây dựng",
             min_age=13, job_code="OTHER", workplace_code="LC147.2.b", hazards=("HEIGHTS", "HEAVY_LOADS"),
             hours_day=(8, 10), employer_sector="construction", extra={"paid": True}),
    Scenario("stone", INDUSTRY, 2, "EMPLOYED", "Đập đá, bốc đá ở mỏ đá",
             min_age=13, job_code="TT09.III.12", hazards=("DUST_FUMES_GAS", "DANGEROUS_TOOLS"), hours_day=(7, 9),
             employer_sector="mining", extra={"paid": True}),
    Scenario("welding", INDUSTRY, 2, "EMPLOYED", "Học việc hàn, gò ở xưởng cơ khí",
             min_age=14, job_code="LC147.1.e", hazards=("DANGEROUS_TOOLS", "DUST_FUMES_GAS"), hours_day=(8, 9),
             employer_sector="manufacturing", extra={"paid": True}),
    Scenario("sawmill", INDUSTRY, 1, "EMPLOYED", "Xẻ gỗ bằng máy cưa đĩa ở xưởng gỗ",
             min_age=14, job_code="TT09.III.25", hazards=("DANGEROUS_TOOLS", "NOISE_VIBRATION"), hours_day=(8, 9),
             employer_sector="manufacturing", extra={"paid": True}),
    Scenario("garment", INDUSTRY, 3, "EMPLOYED", "Cắt chỉ, đóng gói ở xưởng may gia công",
             max_age=14, job_code="TT09.II.12", hours_day=(6, 10), employer_sector="garment", extra={"paid": True}),
    Scenario("craft_long_hours", INDUSTRY, 2, "FAMILY_BUSINESS", "Vẽ sơn mài, làm nón lá cho cơ sở của gia đình nhiều giờ",
             job_code="TT09.II.04", hours_day=(9, 10), days_week=(6, 7), unpaid_family=True,
             extra={"affects_study_time": True}),
)

# Situations of children at risk that are not child labour (or permitted work).
NOT_LABOUR: tuple[Scenario, ...] = (
    Scenario("none", AGRICULTURE, 45, "NONE", "Không làm việc, đi học bình thường"),
    Scenario("chores", AGRICULTURE, 20, "HOUSEHOLD_CHORES", "Làm việc nhà, trông em sau giờ học",
             hours_day=(1, 2), extra={"harms_study_health_safety": False}),
    Scenario("help_farm", AGRICULTURE, 17, "FAMILY_FARM", "Phụ giúp gia đình việc đồng áng sau giờ học",
             job_code="TT09.II.10", hours_day=(1, 2), days_week=(3, 5), unpaid_family=True,
             extra={"harms_study_health_safety": False}),
    Scenario("shop_permitted", SERVICES, 8, "EMPLOYED", "Bán hàng ở cửa hàng quần áo, có hợp đồng, cha mẹ đồng ý",
             min_age=15, job_code="TT09.V.OT.18", hours_day=(5, 6), days_week=(5, 5), employer_sector="trade",
             extra={"paid": True, "parent_consent": True, "separate_register": True}),
    Scenario("craft_light", INDUSTRY, 7, "FAMILY_BUSINESS", "Làm nón lá 3 giờ mỗi ngày sau giờ học",
             min_age=13, max_age=14, job_code="TT09.II.04", hours_day=(2, 3), days_week=(5, 5), unpaid_family=True,
             extra={"contract_written": True, "health_cert": True, "osh_age_appropriate": True,
                    "affects_study_time": False, "parent_consent": True}),
)

# NCLS-like age split of child labour (5-11, 12-14, 15-17): most working children are older.
LABOUR_AGE_BANDS = ((5, 11, 0.16), (12, 14, 0.31), (15, 17, 0.53))


def pick(rng: random.Random, scenarios: tuple[Scenario, ...], age: int) -> Scenario:
    fitting = [s for s in scenarios if s.min_age <= age <= s.max_age]
    return rng.choices(fitting, weights=[s.weight for s in fitting])[0]


def observation_fields(rng: random.Random, scenario: Scenario, observed_on: dt.date) -> dict[str, Any]:
    """Fields of a WorkObservation for the scenario (hours drawn within its range)."""
    fields: dict[str, Any] = {"activity": scenario.activity, "job_description": scenario.description}
    if scenario.activity == "NONE":
        return fields
    if scenario.activity == "HOUSEHOLD_CHORES":
        fields["chores_hours_week"] = round(rng.uniform(*scenario.hours_day) * 7, 1)
        fields.update(scenario.extra)
        return fields
    fields["job_code"] = scenario.job_code
    fields["workplace_code"] = scenario.workplace_code
    fields["hours_per_day"] = round(rng.uniform(*scenario.hours_day) * 2) / 2
    fields["days_per_week"] = rng.randint(*scenario.days_week)
    fields["hazards"] = sorted(scenario.hazards)
    fields["night_work"] = rng.random() < scenario.night_share if scenario.night_share else False
    fields["overtime"] = None
    if scenario.load_kg is not None:
        fields["load_kg"] = scenario.load_kg + rng.choice((0, 5, 10))
    fields["paid"] = not scenario.unpaid_family
    if scenario.extra.get("health_cert"):
        fields["last_health_check"] = observed_on - dt.timedelta(days=rng.randint(20, 150))
    fields.update({k: v for k, v in scenario.extra.items() if k != "paid"})
    return fields
