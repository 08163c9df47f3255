"""A digest of the generated data that does not depend on primary keys or insertion time.

Two runs with the same seed and date must give the same fingerprint on any database.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from typing import Any

from clms.cases.models import Case, CaseStep
from clms.employers.models import Employer, Inspection
from clms.outreach.models import Reach
from clms.people.models import Child, Classification, WorkObservation
from clms.places.models import Denominator


def _digest(rows: Iterable[tuple[Any, ...]]) -> str:
    h = hashlib.sha256()
    for row in sorted(repr(r) for r in rows):
        h.update(row.encode())
    return h.hexdigest()


def fingerprint() -> dict[str, str]:
    """One digest per kind of record, over the fields that carry meaning."""
    return {
        "children": _digest(Child.objects.values_list(
            "full_name", "sex", "dob", "commune__code", "village__name", "personal_id", "school_status",
            "register_status", "latest_category", "risk_level", "last_visit_on",
        )),
        "observations": _digest(WorkObservation.objects.values_list(
            "child__full_name", "child__dob", "observed_on", "activity", "job_code", "workplace_code", "hours_per_day",
            "employer__name",
        )),
        "classifications": _digest(Classification.objects.values_list(
            "observation__child__full_name", "observation__observed_on", "ruleset", "category", "is_current",
        )),
        "cases": _digest(Case.objects.values_list("child__full_name", "child__dob", "state", "received_at", "closed_at")),
        "steps": _digest(CaseStep.objects.values_list("case__child__full_name", "step", "seq", "due_at", "done_at", "cancelled_at")),
        "employers": _digest(Employer.objects.values_list("name", "commune__code", "sector", "tax_code")),
        "inspections": _digest(Inspection.objects.values_list("inspected_on", "kind", "findings")),
        "reach": _digest(Reach.objects.values_list("activity__unit__code", "activity__starts_on", "group", "count")),
        "denominators": _digest(Denominator.objects.values_list("unit__code", "unit__scheme", "year", "group", "value")),
    }
