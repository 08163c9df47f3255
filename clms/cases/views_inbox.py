"""The reminders inbox and the due-time policies."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from clms.accounts.audit import audit_log
from clms.accounts.http import AuthedHttpRequest
from clms.accounts.models import AuditAction, Role
from clms.accounts.policy import Perm, roles
from clms.cases import selectors, services
from clms.cases.forms import PolicyForm
from clms.cases.models import DuePolicy
from clms.core.access import get_scoped_or_404, role_required
from clms.core.forms import service_ok
from clms.places.selectors import units_for_user

if TYPE_CHECKING:
    from clms.accounts.models import User

ALL_ROLES = roles(Perm.INBOX)
INBOX_LIMIT = 100


@role_required(*ALL_ROLES)
def inbox(request: AuthedHttpRequest) -> HttpResponse:
    notifications = list(selectors.notifications_for_user(request.user).select_related("case__child")[:INBOX_LIMIT])
    # Notification texts name children: the inbox is a read of their personal data.
    audit_log(user=request.user, action=AuditAction.LIST, object_type="cases.notification",
              object_ids=[n.pk for n in notifications],
              detail={"cases": sorted({str(n.case_id) for n in notifications})})
    return render(request, "cases/inbox.html", {"notifications": notifications})


@require_POST
@role_required(*ALL_ROLES)
def notification_read(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    notification = get_scoped_or_404(selectors.notifications_for_user(request.user).select_related("case__child"), pk=pk)
    services.notification_mark_read(user=request.user, notification=notification)
    if request.htmx:
        audit_log(user=request.user, action=AuditAction.READ, object_type="cases.notification",
                  object_id=notification.pk, detail={"cases": [str(notification.case_id)]})
        return render(request, "cases/_notification.html", {"n": notification})
    return redirect("cases:inbox")


@require_POST
@role_required(*ALL_ROLES)
def notifications_read_all(request: AuthedHttpRequest) -> HttpResponse:
    services.notifications_mark_all_read(user=request.user)
    return redirect("cases:inbox")


def _policy_units(user: User) -> Any:
    return units_for_user(user).filter(level__in=["province", "district", "commune"], valid_to__isnull=True)


@role_required(Role.COMMUNE_OFFICER, Role.SUPERVISOR)
def policies(request: AuthedHttpRequest) -> HttpResponse:
    user = request.user
    units = _policy_units(user)
    unit = user.area if user.area is not None and user.area.level != "village" else None
    if request.GET.get("unit", "").isdigit():
        unit = get_scoped_or_404(units, pk=int(request.GET["unit"]))
    form = PolicyForm(units=units, initial={"scope_unit": unit.pk if unit else None})
    if request.method == "POST":
        form = PolicyForm(request.POST, units=units)
        if form.is_valid():
            if service_ok(form, lambda: services.duepolicy_set(user=user, **form.cleaned_data)):
                messages.success(request, _("Due time saved."))
                return redirect(f"{request.path}?unit={form.cleaned_data['scope_unit'].pk}")
    rows = selectors.policies_for_unit(unit) if unit is not None else []
    return render(request, "cases/policies.html", {
        "rows": rows, "unit": unit, "units": units, "form": form,
        "defaults": DuePolicy.objects.filter(scope_unit__isnull=True),
    })


@require_POST
@role_required(Role.COMMUNE_OFFICER, Role.SUPERVISOR)
def policy_reset(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    policy = get_scoped_or_404(
        DuePolicy.objects.filter(scope_unit__in=_policy_units(request.user)).select_related("scope_unit"), pk=pk
    )
    unit_pk = policy.scope_unit_id
    try:
        services.duepolicy_reset(user=request.user, policy=policy)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect(f"{reverse('cases:policies')}?unit={unit_pk}")
