"""The outreach activities of a cluster and its denominators."""

from __future__ import annotations

import datetime as dt

from clms.demo.generator.base import Batch, GeneratorBase
from clms.demo.generator.fast import new
from clms.demo.generator.units import (
    Cluster,
)
from clms.employers.models import (
    Employer,
    EmployerKind,
)
from clms.outreach.models import (
    ActivityKind,
    ActivityStatus,
    BroadcastChannel,
    OutreachActivity,
    PrintedQuantity,
    Reach,
)
from clms.places.models import (
    REFORM_DATE,
    AdminUnit,
    Denominator,
    DenominatorGroup,
    DenominatorSource,
)


class OutreachRows(GeneratorBase):
    def _units_by_year(self, cluster: Cluster, year: int) -> list[tuple[AdminUnit, int, dt.date, dt.date]]:
        """(unit, children 5-17, first day, last day) of the units that held activities in the year."""
        growth = 1 + 0.01 * (year - 2021)
        out = []
        if year < REFORM_DATE.year or (year == REFORM_DATE.year and cluster.old):
            last = min(dt.date(year, 12, 31), REFORM_DATE - dt.timedelta(days=1))
            for unit in cluster.old:
                out.append((unit, int(cluster.population[unit.pk] * growth), dt.date(year, 1, 1), last))
        if year >= REFORM_DATE.year or not cluster.old:
            first = max(dt.date(year, 1, 1), REFORM_DATE) if cluster.old else dt.date(year, 1, 1)
            out.append((cluster.new, int(cluster.population[cluster.new.pk] * growth), first, dt.date(year, 12, 31)))
        return out

    def _outreach(self, cluster: Cluster, employers: dict[str, list[Employer]], batch: Batch) -> None:
        rng = cluster.rng(self.seed, "outreach")
        for year in range(2021, self.today.year + 1):
            effort = rng.uniform(0.45, 1.1)  # some communes reach far fewer people than planned
            for unit, kids, first, last in self._units_by_year(cluster, year):
                def day_in(month: int, day: int, first: dt.date = first, last: dt.date = last, year: int = year) -> dt.date | None:
                    d = dt.date(year, month, day)
                    return d if first <= d <= last else None

                teachers, parents = kids // 18, kids * 14 // 10
                plan: list[tuple[str, str, tuple[int, int], dict[str, float]]] = [
                    (ActivityKind.CAMPAIGN, "Tuyên truyền nhân Ngày Quốc tế Lao động", (5, 1),
                     {"parents": parents * 0.25, "enterprises": 3}),
                    (ActivityKind.CAMPAIGN, "Mít tinh hưởng ứng Ngày Thế giới phòng, chống lao động trẻ em", (6, 12),
                     {"children": kids * 0.35, "parents": parents * 0.2, "teachers": teachers * 0.5}),
                    (ActivityKind.BROADCAST, "Phát thanh chuyên mục Tháng hành động vì trẻ em", (6, 1),
                     {"parents": parents * 0.3, "children": kids * 0.3}),
                    (ActivityKind.TRAINING, "Tập huấn phòng ngừa lao động trẻ em cho giáo viên", (9, 15),
                     {"teachers": teachers * 0.45}),
                    (ActivityKind.TRAINING, "Tập huấn kỹ năng phát hiện sớm cho cán bộ, cộng tác viên", (10, 20),
                     {"officials": 6}),
                    (ActivityKind.TRAINING, "Tập huấn pháp luật lao động cho doanh nghiệp, hợp tác xã, hộ làng nghề", (11, 10),
                     {"enterprises": 4, "cooperatives": 1, "craft_households": 20}),
                ]
                for kind, title, (month, day), reach in plan:
                    on = day_in(month, day)
                    if on is None:
                        continue
                    held = on <= self.today
                    activity = new(OutreachActivity,
                        kind=kind, title=title, unit=unit, starts_on=on, lead_agency="labour",
                        status=ActivityStatus.HELD if held else ActivityStatus.PLANNED,
                        channel=BroadcastChannel.LOUDSPEAKER if kind == ActivityKind.BROADCAST else "",
                        broadcasts=rng.randint(8, 20) if kind == ActivityKind.BROADCAST else None,
                        created_by=self.gen, created_at=self._at(on, rng),
                    )
                    batch.add(OutreachActivity, activity)
                    if not held:
                        continue
                    for group, base in reach.items():
                        count = max(0, round(base * effort * rng.uniform(0.8, 1.2)))
                        if count:
                            batch.add(Reach, new(Reach, activity=activity, group=group, count=count))
                    if kind == ActivityKind.CAMPAIGN and month == 6:
                        batch.add(PrintedQuantity, new(PrintedQuantity, activity=activity, product="leaflet",
                                                                   quantity=rng.randint(200, 1500)))

    def _denominators(self, cluster: Cluster, employers: dict[str, list[Employer]], batch: Batch) -> None:
        rng = cluster.rng(self.seed, "denominators")
        all_employers = [e for group in employers.values() for e in group]
        enterprises = sum(1 for e in all_employers if e.kind == EmployerKind.ENTERPRISE)
        coops = sum(1 for e in all_employers if e.kind == EmployerKind.COOPERATIVE)
        craft = next((e.craft_village for e in all_employers if e.craft_village), None)
        for year in range(2021, self.today.year + 1):
            units = [(u, kids) for u, kids, _f, _l in self._units_by_year(cluster, year)]
            if year == REFORM_DATE.year and cluster.old:
                units = [(u, k) for u, k in units if u == cluster.new]
            for unit, kids in units:
                share = 1.0 if unit == cluster.new else kids / max(cluster.population[cluster.new.pk], 1)
                boys = kids * 51 // 100
                values = {
                    DenominatorGroup.CHILDREN_5_17: kids,
                    DenominatorGroup.CHILDREN_5_17_MALE: boys,
                    DenominatorGroup.CHILDREN_5_17_FEMALE: kids - boys,
                    DenominatorGroup.CHILDREN_5_11: kids * 52 // 100,
                    DenominatorGroup.CHILDREN_12_14: kids * 24 // 100,
                    DenominatorGroup.CHILDREN_15_17: kids - kids * 52 // 100 - kids * 24 // 100,
                    DenominatorGroup.CHILDREN_UNDER_16: kids * 84 // 100,
                    # Ages 5-12 and 13-14 (the Labour Code's bands; 15-17 as above).
                    DenominatorGroup.CHILDREN_5_12: kids * 60 // 100,
                    DenominatorGroup.CHILDREN_13_14: kids - kids * 60 // 100 - (kids - kids * 52 // 100 - kids * 24 // 100),
                    DenominatorGroup.TEACHERS: kids // 18,
                    DenominatorGroup.PARENTS: kids * 14 // 10,
                    DenominatorGroup.ENTERPRISES: max(1, round((enterprises + rng.randint(2, 6)) * share)),
                    DenominatorGroup.COOPERATIVES: max(1, round((coops + rng.randint(0, 2)) * share)),
                    DenominatorGroup.CRAFT_HOUSEHOLDS: round((craft.household_count or 0) * share) if craft else 0,
                    DenominatorGroup.OFFICIALS: rng.randint(5, 9),
                }
                for group, value in values.items():
                    batch.add(Denominator, new(Denominator, unit=unit, year=year, group=group, value=value,
                                                       source=DenominatorSource.ENTERED, updated_by=self.gen))
