from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser

from clms.core.figure_cache import invalidate
from clms.demo.setup import demo_setup


class Command(BaseCommand):
    help = "Create the Triệu Sơn demo: units, villages, denominators and one user per role."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--seed", type=int, default=2021)

    def handle(self, *args: Any, **options: Any) -> None:
        logins = demo_setup(seed=options["seed"])
        invalidate()  # the dashboard cache is shared: drop figures of the records replaced
        settings.VAR_DIR.mkdir(parents=True, exist_ok=True)
        out = settings.VAR_DIR / "demo-logins.txt"
        out.write_text("".join(f"{x.role}\t{x.username}\t{x.password}\n" for x in logins), encoding="utf-8")
        out.chmod(0o600)
        self.stdout.write("Demo logins (also in var/demo-logins.txt):")
        for x in logins:
            self.stdout.write(f"  {x.role:<16} {x.username:<20} {x.password}")
