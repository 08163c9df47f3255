"""Classify stored observations again after a ruleset changed, and report what moved."""

from __future__ import annotations

from collections import Counter
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from clms.core.figure_cache import invalidate
from clms.people.classification import reclassify
from clms.people.models import WorkObservation


class Command(BaseCommand):
    help = "Re-classify stored work observations under the rulesets in force; report category moves."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--commune", type=int, help="Only observations of this commune (AdminUnit id).")
        parser.add_argument("--since", help="Only observations on or after this date (YYYY-MM-DD).")
        parser.add_argument("--verbose", action="store_true", help="List the ids of the observations that moved.")

    def handle(self, *args: Any, **options: Any) -> None:
        observations = WorkObservation.objects.select_related("child").order_by("pk")
        if options["commune"]:
            observations = observations.filter(commune_id=options["commune"])
        if options["since"]:
            observations = observations.filter(observed_on__gte=options["since"])
        total = observations.count()
        moved = reclassify(observations.iterator(chunk_size=500))
        invalidate()  # the dashboard cache is shared: figures may have moved
        counts = Counter((old or "-", new) for _obs, old, new in moved)
        self.stdout.write(f"{total} observations classified again; {len(moved)} moved under vn-law.")
        for (old, new), count in sorted(counts.items()):
            self.stdout.write(f"  {old} -> {new}: {count}")
        if options["verbose"]:
            for observation, old, new in moved:
                self.stdout.write(f"  observation {observation.pk} (child {observation.child_id}): {old or '-'} -> {new}")
