"""The report as PDF: an HTML template in the same layout, printed by WeasyPrint."""

from __future__ import annotations

import base64

from django.template.loader import render_to_string
from django.utils import translation

from clms.reports.documents.content import ReportDocument
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


def render_pdf(report: ReportDocument) -> bytes:
    from weasyprint import HTML

    charts = [
        {"caption": b.text, "src": "data:image/png;base64," + base64.b64encode(b.chart.png).decode("ascii")}
        for b in report.body
        if b.kind == "chart" and b.chart is not None
    ]
    sheets = [
        {
            "sheet": sheet,
            "head": [
                {"text": name, "colspan": span, "rowspan": 2 if span == 1 else 1}
                for name, span in zip(sheet.columns, sheet.spans, strict=True)
            ],
            "sub": [sheet.subcolumns[i] for span in sheet.spans if span > 1 for i in range(span)],
            "rows": [[{"text": _shown(c.value, c.fmt), "num": c.fmt in FORMATS} for c in row] for row in sheet.rows],
        }
        for sheet in report.sheets
    ]
    # The document is Vietnamese whatever the reader's interface language.
    with translation.override("vi"):
        html = render_to_string("reports/document_pdf.html", {"doc": report, "charts": charts, "sheets": sheets})
    return bytes(HTML(string=html).write_pdf())
