"""The register list and the due case steps of the province supervisor, one request at a time.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/clms_x CLMS_VAR_DIR=$PWD/var \
        python bench/bench_register.py [--repeat 7] [--explain]

On a database that already holds generated data (``manage.py generate --scale province``):
times each page with Django's test client (no server, no concurrency: the cost of one
request, which bounds what 2 workers can serve), prints the median and fastest of
``--repeat`` requests after one warm-up, the page weight, the slowest queries of a request
and, with ``--explain``, PostgreSQL's EXPLAIN ANALYZE of each query over 5 ms.  The user is
the bench's province supervisor (``bench.province``, as in scale_bench.py).  The shared
cache is the settings' (the database cache unless ``CLMS_REDIS_URL`` is set) with the
indicator cache lifetime of production (60 s) unless ``CLMS_INDICATOR_CACHE_SECONDS`` says.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "clms.settings")
os.environ.setdefault("CLMS_DEBUG", "1")
os.environ.setdefault("CLMS_INDICATOR_CACHE_SECONDS", "60")
os.environ.setdefault("CLMS_ALLOWED_HOSTS", "testserver")
os.environ.setdefault("CLMS_TWO_FACTOR_REQUIRED", "0")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from clms.core.figure_cache import invalidate  # noqa: E402

PAGES = {
    "register list": "/register/",
    "register list, page 50": "/register/?page=50",
    "register search": "/register/?q=nguyen+van",
    "register search, page 5": "/register/?q=nguyen+van&page=5",
    "register search + filter": "/register/?q=nguyen+van&sex=F",
    "due case steps": "/cases/due/",
}


def supervisor() -> Any:
    from clms.accounts.models import Role, User
    from clms.places.models import AdminUnit, Level

    province = AdminUnit.objects.filter(level=Level.PROVINCE, code="38").first()
    user, _created = User.objects.get_or_create(username="bench.province")
    user.role, user.area, user.full_name = Role.SUPERVISOR, province, "Bench supervisor"
    user.save()
    return user


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--explain", action="store_true")
    parser.add_argument("--only", default="", help="comma-separated page names")
    parser.add_argument("--cold", action="store_true", help="start a new cache generation before each request "
                        "(the first request after a write)")
    args = parser.parse_args()
    client = Client()
    client.force_login(supervisor())
    only = {n.strip() for n in args.only.split(",") if n.strip()}
    for name, path in PAGES.items():
        if only and name not in only:
            continue
        warm = client.get(path)  # warm-up: the first request may fill the cache
        if warm.status_code != 200:  # noqa: PLR2004
            raise SystemExit(f"{path}: HTTP {warm.status_code}")
        times = []
        for _ in range(args.repeat):
            if args.cold:
                invalidate()
            started = time.perf_counter()
            response = client.get(path)
            times.append((time.perf_counter() - started) * 1000)
        with CaptureQueriesContext(connection) as queries:
            client.get(path)
        slow = sorted(queries.captured_queries, key=lambda q: -float(q["time"]))
        print(f"{name:28} {path:36} HTTP {response.status_code} {len(response.content) // 1024:4d} KB  "
              f"median {statistics.median(times):7.1f} ms  min {min(times):7.1f} ms  "
              f"{len(queries.captured_queries)} queries")
        for q in slow[:3]:
            print(f"    {float(q['time']) * 1000:7.1f} ms  {q['sql'][:160]}")
        if args.explain and connection.vendor == "postgresql":
            for q in slow:
                if float(q["time"]) < 0.005:  # noqa: PLR2004 - only the queries that matter
                    break
                with connection.cursor() as cursor:
                    cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + q["sql"])
                    print("      " + "\n      ".join(r[0] for r in cursor.fetchall()))


if __name__ == "__main__":
    main()
