"""The report as PDF: an HTML template in the same layout, printed by WeasyPrint."""

from __future__ import annotations

import base64

from django.template.loader import render_to_string
from django.utils import translation

from clms.reports import texts
from clms.reports.documents.content import ReportDocument, Sheet
from clms.reports.documents.excel import FORMATS
from clms.reports.texts import vn_decimal, vn_int


def _shown(value: object, fmt: str) -> str:
    if value is None or value == "":
        return ""
    if fmt == "int" and isinstance(value, int):
        return vn_int(value)
    if fmt == "percent" and isinstance(value, int | float):
        return f"{vn_decimal(value * 100)}%"
    return str(value)


def _compact(sheet: Sheet) -> dict[str, object]:
    """A sheet of the annex for print: numerator, denominator and rate per indicator.

    Target and assessment stay in the XLSX and in the body's sentences; dropping them here keeps
    a province's table of a hundred and more communes legible and quick to lay out.
    """
    keep = [0, 1, 2]
    head = [
        {"text": name, "colspan": min(span, len(keep)), "rowspan": 2 if span == 1 else 1}
        for name, span in zip(sheet.columns, sheet.spans, strict=True)
    ]
    columns: list[int] = []
    position = 0
    for span in sheet.spans:
        columns += [position] if span == 1 else [position + i for i in keep]
        position += span
    rows = [[{"text": _shown(row[i].value, row[i].fmt), "num": row[i].fmt in FORMATS} for i in columns] for row in sheet.rows]
    sub = [sheet.subcolumns[i] for span in sheet.spans if span > 1 for i in keep]
    facts = [{"label": f.label, "text": _shown(f.value, "int" if f.fmt == "money" else f.fmt)} for f in sheet.facts]
    return {"sheet": sheet, "head": head, "sub": sub, "rows": rows, "facts": facts}


def render_pdf(report: ReportDocument) -> bytes:
    from weasyprint import HTML

    charts = [
        {"caption": b.text, "src": "data:image/png;base64," + base64.b64encode(b.chart.png).decode("ascii")}
        for b in report.body
        if b.kind == "chart" and b.chart is not None
    ]
    sheets = [_compact(sheet) for sheet in report.sheets]
    # The document is Vietnamese whatever the reader's interface language.
    with translation.override("vi"):
        facts = texts.form()["sections"]["facts"]
        html = render_to_string(
            "reports/document_pdf.html",
            {"doc": report, "charts": charts, "sheets": sheets, "facts_head": (facts["column_item"], facts["column_value"])},
        )
    return bytes(HTML(string=html).write_pdf())
