"""Case pages: the list, the case with its timeline and actions, assessment and plan."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from clms.accounts.audit import audit_log
from clms.accounts.http import AuthedHttpRequest
from clms.accounts.models import AuditAction, Role, User
from clms.accounts.policy import Perm, roles
from clms.cases import selectors, services
from clms.cases.calendar import current_calendar, due_soon_limit
from clms.cases.catalogue import service_label
from clms.cases.forms import (
    ACTION_FORMS,
    AssessmentForm,
    CaseFilterForm,
    FollowUpForm,
    PlanForm,
    PlanServiceForm,
)
from clms.cases.models import (
    Assessment,
    Case,
    CasePlan,
    ClosureReason,
    PlanService,
    State,
    StepCode,
)
from clms.core import page_cache
from clms.core.access import get_scoped_or_404, role_required
from clms.core.forms import add_service_errors, service_ok
from clms.core.history import record_history
from clms.core.locking import StaleEdit
from clms.people.models import Child
from clms.people.presenters import decision_summary
from clms.people.selectors import children_for_user
from clms.places.models import AdminUnit, Level
from clms.places.roots import wide_scope_roots
from clms.places.scoping import can_write_unit, unit_q
from clms.places.selectors import communes_for_user, units_for_user
from clms.rules import age_in_years

ACTION_LABELS = {
    "verify": (gettext_lazy("Start verification: initial assessment"), gettext_lazy("Start verification")),
    "emergency": (gettext_lazy("Emergency measures"), gettext_lazy("Record the measures")),
    "assess": (gettext_lazy("Facts confirmed"), gettext_lazy("Confirm and start the detailed assessment")),
    "plan": (gettext_lazy("Submit the plan"), gettext_lazy("Submit the plan for approval")),
    "approve_plan": (gettext_lazy("Approval of the plan"), gettext_lazy("Record the approval")),
    "start_intervention": (gettext_lazy("Intervention"), gettext_lazy("Start the intervention")),
    "start_monitoring": (gettext_lazy("Monitoring"), gettext_lazy("Start monitoring")),
    "close": (gettext_lazy("Close the case"), gettext_lazy("Close the case")),
    "not_confirm": (gettext_lazy("Not confirmed"), gettext_lazy("Close as not confirmed")),
    "reopen": (gettext_lazy("Reopen the case"), gettext_lazy("Reopen")),
    "assign": (gettext_lazy("Officer in charge"), gettext_lazy("Assign")),
}
READERS = roles(Perm.CASE_READ)
WORKERS = roles(Perm.CASE_WORK)
LIST_LIMIT = 200


def officers_for(case: Case) -> Any:
    return User.objects.filter(pk__in=[u.pk for u in services.commune_officers(case.commune)])


def _can_work(user: User, case: Case) -> bool:
    return (user.is_admin or user.role in WORKERS) and can_write_unit(user, case.commune)


def _can_follow_up(user: User, case: Case) -> bool:
    if case.state not in (State.INTERVENING, State.MONITORING):
        return False
    if user.role == Role.COLLABORATOR:
        return case.village is not None and can_write_unit(user, case.village)
    return _can_work(user, case)


@role_required(*READERS, Role.AGENCY_OFFICER)
def case_list(request: AuthedHttpRequest) -> HttpResponse:
    user = request.user
    if user.role == Role.AGENCY_OFFICER:
        return redirect("cases:referrals")
    communes = communes_for_user(user) if user.role != Role.COLLABORATOR else AdminUnit.objects.none()
    villages = units_for_user(user).filter(level=Level.VILLAGE).order_by("parent__name", "name")
    officers = User.objects.filter(
        unit_q(user, "area"), is_active=True, role__in=[Role.COMMUNE_OFFICER, Role.SUPERVISOR]
    ).order_by("full_name", "username")
    filters = CaseFilterForm(request.GET or {"state": "open"}, communes=communes, villages=villages, officers=officers)
    options: dict[str, Any] = {}
    if filters.is_valid():
        options = {
            name: filters.cleaned_data[name] for name in ("state", "due", "mine", "commune", "village", "officer", "q")
        }
    now = timezone.now()
    cases = list(selectors.case_list(user, now=now, **options)[:LIST_LIMIT])
    limit = due_soon_limit(now, current_calendar())
    for case in cases:
        case.next_step = case.pending_steps[0] if case.pending_steps else None  # type: ignore[attr-defined]
        case.badge = selectors.step_badge(case.next_step, now, limit) if case.next_step else ""  # type: ignore[attr-defined]
    audit_log(user=user, action=AuditAction.LIST, object_type="cases.case", object_ids=[c.pk for c in cases],
              request=request)
    return render(request, "cases/case_list.html", {
        "cases": cases, "filters": filters, "limit": LIST_LIMIT,
        "can_report": user.is_admin or user.role in services.REPORT_ROLES,
    })


@role_required(*WORKERS)
def due_list(request: AuthedHttpRequest) -> HttpResponse:
    user = request.user
    # Computed as of the start of the minute: the page shows due times to the minute, and a
    # wide scope's page is rendered once per minute and write to it, shared by its readers
    # (clms/core/page_cache.py).  Every request audits the cases it shows.
    now = timezone.now().replace(second=0, microsecond=0)

    def render_body() -> tuple[str, dict[str, Any]]:
        limit = due_soon_limit(now, current_calendar())
        steps = list(selectors.due_steps(user, now=now)[:LIST_LIMIT])
        # The step's name looked up once per code: get_step_display() hashes the choices on every
        # call (200 rows of a province: ~15 ms).
        labels = {code: str(label) for code, label in StepCode.choices}
        for step in steps:
            step.badge = selectors.step_badge(step, now, limit)  # type: ignore[attr-defined]
            step.label = labels.get(step.step, step.step)  # type: ignore[attr-defined]
        html = render_to_string("cases/_due_body.html", {
            "summary": selectors.due_summary(user, now=now), "steps": steps,
        }, request)
        return html, {"ids": sorted({s.case_id for s in steps})}

    body = page_cache.body(request, "cases:due", roots=lambda: wide_scope_roots(user), render=render_body, extra=now)
    audit_log(user=user, action=AuditAction.LIST, object_type="cases.case",
              object_ids=body.meta["ids"], request=request)
    return render(request, "cases/due_list.html", {"body": body.html})


def _detail_context(request: AuthedHttpRequest, case: Case, bound: dict[str, forms.Form] | None = None) -> dict[str, Any]:
    user = request.user
    now = timezone.now()
    limit = due_soon_limit(now, current_calendar())
    # In the order of the procedure (a plan is drafted before it is approved), whatever the
    # due times say: a local policy may give the approval an earlier deadline than the draft.
    order = {code: index for index, code in enumerate(StepCode.values)}
    steps = sorted(case.steps.all(), key=lambda s: (order.get(s.step, len(order)), s.seq, s.pk))
    for step in steps:
        step.badge = selectors.step_badge(step, now, limit)  # type: ignore[attr-defined]
    assessment = Assessment.objects.filter(case=case).first()
    plan = CasePlan.objects.filter(case=case).first()
    can_work = _can_work(user, case)
    action_forms: dict[str, forms.Form] = {}
    if can_work:
        names = services.allowed_actions(case)
        if case.state == State.PLANNED:
            approved = plan is not None and plan.approved_on is not None
            names = [n for n in names if n != ("approve_plan" if approved else "start_intervention")]
        if case.is_open:
            names.append("assign")
            if case.emergency and not case.emergency_measures:
                names.append("emergency")
        for name in names:
            form_class = ACTION_FORMS[name]
            initial: dict[str, Any] = {"version": case.version}
            if name == "assign":
                initial["officer"] = case.assigned_to_id
                action_forms[name] = form_class(initial=initial, officers=officers_for(case), prefix=name)  # type: ignore[call-arg]
            else:
                if name == "verify":
                    initial["emergency"] = case.emergency
                if name == "close" and case.turned_18:
                    initial["reason"] = ClosureReason.TURNED_18
                action_forms[name] = form_class(initial=initial, prefix=name)
    action_forms.update(bound or {})
    follow_up_form = None
    if _can_follow_up(user, case):
        follow_up_form = bound.get("follow_up") if bound else None
        follow_up_form = follow_up_form or FollowUpForm(initial={"visited_on": timezone.localdate()})
    referrals = list(case.referrals.select_related("provider_unit"))
    for referral in referrals:
        referral.label = service_label(referral.service_type)  # type: ignore[attr-defined]
    return {
        "case": case,
        "case_history": record_history(case),
        "age": age_in_years(case.child.dob, timezone.localdate()),
        "steps": steps,
        "events": case.events.select_related("by"),
        "assessment": assessment,
        "plan": plan,
        "plan_services": [(s, service_label(s.service_type)) for s in plan.services.select_related("provider_unit")] if plan else [],
        "referrals": referrals,
        "follow_ups": case.follow_ups.all(),
        "classification": (latest := selectors.latest_classification(case.child)),
        "classification_summary": decision_summary(latest.category, latest.references) if latest else "",
        "reporter": selectors.reporter_for_user(user, case.report, request=request),
        "reporter_visible": selectors.may_see_reporter(user, case.report),
        "actions": [
            {"name": name, "form": form, "title": ACTION_LABELS[name][0], "button": ACTION_LABELS[name][1]}
            for name, form in action_forms.items()
            if name != "follow_up"
        ],
        "follow_up_form": follow_up_form,
        "can_work": can_work,
        "may_close_resolved": services.may_close_as_resolved(case),
        "follow_up_interval": services.follow_up_interval_text(case),
        # The register page of the child, for those whose area the register lets them read.
        "child_url": reverse("people:detail", args=[case.child_id])
        if children_for_user(user).filter(pk=case.child_id).exists() else "",
        "other_cases": selectors.cases_for_user(user).filter(child=case.child).exclude(pk=case.pk),
    }


def _get_case(request: AuthedHttpRequest, pk: int) -> Case:
    """The case, scoped; every page of a case names its child, so fetching it is an audited read
    (the detail page, the plan and assessment pages, follow-ups, and the error re-renders of actions)."""
    case = get_scoped_or_404(
        selectors.cases_for_user(request.user).select_related(
            "child", "commune", "village", "assigned_to", "report__commune"
        ),
        pk=pk,
    )
    audit_log(user=request.user, action=AuditAction.READ, object_type="cases.case", object_id=case.pk)
    return case


@role_required(*READERS, Role.AGENCY_OFFICER)
def case_detail(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    user = request.user
    if user.role == Role.AGENCY_OFFICER:
        # An agency sees a case only through what was referred to it: show that, not a 403.
        referrals = list(
            selectors.referrals_for_user(user).filter(case_id=pk)
            .select_related("case__child", "case__commune", "provider_unit", "sent_by").order_by("-sent_at")
        )
        if not referrals:
            raise Http404  # outsiders get 404: a case not referred to this agency is not its own
        for referral in referrals:
            referral.label = service_label(referral.service_type)  # type: ignore[attr-defined]
        case = referrals[0].case
        audit_log(user=user, action=AuditAction.READ, object_type="cases.case", object_id=case.pk, request=request,
                  detail={"as": "agency", "referrals": [r.pk for r in referrals]})
        return render(request, "cases/case_for_agency.html", {
            "case": case, "referrals": referrals, "age": age_in_years(case.child.dob, timezone.localdate()),
        })
    case = _get_case(request, pk)
    return render(request, "cases/case_detail.html", _detail_context(request, case))


Handler = Callable[[Any, Case, dict[str, Any]], Any]

ACTION_HANDLERS: dict[str, Handler] = {
    "verify": lambda u, c, d: services.case_verify(
        user=u, case=c, version=d["version"], initial_risk=d["initial_risk"], initial_note=d["initial_note"],
        emergency=d["emergency"], emergency_measures=d["emergency_measures"],
    ),
    "emergency": lambda u, c, d: services.case_record_emergency(
        user=u, case=c, version=d["version"], measures=d["measures"]
    ),
    "assess": lambda u, c, d: services.case_assess(user=u, case=c, version=d["version"], note=d["note"]),
    "plan": lambda u, c, d: services.case_plan(user=u, case=c, version=d["version"]),
    "approve_plan": lambda u, c, d: services.case_approve_plan(
        user=u, case=c, version=d["version"], approved_on=d["approved_on"], decision_number=d["decision_number"],
        approver_name=d["approver_name"],
    ),
    "start_intervention": lambda u, c, d: services.case_start_intervention(user=u, case=c, version=d["version"]),
    "start_monitoring": lambda u, c, d: services.case_start_monitoring(user=u, case=c, version=d["version"]),
    "close": lambda u, c, d: services.case_close(
        user=u, case=c, version=d["version"], reason=d["reason"], note=d["note"]
    ),
    "not_confirm": lambda u, c, d: services.case_not_confirm(user=u, case=c, version=d["version"], note=d["note"]),
    "reopen": lambda u, c, d: services.case_reopen(user=u, case=c, version=d["version"], note=d["note"]),
    "assign": lambda u, c, d: services.case_assign(user=u, case=c, version=d["version"], officer=d["officer"]),
}


@require_POST
@role_required(*WORKERS)
def case_action(request: AuthedHttpRequest, pk: int, action: str) -> HttpResponse:
    case = _get_case(request, pk)
    if action not in ACTION_HANDLERS:
        return HttpResponse(status=404)
    form_class = ACTION_FORMS[action]
    if action == "assign":
        form: forms.Form = form_class(request.POST, officers=officers_for(case), prefix=action)  # type: ignore[call-arg]
    else:
        # Each action's form has its own prefix: the case page shows several at once.
        form = form_class(request.POST, prefix=action)
    if form.is_valid():
        if service_ok(form, lambda: ACTION_HANDLERS[action](request.user, case, form.cleaned_data)):
            messages.success(request, _("Saved."))
            return redirect("cases:detail", pk=case.pk)
        case.refresh_from_db()
    return render(request, "cases/case_detail.html", _detail_context(request, case, {action: form}), status=400)


@require_POST
@role_required(*READERS)
def follow_up_new(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    case = _get_case(request, pk)
    form = FollowUpForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.follow_up_record(
                user=request.user, case=case, visited_on=data["visited_on"], still_working=data["still_working"],
                school_status=data["school_status"], activity=data["activity"], work=data["work"], note=data["note"],
                observation_fields=form.observation_fields(),
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Follow-up visit recorded."))
            return redirect("cases:detail", pk=case.pk)
    return render(request, "cases/case_detail.html", _detail_context(request, case, {"follow_up": form}), status=400)


@role_required(*WORKERS)
def assessment_edit(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    case = _get_case(request, pk)
    assessment = get_scoped_or_404(Assessment.objects.filter(case=case))
    if request.method == "POST":
        form = AssessmentForm(request.POST)
        if form.is_valid():
            data = dict(form.cleaned_data)
            if service_ok(form, lambda: services.assessment_save(user=request.user, case=case, **data)):
                messages.success(request, _("Assessment saved."))
                return redirect("cases:detail", pk=case.pk)
    else:
        audit_log(user=request.user, action=AuditAction.READ, object_type="cases.assessment", object_id=case.pk,
                  request=request)
        initial = {name: getattr(assessment, name) for name in services.ASSESSMENT_FIELDS}
        initial.update(version=assessment.version, risk_level=assessment.risk_level,
                       needs_meeting_on=assessment.needs_meeting_on, complete=assessment.completed_at is not None)
        form = AssessmentForm(initial=initial)
    return render(request, "cases/assessment_form.html", {
        "case": case, "form": form, "assessment": assessment,
        "classification": (latest := selectors.latest_classification(case.child)),
        "classification_summary": decision_summary(latest.category, latest.references) if latest else "",
        "editable": case.state == State.ASSESSED and _can_work(request.user, case),
    })


def _provider_units(case: Case) -> Any:
    ancestors = [int(pk) for pk in case.commune.path.strip("/").split("/") if pk]
    return AdminUnit.objects.filter(pk__in=ancestors).exclude(level=Level.VILLAGE).order_by("-path")


@role_required(*WORKERS)
def plan_edit(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    case = _get_case(request, pk)
    plan = CasePlan.objects.filter(case=case).first()
    editable = case.state == State.ASSESSED and _can_work(request.user, case)
    plan_form = PlanForm(initial={
        "version": plan.version if plan else None, "goals": plan.goals if plan else "",
        "drafted_on": plan.drafted_on if plan else timezone.localdate(),
    })
    service_form = PlanServiceForm(units=_provider_units(case), initial={"provider_unit": case.commune_id})
    if request.method == "POST" and editable:
        try:
            if "add_service" in request.POST:
                service_form = PlanServiceForm(request.POST, units=_provider_units(case))
                if service_form.is_valid():
                    services.plan_service_add(user=request.user, case=case, **service_form.cleaned_data)
                    messages.success(request, _("Service added to the plan."))
                    return redirect("cases:plan", pk=case.pk)
            else:
                plan_form = PlanForm(request.POST)
                if plan_form.is_valid():
                    services.plan_save(user=request.user, case=case, **plan_form.cleaned_data)
                    messages.success(request, _("Plan saved."))
                    return redirect("cases:plan", pk=case.pk)
        except StaleEdit:
            plan_form.add_error(None, StaleEdit.message)
        except ValidationError as exc:
            add_service_errors(service_form if "add_service" in request.POST else plan_form, exc)
    return render(request, "cases/plan_form.html", {
        "case": case, "plan": plan, "plan_form": plan_form, "service_form": service_form, "editable": editable,
        "plan_services": [(s, service_label(s.service_type)) for s in plan.services.select_related("provider_unit")] if plan else [],
        "assessment": Assessment.objects.filter(case=case).first(),
    })


@require_POST
@role_required(*WORKERS)
def plan_service_delete(request: AuthedHttpRequest, pk: int, service_pk: int) -> HttpResponse:
    case = _get_case(request, pk)
    service = get_scoped_or_404(PlanService.objects.filter(plan__case=case).select_related("plan"), pk=service_pk)
    try:
        services.plan_service_remove(user=request.user, case=case, service=service)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("cases:plan", pk=case.pk)


@require_POST
@role_required(*WORKERS)
def open_for_child(request: AuthedHttpRequest, child_pk: int) -> HttpResponse:
    child: Child = get_scoped_or_404(children_for_user(request.user), pk=child_pk)
    try:
        case = services.case_open_for_child(user=request.user, child=child)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("cases:list")
    messages.success(request, _("Case opened."))
    return redirect("cases:detail", pk=case.pk)
