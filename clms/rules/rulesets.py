"""The registry of rulesets and their compiled lookup tables.

A ruleset's catalogues, thresholds and dates come from ``catalogues/rulesets.json``;
the sets the engines test against are built once here, so a classification is a handful
of frozenset look-ups.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from functools import cache
from typing import Any

from . import catalogue
from .catalogue import read_json

__all__ = [
    "RULESETS",
    "Compiled",
    "RulesetInfo",
    "RulesetNotAvailable",
    "compiled_for",
]


class RulesetNotAvailable(ValueError):
    """No version of the ruleset covers the date (spec §7 point 10).

    Raised rather than returning a decision, because a category computed under lists that
    were not yet in force would be wrong and look right. ``reason`` is in Vietnamese.
    """

    def __init__(self, key: str, day: date, reason: str) -> None:
        super().__init__(f"ruleset {key!r} is not available for {day.isoformat()}: {reason}")
        self.key = key
        self.day = day
        self.reason = reason


@dataclass(frozen=True, slots=True)
class RulesetInfo:
    key: str
    id: str
    name: str
    engine: str
    binding: bool
    effective_from: date
    effective_to: date | None


@dataclass(frozen=True, slots=True)
class Compiled:
    info: RulesetInfo
    hazardous_jobs: frozenset[str]
    age_limited_jobs: Mapping[str, int]
    load_jobs: frozenset[str]
    hazardous_workplaces: frozenset[str]
    light_work: frozenset[str]
    overtime_jobs: frozenset[str]
    night_jobs: frozenset[str]
    under13_jobs: frozenset[str]
    # (band, sex, regular) -> (lowest, highest) weight that could be the limit, unknowns
    # ranging over every value they could take.
    load_limits: Mapping[tuple[int, str | None, bool | None], tuple[float, float]]
    load_bands: tuple[tuple[int, int], ...]
    # Band index per completed year of age when every band starts on a birthday (the
    # Circular's 180/192/216 months do): saves counting months on every call.
    load_band_by_age: tuple[int, ...] | None
    economic_hours: tuple[tuple[float, bool] | None, ...]
    chores_hours: tuple[tuple[float, bool] | None, ...]
    hazardous_economic_hours: float
    age_range: tuple[int, int]


def _date(value: Any) -> date | None:
    return None if value is None else date.fromisoformat(value)


def _by_age(bands: list[dict[str, Any]]) -> tuple[tuple[float, bool] | None, ...]:
    table: list[tuple[float, bool] | None] = [None] * 18
    for band in bands:
        for age in range(band["min_age"], band["max_age"] + 1):
            table[age] = (float(band["hours"]), bool(band["strict"]))
    return tuple(table)


def _load_limits(
    table: catalogue.LoadTable,
) -> dict[tuple[int, str | None, bool | None], tuple[float, float]]:
    limits: dict[tuple[int, str | None, bool | None], tuple[float, float]] = {}
    for index, band in enumerate(table.bands):
        for sex in ("M", "F", None):
            for regular in (True, False, None):
                sexes = ("M", "F") if sex is None else (sex,)
                kinds = (True, False) if regular is None else (regular,)
                weights = [
                    (band.regular if kind else band.occasional)[s] for s in sexes for kind in kinds
                ]
                limits[(index, sex, regular)] = (float(min(weights)), float(max(weights)))
    return limits


def _band_by_age(table: catalogue.LoadTable) -> tuple[int, ...] | None:
    if any(b.from_months % 12 or b.to_months % 12 for b in table.bands):
        return None
    found = []
    for age in range(18):
        band = 0
        for index, b in enumerate(table.bands):
            if b.from_months <= age * 12 < b.to_months:
                band = index
        found.append(band)
    return tuple(found)


def _compile(raw: Mapping[str, Any]) -> Compiled:
    info = RulesetInfo(
        key=raw["key"],
        id=raw["id"],
        name=raw["name"],
        engine=raw["engine"],
        binding=raw["binding"],
        effective_from=date.fromisoformat(raw["effective_from"]),
        effective_to=_date(raw["effective_to"]),
    )
    used = set(raw["catalogues"])
    entries = [e for c in catalogue.catalogues() if c.id in used for e in c.entries]

    def on(list_id: str) -> frozenset[str]:
        return frozenset(e.code for e in entries if list_id in e.lists)

    banned = on("LC147.1") | on("TT09.III")
    load_jobs = frozenset(e.code for e in entries if e.load_table and e.code in banned)
    age_limited = {
        e.code: e.banned_below_age
        for e in entries
        if e.banned_below_age is not None and e.code in banned
    }
    age_range = raw.get("age_range", (0, 17))
    tables = {e.load_table for e in entries if e.load_table}
    if len(tables) != 1:
        raise ValueError(f"ruleset {info.key} needs exactly one load table, found {tables}")
    table = catalogue.load_table(tables.pop())
    # Under-13 work is art, physical training or sport (LC Art. 145(3)); the catalogue
    # records which codes are those two jobs.
    under13 = {"ART_PERF", "SPORT_PHYS"}
    for code in ("ART_PERF", "SPORT_PHYS"):
        under13.update(catalogue.get(code).same_as)
    return Compiled(
        info=info,
        hazardous_jobs=banned - load_jobs - frozenset(age_limited),
        age_limited_jobs=age_limited,
        load_jobs=load_jobs,
        hazardous_workplaces=on("LC147.2") | on("TT09.IV"),
        light_work=on("TT09.II"),
        overtime_jobs=on("TT09.V.OT"),
        night_jobs=on("TT09.V.NIGHT"),
        under13_jobs=frozenset(under13),
        load_limits=_load_limits(table),
        load_bands=tuple((b.from_months, b.to_months) for b in table.bands),
        load_band_by_age=_band_by_age(table),
        economic_hours=_by_age(raw.get("economic_hours", [])),
        chores_hours=_by_age(raw.get("chores_hours", [])),
        hazardous_economic_hours=float(raw.get("hazardous_economic_hours", 43)),
        age_range=(int(age_range[0]), int(age_range[1])),
    )


@cache
def _load() -> tuple[tuple[Compiled, ...], tuple[dict[str, Any], ...]]:
    raw = read_json("rulesets.json")
    return tuple(_compile(r) for r in raw["rulesets"]), tuple(raw.get("gaps", ()))


def _versions() -> dict[str, tuple[Compiled, ...]]:
    found: dict[str, list[Compiled]] = {}
    for comp in _load()[0]:
        found.setdefault(comp.info.key, []).append(comp)
        found.setdefault(comp.info.id, []).append(comp)
    return {k: tuple(sorted(v, key=lambda c: c.info.effective_from)) for k, v in found.items()}


VERSIONS: Mapping[str, tuple[Compiled, ...]] = _versions()

RULESETS: tuple[RulesetInfo, ...] = tuple(c.info for c in _load()[0])
"""Every ruleset: key ("vn-law", "mics6", "sdg2021"), versioned id, Vietnamese name, dates."""


def compiled_for(ruleset: str, day: date) -> Compiled:
    """The version of ``ruleset`` (key or versioned id) in force on ``day``.

    Statistical rulesets are measurement definitions, not law: they apply to any date.
    """
    versions = VERSIONS.get(ruleset)
    if versions is None:
        known = ", ".join(sorted({c.info.key for c in _load()[0]}))
        raise ValueError(f"unknown ruleset {ruleset!r}; known: {known}")
    for comp in versions:
        info = comp.info
        if not info.binding:
            return comp
        if info.effective_from <= day and (info.effective_to is None or day <= info.effective_to):
            return comp
    key = versions[0].info.key
    reason = "Không có bộ quy tắc áp dụng cho ngày này."
    for gap in _load()[1]:
        start = _date(gap["from"]) or date.min
        end = _date(gap["to"]) or date.max
        if gap["key"] == key and start <= day <= end:
            reason = gap["reason"]
    raise RulesetNotAvailable(key, day, reason)
