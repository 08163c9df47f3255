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
as they are and their output is copied into the results.  RESULTS.md is replaced each run
(``--keep`` adds a partial run to the last saved one).  The PostgreSQL runs share their cache in
Redis (``--redis-url``); the province one is repeated with its reads on a streaming replica
(``--replica``; bench/README.md says what that changes on the server).
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
# The PostgreSQL runs share their cache in Redis (issue 18), in a database number and key prefix
# of their own so that nothing else on the server is touched; clear_redis removes their keys.
REDIS_DEFAULT = "redis://127.0.0.1:6379/7"
REDIS_PREFIX = "clms-bench"


def clear_redis(url: str) -> None:
    import redis

    client = redis.Redis.from_url(url)
    keys = list(client.scan_iter(match=f"{REDIS_PREFIX}:*", count=1000))
    for start in range(0, len(keys), 500):
        client.delete(*keys[start:start + 500])


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
REPLICA_DIR = VAR / "replica"
HBA_LINE = "host replication all 127.0.0.1/32 trust"
# A hot standby refuses to start with less of these than its primary has.
STANDBY_SAME = ("max_connections", "max_worker_processes", "max_wal_senders", "max_prepared_transactions",
                "max_locks_per_transaction")


def _pg_admin(url: str) -> Any:
    import psycopg

    return psycopg.connect(_pg_url(url, "postgres").replace("postgres://", "postgresql://", 1), autocommit=True)


def allow_replication(primary_url: str) -> str:
    """Lets the replica connect for replication: appends HBA_LINE to the primary's pg_hba.conf if
    no replication line is there and reloads the configuration.  Returns why it cannot, or ''.

    Only for a server on this machine that we administer (the bench runs as root here); it
    prints what it changed, and bench/README.md documents it."""
    with _pg_admin(primary_url) as conn:
        settings = {name: conn.execute(f"SHOW {name}").fetchone()[0] for name in ("wal_level", "max_wal_senders", "hba_file")}
        if settings["wal_level"] not in ("replica", "logical") or int(settings["max_wal_senders"]) < 1:
            return f"the primary has wal_level={settings['wal_level']}, max_wal_senders={settings['max_wal_senders']}"
        # A TCP rule from 127.0.0.1 (pg_basebackup -h 127.0.0.1), as the file now reads.
        row = conn.execute("SELECT count(*) FROM pg_hba_file_rules WHERE 'replication' = ANY(database) "
                           "AND type LIKE 'host%' AND address IN ('127.0.0.1', 'all', 'samehost') "
                           "AND auth_method <> 'reject'").fetchone()
        allowed = row[0] if row else 0
        if allowed:
            return ""
        hba = Path(settings["hba_file"])
        try:
            with hba.open("a", encoding="utf-8") as f:
                f.write(f"\n# added by CLMS bench/run.py for its streaming replica on 127.0.0.1:{REPLICA_PORT}\n{HBA_LINE}\n")
        except OSError as exc:
            return f"cannot add '{HBA_LINE}' to {hba}: {exc}"
        conn.execute("SELECT pg_reload_conf()")
        print(f"appended '{HBA_LINE}' to {hba} and ran SELECT pg_reload_conf()", flush=True)
        return ""


def _as_postgres(command: list[str], **kwargs: Any) -> subprocess.CompletedProcess[str]:
    # postgres refuses to run as root: the replica's directory and server belong to the postgres user.
    run_as = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
    return subprocess.run([*run_as, *command], capture_output=True, text=True, check=False, **kwargs)  # noqa: S603


def start_replica(primary_url: str) -> str:
    """A streaming replica of the primary: pg_basebackup -R into var/bench/replica, then
    pg_ctl start of a hot standby on 127.0.0.1:5433.  Returns why it could not start, or ''."""
    why = allow_replication(primary_url)
    if why:
        return why
    parts = urlsplit(primary_url)
    with _pg_admin(primary_url) as conn:
        same = {name: conn.execute(f"SHOW {name}").fetchone()[0] for name in STANDBY_SAME}
    shutil.rmtree(REPLICA_DIR, ignore_errors=True)
    REPLICA_DIR.parent.mkdir(parents=True, exist_ok=True)
    REPLICA_DIR.mkdir(mode=0o700)
    log = VAR / "replica.log"
    log.write_text("")
    if os.geteuid() == 0:
        shutil.chown(REPLICA_DIR, "postgres", "postgres")
        shutil.chown(log, "postgres", "postgres")
    started = time.perf_counter()
    backup = _as_postgres(
        [str(PG_BIN / "pg_basebackup"), "-h", parts.hostname or "127.0.0.1", "-p", str(parts.port or 5432),
         "-U", parts.username or "postgres", "-D", str(REPLICA_DIR), "-R", "-X", "stream", "-c", "fast", "--no-sync"],
        timeout=3600,
    )
    if backup.returncode:
        return f"pg_basebackup failed: {backup.stderr.strip()[-500:]}"
    print(f"pg_basebackup -R into {REPLICA_DIR}: {time.perf_counter() - started:.1f} s", flush=True)
    # Debian keeps the primary's configuration in /etc, so the copy has none of its own.
    conf = [f"port = {REPLICA_PORT}", "listen_addresses = '127.0.0.1'", f"unix_socket_directories = '{REPLICA_DIR}'",
            "hot_standby = on", "hot_standby_feedback = on", "shared_buffers = 128MB",
            f"hba_file = '{REPLICA_DIR / 'pg_hba.conf'}'", f"ident_file = '{REPLICA_DIR / 'pg_ident.conf'}'",
            *(f"{name} = {value}" for name, value in same.items())]
    for name, text in (("postgresql.conf", "\n".join(conf) + "\n"),
                       ("pg_hba.conf", "local all all trust\nhost all all 127.0.0.1/32 trust\n"), ("pg_ident.conf", "")):
        (REPLICA_DIR / name).write_text(text)
        if os.geteuid() == 0:
            shutil.chown(REPLICA_DIR / name, "postgres", "postgres")
    start = _as_postgres([str(PG_BIN / "pg_ctl"), "-D", str(REPLICA_DIR), "-l", str(log), "-w", "-t", "120", "start"],
                         timeout=180)
    if start.returncode:
        return f"pg_ctl start failed: {start.stdout.strip()[-300:]} {start.stderr.strip()[-300:]} (see {log})"
    return ""


def replica_lag(replica_url: str) -> dict[str, Any]:
    """How far the replica is behind, as it sees itself (seconds since the last replayed transaction)."""
    import psycopg

    with psycopg.connect(replica_url.replace("postgres://", "postgresql://", 1), autocommit=True) as conn:
        row = conn.execute(
            "SELECT pg_is_in_recovery(), EXTRACT(EPOCH FROM now() - pg_last_xact_replay_timestamp())").fetchone()
    in_recovery, lag = row if row else (None, None)
    return {"in_recovery": in_recovery, "replay_lag_s": float(lag) if lag is not None else None}


def stop_replica() -> None:
    """pg_ctl stop (fast) of our own replica only, then its directory is removed."""
    done = _as_postgres([str(PG_BIN / "pg_ctl"), "-D", str(REPLICA_DIR), "-m", "fast", "-w", "stop"], timeout=120)
    print(f"replica stopped ({done.stdout.strip() or done.stderr.strip()}); removing {REPLICA_DIR}", flush=True)
    shutil.rmtree(REPLICA_DIR, ignore_errors=True)


def ensure_wrk() -> None:
    if shutil.which("wrk"):
        return
    sudo = [] if os.geteuid() == 0 else ["sudo"]
    subprocess.run([*sudo, "apt-get", "install", "-y", "-qq", "wrk"], check=False)  # noqa: S603


def replica_run(url: str, var: Path, load_seconds: int, env_extra: dict[str, str]) -> dict[str, Any]:
    """The same pages again, the supervisor's reads on a streaming replica of the data just generated."""
    print("== postgresql + replica", flush=True)
    try:
        why = start_replica(url)
        if why:
            print(why, flush=True)
            return {"load": {"skipped": f"no replica: {why}"}}
        replica_url = urlunsplit(urlsplit(url)._replace(netloc=f"postgres@127.0.0.1:{REPLICA_PORT}"))
        env = {**_env(url, var), **env_extra, "DATABASE_REPLICA_URL": replica_url}
        out_file = var / "result-replica.json"
        out_file.unlink(missing_ok=True)
        log, seconds = _run([PY, str(BENCH / "scale_bench.py"), "--scale", "reuse", "--out", str(out_file),
                             "--load-seconds", str(load_seconds)], env, timeout=3600)
        print(log[-2000:], flush=True)
        found: dict[str, Any] = json.loads(out_file.read_text()) if out_file.exists() else {"error": log[-3000:]}
        found["wall_s"] = seconds
        found["replica_after"] = replica_lag(replica_url)
        return found
    finally:
        stop_replica()


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
    parser.add_argument("--redis-url", default=REDIS_DEFAULT,
                        help="shared cache (CLMS_REDIS_URL) of the PostgreSQL runs; '' for the database cache")
    parser.add_argument("--port", type=int, default=0, help="gunicorn's port (default: any free one)")
    parser.add_argument("--replica-only", action="store_true",
                        help="only the replica run, on the PostgreSQL data of the last run of that scale (implies --keep)")
    parser.add_argument("--keep", action="store_true",
                        help="keep the saved results (var/bench/results.json) of the (database, scale) pairs not run now")
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
    if args.port:
        os.environ["CLMS_BENCH_PORT"] = str(args.port)
    VAR.mkdir(parents=True, exist_ok=True)
    started_at = dt.datetime.now().astimezone()
    info = machine()
    results: dict[str, dict[str, Any]] = {}
    colleagues: list[tuple[str, str, str, float]] = []
    saved_name = "results-nation.json" if "nation" in scales else "results.json"
    if (args.keep or args.replica_only) and (VAR / saved_name).exists():
        # A partial run (one database or scale) adds to the last full one instead of replacing it.
        saved = json.loads((VAR / saved_name).read_text())
        results.update(saved["results"])
        colleagues = [(c[0], c[1], c[2], c[3]) for c in saved["colleagues"]]
        info["earlier_runs"] = saved["machine"].get("earlier_runs", []) + [
            f"{saved['started_at'][:16]} `{saved['command']}` (load {saved['machine']['load']})"]
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
                if not args.replica_only:
                    _recreate_pg(url)
            extra_env = {"CLMS_REDIS_URL": args.redis_url, "CLMS_CACHE_KEY_PREFIX": REDIS_PREFIX} \
                if vendor == "postgresql" and args.redis_url else {}
            if args.replica_only:
                if vendor == "postgresql":
                    results[f"postgresql+replica:{scale}"] = replica_run(url, var, args.load_seconds, extra_env)
                    results[f"postgresql+replica:{scale}"]["cache"] = results.get(f"postgresql:{scale}", {}).get("cache", "?")
                    if extra_env:
                        clear_redis(args.redis_url)
                continue
            for key in [k for k in results if k.endswith(f":{scale}") and k.split(":")[0].startswith(vendor)]:
                del results[key]  # this run replaces what --keep brought back
            out_file = var / "result.json"
            command = [PY, str(BENCH / "scale_bench.py"), "--scale", scale, "--out", str(out_file),
                       "--load-seconds", str(args.load_seconds)]
            if args.provinces:
                command += ["--provinces", args.provinces]
            print(f"== {vendor} {scale}", flush=True)
            out_file.unlink(missing_ok=True)
            log, seconds = _run(command, {**_env(url, var), **extra_env}, timeout=6 * 3600)
            print(log[-3000:], flush=True)
            results[f"{vendor}:{scale}"] = json.loads(out_file.read_text()) if out_file.exists() else {"error": log[-3000:]}
            results[f"{vendor}:{scale}"]["wall_s"] = seconds
            results[f"{vendor}:{scale}"]["cache"] = f"Redis {args.redis_url}" if extra_env else "database cache"
            if vendor == "postgresql" and scale in args.replica.split(","):
                results[f"postgresql+replica:{scale}"] = replica_run(url, var, args.load_seconds, extra_env)
                results[f"postgresql+replica:{scale}"]["cache"] = results[f"{vendor}:{scale}"]["cache"]
            if extra_env:
                clear_redis(args.redis_url)
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
    if not args.skip_colleagues and not args.replica_only and "nation" not in scales:
        for script, extra in (("bench_rules.py", ["--n", "200000"]), ("bench_duplicates.py", ["--province"])):
            if (BENCH / script).exists():
                print(f"== {script}", flush=True)
                log, seconds = _run([PY, str(BENCH / script), *extra], _env("sqlite:///" + str(VAR / "x.sqlite3"), VAR), 3600)
                print(log[-1500:], flush=True)
                colleagues.append((f"{script} {' '.join(extra)}\n{log}", "python", "-", seconds))
    info["load_after"] = " ".join(Path("/proc/loadavg").read_text().split()[:3])
    invocation = " ".join(["bench/run.py", *sys.argv[1:]])
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
