"""How long the register import's upload request holds a server worker, and how long the work takes.

    CLMS_TESTING=1 python bench/bench_import_request.py                  # SQLite, 5,000 rows
    CLMS_TESTING=1 DATABASE_URL=postgres://postgres@127.0.0.1:5432/clms_bench python bench/bench_import_request.py
    CLMS_TESTING=1 python bench/bench_import_request.py --rows 20000 --repeat 3

Runs in a throw-away test database, like bench_import.py (whose rows it uses: the template's
Vietnamese headers, households of one to three children over ``--communes`` communes), but
as an XLSX workbook sent through the whole web stack (Django's test client, every middleware)
by a province supervisor.  Likely duplicates are marked "different child" first, as an
officer would.  Prints the upload request's time and, when the request queued the import
(clms/people/import_tasks.py), the worker's time to run it, as ``db_worker`` would.  Each
repeat imports the same children again into an emptied register.
"""

from __future__ import annotations

import argparse
import io
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "clms.settings")
os.environ.setdefault("CLMS_TESTING", "1")

import django  # noqa: E402

django.setup()

from bench_import import KEYS, build_rows  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402
from openpyxl import Workbook  # noqa: E402


def to_xlsx(rows: list[list[str]]) -> bytes:
    from clms.people.importers import COLUMNS

    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.append([str(COLUMNS[k]) for k in KEYS])
    for row in rows:
        ws.append(row)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def run_queued() -> int:
    """Run every queued task with the project's worker (``manage.py db_worker --batch`` stops
    when the queue is empty); returns how many ran."""
    from django.core.management import call_command
    from django_tasks_db.models import DBTaskResult

    before = DBTaskResult.objects.filter(finished_at__isnull=False).count()
    call_command("db_worker", "--batch", "--no-startup-delay", "--interval", "0", verbosity=0)
    return DBTaskResult.objects.filter(finished_at__isnull=False).count() - before


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=5000)
    parser.add_argument("--communes", type=int, default=8)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--seed", type=int, default=2021)
    args = parser.parse_args()

    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    try:
        from django.test import Client

        from clms.accounts.models import Role, User
        from clms.core.imports import ImportFailed
        from clms.people import importers
        from clms.people.models import Child, Household, RiskAssessment
        from clms.places.models import AdminUnit, Level, Scheme

        province = AdminUnit.objects.create(scheme=Scheme.BOTH, level=Level.PROVINCE, code="38", name="Tỉnh Thanh Hóa")
        province.path = f"/{province.pk}/"
        province.save()
        codes = []
        for c in range(args.communes):
            commune = AdminUnit.objects.create(scheme=Scheme.POST_2025, level=Level.COMMUNE, code=f"{16000 + c}",
                                               name=f"Xã Thử {c + 1}", parent=province)
            commune.path = f"{province.path}{commune.pk}/"
            commune.save()
            codes.append(commune.code)
            for i in range(1, 7):
                village = AdminUnit.objects.create(scheme=Scheme.LOCAL, level=Level.VILLAGE, name=f"Thôn {i}",
                                                   parent=commune)
                village.path = f"{commune.path}{village.pk}/"
                village.save()
        user = User.objects.create(username="bench", role=Role.SUPERVISOR, area=province, full_name="Bench")
        rows = build_rows(args.rows, codes, args.seed)
        with transaction.atomic():
            try:
                importers.children_import(user=user, file=io.BytesIO(to_xlsx(rows)), name="check.xlsx")
            except ImportFailed as failed:
                flagged = {e.row for e in failed.errors if e.column == str(importers.COLUMNS["full_name"])}
                if len(flagged) != len({e.row for e in failed.errors}):
                    raise SystemExit("the generated file has errors other than likely duplicates") from None
                for number in flagged:
                    rows[number - 2][-1] = "x"
            transaction.set_rollback(True)
        data = to_xlsx(rows)
        client = Client()
        client.force_login(user)
        client.get("/register/import/")  # the first request loads URLs and templates: not timed
        print(f"{connection.vendor}: a {len(data) / 1024:,.0f} KiB workbook of {args.rows:,} rows "
              f"over {args.communes} communes, uploaded by a province supervisor")
        for attempt in range(1, args.repeat + 1):
            RiskAssessment.objects.all().delete()
            Child.objects.all().delete()
            Household.objects.all().delete()
            upload = io.BytesIO(data)
            upload.name = "tre-em.xlsx"
            started = time.perf_counter()
            response = client.post("/register/import/", {"file": upload})
            answered = time.perf_counter()
            location = response.get("Location", "")
            line = f"  {attempt}: request {answered - started:.2f} s (status {response.status_code}"
            line += f" -> {location})" if location else ")"
            if "/register/import/" in location:
                ran = run_queued()
                line += f", worker {time.perf_counter() - answered:.2f} s ({ran} task)"
            line += f"; {Child.objects.count():,} children stored"
            print(line)
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
