"""The figures of a report: the indicators' table frozen into JSON, summed, compared.

The only place that talks to ``clms.indicators``.  A snapshot (``unit_figures``) and an
aggregate of accepted snapshots (``aggregate``) share one JSON shape::

    {"schema": 1, "kind": "unit" | "aggregate", "year": 2026, "taken_at": iso,
     "unit": {"id", "name", "code"}, "structure": ..., "codes": [...],
     "indicators": {code: {"label", "objective", "content_area", "higher_is_better"}},
     "rows": [{"id", "name", "code"}], "cells": {row_id: {code: value}},
     "totals": {code: value}, "groups": {breakdown: {code: {group: value}}},
     "table": <indicator_table(...).as_dict()> (unit snapshots), "sources": [...] (aggregates),
     "sections": <part III counts, clms.reports.sections>}

where each value is ``IndicatorValue.as_dict()``.  Documents and the "changes since
submission" view read only this shape, so they never mix live data into a submitted report.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any

from clms.indicators.base import BREAKDOWNS, IndicatorValue, Target, percent, status_of
from clms.indicators.compute import indicator_table
from clms.indicators.registry import INDICATORS
from clms.places.models import AdminUnit
from clms.reports import clock, hooks, sections, texts

SCHEMA = 1
MOVED_FIELDS = ("numerator", "denominator", "value")


def _definition(code: str) -> dict[str, Any]:
    text = texts.indicator_text(code)
    found = INDICATORS[code]
    return {
        # The report is always Vietnamese: the data file's wording before the registry's label.
        "label": str(text.get("short") or found.label),
        "objective": str(found.objective or text.get("objective", "")),
        "content_area": str(found.content_area or text.get("content_area", "")),
        "higher_is_better": found.higher_is_better,
    }


def _codes() -> list[str]:
    codes = list(INDICATORS)
    # The report's own order (the plan's order of targets) wins where it knows the code.
    known = [c for c in texts.known_codes() if c in codes]
    return known + [c for c in codes if c not in known]


def _json_value(value: Any) -> dict[str, Any]:
    data = dict(value.as_dict())
    if data.get("group") is not None:
        data["group"] = str(data["group"])
    return data


def _group_items(table: Any, row_id: int, code: str) -> Iterable[tuple[str, Any]]:
    found = table.groups(row_id, code)
    if isinstance(found, Mapping):
        return [(str(k), v) for k, v in found.items()]
    return [(str(v.group), v) for v in found]


def unit_figures(unit: AdminUnit, year: int) -> dict[str, Any]:
    """The figures of ``unit`` for ``year`` as they are now, ready to be frozen."""
    table = indicator_table(unit, year)
    codes: list[str] = []
    totals: dict[str, Any] = {}
    for code in _codes():
        try:
            totals[code] = _json_value(table.total(code))
        except (KeyError, LookupError, ValueError):
            continue  # an indicator the table does not compute
        codes.append(code)
    rows = [{"id": r.pk, "name": r.name, "code": r.code} for r in table.rows]
    cells = {str(r.pk): {code: _json_value(table.cell(r.pk, code)) for code in codes} for r in table.rows}
    groups: dict[str, dict[str, dict[str, Any]]] = {}
    for by in BREAKDOWNS:
        split = indicator_table(unit, year, by=by)
        groups[by] = {}
        for code in codes:
            try:
                items = _group_items(split, unit.pk, code)
            except (KeyError, LookupError, ValueError):
                continue
            groups[by][code] = {key: _json_value(v) for key, v in items}
    return {
        "schema": SCHEMA,
        "kind": "unit",
        "year": year,
        "taken_at": clock.now().isoformat(),
        "unit": {"id": unit.pk, "name": unit.name, "code": unit.code},
        "structure": getattr(table, "structure", None),
        "codes": codes,
        "indicators": {code: _definition(code) for code in codes},
        "rows": rows,
        "cells": cells,
        "totals": totals,
        "groups": groups,
        "table": table.as_dict(),
        "sections": sections.unit_sections(unit, year),
        "extras": hooks.extras(unit, year),
    }


def _target(target: Any) -> Target | None:
    """A plans.Target (model) as the indicators' Target (value object)."""
    if target is None:
        return None
    return Target(value=target.value, comparator=target.comparator, year=target.year, plan=target.plan.number or "")


def _shared_target(code: str, snapshots: list[tuple[AdminUnit, Any]]) -> Target | None:
    """The target every accepted report was measured against, when they all agree.

    A province whose own plan sets no figure still sums communes that all answer to one plan
    (Triệu Sơn's); comparing the sum with that plan's target is what its reader expects.
    """
    found = {json.dumps(s.data.get("totals", {}).get(code, {}).get("target"), sort_keys=True) for _u, s in snapshots}
    if len(found) != 1:
        return None
    raw = json.loads(found.pop())
    if not raw:
        return None
    value = raw.get("value")
    return Target(
        value=None if value is None else Decimal(str(value)),
        comparator=raw["comparator"],
        year=raw["year"],
        plan=raw.get("plan", ""),
    )


def _summed(code: str, unit_id: int, year: int, group: str | None, parts: list[dict[str, Any]], target: Target | None) -> dict[str, Any]:
    numerators = [p.get("numerator") for p in parts]
    denominators = [p.get("denominator") for p in parts]
    flags: set[str] = set()
    for p in parts:
        flags.update(p.get("flags") or [])
    complete = [(n, d) for n, d in zip(numerators, denominators, strict=True) if n is not None and d is not None]
    if len(complete) < len(parts):
        flags.add("partial")
    numerator = sum(n for n, _ in complete) if complete else None
    denominator = sum(d for _, d in complete) if complete else None
    value = percent(numerator, denominator)
    result = IndicatorValue(
        code=code,
        unit_id=unit_id,
        year=year,
        group=group,
        numerator=numerator,
        denominator=denominator,
        value=value,
        target=target,
        status=status_of(value, target, year),
        flags=frozenset(flags),
    )
    return _json_value(result)


def aggregate(
    receiver: AdminUnit, year: int, snapshots: list[tuple[AdminUnit, Any]], *, targets: Mapping[str, Any]
) -> dict[str, Any]:
    """The receiving level's figures: numerators and denominators summed across the accepted
    snapshots, values recomputed, compared with the receiver's targets.  ``snapshots`` is a list
    of (sending unit, Snapshot)."""
    codes: list[str] = []
    indicators: dict[str, Any] = {}
    for _unit, snap in snapshots:
        for code in snap.data.get("codes", []):
            if code not in indicators:
                codes.append(code)
                indicators[code] = snap.data["indicators"][code]
    if not codes:
        codes = _codes()
        indicators = {c: _definition(c) for c in codes}
    rows = [{"id": u.pk, "name": u.name, "code": u.code} for u, _s in snapshots]
    cells = {str(u.pk): {c: s.data["totals"][c] for c in codes if c in s.data.get("totals", {})} for u, s in snapshots}
    converted = {code: _target(targets.get(code)) or _shared_target(code, snapshots) for code in codes}
    totals = {
        code: _summed(code, receiver.pk, year, None, [s.data["totals"][code] for _u, s in snapshots if code in s.data.get("totals", {})], converted[code])
        for code in codes
    }
    groups: dict[str, dict[str, dict[str, Any]]] = {}
    for by in BREAKDOWNS:
        groups[by] = {}
        for code in codes:
            by_group: dict[str, list[dict[str, Any]]] = {}
            for _u, s in snapshots:
                for key, value in s.data.get("groups", {}).get(by, {}).get(code, {}).items():
                    by_group.setdefault(key, []).append(value)
            if by_group:
                groups[by][code] = {
                    key: _summed(code, receiver.pk, year, key, parts, converted[code]) for key, parts in sorted(by_group.items())
                }
    return {
        "schema": SCHEMA,
        "kind": "aggregate",
        "year": year,
        "taken_at": clock.now().isoformat(),
        "unit": {"id": receiver.pk, "name": receiver.name, "code": receiver.code},
        "structure": None,
        "codes": codes,
        "indicators": indicators,
        "rows": rows,
        "cells": cells,
        "totals": totals,
        "groups": groups,
        "sections": sections.aggregate_sections([s.data.get("sections") or {} for _u, s in snapshots]),
        "sources": [
            {"unit_id": u.pk, "snapshot_id": s.pk, "submission_id": s.submission_id, "taken_at": s.taken_at.isoformat()}
            for u, s in snapshots
        ],
    }


def changes(frozen: Mapping[str, Any], live: Mapping[str, Any]) -> list[dict[str, Any]]:
    """Indicators (in total or in a breakdown group) whose numerator, denominator or value moved."""
    found: list[dict[str, Any]] = []

    def compare(code: str, by: str | None, group: str | None, before: Mapping[str, Any] | None, after: Mapping[str, Any] | None) -> None:
        before, after = before or {}, after or {}
        moved = [f for f in MOVED_FIELDS if before.get(f) != after.get(f)]
        if moved:
            found.append({"code": code, "by": by, "group": group, "before": dict(before), "after": dict(after), "moved": moved})

    codes = list(dict.fromkeys([*frozen.get("codes", []), *live.get("codes", [])]))
    for code in codes:
        compare(code, None, None, frozen.get("totals", {}).get(code), live.get("totals", {}).get(code))
    for by in BREAKDOWNS:
        for code in codes:
            old = frozen.get("groups", {}).get(by, {}).get(code, {})
            new = live.get("groups", {}).get(by, {}).get(code, {})
            for group in sorted(set(old) | set(new)):
                compare(code, by, group, old.get(group), new.get(group))
    return found


def ruleset_ids(year: int) -> list[str]:
    """The Vietnamese-law rulesets in force at some point of ``year`` (classifications use them)."""
    from clms.rules import RULESETS

    start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    return [
        r.id
        for r in RULESETS
        if r.binding and r.effective_from <= end and (r.effective_to is None or r.effective_to >= start)
    ]


class SnapshotTable:
    """A frozen figures dict seen through the IndicatorTable interface, for the shared charts."""

    def __init__(self, data: Mapping[str, Any]) -> None:
        self.data = data
        self.year = int(data["year"])
        self.rows = [AdminUnit(pk=r["id"], name=r["name"], code=r.get("code") or "") for r in data["rows"]]

    @staticmethod
    def _value(raw: Mapping[str, Any]) -> IndicatorValue:
        target = raw.get("target")
        return IndicatorValue(
            code=raw["code"],
            unit_id=raw["unit_id"],
            year=raw["year"],
            group=raw.get("group"),
            numerator=raw.get("numerator"),
            denominator=raw.get("denominator"),
            value=raw.get("value"),
            target=None
            if not target
            else Target(
                value=None if target.get("value") is None else Decimal(str(target["value"])),
                comparator=target["comparator"],
                year=target["year"],
                plan=target.get("plan", ""),
            ),
            status=raw.get("status", "no_data"),
            flags=frozenset(raw.get("flags") or []),
        )

    def cell(self, row_id: int, code: str) -> IndicatorValue:
        return self._value(self.data["cells"][str(row_id)][code])

    def total(self, code: str) -> IndicatorValue:
        return self._value(self.data["totals"][code])

    def groups(self, row_id: int, code: str) -> dict[str, IndicatorValue]:
        return {}

    def as_dict(self) -> dict[str, Any]:
        return dict(self.data)
