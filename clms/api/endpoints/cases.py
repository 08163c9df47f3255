"""Reports, cases (transitions as actions, steps with due times) and referrals."""

from __future__ import annotations

import datetime as dt
from enum import Enum
from typing import Annotated, Any

from django.utils import timezone
from ninja import Path, Query, Router, Schema, Status
from pydantic import Field

from clms.accounts.http import AuthedHttpRequest
from clms.accounts.models import AuditAction, Role
from clms.api.common import ID_MAX, NO_NUL, Page, audit, conflict, require_role, responses
from clms.api.errors import ApiError
from clms.api.formbridge import bound_form, check, posted_data
from clms.api.pagination import DEFAULT_LIMIT, MAX_LIMIT, keyset_page
from clms.cases import selectors, services
from clms.cases.forms import ACTION_FORMS, ReferralAnswerForm
from clms.cases.models import (
    Case,
    ClosureReason,
    Referral,
    ReferralStatus,
    RiskLevel,
    Source,
    State,
)
from clms.cases.views_cases import ACTION_HANDLERS, READERS, WORKERS, officers_for
from clms.cases.views_referrals import READERS as REFERRAL_READERS
from clms.cases.views_reports import REPORTERS, report_form
from clms.core.access import get_scoped_or_404
from clms.core.locking import StaleEdit
from clms.people.models import Sex

router = Router(tags=["cases"])

CaseAction = Enum("CaseAction", {name: name for name in ACTION_HANDLERS}, type=str)  # type: ignore[misc]
ReportSource = Enum("ReportSource", {v: v for v in Source.values if v != Source.REGISTER}, type=str)  # type: ignore[misc]


class StepOut(Schema):
    step: str
    seq: int
    started_at: dt.datetime
    due_at: dt.datetime = Field(description="the statutory or local due time")
    done_at: dt.datetime | None
    cancelled_at: dt.datetime | None
    statutory: bool
    overdue: bool
    rule: str


class CaseOut(Schema):
    id: int
    child_id: int
    commune_id: int
    village_id: int | None
    state: str
    emergency: bool
    received_at: dt.datetime
    assigned_to_id: int | None
    closure_reason: str
    closed_at: dt.datetime | None
    version: int


class CaseDetail(CaseOut):
    initial_risk: str
    initial_note: str
    emergency_measures: str
    closure_note: str
    allowed_actions: list[str]
    steps: list[StepOut]


class CasePage(Page):
    items: list[CaseOut]


class CaseFilters(Schema):
    state: State | None = None
    open: bool | None = Field(None, description="true: only open cases")
    commune: int | None = Field(None, ge=1, le=ID_MAX)
    child: int | None = Field(None, ge=1, le=ID_MAX)
    cursor: str | None = Field(None, pattern=NO_NUL, min_length=1, max_length=400)
    limit: int = Field(DEFAULT_LIMIT, ge=1, le=MAX_LIMIT)


class ActionIn(Schema):
    """Fields of every action; each action reads the ones its page form has."""

    version: int = Field(..., ge=0, le=ID_MAX)
    initial_risk: RiskLevel | None = Field(None, description="verify")
    initial_note: str | None = Field(None, pattern=NO_NUL, max_length=5000, description="verify")
    emergency: bool | None = Field(None, description="verify")
    emergency_measures: str | None = Field(None, pattern=NO_NUL, max_length=5000, description="verify")
    measures: str | None = Field(None, pattern=NO_NUL, max_length=5000, description="emergency")
    note: str | None = Field(None, pattern=NO_NUL, max_length=5000, description="assess, close, not_confirm, reopen")
    approved_on: dt.date | None = Field(None, description="approve_plan")
    decision_number: str | None = Field(None, pattern=NO_NUL, max_length=40, description="approve_plan")
    approver_name: str | None = Field(None, pattern=NO_NUL, max_length=150, description="approve_plan")
    reason: ClosureReason | None = Field(None, description="close")
    officer: int | None = Field(None, ge=1, le=ID_MAX, description="assign: user id of a commune officer")


class NewChildIn(Schema):
    full_name: str = Field(..., pattern=NO_NUL, max_length=150)
    sex: Sex
    dob: dt.date
    dob_estimated: bool = False


class ReportIn(Schema):
    """A report (thông báo, tin báo) of a child in or at risk of child labour."""

    source: ReportSource
    received_at: dt.datetime = Field(description="when the report was received, e.g. 2026-03-02T08:30:00+07:00")
    what_seen: str = Field(..., pattern=NO_NUL, max_length=5000)
    emergency: bool = False
    commune: int | None = Field(None, ge=1, le=ID_MAX)
    village: int | None = Field(None, ge=1, le=ID_MAX)
    children: list[Annotated[int, Field(ge=1, le=ID_MAX)]] = Field(default_factory=list, max_length=20, description="ids of children already on the register")
    new_child: NewChildIn | None = None
    confirm_new: bool = False
    reporter_name: str | None = Field(None, pattern=NO_NUL, max_length=150)
    reporter_phone: str | None = Field(None, pattern=NO_NUL, max_length=20)
    reporter_relationship: str | None = Field(None, pattern=NO_NUL, max_length=100)


class ReportOut(Schema):
    id: int
    commune_id: int
    received_at: dt.datetime
    case_ids: list[int] = Field(description="empty for reporters who may not read cases (agencies)")


class ReferralOut(Schema):
    id: int
    case_id: int
    child_name: str
    child_age: int
    commune_id: int
    service_type: str
    agency: str
    provider_unit_id: int
    description: str
    due_on: dt.date | None
    status: str
    sent_at: dt.datetime
    answered_at: dt.datetime | None
    delivered_on: dt.date | None
    refusal_reason: str
    answer_note: str
    version: int


class ReferralPage(Page):
    items: list[ReferralOut]


class ReferralFilters(Schema):
    status: ReferralStatus | None = None
    open: bool | None = Field(None, description="true: sent or accepted, not yet answered for good")
    cursor: str | None = Field(None, pattern=NO_NUL, min_length=1, max_length=400)
    limit: int = Field(DEFAULT_LIMIT, ge=1, le=MAX_LIMIT)


class ReferralAnswerIn(Schema):
    version: int = Field(..., ge=0, le=ID_MAX)
    status: ReferralStatus
    delivered_on: dt.date | None = None
    refusal_reason: str | None = Field(None, pattern=NO_NUL, max_length=5000)
    note: str | None = Field(None, pattern=NO_NUL, max_length=5000)


def case_out(c: Case) -> dict[str, Any]:
    return {
        "id": c.pk, "child_id": c.child_id, "commune_id": c.commune_id, "village_id": c.village_id,
        "state": c.state, "emergency": c.emergency, "received_at": c.received_at,
        "assigned_to_id": c.assigned_to_id, "closure_reason": c.closure_reason, "closed_at": c.closed_at,
        "version": c.version,
    }


def case_detail_out(c: Case) -> dict[str, Any]:
    now = timezone.now()
    steps = [
        {"step": s.step, "seq": s.seq, "started_at": s.started_at, "due_at": s.due_at, "done_at": s.done_at,
         "cancelled_at": s.cancelled_at, "statutory": s.statutory, "rule": s.rule,
         "overdue": s.cancelled_at is None and (s.done_at or now) > s.due_at}
        for s in c.steps.order_by("due_at", "pk")
    ]
    return {
        **case_out(c), "initial_risk": c.initial_risk, "initial_note": c.initial_note,
        "emergency_measures": c.emergency_measures, "closure_note": c.closure_note,
        "allowed_actions": services.allowed_actions(c), "steps": steps,
    }


def _get_case(request: AuthedHttpRequest, case_id: int) -> Case:
    return get_scoped_or_404(
        selectors.cases_for_user(request.user).select_related("child", "commune", "village", "assigned_to"),
        pk=case_id,
    )


@router.get("/cases", response=responses(CasePage), summary="Cases the user may read, newest first")
def case_list(request: AuthedHttpRequest, filters: Query[CaseFilters]) -> Any:
    user = request.user
    require_role(user, READERS)
    qs = selectors.cases_for_user(user)
    if filters.state:
        qs = qs.filter(state=filters.state)
    if filters.open:
        qs = qs.filter(state__in=[s for s in State.values if s not in (State.CLOSED, State.NOT_CONFIRMED)])
    if filters.commune:
        qs = qs.filter(commune_id=filters.commune)
    if filters.child:
        qs = qs.filter(child_id=filters.child)
    rows, cursor = keyset_page(qs, order=["-received_at", "-pk"], cursor=filters.cursor, limit=filters.limit)
    audit(request, AuditAction.LIST, "cases.case", object_ids=[c.pk for c in rows])
    return {"items": [case_out(c) for c in rows], "next_cursor": cursor}


@router.get("/cases/{case_id}", response=responses(CaseDetail), summary="One case with its steps and due times")
def case_detail(request: AuthedHttpRequest, case_id: int = Path(..., ge=1, le=ID_MAX)) -> Any:
    user = request.user
    require_role(user, READERS)
    case = _get_case(request, case_id)
    audit(request, AuditAction.READ, "cases.case", object_id=case.pk)
    return case_detail_out(case)


@router.post("/cases/{case_id}/actions/{action}", response=responses(CaseDetail),
             summary="Move a case on: verify, assess, plan, approve_plan, start_intervention, start_monitoring, close, not_confirm, reopen, emergency, assign")
def case_action(request: AuthedHttpRequest, payload: ActionIn, action: CaseAction,
                case_id: int = Path(..., ge=1, le=ID_MAX)) -> Any:
    user = request.user
    require_role(user, WORKERS)
    case = _get_case(request, case_id)
    name = str(action.value)
    values = payload.model_dump(exclude_unset=True)
    form_class = ACTION_FORMS[name]
    kwargs: dict[str, Any] = {"prefix": name}
    if name == "assign":
        kwargs["officers"] = officers_for(case)
    form = bound_form(form_class, values, **kwargs)
    check(form)
    try:
        ACTION_HANDLERS[name](user, case, form.cleaned_data)
    except StaleEdit:
        raise conflict(case, payload.version) from None
    audit(request, AuditAction.UPDATE, "cases.case", object_id=case.pk, detail={"action": name})
    case.refresh_from_db()
    return case_detail_out(case)


@router.post("/reports", response=responses(ReportOut, 201),
             summary="File a report of a child (a school, the police, a collaborator…); opens a case per child")
def report_create(request: AuthedHttpRequest, payload: ReportIn) -> Any:
    user = request.user
    require_role(user, REPORTERS)
    local = timezone.localtime(payload.received_at) if timezone.is_aware(payload.received_at) else payload.received_at
    values: dict[str, Any] = {
        "source": payload.source.value, "received_on": local.date(), "received_time": local.strftime("%H:%M"),
        "emergency": payload.emergency, "what_seen": payload.what_seen, "commune": payload.commune,
        "village": payload.village, "children": payload.children, "confirm_new": payload.confirm_new,
        "reporter_name": payload.reporter_name, "reporter_phone": payload.reporter_phone,
        "reporter_relationship": payload.reporter_relationship,
    }
    if payload.new_child is not None:
        values.update(new_name=payload.new_child.full_name, new_sex=payload.new_child.sex.value,
                      new_dob=payload.new_child.dob, new_dob_estimated=payload.new_child.dob_estimated)
    form = report_form(request, posted_data(report_form(request), values))
    check(form)
    data = form.cleaned_data
    new = []
    if data["new_name"]:
        new.append(services.NewChild(full_name=data["new_name"], sex=data["new_sex"], dob=data["new_dob"],
                                     village=data["village"], dob_estimated=data["new_dob_estimated"]))
    try:
        report = services.report_file(
            user=user, source=data["source"], received_at=data["received_at"], what_seen=data["what_seen"],
            emergency=data["emergency"], children=list(data["children"]), new_children=new, commune=data["commune"],
            reporter_name=data["reporter_name"], reporter_phone=data["reporter_phone"],
            reporter_relationship=data["reporter_relationship"], confirm_new=data["confirm_new"],
        )
    except services.PossibleDuplicates as exc:
        raise ApiError(422, " ".join(exc.messages), field="confirm_new") from None
    visible = user.role != Role.AGENCY_OFFICER
    case_ids = list(report.cases.order_by("pk").values_list("pk", flat=True)) if visible else []
    audit(request, AuditAction.CREATE, "cases.report", object_id=report.pk, detail={"cases": case_ids})
    return Status(201, {"id": report.pk, "commune_id": report.commune_id, "received_at": report.received_at, "case_ids": case_ids})


def referral_out(r: Referral) -> dict[str, Any]:
    from clms.rules import age_in_years

    return {
        "id": r.pk, "case_id": r.case_id, "child_name": r.case.child.full_name,
        "child_age": age_in_years(r.case.child.dob, timezone.localdate()), "commune_id": r.case.commune_id,
        "service_type": r.service_type, "agency": r.agency, "provider_unit_id": r.provider_unit_id,
        "description": r.description, "due_on": r.due_on, "status": r.status, "sent_at": r.sent_at,
        "answered_at": r.answered_at, "delivered_on": r.delivered_on, "refusal_reason": r.refusal_reason,
        "answer_note": r.answer_note, "version": r.version,
    }


@router.get("/referrals", response=responses(ReferralPage), tags=["referrals"],
            summary="Referrals: an agency sees those addressed to it")
def referral_list(request: AuthedHttpRequest, filters: Query[ReferralFilters]) -> Any:
    user = request.user
    require_role(user, REFERRAL_READERS)
    qs = selectors.referrals_for_user(user).select_related("case__child")
    if filters.open:
        qs = qs.filter(status__in=[ReferralStatus.SENT, ReferralStatus.ACCEPTED])
    if filters.status:
        qs = qs.filter(status=filters.status)
    rows, cursor = keyset_page(qs, order=["-sent_at", "-pk"], cursor=filters.cursor, limit=filters.limit)
    audit(request, AuditAction.LIST, "cases.referral", object_ids=[r.pk for r in rows])
    return {"items": [referral_out(r) for r in rows], "next_cursor": cursor}


@router.get("/referrals/{referral_id}", response=responses(ReferralOut), tags=["referrals"], summary="One referral")
def referral_detail(request: AuthedHttpRequest, referral_id: int = Path(..., ge=1, le=ID_MAX)) -> Any:
    user = request.user
    require_role(user, REFERRAL_READERS)
    referral = get_scoped_or_404(selectors.referrals_for_user(user).select_related("case__child"), pk=referral_id)
    audit(request, AuditAction.READ, "cases.referral", object_id=referral.pk)
    return referral_out(referral)


@router.post("/referrals/{referral_id}/answer", response=responses(ReferralOut), tags=["referrals"],
             summary="The provider agency accepts, delivers or refuses the service")
def referral_answer(request: AuthedHttpRequest, payload: ReferralAnswerIn,
                    referral_id: int = Path(..., ge=1, le=ID_MAX)) -> Any:
    user = request.user
    require_role(user, REFERRAL_READERS)
    referral = get_scoped_or_404(selectors.referrals_for_user(user).select_related("case__child"), pk=referral_id)
    form = bound_form(ReferralAnswerForm, payload.model_dump(exclude_unset=True))
    check(form)
    try:
        services.referral_answer(user=user, referral=referral, **form.cleaned_data)
    except StaleEdit:
        raise conflict(referral, payload.version) from None
    referral.refresh_from_db()
    return referral_out(referral)
