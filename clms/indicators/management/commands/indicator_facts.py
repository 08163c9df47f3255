"""Compute and store the per-year facts of closed years (clms.indicators.facts).

    python manage.py indicator_facts                    # stale or missing facts only
    python manage.py indicator_facts --rebuild          # every fact again
    python manage.py indicator_facts --rebuild --province 38 --breakdowns --communes

For each province (or the one named), its districts and, with ``--communes``, its communes,
in both structures, every closed year from 2021, without a breakdown and, with
``--breakdowns``, by each.  A table reads valid facts and computes the rest, so without
``--rebuild`` the command only fills what a first reader would otherwise wait for.
"""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from clms.indicators.base import BASELINE_YEAR, BREAKDOWNS, Breakdown
from clms.indicators.compute import indicator_table
from clms.indicators.models import IndicatorFact
from clms.indicators.units import STRUCTURES
from clms.places.models import AdminUnit, Level


class Command(BaseCommand):
    help = "Compute and store the indicator facts of closed years."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--rebuild", action="store_true", help="Delete the stored facts first and compute them all.")
        parser.add_argument("--province", help="Code of one province (default: every province).")
        parser.add_argument("--breakdowns", action="store_true", help="Also by sex, ethnicity and age bands.")
        parser.add_argument("--communes", action="store_true", help="Also every commune's own table.")

    def handle(self, *args: Any, **options: Any) -> None:
        provinces = AdminUnit.objects.filter(level=Level.PROVINCE).order_by("code")
        if options["province"]:
            provinces = provinces.filter(code=options["province"])
            if not provinces.exists():
                raise CommandError(f"No province has code {options['province']}.")
        levels = [Level.PROVINCE, Level.DISTRICT, *([Level.COMMUNE] if options["communes"] else [])]
        breakdowns: list[Breakdown | None] = [None, *(BREAKDOWNS if options["breakdowns"] else ())]
        years = range(BASELINE_YEAR, timezone.localdate().year)
        started = time.perf_counter()
        tables = 0
        for province in provinces:
            scopes = list(AdminUnit.objects.filter(path__startswith=province.path, level__in=levels).order_by("path"))
            if options["rebuild"]:
                IndicatorFact.objects.filter(scope__in=scopes).delete()
            for scope in scopes:
                for structure in STRUCTURES:
                    for by in breakdowns:
                        for year in years:
                            # Reading the table stores whatever facts are missing or stale.
                            indicator_table(scope, year, structure=structure, by=by)
                            tables += 1
        count = IndicatorFact.objects.count()
        self.stdout.write(f"{tables} tables read, {count} facts stored, in {time.perf_counter() - started:.1f} s")
