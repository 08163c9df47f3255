"""The dashboard's charts, drawn from a snapshot so that a report never shows live figures.

``clms.indicators.charts`` defines the charts of the dashboard; a report draws the same chart
from its frozen table (``figures.SnapshotTable``).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, replace
from typing import Any

from django.core.cache import cache
from django.utils import translation

from clms.indicators import charts as shared_charts
from clms.reports import texts
from clms.reports.figures import SnapshotTable

CACHE_SECONDS = 24 * 3600
# A chart stands on one printed page with its caption (A4, 15 cm wide: at most ~22 cm high).
MAX_HEIGHT_INCHES = 9.5
CHART_DPI = 120


@dataclass
class Chart:
    title: str
    png: bytes
    caption: str = ""


def _chosen_codes(data: dict[str, Any]) -> list[str]:
    """The indicators whose chart says something: one per indicator (the plan's order) that
    at least two units have a figure for, and not the same figure everywhere."""
    chosen = []
    for code in data["codes"]:
        values = [data["cells"].get(str(r["id"]), {}).get(code, {}).get("value") for r in data["rows"]]
        known = [v for v in values if v is not None]
        if len(known) >= 2 and max(known) != min(known):
            chosen.append(code)
    return chosen


def _worst_first(spec: Any, higher_is_better: bool) -> Any:
    """The bars ranked, the units furthest from the target on top (those without a figure last)."""
    order = sorted(
        range(len(spec.values)),
        key=lambda i: (spec.values[i] is None, (spec.values[i] or 0.0) * (1 if higher_is_better else -1)),
    )
    return replace(
        spec,
        categories=[spec.categories[i] for i in order],
        values=[spec.values[i] for i in order],
        statuses=[spec.statuses[i] for i in order] if spec.statuses else [],
    )


def _cache_key(data: dict[str, Any]) -> str:
    drawn = {k: data.get(k) for k in ("codes", "rows", "cells", "totals")}
    digest = hashlib.sha256(json.dumps(drawn, sort_keys=True, default=str).encode()).hexdigest()
    return f"reports:charts:{digest}"


def report_charts(data: dict[str, Any]) -> list[Chart]:
    """The charts of a report, drawn once per set of figures: a province's bars take seconds, and
    the DOCX and PDF of one report (frozen figures) show the same images."""
    key = _cache_key(data)
    found = cache.get(key)
    if found is not None:
        return [Chart(title=title, png=png) for title, png in found]
    charts = _draw_charts(data)
    cache.set(key, [(c.title, c.png) for c in charts], CACHE_SECONDS)
    return charts


def _draw_charts(data: dict[str, Any]) -> list[Chart]:
    table = SnapshotTable(data)
    charts = []
    for code in _chosen_codes(data):
        title = texts.indicator_text(code).get("short") or data["indicators"][code]["label"]
        # The shared chart writes its title and target legend through gettext: Vietnamese.
        with translation.override("vi"):
            spec = _worst_first(shared_charts.table_chart(table, code), bool(data["indicators"][code].get("higher_is_better", True)))
            png = shared_charts.render_png(spec, dpi=CHART_DPI, max_height=MAX_HEIGHT_INCHES)
        charts.append(Chart(title=title, png=png))
    return charts
