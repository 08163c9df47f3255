"""All benchmarks, on SQLite and PostgreSQL, at district and province scale; writes bench/RESULTS.md.

    make bench                                   # = .venv/bin/python bench/run.py --scales district,province
    .venv/bin/python bench/run.py --scales district --databases sqlite          # quick
    .venv/bin/python bench/run.py --scales nation --databases postgres://postgres@127.0.0.1:5432/clms_bench \\
        --provinces 38,01,79                     # national scale, PostgreSQL only (here: three provinces)

Every (database, scale) gets a fresh database: var/bench/<scale>.sqlite3, or the PostgreSQL
database named in the URL (default clms_bench), dropped and created again — never the demo's.
bench/scale_bench.py generates the scale with clms.demo.generator and times indicators,
duplicates and pages under load (wrk against gunicorn on 127.0.0.1); the colleagues'
benchmarks (bench_rules, bench_import, bench_duplicates, bench_indicators, bench_reports) run
as they are and their output is copied into the results.  RESULTS.md is replaced each run.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import re
import shutil
import sqlite3
import subprocess
import sys
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parents[1]
BENCH = ROOT / "bench"
VAR = ROOT / "var" / "bench"
PG_DEFAULT = "postgres://postgres@127.0.0.1:5432/clms_bench"
PY = sys.executable


def _pg_url(url: str, name: str) -> str:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=f"/{name}"))


def _recreate_pg(url: str) -> None:
    import psycopg

    name = urlsplit(url).path.lstrip("/")
    if not re.fullmatch(r"[a-z0-9_]+", name) or name in ("clms", "postgres"):
        raise SystemExit(f"refusing to recreate database {name!r}: use a benchmark database such as clms_bench")
    admin = _pg_url(url, "postgres").replace("postgres://", "postgresql://", 1)
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def _run(command: list[str], env: dict[str, str], timeout: int) -> tuple[str, float]:
    started = time.perf_counter()
    try:
        done = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout, check=False)  # noqa: S603
        out = done.stdout + (f"\n[exit {done.returncode}] {done.stderr[-2000:]}" if done.returncode else "")
    except subprocess.TimeoutExpired:
        out = f"[timed out after {timeout} s]"
    return out.strip(), time.perf_counter() - started


def _env(database_url: str, var: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.update({"CLMS_TESTING": "1", "DATABASE_URL": database_url, "CLMS_VAR_DIR": str(var),
                "DJANGO_SETTINGS_MODULE": "clms.settings", "PYTHONUNBUFFERED": "1"})
    return env


def machine() -> dict[str, str]:
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor())
    mem_kb = int(next(line.split()[1] for line in Path("/proc/meminfo").read_text().splitlines() if line.startswith("MemTotal")))
    import django

    pg = "?"
    try:
        pg = subprocess.run(["psql", "--version"], capture_output=True, text=True, check=False).stdout.strip()  # noqa: S607
    except OSError:
        pass
    return {
        "nproc": str(os.cpu_count()), "memory": f"{mem_kb / 1024 / 1024:.1f} GiB", "cpu": cpu,
        "python": platform.python_version(), "django": django.get_version(), "postgresql": pg,
        "sqlite": sqlite3.sqlite_version, "load": " ".join(Path("/proc/loadavg").read_text().split()[:3]),
    }


PG_BIN = Path("/usr/lib/postgresql/15/bin")
REPLICA_PORT = 5433


def start_replica(primary_url: str) -> tuple[subprocess.Popen[bytes] | None, str]:
    """A streaming replica of the primary: pg_basebackup -R into var/bench/replica, a postgres on 5433.

    Returns the server (None if it could not start) and the reason it could not.  The primary
    must accept replication connections from 127.0.0.1 (pg_hba.conf: `host replication all
    127.0.0.1/32 trust`, wal_level replica, max_wal_senders > 0).
    """
    parts = urlsplit(primary_url)
    data = VAR / "replica"
    shutil.rmtree(data, ignore_errors=True)
    data.parent.mkdir(parents=True, exist_ok=True)
    # postgres refuses to run as root: the data directory belongs to the postgres user.
    run_as = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
    data.mkdir(mode=0o700)
    if run_as:
        shutil.chown(data, "postgres", "postgres")
    backup = subprocess.run(  # noqa: S603 - fixed binaries, our own directory
        [*run_as, str(PG_BIN / "pg_basebackup"), "-h", parts.hostname or "127.0.0.1", "-p", str(parts.port or 5432),
         "-U", parts.username or "postgres", "-D", str(data), "-R", "-X", "stream", "-c", "fast", "--no-sync"],
        capture_output=True, text=True, check=False, timeout=3600,
    )
    if backup.returncode:
        return None, f"pg_basebackup failed: {backup.stderr.strip()[-500:]}"
    server = subprocess.Popen(  # noqa: S603
        [*run_as, str(PG_BIN / "postgres"), "-D", str(data), "-p", str(REPLICA_PORT), "-c", "listen_addresses=127.0.0.1",
         "-c", f"unix_socket_directories={data}", "-c", "hot_standby=on", "-c", "config_file=" + str(data / "postgresql.conf")],
        stdout=subprocess.DEVNULL, stderr=(VAR / "replica.log").open("w"), start_new_session=True,
    )
    for _ in range(120):
        ready = subprocess.run([str(PG_BIN / "pg_isready"), "-h", "127.0.0.1", "-p", str(REPLICA_PORT)],  # noqa: S603
                               capture_output=True, check=False)
        if ready.returncode == 0:
            return server, ""
        time.sleep(0.5)
    server.terminate()
    return None, "the replica did not accept connections within 60 s (see var/bench/replica.log)"


def stop_replica(server: subprocess.Popen[bytes]) -> None:
    os.killpg(server.pid, 15)  # SIGTERM: smart shutdown of our own postgres only
    server.wait(timeout=60)


def ensure_wrk() -> None:
    if shutil.which("wrk"):
        return
    sudo = [] if os.geteuid() == 0 else ["sudo"]
    subprocess.run([*sudo, "apt-get", "install", "-y", "-qq", "wrk"], check=False)  # noqa: S603


def replica_run(url: str, var: Path, load_seconds: int) -> dict[str, Any]:
    """The same pages again, the supervisor's reads on a streaming replica of the data just generated."""
    print("== postgresql + replica", flush=True)
    server, why = start_replica(url)
    if server is None:
        print(why, flush=True)
        return {"load": {"skipped": f"no replica: {why}"}}
    try:
        replica_url = urlunsplit(urlsplit(url)._replace(netloc=f"postgres@127.0.0.1:{REPLICA_PORT}"))
        env = {**_env(url, var), "DATABASE_REPLICA_URL": replica_url}
        out_file = var / "result-replica.json"
        log, seconds = _run([PY, str(BENCH / "scale_bench.py"), "--scale", "reuse", "--out", str(out_file),
                             "--load-seconds", str(load_seconds)], env, timeout=3600)
        print(log[-2000:], flush=True)
        found: dict[str, Any] = json.loads(out_file.read_text()) if out_file.exists() else {"error": log[-3000:]}
        found["wall_s"] = seconds
        return found
    finally:
        stop_replica(server)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scales", default="district,province")
    parser.add_argument("--databases", default=f"sqlite,{PG_DEFAULT}",
                        help="comma-separated: 'sqlite' and/or PostgreSQL URLs")
    parser.add_argument("--database", help="one database URL (as in the issue: --database postgres://...)")
    parser.add_argument("--provinces", default="", help="nation scale: province codes to generate (partial run)")
    parser.add_argument("--load-seconds", type=int, default=10)
    parser.add_argument("--replica", default="province",
                        help="scales (comma-separated) whose PostgreSQL run is repeated with a streaming replica; '' for none")
    parser.add_argument("--skip-colleagues", action="store_true", help="only the generator-based benchmarks")
    parser.add_argument("--out", default=str(BENCH / "RESULTS.md"))
    parser.add_argument("--report-only", action="store_true", help="rewrite --out from var/bench/results.json")
    args = parser.parse_args()
    if args.report_only:
        from report import write_results

        saved = json.loads((VAR / "results.json").read_text())
        write_results(Path(args.out), results=saved["results"], colleagues=[tuple(c) for c in saved["colleagues"]],
                      info=saved["machine"], started_at=dt.datetime.fromisoformat(saved["started_at"]),
                      command=saved["command"])
        return
    scales = [s.strip() for s in args.scales.split(",") if s.strip()]
    databases = [args.database] if args.database else [d.strip() for d in args.databases.split(",") if d.strip()]
    if "nation" in scales and any(d == "sqlite" for d in databases):
        raise SystemExit("the nation scale runs on PostgreSQL only: pass --database postgres://…/clms_bench")
    ensure_wrk()
    VAR.mkdir(parents=True, exist_ok=True)
    started_at = dt.datetime.now().astimezone()
    info = machine()
    results: dict[str, dict[str, Any]] = {}
    colleagues: list[tuple[str, str, str, float]] = []
    for database in databases:
        vendor = "sqlite" if database == "sqlite" else "postgresql"
        for scale in scales:
            var = VAR / f"{vendor}-{scale}"
            var.mkdir(parents=True, exist_ok=True)
            if vendor == "sqlite":
                path = VAR / f"{scale}.sqlite3"
                for suffix in ("", "-wal", "-shm"):
                    Path(f"{path}{suffix}").unlink(missing_ok=True)
                url = f"sqlite:///{path}"
            else:
                url = database
                _recreate_pg(url)
            out_file = var / "result.json"
            command = [PY, str(BENCH / "scale_bench.py"), "--scale", scale, "--out", str(out_file),
                       "--load-seconds", str(args.load_seconds)]
            if args.provinces:
                command += ["--provinces", args.provinces]
            print(f"== {vendor} {scale}", flush=True)
            log, seconds = _run(command, _env(url, var), timeout=6 * 3600)
            print(log[-3000:], flush=True)
            results[f"{vendor}:{scale}"] = json.loads(out_file.read_text()) if out_file.exists() else {"error": log[-3000:]}
            results[f"{vendor}:{scale}"]["wall_s"] = seconds
            if vendor == "postgresql" and scale in args.replica.split(","):
                results[f"postgresql+replica:{scale}"] = replica_run(url, var, args.load_seconds)
            if args.skip_colleagues or scale == "nation":
                continue
            pg_ind = _pg_url(url, "clms_bench_ind") if vendor == "postgresql" else ""
            sized = {"district": ["--children", "5000", "--communes", "8"], "province": []}[scale]
            runs = [
                ("bench_indicators.py", [*sized, "--regenerate", "--repeat", "3"], pg_ind or url),
                ("bench_reports.py", sized if scale == "district" else [], url),
            ]
            if scale == scales[0]:
                runs.append(("bench_import.py", ["--rows", "50000"], url))
            for script, extra, script_url in runs:
                if not (BENCH / script).exists():
                    colleagues.append((script, vendor, scale, 0.0))
                    continue
                env = _env(script_url if vendor == "postgresql" else f"sqlite:///{var / 'colleague.sqlite3'}", var)
                print(f"== {script} {vendor} {scale}", flush=True)
                log, seconds = _run([PY, str(BENCH / script), *extra], env, timeout=1800)
                print(log[-1500:], flush=True)
                colleagues.append((f"{script} {' '.join(extra)}".strip() + f"\n{log}", vendor, scale, seconds))
    if not args.skip_colleagues and "nation" not in scales:
        for script, extra in (("bench_rules.py", ["--n", "200000"]), ("bench_duplicates.py", ["--province"])):
            if (BENCH / script).exists():
                print(f"== {script}", flush=True)
                log, seconds = _run([PY, str(BENCH / script), *extra], _env("sqlite:///" + str(VAR / "x.sqlite3"), VAR), 3600)
                print(log[-1500:], flush=True)
                colleagues.append((f"{script} {' '.join(extra)}\n{log}", "python", "-", seconds))
    info["load_after"] = " ".join(Path("/proc/loadavg").read_text().split()[:3])
    invocation = " ".join(["bench/run.py", *sys.argv[1:]])
    saved_name = "results-nation.json" if "nation" in scales else "results.json"
    (VAR / saved_name).write_text(json.dumps({"results": results, "colleagues": colleagues, "machine": info,
                                              "started_at": started_at.isoformat(), "command": invocation},
                                             indent=1, default=str))
    from report import write_results

    write_results(Path(args.out), results=results, colleagues=colleagues, info=info, started_at=started_at,
                  command=invocation)
    print(f"wrote {args.out}")


if __name__ == "__main__":
    sys.path.insert(0, str(BENCH))
    main()
