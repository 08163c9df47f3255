"""Data-subject requests: the full export of a child's record, and consent withdrawal."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from clms.accounts.audit import audit_log
from clms.accounts.http import AuthedHttpRequest
from clms.accounts.models import AuditAction
from clms.core.access import get_scoped_or_404, role_required
from clms.core.forms import service_ok
from clms.people import selectors as people_selectors
from clms.people import services as people_services
from clms.people.models import Consent
from clms.privacy.forms import WithdrawForm
from clms.privacy.services import child_export, export_json, record_graph

# Who answers a person's request: the officers who keep the register (and administrators).
OFFICERS = ("commune_officer", "supervisor")


@role_required(*OFFICERS)
def child_request(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    """The page an officer opens when a child or a parent asks what CLMS holds."""
    user = request.user
    child = get_scoped_or_404(people_selectors.children_for_user(user), pk=pk)
    graph = record_graph(child)
    summary = sorted(((str(m._meta.verbose_name_plural), len(rows)) for m, rows in graph.items()), key=lambda x: x[0])
    audit_log(user=user, action=AuditAction.READ, object_type="people.child", object_id=child.pk, request=request,
              detail={"privacy": "request page"})
    consents = list(child.consents.order_by("given_on", "pk"))
    return render(request, "privacy/child_request.html", {"child": child, "summary": summary, "consents": consents})


@role_required(*OFFICERS)
def child_export_view(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    user = request.user
    child = get_scoped_or_404(people_selectors.children_for_user(user), pk=pk)
    data = child_export(user=user, child=child)
    audit_log(user=user, action=AuditAction.EXPORT, object_type="people.child", object_id=child.pk, request=request,
              detail={"privacy": "data-subject export", "tables": sorted(data["records"])})
    response = HttpResponse(export_json(data), content_type="application/json; charset=utf-8")
    stamp = timezone.localdate().strftime("%Y%m%d")
    response["Content-Disposition"] = f'attachment; filename="clms-tre-em-{child.pk}-{stamp}.json"'
    return response


@role_required(*OFFICERS, "collaborator")
def consent_withdraw(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    user = request.user
    consent = get_scoped_or_404(Consent.objects.filter(child__in=people_selectors.children_for_user(user)), pk=pk)
    child = consent.child
    form = WithdrawForm(request.POST or None, initial={"withdrawn_on": timezone.localdate()})
    if consent.withdrawn_on:
        messages.info(request, _("This consent was already withdrawn."))
        return redirect("people:detail", pk=child.pk)
    if request.method == "POST" and form.is_valid():
        if service_ok(form, lambda: people_services.consent_withdraw(user=user, consent=consent, withdrawn_on=form.cleaned_data["withdrawn_on"])):
            audit_log(user=user, action=AuditAction.UPDATE, object_type="people.child", object_id=child.pk,
                      request=request, detail={"consent_withdrawn": consent.pk})
            messages.success(request, _("The withdrawal of consent is recorded."))
            return redirect("people:detail", pk=child.pk)
    return render(request, "privacy/consent_withdraw.html", {"form": form, "consent": consent, "child": child})
