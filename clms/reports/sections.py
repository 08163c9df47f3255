"""Part III of the report from the unit's records: the counts behind each content area.

Each figure comes from the selector of the page that shows it (the employers' overview, the
outreach reach panel, the case and referral lists, the budget and pilot-model pages, the
agencies' tasks), read as the unit's own officer would read it (``reader_for``), so the report
and the pages cannot disagree.  Only counts, sums and official labels leave this module: no
child, reporter, employer or attendee is named.

The result is plain JSON stored in a snapshot under ``"sections"`` and summed by
``aggregate_sections`` for the receiving level.  To add a section (e.g. a survey estimate) add a
key here, a sum rule in ``aggregate_sections`` and its wording in ``documents.content``.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from typing import Any

from django.db.models import Count, Sum

from clms.accounts.models import Role, User
from clms.places.models import AdminUnit
from clms.reports import clock

SCHEMA = 1


def reader_for(unit: AdminUnit) -> User:
    """The unit's own officer, as the selectors see a user: role and area, nothing else.

    A commune is read as its commune officer reads it; a district or province as its
    supervisor.  The user is never saved, never logs in and carries no personal identity; the
    report keeps counts only.
    """
    return User(username="", area=unit, role=Role.COMMUNE_OFFICER if unit.level == "commune" else Role.SUPERVISOR)


# ---------------------------------------------------------------------------
# One unit
# ---------------------------------------------------------------------------


def _management(reader: User, unit: AdminUnit, year: int) -> dict[str, Any]:
    """III.1: the plan the unit implements and the progress of the agencies' tasks of the nearest
    plan that assigns tasks (a commune's own plan often assigns none: its district's does)."""
    from clms.plans.models import TaskStatus
    from clms.plans.selectors import applicable_plans, tasks_for_user

    plans = applicable_plans(unit, year)
    plan = plans[0] if plans else None
    agencies: dict[str, Counter[str]] = {}
    tasks_plan = None
    for candidate in plans:
        tasks = tasks_for_user(reader).filter(agency__plan=candidate).order_by("agency__order", "order")
        # A commune reports its own part of its district's plan: the agencies at its level
        # ("Ủy ban nhân dân các xã") when the plan names some, all the plan's agencies otherwise.
        own = tasks.filter(agency__level=unit.level)
        found = list((own if own.exists() else tasks).values_list("agency__name", "status"))
        if found:
            tasks_plan = candidate
            for name, status in found:
                agencies.setdefault(name, Counter())[status] += 1
            break
    return {
        "tasks_plan": None if tasks_plan is None else {"id": tasks_plan.pk, "number": tasks_plan.number, "issuer": tasks_plan.issuer},
        "plan": None
        if plan is None
        else {
            "id": plan.pk,
            "number": plan.number,
            "issued_on": plan.issued_on.isoformat() if plan.issued_on else "",
            "issuer": plan.issuer,
            "level": plan.scope_level,
        },
        "agencies": [
            {"name": name, **{s: counts.get(s, 0) for s in TaskStatus.values}} for name, counts in agencies.items()
        ],
    }


def _outreach(reader: User, unit: AdminUnit, year: int) -> dict[str, Any]:
    """III.2: activities held by kind, and the reach per target group (the outreach panel)."""
    from clms.outreach.selectors import held_activities, reach_summary

    by_kind = dict(held_activities(unit, year).order_by().values_list("kind").annotate(n=Count("pk")))
    return {
        "activities": by_kind,
        "reach": [
            {"group": r.group, "count": r.count, "method": r.method, "denominator": r.denominator}
            for r in reach_summary(unit, year)
        ],
    }


def _support(reader: User, unit: AdminUnit, year: int) -> dict[str, Any]:
    """III.3: cases received in the year by their state now; referrals sent in the year by
    service and by answer (the case and referral lists)."""
    from clms.cases.selectors import cases_for_user, referrals_for_user

    cases = cases_for_user(reader).filter(received_at__year=year)
    by_state = dict(cases.order_by().values_list("state").annotate(n=Count("pk")))
    referrals = referrals_for_user(reader).filter(sent_at__year=year).order_by()
    by_service: dict[str, dict[str, int]] = {}
    for service, status, n in referrals.values_list("service_type", "status").annotate(n=Count("pk")):
        by_service.setdefault(service, {})[status] = n
    return {
        "cases": by_state,
        "emergencies": cases.filter(emergency=True).count(),
        "referrals": by_service,
    }


def _inspections(reader: User, unit: AdminUnit, year: int) -> dict[str, Any]:
    """III.4: the employers' overview row of the unit, and the year's violations by the article
    of the decree they breach, with the fines the decree allows and the fines imposed."""
    from clms.employers.models import ViolationStatus
    from clms.employers.selectors import overview_by_commune, violations_for_user

    overview = overview_by_commune(reader, year, clock.today())
    rows = [r for r in overview.rows if r.commune.pk == unit.pk] if unit.level == "commune" else []
    row = rows[0] if rows else overview.total
    violations = violations_for_user(reader).filter(inspection__inspected_on__year=year).exclude(
        status=ViolationStatus.DISMISSED
    )
    unit_ids = rows[0].unit_ids if rows else None
    if unit_ids is not None:
        violations = violations.filter(employer__commune_id__in=unit_ids)
    inspected = _inspected_employers(reader, year, unit_ids)
    articles = []
    for decree, article, n, low, high in (
        violations.order_by()
        .values_list("decree", "article")
        .annotate(n=Count("pk"), low=Sum("fine_min"), high=Sum("fine_max"))
        .order_by("decree", "article")
    ):
        articles.append({"decree": decree, "article": article, "count": n, "fine_min": low or 0, "fine_max": high or 0})
    imposed = violations.filter(fine_amount__isnull=False).aggregate(n=Count("pk"), total=Sum("fine_amount"))
    return {
        "employers": row.employers if row else 0,
        "craft_villages": row.craft_villages if row else 0,
        "active_commitments": row.active_commitments if row else 0,
        "inspections": row.inspections if row else 0,
        "employers_inspected": inspected,
        "open_violations": row.open_violations if row else 0,
        "children_found": row.children_found if row else 0,
        "violations": sum(a["count"] for a in articles),
        "articles": articles,
        "fines_imposed_count": imposed["n"] or 0,
        "fines_imposed": imposed["total"] or 0,
    }


def _inspected_employers(reader: User, year: int, unit_ids: Iterable[int] | None = None) -> int:
    from clms.employers.models import Inspection
    from clms.places.scoping import unit_q

    visits = Inspection.employers.through.objects.filter(
        unit_q(reader, "employer__commune"), inspection__inspected_on__year=year
    )
    if unit_ids is not None:
        visits = visits.filter(employer__commune_id__in=list(unit_ids))
    return visits.values("employer_id").distinct().count()


def _resources(reader: User, unit: AdminUnit, year: int) -> dict[str, Any]:
    """III.5: the budget page's totals for the unit and year, planned and spent by source."""
    from clms.plans.selectors import budget_lines_for_user, budget_totals

    lines = budget_lines_for_user(reader).filter(year=year, unit__path__startswith=unit.path)
    totals = budget_totals(lines)
    return {
        "sources": {r["source"]: {"planned": r["planned"] or 0, "spent": r["spent"] or 0} for r in totals.rows},
        "planned": totals.planned,
        "spent": totals.spent,
    }


def _pilots(reader: User, unit: AdminUnit, year: int) -> dict[str, Any]:
    """The pilot models running in the unit during the year, by type (the pilot-model page)."""
    from clms.plans.selectors import pilot_models_for_user

    models = (
        pilot_models_for_user(reader)
        .filter(started_on__year__lte=year)
        .exclude(status="planned")
        .order_by()
        .values_list("model_type__code", "model_type__name")
        .annotate(n=Count("pk"), beneficiaries=Sum("beneficiaries"))
        .order_by("model_type__code")
    )
    return {
        "types": [
            {"code": code, "name": name, "count": n, "beneficiaries": b or 0} for code, name, n, b in models
        ]
    }


def unit_sections(unit: AdminUnit, year: int) -> dict[str, Any]:
    """Everything part III says about ``unit`` in ``year``, as plain JSON."""
    reader = reader_for(unit)
    return {
        "schema": SCHEMA,
        "management": _management(reader, unit, year),
        "outreach": _outreach(reader, unit, year),
        "support": _support(reader, unit, year),
        "inspections": _inspections(reader, unit, year),
        "resources": _resources(reader, unit, year),
        "pilots": _pilots(reader, unit, year),
    }


# ---------------------------------------------------------------------------
# The receiving level: sums of the accepted reports
# ---------------------------------------------------------------------------


def _add_counts(into: dict[str, Any], part: dict[str, Any]) -> None:
    for key, value in part.items():
        if isinstance(value, dict):
            _add_counts(into.setdefault(key, {}), value)
        elif isinstance(value, int | float) and not isinstance(value, bool):
            into[key] = into.get(key, 0) + value


def aggregate_sections(parts: list[dict[str, Any]]) -> dict[str, Any]:
    """The sum of the sending units' sections: counts and amounts add up, lists merge by key.

    A snapshot taken before sections existed contributes nothing; ``"complete"`` says how many
    of the parts had sections, so the document can say the sum is partial.
    """
    present = [p for p in parts if p and p.get("schema") == SCHEMA]
    total: dict[str, Any] = {"schema": SCHEMA, "parts": len(parts), "complete": len(present)}
    agencies: dict[str, Counter[str]] = {}
    reach: dict[str, dict[str, Any]] = {}
    articles: dict[tuple[str, str], dict[str, Any]] = {}
    pilots: dict[int, dict[str, Any]] = {}
    scalar: dict[str, Any] = {}
    task_plans: set[Any] = set()
    for part in present:
        # Communes that implement one district plan report the same agencies' tasks: count
        # each plan's tasks once.
        tasks_plan = (part["management"].get("tasks_plan") or {}).get("id")
        if tasks_plan not in task_plans:
            task_plans.add(tasks_plan)
            for agency in part["management"]["agencies"]:
                counter = agencies.setdefault(agency["name"], Counter())
                counter.update({k: v for k, v in agency.items() if k != "name"})
        for row in part["outreach"]["reach"]:
            found = reach.setdefault(row["group"], {"group": row["group"], "count": 0, "method": "unique", "denominator": 0})
            found["count"] += row["count"]
            # Unique lists of different communes may share a person only across communes: the
            # sum is an upper estimate as soon as one part counted attendance.
            if row["method"] != "unique":
                found["method"] = "attendance"
            if row["denominator"] is None or found["denominator"] is None:
                found["denominator"] = None
            else:
                found["denominator"] += row["denominator"]
        for article in part["inspections"]["articles"]:
            key = (article["decree"], article["article"])
            found = articles.setdefault(key, {"decree": key[0], "article": key[1], "count": 0, "fine_min": 0, "fine_max": 0})
            for name in ("count", "fine_min", "fine_max"):
                found[name] += article[name]
        for pilot in part["pilots"]["types"]:
            found = pilots.setdefault(pilot["code"], {"code": pilot["code"], "name": pilot["name"], "count": 0, "beneficiaries": 0})
            found["count"] += pilot["count"]
            found["beneficiaries"] += pilot["beneficiaries"]
        _add_counts(scalar, {k: part[k] for k in ("outreach", "support", "inspections", "resources")})
    outreach = scalar.get("outreach", {})
    inspections = scalar.get("inspections", {})
    total.update(
        {
            "management": {
                "plan": None,
                "agencies": [{"name": name, **dict(counts)} for name, counts in agencies.items()],
            },
            "outreach": {"activities": outreach.get("activities", {}), "reach": list(reach.values())},
            "support": {
                "cases": scalar.get("support", {}).get("cases", {}),
                "emergencies": scalar.get("support", {}).get("emergencies", 0),
                "referrals": scalar.get("support", {}).get("referrals", {}),
            },
            "inspections": {**{k: v for k, v in inspections.items() if k != "articles"}, "articles": sorted(articles.values(), key=lambda a: (a["decree"], a["article"]))},
            "resources": {
                "sources": scalar.get("resources", {}).get("sources", {}),
                "planned": scalar.get("resources", {}).get("planned", 0),
                "spent": scalar.get("resources", {}).get("spent", 0),
            },
            "pilots": {"types": sorted(pilots.values(), key=lambda p: p["code"])},
        }
    )
    return total


def has_sections(data: dict[str, Any]) -> bool:
    return bool(data.get("sections")) and data["sections"].get("schema") == SCHEMA


__all__ = ["SCHEMA", "aggregate_sections", "has_sections", "reader_for", "unit_sections"]
