"""One entry point for the three files of a report."""

from __future__ import annotations

from typing import Any

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
