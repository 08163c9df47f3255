"""Write the API's OpenAPI schema to docs/openapi.json, or check that it is up to date.

    python manage.py api_schema            # rewrite docs/openapi.json
    python manage.py api_schema --check    # CI: fail when the code and the committed schema differ

Partners build against the committed file, so a change to the API shows up in review as a
change to this file.
"""

from __future__ import annotations

import difflib
import json
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

SCHEMA_FILE = Path(settings.BASE_DIR) / "docs" / "openapi.json"


def schema_text() -> str:
    from clms.api.api import api

    return json.dumps(api.get_openapi_schema(path_prefix="/" + settings.CLMS_API_MOUNT), ensure_ascii=False, indent=2) + "\n"


class Command(BaseCommand):
    help = "Write docs/openapi.json from the code, or --check that it is current."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--check", action="store_true")

    def handle(self, *args: Any, **options: Any) -> None:
        fresh = schema_text()
        if options["check"]:
            stored = SCHEMA_FILE.read_text(encoding="utf-8") if SCHEMA_FILE.exists() else ""
            if stored != fresh:
                diff = "".join(list(difflib.unified_diff(stored.splitlines(True), fresh.splitlines(True),
                                                         "docs/openapi.json", "code"))[:60])
                raise CommandError(f"docs/openapi.json is out of date: run `manage.py api_schema`.\n{diff}")
            self.stdout.write("docs/openapi.json is current.")
            return
        SCHEMA_FILE.write_text(fresh, encoding="utf-8")
        self.stdout.write(f"wrote {SCHEMA_FILE}")
