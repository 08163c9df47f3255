"""Referrals as the provider agency sees them: the child's name and age and the service."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from clms.accounts.audit import audit_log
from clms.accounts.http import AuthedHttpRequest
from clms.accounts.models import AuditAction, Role
from clms.accounts.policy import Perm, roles
from clms.cases import selectors, services
from clms.cases.catalogue import service_label
from clms.cases.forms import ReferralAnswerForm
from clms.cases.models import Referral, ReferralStatus
from clms.core.access import get_scoped_or_404, role_required
from clms.core.forms import service_ok
from clms.rules import age_in_years

READERS = roles(Perm.REFERRAL_READ)
LIST_LIMIT = 200


def _decorate(referral: Referral) -> Referral:
    referral.label = service_label(referral.service_type)  # type: ignore[attr-defined]
    referral.child_age = age_in_years(referral.case.child.dob, timezone.localdate())  # type: ignore[attr-defined]
    return referral


@role_required(*READERS)
def referral_list(request: AuthedHttpRequest) -> HttpResponse:
    status = request.GET.get("status", "open")
    qs = selectors.referrals_for_user(request.user).select_related("case__child", "provider_unit", "case__commune")
    if status == "open":
        qs = qs.filter(status__in=[ReferralStatus.SENT, ReferralStatus.ACCEPTED])
    elif status in ReferralStatus.values:
        qs = qs.filter(status=status)
    referrals = [_decorate(r) for r in qs.order_by("-sent_at", "-pk")[:LIST_LIMIT]]
    audit_log(user=request.user, action=AuditAction.LIST, object_type="cases.referral",
              object_ids=[r.pk for r in referrals], request=request)
    return render(request, "cases/referral_list.html", {
        "referrals": referrals, "status": status, "statuses": ReferralStatus.choices,
    })


@role_required(*READERS)
def referral_detail(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    user = request.user
    referral = _decorate(get_scoped_or_404(
        selectors.referrals_for_user(user).select_related("case__child", "case__commune", "provider_unit", "answered_by", "sent_by__area"),
        pk=pk,
    ))
    can_answer = (user.is_admin or user.role == Role.AGENCY_OFFICER) and referral.status in services.REFERRAL_MOVES
    form = ReferralAnswerForm(initial={"version": referral.version})
    if request.method == "POST" and can_answer:
        form = ReferralAnswerForm(request.POST)
        if form.is_valid():
            if service_ok(form, lambda: services.referral_answer(user=user, referral=referral, **form.cleaned_data)):
                messages.success(request, _("Answer recorded."))
                return redirect("cases:referral", pk=referral.pk)
    else:
        audit_log(user=user, action=AuditAction.READ, object_type="cases.referral", object_id=referral.pk,
                  request=request)
    return render(request, "cases/referral_detail.html", {
        "referral": referral, "form": form, "can_answer": can_answer,
        "is_agency": user.role == Role.AGENCY_OFFICER,
    }, status=400 if request.method == "POST" else 200)
