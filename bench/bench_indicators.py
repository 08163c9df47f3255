"""The full commune × indicator table of a province, against hand-written SQL for the same figures.

    python bench/bench_indicators.py                       # SQLite, var/bench_indicators.sqlite3
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/clms_bench_ind python bench/bench_indicators.py
    python bench/bench_indicators.py --children 60000 --communes 170 --regenerate --repeat 5

The generator below writes a province of ~170 post-2025 communes formed from three old
communes each (in 17 old districts), ~60,000 registered children with three work
observations each over 2021-2026 and their vn-law classifications, visits, cases with steps
and events, outreach activities with reach and attendance lists, and population figures; it
uses bulk inserts and no services, so it takes a minute, not an hour.  Timing: the median
of ``--repeat`` runs of ``indicator_table(province, year)`` (every indicator, targets and the
2021 baseline included) against the median of running the equivalent hand-written SQL
(the same aggregates for the year and for 2021, plus the units and the population figures).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import statistics
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "clms.settings")
os.environ.setdefault("CLMS_TESTING", "1")
os.environ.setdefault("DATABASE_URL", f"sqlite:///{ROOT / 'var' / 'bench_indicators.sqlite3'}")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.utils import timezone  # noqa: E402

from clms.accounts.models import User  # noqa: E402
from clms.cases.models import Case, CaseEvent, CaseStep, Report  # noqa: E402
from clms.indicators.compute import indicator_table  # noqa: E402
from clms.indicators.context import year_start  # noqa: E402
from clms.indicators.units import build_unit_map  # noqa: E402
from clms.outreach.models import Attendee, OutreachActivity, Reach  # noqa: E402
from clms.people.models import Child, Classification, Visit, WorkObservation  # noqa: E402
from clms.places.models import AdminUnit, Denominator, Level, Scheme, Succession  # noqa: E402
from clms.rules import fold  # noqa: E402

PROVINCE_CODE = "38"
CATEGORIES = ["NOT_CHILD_LABOUR"] * 6 + ["PERMITTED_WITH_CONDITIONS"] * 2 + ["CHILD_LABOUR"] * 3 + ["HAZARDOUS_CHILD_LABOUR"]
SCHOOL = ["attending"] * 7 + ["irregular", "dropped_out", "never_enrolled", "vocational"]
GROUPS = ["officials", "teachers", "parents", "children", "enterprises", "cooperatives", "craft_households"]
BATCH = 5000


def ensure_database() -> None:
    """Create the PostgreSQL database of the benchmark if it does not exist yet."""
    settings = connection.settings_dict
    if connection.vendor != "postgresql":
        (ROOT / "var").mkdir(exist_ok=True)
        return
    import psycopg

    admin = psycopg.connect(
        host=settings["HOST"] or "127.0.0.1", port=settings["PORT"] or 5432, user=settings["USER"],
        password=settings["PASSWORD"] or None, dbname="postgres", autocommit=True,
    )
    with admin:
        found = admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", [settings["NAME"]]).fetchone()
        if not found:
            admin.execute(f'CREATE DATABASE "{settings["NAME"]}"')


# ---------------------------------------------------------------------------
# Generator
# ---------------------------------------------------------------------------


def _unit(**kw: Any) -> AdminUnit:
    unit = AdminUnit.objects.create(**kw)
    unit.path = f"{unit.parent.path if unit.parent else '/'}{unit.pk}/"
    unit.save(update_fields=["path"])
    return unit


def generate(n_children: int, n_communes: int, seed: int) -> None:
    rng = random.Random(seed)
    started = time.perf_counter()
    user = User.objects.create(username="bench", role="supervisor")
    province = AdminUnit.objects.filter(level=Level.PROVINCE, code=PROVINCE_CODE).first() or _unit(
        code=PROVINCE_CODE, scheme=Scheme.BOTH, level=Level.PROVINCE, name="Tỉnh Thanh Hóa"
    )
    user.area = province
    user.save(update_fields=["area"])
    n_districts = max(1, n_communes // 10)
    # The first district is Triệu Sơn (code 397), so the shipped plan's targets apply to its
    # communes and the table computes the 2021 baseline, as it does in real use.
    districts = [
        _unit(code="397" if d == 0 else f"B{d:03d}", scheme=Scheme.PRE_2025, level=Level.DISTRICT, name=f"Huyện Thử {d}", parent=province)
        for d in range(n_districts)
    ]
    new, old_of = [], {}
    for c in range(n_communes):
        district = districts[c % n_districts]
        commune = _unit(code=f"N{c:05d}", scheme=Scheme.POST_2025, level=Level.COMMUNE, name=f"Xã Mới {c}", parent=province)
        olds = [
            _unit(code=f"O{c:05d}{k}", scheme=Scheme.PRE_2025, level=Level.COMMUNE, name=f"Xã Cũ {c}-{k}", parent=district)
            for k in range(3)
        ]
        Succession.objects.bulk_create([Succession(predecessor=o, successor=commune) for o in olds])
        for v in range(5):
            _unit(scheme=Scheme.LOCAL, level=Level.VILLAGE, name=f"Thôn {v + 1}", parent=commune)
        new.append(commune)
        old_of[commune.pk] = olds

    dens = []
    for year in range(2021, 2027):
        for commune in new:
            units = old_of[commune.pk] if year < 2025 else [commune]
            for unit in units:
                kids = rng.randint(1500, 4000) // len(units)
                figures = {
                    "children_5_17": kids, "children_5_17_m": kids // 2, "children_5_17_f": kids - kids // 2,
                    "children_5_11": kids * 7 // 13, "children_12_14": kids * 3 // 13, "children_15_17": kids * 3 // 13,
                    "teachers": rng.randint(40, 120), "parents": kids, "officials": rng.randint(8, 20),
                    "enterprises": rng.randint(5, 40), "cooperatives": rng.randint(1, 8), "craft_households": rng.randint(0, 80),
                }
                dens += [Denominator(unit=unit, year=year, group=g, value=v) for g, v in figures.items()]
    Denominator.objects.bulk_create(dens, batch_size=BATCH)

    children = []
    for i in range(n_children):
        commune = rng.choice(new)
        recorded_new = rng.random() < 0.3
        where = commune if recorded_new else rng.choice(old_of[commune.pk])
        name = f"Trẻ Thử {i}"
        children.append(Child(
            commune=where, full_name=name, name_folded=fold(name), sex=rng.choice("MF"),
            dob=dt.date(2004, 1, 1) + dt.timedelta(days=rng.randrange(17 * 365)),
            ethnicity=rng.choice(["01", "01", "01", "04", "07"]), school_status=rng.choice(SCHOOL),
            register_status=rng.choice(["child_labour", "minor_unlawful", "at_risk", "at_risk", "monitored"]),
            risk_level=rng.choice(["low", "medium", "high"]),
        ))
    Child.objects.bulk_create(children, batch_size=BATCH)
    children = list(Child.objects.only("pk", "commune_id", "dob"))

    observations = []
    for child in children:
        for _ in range(3):
            day = dt.date(2021, 3, 15) + dt.timedelta(days=rng.randrange(2000))
            if day >= child.dob:
                observations.append(WorkObservation(child_id=child.pk, commune_id=child.commune_id, observed_on=day, activity="EMPLOYED"))
    WorkObservation.objects.bulk_create(observations, batch_size=BATCH)
    dob = {c.pk: c.dob for c in children}
    classifications = []
    for obs_id, child_id, day in WorkObservation.objects.values_list("pk", "child_id", "observed_on"):
        born = dob[child_id]
        age = day.year - born.year - ((day.month, day.day) < (born.month, born.day))
        classifications.append(Classification(
            observation_id=obs_id, ruleset="vn-law", ruleset_id="bench", category=rng.choice(CATEGORIES), age=age,
        ))
    Classification.objects.bulk_create(classifications, batch_size=BATCH)
    Visit.objects.bulk_create(
        [Visit(child_id=c.pk, visited_on=dt.date(2021, 6, 1) + dt.timedelta(days=rng.randrange(1900)),
               school_status=rng.choice(SCHOOL + [""])) for c in children],
        batch_size=BATCH,
    )

    reports, cases = [], []
    chosen = rng.sample(children, k=len(children) // 10)
    for child in chosen:
        received = timezone.make_aware(dt.datetime(2021, 4, 1)) + dt.timedelta(hours=rng.randrange(24 * 1950))  # noqa: DTZ001
        reports.append(Report(source="commune", received_at=received, commune_id=child.commune_id, what_seen="-", filed_by=user))
    Report.objects.bulk_create(reports, batch_size=BATCH)
    for report, child in zip(reports, chosen, strict=True):
        cases.append(Case(report=report, child_id=child.pk, commune_id=child.commune_id, received_at=report.received_at,
                          state=rng.choice(["intervening", "monitoring", "monitoring", "closed"])))
    Case.objects.bulk_create(cases, batch_size=BATCH)
    steps, events = [], []
    for case in cases:
        start = case.received_at
        for seq, (step, days) in enumerate((("initial_assessment", 0.5), ("verification", 2), ("assessment", 5))):
            due = start + dt.timedelta(days=days)
            done = due + dt.timedelta(hours=rng.randint(-40, 20)) if rng.random() < 0.9 else None
            steps.append(CaseStep(case=case, step=step, seq=seq + 1, started_at=start, due_at=due, done_at=done,
                                  statutory=False, policy_version=1, rule="bench"))
        monitoring = start + dt.timedelta(days=rng.randint(10, 60))
        events.append(CaseEvent(case=case, kind="start_monitoring", to_state="monitoring", at=monitoring))
        for k in range(rng.randint(0, 6)):
            due = monitoring + dt.timedelta(days=30 * (k + 1))
            done = due - dt.timedelta(days=rng.randint(-5, 20)) if rng.random() < 0.8 else None
            steps.append(CaseStep(case=case, step="follow_up", seq=k + 1, started_at=due - dt.timedelta(days=30), due_at=due,
                                  done_at=done, statutory=False, policy_version=1, rule="bench"))
        if case.state == "closed":
            events.append(CaseEvent(case=case, kind="close", to_state="closed", at=monitoring + dt.timedelta(days=200)))
    CaseStep.objects.bulk_create(steps, batch_size=BATCH)
    CaseStep.objects.update(created_at=timezone.make_aware(dt.datetime(2021, 1, 1)))  # noqa: DTZ001
    CaseEvent.objects.bulk_create(events, batch_size=BATCH)

    villages = {c.pk: list(AdminUnit.objects.filter(parent=c).values_list("pk", flat=True)) for c in new}
    activities = []
    for commune in new:
        for year in range(2021, 2027):
            for _ in range(5):
                unit_id = rng.choice([commune.pk, *villages[commune.pk]]) if year >= 2025 else rng.choice(old_of[commune.pk]).pk
                activities.append(OutreachActivity(
                    kind=rng.choice(["training", "campaign", "event"]), title="Hoạt động thử", unit_id=unit_id,
                    starts_on=dt.date(year, 1, 1) + dt.timedelta(days=rng.randrange(360)),
                    status=rng.choice(["held", "held", "held", "planned"]),
                ))
    OutreachActivity.objects.bulk_create(activities, batch_size=BATCH)
    reach_rows, attendees = [], []
    for activity in activities:
        for group in rng.sample(GROUPS, 3):
            reach_rows.append(Reach(activity=activity, group=group, count=rng.randint(5, 60)))
            if activity.kind == "training":
                for _ in range(rng.randint(5, 20)):
                    name = f"Học viên {rng.randrange(400)}"
                    attendees.append(Attendee(activity=activity, group=group, full_name=name, name_folded=fold(name),
                                              position="Cán bộ", position_folded="can bo"))
    Reach.objects.bulk_create(reach_rows, batch_size=BATCH)
    Attendee.objects.bulk_create(attendees, batch_size=BATCH)
    print(
        f"generated in {time.perf_counter() - started:.0f} s: {n_communes} communes, {len(children)} children, "
        f"{len(observations)} observations, {len(cases)} cases, {len(steps)} steps, {len(activities)} activities, "
        f"{len(attendees)} attendance lines"
    )


# ---------------------------------------------------------------------------
# The same figures in hand-written SQL
# ---------------------------------------------------------------------------

SQL_CL = """
SELECT o.commune_id, c.category, COUNT(*) FROM people_classification c
JOIN people_workobservation o ON o.id = c.observation_id
JOIN people_child ch ON ch.id = o.child_id
WHERE c.ruleset = 'vn-law' AND c.is_current AND c.age BETWEEN 5 AND 17 AND ch.merged_into_id IS NULL
  AND o.observed_on BETWEEN %(first)s AND %(last)s AND o.commune_id IN ({communes})
  AND c.category IN ('CHILD_LABOUR', 'HAZARDOUS_CHILD_LABOUR')
  AND NOT EXISTS (
    SELECT 1 FROM people_classification c2 JOIN people_workobservation o2 ON o2.id = c2.observation_id
    WHERE o2.child_id = o.child_id AND c2.ruleset = 'vn-law' AND c2.is_current AND c2.age BETWEEN 5 AND 17
      AND o2.observed_on BETWEEN %(first)s AND %(last)s
      AND (o2.observed_on > o.observed_on OR (o2.observed_on = o.observed_on AND c2.observation_id > c.observation_id)))
GROUP BY o.commune_id, c.category
"""
SQL_EDU = """
SELECT ch.commune_id, COUNT(*),
  SUM(CASE WHEN COALESCE(NULLIF((SELECT v.school_status FROM people_visit v WHERE v.child_id = ch.id
        AND v.visited_on <= %(last)s AND v.school_status <> '' ORDER BY v.visited_on DESC, v.id DESC LIMIT 1), ''),
        ch.school_status) IN ('attending', 'vocational') THEN 1 ELSE 0 END)
FROM people_child ch
WHERE ch.merged_into_id IS NULL AND ch.commune_id IN ({communes})
  AND ch.register_status IN ('child_labour', 'minor_unlawful', 'at_risk')
  AND ch.dob <= %(dob_max)s AND ch.dob > %(dob_min)s
  AND (ch.created_at < %(next_start)s OR EXISTS (SELECT 1 FROM people_workobservation o
       WHERE o.child_id = ch.id AND o.observed_on <= %(last)s))
GROUP BY ch.commune_id
"""
SQL_TIMELY = """
SELECT k.commune_id, COUNT(*), SUM(CASE WHEN NOT EXISTS (SELECT 1 FROM cases_casestep s WHERE s.case_id = k.id
  AND (COALESCE(s.done_at, s.cancelled_at) > s.due_at OR (s.done_at IS NULL AND s.cancelled_at IS NULL AND s.due_at < %(as_of)s)))
  THEN 1 ELSE 0 END)
FROM cases_case k WHERE k.commune_id IN ({communes}) AND k.received_at >= %(start)s AND k.received_at < %(next_start)s
GROUP BY k.commune_id
"""
SQL_MONITORED = """
SELECT k.commune_id, COUNT(*), SUM(CASE WHEN NOT EXISTS (SELECT 1 FROM cases_casestep s WHERE s.case_id = k.id
  AND s.step = 'follow_up' AND s.created_at <= %(as_of)s AND s.due_at < %(as_of)s
  AND (COALESCE(s.done_at, s.cancelled_at) IS NULL OR COALESCE(s.done_at, s.cancelled_at) > %(as_of)s)) THEN 1 ELSE 0 END)
FROM cases_case k WHERE k.commune_id IN ({communes})
  AND (SELECT e.to_state FROM cases_caseevent e WHERE e.case_id = k.id AND e.at <= %(as_of)s AND e.to_state <> ''
       ORDER BY e.at DESC, e.id DESC LIMIT 1) = 'monitoring'
GROUP BY k.commune_id
"""
HELD = """SELECT a.id FROM outreach_outreachactivity a JOIN places_adminunit u ON u.id = a.unit_id
  WHERE a.status = 'held' AND a.starts_on BETWEEN %(first)s AND %(last)s AND (a.unit_id IN ({units}) OR u.path LIKE %(path)s)"""
SQL_TYPED = """
SELECT a.unit_id, r."group", a.kind, SUM(r.count), SUM(CASE WHEN NOT EXISTS (SELECT 1 FROM outreach_attendee t
  WHERE t.activity_id = r.activity_id AND t."group" = r."group") THEN 1 ELSE 0 END)
FROM outreach_reach r JOIN outreach_outreachactivity a ON a.id = r.activity_id
WHERE r.count > 0 AND r.activity_id IN (""" + HELD + """) GROUP BY a.unit_id, r."group", a.kind
"""
PERSON = "t.name_folded || '|' || t.position_folded || '|' || COALESCE(CAST(t.person_unit_id AS TEXT), '')"
SQL_DISTINCT = """
SELECT {row} AS row_id, t."group", COUNT(DISTINCT CASE WHEN t.employer_id IS NULL THEN """ + PERSON + """ END),
  COUNT(DISTINCT t.employer_id), COUNT(*)
FROM outreach_attendee t JOIN outreach_outreachactivity a ON a.id = t.activity_id
WHERE t.activity_id IN (""" + HELD + """) {training} GROUP BY row_id, t."group"
"""
SQL_DENOMINATORS = "SELECT unit_id, \"group\", value, source FROM places_denominator WHERE year = %(year)s AND unit_id IN ({units})"
SQL_UNITS = "SELECT id, path, parent_id, scheme FROM places_adminunit WHERE path LIKE %(path)s AND level IN ('commune', 'village')"


def raw_figures(province: AdminUnit, year: int) -> int:
    """Run the hand-written queries for the year and for 2021; return the number of rows read."""
    umap = build_unit_map(province, "after-2025")  # units only: mapping communes to rows is not the comparison
    communes = ",".join(str(c) for c in sorted(umap.all_communes))
    rows = 0
    with connection.cursor() as cursor:
        cursor.execute(SQL_UNITS, {"path": province.path + "%"})
        units = cursor.fetchall()
        unit_ids = ",".join(str(u[0]) for u in units)
        row_of = {u[0]: umap.row_of.get(u[0]) or umap.row_of.get(u[2] or 0) for u in units}
        by_row: dict[int, list[int]] = {}
        for unit, row in row_of.items():
            if row is not None:
                by_row.setdefault(row, []).append(unit)
        case_row = " ".join(f"WHEN a.unit_id IN ({','.join(map(str, us))}) THEN {r}" for r, us in by_row.items())
        row_expr = f"CASE {case_row} ELSE -1 END"
        for y in {year, 2021}:
            first, last = dt.date(y, 1, 1), dt.date(y, 12, 31)
            start, next_start = year_start(y), year_start(y + 1)
            as_of = min(next_start, timezone.now())
            params: dict[str, Any] = {
                "first": first, "last": last, "start": start, "next_start": next_start, "as_of": as_of,
                "dob_max": dt.date(y - 5, 12, 31), "dob_min": dt.date(y - 18, 12, 31), "path": province.path + "%", "year": y,
            }
            for sql in (SQL_CL, SQL_EDU, SQL_TIMELY, SQL_MONITORED):
                cursor.execute(sql.format(communes=communes), params)
                rows += len(cursor.fetchall())
            cursor.execute(SQL_TYPED.format(units=unit_ids), params)
            rows += len(cursor.fetchall())
            for training in ("", "AND a.kind = 'training'"):
                for row_sql in (row_expr, "0"):
                    cursor.execute(SQL_DISTINCT.format(units=unit_ids, row=row_sql, training=training), params)
                    rows += len(cursor.fetchall())
            cursor.execute(SQL_DENOMINATORS.format(units=",".join(map(str, [province.pk, *umap.row_of]))), params)
            rows += len(cursor.fetchall())
    return rows


def timed(fns: list[Any], repeat: int) -> list[float]:
    """Median wall time of each function; runs alternate so that load from other processes
    on the machine falls on both sides alike."""
    times: list[list[float]] = [[] for _ in fns]
    for _ in range(repeat):
        for i, fn in enumerate(fns):
            started = time.perf_counter()
            fn()
            times[i].append(time.perf_counter() - started)
    return [statistics.median(t) for t in times]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--children", type=int, default=60_000)
    parser.add_argument("--communes", type=int, default=170)
    parser.add_argument("--year", type=int, default=2025)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--seed", type=int, default=8)
    parser.add_argument("--regenerate", action="store_true", help="drop and regenerate the data")
    args = parser.parse_args()

    ensure_database()
    call_command("migrate", verbosity=0)
    if args.regenerate or not Child.objects.exists():
        if Child.objects.exists():
            call_command("flush", interactive=False, verbosity=0)
            call_command("migrate", verbosity=0)
        generate(args.children, args.communes, args.seed)
    with connection.cursor() as cursor:
        # Fresh bulk-loaded tables need statistics on PostgreSQL (and SQLite) to plan well.
        cursor.execute("ANALYZE")
    province = AdminUnit.objects.get(level=Level.PROVINCE, code=PROVINCE_CODE)
    AdminUnit.objects.filter(level=Level.DISTRICT, code="B000").update(code="397")
    print(f"database: {connection.vendor}; {Child.objects.count()} children, "
          f"{WorkObservation.objects.count()} observations, {Case.objects.count()} cases, "
          f"{OutreachActivity.objects.count()} activities, {Attendee.objects.count()} attendance lines")

    table = indicator_table(province, args.year)  # warm caches and check it runs
    print(f"table: {len(table.rows)} rows × {len(table.codes)} indicators; "
          f"province CL_RATE {table.total('CL_RATE').value:.2f}%")
    ours, raw = timed([lambda: indicator_table(province, args.year), lambda: raw_figures(province, args.year)], args.repeat)
    print(f"indicator_table: {ours * 1000:.0f} ms (median of {args.repeat})")
    print(f"hand-written SQL: {raw * 1000:.0f} ms (median of {args.repeat})")
    print(f"ratio: {ours / raw:.2f}")


if __name__ == "__main__":
    main()
