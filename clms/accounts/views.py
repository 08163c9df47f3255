from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import render

from clms.accounts.audit import audit_log
from clms.accounts.http import AuthedHttpRequest
from clms.accounts.models import AuditAction
from clms.accounts.selectors import users_for_user
from clms.accounts.users import may_manage, may_manage_users
from clms.core.access import role_required


@role_required("commune_officer", "supervisor")
def user_list(request: AuthedHttpRequest) -> HttpResponse:
    # Managers see the deactivated accounts too, to reactivate them.
    manager = may_manage_users(request.user)
    scoped = users_for_user(request.user) if manager else users_for_user(request.user).filter(is_active=True)
    users = list(scoped.order_by("-is_active", "area__path", "role", "username")[:500])
    for u in users:
        u.manageable = manager and may_manage(request.user, u)  # type: ignore[attr-defined]
    audit_log(
        user=request.user,
        action=AuditAction.LIST,
        object_type="accounts.user",
        object_ids=[u.pk for u in users],
        request=request,
    )
    return render(request, "accounts/user_list.html", {"users": users, "manager": manager})
