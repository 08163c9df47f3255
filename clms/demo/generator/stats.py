"""Shares of the generated register to compare with the national statistics (spec §6.2).

Read from the database, so the benchmarks, the tests and the command report the same figures.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from django.db.models import Count

from clms.cases.models import Case
from clms.demo.generator.scenarios import AGRICULTURE, LABOUR
from clms.people.models import Child, Classification

CL = ("CHILD_LABOUR", "HAZARDOUS_CHILD_LABOUR")
IN_SCHOOL = ("attending", "irregular", "vocational")
SECTOR_OF_DESCRIPTION = {s.description: s.sector for s in LABOUR}


def _share(part: int, whole: int) -> float:
    return round(part / whole, 3) if whole else 0.0


def profile() -> dict[str, Any]:
    """Child labour by hazard, sector, paid status, age band and schooling, over each child's
    latest child-labour observation; plus case states."""
    rows = (
        Classification.objects.filter(ruleset="vn-law", is_current=True, category__in=CL)
        .order_by("observation__child_id", "observation__observed_on", "observation_id")
        .values_list(
            "observation__child_id", "category", "age", "observation__paid", "observation__job_description",
            "observation__child__school_status", "observation__commune__unit_type",
        )
    )
    latest: dict[int, tuple[Any, ...]] = {}
    for row in rows:
        latest[row[0]] = row
    n = len(latest)
    hazardous = sum(1 for r in latest.values() if r[1] == "HAZARDOUS_CHILD_LABOUR")
    unpaid = sum(1 for r in latest.values() if r[3] is False)
    # A child still working at a case follow-up is helping on the family farm (see cases.py).
    sectors = Counter(SECTOR_OF_DESCRIPTION.get(r[4], AGRICULTURE) for r in latest.values())
    bands = Counter("5-11" if r[2] <= 11 else "12-14" if r[2] <= 14 else "15-17" for r in latest.values())
    school = sum(1 for r in latest.values() if r[5] in IN_SCHOOL)
    rural = sum(1 for r in latest.values() if not str(r[6]).startswith("Phường"))
    children = Child.objects.count()
    states = dict(Case.objects.values_list("state").annotate(n=Count("pk")).order_by("state"))
    return {
        "children": children,
        "child_labourers": n,
        "share_of_register": _share(n, children),
        "hazardous": _share(hazardous, n),
        "unpaid_family": _share(unpaid, n),
        "in_school": _share(school, n),
        "rural": _share(rural, n),
        "sectors": {k: _share(v, n) for k, v in sorted(sectors.items())},
        "age_bands": {k: _share(v, n) for k, v in sorted(bands.items())},
        "case_states": states,
    }
