"""One chart definition for the web page and the documents.

A ``ChartSpec`` says what to draw; ``render_svg`` (inline in a page) and ``render_png`` (in a
DOCX or PDF) draw it with the same matplotlib code, so the page and the report match.  Charts
are drawn offline with the Agg backend, in DejaVu Sans (it ships with matplotlib and covers
Vietnamese), black on white so that they print cleanly.  Text is drawn as outlines, so no
string in the SVG is markup: unit names cannot inject anything into the page.
"""

from __future__ import annotations

import io
import re
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

import matplotlib
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from clms.indicators.base import IndicatorValue, Target

STATUS_COLOURS = {"met": "#17723a", "on_track": "#0b5cab", "off_track": "#b3261e", "no_data": "#9aa5b1"}
LINE = "#0b3d6e"
TARGET = "#a35f00"
RC: Any = {
    "font.family": "DejaVu Sans",
    "font.size": 10,
    "svg.fonttype": "path",
    "svg.hashsalt": "clms-indicators",
    "figure.facecolor": "white",
    "axes.facecolor": "white",
    "savefig.facecolor": "white",
    "axes.edgecolor": "#5b6876",
    "axes.spines.top": False,
    "axes.spines.right": False,
}


@dataclass(frozen=True)
class TargetMark:
    label: str
    value: float | None  # None: a "decrease" target, drawn as a note
    x: Any = None  # a year for a trend; None: a horizontal line across the chart


@dataclass(frozen=True)
class ChartSpec:
    kind: str  # "trend" or "bars"
    title: str
    categories: list[str]
    values: list[float | None]
    statuses: list[str] = field(default_factory=list)
    targets: list[TargetMark] = field(default_factory=list)
    y_label: str = "%"

    @property
    def is_empty(self) -> bool:
        return all(v is None for v in self.values)


def _number(value: float) -> str:
    # number_format cuts digits off; round first.
    return str(number_format(round(value, 1), 1))


def _target_text(target: Target) -> str:
    if target.value is None:
        return _("decrease")
    return f"{target.comparator} {_number(float(target.value))}%"


def trend_chart(
    values: list[IndicatorValue], *, target_2025: Target | None, target_2030: Target | None, title: str
) -> ChartSpec:
    """A line of the values by year against the 2025 target and the 2030 orientation."""
    marks = []
    for target in (target_2025, target_2030):
        if target is not None:
            label = _("Target %(year)s: %(target)s") % {"year": target.year, "target": _target_text(target)}
            marks.append(TargetMark(label, None if target.value is None else float(target.value), target.year))
    return ChartSpec(
        kind="trend",
        title=title,
        categories=[str(v.year) for v in values],
        values=[v.value for v in values],
        statuses=[v.status for v in values],
        targets=marks,
    )


def table_chart(table: Any, code: str, *, rows: list[Any] | None = None) -> ChartSpec:
    """A bar per row of an IndicatorTable (or per row of ``rows``, those a page shows, in its
    order), coloured by status, with the target line (the target most rows share)."""
    from clms.indicators.registry import INDICATORS

    units = table.rows if rows is None else rows
    cells = [table.cell(r.pk, code) for r in units]
    targets = Counter(c.target for c in cells if c.target is not None)
    marks = []
    if targets:
        target = targets.most_common(1)[0][0]
        label = _("Target %(year)s: %(target)s") % {"year": target.year, "target": _target_text(target)}
        marks.append(TargetMark(label, None if target.value is None else float(target.value)))
    return ChartSpec(
        kind="bars",
        title=str(INDICATORS[code].label),
        categories=[r.name for r in units],
        values=[c.value for c in cells],
        statuses=[c.status for c in cells],
        targets=marks,
    )


def _draw(spec: ChartSpec, max_height: float = 40.0) -> Figure:
    many = len(spec.categories) > 8
    height = 3.6 if spec.kind == "trend" or not many else min(2.0 + 0.28 * len(spec.categories), max_height)
    # Bars too thin for a 9-point name and a value each (a province's 166 communes on one
    # printed page): smaller names, no value labels (the annex table has the figures).
    per_bar_pt = 72 * (height - 2.0) / max(len(spec.categories), 1)
    tick_size = 9.0 if per_bar_pt >= 12 else max(3.5, per_bar_pt * 0.8)
    fig = Figure(figsize=(7.5, height), dpi=100)
    FigureCanvasAgg(fig)
    ax = fig.add_subplot(1, 1, 1)
    ax.set_title(spec.title, loc="left", fontsize=11, wrap=True)
    known = [v for v in spec.values if v is not None]
    top = max([*known, *(t.value for t in spec.targets if t.value is not None), 1.0])
    if spec.kind == "trend":
        xs = [int(c) for c in spec.categories]
        pts = [(x, v) for x, v in zip(xs, spec.values, strict=True) if v is not None]
        if pts:
            ax.plot([p[0] for p in pts], [p[1] for p in pts], color=LINE, marker="o", linewidth=2)
            for x, v in pts:
                ax.annotate(_number(v), (x, v), textcoords="offset points", xytext=(0, 6), ha="center", fontsize=9)
        last = max([*xs, *(t.x for t in spec.targets if t.x)], default=2026)
        for mark in spec.targets:
            if mark.value is not None:
                ax.plot([mark.x], [mark.value], marker="D", color=TARGET, linestyle="none", markersize=8)
                ax.hlines(mark.value, min(xs, default=mark.x), mark.x, colors=TARGET, linestyles="dashed", linewidth=1)
                ax.annotate(mark.label, (mark.x, mark.value), textcoords="offset points", xytext=(-4, 8), ha="right", fontsize=9, color=TARGET)
            else:
                ax.annotate(mark.label, (mark.x, top * 0.9), ha="right", fontsize=9, color=TARGET)
        ax.set_xlim(min(xs, default=2021) - 0.5, last + 0.5)
        ax.set_xticks(sorted(set(xs) | {t.x for t in spec.targets if t.x}))
        ax.set_ylim(0, top * 1.2)
    else:
        positions = list(range(len(spec.categories)))
        heights = [v or 0.0 for v in spec.values]
        colours = [STATUS_COLOURS.get(s, LINE) for s in spec.statuses] or [LINE] * len(positions)
        ax.barh(positions, heights, color=colours)
        ax.set_yticks(positions, spec.categories, fontsize=tick_size)
        ax.invert_yaxis()
        if tick_size >= 9.0:
            for pos, value in zip(positions, spec.values, strict=True):
                text = "—" if value is None else _number(value)
                ax.annotate(text, (value or 0.0, pos), textcoords="offset points", xytext=(3, -3), fontsize=8)
        else:
            ax.set_ylim(len(positions) - 0.5, -0.5)
        for mark in spec.targets:
            if mark.value is not None:
                ax.axvline(mark.value, color=TARGET, linestyle="dashed", linewidth=1.2, label=mark.label)
        if any(m.value is not None for m in spec.targets):
            ax.legend(loc="lower right", fontsize=8, frameon=False)
        ax.set_xlim(0, top * 1.15)
        ax.set_xlabel(spec.y_label)
    if spec.kind == "trend":
        ax.set_ylabel(spec.y_label)
    ax.grid(axis="y" if spec.kind == "trend" else "x", color="#d7dde3", linewidth=0.6)
    fig.tight_layout()
    return fig


def render_svg(spec: ChartSpec) -> str:
    """Inline SVG markup of the chart (no XML prolog; scales to the width of its container)."""
    with matplotlib.rc_context(RC):
        fig = _draw(spec)
        buf = io.StringIO()
        fig.savefig(buf, format="svg", metadata={"Date": None, "Creator": None})
    svg = buf.getvalue()
    svg = svg[svg.index("<svg") :]
    # matplotlib repeats each text in a comment; a name holding "-->" would end it early.
    svg = re.sub(r"<!--.*?-->", "", svg, flags=re.DOTALL)
    return re.sub(
        r'<svg([^>]*?) width="[^"]*" height="[^"]*"',
        r'<svg\1 role="img" style="width:100%;height:auto;max-width:48rem"',
        svg,
        count=1,
    )


def render_png(spec: ChartSpec, dpi: int = 150, max_height: float = 40.0) -> bytes:
    """PNG of the chart; ``max_height`` (inches) keeps a long bar chart on one printed page."""
    with matplotlib.rc_context(RC):
        fig = _draw(spec, max_height=max_height)
        buf = io.BytesIO()
        fig.savefig(buf, format="png", dpi=dpi, metadata={"Software": None})
    return buf.getvalue()
