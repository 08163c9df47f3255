"""The dashboard's charts, drawn from a snapshot so that a report never shows live figures.

``clms.indicators.charts`` defines the charts of the dashboard; a report draws the same chart
from its frozen table (``figures.SnapshotTable``).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import Any

from django.core.cache import cache
from django.utils import translation

from clms.indicators import charts as shared_charts
from clms.reports import texts
from clms.reports.figures import SnapshotTable

MAX_CHARTS = 3
CACHE_SECONDS = 24 * 3600


@dataclass
class Chart:
    title: str
    png: bytes
    caption: str = ""


def _chosen_codes(data: dict[str, Any]) -> list[str]:
    """Indicators with a figure, those with a target first (the plan's order otherwise)."""
    with_value = [c for c in data["codes"] if data["totals"].get(c, {}).get("value") is not None]
    with_target = [c for c in with_value if data["totals"][c].get("target")]
    return (with_target + [c for c in with_value if c not in with_target])[:MAX_CHARTS]


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
            png = shared_charts.render_png(shared_charts.table_chart(table, code), dpi=150)
        charts.append(Chart(title=title, png=png))
    return charts
