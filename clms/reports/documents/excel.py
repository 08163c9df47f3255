"""Annex I of the report as XLSX: one sheet per content area, then one per breakdown.

Each sheet prints on its own: A4 landscape, one page wide, the table's header rows repeated on
every page, the annex title on top, borders, column widths from the content, the header frozen.

Numbers stay numbers.  OOXML stores a format code in the en-US notation whatever the reader's
language: ``#,##0`` and ``0.00%`` are what a Vietnamese Excel or LibreOffice shows as "#.##0"
and "0,00%" (2.857 and 0,42%).  Writing "#.##0" literally would mean three decimals.
"""

from __future__ import annotations

import io
from collections.abc import Iterable

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from clms.reports import texts
from clms.reports.documents.content import ReportDocument, Sheet

FONT = "Times New Roman"
FORMATS = {"int": "#,##0", "percent": "0.00%", "money": "#,##0"}
THIN = Side(style="thin", color="000000")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)
LEFT = Alignment(horizontal="left", vertical="center", wrap_text=True)
RIGHT = Alignment(horizontal="right", vertical="center")
FIRST_TABLE_ROW = 6
MIN_WIDTH, MAX_WIDTH = 6.0, 48.0
# Landscape A4 at 11 pt holds about 150 character widths between the margins; the title rows
# are merged across the table, so a narrow table gets wider columns to keep its title legible.
TITLE_WIDTH = 110.0


def _text_width(value: object) -> float:
    if value is None:
        return 0.0
    if isinstance(value, float):
        return len(f"{value:,.2f}") + 1.0
    if isinstance(value, int):
        return len(f"{value:,}") + 1.0
    return max((len(line) for line in str(value).splitlines()), default=0) * 1.05


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


def _table(ws: Worksheet, sheet: Sheet, top: int) -> int:
    """The indicators' table from row ``top``; returns its last row (``top - 1`` if none)."""
    if not sheet.rows:
        return top - 1
    header = Font(name=FONT, size=11, bold=True)
    column = 1
    for name, span in zip(sheet.columns, sheet.spans, strict=True):
        cell = ws.cell(row=top, column=column, value=name)
        cell.font, cell.alignment, cell.border = header, CENTER, BOX
        if span == 1:
            ws.cell(row=top + 1, column=column).border = BOX
            ws.merge_cells(start_row=top, start_column=column, end_row=top + 1, end_column=column)
        else:
            ws.merge_cells(start_row=top, start_column=column, end_row=top, end_column=column + span - 1)
            for offset in range(span):
                sub = ws.cell(row=top + 1, column=column + offset, value=sheet.subcolumns[offset])
                sub.font, sub.alignment, sub.border = header, CENTER, BOX
                if offset:
                    ws.cell(row=top, column=column + offset).border = BOX
        column += span
    body = Font(name=FONT, size=11)
    for r, line in enumerate(sheet.rows, start=top + 2):
        for c, item in enumerate(line, start=1):
            cell = ws.cell(row=r, column=c, value=item.value)
            cell.font, cell.border = body, BOX
            if item.fmt in FORMATS:
                cell.number_format = FORMATS[item.fmt]
                cell.alignment = RIGHT
            else:
                cell.alignment = LEFT
    return top + 1 + len(sheet.rows)


def _facts(ws: Worksheet, sheet: Sheet, top: int) -> int:
    """The area's figures from the records: STT | Nội dung | Số liệu; returns the last row."""
    if not sheet.facts:
        return top - 1
    words = texts.form()["sections"]["facts"]
    header = Font(name=FONT, size=11, bold=True)
    ws.cell(row=top, column=1, value=str(words["table_title"])).font = header
    for c, name in enumerate(("STT", words["column_item"], words["column_value"]), start=1):
        cell = ws.cell(row=top + 1, column=c, value=str(name))
        cell.font, cell.alignment, cell.border = header, CENTER, BOX
    body = Font(name=FONT, size=11)
    for n, fact in enumerate(sheet.facts, start=1):
        r = top + 1 + n
        for c, value in enumerate((n, fact.label, fact.value), start=1):
            cell = ws.cell(row=r, column=c, value=value)
            cell.font, cell.border = body, BOX
            if c == 2:
                cell.alignment = LEFT
            else:
                cell.number_format = FORMATS["percent" if c == 3 and fact.fmt == "percent" else "int"]
                cell.alignment = RIGHT
    return top + 1 + len(sheet.facts)


def _widths(ws: Worksheet, sheet: Sheet, width: int, header_row: int) -> None:
    """Column widths from the longest value of each column (headers wrap over two lines)."""
    widths = [MIN_WIDTH] * (width + 1)
    widths[0] = 5.0
    for row in ws.iter_rows(min_row=header_row):
        for cell in row:
            # Table cells only (they carry a border): titles and notes span the sheet.
            if cell.column > width or cell.value is None or type(cell).__name__ == "MergedCell" or not cell.border.left.style:
                continue
            wanted = _text_width(cell.value)
            if cell.font is not None and cell.font.b:
                wanted = wanted / 2 + 2  # a header may take two lines
            widths[cell.column - 1] = max(widths[cell.column - 1], min(wanted + 1, MAX_WIDTH))
    widths[0] = max(widths[0], 5.0)
    spare = TITLE_WIDTH - sum(widths[:width])
    if spare > 0 and width >= 2:
        widths[1] += spare * 0.6
        for c in range(2, width):
            widths[c] += spare * 0.4 / max(width - 2, 1)
    for c in range(width):
        ws.column_dimensions[get_column_letter(c + 1)].width = round(widths[c], 1)


def _print_setup(ws: Worksheet, header_rows: Iterable[int] | None, last_row: int, width: int) -> None:
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0  # as many pages down as the rows need
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_margins.left = ws.page_margins.right = 0.6
    ws.page_margins.top = ws.page_margins.bottom = 0.7
    ws.print_options.horizontalCentered = True
    ws.print_area = f"A1:{get_column_letter(max(width, 3))}{last_row}"
    rows = list(header_rows or [])
    if rows:
        ws.print_title_rows = f"{rows[0]}:{rows[-1]}"
        ws.freeze_panes = ws.cell(row=rows[-1] + 1, column=3)


def render_xlsx(report: ReportDocument) -> bytes:
    wb = Workbook()
    wb.remove(wb.active)
    wb.properties.title = f"{report.annex_name} - {report.annex_title}"
    wb.properties.creator = report.author
    wb.properties.created = report.created
    for sheet in report.sheets:
        ws = wb.create_sheet(title=sheet.name[:31])
        width = max(sum(sheet.spans) if sheet.rows else 0, 3)
        _title_block(ws, report, sheet, width)
        header_rows: list[int] | None = None
        top = FIRST_TABLE_ROW
        last = _table(ws, sheet, top)
        if sheet.rows:
            header_rows = [top, top + 1]
            top = last + 2
        facts_top = top
        last = _facts(ws, sheet, top)
        if header_rows is None and sheet.facts:
            header_rows = [facts_top + 1]
        if sheet.note:
            last += 1
            ws.cell(row=last, column=1, value=sheet.note).font = Font(name=FONT, size=11, italic=True)
        last += 2
        ws.cell(row=last, column=1, value=report.annex_note).font = Font(name=FONT, size=10, italic=True)
        _widths(ws, sheet, width, FIRST_TABLE_ROW)
        for row in (2, 3):
            ws.row_dimensions[row].height = 36
        if sheet.rows:
            ws.row_dimensions[FIRST_TABLE_ROW].height = 45
        _print_setup(ws, header_rows, last, width)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()
