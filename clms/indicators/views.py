"""Dashboards: communes × indicators for supervisors, a commune's own figures with what to do
next, the trend of one indicator, and the records behind an off-track cell."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.safestring import mark_safe

from clms.accounts.audit import audit_log
from clms.accounts.http import AuthedHttpRequest
from clms.accounts.models import AuditAction
from clms.core import page_cache
from clms.core.access import get_scoped_or_404, role_required
from clms.core.figure_cache import cached, cached_at, chart_key, root_of, table_key
from clms.indicators import charts, selectors
from clms.indicators.base import BASELINE_YEAR, IndicatorValue
from clms.indicators.compute import (
    IndicatorTable,
    indicator_table,
    indicator_trend,
    target_milestones,
)
from clms.indicators.forms import DashboardForm, TrendForm
from clms.indicators.overview import ROW_STATUS, overview
from clms.indicators.registry import CODES, INDICATORS
from clms.indicators.targets import TargetSource
from clms.indicators.units import Structure
from clms.places.models import Level
from clms.places.roots import wide_scope_roots

if TYPE_CHECKING:
    from clms.accounts.models import User

TREND_YEARS = range(BASELINE_YEAR, 2027)
DRILL_LIMIT = 500
# Rows of the communes list per page: a row of 12 indicators weighs about 3.5 KB, so a page
# stays near 70 KB whatever the number of communes.
PAGE_SIZE = 20


def _user(request: AuthedHttpRequest) -> Any:
    return request.user


def _may_drill(user: User) -> bool:
    return bool(user.may_read_personal_data) and (user.is_admin or user.role in selectors.DRILL_ROLES)


def _sorted_rows(table: IndicatorTable, sort: str, order: str) -> list[dict[str, Any]]:
    rows = [{"unit": r, "cells": [table.cell(r.pk, c) for c in table.codes]} for r in table.rows]
    if sort in table.codes:
        index = table.codes.index(sort)

        def key(row: dict[str, Any]) -> tuple[bool, float, str]:
            value = row["cells"][index].value
            # Rows without a value go last whichever way the column is sorted.
            missing = value is None
            number = 0.0 if missing else (value if order == "asc" else -value)
            return (missing, number, row["unit"].name)

        return sorted(rows, key=key)
    return sorted(rows, key=lambda r: r["unit"].name, reverse=order == "desc")


def _drill_url(code: str, unit_id: int, year: int, structure: str) -> str:
    return reverse("indicators:drill", args=[code, unit_id]) + "?" + urlencode({"year": str(year), "structure": structure})


def _decorate(cells: list[IndicatorValue], *, year: int, structure: str, drill: bool) -> list[dict[str, Any]]:
    out = []
    for value in cells:
        link = ""
        if drill and value.status == "off_track" and INDICATORS[value.code].drill:
            link = _drill_url(value.code, value.unit_id, year, structure)
        out.append({"v": value, "drill": link})
    return out


def _table_svg(table: Any, code: str, rows: list[Any]) -> str:
    spec = charts.table_chart(table, code, rows=rows)
    return cached(chart_key(spec), lambda: charts.render_svg(spec))


def _listed(rows: list[dict[str, Any]], statuses: dict[int, str], status: str, empty: bool) -> list[dict[str, Any]]:
    """The rows of the communes list: of one status, or every row with figures (and the rows
    without any when asked for)."""
    if status:
        return [r for r in rows if statuses[r["unit"].pk] == status]
    if empty:
        return rows
    return [r for r in rows if statuses[r["unit"].pk] != "no_data"]


@role_required(*selectors.DASHBOARD_ROLES)
def dashboard(request: AuthedHttpRequest) -> HttpResponse:
    """The summary first (the scope's figures, its rows by status), then the rows, a page at a
    time, without the rows that have no figure unless asked; the chart of the rows shown comes
    after the table in a second request (``part=chart``), so the table is read first.

    A wide scope's page (or its htmx part) is rendered once per write to the scope and shared
    by its readers (clms/core/page_cache.py); the frame around it is each reader's own."""
    user = _user(request)
    if request.GET.get("part") == "chart":
        part = "chart"
    elif request.htmx and request.htmx.target == "indicator-table":
        part = "table"
    else:
        part = "page"
    body = page_cache.body(
        request, f"indicators:dashboard:{part}", roots=lambda: wide_scope_roots(user),
        render=lambda: (_dashboard_html(request, part), {}),
    )
    if part != "page":
        return HttpResponse(body.html)
    return render(request, "indicators/dashboard.html", {"body": body.html})


def _dashboard_html(request: AuthedHttpRequest, part: str) -> str:
    """The dashboard's body (``part="page"``), its table alone or its chart, as HTML."""
    user = _user(request)
    today = timezone.localdate()
    # The select shows the unit and year on screen, not "---------": the defaults go into the
    # form's data when the address does not name them.
    params_in = request.GET.copy()
    default_scope = selectors.default_scope(user)
    if not params_in.get("unit") and default_scope is not None:
        params_in["unit"] = str(default_scope.pk)
    if not params_in.get("year"):
        params_in["year"] = str(today.year)
    form = DashboardForm(params_in, units=selectors.scope_units_for_user(user), today=today)
    data = form.cleaned_data if form.is_valid() else {}
    scope = data.get("unit") or selectors.default_scope(user)
    if scope is None:
        raise Http404
    year: int = data.get("year") or today.year
    structure: Structure | None = data.get("structure") or None
    source: TargetSource = "national" if data.get("targets") == "national" else "local"
    sort = data.get("sort") or "name"
    order = data.get("order") or "asc"
    status = data.get("status") or ""
    empty = data.get("empty") == "show"
    table, computed_at = cached_at(
        table_key(scope.pk, year, structure, source),
        lambda: indicator_table(scope, year, structure=structure, target_source=source),
        root=root_of(scope.path),
    )
    drill = _may_drill(user)
    summary = overview(table)
    listed = _listed(_sorted_rows(table, sort, order), summary.statuses, status, empty)
    page = Paginator(listed, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = list(page.object_list)
    chart_code = sort if sort in table.codes else "CL_RATE"
    if part == "chart":
        if len(rows) < 2:
            return ""
        svg = _table_svg(table, chart_code, [r["unit"] for r in rows])
        return render_to_string("indicators/_chart.html", {"chart": mark_safe(svg)}, request)  # noqa: S308 - text drawn as outlines
    for row in rows:
        row["status"] = summary.statuses[row["unit"].pk]
        row["cells"] = _decorate(row["cells"], year=year, structure=table.structure, drill=drill)
    total = _decorate([table.total(c) for c in table.codes], year=year, structure=table.structure, drill=drill)
    base = {"unit": str(scope.pk), "year": str(year), "structure": table.structure, "targets": source}
    shown = {"status": status, "empty": "show" if empty else ""}
    ordering = {"sort": sort, "order": order}
    context = {
        "form": form,
        "scope": scope,
        "year": year,
        "table": table,
        "indicators": [INDICATORS[c] for c in table.codes],
        "rows": rows,
        "page": page,
        "total": total,
        "summary": summary,
        "lines": [{"line": line, "cell": cell} for line, cell in zip(summary.lines, total, strict=True)],
        "status": status,
        "empty": empty,
        "row_statuses": [
            {"code": code, "count": n, "label": ROW_STATUS[code][1], "css": ROW_STATUS[code][0]}
            for code, n in summary.counts.items()
        ],
        "districts": bool(table.rows) and table.rows[0].level == Level.DISTRICT,
        "sort": sort,
        "order": order,
        # Sorting keeps the filter and starts at the first page; paging keeps both.
        "params": urlencode(_nonempty({**base, **shown})),
        "page_params": urlencode(_nonempty({**base, **shown, **ordering})),
        "filter_params": urlencode(_nonempty({**base, **ordering})),
        "empty_params": urlencode(_nonempty({**base, **ordering, "empty": "" if empty else "show"})),
        "switch": urlencode(_nonempty({**base, **shown, **ordering, "targets": "local" if source == "national" else "national"})),
        "source": source,
        "single": scope.level == Level.COMMUNE,
        "chart_code": chart_code,
        "computed_at": computed_at,
    }
    if context["single"] and (user.role == "commune_officer" or user.is_admin):
        context["next"] = selectors.next_steps(user, [table.total(c) for c in table.codes], today=today)
    if part == "table":
        return render_to_string("indicators/_table.html", context, request)
    return render_to_string("indicators/_dashboard_body.html", context, request)


def _nonempty(params: dict[str, str]) -> dict[str, str]:
    return {k: v for k, v in params.items() if v}


@role_required(*selectors.DASHBOARD_ROLES)
def trend(request: AuthedHttpRequest, code: str) -> HttpResponse:
    if code not in INDICATORS:
        raise Http404
    user = _user(request)
    form = TrendForm(request.GET or None, units=selectors.scope_units_for_user(user))
    data = form.cleaned_data if form.is_valid() else {}
    unit = data.get("unit") or selectors.default_scope(user)
    if unit is None:
        raise Http404
    structure: Structure | None = data.get("structure") or None
    source: TargetSource = "national" if data.get("targets") == "national" else "local"
    values = indicator_trend(unit, code, list(TREND_YEARS), structure=structure, target_source=source)
    target_2025, target_2030 = target_milestones(unit, code, source)
    definition = INDICATORS[code]
    spec = charts.trend_chart(values, target_2025=target_2025, target_2030=target_2030, title=f"{definition.label} — {unit.name}")
    return render(
        request,
        "indicators/trend.html",
        {
            "form": form,
            "definition": definition,
            "unit": unit,
            "values": values,
            "target_2025": target_2025,
            "target_2030": target_2030,
            "chart": mark_safe(charts.render_svg(spec)),  # noqa: S308 - text drawn as outlines
            "codes": CODES,
            "source": source,
        },
    )


@role_required(*selectors.DRILL_ROLES)
def drill(request: AuthedHttpRequest, code: str, unit_pk: int) -> HttpResponse:
    """The children or cases behind one cell, scoped by the register's and the cases'
    selectors and logged as a list read."""
    definition = INDICATORS.get(code)
    if definition is None or not definition.drill:
        raise Http404
    user = _user(request)
    unit = get_scoped_or_404(selectors.scope_units_for_user(user), pk=unit_pk)
    today = timezone.localdate()
    try:
        year = int(request.GET.get("year", today.year))
    except ValueError:
        raise Http404 from None
    if not BASELINE_YEAR <= year <= today.year + 1:
        raise Http404
    structure_param = request.GET.get("structure")
    structure: Structure | None = structure_param if structure_param in ("before-2025", "after-2025") else None  # type: ignore[assignment]
    as_of: dt.datetime | None = None
    children: list[Any] = []
    cases: list[Any] = []
    if definition.drill == "children":
        children = list(selectors.cell_children(user, code, unit, year, structure=structure, as_of=as_of)[:DRILL_LIMIT])
        ids = [c.pk for c in children]
        object_type = "people.child"
    else:
        cases = list(selectors.cell_cases(user, code, unit, year, structure=structure, as_of=as_of)[:DRILL_LIMIT])
        ids = [c.pk for c in cases]
        object_type = "cases.case"
    audit_log(
        user=user, action=AuditAction.LIST, object_type=object_type, object_ids=ids, request=request,
        detail={"indicator": code, "unit": unit.pk, "year": year},
    )
    return render(
        request,
        "indicators/drill.html",
        {
            "definition": definition,
            "unit": unit,
            "year": year,
            "children": children,
            "cases": cases,
            "limit": DRILL_LIMIT,
            "back": reverse("indicators:dashboard") + "?" + urlencode({"year": str(year), "structure": structure or ""}),
        },
    )
