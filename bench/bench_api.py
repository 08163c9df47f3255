"""The API under load: the children list and the indicators endpoint against a trivial endpoint.

    .venv/bin/python bench/bench_api.py --database sqlite:////path/province.sqlite3 --seconds 10

Runs gunicorn (2 workers, production settings, the rate limit lifted) on loopback, makes an API
token for a province supervisor, and runs wrk with 50 connections against
``GET /api/v1/me`` (authentication only: the trivial baseline on the same server),
``GET /api/v1/children?limit=50`` (the register's first page, scoped and audited) and
``GET /api/v1/indicators?year=2025`` (the province table; the dashboard's 60-s cache on).
Prints a Markdown table of throughput and p95, and the ratios to the baseline.
Data: ``manage.py generate --scale province`` into that database first.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
ENDPOINTS = {
    "GET /api/v1/me (baseline)": "/api/v1/me",
    "GET /api/v1/children?limit=50": "/api/v1/children?limit=50",
    "GET /api/v1/indicators?year=2025": "/api/v1/indicators?year=2025",
}


def _wrk(url: str, token: str, connections: int, seconds: int) -> dict[str, Any]:
    command = ["wrk", "-t", "2", "-c", str(connections), "-d", f"{seconds}s", "--timeout", "60s",
               "-s", str(ROOT / "bench" / "wrk_report.lua"), "-H", f"Authorization: Bearer {token}", url]
    out = subprocess.run(command, capture_output=True, text=True, timeout=seconds + 120, check=True).stdout  # noqa: S603
    line = next(line for line in out.splitlines() if line.startswith("WRK_JSON "))
    data: dict[str, Any] = json.loads(line[len("WRK_JSON "):])
    data["rps"] = data["requests"] / (data["duration_us"] / 1e6)
    return data


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database", required=True, help="DATABASE_URL of a generated database")
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--connections", type=int, default=50)
    parser.add_argument("--port", type=int, default=8121)
    args = parser.parse_args()
    os.environ["DATABASE_URL"] = args.database
    os.environ.setdefault("CLMS_TESTING", "1")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "clms.settings")
    import django

    django.setup()
    from clms.accounts.models import Role, User
    from clms.api.tokens import token_create
    from clms.people.models import Child
    from clms.places.models import AdminUnit, Level

    province = AdminUnit.objects.filter(level=Level.PROVINCE, code="38").first()
    if province is None:
        raise SystemExit("no province 38: run manage.py generate --scale province first")
    user, _ = User.objects.get_or_create(username="bench.api")
    user.role, user.area, user.is_active = Role.SUPERVISOR, province, True
    user.save()
    _, token = token_create(user=user, name="bench", days=1)
    children = Child.objects.count()

    env = {k: v for k, v in os.environ.items() if k != "CLMS_TESTING"}
    env.update({
        "CLMS_SECRET_KEY": "bench-" + os.urandom(24).hex(), "CLMS_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "CLMS_SECURE_COOKIES": "0", "CLMS_API_RATE": "100000000/m", "DATABASE_URL": args.database,
    })
    server = subprocess.Popen(  # noqa: S603 - fixed command on loopback
        [sys.executable, "-m", "gunicorn", "clms.wsgi", "-w", "2", "-b", f"127.0.0.1:{args.port}", "--timeout", "120",
         "--log-level", "warning"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True,
    )
    results: dict[str, dict[str, Any]] = {}
    try:
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", args.port), timeout=1).close()
                break
            except OSError:
                time.sleep(0.2)
        for name, path in ENDPOINTS.items():
            url = f"http://127.0.0.1:{args.port}{path}"
            _wrk(url, token, 2, 2)  # warm both workers (and the indicator cache)
            results[name] = _wrk(url, token, args.connections, args.seconds)
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
    base = results["GET /api/v1/me (baseline)"]
    print(f"{children:,} children; wrk {args.connections} connections, {args.seconds} s each; gunicorn 2 workers\n")
    print("| endpoint | req/s | p50 ms | p95 ms | p95 / baseline | req/s / baseline | errors |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    for name, r in results.items():
        errors = r["socket_errors"] + r["non_2xx_3xx"]
        print(f"| {name} | {r['rps']:.1f} | {r['p50_ms']:.1f} | {r['p95_ms']:.1f} | "
              f"{r['p95_ms'] / base['p95_ms']:.2f} | {r['rps'] / base['rps']:.2f} | {errors} |")


if __name__ == "__main__":
    main()
