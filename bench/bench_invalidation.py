"""Queries that the figure cache's invalidation adds to a transaction of many saves.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/clms_x CLMS_VAR_DIR=$PWD/var \
        python bench/bench_invalidation.py [--children 100]

On a database with generated data (``manage.py generate --scale province``): adds
``--children`` children to two communes of the province through ``child_create`` (the
service every form, the API and the importer of single rows use) in one transaction, with
the cache off (``CLMS_INDICATOR_CACHE_SECONDS=0``) and on (60 s), and prints the queries of
each run, the commit's callbacks included; then deletes the children again.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "clms.settings")
os.environ.setdefault("CLMS_DEBUG", "1")

import django  # noqa: E402

django.setup()

from django.db import connection, transaction  # noqa: E402
from django.test.utils import CaptureQueriesContext, override_settings  # noqa: E402

from clms.accounts.models import Role, User  # noqa: E402
from clms.people.models import Child  # noqa: E402
from clms.people.services import child_create  # noqa: E402
from clms.places.models import AdminUnit, Level, Scheme  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--children", type=int, default=100)
    args = parser.parse_args()
    province = AdminUnit.objects.filter(level=Level.PROVINCE, code="38").first() or AdminUnit.objects.filter(
        level=Level.PROVINCE).first()
    assert province is not None, "generate data first"
    user, _created = User.objects.get_or_create(username="bench.invalidation")
    user.role, user.area, user.full_name = Role.SUPERVISOR, province, "Bench"
    user.save()
    communes = list(AdminUnit.objects.filter(level=Level.COMMUNE, scheme=Scheme.POST_2025,
                                             path__startswith=province.path).order_by("pk")[:2])
    for seconds in (0, 60):
        with override_settings(CLMS_INDICATOR_CACHE_SECONDS=seconds):
            started = time.perf_counter()
            with CaptureQueriesContext(connection) as queries:
                with transaction.atomic():
                    made = [
                        child_create(user=user, commune=communes[i % 2], full_name=f"Bench Invalidation {i}", sex="F",
                                     dob=dt.date(2014, 1, 1), school_status="attending")
                        for i in range(args.children)
                    ]
            took = (time.perf_counter() - started) * 1000
        print(f"cache {'on ' if seconds else 'off'}: {args.children} children in one transaction: "
              f"{len(queries.captured_queries)} queries, {took:.0f} ms")
        Child.objects.filter(pk__in=[c.pk for c in made]).delete()


if __name__ == "__main__":
    main()
