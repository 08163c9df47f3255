"""Derive the enterprise, cooperative and craft-household denominators of a year from the register."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from clms.accounts.models import User
from clms.core.figure_cache import invalidate
from clms.employers.services import denominators_derive
from clms.places.models import AdminUnit


class Command(BaseCommand):
    help = "Derive the enterprises, cooperatives and craft-village households denominators of a year for a unit."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--year", type=int, required=True)
        parser.add_argument("--unit", required=True, help="official code of the commune, district or province")
        parser.add_argument("--user", required=True, help="username recorded as the one who derived the figures")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            user = User.objects.get(username=options["user"])
        except User.DoesNotExist:
            raise CommandError(f"no user {options['user']!r}") from None
        units = list(AdminUnit.objects.filter(code=options["unit"]).exclude(level="village").order_by("-valid_from"))
        if not units:
            raise CommandError(f"no unit with code {options['unit']!r}")
        started = time.perf_counter()
        result = denominators_derive(user=user, unit=units[0], year=options["year"])
        invalidate()  # the dashboard cache is shared: denominators changed
        elapsed = time.perf_counter() - started
        self.stdout.write(
            f"{units[0].name} {options['year']}: {len(result.written)} derived, {len(result.kept)} kept "
            f"(entered or imported) in {elapsed:.2f} s"
        )
