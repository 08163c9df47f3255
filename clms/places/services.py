"""Writes to places: loading the official unit lists, villages, denominators."""

from __future__ import annotations

import json
import sqlite3
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from importlib import resources
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from clms.places.models import (
    PRE_REFORM_END,
    REFORM_DATE,
    AdminUnit,
    Denominator,
    DenominatorSource,
    Level,
    Scheme,
    Succession,
)
from clms.places.paths import unit_save
from clms.places.scoping import can_write_unit

if TYPE_CHECKING:
    from clms.accounts.models import User

# ---------------------------------------------------------------------------
# Official lists (vietnamadminunits, MIT: GSO codes before and after 1 July 2025)
# ---------------------------------------------------------------------------


def _source_rows(sql: str, params: tuple[Any, ...]) -> list[dict[str, Any]]:
    db = resources.files("vietnamadminunits") / "data" / "dataset.db"
    with resources.as_file(db) as path, sqlite3.connect(f"file:{path}?mode=ro", uri=True) as conn:
        conn.row_factory = sqlite3.Row
        return [dict(r) for r in conn.execute(sql, params)]


def _converter() -> dict[str, Any]:
    data = resources.files("vietnamadminunits") / "data" / "converter_2025.json"
    result: dict[str, Any] = json.loads(data.read_text(encoding="utf-8"))
    return result


def available_provinces() -> list[tuple[str, str]]:
    """(code, name) of the provinces of the list in force since 1 July 2025."""
    rows = _source_rows(
        "SELECT DISTINCT provinceCode, province FROM admin_units ORDER BY provinceCode", ()
    )
    return [(r["provinceCode"], r["province"]) for r in rows]


@dataclass
class LoadResult:
    province_code: str
    created: Counter[str] = field(default_factory=Counter)
    updated: Counter[str] = field(default_factory=Counter)
    successions: int = 0

    def total(self, key: str) -> int:
        return self.created[key] + self.updated[key]


class _Upserter:
    """Creates or updates units keyed by (scheme, level, code) and maintains their paths."""

    def __init__(self, result: LoadResult) -> None:
        self.result = result
        self.existing = {
            (u.scheme, u.level, u.code): u
            for u in AdminUnit.objects.exclude(scheme=Scheme.LOCAL).exclude(code="")
        }

    def upsert(self, *, scheme: str, level: str, code: str, parent: AdminUnit | None, **attrs: Any) -> AdminUnit:
        key = (scheme, level, code)
        unit = self.existing.get(key)
        if unit is None:
            unit = AdminUnit(scheme=scheme, level=level, code=code, parent=parent, **attrs)
            unit_save(unit)
            self.result.created[f"{scheme}:{level}"] += 1
            self.existing[key] = unit
        else:
            unit.parent = parent
            for name, value in attrs.items():
                setattr(unit, name, value)
            self.result.updated[f"{scheme}:{level}"] += 1
            unit_save(unit)
        return unit


def _province_scheme(in_old: bool, in_new: bool) -> str:
    if in_old and in_new:
        return Scheme.BOTH
    return Scheme.POST_2025 if in_new else Scheme.PRE_2025


@transaction.atomic
def units_load_province(*, province_code: str) -> LoadResult:
    """Load one province as it is since 1 July 2025 and as it was before, with successor links.

    The province of the new list may have absorbed several old provinces; all of them are
    loaded, each with its districts and communes, and every old commune is linked to the
    new commune(s) that took it over.
    """
    new_rows = _source_rows("SELECT * FROM admin_units WHERE provinceCode = ?", (province_code,))
    if not new_rows:
        raise ValidationError(_("Unknown province code %(code)s") % {"code": province_code})
    result = LoadResult(province_code=province_code)
    up = _Upserter(result)
    conv = _converter()
    new_key = new_rows[0]["provinceKey"]
    old_keys: list[str] = conv["DICT_PROVINCE"].get(new_key, [new_key])
    placeholders = ",".join("?" for _k in old_keys)
    old_rows = _source_rows(
        f"SELECT * FROM admin_units_legacy WHERE provinceKey IN ({placeholders}) "  # noqa: S608 - placeholders only
        "ORDER BY provinceCode, districtCode, wardCode",
        tuple(old_keys),
    )
    old_province_codes = {r["provinceCode"] for r in old_rows}

    new_province = up.upsert(
        scheme=_province_scheme(province_code in old_province_codes, True),
        level=Level.PROVINCE,
        code=province_code,
        parent=None,
        name=new_rows[0]["province"],
        short_name=new_rows[0]["provinceShort"],
        unit_type=new_rows[0]["province"].split(" ")[0],
        valid_from=None if province_code in old_province_codes else REFORM_DATE,
        valid_to=None,
        latitude=new_rows[0]["provinceLat"],
        longitude=new_rows[0]["provinceLon"],
    )
    new_wards: dict[str, AdminUnit] = {}
    for row in new_rows:
        ward_type = row["wardType"]
        new_wards[row["wardKey"]] = up.upsert(
            scheme=Scheme.POST_2025,
            level=Level.COMMUNE,
            code=row["wardCode"],
            parent=new_province,
            name=row["ward"],
            short_name=row["wardShort"],
            unit_type=ward_type,
            valid_from=REFORM_DATE,
            valid_to=None,
            latitude=row["wardLat"],
            longitude=row["wardLon"],
        )

    old_provinces: dict[str, AdminUnit] = {}
    districts: dict[tuple[str, str], AdminUnit] = {}
    old_wards: dict[str, AdminUnit] = {}
    for row in old_rows:
        pcode = row["provinceCode"]
        if pcode not in old_provinces:
            if pcode == province_code:
                old_provinces[pcode] = new_province
            else:
                old_provinces[pcode] = up.upsert(
                    scheme=Scheme.PRE_2025,
                    level=Level.PROVINCE,
                    code=pcode,
                    parent=None,
                    name=row["province"],
                    short_name=row["provinceShort"],
                    unit_type=row["province"].split(" ")[0],
                    valid_from=None,
                    valid_to=PRE_REFORM_END,
                    latitude=row["provinceLat"],
                    longitude=row["provinceLon"],
                )
                _link(old_provinces[pcode], new_province, True, result)
        dkey = (pcode, row["districtCode"])
        if dkey not in districts:
            districts[dkey] = up.upsert(
                scheme=Scheme.PRE_2025,
                level=Level.DISTRICT,
                code=row["districtCode"],
                parent=old_provinces[pcode],
                name=row["district"],
                short_name=row["districtShort"],
                unit_type=row["districtType"],
                valid_from=None,
                valid_to=PRE_REFORM_END,
                latitude=row["districtLat"],
                longitude=row["districtLon"],
            )
        if not row["wardCode"]:
            continue  # a district without communes (island districts)
        old_wards[f"{row['provinceKey']}_{row['districtKey']}_{row['wardKey']}"] = up.upsert(
            scheme=Scheme.PRE_2025,
            level=Level.COMMUNE,
            code=row["wardCode"],
            parent=districts[dkey],
            name=row["ward"],
            short_name=row["wardShort"],
            unit_type=row["wardType"],
            valid_from=None,
            valid_to=PRE_REFORM_END,
            latitude=row["wardLat"],
            longitude=row["wardLon"],
        )

    for new_ward_key, old_keys_of_ward in conv["DICT_PROVINCE_WARD_NO_DIVIDED"].get(new_key, {}).items():
        successor = new_wards.get(new_ward_key)
        for old_key in old_keys_of_ward:
            if successor is not None and old_key in old_wards:
                _link(old_wards[old_key], successor, True, result)
    for old_key, targets in conv["DICT_PROVINCE_WARD_DIVIDED"].get(new_key, {}).items():
        for target in targets:
            successor = new_wards.get(target["newWardKey"])
            if successor is not None and old_key in old_wards:
                _link(old_wards[old_key], successor, bool(target["isDefaultNewWard"]), result)
    return result


def _link(old: AdminUnit, new: AdminUnit, is_main: bool, result: LoadResult) -> None:
    _obj, created = Succession.objects.update_or_create(
        predecessor=old, successor=new, defaults={"is_main": is_main, "effective": REFORM_DATE}
    )
    result.successions += int(created)


# ---------------------------------------------------------------------------
# Derived denominators: the figures another app counts, written here
# ---------------------------------------------------------------------------


@dataclass
class DeriveResult:
    written: list[Denominator] = field(default_factory=list)
    kept: list[Denominator] = field(default_factory=list)


@transaction.atomic
def denominators_write_derived(
    *, user: User, year: int, values: Mapping[AdminUnit, Mapping[str, int]], note: str
) -> DeriveResult:
    """Store derived figures (``values``: unit -> group -> value) of ``year``.  A figure
    someone entered or imported is never overwritten: it is kept and reported as such.
    Checked here too, not only by the caller (which checks the role through the policy): the
    policy lives in accounts, a layer above places, so the area check is the one made here."""
    for unit in values:
        if not can_write_unit(user, unit):
            raise PermissionDenied
    result = DeriveResult()
    for unit, groups in values.items():
        existing = {d.group: d for d in Denominator.objects.filter(unit=unit, year=year, group__in=list(groups))}
        for group, value in groups.items():
            row = existing.get(group)
            if row is not None and row.source != DenominatorSource.DERIVED:
                result.kept.append(row)
                continue
            if row is None:
                row = Denominator(unit=unit, year=year, group=group)
            row.value = value
            row.source = DenominatorSource.DERIVED
            row.updated_by = user
            row.note = note
            row.save()
            result.written.append(row)
    return result
