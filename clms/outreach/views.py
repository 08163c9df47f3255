"""Pages of outreach: activities, their attendance lists and the calendar."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet, Sum
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from clms.accounts.audit import audit_log
from clms.accounts.http import AuthedHttpRequest
from clms.accounts.models import AuditAction
from clms.accounts.policy import Perm, roles
from clms.core import once
from clms.core.access import get_scoped_or_404, role_required
from clms.core.forms import add_service_errors, run_service
from clms.outreach import selectors, services
from clms.outreach.forms import ActivityFilterForm, ActivityForm, AttendeeForm
from clms.outreach.models import ActivityKind, OutreachActivity, PrintedQuantity, Reach
from clms.places.models import Level
from clms.places.selectors import administrative_units_for_user
from clms.plans.models import ContentArea, PlanLevel
from clms.plans.selectors import plans_for_user

if TYPE_CHECKING:
    from clms.accounts.models import User

READERS = roles(Perm.OUTREACH_READ)
WRITERS = roles(Perm.OUTREACH_WRITE)




def _today() -> dt.date:
    return dt.date.today()  # noqa: DTZ011 - the local calendar date


def _content_areas(user: User) -> QuerySet[ContentArea]:
    plans = plans_for_user(user).exclude(scope_level=PlanLevel.NATIONAL)
    return ContentArea.objects.filter(plan__in=plans, code__startswith="III").select_related("plan").order_by("plan_id", "order")


@role_required(*READERS)
def activity_list(request: AuthedHttpRequest) -> HttpResponse:
    user = request.user
    filters = ActivityFilterForm(request.GET or None, units=administrative_units_for_user(user))
    activities = selectors.activities_for_user(user)
    if filters.is_valid():
        data = filters.cleaned_data
        if data.get("year"):
            activities = activities.filter(starts_on__year=data["year"])
        if data.get("unit"):
            activities = activities.filter(unit__path__startswith=data["unit"].path)
        if data.get("kind"):
            activities = activities.filter(kind=data["kind"])
    activities = activities.annotate(reached=Sum("reach__count"))
    return render(
        request,
        "outreach/activity_list.html",
        {"activities": activities[:300], "filters": filters, "can_write": user.role in WRITERS or user.is_admin},
    )


def _form_page(request: AuthedHttpRequest, activity: OutreachActivity | None) -> HttpResponse:
    user = request.user
    initial: dict[str, Any] = {"version": activity.version} if activity else {}
    if activity is None:
        initial["kind"] = request.GET.get("kind") if request.GET.get("kind") in ActivityKind.values else None
        if user.area is not None and user.area.level != Level.VILLAGE:
            initial["unit"] = user.area
    form = ActivityForm(
        request.POST or None,
        instance=activity,
        initial=initial,
        units=administrative_units_for_user(user),
        content_areas=_content_areas(user),
        lock_agency=user.role == "agency_officer",
    )
    if request.method == "POST" and form.is_valid():
        values = form.activity_values()
        reach, printed = form.reach_values(), form.printed_values()
        if activity is None:
            saved = run_service(form, lambda: services.activity_create(user=user, reach=reach, printed=printed, **values))
            action = AuditAction.CREATE
        else:
            stored = OutreachActivity.objects.select_related("unit").get(pk=activity.pk)
            version = form.cleaned_data["version"] or 0
            saved = run_service(form, lambda: services.activity_update(
                user=user, activity=stored, version=version, reach=reach, printed=printed, **values,
            ))
            action = AuditAction.UPDATE
        if saved is not None:
            audit_log(user=user, action=action, object_type="outreach.activity", object_id=saved.pk, request=request)
            messages.success(request, _("Activity saved."))
            return redirect("outreach:detail", pk=saved.pk)
    return render(request, "outreach/activity_form.html", {"form": form, "activity": activity})


@role_required(*WRITERS)
def activity_create(request: AuthedHttpRequest) -> HttpResponse:
    return _form_page(request, None)


@role_required(*WRITERS)
def activity_edit(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    activity = get_scoped_or_404(selectors.activities_for_user(request.user), pk=pk)
    if not selectors.can_write_activity(request.user, activity):
        raise PermissionDenied
    return _form_page(request, activity)


def _attendance_context(request: AuthedHttpRequest, activity: OutreachActivity, form: AttendeeForm | None = None) -> dict[str, Any]:
    user = request.user
    attendees = list(selectors.attendees_for_user(user).filter(activity=activity))
    if attendees:
        audit_log(
            user=user, action=AuditAction.LIST, object_type="outreach.attendee",
            object_ids=[a.pk for a in attendees], request=request, detail={"activity": activity.pk},
        )
    can_write = selectors.can_write_activity(user, activity)
    if form is None and can_write:
        form = AttendeeForm(employers=selectors.employers_for_attendance(user), units=administrative_units_for_user(user))
    return {"activity": activity, "attendees": attendees, "attendee_form": form, "can_write": can_write}


@role_required(*READERS)
def activity_detail(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    user = request.user
    activity = get_scoped_or_404(selectors.activities_for_user(user), pk=pk)
    context = {
        "reach": Reach.objects.filter(activity=activity).order_by("group"),
        "printed": PrintedQuantity.objects.filter(activity=activity).order_by("product"),
        "show_attendance": activity.kind == ActivityKind.TRAINING and user.role != "province_viewer",
    }
    if context["show_attendance"]:
        context.update(_attendance_context(request, activity))
    else:
        context.update({"activity": activity, "can_write": selectors.can_write_activity(user, activity)})
    return render(request, "outreach/activity_detail.html", context)


def _attendance_response(request: AuthedHttpRequest, activity: OutreachActivity, form: AttendeeForm | None = None) -> HttpResponse:
    if request.htmx:
        return render(request, "outreach/_attendance.html", _attendance_context(request, activity, form))
    if form is not None and form.errors:
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, str(error))
    return redirect("outreach:detail", pk=activity.pk)


@role_required(*WRITERS)
def attendee_add(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    user = request.user
    activity = get_scoped_or_404(selectors.activities_for_user(user), pk=pk)
    if not selectors.can_write_activity(user, activity):
        raise PermissionDenied
    if request.method != "POST":
        return redirect("outreach:detail", pk=activity.pk)
    form = AttendeeForm(request.POST, employers=selectors.employers_for_attendance(user), units=administrative_units_for_user(user))
    if form.is_valid():
        data = form.cleaned_data
        try:
            attendee = services.attendee_add(
                user=user, activity=activity, group=data["group"], full_name=data["full_name"],
                position=data["position"], person_unit=data["person_unit"], employer=data["employer"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            audit_log(user=user, action=AuditAction.CREATE, object_type="outreach.attendee", object_id=attendee.pk, request=request)
            once.accepted(request)
            form = None  # type: ignore[assignment]
    return _attendance_response(request, activity, form)


@role_required(*WRITERS)
def attendee_remove(request: AuthedHttpRequest, pk: int, attendee_pk: int) -> HttpResponse:
    user = request.user
    activity = get_scoped_or_404(selectors.activities_for_user(user), pk=pk)
    attendee = get_scoped_or_404(selectors.attendees_for_user(user).filter(activity=activity), pk=attendee_pk)
    if request.method != "POST":
        return redirect("outreach:detail", pk=activity.pk)
    services.attendee_remove(user=user, attendee=attendee)
    audit_log(user=user, action=AuditAction.DELETE, object_type="outreach.attendee", object_id=attendee_pk, request=request)
    once.accepted(request)
    return _attendance_response(request, activity)


@role_required(*READERS)
def calendar_view(request: AuthedHttpRequest) -> HttpResponse:
    today = _today()
    try:
        year, month = (int(part) for part in request.GET.get("month", "").split("-"))
        dt.date(year, month, 1)
    except ValueError:
        year, month = today.year, today.month
    context = {"cal": selectors.month_calendar(request.user, year, month), "today": today}
    template = "outreach/_calendar.html" if request.htmx else "outreach/calendar.html"
    return render(request, template, context)
