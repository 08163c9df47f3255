"""Denominator import from XLSX: every row is checked first, then all are written or none."""

from __future__ import annotations

import datetime as dt
import math
from io import BytesIO
from typing import IO, TYPE_CHECKING, Any

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook

from clms.core.forms import INT_MAX
from clms.core.imports import ImportFailed, RowError, workbook_rows
from clms.core.templatetags.vn_format import vn_number
from clms.core.text import normalise
from clms.places.models import AdminUnit, Denominator, DenominatorGroup, DenominatorSource, Level
from clms.places.scoping import can_write_unit

if TYPE_CHECKING:
    from clms.accounts.models import User

COLUMNS = {
    "code": gettext_lazy("Unit code"),
    "name": gettext_lazy("Unit name"),
    "year": gettext_lazy("Year"),
    "group": gettext_lazy("Group"),
    "value": gettext_lazy("Value"),
}
REQUIRED = ("code", "year", "group", "value")
MAX_ROWS = 100_000




def template_workbook() -> bytes:
    wb = Workbook()
    ws = wb.worksheets[0]
    ws.title = _("Denominators")
    ws.append([str(v) for v in COLUMNS.values()])
    groups = wb.create_sheet(_("Groups"))
    groups.append([_("Code"), _("Meaning")])
    for choice in DenominatorGroup:
        groups.append([choice.value, str(choice.label)])
    out = BytesIO()
    wb.save(out)
    return out.getvalue()


def _group_lookup() -> dict[str, str]:
    lookup: dict[str, str] = {}
    for choice in DenominatorGroup:
        lookup[choice.value.lower()] = choice.value
        lookup[str(choice.label).strip().lower()] = choice.value
    return lookup


def _as_int(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str) and value.strip().lstrip("-").isdigit() and len(value.strip()) <= 19:
        return int(value.strip())
    return None


def _resolve_unit(code: str, year: int, cache: dict[tuple[str, int], list[AdminUnit]]) -> list[AdminUnit]:
    key = (code, year)
    if key not in cache:
        year_end = dt.date(year, 12, 31)
        cache[key] = list(
            AdminUnit.objects.filter(code=code)
            .exclude(level=Level.VILLAGE)
            .filter(Q(valid_from__isnull=True) | Q(valid_from__lte=year_end))
            .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=year_end))
        )
    return cache[key]


def denominators_import(*, user: User, file: IO[bytes]) -> int:
    """Import denominators; raises ImportFailed listing every bad row, writing nothing."""
    rows = workbook_rows(file)
    header = next(rows, None)
    if header is None:
        raise ImportFailed([RowError(1, "-", _("The file is empty."))])
    labels = {str(v).strip().lower(): k for k, v in COLUMNS.items()}
    positions: dict[str, int] = {}
    for index, cell in enumerate(header):
        key = labels.get(str(cell or "").strip().lower())
        if key:
            positions[key] = index
    missing = [str(COLUMNS[k]) for k in REQUIRED if k not in positions]
    if missing:
        raise ImportFailed(
            [RowError(1, name, _("This column is missing from the header row.")) for name in missing]
        )

    groups = _group_lookup()
    this_year = timezone.localdate().year
    errors: list[RowError] = []
    cleaned: dict[tuple[int, int, str], tuple[int, int]] = {}
    units_cache: dict[tuple[str, int], list[AdminUnit]] = {}
    for row_number, row in enumerate(rows, start=2):
        if row_number > MAX_ROWS + 1:
            errors.append(RowError(row_number, "-", _("Too many rows; split the file.")))
            break
        if row is None or all(v is None or str(v).strip() == "" for v in row):
            continue

        def cell(key: str, row: tuple[Any, ...] = row) -> Any:
            pos = positions[key]
            return row[pos] if pos < len(row) else None

        before = len(errors)
        year = _as_int(cell("year"))
        if year is None or not 2000 <= year <= this_year + 10:
            errors.append(RowError(row_number, str(COLUMNS["year"]), _("Enter a year such as 2025.")))
        raw_group = str(cell("group") or "").strip().lower()
        group = groups.get(raw_group)
        if group is None:
            errors.append(
                RowError(row_number, str(COLUMNS["group"]), _("Unknown group; see the Groups sheet."))
            )
        value = _as_int(cell("value"))
        # The figures are stored in an integer column: 2,147,483,647 at most.
        if value is None or not 0 <= value <= INT_MAX:
            errors.append(
                RowError(row_number, str(COLUMNS["value"]), _("Enter a whole number from 0 to 2,147,483,647."))
            )
        code = normalise(str(cell("code") or "")).strip()
        raw_code = cell("code")
        if isinstance(raw_code, float | int) and not isinstance(raw_code, bool):
            code = str(int(raw_code)) if math.isfinite(raw_code) else str(raw_code)
        unit = None
        if not code:
            errors.append(RowError(row_number, str(COLUMNS["code"]), _("Enter the unit code.")))
        elif year is not None:
            found = _resolve_unit(code, year, units_cache)
            if not found:
                errors.append(
                    RowError(
                        row_number,
                        str(COLUMNS["code"]),
                        _("No unit with code %(code)s existed in %(year)d.") % {"code": code, "year": year},
                    )
                )
            elif len(found) > 1:
                errors.append(
                    RowError(row_number, str(COLUMNS["code"]), _("The code %(code)s is ambiguous.") % {"code": code})
                )
            elif not can_write_unit(user, found[0]):
                errors.append(
                    RowError(
                        row_number,
                        str(COLUMNS["code"]),
                        _("You may not enter figures for %(unit)s.") % {"unit": found[0].name},
                    )
                )
            else:
                unit = found[0]
        if len(errors) == before and unit is not None and year is not None and group and value is not None:
            row_key = (unit.pk, year, group)
            if row_key in cleaned:
                errors.append(
                    RowError(
                        row_number,
                        str(COLUMNS["group"]),
                        _("Same unit, year and group as row %(row)s.") % {"row": vn_number(cleaned[row_key][0])},
                    )
                )
            else:
                cleaned[row_key] = (row_number, value)
    if errors:
        raise ImportFailed(errors)
    if not cleaned:
        raise ImportFailed([RowError(2, "-", _("The file has no data rows."))])

    with transaction.atomic():
        existing = {
            (d.unit_id, d.year, d.group): d
            for d in Denominator.objects.select_for_update().filter(
                unit_id__in={k[0] for k in cleaned}, year__in={k[1] for k in cleaned}
            )
        }
        to_create, to_update = [], []
        for (unit_id, year, group), (_row, value) in cleaned.items():
            current = existing.get((unit_id, year, group))
            if current is None:
                to_create.append(
                    Denominator(
                        unit_id=unit_id,
                        year=year,
                        group=group,
                        value=value,
                        source=DenominatorSource.IMPORTED,
                        updated_by=user,
                    )
                )
            else:
                current.value = value
                current.source = DenominatorSource.IMPORTED
                current.updated_by = user
                to_update.append(current)
        Denominator.objects.bulk_create(to_create, batch_size=1000)
        Denominator.objects.bulk_update(to_update, ["value", "source", "updated_by"], batch_size=1000)
    return len(cleaned)
