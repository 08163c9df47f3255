"""Which communes a scale covers, grouped as a post-2025 commune with the old communes it absorbed.

A *cluster* is the unit of generation: a commune of the list in force since 1 July 2025
and its main predecessors.  Records dated before the reform go to an old commune, later
ones to the new commune (records carry the commune they were made in, see
clms.indicators.units), so the 2021-2025 history and the new structure both hold data.
Every cluster has its own random stream (seeded from the run's seed and the commune
code), so a cluster's data does not depend on which other clusters are generated.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.core.exceptions import ImproperlyConfigured
from django.db.models import Q

from clms.places.models import AdminUnit, Level, Scheme, Succession
from clms.places.paths import units_create
from clms.places.services import units_load_province

if TYPE_CHECKING:
    from clms.accounts.models import User

VILLAGES_PER_COMMUNE = 6


@dataclass(frozen=True)
class Scale:
    name: str
    # Registered children wanted; None: a fixed share of the child population (nation).
    children: int | None
    province: str | None = None
    district: str | None = None
    commune: str | None = None


PROVINCE = "38"  # Thanh Hóa
DISTRICT = "397"  # Huyện Triệu Sơn (before 1 July 2025)
SCALES: dict[str, Scale] = {
    "commune": Scale("commune", 400, province=PROVINCE, district=DISTRICT, commune="15715"),
    "district": Scale("district", 5_000, province=PROVINCE, district=DISTRICT),
    "province": Scale("province", 60_000, province=PROVINCE),
    "nation": Scale("nation", None),
}
# About 1.5 million registered children (DESIGN §3) over the ~18.5 million children aged 5-17
# that the population figures above give for the ~10,000 old communes.
NATIONAL_REGISTER_SHARE = 1_500_000 / 18_500_000


@dataclass
class Cluster:
    new: AdminUnit
    old: list[AdminUnit]
    villages: list[AdminUnit] = field(default_factory=list)
    # Children aged 5-17 in 2021 per unit id (old communes; the new commune sums them).
    population: dict[int, int] = field(default_factory=dict)

    @property
    def urban(self) -> bool:
        return self.new.unit_type.startswith("Phường")

    @property
    def total_population(self) -> int:
        return sum(self.population[u.pk] for u in self.old) or self.population.get(self.new.pk, 0)

    def rng(self, seed: int, purpose: str) -> random.Random:
        return random.Random(f"{seed}:{self.new.code}:{purpose}")  # noqa: S311 - reproducible data, not secrets


def ensure_units(scale: Scale, provinces: list[str] | None = None) -> None:
    """Load the official units a scale needs (the nation scale needs ``load_units --all`` first,
    or ``load_units --province`` of the provinces of a partial run)."""
    if scale.province is not None:
        # A province row alone (as test fixtures make) is not the official list: look for its communes.
        loaded = AdminUnit.objects.filter(
            scheme=Scheme.POST_2025, level=Level.COMMUNE, parent__code=scale.province
        ).count()
        if loaded < 20:
            units_load_province(province_code=scale.province)
        return
    if provinces:
        missing = set(provinces) - set(
            AdminUnit.objects.filter(level=Level.PROVINCE, code__in=provinces).values_list("code", flat=True)
        )
        if missing:
            raise ImproperlyConfigured(f"Load the provinces first: manage.py load_units --province {' --province '.join(sorted(missing))}")
        return
    if AdminUnit.objects.filter(scheme=Scheme.POST_2025, level=Level.COMMUNE).count() < 3000:
        raise ImproperlyConfigured("The nation scale needs every province: run `manage.py load_units --all` first.")


def _population(rng: random.Random, unit: AdminUnit) -> int:
    # An old rural commune had about 1,500 children aged 5-17 (Triệu Sơn: ~205,000 people,
    # a fifth of them aged 5-17, in 34 communes); wards of towns are denser.
    if unit.unit_type.startswith("Phường") or unit.unit_type.startswith("Thị trấn"):
        return int(rng.triangular(1500, 4500, 2500))
    return int(rng.triangular(700, 2600, 1300))


def clusters_for(scale: Scale, *, seed: int, provinces: list[str] | None = None) -> list[Cluster]:
    new_qs = AdminUnit.objects.filter(scheme=Scheme.POST_2025, level=Level.COMMUNE)
    if scale.commune is not None:
        new_qs = new_qs.filter(code=scale.commune)
    elif scale.district is not None:
        district = AdminUnit.objects.get(scheme=Scheme.PRE_2025, level=Level.DISTRICT, code=scale.district)
        new_qs = new_qs.filter(predecessors__parent=district).distinct()
    elif scale.province is not None:
        new_qs = new_qs.filter(parent__code=scale.province, parent__level=Level.PROVINCE)
    if provinces:
        new_qs = new_qs.filter(parent__code__in=provinces)
    news = list(new_qs.select_related("parent").order_by("code"))
    by_pk = {u.pk: Cluster(new=u, old=[]) for u in news}
    links = Succession.objects.filter(successor__in=news).select_related("predecessor").order_by(
        "-is_main", "successor__code", "predecessor__code"
    )
    district_path = None
    if scale.district is not None:
        district_path = AdminUnit.objects.get(scheme=Scheme.PRE_2025, level=Level.DISTRICT, code=scale.district).path
    taken: set[int] = set()
    for link in links:
        old = link.predecessor
        if old.level != Level.COMMUNE or old.pk in taken:
            continue
        if district_path is not None and not old.path.startswith(district_path):
            continue
        taken.add(old.pk)
        by_pk[link.successor_id].old.append(old)
    clusters = [by_pk[u.pk] for u in news]
    for cluster in clusters:
        rng = cluster.rng(seed, "population")
        for old in sorted(cluster.old, key=lambda u: u.code):
            cluster.population[old.pk] = _population(rng, old)
        cluster.population[cluster.new.pk] = sum(cluster.population[o.pk] for o in cluster.old) or _population(
            rng, cluster.new
        )
    return clusters


def ensure_villages(clusters: list[Cluster], *, created_by: User) -> None:
    """Six villages ("Thôn 1" … "Thôn 6") in every new commune; existing ones are reused."""
    communes = [c.new for c in clusters]
    existing: dict[int, dict[str, AdminUnit]] = {c.pk: {} for c in communes}
    for village in AdminUnit.objects.filter(level=Level.VILLAGE, parent__in=communes):
        existing[village.parent_id][village.name] = village  # type: ignore[index]
    missing = []
    for commune in communes:
        for i in range(1, VILLAGES_PER_COMMUNE + 1):
            name = f"Thôn {i}"
            if name not in existing[commune.pk]:
                missing.append(
                    AdminUnit(
                        scheme=Scheme.LOCAL, level=Level.VILLAGE, name=name, short_name=name, unit_type="Thôn",
                        parent=commune, valid_from=commune.valid_from, created_by=created_by,
                    )
                )
    if missing:
        units_create(missing, batch_size=2000)
    by_commune: dict[int, list[AdminUnit]] = {c.pk: [] for c in communes}
    for village in AdminUnit.objects.filter(
        Q(level=Level.VILLAGE), parent__in=communes, name__startswith="Thôn "
    ).order_by("name"):
        by_commune[village.parent_id].append(village)  # type: ignore[index]
    for cluster in clusters:
        cluster.villages = by_commune[cluster.new.pk][:VILLAGES_PER_COMMUNE]
