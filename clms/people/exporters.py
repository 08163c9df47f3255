"""Export of the filtered register to XLSX, guarded against formula injection."""

from __future__ import annotations

import io
from collections.abc import Iterable
from typing import Any

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell

from clms.people.models import Child
from clms.people.presenters import category_label
from clms.people.reference import ethnicity_names

MAX_EXPORT = 100_000
# A spreadsheet runs a cell starting with these as a formula (or DDE command).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_text(value: Any) -> Any:
    """Neutralise text that a spreadsheet would evaluate: prefix it with an apostrophe."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def children_workbook(children: Iterable[Child]) -> bytes:
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(_("Register"))
    ws.append([
        _("Number"), _("Full name"), _("Sex"), _("Date of birth"), _("Ethnicity"),
        _("Personal identification number"), _("Commune"), _("Village"), _("Head of household"),
        _("School status"), _("Grade"), _("Status"), _("Latest classification"), _("Risk level"), _("Last visit"),
    ])
    names = ethnicity_names()
    for child in children:
        values: list[Any] = [
            child.pk, child.full_name, child.get_sex_display(), child.dob, names.get(child.ethnicity, child.ethnicity),
            child.personal_id, child.commune.name, child.village.name if child.village else "",
            child.household.head_name if child.household else "", child.get_school_status_display(), child.grade,
            child.get_register_status_display(),
            category_label(child.latest_category) if child.latest_category else "",
            child.get_risk_level_display(), child.last_visit_on,
        ]
        row = []
        for value in values:
            cell = WriteOnlyCell(ws, value=safe_text(str(value)) if isinstance(value, str) else value)
            if isinstance(value, str):
                cell.data_type = "s"
            elif value is not None and hasattr(value, "isoformat"):
                cell.number_format = "DD/MM/YYYY"
            row.append(cell)
        ws.append(row)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
