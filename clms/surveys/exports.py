"""Reading the exports of ODK Central and KoBoToolbox into plain submissions.

ODK Central: a CSV of the form (columns are the field paths joined by "-": ``meta-instanceID``,
``child-child_name``; ``KEY`` is the instanceID), or a ZIP with that CSV and one CSV per repeat
group (``<form>-<repeat>.csv``, whose rows name their submission in ``PARENT_KEY``).
KoBoToolbox: an XLSX whose first sheet holds the submissions (columns ``group/field``,
``meta/instanceID``, ``_uuid``, ``_index``) and one sheet per repeat group (rows linked by
``_parent_index``), or a CSV of the submissions (";" or "," separated).

The result is the same for all four: ``Submission(instance_id, values, repeats)`` whose keys
are the XLSForm's field names without group prefixes (the CLMS forms never reuse a name).
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections import defaultdict
from dataclasses import dataclass, field
from typing import IO, Any

from django.utils.translation import gettext as _
from openpyxl import load_workbook

from clms.core.imports import _BROKEN_WORKBOOK
from clms.core.templatetags.vn_format import vn_number
from clms.surveys.models import ImportSource

MAX_SUBMISSIONS = 20_000
KEEP = frozenset({"KEY", "PARENT_KEY", "_uuid", "_index", "_parent_index", "_submission__uuid", "SubmissionDate",
                  "_submission_time", "_id"})


@dataclass(frozen=True)
class SubmissionError:
    submission: str
    field: str
    message: str

    def __str__(self) -> str:
        if not self.submission:
            return _("File: %(message)s") % {"message": self.message}
        return _("Submission %(submission)s, field “%(field)s”: %(message)s") % {
            "submission": self.submission, "field": self.field or "-", "message": self.message,
        }


class ExportUnreadable(Exception):
    def __init__(self, errors: list[SubmissionError]) -> None:
        super().__init__(f"{len(errors)} errors")
        self.errors = errors


@dataclass
class Submission:
    instance_id: str
    values: dict[str, str]
    repeats: dict[str, list[dict[str, str]]] = field(default_factory=dict)


def _file_error(message: str) -> ExportUnreadable:
    return ExportUnreadable([SubmissionError("", "", message)])


def field_name(header: str) -> str:
    """``group/sub/field`` (KoBo), ``group-field`` (ODK Central) -> ``field``."""
    header = header.strip()
    if header in KEEP:
        return header
    return header.rsplit("/", 1)[-1].rsplit("-", 1)[-1]


def bare_uuid(value: str) -> str:
    value = value.strip()
    if value.lower().startswith("uuid:"):
        value = value[5:]
    return value.split("/", 1)[0].strip()


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if hasattr(value, "isoformat"):
        return str(value.isoformat())
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _records(header: list[Any], rows: list[list[Any]]) -> list[dict[str, str]]:
    names = [field_name(_cell(h)) for h in header]
    out = []
    for row in rows:
        cells = [_cell(v) for v in row]
        if not any(cells):
            continue
        record: dict[str, str] = {}
        for name, value in zip(names, cells, strict=False):
            if name and (value or name not in record):
                record[name] = value
        out.append(record)
    return out


def _instance(record: dict[str, str]) -> str:
    for key in ("instanceID", "KEY", "_uuid"):
        if record.get(key):
            return bare_uuid(record[key])
    return ""


def _decode(raw: bytes) -> str:
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise _file_error(_("The file is not UTF-8 text.")) from None


def _csv(text: str) -> tuple[list[str], list[list[str]]]:
    first = text.split("\n", 1)[0]
    delimiter = ";" if first.count(";") > first.count(",") else ","
    try:
        rows = list(csv.reader(io.StringIO(text), delimiter=delimiter))
    except csv.Error:
        raise _file_error(_("The CSV file cannot be read: a quotation mark is not closed.")) from None
    if not rows:
        raise _file_error(_("The file is empty."))
    return rows[0], rows[1:]


def _submissions(main: list[dict[str, str]]) -> list[Submission]:
    out = []
    for n, record in enumerate(main, start=2):
        instance = _instance(record)
        if not instance:
            raise ExportUnreadable([SubmissionError(_("row %(n)s") % {"n": vn_number(n)}, "meta/instanceID", _(
                "The submission has no instanceID (nor KEY or _uuid): is this an export of a CLMS form?"))])
        out.append(Submission(instance_id=instance, values=record))
    if len(out) > MAX_SUBMISSIONS:
        raise _file_error(_("The file holds more than %(n)s submissions; export it in parts.") % {"n": vn_number(MAX_SUBMISSIONS)})
    return out


def read_odk_csv(raw: bytes) -> list[Submission]:
    header, rows = _csv(_decode(raw))
    return _submissions(_records(header, rows))


def read_odk_zip(raw: bytes) -> list[Submission]:
    try:
        archive = zipfile.ZipFile(io.BytesIO(raw))
        names = [n for n in archive.namelist() if n.lower().endswith(".csv") and not n.startswith("__MACOSX")]
        files = {n: archive.read(n) for n in names}
    except (zipfile.BadZipFile, OSError, EOFError, KeyError, ValueError):
        raise _file_error(_("The file is not a valid ZIP archive.")) from None
    if not files:
        raise _file_error(_("The ZIP archive holds no CSV file."))
    # The submissions' CSV has the shortest name; each repeat's is "<form>-<repeat>.csv".
    main_name = min(files, key=lambda n: (len(n.rsplit("/", 1)[-1]), n))
    stem = main_name.rsplit("/", 1)[-1][:-4]
    header, rows = _csv(_decode(files[main_name]))
    submissions = _submissions(_records(header, rows))
    by_key = {s.instance_id: s for s in submissions}
    for name, content in files.items():
        if name == main_name:
            continue
        base = name.rsplit("/", 1)[-1][:-4]
        repeat = base[len(stem) + 1:] if base.startswith(stem + "-") else base
        repeat = repeat.rsplit("-", 1)[-1]
        r_header, r_rows = _csv(_decode(content))
        for n, record in enumerate(_records(r_header, r_rows), start=2):
            parent = bare_uuid(record.get("PARENT_KEY", ""))
            if parent not in by_key:
                raise ExportUnreadable([SubmissionError(f"{name}: " + _("row %(n)s") % {"n": vn_number(n)}, "PARENT_KEY", _(
                    "The row belongs to no submission of the export."))])
            by_key[parent].repeats.setdefault(repeat, []).append(record)
    return submissions


def read_kobo_xlsx(raw: bytes) -> list[Submission]:
    try:
        book = load_workbook(io.BytesIO(raw), read_only=True, data_only=True)
        sheets = [(ws.title, [list(r) for r in ws.iter_rows(values_only=True)]) for ws in book.worksheets]
        book.close()
    except _BROKEN_WORKBOOK:
        raise _file_error(_("The file is not a valid XLSX workbook.")) from None
    if not sheets or not sheets[0][1]:
        raise _file_error(_("The file is empty."))
    main_rows = sheets[0][1]
    submissions = _submissions(_records(main_rows[0], main_rows[1:]))
    by_index = {s.values.get("_index", ""): s for s in submissions}
    by_uuid = {s.instance_id: s for s in submissions}
    for title, rows in sheets[1:]:
        if not rows:
            continue
        for n, record in enumerate(_records(rows[0], rows[1:]), start=2):
            parent = by_uuid.get(bare_uuid(record.get("_submission__uuid", ""))) or by_index.get(record.get("_parent_index", ""))
            if parent is None:
                raise ExportUnreadable([SubmissionError(f"{title}: " + _("row %(n)s") % {"n": vn_number(n)}, "_parent_index", _(
                    "The row belongs to no submission of the export."))])
            parent.repeats.setdefault(title, []).append(record)
    return submissions


def read_export(upload: IO[bytes], filename: str) -> tuple[str, list[Submission]]:
    """The source kind and the submissions of an uploaded export."""
    raw = upload.read()
    name = filename.lower()
    if name.endswith(".zip"):
        return ImportSource.ODK_ZIP, read_odk_zip(raw)
    if name.endswith(".xlsx"):
        return ImportSource.KOBO_XLSX, read_kobo_xlsx(raw)
    if name.endswith(".csv"):
        submissions = read_odk_csv(raw)
        kobo = bool(submissions) and "_uuid" in submissions[0].values
        return (ImportSource.KOBO_CSV if kobo else ImportSource.ODK_CSV), submissions
    raise _file_error(_("Upload an ODK Central export (.csv or .zip) or a KoBoToolbox export (.xlsx or .csv)."))


def group_by(rows: list[dict[str, str]], key: str) -> dict[str, list[dict[str, str]]]:
    out: dict[str, list[dict[str, str]]] = defaultdict(list)
    for row in rows:
        out[row.get(key, "")].append(row)
    return out
