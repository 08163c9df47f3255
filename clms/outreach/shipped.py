"""The peak periods that ship as data (``data/peak_periods.json``), loaded by a data migration."""

from __future__ import annotations

import json
from importlib import resources
from typing import Any


def peak_period_rows() -> list[dict[str, Any]]:
    text = (resources.files("clms.outreach") / "data" / "peak_periods.json").read_text(encoding="utf-8")
    rows: list[dict[str, Any]] = json.loads(text)
    return rows


def load_peak_periods(apps: Any) -> None:
    PeakPeriod = apps.get_model("outreach", "PeakPeriod")
    for row in peak_period_rows():
        PeakPeriod.objects.update_or_create(code=row["code"], defaults=row)


def unload_peak_periods(apps: Any) -> None:
    PeakPeriod = apps.get_model("outreach", "PeakPeriod")
    PeakPeriod.objects.filter(code__in=[row["code"] for row in peak_period_rows()]).delete()
