"""Thanh Hóa's province supervisor in a national database: the dashboard and the register, in-process.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/clms_x CLMS_VAR_DIR=$PWD/var \
        python bench/bench_nation.py [--repeat 5] [--province 38]

On a database that holds a national run (``manage.py load_units --all`` then ``manage.py
generate --scale nation --provinces 38,…``).  Production settings unless the environment says
otherwise: DEBUG off, the shared cache in Redis db 11 (``CLMS_REDIS_URL``), a throwaway secret
key.  Django's test client as the bench's supervisor of the province (``bench.province``,
bench_register.py), no server: the cost of one request.  Printed for ``/indicators/`` (the
process's first request with the province's figures dropped from the cache; then cold, the
first request after a commune officer's write as scale_bench.py makes it; then warm) and
``/register/`` (first page; first and warm): milliseconds, the number of SQL queries, their
time and the slowest query.  The machine's load average is printed with the figures.
"""

from __future__ import annotations

import argparse
import os
import secrets
import statistics
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "clms.settings")
os.environ.setdefault("CLMS_DEBUG", "0")
os.environ.setdefault("CLMS_SECRET_KEY", secrets.token_urlsafe(38)[:50])  # a throwaway: no session outlives the run
os.environ.setdefault("CLMS_ALLOWED_HOSTS", "testserver")
os.environ.setdefault("CLMS_TWO_FACTOR_REQUIRED", "0")
os.environ.setdefault("CLMS_REDIS_URL", "redis://127.0.0.1:6379/11")
os.environ.setdefault("CLMS_SSL_REDIRECT", "0")
os.environ.setdefault("CLMS_INDICATOR_CACHE_SECONDS", "60")

import django  # noqa: E402

django.setup()

from bench_register import supervisor  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402


def load() -> str:
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


def timed(client: Client, path: str) -> dict[str, Any]:
    """One request with its queries captured (the capture's own cost is small next to them)."""
    with CaptureQueriesContext(connection) as queries:
        started = time.perf_counter()
        response = client.get(path)
        ms = (time.perf_counter() - started) * 1000
    if response.status_code != 200:  # noqa: PLR2004
        raise SystemExit(f"{path}: HTTP {response.status_code}")
    captured = queries.captured_queries
    slow = max(captured, key=lambda q: float(q["time"]), default={"time": "0", "sql": ""})
    return {
        "ms": ms, "queries": len(captured), "sql_ms": sum(float(q["time"]) for q in captured) * 1000,
        "slowest_ms": float(slow["time"]) * 1000, "slowest": " ".join(slow["sql"].split())[:300],
        "kb": len(response.content) // 1024,
    }


def show(label: str, row: dict[str, Any]) -> None:
    print(f"{label:34} {row['ms']:9.1f} ms  {row['queries']:4d} queries  SQL {row['sql_ms']:8.1f} ms  "
          f"{row['kb']:4d} KB  slowest {row['slowest_ms']:7.1f} ms  [load {load()}]")
    print(f"{'':34} slowest: {row['slowest']}")


def write_then_invalidate(province: Any) -> None:
    """What a commune officer's edit does (as scale_bench.cold_after_write): a child of the
    province saved, then the officer's figure-cache generations renewed."""
    from clms.accounts.models import Role, User
    from clms.core.figure_cache import invalidate_for_user
    from clms.people.models import Child

    child = Child.objects.filter(commune__path__startswith=province.path).order_by("pk").first()
    if child is None:
        raise SystemExit("no child in the province: generate it first")
    officer, _created = User.objects.get_or_create(username="bench.commune")
    officer.role, officer.area, officer.full_name = Role.COMMUNE_OFFICER, child.commune, "Bench commune officer"
    officer.save()
    child.save(update_fields=["updated_at"])
    invalidate_for_user(officer)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    from clms.core.figure_cache import invalidate

    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_database_size(current_database())" if connection.vendor == "postgresql" else "SELECT 0")
        (size,) = cursor.fetchone()
    from clms.people.models import Child

    print(f"database {connection.settings_dict['NAME']}: {size / 2**30:.2f} GiB, {Child.objects.count():,} children; "
          f"DEBUG={os.environ['CLMS_DEBUG']}, cache {os.environ['CLMS_REDIS_URL'] or 'database'}")
    user = supervisor()
    province = user.area
    client = Client()
    client.force_login(user)
    invalidate()  # the first request computes everything, as after a deploy
    show("/indicators/ first request", timed(client, "/indicators/"))
    colds = []
    for _ in range(args.repeat):
        write_then_invalidate(province)
        colds.append(timed(client, "/indicators/"))
    cold = sorted(colds, key=lambda r: r["ms"])[len(colds) // 2]
    show(f"/indicators/ cold after a write (median of {args.repeat}, max {max(r['ms'] for r in colds):.0f})", cold)
    warms = [timed(client, "/indicators/") for _ in range(args.repeat)]
    show(f"/indicators/ warm (median of {args.repeat})", sorted(warms, key=lambda r: r["ms"])[len(warms) // 2])
    show("/register/ first request", timed(client, "/register/"))
    warms = [timed(client, "/register/") for _ in range(args.repeat)]
    show(f"/register/ warm (median of {args.repeat})", sorted(warms, key=lambda r: r["ms"])[len(warms) // 2])
    print(f"median cold {statistics.median(r['ms'] for r in colds):.1f} ms")


if __name__ == "__main__":
    main()
