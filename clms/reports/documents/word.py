"""The report as DOCX in the layout of Decree 30/2020/NĐ-CP, Appendix I (spec documents.md)."""

from __future__ import annotations

import io
from typing import Any

from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Mm, Pt
from docx.table import _Cell
from docx.text.paragraph import Paragraph

from clms.reports.documents.content import ReportDocument, Sheet
from clms.reports.documents.word_xml import ANNEX_PT, FONT, boxed, shown, xml_cell, xml_row

BODY_PT = 14
# Page and margins (mm): A4; top and bottom 20-25, left 30-35, right 15-20.
PAGE = (210, 297)
MARGINS = {"top": 20, "bottom": 20, "left": 30, "right": 15}
TEXT_WIDTH_CM = (PAGE[0] - MARGINS["left"] - MARGINS["right"]) / 10
LEFT_COL_CM, RIGHT_COL_CM = 6.3, TEXT_WIDTH_CM - 6.3


def _set_font(run_or_style: object, size: float | None = None) -> None:
    font = run_or_style.font  # type: ignore[attr-defined]
    font.name = FONT
    if size is not None:
        font.size = Pt(size)
    element = run_or_style.element  # type: ignore[attr-defined]
    rpr = element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attr), FONT)


def _run(p: Paragraph, text: str, *, size: float = BODY_PT, bold: bool = False, italic: bool = False) -> None:
    run = p.add_run(text)
    _set_font(run, size)
    run.bold = bold
    run.italic = italic


def _para(
    container: object,
    text: str = "",
    *,
    size: float = BODY_PT,
    bold: bool = False,
    italic: bool = False,
    align: int | None = WD_ALIGN_PARAGRAPH.CENTER,
    after: float = 0,
    first_indent: float | None = None,
    first: bool = False,
) -> Paragraph:
    if first:
        p = container.paragraphs[0]  # type: ignore[attr-defined]
    else:
        p = container.add_paragraph()  # type: ignore[attr-defined]
    p.alignment = align
    fmt = p.paragraph_format
    fmt.space_before = Pt(0)
    fmt.space_after = Pt(after)
    fmt.line_spacing = 1.0
    if first_indent is not None:
        fmt.first_line_indent = Cm(first_indent)
    if text:
        _run(p, text, size=size, bold=bold, italic=italic)
    return p


def _rule(p: Paragraph, *, indent_cm: float) -> None:
    """A thin line under the paragraph, shortened by ``indent_cm`` on each side."""
    p.paragraph_format.left_indent = Cm(indent_cm)
    p.paragraph_format.right_indent = Cm(indent_cm)
    ppr = p._p.get_or_add_pPr()
    borders = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    bottom.set(qn("w:val"), "single")
    bottom.set(qn("w:sz"), "6")
    bottom.set(qn("w:space"), "1")
    bottom.set(qn("w:color"), "000000")
    borders.append(bottom)
    ppr.append(borders)


def _short_rule(container: object, width_cm: float, cell_cm: float) -> None:
    p = _para(container, size=2)
    _rule(p, indent_cm=max((cell_cm - width_cm) / 2, 0))


def _no_borders(table: object) -> None:
    tbl = table._tbl  # type: ignore[attr-defined]
    tbl_pr = tbl.tblPr
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        element = OxmlElement(f"w:{edge}")
        element.set(qn("w:val"), "nil")
        borders.append(element)
    tbl_pr.append(borders)


def _page_number_field(p: Paragraph) -> None:
    run = p.add_run()
    _set_font(run, 13)
    for kind, text in (("begin", None), (None, "PAGE"), ("end", None)):
        if kind:
            element = OxmlElement("w:fldChar")
            element.set(qn("w:fldCharType"), kind)
        else:
            element = OxmlElement("w:instrText")
            element.set(qn("xml:space"), "preserve")
            element.text = text
        run._r.append(element)


def _widths(table: object, widths_cm: list[float]) -> None:
    """Cell widths, the table grid and the table width all agree, and the layout is fixed:
    LibreOffice lays a table out from ``w:tblGrid``, Word from the cells; python-docx writes an
    even grid, so a header column that is wider than its grid share wraps in LibreOffice."""
    table.autofit = False  # type: ignore[attr-defined]
    tbl = table._tbl  # type: ignore[attr-defined]
    for col, width in zip(tbl.tblGrid.findall(qn("w:gridCol")), widths_cm, strict=True):
        col.set(qn("w:w"), str(_twips(width)))
    tbl_pr = tbl.tblPr
    for tag in ("w:tblW", "w:tblLayout"):
        for old in tbl_pr.findall(qn(tag)):
            tbl_pr.remove(old)
    tbl_w = OxmlElement("w:tblW")
    tbl_w.set(qn("w:w"), str(sum(_twips(w) for w in widths_cm)))
    tbl_w.set(qn("w:type"), "dxa")
    layout = OxmlElement("w:tblLayout")
    layout.set(qn("w:type"), "fixed")
    tbl_pr.append(tbl_w)
    tbl_pr.append(layout)
    for row in table.rows:  # type: ignore[attr-defined]
        for cell, width in zip(row.cells, widths_cm, strict=True):
            cell.width = Cm(width)


def _twips(cm: float) -> int:
    return round(cm / 2.54 * 1440)


def _estimated_width_cm(text: str, size: float, bold: bool) -> float:
    # Times New Roman averages about half an em per character; bold capitals run wider.
    em = size * 0.0353  # cm per point
    return len(text) * em * (0.62 if bold and text.isupper() else 0.5)


def _header(doc: DocxDocument, report: ReportDocument) -> None:
    table = doc.add_table(rows=2, cols=2)
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    _no_borders(table)
    _widths(table, [LEFT_COL_CM, RIGHT_COL_CM])
    left: _Cell = table.cell(0, 0)
    right: _Cell = table.cell(0, 1)
    first = True
    if report.parent_body:
        _para(left, report.parent_body.upper(), size=13, first=True)
        first = False
    issuer_lines = report.issuer_body.upper().splitlines()
    for line in issuer_lines:
        _para(left, line, size=13, bold=True, first=first)
        first = False
    issuer_cm = min(max(_estimated_width_cm(line, 13, True) for line in issuer_lines), LEFT_COL_CM - 0.4)
    _short_rule(left, issuer_cm * 0.4, LEFT_COL_CM - 0.4)
    _para(right, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", size=12, bold=True, first=True)
    motto = _para(right, "Độc lập - Tự do - Hạnh phúc", size=13, bold=True)
    motto_cm = _estimated_width_cm("Độc lập - Tự do - Hạnh phúc", 13, True)
    _rule(motto, indent_cm=max((RIGHT_COL_CM - 0.4 - motto_cm) / 2, 0))
    _para(table.cell(1, 0), report.number_line, size=13, first=True)
    _para(table.cell(1, 1), report.place_date, size=14, italic=True, first=True)


def _title(doc: DocxDocument, report: ReportDocument) -> None:
    _para(doc, "", after=6)
    _para(doc, report.title, size=14, bold=True)
    _para(doc, report.subject, size=14, bold=True)
    _short_rule(doc, 3.0, TEXT_WIDTH_CM)
    if not report.recipients_to:
        return
    if len(report.recipients_to) == 1:
        p = _para(doc, "", after=6)
        p.paragraph_format.space_before = Pt(6)
        _run(p, "Kính gửi: ")
        _run(p, report.recipients_to[0])
        return
    p = _para(doc, "Kính gửi:", align=WD_ALIGN_PARAGRAPH.LEFT)
    p.paragraph_format.left_indent = Cm(3)
    p.paragraph_format.space_before = Pt(6)
    for line in report.recipients_to:
        item = _para(doc, line, align=WD_ALIGN_PARAGRAPH.LEFT)
        item.paragraph_format.left_indent = Cm(5.5)
    item.paragraph_format.space_after = Pt(6)


def _body(doc: DocxDocument, report: ReportDocument) -> None:
    for block in report.body:
        if block.kind == "chart" and block.chart is not None:
            p = _para(doc, after=0)
            p.add_run().add_picture(io.BytesIO(block.chart.png), width=Cm(min(15.0, TEXT_WIDTH_CM)))
            _para(doc, block.text, size=12, italic=True, after=6)
            continue
        p = _para(
            doc,
            block.text,
            size=BODY_PT,
            bold=block.kind in ("h1", "h2"),
            align=WD_ALIGN_PARAGRAPH.JUSTIFY,
            after=6,
            first_indent=1.27,
        )
        p.paragraph_format.line_spacing = 1.15


def _signature(doc: DocxDocument, report: ReportDocument) -> None:
    if doc.paragraphs:
        # The closing sentence travels with the signature: a page never holds only the block.
        doc.paragraphs[-1].paragraph_format.keep_with_next = True
    table = doc.add_table(rows=1, cols=2)
    _no_borders(table)
    _widths(table, [LEFT_COL_CM + 1.5, RIGHT_COL_CM - 1.5])
    tr_pr = table.rows[0]._tr.get_or_add_trPr()
    tr_pr.append(OxmlElement("w:cantSplit"))
    left, right = table.cell(0, 0), table.cell(0, 1)
    _para(left, "Nơi nhận:", size=12, bold=True, italic=True, align=WD_ALIGN_PARAGRAPH.LEFT, first=True)
    for line in report.recipients:
        _para(left, line, size=11, align=WD_ALIGN_PARAGRAPH.LEFT)
    first = True
    for line in (report.authority, report.deputy, report.position):
        if line:
            _para(right, line.upper(), size=14, bold=True, first=first)
            first = False
    for _ in range(4):
        _para(right, "")
    _para(right, report.signer_name, size=14, bold=True, first=first)


def _annex_note(doc: DocxDocument, report: ReportDocument) -> None:
    """The annex follows in its own landscape section; the last page of the body points to it."""
    p = _para(doc, "", align=WD_ALIGN_PARAGRAPH.LEFT, after=0)
    p.paragraph_format.space_before = Pt(12)
    _run(p, report.annex_name, size=12, bold=True, italic=True)
    _run(p, f": {report.annex_title.capitalize()} {report.annex_reference}", size=12, italic=True)


# ---------------------------------------------------------------------------
# The annex: a landscape section with one table per sheet
# ---------------------------------------------------------------------------

ANNEX_PAGE = (297, 210)
ANNEX_MARGINS = {"top": 20, "bottom": 20, "left": 20, "right": 15}
ANNEX_WIDTH_CM = (ANNEX_PAGE[0] - ANNEX_MARGINS["left"] - ANNEX_MARGINS["right"]) / 10


def _grid_table(doc: DocxDocument, widths_cm: list[float], header: list[list[Any]], body: list[list[Any]]) -> None:
    table = doc.add_table(rows=0, cols=len(widths_cm))
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    boxed(table)
    _widths(table, widths_cm)
    tbl = table._tbl
    for row in header:
        tbl.append(xml_row(row, header=True))
    for row in body:
        tbl.append(xml_row(row))


def _sheet_table(doc: DocxDocument, sheet: Sheet) -> None:
    """The sheet's indicators as in the PDF: numerator, denominator and rate per indicator."""
    keep = (0, 1, 2)
    indicator_cols = sum(len(keep) for span in sheet.spans if span > 1)
    name_cm, no_cm = 4.2, 1.2  # "STT" in 10 pt bold needs 1.2 cm with the cell margins
    other = (ANNEX_WIDTH_CM - name_cm - no_cm) / max(indicator_cols, 1)
    widths = [no_cm, name_cm] + [other] * indicator_cols
    tw = [_twips(w) for w in widths]
    top: list[Any] = []
    sub: list[Any] = []
    column = 0
    for name, span in zip(sheet.columns, sheet.spans, strict=True):
        if span == 1:
            top.append(xml_cell(tw[column], name, bold=True, align="center", vmerge="restart"))
            sub.append(xml_cell(tw[column], "", vmerge="continue"))
            column += 1
        else:
            top.append(xml_cell(sum(tw[column : column + len(keep)]), name, bold=True, align="center", span=len(keep)))
            for i in keep:
                sub.append(xml_cell(tw[column], sheet.subcolumns[i], bold=True, align="center"))
                column += 1
    picks: list[int] = []
    position = 0
    for span in sheet.spans:
        picks += [position] if span == 1 else [position + i for i in keep]
        position += span
    body = []
    for row in sheet.rows:
        cells = []
        for n, i in enumerate(picks):
            item = row[i]
            cells.append(xml_cell(tw[n], shown(item.value, item.fmt), align="right" if item.fmt else "left"))
        body.append(cells)
    _grid_table(doc, widths, [top, sub], body)


def _facts_table(doc: DocxDocument, sheet: Sheet, words: dict[str, Any]) -> None:
    widths = [1.2, 12.0, 4.0]
    tw = [_twips(w) for w in widths]
    header = [[xml_cell(tw[0], "STT", bold=True, align="center"),
               xml_cell(tw[1], str(words["column_item"]), bold=True, align="center"),
               xml_cell(tw[2], str(words["column_value"]), bold=True, align="center")]]
    body = [
        [xml_cell(tw[0], str(n), align="right"), xml_cell(tw[1], fact.label), xml_cell(tw[2], shown(fact.value, "int" if fact.fmt == "money" else fact.fmt), align="right")]
        for n, fact in enumerate(sheet.facts, start=1)
    ]
    _grid_table(doc, widths, header, body)


def _annex(doc: DocxDocument, report: ReportDocument) -> None:
    from clms.reports import texts

    section = doc.add_section(WD_SECTION.NEW_PAGE)
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Mm(ANNEX_PAGE[0]), Mm(ANNEX_PAGE[1])
    section.top_margin, section.bottom_margin = Mm(ANNEX_MARGINS["top"]), Mm(ANNEX_MARGINS["bottom"])
    section.left_margin, section.right_margin = Mm(ANNEX_MARGINS["left"]), Mm(ANNEX_MARGINS["right"])
    _para(doc, report.annex_name, size=14, bold=True, first=False)
    _para(doc, report.annex_title, size=13, bold=True)
    _para(doc, report.annex_reference, size=13, italic=True, after=6)
    words = texts.form()["sections"]["facts"]
    for sheet in report.sheets:
        heading = _para(doc, sheet.heading, size=12, bold=True, align=WD_ALIGN_PARAGRAPH.LEFT, after=3)
        heading.paragraph_format.space_before = Pt(8)
        heading.paragraph_format.keep_with_next = True
        if sheet.rows:
            _sheet_table(doc, sheet)
        elif sheet.note:
            _para(doc, sheet.note, size=ANNEX_PT, italic=True, align=WD_ALIGN_PARAGRAPH.LEFT)
        if sheet.facts:
            _para(doc, "", size=4)
            _facts_table(doc, sheet, words)
    _para(doc, report.annex_note, size=ANNEX_PT, italic=True, align=WD_ALIGN_PARAGRAPH.LEFT).paragraph_format.space_before = Pt(6)


def _draft_header(section: Any, mark: str) -> None:
    """"DỰ THẢO" at the top right of every page, the first page included."""
    for header in (section.header, section.first_page_header):
        p = header.add_paragraph()
        p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        _run(p, mark, size=13, bold=True)
        ppr = p._p.get_or_add_pPr()
        borders = OxmlElement("w:pBdr")
        for edge in ("top", "left", "bottom", "right"):
            element = OxmlElement(f"w:{edge}")
            element.set(qn("w:val"), "single")
            element.set(qn("w:sz"), "8")
            element.set(qn("w:space"), "1")
            element.set(qn("w:color"), "000000")
            borders.append(element)
        ppr.append(borders)
        p.paragraph_format.left_indent = Cm(13.0 if section.orientation == WD_ORIENT.PORTRAIT else 22.0)


def _properties(doc: DocxDocument, report: ReportDocument) -> None:
    props = doc.core_properties
    props.title = f"{report.title} {report.subject}"
    props.subject = report.subject
    props.author = report.author
    props.last_modified_by = report.author
    props.created = report.created
    props.modified = report.created
    props.revision = 1
    props.comments = ""
    props.keywords = ""
    props.category = report.draft_mark if report.draft else ""


def render_docx(report: ReportDocument) -> bytes:
    doc = Document()
    normal = doc.styles["Normal"]
    _set_font(normal, BODY_PT)
    section = doc.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(PAGE[0]), Mm(PAGE[1])
    section.top_margin, section.bottom_margin = Mm(MARGINS["top"]), Mm(MARGINS["bottom"])
    section.left_margin, section.right_margin = Mm(MARGINS["left"]), Mm(MARGINS["right"])
    section.header_distance = Mm(10)
    # Page numbers centred in the top margin from page 2 on: page 1 gets its own empty header.
    section.different_first_page_header_footer = True
    section.first_page_header.is_linked_to_previous = False
    section.first_page_header.paragraphs[0].text = ""
    number = section.header.paragraphs[0]
    number.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _page_number_field(number)
    if report.draft:
        _draft_header(section, report.draft_mark)

    _header(doc, report)
    _title(doc, report)
    _body(doc, report)
    _signature(doc, report)
    _annex_note(doc, report)
    if report.sheets:
        _annex(doc, report)
        annex = doc.sections[-1]
        # The annex is numbered on its own (Decree 30 Appendix I) and its first page shows none.
        annex.header.is_linked_to_previous = False
        annex.first_page_header.is_linked_to_previous = False
        annex.different_first_page_header_footer = True
        sect_pr = annex._sectPr
        pg_num = OxmlElement("w:pgNumType")
        pg_num.set(qn("w:start"), "1")
        sect_pr.append(pg_num)
        annex_number = annex.header.paragraphs[0]
        annex_number.alignment = WD_ALIGN_PARAGRAPH.CENTER
        _page_number_field(annex_number)
        if report.draft:
            _draft_header(annex, report.draft_mark)
    _properties(doc, report)
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()
