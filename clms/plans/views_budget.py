"""Pages of the budget lines and the pilot models."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any, TypeVar

from django import forms
from django.contrib import messages
from django.db.models import Model, QuerySet
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from clms.accounts.audit import audit_log
from clms.accounts.http import AuthedHttpRequest
from clms.accounts.models import AuditAction
from clms.accounts.policy import Perm, roles
from clms.core.access import get_scoped_or_404, role_required
from clms.core.forms import run_service
from clms.places.models import AdminUnit, Level
from clms.places.scoping import unit_q
from clms.places.selectors import administrative_units_for_user
from clms.plans import selectors, services
from clms.plans.forms import BudgetFilterForm, BudgetLineForm, PilotFilterForm, PilotModelForm
from clms.plans.models import BudgetLine, PilotModel, Plan, PlanLevel

if TYPE_CHECKING:
    from clms.accounts.models import User

BUDGET_READERS = roles(Perm.BUDGET_READ)
PILOT_READERS = roles(Perm.PILOT_READ)
WRITERS = roles(Perm.BUDGET_WRITE)


def _budget_plans(user: User) -> QuerySet[Plan]:
    return selectors.plans_for_user(user).exclude(scope_level=PlanLevel.NATIONAL).order_by("-scope_level", "pk")


@role_required(*BUDGET_READERS)
def budget_list(request: AuthedHttpRequest) -> HttpResponse:
    user = request.user
    filters = BudgetFilterForm(request.GET or None, units=administrative_units_for_user(user))
    lines = selectors.budget_lines_for_user(user)
    if filters.is_valid():
        data = filters.cleaned_data
        if data.get("year"):
            lines = lines.filter(year=data["year"])
        if data.get("unit"):
            lines = lines.filter(unit__path__startswith=data["unit"].path)
        if data.get("source"):
            lines = lines.filter(source=data["source"])
    return render(
        request,
        "plans/budget_list.html",
        {"lines": lines[:500], "totals": selectors.budget_totals(lines), "filters": filters},
    )


R = TypeVar("R", bound=Model)


def _save(
    request: AuthedHttpRequest,
    form: forms.BaseForm,
    obj: R | None,
    fields: Sequence[str],
    object_type: str,
    *,
    create: Callable[..., R],
    update: Callable[[R, int, dict[str, Any]], R],
) -> R | None:
    """Create or update a budget line or pilot model through its service, audited.

    The bound form wrote its values onto ``obj``; the record is read again so that the service
    checks the unit it is stored in, not the one it moves to.
    """
    user = request.user
    data = {name: form.cleaned_data[name] for name in fields}
    if obj is None:
        saved = run_service(form, lambda: create(user=user, **data))
        action = AuditAction.CREATE
    else:
        stored = type(obj)._default_manager.get(pk=obj.pk)
        version = form.cleaned_data["version"] or 0
        saved = run_service(form, lambda: update(stored, version, data))
        action = AuditAction.UPDATE
    if saved is not None:
        audit_log(user=user, action=action, object_type=object_type, object_id=saved.pk, request=request)
    return saved


def _budget_form_page(request: AuthedHttpRequest, line: BudgetLine | None) -> HttpResponse:
    user = request.user
    initial: dict[str, Any] = {"version": line.version} if line else {}
    if line is None and user.area is not None:
        nearest = selectors.applicable_plans(user.area)
        if nearest:
            initial["plan"] = nearest[0]
            initial["unit"] = user.area if user.area.level != Level.VILLAGE else None
    form = BudgetLineForm(
        request.POST or None, instance=line, initial=initial, plans=_budget_plans(user), units=administrative_units_for_user(user)
    )
    if request.method == "POST" and form.is_valid():
        saved = _save(
            request, form, line, BudgetLineForm.Meta.fields, "plans.budgetline",
            create=services.budget_line_create,
            update=lambda stored, version, data: services.budget_line_update(user=user, line=stored, version=version, **data),
        )
        if saved is not None:
            messages.success(request, _("Budget line saved."))
            return redirect("plans:budget")
    return render(request, "plans/budget_form.html", {"form": form, "line": line})


@role_required(*WRITERS)
def budget_create(request: AuthedHttpRequest) -> HttpResponse:
    return _budget_form_page(request, None)


@role_required(*WRITERS)
def budget_edit(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    line = get_scoped_or_404(selectors.budget_lines_for_user(request.user), pk=pk)
    return _budget_form_page(request, line)


@role_required(*PILOT_READERS)
def pilot_list(request: AuthedHttpRequest) -> HttpResponse:
    user = request.user
    communes = AdminUnit.objects.filter(unit_q(user, ""), level=Level.COMMUNE).order_by("scheme", "name")
    filters = PilotFilterForm(request.GET or None, communes=communes)
    pilots = selectors.pilot_models_for_user(user)
    if filters.is_valid():
        data = filters.cleaned_data
        if data.get("year"):
            pilots = pilots.filter(started_on__year__lte=data["year"])
        if data.get("commune"):
            pilots = pilots.filter(commune=data["commune"])
        if data.get("model_type"):
            pilots = pilots.filter(model_type=data["model_type"])
    return render(request, "plans/pilot_list.html", {"pilots": pilots[:500], "filters": filters})


def _pilot_form_page(request: AuthedHttpRequest, pilot: PilotModel | None) -> HttpResponse:
    user = request.user
    initial: dict[str, Any] = {"version": pilot.version} if pilot else {}
    if pilot is None and user.area is not None and user.area.level == Level.COMMUNE:
        initial["commune"] = user.area
    form = PilotModelForm(
        request.POST or None, instance=pilot, initial=initial, communes=selectors.communes_for_writing(user)
    )
    if request.method == "POST" and form.is_valid():
        saved = _save(
            request, form, pilot, PilotModelForm.Meta.fields, "plans.pilotmodel",
            create=services.pilot_model_create,
            update=lambda stored, version, data: services.pilot_model_update(user=user, pilot=stored, version=version, **data),
        )
        if saved is not None:
            messages.success(request, _("Pilot model saved."))
            return redirect("plans:pilots")
    return render(request, "plans/pilot_form.html", {"form": form, "pilot": pilot})


@role_required(*WRITERS)
def pilot_create(request: AuthedHttpRequest) -> HttpResponse:
    return _pilot_form_page(request, None)


@role_required(*WRITERS)
def pilot_edit(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    pilot = get_scoped_or_404(selectors.pilot_models_for_user(request.user), pk=pk)
    return _pilot_form_page(request, pilot)
