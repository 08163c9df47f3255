"""One entry point for the three files of a report."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from typing import Any

from django.core.cache import cache

from clms.core.text import xml_safe_deep
from clms.reports import selectors
from clms.reports.documents import content
from clms.reports.documents.excel import render_xlsx
from clms.reports.documents.pdf import render_pdf
from clms.reports.documents.word import render_docx
from clms.reports.models import ReportingPeriod, Submission, SubmissionStatus

FORMATS: dict[str, tuple[Any, str]] = {
    "docx": (render_docx, "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    "xlsx": (render_xlsx, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    "pdf": (render_pdf, "application/pdf"),
}


def submission_report(submission: Submission, data: dict[str, Any]) -> content.ReportDocument:
    return content.build(
        fields=submission,
        unit=submission.unit,
        year=submission.period.year,
        data=data,
        receiver=submission.period.receiver,
        plan=submission.snapshot.plan if submission.snapshot else submission.period.plan,
        draft=submission.status in (SubmissionStatus.DRAFT, SubmissionStatus.RETURNED),
    )


def period_report(period: ReportingPeriod, data: dict[str, Any]) -> content.ReportDocument:
    overview = selectors.period_overview(period)
    accepted = [row for row in overview if row.status == "accepted"]
    missing = [row.unit.name for row in overview if row.status != "accepted"]
    return content.build(
        fields=period,
        unit=period.receiver,
        year=period.year,
        data=data,
        plan=period.plan,
        aggregate_of=(len(accepted), len(overview), missing),
    )


def render(report: content.ReportDocument, fmt: str) -> tuple[bytes, str, str]:
    """(file bytes, content type, file name) of ``report`` as ``fmt`` (docx, xlsx or pdf)."""
    renderer, content_type = FORMATS[fmt]
    # Texts saved before the forms removed control characters (pasted from Word) would make
    # the DOCX and XLSX writers refuse the whole file.
    report = xml_safe_deep(report)
    suffix = "-phu-luc" if fmt == "xlsx" else ""
    return renderer(report), content_type, f"{report.filename}{suffix}.{fmt}"


FILE_CACHE_SECONDS = 24 * 3600


def _file_cache_key(key: Any, fmt: str) -> str:
    digest = hashlib.sha256(json.dumps([key, fmt], sort_keys=True, default=str).encode()).hexdigest()
    return f"reports:file:{digest}"


def cached_file(fmt: str, *, key: Any) -> tuple[bytes, str, str] | None:
    """The file ``render_frozen`` made for ``key`` and ``fmt``, if it is still kept."""
    found = cache.get(_file_cache_key(key, fmt))
    return None if found is None else (found[0], found[1], found[2])


def files_made(key: Any) -> dict[str, bool]:
    """Which formats ``render_frozen`` has kept for ``key`` (one cache read)."""
    keys = {fmt: _file_cache_key(key, fmt) for fmt in FORMATS}
    found = cache.get_many(list(keys.values()))
    return {fmt: k in found for fmt, k in keys.items()}


def render_frozen(build: Callable[[], content.ReportDocument], fmt: str, *, key: Any) -> tuple[bytes, str, str]:
    """``render`` for a file made only of frozen figures: made once per ``key`` and kept.

    A province's PDF takes seconds to lay out; its figures change only when a report is
    accepted (a new snapshot) or the wording is saved (a new version), so ``key`` names exactly
    those and a second download is served from the cache.  Drafts are live: never cached.
    """
    found = cached_file(fmt, key=key)
    if found is not None:
        return found
    made = render(build(), fmt)
    cache.set(_file_cache_key(key, fmt), made, FILE_CACHE_SECONDS)
    return made


def period_file_key(period: ReportingPeriod, data: dict[str, Any] | None = None) -> list[Any]:
    """What the receiving level's files depend on: the same accepted snapshots and the same
    wording give the same files (which units are missing follows from the accepted set).
    Without ``data`` (the aggregate), read from the accepted submissions alone."""
    sources = selectors.accepted_sources(period) if data is None else data.get("sources", [])
    return ["period", period.pk, period.version, period.updated_at, [(s["snapshot_id"], s["taken_at"]) for s in sources]]
