"""Writes bench/RESULTS.md from the figures bench/run.py collected (replaced on every run)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

HOW = """\
How to run (documentation; the README's one line for this is `make bench`):

    make bench                                # district + province, SQLite + PostgreSQL (clms_bench), ~1 h on 2 cores
    .venv/bin/python bench/run.py --scales district --databases sqlite          # a quick look
    .venv/bin/python bench/run.py --scales nation --database postgres://postgres@127.0.0.1:5432/clms_bench \\
        --provinces 38,01,79                  # national scale, PostgreSQL only (after load_units --all)

Data: `python manage.py generate --scale district|province|nation --seed N` (clms.demo.generator),
the same generator the demo uses at district scale.  Each (database, scale) starts from a fresh
database (var/bench/<scale>.sqlite3 or the PostgreSQL database clms_bench), never the demo's.
Load tests: wrk (2 threads, 10 s per level, 60 s timeout) against gunicorn with 2 workers on
127.0.0.1 with production settings (DEBUG off, PBKDF2, the dashboard's 60-second indicator cache
of clms.core.figure_cache on, as outside tests: `CLMS_INDICATOR_CACHE_SECONDS` overrides), logged
in as a supervisor of the whole province (the widest scope); the baseline is the login page (a
trivial Django page: session, CSRF, one template) on the same server in the same run.  The
PostgreSQL runs share their cache in Redis (`CLMS_REDIS_URL=redis://127.0.0.1:6379/7`, key prefix
`clms-bench`); the SQLite runs use the database cache, the embedded default.  The replica run
repeats the PostgreSQL load test with `DATABASE_REPLICA_URL` pointing at a streaming replica
(`pg_basebackup -R`, a second server on 127.0.0.1:5433, stopped and removed at the end).
See bench/README.md.
"""


def _f(value: Any, digits: int = 2) -> str:
    if value is None:
        return "–"
    if isinstance(value, float):
        return f"{value:,.{digits}f}"
    if isinstance(value, int):
        return f"{value:,}"
    return str(value)


def _growth(small: float | None, large: float | None, size_small: float, size_large: float) -> str:
    if not small or not large or not size_small:
        return "not measured at both scales"
    k, n = large / small, size_large / size_small
    if k < 0.5 * n:
        kind = "sub-linear"
    elif k <= 1.5 * n:
        kind = "roughly linear"
    else:
        kind = "super-linear"
    return f"×{k:,.1f} for ×{n:,.1f} data: {kind}"


def _children(r: dict[str, Any]) -> int:
    return int(r.get("generate", {}).get("children") or 0)


GOAL_MS = 300.0
COLD_GOAL_MS = 1000.0
HTML_GOAL_KB = 200.0
RSS_GOAL_MB = 300.0
ORDER = ("sqlite", "postgresql", "postgresql+replica")
LOGIN = "login page (baseline)"


def _title(key: str, r: dict[str, Any]) -> str:
    vendor, scale = key.split(":")
    load = r.get("load") or {}
    name = {"sqlite": "SQLite", "postgresql": "PostgreSQL", "postgresql+replica": "PostgreSQL + streaming replica"}[vendor]
    children = _children(r)
    cache = r.get("cache") or (f"{load.get('cache_backend')}" if load.get("cache_backend") else "?")
    bits = [f"{children:,} children" if children else "", f"cache: {cache}",
            "supervisor's reads on the replica (127.0.0.1:5433)" if load.get("replica") else ""]
    return f"### {name}, {scale} scale — " + "; ".join(b for b in bits if b)


def _yes(ok: bool | None) -> str:
    return "–" if ok is None else ("yes" if ok else "**no**")


def _prevents(x: dict[str, Any], prof: dict[str, Any] | None) -> str:
    """What keeps a page over the goal: the closed-loop arithmetic and the single-request profile."""
    # wrk keeps 50 requests in flight against 2 sync workers, so a request waits for ~25
    # others: p95 <= 300 ms needs each request served in about 2 * 300 / 50 = 12 ms.
    service = 2000.0 / x["rps"] if x.get("rps") else None
    out = f"{_f(service, 0)} ms of worker time per request (needs ≤ 12)"
    if prof:
        out += (f"; alone: {_f(prof['ms'], 0)} ms, {prof['queries']} queries, {_f(prof['sql_ms'], 0)} ms SQL, "
                f"slowest query {_f(prof['slowest_ms'], 0)} ms")
    return out


def goal_section(results: dict[str, dict[str, Any]]) -> list[str]:
    keys = sorted((k for k in results if (results[k].get("load") or {}).get("pages")),
                  key=lambda k: (["district", "province", "commune", "nation"].index(k.split(":")[1])
                                 if k.split(":")[1] in ("district", "province", "commune", "nation") else 9,
                                 ORDER.index(k.split(":")[0]) if k.split(":")[0] in ORDER else 9))
    if not keys:
        return []
    lines = ["## Issue 18: the province supervisor's pages (goal p95 ≤ 300 ms at 50 users, HTML ≤ 200 KB)", "",
             "wrk at 10 and 50 connections (10 s each) against gunicorn with 2 sync workers, logged in as the "
             "supervisor of the whole province; ratio = the page's p95 / the login page's p95 at 50 connections "
             "in the same run.  *Met?* needs p95 at 50 ≤ 300 ms, no errors and HTML ≤ 200 KB.  The cold "
             "dashboard is the first request after a write to the province (a child saved and the province's "
             "figure-cache generation renewed, as after a commune officer's edit), timed alone, not under load; "
             "its goal is ≤ 1 s.  *What prevents it* for a miss: wrk keeps 50 requests in flight against 2 "
             "workers, so a request waits behind ~25 others and p95 ≤ 300 ms needs ≤ 12 ms of worker time per "
             "request (2 workers / throughput); then the same page requested once in the bench process "
             "(in-process, no figure cache: the dashboard's cold path) with its queries and SQL time.  *load*: the "
             "machine's 1-minute load average before the 10- and the 50-connection level (2 cores, shared with "
             "other people's runs: above 2, every figure here, the login page's included, is slowed by them).", ""]
    details: list[str] = []
    for key in keys:
        r = results[key]
        load = r["load"]
        pages, html, prof_all = load["pages"], load.get("html", {}), load.get("profile", {})
        base = {x["connections"]: x for x in pages.get(LOGIN, [])}
        lines += [_title(key, r), "",
                  "| page | p95 at 10 ms | p95 at 50 ms | ratio to login | HTML KB | goal | met? | what prevents it | load |",
                  "|---|---|---|---|---|---|---|---|---|"]
        for page, runs in pages.items():
            by = {x["connections"]: x for x in runs}
            x10, x50 = by.get(10, {}), by.get(50, {})
            kb = (html.get(page, {}).get("bytes") or 0) / 1024
            status = html.get(page, {}).get("status")
            ratio = x50["p95_ms"] / base[50]["p95_ms"] if x50 and base.get(50, {}).get("p95_ms") else None
            load_1m = " / ".join(_f(x.get("load_1m"), 1) for x in (x10, x50) if x.get("load_1m") is not None)
            if page == LOGIN:
                lines.append(f"| {page} | {_f(x10.get('p95_ms'), 0)} | {_f(x50.get('p95_ms'), 0)} | 1.0 | {_f(kb, 0)} | "
                             f"baseline | – | | {load_1m} |")
                continue
            errors = (x50.get("socket_errors", 0) + x50.get("non_2xx_3xx", 0)) if x50 else None
            ok = bool(x50) and x50["p95_ms"] <= GOAL_MS and kb <= HTML_GOAL_KB and not errors and status == 200
            why = "" if ok else _prevents(x50, prof_all.get(page)) if x50 else "not measured"
            if kb > HTML_GOAL_KB:
                why = f"HTML {kb:,.0f} KB > 200 KB; " + why
            if status != 200:
                why = f"HTTP {status}; " + why
            if errors:
                why = f"{errors} errors/non-2xx; " + why
            if x50 and x50.get("requests", 99) < 2 * 50:
                # Fewer answers than twice the connections in the window: the slowest requests never
                # finished inside it, so wrk's p95 is a lower bound (~50 / req/s in a steady state).
                why = (f"p95 bound by the 10 s window ({x50['requests']} answers), steady state ≈ "
                       f"{_f(50 / x50['rps'] * 1000 if x50.get('rps') else None, 0)} ms; ") + why
            lines.append(f"| {page} | {_f(x10.get('p95_ms'), 0)} | {_f(x50.get('p95_ms'), 0)} | {_f(ratio, 1)} | "
                         f"{_f(kb, 0)} | ≤ 300 ms | {_yes(ok)} | {why} | {load_1m} |")
            prof = prof_all.get(page)
            # The query text only where SQL is a real share of the page (PostgreSQL, the production case).
            if not ok and prof and prof.get("slowest_sql") and key.startswith("postgresql") and prof["slowest_ms"] >= 20:
                details += [f"- {key} — {page}: slowest query {_f(prof['slowest_ms'], 0)} ms of "
                            f"{prof['queries']} ({_f(prof['sql_ms'], 0)} ms SQL, {_f(prof['ms'], 0)} ms in all):", "",
                            "  ```sql", "  " + prof["slowest_sql"].replace("\n", " ")[:600], "  ```"]
                if prof.get("plan"):
                    details += ["", "  ```", *("  " + p for p in prof["plan"][:10]), "  ```"]
                details.append("")
        cold = load.get("dashboard_cold") or {}
        dash = prof_all.get("indicators dashboard (warm)")
        if "median_ms" in cold:
            ok = cold["max_ms"] <= COLD_GOAL_MS
            lines.append(f"| indicators dashboard, cold (after a write; median / max of {cold['repeat']}, alone) | "
                         f"{_f(cold['median_ms'], 0)} / {_f(cold['max_ms'], 0)} | | | | ≤ 1 s | {_yes(ok)} | "
                         f"warm request right after: {_f(cold['warm_median_ms'], 0)} ms (median)"
                         + ("" if ok or not dash else "; the table and charts computed again (in-process: "
                            f"{_f(dash['ms'], 0)} ms, of which {_f(dash['sql_ms'], 0)} ms SQL in {dash['queries']} queries)")
                         + " | |")
        workers = load.get("workers") or [{"VmRSS": m, "VmHWM": None} for m in load.get("worker_rss_mb", [])]
        if workers:
            worst = max(w["VmRSS"] for w in workers)
            lines.append("| worker memory after the run (RSS; peak) | " + ", ".join(
                f"{_f(w['VmRSS'], 0)} MB" + (f" ({_f(w['VmHWM'], 0)})" if w.get("VmHWM") else "") for w in workers)
                + f" | | | | ≤ 300 MB | {_yes(worst <= RSS_GOAL_MB)} | | |")
        search = load.get("search")
        lines.append("")
        if search:
            lines.append(f"Search words: the most frequent first two words of the province's folded names, "
                         f"\"{search['q']}\" ({search['children']:,} children match both).")
        lines.append("")
    replicas = [k for k in keys if k.startswith("postgresql+replica:")]
    for key in replicas:
        plain = results.get("postgresql:" + key.split(":")[1], {}).get("load", {}).get("pages", {})
        with_r = results[key]["load"]["pages"]
        if not plain:
            continue
        lines += [f"### With and without the replica, {key.split(':')[1]} scale (p95 ms at 50 / req/s at 50)", "",
                  "| page | primary only | with replica | change of p95 |", "|---|---|---|---|"]
        for page, runs in with_r.items():
            a = {x["connections"]: x for x in plain.get(page, [])}.get(50)
            b = {x["connections"]: x for x in runs}.get(50)
            if a and b:
                lines.append(f"| {page} | {_f(a['p95_ms'], 0)} / {_f(a['rps'], 1)} | {_f(b['p95_ms'], 0)} / "
                             f"{_f(b['rps'], 1)} | {_f(b['p95_ms'] / a['p95_ms'] if a['p95_ms'] else None, 2)}× |")
        reads = results[key]["load"].get("db_reads") or {}
        if reads:
            lines += ["", "Rows returned by each server during the replica run's load test (pg_stat_database): "
                      + ", ".join(f"{alias} {v.get('rows', 0):,} rows in {v.get('transactions', 0):,} transactions"
                                  for alias, v in reads.items()) + "."]
        lag = results[key].get("replica_after") or {}
        lines += ["", "On one machine the replica shares the same 2 cores and disk with the primary, the workers "
                  "and wrk: it can take reads off the primary's connections, not add CPU; the figure that "
                  "matters for a second server is the change in the primary's load, not these latencies."
                  + (f"  Replica at the end: in recovery {lag.get('in_recovery')}, last replayed transaction "
                     f"{_f(lag.get('replay_lag_s'), 1)} s before the check." if lag else ""), ""]
    for key in [k for k in results if k.startswith("postgresql+replica:") and "skipped" in (results[k].get("load") or {})]:
        lines += [f"- {key}: replica run skipped — {results[key]['load']['skipped']}", ""]
    if details:
        lines += ["#### Profiles of the pages that miss (one request in the bench process)", "", *details]
    return lines


def write_results(path: Path, *, results: dict[str, dict[str, Any]], colleagues: list[tuple[str, str, str, float]],
                  info: dict[str, str], started_at: dt.datetime, command: str) -> None:
    vendors = sorted({k.split(":")[0] for k in results})
    scales = [s for s in ("commune", "district", "province", "nation") if any(k.endswith(f":{s}") for k in results)]
    lines = [
        "# Benchmarks at district, province and national scale",
        "",
        HOW,
        f"- **Run**: {started_at:%Y-%m-%d %H:%M %Z}, command `{command}`",
        f"- **Machine**: {info['nproc']} CPUs ({info['cpu']}), {info['memory']} memory; Python {info['python']}, "
        f"Django {info['django']}, {info['postgresql']}, SQLite {info['sqlite']}",
        f"- **Load average** at start {info['load']}, at end {info.get('load_after', '?')}: the machine was shared "
        "with other test runs, so wall-clock figures carry noise; each ratio is measured in the same run and window as its baseline.",
    ]
    for earlier in info.get("earlier_runs", []):
        lines.append(f"- **Kept from an earlier run** (`--keep`): {earlier}")
    lines.append("")

    def get(vendor: str, scale: str) -> dict[str, Any]:
        return results.get(f"{vendor}:{scale}", {})

    lines += goal_section(results)

    # 1. Generation
    lines += ["## 1. Generator (`manage.py generate`)", "",
              "| database | scale | communes (new) | children | rows | seconds | rows/s |", "|---|---|---|---|---|---|---|"]
    for v in vendors:
        for s in scales:
            g = get(v, s).get("generate")
            if g:
                lines.append(f"| {v} | {s} | {g['clusters']} | {_f(g['children'])} | {_f(g['rows'])} | "
                             f"{_f(g['seconds'], 1)} | {_f(g['rows_per_s'], 0)} |")
    lines.append("")
    for v in vendors:
        if len(scales) >= 2:
            a, b = get(v, scales[0]).get("generate"), get(v, scales[-1]).get("generate")
            if a and b:
                lines.append(f"- {v}: time {_growth(a['seconds'], b['seconds'], a['rows'], b['rows'])} (rows).")
    lines.append("")

    # 2. Indicators
    lines += ["## 2. Province indicator table vs hand-written SQL", "",
              "`indicator_table(Thanh Hóa, 2025, codes=['CL_RATE'])` (the year and its 2021 baseline) against one "
              "hand-written SQL query per year (ROW_NUMBER() over the vn-law classifications) plus the population "
              "figures; median of 3.  The full 12-indicator table is timed once for reference; the full-table ratio "
              "against hand-written SQL for every indicator is bench_indicators.py's (section 7).", "",
              "| database | scale | CL numerator (ORM = SQL?) | ORM s | raw SQL s | **ratio** | full table s |",
              "|---|---|---|---|---|---|---|"]
    for v in vendors:
        for s in scales:
            i = get(v, s).get("indicators")
            if i:
                same = "yes" if i["cl_numerator"] == i["raw_check"] else f"no ({i['raw_check']})"
                lines.append(f"| {v} | {s} | {i['cl_numerator']} ({same}) | {_f(i['cl_rate_orm_s'], 3)} | "
                             f"{_f(i['cl_rate_raw_s'], 3)} | **{_f(i['ratio'], 1)}×** | {_f(i['full_table_s'], 2)} |")
    lines.append("")
    for v in vendors:
        if len(scales) >= 2:
            a, b = get(v, scales[0]), get(v, scales[-1])
            if a.get("indicators") and b.get("indicators"):
                lines.append(f"- {v}: CL_RATE {_growth(a['indicators']['cl_rate_orm_s'], b['indicators']['cl_rate_orm_s'], _children(a), _children(b))}; "
                             f"full table {_growth(a['indicators']['full_table_s'], b['indicators']['full_table_s'], _children(a), _children(b))} (children).")
    lines.append("")

    # 3. Duplicates
    lines += ["## 3. Duplicate detection over the register (generator's ground truth)", "",
              "`clms.people.duplicates.pairs_among` over every child of the scale; injected duplicates (2 %: "
              "no diacritics, typo, swapped day/month, date a few days off, word order) are the truth; any other "
              "pair counts as a false positive.", "",
              "| database | scale | children | injected | reported | seconds | precision | recall |",
              "|---|---|---|---|---|---|---|---|"]
    for v in vendors:
        for s in scales:
            d = get(v, s).get("duplicates")
            if d:
                lines.append(f"| {v} | {s} | {_f(d['children'])} | {_f(d['injected'])} | {_f(d['reported'])} | "
                             f"{_f(d['seconds'], 2)} | {_f(d['precision'], 3)} | {_f(d['recall'], 3)} |")
    lines.append("")
    for v in vendors[:1]:
        if len(scales) >= 2:
            a, b = get(v, scales[0]).get("duplicates"), get(v, scales[-1]).get("duplicates")
            if a and b:
                lines.append(f"- time {_growth(a['seconds'], b['seconds'], a['children'], b['children'])} "
                             "(blocked by commune and date variants, so pairs compared grow with children per commune, not the square of the register).")
    lines.append("")

    # 4. Load
    lines += ["## 4. Pages under concurrent load (wrk → gunicorn, 2 workers, 127.0.0.1)", "",
              "Ratios: throughput of the page / throughput of the login page, and p95 of the page / p95 of the "
              "login page, same server, same run.", "",
              "| database | scale | page | users | req/s | p50 ms | p95 ms | errors | req/s ratio | p95 ratio | HTML KB |",
              "|---|---|---|---|---|---|---|---|---|---|---|"]
    verdicts: list[float] = []
    extras: list[str] = []
    for v in vendors:
        for s in scales:
            load = get(v, s).get("load") or {}
            if "skipped" in load:
                lines.append(f"| {v} | {s} | – | – | {load['skipped']} | | | | | | |")
                continue
            pages = load.get("pages", load)  # older results.json: the pages at the top level
            html = load.get("html", {})
            base = {x["connections"]: x for x in pages.get("login page (baseline)", [])}
            for page, runs in pages.items():
                for x in runs:
                    b = base.get(x["connections"], {})
                    rps_ratio = x["rps"] / b["rps"] if b.get("rps") else None
                    p95_ratio = x["p95_ms"] / b["p95_ms"] if b.get("p95_ms") else None
                    errors = x["socket_errors"] + x["non_2xx_3xx"]
                    kb = html.get(page, {}).get("bytes")
                    lines.append(f"| {v} | {s} | {page} | {x['connections']} | {_f(x['rps'], 1)} | {_f(x['p50_ms'], 0)} | "
                                 f"{_f(x['p95_ms'], 0)} | {errors} | {_f(rps_ratio, 3)} | {_f(p95_ratio, 1)} | "
                                 f"{_f(kb / 1024 if kb else None, 0)} |")
                    if page.startswith("indicators dashboard") and x["connections"] == 50 and s == "province" and v == "postgresql":
                        verdicts.append(x["p95_ms"])
            first = load.get("dashboard_first") or (load.get("dashboard_cold") if "ms" in load.get("dashboard_cold", {}) else None)
            if first:
                extras.append(f"- {v} {s}: dashboard, first request after the server starts (nothing cached) "
                              f"{_f(first['ms'], 0)} ms; worker RSS after the run "
                              f"{', '.join(_f(m, 0) for m in load.get('worker_rss_mb', []))} MB.")
    lines += ["", *extras, ""]
    if verdicts:
        ok = verdicts[0] < 300
        lines.append(f"**Dashboard p95 at 50 concurrent users on province data, PostgreSQL: {verdicts[0]:,.0f} ms — "
                     f"{'under' if ok else 'NOT under'} the 300 ms goal.**" + ("" if ok else " The goal table at the top says what prevents it."))
    lines.append("")

    lines += [FINDINGS, GROWTH, "## 7. Colleagues' benchmarks (run as they are, output copied)", ""]
    for text, vendor, scale, seconds in colleagues:
        if not seconds:
            lines.append(f"- `{text}`: not present in this checkout when the run was made.")
            continue
        head, _sep, body = text.partition("\n")
        lines += [f"### `{head}` — {vendor}, {scale} ({seconds:,.0f} s wall)", "", "```", body.strip()[-4000:], "```", ""]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


FINDINGS = """\
## 5. What the benchmarks showed needs changing (indexes and queries)

Written for the run of 2026-11-28 (before issue 18's work); kept for the record, the goal table at
the top has the current figures and profiles.  Not changed here (other apps' and shared files):

1. **Scoping of wide areas: `clms/places/scoping.py` `area_prefixes`** adds the path of every old
   commune absorbed by a commune under the user's area, even when the area's own path already covers
   them.  For a province supervisor of Thanh Hóa that is 547 redundant `path LIKE '/1/168/169/%'`
   clauses ORed into *every* personal-data query (nationally ~10,000): the register list spends most
   of its time building, sending and planning that SQL, not reading rows.  Fix: drop every prefix that
   starts with another prefix of the tuple (one line; same results).  Measured on the district data
   (SQLite, 5,103 children, province supervisor): count + first page of the register list 48 ms with
   the 548 prefixes, 9 ms with the one that covers them all (5.4×); the gap grows with the number of
   old communes in the scope, not with the children.
2. **Register search** (`search_children`: `name_folded LIKE '%word%'` per word) cannot use the b-tree
   index on `people_child.name_folded`; at province scale it is a scan of the scope's children, at
   national scale of millions.  PostgreSQL: `CREATE EXTENSION pg_trgm` and a GIN trigram index on
   `people_child.name_folded` (migration in clms/people, `GinIndex(OpClass(...,'gin_trgm_ops'))`),
   SQLite: acceptable up to a province.
3. **Indicator dashboard** is computed and drawn live on every request.  One request on the
   province data (SQLite, in-process, 2.7 s; cProfile split): the chart (`clms.indicators.charts.render_svg`)
   57 %, `indicator_table` (12 indicators for 2025 *and* the 2021 baseline, 166 communes, 36 queries,
   0.5 s of SQL) 22 %, the template (834 KB of HTML: 166 rows × 12 cells) 21 %.  Under 50 concurrent
   users two sync workers queue behind it, hence the p95 in section 4.  Needed, in this order: cache
   the rendered chart and the computed `IndicatorTable` per (scope, year, structure, target source)
   for a few minutes or until a write to the scope's register, cases or outreach; compute the 2021
   baseline once (it no longer changes); load the chart with htmx after the table; paginate or
   collapse the 166-row table for a province.  The SQL itself is not the bottleneck: the CL_RATE
   part is within a small factor of hand-written SQL (section 2).  A covering index for the
   CL_RATE correlated subquery, `people_classification (ruleset, is_current, observation_id)
   INCLUDE (category, age)` on PostgreSQL, would shorten its NOT EXISTS probe.
4. **Audit log writes on every list request** (one `accounts_auditevent` row with the 50 ids shown):
   cheap per request, but the table grows with traffic (≈1 row per page view); at national scale
   partition it by month and keep the `(user, at)` index only.
5. **Counting the register list** (`Paginator.count` = `COUNT(*)` over the scope) grows with the scope;
   for province and national scopes an estimated count (PostgreSQL `reltuples` or a cached count
   per scope) keeps the first page flat.
"""

GROWTH = """\
## 6. How cost grows, and what changes at national scale

- Generation and import grow linearly with rows (bulk inserts in batches; classification in Python at
  ~200-500 k situations/s per ruleset, bench_rules).  The province has ~29 generated rows per
  registered child, so the national scale (~1.5 million children) is ~44 million rows: at the
  province's PostgreSQL rate about 3.4 hours of generation on this machine, at SQLite's about 1.1
  hours (but the nation runs on PostgreSQL only).  PostgreSQL inserts here are 3× slower than
  SQLite's (multi-row INSERT … RETURNING with server-side JSONB); COPY with ids drawn from the
  sequence in advance would close most of that gap.  A time question, not a design one.
- Per-commune work (duplicates blocked by commune and date, a commune officer's pages) stays flat as
  the country grows: each commune has about the same number of children.
- The national run (PostgreSQL, `make bench-nation`) writes its own file, bench/RESULTS-nation.md,
  so that this one keeps the district and province comparison.
- Province-wide reads (indicator table, dashboard, supervisor's register) grow with the province:
  linear in its children and communes.  The national rollup (63→34 provinces, ~3,300 communes, 1.5
  million children) is where one PostgreSQL server stops being enough for live aggregation:
  partition the register tables (`people_child`, `people_workobservation`, `people_classification`,
  `cases_case`, `cases_casestep`) by province (list partitioning on a province column, or by commune
  path prefix), serve the supervisors' and viewers' reads from read replicas, precompute yearly
  indicator tables per province (they change rarely once a year closes) and run the national
  aggregate over those, and for live national drill-downs use a distributed engine such as Citus
  with the province as distribution key (DESIGN §3: nothing home-made).
"""
