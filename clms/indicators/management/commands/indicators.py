"""Print every indicator of a unit and year, and of each of its child units.

    python manage.py indicators --unit 397 --year 2024 --structure before-2025
    python manage.py indicators --unit 38 --year 2026 --json
"""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from clms.indicators.base import IndicatorValue
from clms.indicators.compute import indicator_table
from clms.indicators.units import STRUCTURES
from clms.places.models import AdminUnit, Scheme

# Which official lists a code is looked up in, per structure.
SCHEMES = {
    "before-2025": (Scheme.PRE_2025, Scheme.BOTH),
    "after-2025": (Scheme.POST_2025, Scheme.BOTH),
}


def resolve(code: str, structure: str) -> AdminUnit:
    found = list(AdminUnit.objects.filter(code=code, scheme__in=SCHEMES[structure]).order_by("level", "pk"))
    if not found:
        raise CommandError(f"No unit has code {code} in the {structure} list.")
    if len(found) > 1:
        names = "; ".join(f"{u.name} ({u.level}, {u.scheme})" for u in found)
        raise CommandError(f"Code {code} is ambiguous in the {structure} list: {names}.")
    return found[0]


def _line(name: str, v: IndicatorValue) -> str:
    value = "—" if v.value is None else f"{v.value:.2f}%"
    target = "—"
    if v.target is not None:
        target = v.target.comparator if v.target.value is None else f"{v.target.comparator} {v.target.value}%"
    denominator = "—" if v.denominator is None else str(v.denominator)
    flags = ",".join(sorted(v.flags)) or "-"
    return f"{name[:32]:32} {v.code:24} {value:>9} {v.numerator!s:>7} {denominator:>8} {target:>10} {v.status:10} {flags}"


class Command(BaseCommand):
    help = "Print the indicators of a unit and of each of its child units for a year."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--unit", required=True, help="official code of the unit")
        parser.add_argument("--year", required=True, type=int)
        parser.add_argument("--structure", choices=STRUCTURES, default="after-2025")
        parser.add_argument("--targets", choices=("local", "national"), default="local")
        parser.add_argument("--json", action="store_true", help="print JSON instead of a table")

    def handle(self, *args: Any, **options: Any) -> None:
        structure = options["structure"]
        unit = resolve(options["unit"], structure)
        table = indicator_table(unit, options["year"], structure=structure, target_source=options["targets"])
        if options["json"]:
            self.stdout.write(json.dumps(table.as_dict(), ensure_ascii=False, indent=2))
            return
        self.stdout.write(f"{unit.name} ({unit.code}), {table.year}, {table.structure}")
        header = f"{'unit':32} {'indicator':24} {'value':>9} {'num':>7} {'denom':>8} {'target':>10} {'status':10} flags"
        self.stdout.write(header)
        for code in table.codes:
            self.stdout.write(_line(unit.name, table.total(code)))
        for row in table.rows:
            if row.pk == unit.pk:
                continue
            for code in table.codes:
                self.stdout.write(_line(row.name, table.cell(row.pk, code)))
