"""Export of the filtered register to XLSX, guarded against formula injection."""

from __future__ import annotations

import io
from collections.abc import Iterable
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter

from clms.people.models import Child
from clms.people.presenters import category_label
from clms.people.reference import ethnicity_names

MAX_EXPORT = 100_000
# A spreadsheet runs a cell starting with these as a formula (or DDE command).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_THIN = Side(style="thin", color="000000")
BOX = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
BOLD = Font(bold=True)
TITLE = Font(bold=True, size=14)
WRAP = Alignment(wrap_text=True, vertical="top")


def safe_text(value: Any) -> Any:
    """Neutralise text that a spreadsheet would evaluate: prefix it with an apostrophe."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


# Column widths in characters, in the order of the header; dates need 10 ("31/12/2026").
WIDTHS = (6, 9, 26, 7, 11, 11, 14, 18, 14, 22, 16, 7, 14, 22, 11, 11)
HEADER_ROW = 3


def _styled(ws: Any, value: Any, *, font: Font | None = None, border: bool = False, fmt: str = "") -> WriteOnlyCell:
    cell = WriteOnlyCell(ws, value=safe_text(value) if isinstance(value, str) else value)
    if isinstance(value, str):
        cell.data_type = "s"
    if font is not None:
        cell.font = font
    if border:
        cell.border = BOX
    if fmt:
        cell.number_format = fmt
    if isinstance(value, str) and border:
        cell.alignment = WRAP
    return cell


def children_workbook(children: Iterable[Child], *, title: str = "") -> bytes:
    """The register as a sheet that prints: a title row, a bordered table numbered 1, 2, 3 with
    the record id in its own column, widths that show every date, the header frozen and
    repeated on each printed page (A4 landscape, one page wide)."""
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(_("Register"))
    for n, width in enumerate(WIDTHS, start=1):
        ws.column_dimensions[get_column_letter(n)].width = width
    ws.freeze_panes = f"A{HEADER_ROW + 1}"
    ws.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW}"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = "9"  # A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_margins.left = ws.page_margins.right = 0.5
    ws.append([_styled(ws, title or _("Register of children"), font=TITLE)])
    ws.append([])
    header = [
        pgettext("row number", "Number"), _("Record ID"), _("Full name"), _("Sex"), _("Date of birth"), _("Ethnicity"),
        _("Personal identification number"), _("Commune"), _("Village"), _("Head of household"),
        _("School status"), _("Grade"), _("Status"), _("Latest classification"), _("Risk level"), _("Last visit"),
    ]
    ws.append([_styled(ws, str(text), font=BOLD, border=True) for text in header])
    names = ethnicity_names()
    for number, child in enumerate(children, start=1):
        values: list[Any] = [
            number, child.pk, child.full_name, child.get_sex_display(), child.dob, names.get(child.ethnicity, child.ethnicity),
            child.personal_id, child.commune.name, child.village.name if child.village else "",
            child.household.head_name if child.household else "", child.get_school_status_display(), child.grade,
            child.get_register_status_display(),
            category_label(child.latest_category) if child.latest_category else "",
            child.get_risk_level_display(), child.last_visit_on,
        ]
        row = []
        for value in values:
            if isinstance(value, str):
                row.append(_styled(ws, str(value), border=True))
            elif value is not None and hasattr(value, "isoformat"):
                row.append(_styled(ws, value, border=True, fmt="DD/MM/YYYY"))
            else:
                row.append(_styled(ws, value, border=True, fmt="0" if isinstance(value, int) else ""))
        ws.append(row)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
