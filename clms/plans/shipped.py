"""Loading the plans that ship as data (``data/plans.json``) from a data migration.

Takes the app registry of the migration so that it works on historical models.
"""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from importlib import resources
from typing import Any

DATA_FILE = "plans.json"


def shipped_data() -> dict[str, Any]:
    text = (resources.files("clms.plans") / "data" / DATA_FILE).read_text(encoding="utf-8")
    data: dict[str, Any] = json.loads(text)
    return data


def _date(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


def load_shipped(apps: Any) -> None:
    Plan = apps.get_model("plans", "Plan")
    ContentArea = apps.get_model("plans", "ContentArea")
    Target = apps.get_model("plans", "Target")
    PlanAgency = apps.get_model("plans", "PlanAgency")
    Task = apps.get_model("plans", "Task")
    PilotModelType = apps.get_model("plans", "PilotModelType")
    data = shipped_data()
    plans: dict[str, Any] = {}
    for spec in data["plans"]:
        plan = Plan.objects.create(
            key=spec["key"],
            issuer=spec["issuer"],
            number=spec["number"],
            issued_on=_date(spec["issued_on"]),
            title=spec["title"],
            scope_level=spec["scope_level"],
            scope_code=spec["scope_code"],
            period_start=spec["period_start"],
            period_end=spec["period_end"],
            orientation_year=spec["orientation_year"],
            parent=plans[spec["parent"]] if spec["parent"] else None,
            report_deadline_day=spec.get("report_deadline_day", 15),
            report_deadline_month=spec.get("report_deadline_month", 11),
            source_status=spec["source_status"],
            note=spec["note"],
        )
        plans[spec["key"]] = plan
        areas = {}
        for order, area in enumerate(spec["content_areas"]):
            areas[area["code"]] = ContentArea.objects.create(
                plan=plan, code=area["code"], title=area["title"], order=order
            )
        for target in spec["targets"]:
            Target.objects.create(
                plan=plan,
                indicator=target["indicator"],
                comparator=target["comparator"],
                value=Decimal(target["value"]) if target["value"] is not None else None,
                year=target["year"],
                content_area=areas.get(target["content_area"]),
                source_status=target["source_status"],
                wording=target["wording"],
                note=target.get("note", ""),
            )
        agencies: dict[str, Any] = {}
        for order, spec_agency in enumerate(spec["agencies"]):
            agency = PlanAgency.objects.create(
                plan=plan,
                item=spec_agency["item"],
                name=spec_agency["name"],
                kind=spec_agency["kind"],
                level=spec_agency["level"],
                unit_code=spec_agency.get("unit_code", ""),
                valid_from=_date(spec_agency.get("valid_from")),
                valid_to=_date(spec_agency.get("valid_to")),
                reports_to=spec_agency.get("reports_to", ""),
                predecessor=agencies.get(spec_agency.get("predecessor", "")),
                note=spec_agency.get("note", ""),
                order=order,
            )
            agencies[spec_agency["key"]] = agency
            for task_order, task in enumerate(spec_agency["tasks"]):
                Task.objects.create(
                    agency=agency, order=task_order, text=task["text"], content_area=areas.get(task["content_area"])
                )
    for row in data["pilot_model_types"]:
        PilotModelType.objects.update_or_create(code=row["code"], defaults={"name": row["name"]})


def unload_shipped(apps: Any) -> None:
    Plan = apps.get_model("plans", "Plan")
    PilotModelType = apps.get_model("plans", "PilotModelType")
    data = shipped_data()
    # Children before parents: the parent link is PROTECT.
    for spec in reversed(data["plans"]):
        Plan.objects.filter(key=spec["key"]).delete()
    PilotModelType.objects.filter(code__in=[row["code"] for row in data["pilot_model_types"]]).delete()
