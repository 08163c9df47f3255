"""Filing a report, on a phone as well as at a desk."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from clms.accounts.audit import audit_log
from clms.accounts.http import AuthedHttpRequest
from clms.accounts.models import AuditAction, Role
from clms.accounts.policy import Perm, roles
from clms.cases import services
from clms.cases.forms import ChildSearchForm, ReportForm
from clms.core.access import role_required
from clms.core.forms import add_service_errors
from clms.people.models import Child
from clms.people.selectors import children_for_user
from clms.places.models import Level
from clms.places.selectors import communes_for_user, villages_for_user
from clms.rules import fold

REPORTERS = roles(Perm.REPORT_FILE)
SEARCH_LIMIT = 20


def report_form(request: AuthedHttpRequest, data: Any = None, initial: dict[str, Any] | None = None) -> ReportForm:
    user = request.user
    communes = communes_for_user(user).filter(valid_to__isnull=True)
    if user.area is not None and user.area.level == Level.VILLAGE:
        villages = villages_for_user(user).filter(pk=user.area.pk)
    else:
        villages = villages_for_user(user).order_by("parent__name", "name")
    return ReportForm(
        data, user=user, children=children_for_user(user), communes=communes, villages=villages, initial=initial
    )


@role_required(*REPORTERS)
def report_new(request: AuthedHttpRequest) -> HttpResponse:
    user = request.user
    now = timezone.localtime()
    duplicates: list[Any] = []
    picked: list[Child] = []
    if request.method == "POST":
        form = report_form(request, request.POST)
        if form.is_valid():
            data = form.cleaned_data
            picked = list(data["children"])
            new = []
            if data["new_name"]:
                new.append(services.NewChild(
                    full_name=data["new_name"], sex=data["new_sex"], dob=data["new_dob"], village=data["village"],
                    dob_estimated=data["new_dob_estimated"],
                ))
            try:
                report = services.report_file(
                    user=user, source=data["source"], received_at=data["received_at"], what_seen=data["what_seen"],
                    emergency=data["emergency"], children=picked, new_children=new, commune=data["commune"],
                    reporter_name=data["reporter_name"], reporter_phone=data["reporter_phone"],
                    reporter_relationship=data["reporter_relationship"], confirm_new=data["confirm_new"],
                )
            except services.PossibleDuplicates as exc:
                duplicates = exc.candidates
                form.add_error("confirm_new", exc.messages)
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("Report recorded. Thank you."))
                case = report.cases.order_by("pk").first()
                if user.role == Role.AGENCY_OFFICER:
                    # The agency cannot open the case it reported: it stays with the commune.
                    return redirect("cases:report_new")
                if case is not None and user.role != Role.COLLABORATOR:
                    return redirect("cases:detail", pk=case.pk)
                return redirect("cases:list")
        else:
            picked = list(children_for_user(user).filter(pk__in=request.POST.getlist("children")[:SEARCH_LIMIT]))
    else:
        initial: dict[str, Any] = {"received_on": now.date(), "received_time": now.strftime("%H:%M")}
        form = report_form(request, initial=initial)
        child_pk = request.GET.get("child", "")
        if child_pk.isdigit():
            picked = list(children_for_user(user).filter(pk=int(child_pk)))
    if picked:
        audit_log(user=user, action=AuditAction.LIST, object_type="people.child", object_ids=[c.pk for c in picked],
                  request=request)
    return render(request, "cases/report_form.html", {
        "form": form, "duplicates": duplicates, "picked": picked, "picked_ids": {c.pk for c in picked},
    })


@role_required(*REPORTERS)
def child_search(request: AuthedHttpRequest) -> HttpResponse:
    """htmx: children of the user's area matching the typed name, as checkboxes."""
    form = ChildSearchForm(request.GET)
    children: list[Child] = []
    query = ""
    if form.is_valid():
        query = fold(form.cleaned_data["q"] or "").strip()
    if len(query) >= 2:
        children = list(
            children_for_user(request.user).filter(name_folded__contains=query).select_related("village")[:SEARCH_LIMIT]
        )
        audit_log(user=request.user, action=AuditAction.LIST, object_type="people.child",
                  object_ids=[c.pk for c in children], request=request, detail={"search": query})
    return render(request, "cases/_child_results.html", {"children": children, "query": query})
