"""Annex I of the report as XLSX: one sheet per content area, then one per breakdown.

Numbers stay numbers: counts carry the format ``#,##0`` and rates ``0.00%``; the separators
in a format code are placeholders that a Vietnamese Excel or LibreOffice shows as "2.857" and
"0,42%".
"""

from __future__ import annotations

import io

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from clms.reports.documents.content import ReportDocument, Sheet

FONT = "Times New Roman"
FORMATS = {"int": "#,##0", "percent": "0.00%"}
THIN = Side(style="thin", color="000000")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)
FIRST_TABLE_ROW = 6


def _title_block(ws: Worksheet, report: ReportDocument, sheet: Sheet, width: int) -> None:
    lines = (
        (report.annex_name, Font(name=FONT, size=14, bold=True)),
        (report.annex_title, Font(name=FONT, size=13, bold=True)),
        (report.annex_reference, Font(name=FONT, size=13, italic=True)),
        (sheet.heading, Font(name=FONT, size=12, bold=True)),
    )
    for row, (text, font) in enumerate(lines, start=1):
        cell = ws.cell(row=row, column=1, value=text)
        cell.font = font
        cell.alignment = CENTER
        ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=max(width, 1))
    ws.row_dimensions[2].height = 36


def _table(ws: Worksheet, sheet: Sheet) -> int:
    top = FIRST_TABLE_ROW
    header = Font(name=FONT, size=11, bold=True)
    column = 1
    for name, span in zip(sheet.columns, sheet.spans, strict=True):
        cell = ws.cell(row=top, column=column, value=name)
        cell.font, cell.alignment, cell.border = header, CENTER, BOX
        if span == 1:
            ws.merge_cells(start_row=top, start_column=column, end_row=top + 1, end_column=column)
        else:
            ws.merge_cells(start_row=top, start_column=column, end_row=top, end_column=column + span - 1)
            for offset in range(span):
                sub = ws.cell(row=top + 1, column=column + offset, value=sheet.subcolumns[offset])
                sub.font, sub.alignment, sub.border = header, CENTER, BOX
        column += span
    body = Font(name=FONT, size=11)
    for r, line in enumerate(sheet.rows, start=top + 2):
        for c, item in enumerate(line, start=1):
            cell = ws.cell(row=r, column=c, value=item.value)
            cell.font, cell.border = body, BOX
            if item.fmt in FORMATS:
                cell.number_format = FORMATS[item.fmt]
    last = top + 1 + len(sheet.rows)
    if sheet.note:
        ws.cell(row=last + 1, column=1, value=sheet.note).font = Font(name=FONT, size=11, italic=True)
        last += 1
    return last


def render_xlsx(report: ReportDocument) -> bytes:
    wb = Workbook()
    wb.remove(wb.active)
    for sheet in report.sheets:
        ws = wb.create_sheet(title=sheet.name[:31])
        width = sum(sheet.spans)
        _title_block(ws, report, sheet, width)
        last = _table(ws, sheet)
        ws.cell(row=last + 2, column=1, value=report.annex_note).font = Font(name=FONT, size=10, italic=True)
        ws.column_dimensions["A"].width = 5
        ws.column_dimensions["B"].width = 28
        for c in range(3, width + 1):
            ws.column_dimensions[get_column_letter(c)].width = 12
        ws.freeze_panes = ws.cell(row=FIRST_TABLE_ROW + 2, column=3)
        ws.page_setup.orientation = "landscape"
        ws.page_setup.paperSize = ws.PAPERSIZE_A4
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()
