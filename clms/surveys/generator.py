"""Synthetic household surveys with a known true child-labour rate.

A population of villages (strata: communes), each with its listed households and their children
5-17, whose work follows a few situations classified once by ``clms.rules`` (so "child labour"
means what the law says, not a coin).  ``draw`` takes a two-stage sample (villages by simple
random sampling within each commune, then households within each village) and returns it as
the estimator's ``Person`` rows; ``round_write`` stores one such sample as a ``SurveyRound``
(the data generator's survey round, district scale); ``bench/survey_coverage.py`` draws 200
samples and counts how often the 95 % interval covers the true rate.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field
from functools import cache
from typing import TYPE_CHECKING, Any

from clms.rules import Category, Situation, classify

if TYPE_CHECKING:
    from clms.accounts.models import User

CHILD_LABOUR = frozenset({Category.CHILD_LABOUR.value, Category.HAZARDOUS_CHILD_LABOUR.value})
RULESETS = ("vn-law", "mics6", "sdg2021")

# What a child may be doing, as Situation inputs (no age: that comes with the child).
WORK: dict[str, dict[str, Any]] = {
    "idle": {"activity": "NONE"},
    "chores": {"activity": "HOUSEHOLD_CHORES", "chores_hours_week": 10.0},
    "farm_light": {"activity": "FAMILY_FARM", "hours_day_max": 2.0, "hours_week": 8.0},
    "employed_long": {"activity": "EMPLOYED", "hours_day_max": 8.0, "hours_week": 48.0},
    "brick_kiln": {"activity": "EMPLOYED", "job_code": "TT09.III.29", "hours_day_max": 9.0, "hours_week": 54.0,
                   "hazards": frozenset({"HEAVY_LOADS", "EXTREME_TEMPERATURE"})},
}
WORK_KEYS = tuple(WORK)
AS_OF = dt.date(2026, 10, 15)


@cache
def categories(work: str, age: int, sex: str) -> tuple[str, str, str]:
    """(vn-law, mics6, sdg2021) categories of ``work`` for a child of ``age`` on AS_OF."""
    situation = Situation(dob=dt.date(AS_OF.year - age - 1, 12, 1), as_of=AS_OF, sex=sex, **WORK[work])
    return tuple(classify(situation, ruleset=r).category.value for r in RULESETS)  # type: ignore[return-value]


@dataclass(frozen=True)
class Child:
    sex: str
    age: int
    work: str

    @property
    def cats(self) -> tuple[str, str, str]:
        return categories(self.work, self.age, self.sex)


@dataclass
class Village:
    stratum: str
    key: str
    households: list[list[Child]] = field(default_factory=list)


def population(*, seed: int, strata: int = 34, villages: tuple[int, int] = (6, 14),
               households: tuple[int, int] = (60, 220), mean_rate: float = 0.05) -> list[Village]:
    """A district: ``strata`` communes of a few villages each; every village has its own
    propensity to child labour (Beta around ``mean_rate``), which is what makes the sample
    clustered."""
    rng = random.Random(seed)  # noqa: S311 - synthetic data
    out = []
    concentration = 12.0
    for h in range(strata):
        for v in range(rng.randint(*villages)):
            propensity = rng.betavariate(mean_rate * concentration, (1 - mean_rate) * concentration)
            village = Village(stratum=f"C{h:02d}", key=f"C{h:02d}V{v:02d}")
            for _n in range(rng.randint(*households)):
                kids = []
                for _k in range(min(6, int(rng.expovariate(1 / 1.3)))):
                    age = rng.randint(5, 17)
                    if rng.random() < propensity:
                        work = "brick_kiln" if rng.random() < 0.35 else "employed_long"
                    else:
                        work = rng.choice(("idle", "idle", "chores", "farm_light"))
                    kids.append(Child(sex=rng.choice("MF"), age=age, work=work))
                village.households.append(kids)
            out.append(village)
    return out


def true_rate(villages: list[Village], ruleset: int = 0) -> float:
    children = [c for v in villages for h in v.households for c in h]
    return sum(1 for c in children if c.cats[ruleset] in CHILD_LABOUR) / len(children)


@dataclass(frozen=True)
class SampledHousehold:
    village: Village
    number: int
    children: list[Child]
    weight: float
    responded: bool


def draw(villages: list[Village], rng: random.Random, *, psus_per_stratum: int = 2, households_per_psu: int = 15,
         response: float = 0.95) -> list[SampledHousehold]:
    """Stratified two-stage sample: SRS of villages in each commune, SRS of households in each."""
    by_stratum: dict[str, list[Village]] = {}
    for v in villages:
        by_stratum.setdefault(v.stratum, []).append(v)
    out = []
    for members in by_stratum.values():
        chosen = rng.sample(members, min(psus_per_stratum, len(members)))
        psu_weight = len(members) / len(chosen)
        for village in chosen:
            take = min(households_per_psu, len(village.households))
            picks = rng.sample(range(len(village.households)), take)
            weight = psu_weight * len(village.households) / take
            for number in picks:
                out.append(SampledHousehold(village, number + 1, village.households[number], weight, rng.random() < response))
    return out


def persons(sample: list[SampledHousehold], ruleset: int = 0) -> tuple[list[Any], list[tuple[str, str]]]:
    from clms.surveys.estimation import Person

    people = [
        Person(stratum=h.village.stratum, psu=h.village.key, weight=h.weight, sex=c.sex, age=c.age,
               labour=c.cats[ruleset] in CHILD_LABOUR, hazardous=c.cats[ruleset] == Category.HAZARDOUS_CHILD_LABOUR.value)
        for h in sample if h.responded for c in h.children
    ]
    design = sorted({(h.village.stratum, h.village.key) for h in sample})
    return people, design


def round_write(*, unit: Any, year: int, villages_by_key: dict[str, Any], population_: list[Village],
                sample: list[SampledHousehold], user: User | None = None, title: str = "") -> Any:
    """Store a sample as a survey round of ``unit`` (villages_by_key maps a synthetic village to
    an AdminUnit village), in bulk: the generator writes thousands of children at once."""
    from clms.surveys.models import (
        InterviewResult,
        SurveyHousehold,
        SurveyMember,
        SurveyPSU,
        SurveyRound,
    )

    survey = SurveyRound.objects.create(
        unit=unit, year=year, title=title or f"Khảo sát hộ gia đình (mô phỏng) {year}",
        questionnaire_version="2026.1", true_rate=true_rate(population_), created_by=user,
    )
    psus: dict[str, SurveyPSU] = {}
    chosen = sorted({h.village.key for h in sample})
    sizes = {h.village.key: 0 for h in sample}
    for h in sample:
        sizes[h.village.key] += 1
    listed = {v.key: len(v.households) for v in population_}
    for key in chosen:
        first = next(h for h in sample if h.village.key == key)
        village = villages_by_key[key]
        psus[key] = SurveyPSU(round=survey, stratum=first.village.stratum, village=village,
                              psu_weight=first.weight * sizes[key] / listed[key], households_listed=listed[key],
                              households_selected=sizes[key])
    SurveyPSU.objects.bulk_create(psus.values())
    households = [
        SurveyHousehold(round=survey, psu=psus[h.village.key], commune=psus[h.village.key].village.parent,
                        village=psus[h.village.key].village, number=h.number,
                        result=InterviewResult.COMPLETED if h.responded else InterviewResult.ABSENT,
                        interviewed_on=AS_OF if h.responded else None, weight=h.weight)
        for h in sample
    ]
    SurveyHousehold.objects.bulk_create(households)
    members = []
    for household, h in zip(households, sample, strict=True):
        if not h.responded:
            continue
        for line, c in enumerate(h.children, start=1):
            cats = c.cats
            dob = dt.date(AS_OF.year - c.age - 1, 12, 1)
            members.append(SurveyMember(
                household=household, line=line, full_name="", sex=c.sex, dob=dob, age=c.age,
                situation={k: (sorted(v) if isinstance(v, frozenset) else v) for k, v in WORK[c.work].items()},
                category_vn_law=cats[0], category_mics6=cats[1], category_sdg2021=cats[2], ruleset_ids={},
            ))
    SurveyMember.objects.bulk_create(members, batch_size=2000)
    return survey


def generate_for_clusters(*, clusters: list[Any], seed: int, year: int = 2026, user: User | None = None) -> Any:
    """The data generator's hook: a district-scale round over the generated communes' villages."""
    villages = [(c.new, v) for c in clusters for v in c.villages]
    if not villages:
        return None
    rng = random.Random(seed + 20)  # noqa: S311 - synthetic data
    strata: dict[int, list[Any]] = {}
    for commune, village in villages:
        strata.setdefault(commune.pk, []).append(village)
    pop = population(seed=seed, strata=len(strata), villages=(1, 1))
    # One synthetic village per real one: the strata are the communes, the PSUs their villages.
    keyed: list[Village] = []
    villages_by_key: dict[str, Any] = {}
    real = [v for members in strata.values() for v in members]
    template = iter(pop * (len(real) // max(len(pop), 1) + 1))
    for index, (commune_pk, members) in enumerate(strata.items()):
        for village in members:
            source = next(template)
            key = f"{commune_pk}-{village.pk}"
            keyed.append(Village(stratum=f"S{index:02d}", key=key, households=source.households))
            villages_by_key[key] = village
    sample = draw(keyed, rng)
    district = clusters[0].old[0].parent if clusters[0].old else clusters[0].new.parent
    return round_write(unit=district, year=year, villages_by_key=villages_by_key, population_=keyed, sample=sample,
                       user=user)


def flush(user: User) -> None:
    """Delete the rounds the generator wrote (their design, households and children cascade)."""
    from clms.surveys.models import SurveyRound

    SurveyRound.objects.filter(created_by=user).delete()
