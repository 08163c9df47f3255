"""What every all-or-nothing import reports: each bad cell by row and column, then nothing written."""

from __future__ import annotations

import csv
import io
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from typing import IO, Any
from zipfile import BadZipFile

from django.utils.translation import gettext as _
from openpyxl import load_workbook
from openpyxl.utils.exceptions import InvalidFileException

from clms.core.templatetags.vn_format import vn_number


@dataclass(frozen=True)
class RowError:
    row: int
    column: str
    message: str

    def __str__(self) -> str:
        return _("Row %(row)s, column “%(column)s”: %(message)s") % {
            "row": vn_number(self.row),
            "column": self.column,
            "message": self.message,
        }


class ImportFailed(Exception):
    def __init__(self, errors: list[RowError]) -> None:
        super().__init__(f"{len(errors)} errors")
        self.errors = errors


# What a damaged workbook raises while openpyxl reads it: a cut or garbled sheet XML
# (ElementTree's ParseError and lxml's XMLSyntaxError are SyntaxErrors), a damaged zip or
# compressed stream, a part that is missing or of the wrong type.
_BROKEN_WORKBOOK = (SyntaxError, BadZipFile, zlib.error, EOFError, KeyError, ValueError, TypeError, OSError,
                    IndexError, AttributeError, InvalidFileException)


def _not_a_workbook() -> ImportFailed:
    return ImportFailed([RowError(0, "-", _("The file is not a valid XLSX workbook."))])


def workbook_rows(file: IO[bytes]) -> Iterator[tuple[Any, ...]]:
    """Rows of the first sheet, values only; a damaged file at any point is an ImportFailed,
    never a 500 (the sheet is read lazily, so damage can show only on row 5,000)."""
    try:
        wb = load_workbook(file, read_only=True, data_only=True)
    except _BROKEN_WORKBOOK:
        raise _not_a_workbook() from None
    try:
        if not wb.worksheets:
            raise _not_a_workbook()
        rows = wb.worksheets[0].iter_rows(values_only=True)
        while True:
            try:
                row = next(rows)
            except StopIteration:
                return
            except _BROKEN_WORKBOOK:
                raise _not_a_workbook() from None
            yield row
    finally:
        wb.close()


def workbook_size(file: IO[bytes]) -> int | None:
    """The rows of the first sheet as the workbook records them (its dimension), without reading
    them; None when the file does not say or cannot be opened (the reading reports that).
    Leaves the file at its start."""
    try:
        wb = load_workbook(file, read_only=True, data_only=True)
    except _BROKEN_WORKBOOK:
        return None
    finally:
        file.seek(0)
    try:
        return wb.worksheets[0].max_row if wb.worksheets else None
    except _BROKEN_WORKBOOK:
        return None
    finally:
        wb.close()
        file.seek(0)


def csv_rows(text: str, *, delimiter: str) -> Iterator[tuple[str, ...]]:
    """Rows of a CSV text; a cell longer than the csv module allows (131,072 characters) or a
    broken quote is an error naming its row."""
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error:
            raise ImportFailed([RowError(reader.line_num, "-", _(
                "This row cannot be read: a cell is longer than 131,072 characters or a quotation mark is not closed."
            ))]) from None
        yield tuple(row)
