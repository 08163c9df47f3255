"""Pages of the plan: list, detail and a commune's own plan."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Prefetch
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from clms.accounts.audit import audit_log
from clms.accounts.http import AuthedHttpRequest
from clms.accounts.models import AuditAction
from clms.accounts.policy import Perm, may, roles
from clms.core.access import get_scoped_or_404, role_required
from clms.core.forms import add_service_errors
from clms.core.locking import StaleEdit
from clms.places.models import Level
from clms.plans import selectors, services
from clms.plans.forms import CommunePlanForm
from clms.plans.models import Indicator, Plan, PlanAgency, PlanLevel, Target, Task

ALL_ROLES = roles(Perm.PLAN_READ)




def _this_year() -> int:
    return dt.date.today().year  # noqa: DTZ011 - the local calendar year


def _target_rows(applicable: selectors.ApplicableTargets) -> list[dict[str, Any]]:
    rows = []
    for code, label in Indicator.choices:
        local, national = applicable.local.get(code), applicable.national.get(code)
        if local or national:
            rows.append({"code": code, "label": label, "local": local, "national": national})
    return rows


@role_required(*ALL_ROLES)
def plan_list(request: AuthedHttpRequest) -> HttpResponse:
    user = request.user
    plans = (
        selectors.plans_for_user(user)
        .select_related("parent", "scope_unit")
        .annotate(target_count=Count("targets", distinct=True), agency_count=Count("agencies", distinct=True))
        .order_by("period_start", "scope_level", "pk")
    )
    year = _this_year()
    applicable = None
    own_plan = parent = None
    area = user.area
    if area is not None and area.level != Level.VILLAGE:
        applicable = selectors.applicable_targets(area, year)
    elif area is not None and area.parent is not None:
        applicable = selectors.applicable_targets(area.parent, year)
    if area is not None and area.level == Level.COMMUNE and may(user, Perm.PLAN_WRITE, area):
        own_plan = selectors.commune_plan(area, year)
        parent = None if own_plan else selectors.parent_for_commune_plan(area, year)
    return render(
        request,
        "plans/plan_list.html",
        {
            "plans": plans,
            "year": year,
            "applicable": applicable,
            "target_rows": _target_rows(applicable) if applicable else [],
            "own_plan": own_plan,
            "adopt_from": parent,
        },
    )


@role_required(*ALL_ROLES)
def plan_detail(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    user = request.user
    plan = get_scoped_or_404(selectors.plans_for_user(user).select_related("parent", "scope_unit"), pk=pk)
    agencies = (
        PlanAgency.objects.filter(plan=plan)
        .select_related("predecessor")
        .prefetch_related(Prefetch("tasks", queryset=Task.objects.order_by("order")))
    )
    children = selectors.plans_for_user(user).filter(parent=plan).select_related("scope_unit")
    can_edit = (
        plan.scope_level == PlanLevel.COMMUNE
        and plan.scope_unit_id == user.area_id
        and may(user, Perm.PLAN_WRITE, plan.scope_unit)
    )
    return render(
        request,
        "plans/plan_detail.html",
        {
            "plan": plan,
            "unit": selectors.plan_unit(plan),
            "areas": plan.content_areas.all(),
            "targets": Target.objects.filter(plan=plan).select_related("content_area").order_by("year", "indicator"),
            "agencies": agencies,
            "children": children,
            "can_edit": can_edit,
        },
    )


def _commune_plan_form_page(
    request: AuthedHttpRequest, *, parent: Plan, plan: Plan | None
) -> HttpResponse:
    user = request.user
    commune = user.area
    if commune is None:  # only an officer of a commune has a commune plan
        raise PermissionDenied
    parent_targets = list(Target.objects.filter(plan=parent).order_by("year", "indicator"))
    # Editing starts from the commune's current targets, keyed like the parent's.
    current = {(t.indicator, t.year): t for t in plan.targets.all()} if plan else None
    initial = {"version": plan.version, "number": plan.number, "issued_on": plan.issued_on} if plan else {}
    form = CommunePlanForm(request.POST or None, parent_targets=parent_targets, current=current, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            if plan is None:
                saved = services.commune_plan_create(
                    user=user, commune=commune, parent=parent, number=data["number"],
                    issued_on=data["issued_on"], targets=form.target_inputs(),
                )
                action = AuditAction.CREATE
            else:
                saved = services.commune_plan_update(
                    user=user, plan=plan, version=data["version"] or 0, number=data["number"],
                    issued_on=data["issued_on"], targets=form.target_inputs(),
                )
                action = AuditAction.UPDATE
        except ValidationError as exc:
            add_service_errors(form, exc, on_top=("targets", "parent"))
        except StaleEdit as stale:
            form.add_error(None, str(stale.message))
        else:
            audit_log(user=user, action=action, object_type="plans.plan", object_id=saved.pk, request=request)
            messages.success(request, _("The commune plan was saved."))
            return redirect("plans:detail", pk=saved.pk)
    return render(
        request,
        "plans/commune_plan_form.html",
        {"form": form, "parent": parent, "plan": plan, "commune": commune},
    )


@role_required(*roles(Perm.PLAN_WRITE))
def commune_plan_create(request: AuthedHttpRequest) -> HttpResponse:
    user = request.user
    if user.area is None or user.area.level != Level.COMMUNE:
        return redirect("plans:list")
    year = _this_year()
    existing = selectors.commune_plan(user.area, year)
    if existing is not None:
        return redirect("plans:edit", pk=existing.pk)
    parent = selectors.parent_for_commune_plan(user.area, year)
    if parent is None:
        messages.error(request, _("No district or province plan covers your commune for this year."))
        return redirect("plans:list")
    return _commune_plan_form_page(request, parent=parent, plan=None)


@role_required(*roles(Perm.PLAN_WRITE))
def commune_plan_edit(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    user = request.user
    plan = get_scoped_or_404(
        selectors.plans_for_user(user).filter(scope_level=PlanLevel.COMMUNE, scope_unit=user.area_id).select_related("parent"),
        pk=pk,
    )
    assert plan.parent is not None  # noqa: S101 - a commune plan is always made from a parent
    return _commune_plan_form_page(request, parent=plan.parent, plan=plan)
