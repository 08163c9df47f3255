"""Exports in the real formats of ODK Central and KoBoToolbox, built by the tests.

ODK Central: CSV columns are the field paths joined by "-" (``child-child_name``,
``meta-instanceID``), ``KEY`` repeats the instanceID, and the ZIP export adds one CSV per repeat
group (``<form>-<repeat>.csv``) whose rows carry ``PARENT_KEY`` and ``KEY``.  KoBoToolbox: XLSX
with ``group/field`` headers, ``meta/instanceID``, ``_uuid``, ``_index``; one sheet per repeat
group linked by ``_parent_index`` and ``_submission__uuid``; CSV separated by ";".
"""

from __future__ import annotations

import csv
import io
import uuid
import zipfile
from typing import Any

from openpyxl import Workbook

ODK_SYSTEM = ["SubmissionDate", "start", "end"]
ODK_TAIL = ["KEY", "SubmitterID", "SubmitterName", "AttachmentsPresent", "AttachmentsExpected", "Status",
            "ReviewState", "DeviceID", "Edits", "FormVersion"]


def new_uuid() -> str:
    return str(uuid.uuid4())


def _csv(header: list[str], rows: list[list[Any]], delimiter: str = ",") -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter)
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue().encode("utf-8")


def odk_csv(fields: list[str], submissions: list[dict[str, Any]]) -> bytes:
    """``fields``: XLSForm paths with "/" (``child/child_name``); Central writes them with "-"."""
    header = ODK_SYSTEM + [f.replace("/", "-") for f in fields] + ["meta-instanceID"] + ODK_TAIL
    rows = []
    for s in submissions:
        key = f"uuid:{s['uuid']}"
        rows.append(["2026-11-20T03:15:00.000Z", "2026-11-20T10:01:00.000+07:00", "2026-11-20T10:09:00.000+07:00",
                     *[s.get(f.rsplit("/", 1)[-1], "") for f in fields], key, key, "5", "ctv", "0", "0", "", "",
                     "collect:abc", "0", "2026.1"])
    return _csv(header, rows)


def odk_zip(form: str, fields: list[str], submissions: list[dict[str, Any]], repeat: str,
            repeat_fields: list[str]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr(f"{form}.csv", odk_csv(fields, submissions))
        header = [f"{repeat}-{f}" for f in repeat_fields] + ["PARENT_KEY", "KEY"]
        rows = []
        for s in submissions:
            for n, member in enumerate(s.get(repeat, []), start=1):
                rows.append([member.get(f, "") for f in repeat_fields] + [f"uuid:{s['uuid']}", f"uuid:{s['uuid']}/{repeat}[{n}]"])
        archive.writestr(f"{form}-{repeat}.csv", _csv(header, rows))
    return out.getvalue()


KOBO_TAIL = ["_id", "_uuid", "_submission_time", "_validation_status", "_notes", "_status", "_submitted_by", "_tags",
             "_index"]


def kobo_xlsx(fields: list[str], submissions: list[dict[str, Any]], repeat: str = "",
              repeat_fields: list[str] | None = None) -> bytes:
    book = Workbook()
    main = book.active
    assert main is not None
    main.title = "CLMS – Khảo sát hộ gia đình"[:31]
    main.append(["start", "end", *fields, "meta/instanceID", *KOBO_TAIL])
    for index, s in enumerate(submissions, start=1):
        main.append(["2026-11-20T10:01:00.000+07:00", "2026-11-20T10:09:00.000+07:00",
                     *[s.get(f.rsplit("/", 1)[-1], "") for f in fields], f"uuid:{s['uuid']}", 1000 + index, s["uuid"],
                     "2026-11-20T03:15:00", "", "", "submitted_via_web", "", "", index])
    if repeat:
        sheet = book.create_sheet(repeat)
        sheet.append([f"{repeat}/{f}" for f in repeat_fields or []] + ["_index", "_parent_table_name", "_parent_index",
                                                                       "_submission__id", "_submission__uuid"])
        n = 0
        for index, s in enumerate(submissions, start=1):
            for member in s.get(repeat, []):
                n += 1
                sheet.append([member.get(f, "") for f in repeat_fields or []] + [n, main.title, index, 1000 + index, s["uuid"]])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def kobo_csv(fields: list[str], submissions: list[dict[str, Any]]) -> bytes:
    header = ["start", "end", *fields, "meta/instanceID", *KOBO_TAIL]
    rows = [["2026-11-20T10:01:00.000+07:00", "2026-11-20T10:09:00.000+07:00",
             *[s.get(f.rsplit("/", 1)[-1], "") for f in fields], f"uuid:{s['uuid']}", 1000 + i, s["uuid"],
             "2026-11-20T03:15:00", "", "", "submitted_via_web", "", "", i] for i, s in enumerate(submissions, start=1)]
    return _csv(header, rows, delimiter=";")


REPORT_FIELDS = ["commune", "village", "what_seen", "emergency", "child/child_name", "child/child_sex", "child/child_dob",
                 "child/child_dob_estimated", "reporter/reporter_name", "reporter/reporter_phone"]
OBSERVATION_FIELDS = ["commune", "child_id", "observed_on", "work/activity", "work/job_code", "work/workplace_code",
                      "work/hours_per_day", "work/days_per_week", "work/night_work", "work/hazards", "work/load_kg",
                      "work/chores_hours_week", "note"]
SURVEY_FIELDS = ["commune", "village", "household_number", "head_name", "result", "interviewed_on"]
MEMBER_FIELDS = ["member_name", "member_sex", "member_dob", "member_school", "activity", "job_code", "workplace_code",
                 "hours_per_day", "days_per_week", "night_work", "hazards", "load_kg", "chores_hours_week"]
