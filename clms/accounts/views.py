from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from clms.accounts.audit import audit_log
from clms.accounts.models import AuditAction
from clms.accounts.selectors import users_for_user
from clms.core.access import role_required


@role_required("commune_officer", "supervisor")
def user_list(request: HttpRequest) -> HttpResponse:
    users = list(
        users_for_user(request.user).filter(is_active=True).order_by("area__path", "role", "username")[:500]
    )
    audit_log(
        user=request.user,
        action=AuditAction.LIST,
        object_type="accounts.user",
        object_ids=[u.pk for u in users],
        request=request,
    )
    return render(request, "accounts/user_list.html", {"users": users})
