"""The API's child search next to the web register's, for the province supervisor.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/clms_x CLMS_VAR_DIR=$PWD/var \
        python bench/bench_api_search.py [--repeat 7] [--explain]

On a database with generated data (``manage.py generate --scale province``): times
``GET /api/v1/children?q=…`` (a real token, the whole middleware stack, Django's test client)
and the web list with the same words, prints the median and fastest of ``--repeat`` requests
after one warm-up, the query count and, on PostgreSQL, how the page's query finds its rows and the median execution time
of five EXPLAIN ANALYZE runs of it (``--explain`` prints the plan).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
os.environ.setdefault("CLMS_API_RATE", "100000/m")  # before bench_register sets Django up

from bench_register import supervisor  # noqa: E402 - the bench's settings, then django.setup()
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from clms.api.tokens import token_create  # noqa: E402

QUERIES = ["nguyen van", "le thi", "hoa", "van duc", "vuong", "trinh thi", "khong ai ten nay", "thi&sex=M", "van&sex=F"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--explain", action="store_true")
    args = parser.parse_args()
    user = supervisor()
    _token, secret = token_create(user=user, name="bench", days=1)
    api, web = Client(), Client()
    web.force_login(user)
    headers = {"Authorization": f"Bearer {secret}"}
    for words in QUERIES:
        for name, client, path, kw in (
            ("api", api, "/api/v1/children", headers),
            ("web", web, "/register/", {}),
        ):
            # "words&field=value": the search with a filter of the list.
            text, *more = words.split("&")
            params = {"q": text, **dict(m.split("=", 1) for m in more)}
            warm = client.get(path, params, headers=kw)
            if warm.status_code != 200:  # noqa: PLR2004
                raise SystemExit(f"{path}: HTTP {warm.status_code} {warm.content[:300]!r}")
            times = []
            for _ in range(args.repeat):
                started = time.perf_counter()
                client.get(path, params, headers=kw)
                times.append((time.perf_counter() - started) * 1000)
            with CaptureQueriesContext(connection) as queries:
                client.get(path, params, headers=kw)
            # The page's own query (not the count, nor the audit row): its plan and time.
            page = next((q for q in queries.captured_queries
                         if 'FROM "people_child"' in q["sql"] and "LIKE" in q["sql"] and "COUNT(" not in q["sql"]),
                        None)
            line = (f"{name} q={words!r:19} median {statistics.median(times):6.1f} ms  min {min(times):6.1f} ms  "
                    f"{len(queries.captured_queries)} queries")
            plans: list[list[str]] = []
            if page is not None and connection.vendor == "postgresql":
                with connection.cursor() as cursor:
                    for _ in range(5):
                        cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + page["sql"])
                        plans.append([r[0] for r in cursor.fetchall()])
                took = statistics.median(float(p[-1].split()[2]) for p in plans)
                how = "trigram index" if any("name_folded_trgm" in r for r in plans[0]) else "name index walk"
                line += f"; the page's query: {how}, execution median {took:.1f} ms"
            print(line)
            if args.explain and plans:
                print("      " + "\n      ".join(plans[0]))
    _token.delete()


if __name__ == "__main__":
    main()
