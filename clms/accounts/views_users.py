"""User management pages: system administrators and supervisors, in their area."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from clms.accounts import users as services
from clms.accounts.audit import audit_log
from clms.accounts.forms_users import UserForm
from clms.accounts.http import AuthedHttpRequest
from clms.accounts.models import AuditAction, User
from clms.accounts.selectors import users_for_user
from clms.core.access import get_scoped_or_404, role_required
from clms.core.forms import add_service_errors
from clms.core.locking import StaleEdit
from clms.places.models import Level
from clms.places.selectors import units_for_user


def _units(user: User) -> Any:
    return (
        units_for_user(user).filter(valid_to__isnull=True)
        .exclude(level=Level.VILLAGE, parent__valid_to__isnull=False)
        .select_related("parent").order_by("path")
    )


@role_required("supervisor")
def user_create(request: AuthedHttpRequest) -> HttpResponse:
    by = request.user
    form = UserForm(request.POST or None, roles=services.roles_for(by), units=_units(by))
    if request.method == "POST" and form.is_valid():
        try:
            user, password = services.user_create(by=by, request=request, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            return render(request, "accounts/user_password.html", {"target": user, "password": password, "new": True})
    return render(request, "accounts/user_form.html", {"form": form, "target": None})


def _target(request: AuthedHttpRequest, pk: int) -> User:
    target = get_scoped_or_404(users_for_user(request.user), pk=pk)
    if not services.may_manage(request.user, target):
        raise PermissionDenied
    return target


@role_required("supervisor")
def user_edit(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    by = request.user
    target = _target(request, pk)
    initial = {name: getattr(target, name) for name in ("username", "full_name", "role", "agency", "email", "phone")}
    initial["area"] = target.area_id
    initial["version"] = target.version
    form = UserForm(request.POST or None, initial=initial, roles=services.roles_for(by), units=_units(by), editing=True)
    if request.method == "POST" and form.is_valid():
        values = dict(form.cleaned_data)
        values.pop("username", None)
        version = values.pop("version", None)
        try:
            services.user_update(by=by, user=target, request=request, version=target.version if version is None else version, **values)
        except StaleEdit:
            form.add_error(None, StaleEdit.message)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Account of %(name)s saved.") % {"name": target})
            return redirect("accounts:users")
    audit_log(user=by, action=AuditAction.READ, object_type="accounts.user", object_id=target.pk, request=request)
    return render(request, "accounts/user_form.html", {"form": form, "target": target})


@require_POST
@role_required("supervisor")
def user_active(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    target = _target(request, pk)
    active = request.POST.get("active") == "1"
    try:
        services.user_set_active(by=request.user, user=target, active=active, request=request)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, (_("%(name)s can log in again.") if active else _("%(name)s can no longer log in.")) % {"name": target})
    return redirect("accounts:users")


@require_POST
@role_required("supervisor")
def user_reset_password(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    target = _target(request, pk)
    password = services.user_reset_password(by=request.user, user=target, request=request)
    return render(request, "accounts/user_password.html", {"target": target, "password": password, "new": False})


class PasswordChangeView(auth_views.PasswordChangeView):
    """Django's view; a successful change lifts the "must change the password" mark."""

    def form_valid(self, form: Any) -> HttpResponse:
        response = super().form_valid(form)
        services.user_password_changed(user=form.user)
        return response
