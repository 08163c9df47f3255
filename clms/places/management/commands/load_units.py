from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from clms.places.services import available_provinces, units_load_province


class Command(BaseCommand):
    help = "Load a province's units as they were before 1 July 2025 and as they are since, with successor links."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--province", action="append", default=[], help="GSO province code (e.g. 38); repeatable")
        parser.add_argument("--all", action="store_true", help="load every province")

    def handle(self, *args: Any, **options: Any) -> None:
        codes: list[str] = options["province"]
        if options["all"]:
            codes = [code for code, _name in available_provinces()]
        if not codes:
            raise CommandError("Give --province CODE or --all")
        for code in codes:
            try:
                result = units_load_province(province_code=code.zfill(2))
            except Exception as exc:  # a bad code must say which one failed
                raise CommandError(f"province {code}: {exc}") from exc
            counts = ", ".join(
                f"{key}={result.total(key)}" for key in sorted(set(result.created) | set(result.updated))
            )
            self.stdout.write(f"province {result.province_code}: {counts}, new successor links={result.successions}")
