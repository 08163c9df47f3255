"""The XLSX template for importing children: the data sheet, drop-downs and an example sheet."""

from __future__ import annotations

import io
from typing import TYPE_CHECKING

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from clms.core.imports import ImportFailed, RowError, csv_rows, workbook_rows  # noqa: F401 - re-exported for views
from clms.people.importers import COLUMNS, column_label
from clms.people.models import PovertyStatus, SchoolStatus, Sex
from clms.people.reference import ethnicities
from clms.people.selectors import communes_for_writing, villages_for_writing

if TYPE_CHECKING:
    from clms.accounts.models import User

TEMPLATE_ROWS = 1000  # rows of the data sheet that carry the drop-downs


def template_workbook(user: User) -> bytes:
    """The import template: the data sheet first (the only one read back) with the header only,
    so the example, on its own sheet, can never be imported as a child; drop-downs for sex,
    ethnicity, school, poverty, commune and village, and a date check on the dates."""
    wb = Workbook()
    ws = wb.worksheets[0]
    ws.title = _("Children")
    keys = list(COLUMNS)
    ws.append([column_label(k) for k in keys])
    ws.freeze_panes = "A2"
    for index, key in enumerate(keys, start=1):
        ws.column_dimensions[get_column_letter(index)].width = max(12, len(column_label(key)) + 2)

    # The values of the drop-downs live on a sheet of their own (a list written into the
    # validation itself may not exceed 255 characters; the 54 ethnicities do).
    lists = wb.create_sheet(_("Lists"))
    communes = list(communes_for_writing(user))
    villages = sorted({v.name for v in villages_for_writing(user)})
    columns = {
        "sex": [str(label) for _v, label in Sex.choices],
        "ethnicity": [name for _c, name in ethnicities()],
        "school_status": [str(label) for _v, label in SchoolStatus.choices],
        "poverty_status": [str(label) for _v, label in PovertyStatus.choices],
        "commune": [c.code for c in communes],
        "village": villages,
        "confirm_different": ["x"],
    }
    for col, (key, values) in enumerate(columns.items(), start=1):
        lists.cell(row=1, column=col, value=column_label(key))
        for row, value in enumerate(values, start=2):
            lists.cell(row=row, column=col, value=value)
        if not values:
            continue
        letter = get_column_letter(col)
        source = f"'{lists.title}'!${letter}$2:${letter}${len(values) + 1}"
        rule = DataValidation(type="list", formula1=source, allow_blank=True, showErrorMessage=True)
        rule.error = _("Pick a value from the list.")
        rule.errorTitle = column_label(key)
        target = get_column_letter(keys.index(key) + 1)
        rule.add(f"{target}2:{target}{TEMPLATE_ROWS + 1}")
        ws.add_data_validation(rule)
    lists.sheet_state = "hidden"
    for key in ("dob", "dropped_out_on"):
        rule = DataValidation(
            type="date", operator="between", formula1="DATE(1990,1,1)", formula2="DATE(2100,12,31)",
            allow_blank=True, showErrorMessage=True, errorStyle="warning",
        )
        rule.error = _("Write the date as dd/mm/yyyy.")
        rule.errorTitle = column_label(key)
        target = get_column_letter(keys.index(key) + 1)
        rule.add(f"{target}2:{target}{TEMPLATE_ROWS + 1}")
        ws.add_data_validation(rule)
        for row in range(2, TEMPLATE_ROWS + 2):
            ws[f"{target}{row}"].number_format = "DD/MM/YYYY"

    example = wb.create_sheet(_("Example (not imported)"))
    example.append([_("This sheet is an example and is never imported: fill in the first sheet.")])
    example.append([column_label(k) for k in keys])
    example.append(["Nguyễn Văn An", "Nam", "15/03/2013", "Kinh", "", "", "Thôn 1", "Nguyễn Văn Bình", "",
                    "Cận nghèo", "Bỏ học", "", "01/09/2025", "", ""])
    help_sheet = wb.create_sheet(_("Allowed values"))
    help_sheet.append([_("Column"), _("Allowed values")])
    help_sheet.append([column_label("sex"), ", ".join(str(label) for _v, label in Sex.choices)])
    help_sheet.append([column_label("dob"), _("dd/mm/yyyy")])
    help_sheet.append([column_label("poverty_status"), ", ".join(str(label) for _v, label in PovertyStatus.choices)])
    help_sheet.append([column_label("school_status"), ", ".join(str(label) for _v, label in SchoolStatus.choices)])
    help_sheet.append([column_label("ethnicity"), ", ".join(name for _c, name in ethnicities())])
    for commune in communes:
        names = [v.name for v in villages_for_writing(user) if v.parent_id == commune.pk]
        help_sheet.append([f"{column_label('commune')}: {commune.code}", f"{commune.name}: {', '.join(names)}"])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
