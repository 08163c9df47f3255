"""Speed of the register's import: a 50,000-row CSV of children, checked and written.

    CLMS_TESTING=1 python bench/bench_import.py                  # SQLite, 50,000 rows
    CLMS_TESTING=1 DATABASE_URL=postgres://postgres@127.0.0.1:5432/clms_bench python bench/bench_import.py
    CLMS_TESTING=1 python bench/bench_import.py --rows 5000 --existing 5000

Runs in a throw-away test database (created and destroyed like the test runner does).
The file has the template's Vietnamese headers; names are generated with realistic
frequencies (bench_duplicates' generator), spread over 80 communes (about a district's
register each) with six villages and households of one to three children.  A first pass
finds the rows that look like duplicates (different children sharing a name and nearly a
birthday); they are marked "different child" as an officer would, and the timed second
pass imports the whole file.  ``--existing`` first puts that many children on the
register so that the duplicate check against the register has something to compare.
Prints the time of validation (every row, duplicates within the file and against the
register) and of writing (bulk inserts in batches), and the rows per second overall.
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import os
import random
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "clms.settings")
os.environ.setdefault("CLMS_TESTING", "1")

import django  # noqa: E402

django.setup()

from bench_duplicates import SURNAMES, make_name, weighted  # noqa: E402
from django.db import connection  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402
from django.utils import translation  # noqa: E402

KEYS = ["full_name", "sex", "dob", "ethnicity", "commune", "village", "head_name", "poverty_status",
        "school_status", "grade", "confirm_different"]


def build_rows(rows: int, communes: list[str], seed: int) -> list[list[str]]:
    """Rows of children in households; ``communes`` are the codes to spread them over."""
    rng = random.Random(seed)
    start = dt.date(2008, 7, 1).toordinal()
    out: list[list[str]] = []
    house = 0
    while len(out) < rows:
        house += 1
        surname = weighted(rng, SURNAMES)
        commune = rng.choice(communes)
        village = f"Thôn {rng.randint(1, 6)}"
        head = make_name(rng, surname, "M")
        poverty = rng.choices(["", "Cận nghèo", "Nghèo"], weights=[80, 12, 8])[0]
        given: set[str] = set()
        for _ in range(rng.choice([1, 1, 2, 2, 3])):
            if len(out) >= rows:
                break
            sex = rng.choice("MF")
            name = make_name(rng, surname, sex)
            while name.split()[-1] in given:
                name = make_name(rng, surname, sex)
            given.add(name.split()[-1])
            dob = dt.date.fromordinal(start + rng.randrange(4700))
            school = rng.choices(["Đang đi học", "Bỏ học", "Đi học không thường xuyên"], weights=[85, 8, 7])[0]
            grade = str(rng.randint(1, 12)) if school != "Bỏ học" else ""
            out.append([
                name, "Nam" if sex == "M" else "Nữ", dob.strftime("%d/%m/%Y"), "Kinh", commune, village,
                f"{head} {house}", poverty, school, grade, "",
            ])
    return out


def to_csv(rows: list[list[str]]) -> bytes:
    from clms.people.importers import COLUMNS

    lines = [";".join(str(COLUMNS[k]) for k in KEYS), *(";".join(r) for r in rows)]
    return ("\ufeff" + "\n".join(lines) + "\n").encode("utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=50_000)
    parser.add_argument("--existing", type=int, default=0, help="children already on the register")
    parser.add_argument("--communes", type=int, default=80, help="communes the file spreads over (625 rows each)")
    parser.add_argument("--seed", type=int, default=2021)
    args = parser.parse_args()

    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    try:
        translation.activate("vi")
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
                village = AdminUnit.objects.create(scheme=Scheme.LOCAL, level=Level.VILLAGE, name=f"Thôn {i}", parent=commune)
                village.path = f"{commune.path}{village.pk}/"
                village.save()
        user = User.objects.create(username="bench", role=Role.SUPERVISOR, area=province)
        if args.existing:
            importers.children_import(user=user, file=io.BytesIO(to_csv(build_rows(args.existing, codes, args.seed + 99))),
                                      name="old.csv")
        rows = build_rows(args.rows, codes, args.seed)
        try:
            importers.children_import(user=user, file=io.BytesIO(to_csv(rows)), name="check.csv")
        except ImportFailed as failed:
            # Different children who share a name and nearly a birthday: an officer checks
            # them and writes x in the "different child" column, as the error asks.
            flagged = {e.row for e in failed.errors if e.column == str(importers.COLUMNS["full_name"])}
            other = [e for e in failed.errors if e.row not in flagged]
            if other:
                for error in other[:5]:
                    print("  ", error)
                raise SystemExit("the generated file has errors other than likely duplicates") from None
            for row_number in flagged:
                rows[row_number - 2][-1] = "x"
            print(f"{len(flagged):,} rows flagged as likely duplicates, confirmed as different children")
        RiskAssessment.objects.all().delete()
        Child.objects.all().delete()
        Household.objects.all().delete()
        data = to_csv(rows)

        checked: dict[str, float] = {}
        original_write = importers.children_write

        def timed_write(*, user: Any, rows: list[Any]) -> list[int]:
            checked["at"] = time.perf_counter()
            return original_write(user=user, rows=rows)

        importers.children_write = timed_write
        started = time.perf_counter()
        ids = importers.children_import(user=user, file=io.BytesIO(data), name="bench.csv")
        finished = time.perf_counter()
        total = finished - started
        print(f"{connection.vendor}: {len(ids):,} rows in {args.communes} communes imported "
              f"(over {args.existing:,} already registered)")
        print(f"  check {checked['at'] - started:.2f} s, write {finished - checked['at']:.2f} s, "
              f"total {total:.2f} s = {len(ids) / total:,.0f} rows/s")
        print(f"  {Child.objects.count():,} children, {RiskAssessment.objects.count():,} risk assessments stored")
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
