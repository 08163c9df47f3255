"""The raw WordprocessingML of the annex tables (python-docx has no API for merged header
cells with exact widths): cells, rows, borders, and how a value is shown."""

from __future__ import annotations

from typing import Any

from docx.oxml import OxmlElement
from docx.oxml.ns import qn

BODY_PT = 14
# Page and margins (mm): A4; top and bottom 20-25, left 30-35, right 15-20.
PAGE = (210, 297)
MARGINS = {"top": 20, "bottom": 20, "left": 30, "right": 15}
TEXT_WIDTH_CM = (PAGE[0] - MARGINS["left"] - MARGINS["right"]) / 10
LEFT_COL_CM, RIGHT_COL_CM = 6.3, TEXT_WIDTH_CM - 6.3

FONT = "Times New Roman"
ANNEX_PT = 10


def xml_cell(width_tw: int, text: str, *, bold: bool = False, align: str = "left", span: int = 1, vmerge: str = "") -> Any:
    """A ``w:tc`` built directly: python-docx's cell API is quadratic on a province's tables."""
    tc = OxmlElement("w:tc")
    tc_pr = OxmlElement("w:tcPr")
    tc_w = OxmlElement("w:tcW")
    tc_w.set(qn("w:w"), str(width_tw))
    tc_w.set(qn("w:type"), "dxa")
    tc_pr.append(tc_w)
    if span > 1:
        grid_span = OxmlElement("w:gridSpan")
        grid_span.set(qn("w:val"), str(span))
        tc_pr.append(grid_span)
    if vmerge:
        merge = OxmlElement("w:vMerge")
        if vmerge == "restart":
            merge.set(qn("w:val"), "restart")
        tc_pr.append(merge)
    v_align = OxmlElement("w:vAlign")
    v_align.set(qn("w:val"), "center")
    tc_pr.append(v_align)
    tc.append(tc_pr)
    p = OxmlElement("w:p")
    p_pr = OxmlElement("w:pPr")
    spacing = OxmlElement("w:spacing")
    spacing.set(qn("w:before"), "0")
    spacing.set(qn("w:after"), "0")
    p_pr.append(spacing)
    jc = OxmlElement("w:jc")
    jc.set(qn("w:val"), align)
    p_pr.append(jc)
    p.append(p_pr)
    if text:
        r = OxmlElement("w:r")
        r_pr = OxmlElement("w:rPr")
        fonts = OxmlElement("w:rFonts")
        for attr in ("w:ascii", "w:hAnsi", "w:cs"):
            fonts.set(qn(attr), FONT)
        r_pr.append(fonts)
        if bold:
            r_pr.append(OxmlElement("w:b"))
        size = OxmlElement("w:sz")
        size.set(qn("w:val"), str(ANNEX_PT * 2))
        r_pr.append(size)
        r.append(r_pr)
        t = OxmlElement("w:t")
        t.set(qn("xml:space"), "preserve")
        t.text = text
        r.append(t)
        p.append(r)
    tc.append(p)
    return tc


def xml_row(cells: list[Any], *, header: bool = False) -> Any:
    tr = OxmlElement("w:tr")
    tr_pr = OxmlElement("w:trPr")
    tr_pr.append(OxmlElement("w:cantSplit"))
    if header:
        tr_pr.append(OxmlElement("w:tblHeader"))  # repeated at the top of every page
    tr.append(tr_pr)
    for cell in cells:
        tr.append(cell)
    return tr


def boxed(table: object) -> None:
    tbl_pr = table._tbl.tblPr  # type: ignore[attr-defined]
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        element = OxmlElement(f"w:{edge}")
        element.set(qn("w:val"), "single")
        element.set(qn("w:sz"), "4")
        element.set(qn("w:space"), "0")
        element.set(qn("w:color"), "000000")
        borders.append(element)
    tbl_pr.append(borders)


def shown(value: object, fmt: str) -> str:
    from clms.reports.texts import vn_decimal, vn_int

    if value is None or value == "":
        return ""
    if fmt in ("int", "money") and isinstance(value, int):
        return vn_int(value)
    if fmt == "percent" and isinstance(value, int | float):
        return f"{vn_decimal(value * 100)}%"
    return str(value)
