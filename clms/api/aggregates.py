"""Per-commune indicator figures for the province and national systems: one stable layout
for the API, ``manage.py export_aggregates`` (CSV/JSON) and DHIS2 ``dataValueSets``.

Figures only, never a child: every value is a count or a ratio of the plan's indicators as
the dashboard computes them (clms.indicators.compute.indicator_table).

Row layout (docs/api.md, "Aggregate layout", version 1) — column order is part of the contract:
``unit_code, unit_name, unit_list, unit_level, parent_code, year, structure, indicator,
numerator, denominator, value, flags``.
"""

from __future__ import annotations

import csv
import io
from typing import Any, Literal

from clms.indicators.compute import IndicatorTable, indicator_table
from clms.indicators.units import Structure
from clms.places.models import AdminUnit, Level

LAYOUT_VERSION = 1
COLUMNS = (
    "unit_code", "unit_name", "unit_list", "unit_level", "parent_code", "year", "structure", "indicator",
    "numerator", "denominator", "value", "flags",
)


def _row(unit: AdminUnit, table: IndicatorTable, code: str, value: Any) -> dict[str, Any]:
    return {
        "unit_code": unit.code,
        "unit_name": unit.name,
        "unit_list": unit.scheme,
        "unit_level": unit.level,
        "parent_code": unit.parent.code if unit.parent_id and unit.parent else "",
        "year": table.year,
        "structure": table.structure,
        "indicator": code,
        "numerator": value.numerator,
        "denominator": value.denominator,
        "value": None if value.value is None else round(float(value.value), 2),
        "flags": sorted(value.flags),
    }


def aggregate_rows(
    scope: AdminUnit, year: int, *, structure: Structure | None = None,
    target_source: Literal["local", "national"] = "local",
) -> list[dict[str, Any]]:
    """The scope's own total, then every commune under it (through districts when the
    structure has them), each with every indicator."""
    out: list[dict[str, Any]] = []
    top = indicator_table(scope, year, structure=structure, target_source=target_source)
    for code in top.codes:
        out.append(_row(scope, top, code, top.total(code)))
    pending = [top]
    while pending:
        table = pending.pop(0)
        for unit in sorted(table.rows, key=lambda u: (u.name, u.pk)):
            if unit.pk == table.scope.pk:
                continue
            if unit.level == Level.COMMUNE:
                for code in table.codes:
                    out.append(_row(unit, table, code, table.cell(unit.pk, code)))
            else:
                pending.append(indicator_table(unit, year, structure=table.structure, target_source=target_source))
    return out


def rows_csv(rows: list[dict[str, Any]]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(COLUMNS)
    for row in rows:
        values = []
        for column in COLUMNS:
            v = row[column]
            if column == "flags":
                v = ";".join(v)
            values.append("" if v is None else v)
        writer.writerow(values)
    return buffer.getvalue()


def rows_json(rows: list[dict[str, Any]]) -> dict[str, Any]:
    return {"layout_version": LAYOUT_VERSION, "columns": list(COLUMNS), "rows": rows}


def dhis2_data_values(rows: list[dict[str, Any]]) -> dict[str, Any]:
    """DHIS2 ``dataValueSets``: data element = indicator code, org unit = the unit's code,
    period = the year.  A DHIS2 instance maps these codes with ``idScheme=CODE`` on import
    (``/api/dataValueSets?dataElementIdScheme=CODE&orgUnitIdScheme=CODE``).  Only values
    that exist are sent; the numerator and denominator go in the comment."""
    values = []
    for row in rows:
        if row["value"] is None or not row["unit_code"]:
            continue
        values.append({
            "dataElement": row["indicator"],
            "orgUnit": row["unit_code"],
            "period": str(row["year"]),
            "value": f"{row['value']:.2f}",
            "comment": f"{row['numerator']}/{row['denominator']}" + (f" [{','.join(row['flags'])}]" if row["flags"] else ""),
        })
    return {"dataValues": values}
