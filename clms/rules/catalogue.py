"""The legal lists as data: Art. 147 of the Labour Code, Circular 09/2020 Appendices II–V, codes.

Every list lives in a JSON file under ``catalogues/`` that names its legal source and the dates
it is valid for, so a new circular replaces a list by adding a file, not by changing code.
One job can stand on several lists (performing arts is on Appendix II and on both parts of
Appendix V); each entry says which lists it stands on in ``lists``.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from functools import cache
from importlib import resources
from typing import Any

from .text import fold

__all__ = [
    "CATALOGUE_FILES",
    "Catalogue",
    "Entry",
    "ListInfo",
    "LoadBand",
    "LoadTable",
    "activities",
    "catalogues",
    "codes_on",
    "get",
    "hazards",
    "jobs",
    "list_info",
    "lists_of",
    "load_table",
    "search",
    "workplaces",
    "worst_forms",
]

CATALOGUE_FILES = (
    "lc2019-art147.json",
    "tt09-2020.json",
    "codes.json",
    "activities.json",
    "worst-forms.json",
    "mics6-hazards.json",
)

_WORD = re.compile(r"[0-9a-z]+")

KINDS = ("job", "workplace", "hazard", "worst_form", "activity", "other")


@dataclass(frozen=True, slots=True)
class ListInfo:
    id: str
    name: str
    source: str
    catalogue: str


@dataclass(frozen=True, slots=True)
class Entry:
    """One item of a legal list, with the Vietnamese wording of the law."""

    code: str
    kind: str
    name: str
    source: str
    lists: frozenset[str]
    catalogue: str
    alias_of: str | None = None
    same_as: tuple[str, ...] = ()
    within: tuple[str, ...] = ()
    related: tuple[str, ...] = ()
    note: str | None = None
    banned_below_age: int | None = None
    load_table: str | None = None
    subitems: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class LoadBand:
    from_months: int
    to_months: int
    occasional: Mapping[str, float]
    regular: Mapping[str, float]


@dataclass(frozen=True, slots=True)
class LoadTable:
    code: str
    source: str
    bands: tuple[LoadBand, ...]


@dataclass(frozen=True, slots=True)
class Catalogue:
    id: str
    title: str
    legal_source: str
    valid_from: date
    valid_to: date | None
    lists: tuple[ListInfo, ...]
    entries: tuple[Entry, ...]

    def valid_on(self, day: date) -> bool:
        return self.valid_from <= day and (self.valid_to is None or day <= self.valid_to)


def _date(value: Any) -> date | None:
    return None if value is None else date.fromisoformat(str(value))


def _entry(raw: Mapping[str, Any], catalogue_id: str) -> Entry:
    subitems = tuple(
        f"{sub['number']}. {sub['name']}" for sub in raw.get("subitems", ())
    ) + tuple(raw.get("conditions_text", ()))
    return Entry(
        code=raw["code"],
        kind=raw["kind"],
        name=raw["name"],
        source=raw["source"],
        lists=frozenset(raw.get("lists", ())),
        catalogue=catalogue_id,
        alias_of=raw.get("alias_of"),
        same_as=tuple(raw.get("same_as", ())),
        within=tuple(raw.get("within", ())),
        related=tuple(raw.get("related", ()) or raw.get("contains", ())),
        note=raw.get("note"),
        banned_below_age=raw.get("banned_below_age"),
        load_table=raw.get("load_table"),
        subitems=subitems,
    )


def read_json(name: str) -> Any:
    """Parsed content of one file under ``catalogues/``."""
    text = (resources.files("clms.rules") / "catalogues" / name).read_text(encoding="utf-8")
    return json.loads(text)


@dataclass(frozen=True, slots=True)
class _Registry:
    catalogues: tuple[Catalogue, ...]
    by_code: Mapping[str, Entry]
    lists: Mapping[str, ListInfo]
    load_tables: Mapping[str, LoadTable]
    folded: tuple[tuple[Entry, str, str], ...]


@cache
def _registry() -> _Registry:
    cats: list[Catalogue] = []
    by_code: dict[str, Entry] = {}
    lists: dict[str, ListInfo] = {}
    tables: dict[str, LoadTable] = {}
    for name in CATALOGUE_FILES:
        raw = read_json(name)
        cid = raw["catalogue"]
        infos = tuple(
            ListInfo(id=lid, name=info["name"], source=info["source"], catalogue=cid)
            for lid, info in raw.get("lists", {}).items()
        )
        entries = tuple(_entry(e, cid) for e in raw["entries"])
        for entry in entries:
            if entry.kind not in KINDS:
                raise ValueError(f"{name}: {entry.code} has unknown kind {entry.kind!r}")
            if entry.code in by_code:
                raise ValueError(f"{name}: code {entry.code} is defined twice")
            by_code[entry.code] = entry
        for info in infos:
            lists[info.id] = info
        for code, table in raw.get("load_tables", {}).items():
            tables[code] = LoadTable(
                code=code,
                source=table["source"],
                bands=tuple(
                    LoadBand(
                        from_months=band["from_months"],
                        to_months=band["to_months"],
                        occasional=dict(band["occasional"]),
                        regular=dict(band["regular"]),
                    )
                    for band in table["bands"]
                ),
            )
        cats.append(
            Catalogue(
                id=cid,
                title=raw["title"],
                legal_source=raw["legal_source"],
                valid_from=_date(raw["valid_from"]) or date.min,
                valid_to=_date(raw.get("valid_to")),
                lists=infos,
                entries=entries,
            )
        )
    folded = tuple(
        (e, fold(e.code), fold(" ".join((e.name, *e.subitems)))) for e in by_code.values()
    )
    return _Registry(tuple(cats), by_code, lists, tables, folded)


def catalogues() -> tuple[Catalogue, ...]:
    """Every catalogue file, with its legal source and validity dates."""
    return _registry().catalogues


def _of_kind(*kinds: str) -> tuple[Entry, ...]:
    return tuple(e for e in _registry().by_code.values() if e.kind in kinds)


def jobs() -> tuple[Entry, ...]:
    """Job codes: Art. 147(1), Appendices II, III, V, the ART_PERF/SPORT_PHYS aliases and OTHER."""
    return _of_kind("job", "other")


def workplaces() -> tuple[Entry, ...]:
    """Workplace codes: Art. 147(2), Appendix IV and OTHER."""
    return _of_kind("workplace", "other")


def hazards() -> tuple[Entry, ...]:
    """MICS6 hazardous working conditions."""
    return _of_kind("hazard")


def worst_forms() -> tuple[Entry, ...]:
    return _of_kind("worst_form")


def activities() -> tuple[Entry, ...]:
    return _of_kind("activity")


def get(code: str) -> Entry:
    """The entry for ``code``; ``KeyError`` for an unknown code."""
    return _registry().by_code[code]


def lists_of(code: str) -> frozenset[str]:
    """The list ids (``"TT09.II"``, ``"TT09.V.OT"`` …) that the job or workplace stands on."""
    return get(code).lists


def list_info(list_id: str) -> ListInfo:
    return _registry().lists[list_id]


def codes_on(list_id: str) -> frozenset[str]:
    """Every code that stands on ``list_id``, aliases included."""
    return frozenset(e.code for e in _registry().by_code.values() if list_id in e.lists)


def load_table(code: str) -> LoadTable:
    return _registry().load_tables[code]


def search(query: str, kind: str | Iterable[str] | None = None, limit: int = 20) -> list[Entry]:
    """Entries whose code or wording contains every word of ``query``.

    Matching ignores case and Vietnamese diacritics (``"non la"`` finds "làm nón lá",
    ``"d"`` matches "đ"). Entries containing the whole query as one phrase come first.
    """
    words = fold(query).split()
    if not words or limit <= 0:
        return []
    kinds: frozenset[str] | None
    if kind is None:
        kinds = None
    elif isinstance(kind, str):
        kinds = frozenset({kind})
    else:
        kinds = frozenset(kind)
    phrase = " " + " ".join(words)
    scored: list[tuple[int, int, Entry]] = []
    for order, (entry, code, text) in enumerate(_registry().folded):
        if kinds is not None and entry.kind not in kinds:
            continue
        if code.startswith(phrase.strip()):
            scored.append((0 if code == phrase.strip() else 1, order, entry))
            continue
        tokens = _WORD.findall(f"{code} {text}")
        # Each query word must start a word of the entry, so "la" finds "lá" but not "làm".
        if not all(any(t.startswith(w) for t in tokens) for w in words):
            continue
        spaced = " " + " ".join(tokens)
        if phrase + " " in spaced + " ":
            rank = 2
        elif phrase in spaced:
            rank = 3
        else:
            rank = 4
        scored.append((rank, order, entry))
    scored.sort(key=lambda item: item[:2])
    return [item[2] for item in scored[:limit]]
