"""One scale on one database: generate, then time indicators, duplicates and pages under load.

    DATABASE_URL=sqlite:////path/var/bench/district.sqlite3 python bench/scale_bench.py --scale district --out r.json

Run by bench/run.py, which gives every (database, scale) a fresh database and collects the
JSON this writes.  Never point it at the demo database: it flushes what it generated before.

Figures, each with the baseline measured in the same run:
- generation: rows per second of ``clms.demo.generator`` (the baseline is the row count);
- indicators: ``indicator_table(province, 2025)`` for CL_RATE against the same figures in one
  hand-written SQL query (window function over the classifications, plus the denominators),
  and the whole 12-indicator table for reference;
- duplicates: ``clms.people.duplicates.pairs_among`` over the province register, precision and
  recall against the generator's ground truth (every other pair reported is a false
  positive, even two different children who truly share name and birthday);
- pages under load: wrk against gunicorn (2 workers, production settings: the dashboard's
  60-second indicator cache on) on 127.0.0.1 for the register list, a register search and the
  indicator dashboard, as the province supervisor, at 10 and 50 concurrent connections, against
  the login page (a trivial Django page) on the same server.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "clms.settings")
os.environ.setdefault("CLMS_TESTING", "1")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402

PASSWORD = "bench-password-1"  # noqa: S105 - a throwaway user of the benchmark database
# The pages of issue 18 (goal: p95 <= 300 ms at 50 users, HTML <= 200 KB), and the login page as
# the baseline of the same run.  The search words and the later page are filled in from the
# generated data by ``pages_for`` (a common surname + given name, folded as a user types them).
LOGIN = "login page (baseline)"
LATER_PAGE = 50


def pages_for(search: str, later_page: int) -> dict[str, tuple[str, bool]]:
    return {
        LOGIN: ("/accounts/login/", False),
        "indicators dashboard (warm)": ("/indicators/", True),
        "register list, first page": ("/register/", True),
        f"register list, page {later_page}": (f"/register/?page={later_page}", True),
        f"register search \"{search}\"": ("/register/?q=" + search.replace(" ", "+"), True),
        "due case steps": ("/cases/due/", True),
        "supervisor home": ("/", True),
    }


def common_search(province_path: str) -> tuple[str, int]:
    """The most frequent first two words of the folded names in the province (e.g. "nguyen van"),
    and how many children carry both words (what the search has to find)."""
    from collections import Counter

    from clms.people.models import Child

    pairs: Counter[str] = Counter()
    for name in Child.objects.filter(commune__path__startswith=province_path).values_list("name_folded", flat=True).iterator():
        words = name.split()
        if len(words) >= 3:
            pairs[f"{words[0]} {words[1]}"] += 1
    if not pairs:
        return "nguyen van", 0
    common, _n = pairs.most_common(1)[0]
    qs = Child.objects.filter(commune__path__startswith=province_path)
    for word in common.split():
        qs = qs.filter(name_folded__contains=word)
    return common, qs.count()


def _get(port: int, path: str, cookie: str) -> tuple[int, int, float]:
    """One request: status, body bytes, seconds."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=300)
    started = time.perf_counter()
    conn.request("GET", path, headers={"Cookie": cookie})
    response = conn.getresponse()
    body = response.read()
    seconds = time.perf_counter() - started
    conn.close()
    return response.status, len(body), seconds


def _median_time(fn: Any, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


CL_SQL = """
SELECT commune_id, COUNT(*) FROM (
  SELECT cl.category, o.commune_id,
         ROW_NUMBER() OVER (PARTITION BY o.child_id ORDER BY o.observed_on DESC, o.id DESC) AS rn
  FROM people_classification cl
  JOIN people_workobservation o ON o.id = cl.observation_id
  JOIN people_child ch ON ch.id = o.child_id
  JOIN places_adminunit u ON u.id = o.commune_id
  WHERE u.path LIKE %s AND cl.ruleset = 'vn-law' AND cl.is_current AND cl.age BETWEEN 5 AND 17
    AND o.observed_on BETWEEN %s AND %s AND ch.merged_into_id IS NULL
) t WHERE rn = 1 AND category IN ('CHILD_LABOUR', 'HAZARDOUS_CHILD_LABOUR') GROUP BY commune_id
"""
DEN_SQL = "SELECT unit_id, value FROM places_denominator WHERE year = %s AND \"group\" = 'children_5_17'"


def bench_indicators(year: int = 2025) -> dict[str, Any]:
    from clms.indicators.compute import indicator_table
    from clms.places.models import AdminUnit, Level

    province = AdminUnit.objects.get(level=Level.PROVINCE, code="38")

    def orm() -> Any:
        return indicator_table(province, year, codes=["CL_RATE"])

    def raw() -> int:
        found = {}
        with connection.cursor() as cursor:
            for y in (year, 2021):  # the table also computes the 2021 baseline
                cursor.execute(CL_SQL, [f"{province.path}%", f"{y}-01-01", f"{y}-12-31"])
                found[y] = sum(n for _c, n in cursor.fetchall())
                cursor.execute(DEN_SQL, [y])
                cursor.fetchall()
        return found[year]

    table = orm()
    check = raw()
    orm_s = _median_time(orm, 3)
    raw_s = _median_time(raw, 3)
    full_s = _median_time(lambda: indicator_table(province, year), 1)
    return {
        "rows": len(table.rows), "cl_numerator": table.total("CL_RATE").numerator,
        "cl_rate": table.total("CL_RATE").value, "raw_check": check,
        "cl_rate_orm_s": orm_s, "cl_rate_raw_s": raw_s, "ratio": orm_s / raw_s if raw_s else None,
        "full_table_s": full_s,
    }


def bench_duplicates(truth_file: Path) -> dict[str, Any]:
    from clms.people.duplicates import pairs_among, person_of
    from clms.people.models import Child

    truth = {frozenset((p["original"], p["duplicate"])) for p in json.loads(truth_file.read_text())["pairs"]}
    people = [person_of(c) for c in Child.objects.filter(merged_into__isnull=True).only(
        "pk", "name_folded", "full_name", "dob", "commune_id", "village_id", "household_id", "personal_id")]
    started = time.perf_counter()
    pairs = pairs_among(people)
    seconds = time.perf_counter() - started
    found = {frozenset((a.key, b.key)) for a, b, _c in pairs}
    hits = len(found & truth)
    return {
        "children": len(people), "injected": len(truth), "reported": len(found), "right": hits,
        "seconds": seconds, "precision": hits / len(found) if found else 1.0,
        "recall": hits / len(truth) if truth else 1.0,
    }


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _login(port: int, username: str) -> str:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    conn.request("GET", "/accounts/login/")
    response = conn.getresponse()
    body = response.read().decode()
    cookies = {m.group(1): m.group(2) for m in re.finditer(r"(\w+)=([^;]+);", response.getheader("Set-Cookie") or "")}
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', body)
    if token is None or "csrftoken" not in cookies:
        raise RuntimeError("login page without a CSRF token")
    form = f"csrfmiddlewaretoken={token.group(1)}&username={username}&password={PASSWORD}"
    conn.request("POST", "/accounts/login/", body=form, headers={
        "Content-Type": "application/x-www-form-urlencoded", "Cookie": f"csrftoken={cookies['csrftoken']}",
        "Referer": f"http://127.0.0.1:{port}/accounts/login/",
    })
    response = conn.getresponse()
    response.read()
    session = re.search(r"sessionid=([^;]+);", response.getheader("Set-Cookie") or "")
    if response.status != 302 or session is None:
        raise RuntimeError(f"login failed with HTTP {response.status}")
    return f"sessionid={session.group(1)}; csrftoken={cookies['csrftoken']}"


def _wrk(url: str, cookie: str | None, connections: int, seconds: int) -> dict[str, Any]:
    command = ["wrk", "-t", "2", "-c", str(connections), "-d", f"{seconds}s", "--timeout", "60s",
               "-s", str(ROOT / "bench" / "wrk_report.lua")]
    if cookie:
        command += ["-H", f"Cookie: {cookie}"]
    out = subprocess.run([*command, url], capture_output=True, text=True, timeout=seconds + 120, check=True).stdout  # noqa: S603
    line = next(line for line in out.splitlines() if line.startswith("WRK_JSON "))
    data: dict[str, Any] = json.loads(line[len("WRK_JSON "):])
    data["rps"] = data["requests"] / (data["duration_us"] / 1e6)
    data["connections"] = connections
    return data


def _drain(port: int) -> None:
    """Wait until the workers have answered what wrk left queued: a probe waits its turn."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=300)
    conn.request("GET", "/accounts/login/")
    conn.getresponse().read()
    conn.close()


def _status_kb(pid: int) -> dict[str, float]:
    fields = dict(line.split(":", 1) for line in Path(f"/proc/{pid}/status").read_text().splitlines() if ":" in line)
    return {k: int(fields.get(k, "0 kB").split()[0]) / 1024 for k in ("VmRSS", "VmHWM")}


def _workers(server_pid: int) -> list[dict[str, float]]:
    """Resident memory now and at its peak (VmHWM) of each gunicorn worker (children of the master)."""
    found = []
    for pid in _worker_pids(server_pid):
        try:
            found.append({"pid": pid, **_status_kb(pid)})
        except OSError:
            continue
    return found


def _worker_pids(server_pid: int) -> list[int]:
    pids = []
    for status in Path("/proc").glob("[0-9]*/status"):
        try:
            text = status.read_text()
        except OSError:
            continue
        if re.search(rf"^PPid:\s+{server_pid}$", text, re.MULTILINE):
            pids.append(int(status.parent.name))
    return sorted(pids)


def db_counters() -> dict[str, dict[str, int]]:
    """Transactions and rows returned so far by each PostgreSQL server the settings name (the
    primary, and the replica when there is one): the difference over the load test says which
    server answered the supervisor's reads."""
    from django.db import connections

    found = {}
    # Without DATABASE_REPLICA_URL the tests' settings alias "replica" to the primary: not a server of its own.
    for alias in ("default", "replica") if os.environ.get("DATABASE_REPLICA_URL") else ("default",):
        if connections[alias].vendor != "postgresql":
            continue
        with connections[alias].cursor() as cursor:
            cursor.execute("SELECT xact_commit + xact_rollback, tup_returned + tup_fetched FROM pg_stat_database "
                           "WHERE datname = current_database()")
            row = cursor.fetchone()
        found[alias] = {"transactions": int(row[0]), "rows": int(row[1])} if row else {}
    return found


def cold_after_write(port: int, cookie: str, province: Any, repeat: int) -> dict[str, Any]:
    """The dashboard's first request after a write to the province, timed ``repeat`` times.

    The write is what a commune officer's edit does: a child of the province saved, then the
    province's figure-cache generation renewed exactly as ``InvalidateOnWriteMiddleware`` does
    after that officer's write request (``invalidate_for_user``), so the next dashboard request
    computes the table and the charts again.  A second request right after is timed as warm."""
    from clms.accounts.models import Role, User
    from clms.core.figure_cache import invalidate_for_user
    from clms.people.models import Child

    child = Child.objects.filter(commune__path__startswith=province.path).order_by("pk").first()
    if child is None:
        return {"skipped": "no child in the province"}
    officer, _created = User.objects.get_or_create(username="bench.commune")
    officer.role, officer.area, officer.full_name = Role.COMMUNE_OFFICER, child.commune, "Bench commune officer"
    officer.save()
    cold, warm, statuses = [], [], set()
    for _ in range(repeat):
        child.save(update_fields=["updated_at"])
        invalidate_for_user(officer)
        status, _size, seconds = _get(port, "/indicators/", cookie)
        statuses.add(status)
        cold.append(seconds * 1000)
        status, _size, seconds = _get(port, "/indicators/", cookie)
        warm.append(seconds * 1000)
        time.sleep(1)
    return {"cold_ms": cold, "warm_ms": warm, "median_ms": statistics.median(cold), "max_ms": max(cold),
            "warm_median_ms": statistics.median(warm), "statuses": sorted(statuses), "repeat": repeat}


def profile_pages(user: Any, pages: dict[str, tuple[str, bool]]) -> dict[str, Any]:
    """One request per page in this process (the tests' settings: no figure cache, so the
    dashboard is its cold path): total time, SQL queries and their time, the slowest query and,
    on PostgreSQL, the top of its EXPLAIN ANALYZE — what the report shows for a page that misses."""
    from django.test import Client

    client = Client(HTTP_HOST="127.0.0.1")
    # The server's login may have rehashed the password (production hashers): a stale copy
    # would give a session the next request rejects.
    user.refresh_from_db()
    client.force_login(user)
    found: dict[str, Any] = {}
    for name, (path, logged_in) in pages.items():
        if not logged_in:
            continue
        queries: list[tuple[float, str, Any]] = []

        def timed(execute: Any, sql: str, params: Any, many: bool, context: Any, queries: list[Any] = queries) -> Any:
            started = time.perf_counter()
            try:
                return execute(sql, params, many, context)
            finally:
                queries.append((time.perf_counter() - started, sql, params))

        started = time.perf_counter()
        with connection.execute_wrapper(timed):
            response = client.get(path)
        total = time.perf_counter() - started
        slow_s, slow_sql, slow_params = max(queries, key=lambda q: q[0]) if queries else (0.0, "", None)
        plan: list[str] = []
        if connection.vendor == "postgresql" and slow_sql and slow_sql.lstrip().upper().startswith("SELECT"):
            try:
                with connection.cursor() as cursor:
                    cursor.execute("EXPLAIN (ANALYZE, BUFFERS OFF) " + slow_sql, slow_params)
                    plan = [row[0] for row in cursor.fetchall()]
            except Exception as exc:  # noqa: BLE001 - the plan is a hint in the report, never the result
                plan = [f"(EXPLAIN failed: {exc})"]
        found[name] = {
            "status": response.status_code, "ms": total * 1000, "queries": len(queries),
            "sql_ms": sum(q[0] for q in queries) * 1000, "slowest_ms": slow_s * 1000,
            "slowest_sql": slow_sql[:600], "plan": [line for line in plan if line.strip()][:14],
        }
    return found


def bench_load(seconds: int, *, profile: bool = True) -> dict[str, Any]:
    from clms.accounts.models import Role, User
    from clms.places.models import AdminUnit, Level

    if shutil.which("wrk") is None:
        return {"skipped": "wrk is not installed (make bench installs it: apt-get install wrk)"}
    from django.conf import settings
    from django.contrib.auth.hashers import PBKDF2PasswordHasher

    province = AdminUnit.objects.filter(level=Level.PROVINCE, code="38").first() or AdminUnit.objects.filter(
        level=Level.PROVINCE, children__isnull=False).order_by("code").first()
    if province is None:
        return {"skipped": "no province loaded"}
    user, _created = User.objects.get_or_create(username="bench.province")
    user.role, user.area, user.full_name = Role.SUPERVISOR, province, "Bench supervisor"
    # The server runs with production settings (PBKDF2), this process with the tests' MD5.
    user.password = PBKDF2PasswordHasher().encode(PASSWORD, "benchsalt1234567")
    user.save()
    search, search_hits = common_search(province.path)
    from clms.people.models import Child

    register_pages = max(1, -(-Child.objects.filter(commune__path__startswith=province.path).count() // 50))
    pages = pages_for(search, min(LATER_PAGE, register_pages))
    port = int(os.environ.get("CLMS_BENCH_PORT") or _free_port())
    # Production settings, not the tests': real password hashing, the indicator cache on
    # (60 s, the default outside tests), no debug; plain HTTP on loopback needs insecure cookies.
    env = {k: v for k, v in os.environ.items() if k != "CLMS_TESTING"}
    env.update({
        "CLMS_SECRET_KEY": "bench-" + os.urandom(24).hex(), "CLMS_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "CLMS_SECURE_COOKIES": "0", "CLMS_SSL_REDIRECT": "0", "CLMS_TWO_FACTOR_REQUIRED": "0",
        "CLMS_INDICATOR_CACHE_SECONDS": os.environ.get("CLMS_INDICATOR_CACHE_SECONDS", "60"),
    })
    server = subprocess.Popen(  # noqa: S603 - fixed command on loopback
        [sys.executable, "-m", "gunicorn", "clms.wsgi", "-w", "2", "-b", f"127.0.0.1:{port}", "--timeout", "120",
         "--log-level", "warning"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True,
    )
    results: dict[str, Any] = {}
    try:
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                time.sleep(0.2)
        cookie = _login(port, user.username)
        # Past the read-your-writes pin of the login POST, so the replica run reads the replica.
        time.sleep(int(os.environ.get("CLMS_REPLICA_PIN_SECONDS", "5")) + 1 if os.environ.get("DATABASE_REPLICA_URL") else 0)
        status, size, first_s = _get(port, "/indicators/", cookie)  # the first request: nothing cached
        first = {"status": status, "bytes": size, "ms": first_s * 1000}
        # Both workers past their first dashboard (imports, templates, catalogues) before the cold timing.
        _wrk(f"http://127.0.0.1:{port}/indicators/", cookie, 2, 3)
        _drain(port)
        cold = cold_after_write(port, cookie, province, int(os.environ.get("CLMS_BENCH_COLD_REPEAT", "5")))
        sizes: dict[str, dict[str, int]] = {}
        counters_before = db_counters()
        for name, (path, logged_in) in pages.items():
            url = f"http://127.0.0.1:{port}{path}"
            status, size, _s = _get(port, path, cookie if logged_in else "")
            sizes[name] = {"status": status, "bytes": size}
            _wrk(url, cookie if logged_in else None, 2, 3)  # warm both workers
            _drain(port)
            results[name] = []
            for connections in (10, 50):
                # The machine is shared: the 1-minute load average before each level goes into the report.
                load_1m = float(Path("/proc/loadavg").read_text().split()[0])
                results[name].append({**_wrk(url, cookie if logged_in else None, connections, seconds), "load_1m": load_1m})
                _drain(port)
        counters_after = db_counters()
        meta = {
            "db_reads": {alias: {k: counters_after[alias][k] - v for k, v in before.items()}
                         for alias, before in counters_before.items() if alias in counters_after},
            "dashboard_first": first, "dashboard_cold": cold, "html": sizes, "workers": _workers(server.pid),
            "worker_rss_mb": [w["VmRSS"] for w in _workers(server.pid)],
            "replica": bool(os.environ.get("DATABASE_REPLICA_URL")), "search": {"q": search, "children": search_hits},
            "cache_backend": settings.CACHES["default"]["BACKEND"].rsplit(".", 1)[-1],
            "cache_location": str(settings.CACHES["default"].get("LOCATION", "")),
        }
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
    if profile:
        meta["profile"] = profile_pages(user, pages)
    return {"pages": results, **meta}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", required=True)
    parser.add_argument("--seed", type=int, default=2021)
    parser.add_argument("--provinces", default="", help="nation scale: a subset of province codes")
    parser.add_argument("--load-seconds", type=int, default=10)
    parser.add_argument("--skip-load", action="store_true")
    parser.add_argument("--out", required=True)
    args = parser.parse_args()

    from django.conf import settings

    from clms.demo.generator import generate

    out: dict[str, Any] = {"scale": args.scale, "vendor": connection.vendor}
    if args.scale == "reuse":  # the data is there (bench/run.py's replica run): only the pages
        out["load"] = bench_load(args.load_seconds, profile=False)
        Path(args.out).write_text(json.dumps(out, indent=1, default=str), encoding="utf-8")
        return
    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    out["migrate_s"] = time.perf_counter() - started
    from clms.places.services import available_provinces, units_load_province

    provinces = [p.strip().zfill(2) for p in args.provinces.split(",") if p.strip()] or None
    started = time.perf_counter()
    if args.scale != "nation":
        units_load_province(province_code="38")
    else:
        for code in provinces or [code for code, _name in available_provinces()]:
            units_load_province(province_code=code)
    out["units_s"] = time.perf_counter() - started
    result = generate(scale=args.scale, seed=args.seed, flush_first=True, provinces=provinces)
    out["generate"] = {"seconds": result.seconds, "rows": result.rows, "rows_per_s": result.rows / result.seconds,
                       "children": result.counts["people.child"], "clusters": result.clusters,
                       "counts": dict(result.counts)}
    print(f"[{connection.vendor} {args.scale}] generated {result.summary()}", flush=True)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    if args.scale != "nation" or provinces and "38" in provinces:
        out["indicators"] = bench_indicators()
        print(f"[{connection.vendor} {args.scale}] indicators {out['indicators']}", flush=True)
    out["duplicates"] = bench_duplicates(Path(settings.VAR_DIR) / "generated-duplicates.json")
    print(f"[{connection.vendor} {args.scale}] duplicates {out['duplicates']}", flush=True)
    if not args.skip_load:
        out["load"] = bench_load(args.load_seconds)
        print(f"[{connection.vendor} {args.scale}] load done", flush=True)
    Path(args.out).write_text(json.dumps(out, indent=1, default=str), encoding="utf-8")


if __name__ == "__main__":
    main()
