"""Employers, inspections, outreach activities and yearly-report submissions (reads)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from ninja import Path, Query, Router, Schema
from pydantic import Field

from clms.accounts.http import AuthedHttpRequest
from clms.accounts.models import AuditAction
from clms.api.common import ID_MAX, NO_NUL, Page, audit, require_role, responses
from clms.api.pagination import DEFAULT_LIMIT, MAX_LIMIT, keyset_page
from clms.core.access import get_scoped_or_404
from clms.employers import selectors as employer_selectors
from clms.employers.access import READERS as EMPLOYER_READERS
from clms.employers.models import Employer, EmployerKind, Inspection
from clms.outreach import selectors as outreach_selectors
from clms.outreach.models import ActivityKind, ActivityStatus, OutreachActivity
from clms.outreach.views import READERS as OUTREACH_READERS
from clms.reports import selectors as report_selectors
from clms.reports.models import Submission, SubmissionStatus
from clms.reports.views import READERS as REPORT_READERS

router = Router()


class ListQuery(Schema):
    cursor: str | None = Field(None, pattern=NO_NUL, min_length=1, max_length=400)
    limit: int = Field(DEFAULT_LIMIT, ge=1, le=MAX_LIMIT)


class EmployerOut(Schema):
    id: int
    kind: str
    size: str
    name: str
    sector: str
    commune_id: int
    village_id: int | None
    address: str
    tax_code: str
    owner_name: str
    phone: str
    craft_village_id: int | None
    workers: int | None
    registered_on: dt.date | None
    active: bool
    version: int


class EmployerPage(Page):
    items: list[EmployerOut]


class EmployerFilters(ListQuery):
    commune: int | None = Field(None, ge=1, le=ID_MAX)
    kind: EmployerKind | None = None
    q: str | None = Field(None, pattern=NO_NUL, min_length=1, max_length=150, description="words of the name")
    active: bool | None = None


class InspectionOut(Schema):
    id: int
    kind: str
    inspected_on: dt.date
    lead_agency: str
    team: str
    employer_ids: list[int]
    findings: str
    follow_up_of_id: int | None
    violations: int
    version: int


class InspectionPage(Page):
    items: list[InspectionOut]


class ReachOut(Schema):
    group: str
    count: int


class ActivityOut(Schema):
    id: int
    kind: str
    title: str
    topic: str
    unit_id: int
    lead_agency: str
    starts_on: dt.date
    ends_on: dt.date | None
    status: str
    channel: str
    reach: list[ReachOut] = Field(description="attendances per target group (not unique people)")


class ActivityPage(Page):
    items: list[ActivityOut]


class ActivityFilters(ListQuery):
    kind: ActivityKind | None = None
    status: ActivityStatus | None = None
    year: int | None = Field(None, ge=2000, le=2100)


class SubmissionOut(Schema):
    id: int
    unit_id: int
    year: int
    status: str
    submitted_at: dt.datetime | None
    decided_at: dt.datetime | None
    return_reason: str
    snapshot_taken_at: dt.datetime | None
    snapshot: dict[str, Any] | None = Field(description="the figures as frozen when the report was sent")


class SubmissionPage(Page):
    items: list[SubmissionOut]


class SubmissionFilters(ListQuery):
    year: int | None = Field(None, ge=2000, le=2100)
    status: SubmissionStatus | None = None


def employer_out(e: Employer) -> dict[str, Any]:
    return {f: getattr(e, f) for f in EmployerOut.model_fields if f != "id"} | {"id": e.pk}


@router.get("/employers", response=responses(EmployerPage), tags=["employers"], summary="Employers and household businesses")
def employer_list(request: AuthedHttpRequest, filters: Query[EmployerFilters]) -> Any:
    user = request.user
    require_role(user, EMPLOYER_READERS)
    qs = employer_selectors.employers_for_user(user)
    if filters.commune:
        qs = qs.filter(commune_id=filters.commune)
    if filters.kind:
        qs = qs.filter(kind=filters.kind)
    if filters.active is not None:
        qs = qs.filter(active=filters.active)
    if filters.q:
        qs = employer_selectors.employer_search(qs, filters.q)
    rows, cursor = keyset_page(qs, order=["pk"], cursor=filters.cursor, limit=filters.limit)
    audit(request, AuditAction.LIST, "employers.employer", object_ids=[e.pk for e in rows])
    return {"items": [employer_out(e) for e in rows], "next_cursor": cursor}


@router.get("/employers/{employer_id}", response=responses(EmployerOut), tags=["employers"], summary="One employer")
def employer_detail(request: AuthedHttpRequest, employer_id: int = Path(..., ge=1, le=ID_MAX)) -> Any:
    user = request.user
    require_role(user, EMPLOYER_READERS)
    employer = get_scoped_or_404(employer_selectors.employers_for_user(user), pk=employer_id)
    audit(request, AuditAction.READ, "employers.employer", object_id=employer.pk)
    return employer_out(employer)


def inspection_out(i: Inspection) -> dict[str, Any]:
    return {
        "id": i.pk, "kind": i.kind, "inspected_on": i.inspected_on, "lead_agency": i.lead_agency, "team": i.team,
        "employer_ids": sorted(e.pk for e in i.employers.all()), "findings": i.findings,
        "follow_up_of_id": i.follow_up_of_id, "violations": len(i.violations.all()), "version": i.version,
    }


@router.get("/inspections", response=responses(InspectionPage), tags=["employers"], summary="Inspections of employers")
def inspection_list(request: AuthedHttpRequest, filters: Query[ListQuery]) -> Any:
    user = request.user
    require_role(user, EMPLOYER_READERS)
    qs = employer_selectors.inspections_for_user(user).prefetch_related("employers", "violations")
    rows, cursor = keyset_page(qs, order=["-inspected_on", "-pk"], cursor=filters.cursor, limit=filters.limit)
    audit(request, AuditAction.LIST, "employers.inspection", object_ids=[i.pk for i in rows])
    return {"items": [inspection_out(i) for i in rows], "next_cursor": cursor}


@router.get("/inspections/{inspection_id}", response=responses(InspectionOut), tags=["employers"], summary="One inspection")
def inspection_detail(request: AuthedHttpRequest, inspection_id: int = Path(..., ge=1, le=ID_MAX)) -> Any:
    user = request.user
    require_role(user, EMPLOYER_READERS)
    inspection = get_scoped_or_404(
        employer_selectors.inspections_for_user(user).prefetch_related("employers", "violations"), pk=inspection_id
    )
    audit(request, AuditAction.READ, "employers.inspection", object_id=inspection.pk)
    return inspection_out(inspection)


def activity_out(a: OutreachActivity) -> dict[str, Any]:
    return {
        "id": a.pk, "kind": a.kind, "title": a.title, "topic": a.topic, "unit_id": a.unit_id,
        "lead_agency": a.lead_agency, "starts_on": a.starts_on, "ends_on": a.ends_on, "status": a.status,
        "channel": a.channel, "reach": [{"group": r.group, "count": r.count} for r in a.reach.all()],
    }


@router.get("/outreach", response=responses(ActivityPage), tags=["outreach"], summary="Communication and training activities")
def activity_list(request: AuthedHttpRequest, filters: Query[ActivityFilters]) -> Any:
    user = request.user
    require_role(user, OUTREACH_READERS)
    qs = outreach_selectors.activities_for_user(user).prefetch_related("reach")
    if filters.kind:
        qs = qs.filter(kind=filters.kind)
    if filters.status:
        qs = qs.filter(status=filters.status)
    if filters.year:
        qs = qs.filter(starts_on__year=filters.year)
    rows, cursor = keyset_page(qs, order=["-starts_on", "-pk"], cursor=filters.cursor, limit=filters.limit)
    return {"items": [activity_out(a) for a in rows], "next_cursor": cursor}


@router.get("/outreach/{activity_id}", response=responses(ActivityOut), tags=["outreach"], summary="One activity")
def activity_detail(request: AuthedHttpRequest, activity_id: int = Path(..., ge=1, le=ID_MAX)) -> Any:
    user = request.user
    require_role(user, OUTREACH_READERS)
    activity = get_scoped_or_404(outreach_selectors.activities_for_user(user).prefetch_related("reach"), pk=activity_id)
    return activity_out(activity)


def submission_out(s: Submission) -> dict[str, Any]:
    snapshot = s.snapshot
    return {
        "id": s.pk, "unit_id": s.unit_id, "year": s.period.year, "status": s.status, "submitted_at": s.submitted_at,
        "decided_at": s.decided_at, "return_reason": s.return_reason,
        "snapshot_taken_at": snapshot.taken_at if snapshot else None, "snapshot": snapshot.data if snapshot else None,
    }


@router.get("/submissions", response=responses(SubmissionPage), tags=["reports"], summary="Yearly-report submissions")
def submission_list(request: AuthedHttpRequest, filters: Query[SubmissionFilters]) -> Any:
    user = request.user
    require_role(user, REPORT_READERS)
    qs = report_selectors.submissions_for_user(user)
    if filters.year:
        qs = qs.filter(period__year=filters.year)
    if filters.status:
        qs = qs.filter(status=filters.status)
    rows, cursor = keyset_page(qs, order=["-pk"], cursor=filters.cursor, limit=filters.limit)
    return {"items": [submission_out(s) for s in rows], "next_cursor": cursor}


@router.get("/submissions/{submission_id}", response=responses(SubmissionOut), tags=["reports"], summary="One submission")
def submission_detail(request: AuthedHttpRequest, submission_id: int = Path(..., ge=1, le=ID_MAX)) -> Any:
    user = request.user
    require_role(user, REPORT_READERS)
    submission = get_scoped_or_404(report_selectors.submissions_for_user(user), pk=submission_id)
    return submission_out(submission)
