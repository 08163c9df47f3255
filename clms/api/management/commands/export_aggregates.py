"""Write per-commune indicator figures for the province and national systems.

    python manage.py export_aggregates --year 2025 --unit 38 --format csv > thanh-hoa-2025.csv
    python manage.py export_aggregates --year 2024 --unit 38 --structure before-2025 --format json
    python manage.py export_aggregates --year 2025 --unit 38 --format dhis2 --out dhis2.json

Figures only (counts and ratios), in the layout of docs/api.md ("Aggregate layout").
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from clms.api import aggregates
from clms.indicators.management.commands.indicators import resolve
from clms.indicators.units import STRUCTURES, Structure
from clms.places.models import AdminUnit, Level


class Command(BaseCommand):
    help = "Write per-commune indicator values (CSV, JSON or DHIS2 dataValueSets) for a year."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--year", required=True, type=int)
        parser.add_argument("--unit", help="official code of the scope (default: every province)")
        parser.add_argument("--structure", choices=STRUCTURES, default=None,
                            help="administrative structure (default: after-2025 from 2025 on, else before-2025)")
        parser.add_argument("--format", choices=("csv", "json", "dhis2"), default="csv")
        parser.add_argument("--out", help="file to write (default: standard output)")

    def handle(self, *args: Any, **options: Any) -> None:
        year: int = options["year"]
        if not 2000 <= year <= 2100:
            raise CommandError("--year must be a year such as 2025.")
        structure: Structure = options["structure"] or ("after-2025" if year >= 2025 else "before-2025")
        if options["unit"]:
            scopes = [resolve(options["unit"], structure)]
        else:
            scopes = list(AdminUnit.objects.filter(level=Level.PROVINCE).order_by("code"))
            if not scopes:
                raise CommandError("No provinces are loaded (manage.py load_units).")
        rows: list[dict[str, Any]] = []
        for scope in scopes:
            rows += aggregates.aggregate_rows(scope, year, structure=structure)
        if options["format"] == "csv":
            text = aggregates.rows_csv(rows)
        elif options["format"] == "json":
            text = json.dumps(aggregates.rows_json(rows), ensure_ascii=False, indent=2) + "\n"
        else:
            text = json.dumps(aggregates.dhis2_data_values(rows), ensure_ascii=False, indent=2) + "\n"
        if options["out"]:
            Path(options["out"]).write_text(text, encoding="utf-8")
            self.stderr.write(f"{len(rows)} rows written to {options['out']}")
        else:
            self.stdout.write(text, ending="")
