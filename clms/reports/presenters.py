"""Figures of a snapshot as rows for the pages (the documents have their own wording)."""

from __future__ import annotations

from typing import Any

from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _

from clms.indicators.registry import INDICATORS
from clms.reports import texts

STATUS_LABELS = {
    "met": (_("Met"), "ok"),
    "on_track": (_("On track"), "ok"),
    "off_track": (_("Off track"), "bad"),
    "no_data": (_("No data"), ""),
}
BREAKDOWN_LABELS = {
    "sex": _("By sex"),
    "age_band": _("By age band"),
    "law_age_band": _("By legal age band"),
    "ethnicity": _("By ethnicity"),
}


def _int(n: Any) -> str:
    return "–" if n is None else number_format(n, force_grouping=True)


def _pct(v: Any) -> str:
    return "–" if v is None else f"{number_format(round(v, 2), 2)}%"


def indicator_label(code: str, data: dict[str, Any]) -> str:
    found = INDICATORS.get(code)
    if found is not None:
        return str(found.label)
    return str(data.get("indicators", {}).get(code, {}).get("label", code))


def value_row(code: str, value: dict[str, Any], data: dict[str, Any]) -> dict[str, Any]:
    label, css = STATUS_LABELS.get(value.get("status") or "no_data", STATUS_LABELS["no_data"])
    return {
        "code": code,
        "label": indicator_label(code, data),
        "numerator": _int(value.get("numerator")),
        "denominator": _int(value.get("denominator")),
        "value": _pct(value.get("value")),
        "target": texts.describe_target(value.get("target")),
        "status": label if value.get("target") else "",
        "css": css,
    }


def total_rows(data: dict[str, Any]) -> list[dict[str, Any]]:
    return [value_row(code, data["totals"][code], data) for code in data.get("codes", []) if code in data.get("totals", {})]


def change_rows(changes: list[dict[str, Any]], data: dict[str, Any]) -> list[dict[str, Any]]:
    group_labels = texts.form()["groups"]
    rows = []
    for change in changes:
        by = change["by"]
        group = ""
        if by:
            group = f"{BREAKDOWN_LABELS[by]}: {group_labels.get(by, {}).get(change['group'], change['group'])}"
        rows.append(
            {
                "label": indicator_label(change["code"], data),
                "group": group,
                "before": value_row(change["code"], change["before"], data) if change["before"] else None,
                "after": value_row(change["code"], change["after"], data) if change["after"] else None,
                "moved": change["moved"],
            }
        )
    return rows
