from __future__ import annotations

import datetime as dt
import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection

from clms.core.figure_cache import invalidate
from clms.demo.generator import SCALES, GeneratorRefused, generate


class Command(BaseCommand):
    help = (
        "Generate reproducible synthetic data: commune (Tân Ninh), district (Triệu Sơn, ~5,000 children), "
        "province (Thanh Hóa, ~60,000) or nation (~1.5 million, PostgreSQL only, after load_units --all)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--scale", choices=sorted(SCALES), default="district")
        parser.add_argument("--seed", type=int, default=2021)
        parser.add_argument("--flush", action="store_true", help="delete previously generated data first")
        parser.add_argument("--force", action="store_true", help="add to a database that holds other records")
        parser.add_argument("--as-of", help="the day taken as today (YYYY-MM-DD); default: today")
        parser.add_argument(
            "--provinces", default="",
            help="nation scale only: comma-separated province codes to generate (a partial national run)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        as_of = dt.date.fromisoformat(options["as_of"]) if options["as_of"] else None
        provinces = [p.strip().zfill(2) for p in options["provinces"].split(",") if p.strip()] or None
        try:
            result = generate(
                scale=options["scale"], seed=options["seed"], flush_first=options["flush"], force=options["force"],
                as_of=as_of, provinces=provinces,
            )
        except GeneratorRefused as exc:
            raise CommandError(str(exc)) from exc
        invalidate()  # the dashboard cache is shared: drop figures of the records replaced
        if connection.vendor == "postgresql":
            # Fresh statistics for the planner: a bulk load leaves none until autovacuum's
            # analyze comes round (never, where autovacuum is off), and without them the
            # province dashboard in a 10-province database ran over 400 s instead of 2.8 s.
            started = time.monotonic()
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
            self.stdout.write(f"ANALYZE in {time.monotonic() - started:.1f} s")
        self.stdout.write(result.summary())
        self.stdout.write(f"duplicates ground truth: {len(result.duplicates):,} pairs in {result.duplicates_file}")
