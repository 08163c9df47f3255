"""Print the authorization matrix's expectations as a Markdown table: every route, the record
it is probed on, and the status each persona gets on a record it may see.

    python scripts/access_table.py > /tmp/routes.md
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import django

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "clms.settings")
os.environ.setdefault("CLMS_TESTING", "1")  # the world module imports models; no database is opened
django.setup()

from tests.access.routes import ROUTES  # noqa: E402 - after Django is set up
from tests.access.world import PERSONAS  # noqa: E402


def main() -> None:
    personas = list(PERSONAS)
    print("| route | record | " + " | ".join(p.replace("_", " ") for p in personas) + " |")
    print("|---|---|" + "---|" * len(personas))
    for name in sorted(ROUTES):
        route = ROUTES[name]
        cells = [str(route.expected(p)) for p in personas]
        print(f"| `{name}` | {route.obj or '—'}{' (POST)' if route.post else ''} | " + " | ".join(cells) + " |")


if __name__ == "__main__":
    main()
