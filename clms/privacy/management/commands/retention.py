"""manage.py retention: anonymise the records of people who came of age long enough ago.

A person is anonymised when they turned 18 at least CLMS_RETENTION_YEARS years ago (or
--years) and no case of theirs is open.  Without --apply it only counts.  Cron, monthly:

    0 3 1 * * cd /srv/clms && .venv/bin/python manage.py retention --apply
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from clms.privacy.services import child_anonymise, retention_candidates


class Command(BaseCommand):
    help = "Anonymise people who turned 18 long enough ago and have no open case (dry run without --apply)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--years", type=int, default=None, help="years after the 18th birthday (default CLMS_RETENTION_YEARS)")
        parser.add_argument("--apply", action="store_true", help="anonymise; without it, only count")

    def handle(self, *args: Any, **options: Any) -> None:
        years = options["years"] if options["years"] is not None else settings.CLMS_RETENTION_YEARS
        if years < 0:
            raise CommandError("--years cannot be negative")
        today = timezone.localdate()
        candidates = list(retention_candidates(today=today, years=years))
        if not options["apply"]:
            self.stdout.write(f"{len(candidates)} people would be anonymised (turned 18 at least {years} years ago, "
                              "no open case); run with --apply to do it")
            return
        for child in candidates:
            child_anonymise(child=child, reason=f"retention: 18 + {years} years, no open case")
        self.stdout.write(f"anonymised {len(candidates)} people (turned 18 at least {years} years ago, no open case)")
