"""Pages of the agencies of a plan and their tasks."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Prefetch
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from clms.accounts.audit import audit_log
from clms.accounts.http import AuthedHttpRequest
from clms.accounts.models import Agency, AuditAction
from clms.accounts.policy import Perm, roles
from clms.core import once
from clms.core.access import get_scoped_or_404, role_required
from clms.core.forms import add_service_errors
from clms.core.locking import StaleEdit
from clms.plans import selectors, services
from clms.plans.forms import TaskUpdateForm
from clms.plans.models import Task, TaskProgress
from clms.plans.views import ALL_ROLES

TASK_WRITERS = roles(Perm.TASK_UPDATE)


@role_required(*ALL_ROLES)
def agency_list(request: AuthedHttpRequest) -> HttpResponse:
    user = request.user
    agencies = selectors.agencies_for_user(user).annotate(task_count=Count("tasks"))
    kind = request.GET.get("kind", "")
    if kind in Agency.values:
        agencies = agencies.filter(kind=kind)
    return render(
        request,
        "plans/agency_list.html",
        {"agencies": agencies.order_by("plan_id", "order"), "kinds": Agency.choices, "kind": kind},
    )


@role_required(*ALL_ROLES)
def agency_detail(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    user = request.user
    agency = get_scoped_or_404(
        selectors.agencies_for_user(user).prefetch_related(
            Prefetch("tasks", queryset=Task.objects.select_related("content_area").order_by("order")),
            "successors",
        ),
        pk=pk,
    )
    return render(
        request,
        "plans/agency_detail.html",
        {"agency": agency, "can_update": selectors.user_acts_for_agency(user, agency)},
    )


def _task_page(request: AuthedHttpRequest, task: Task, form: TaskUpdateForm) -> HttpResponse:
    user = request.user
    context = {
        "task": task,
        "form": form,
        "progress": TaskProgress.objects.filter(task=task).select_related("author"),
        "can_update": selectors.user_acts_for_agency(user, task.agency),
    }
    template = "plans/_task_update.html" if request.htmx else "plans/task_detail.html"
    return render(request, template, context)


@role_required(*ALL_ROLES)
def task_detail(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    task = get_scoped_or_404(selectors.tasks_for_user(request.user), pk=pk)
    return _task_page(request, task, TaskUpdateForm(initial={"status": task.status, "version": task.version}))


@role_required(*TASK_WRITERS)
def task_update(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    user = request.user
    task = get_scoped_or_404(selectors.tasks_for_user(user), pk=pk)
    if not selectors.user_acts_for_agency(user, task.agency):
        raise PermissionDenied
    if request.method != "POST":
        return redirect("plans:task", pk=task.pk)
    form = TaskUpdateForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.task_update(
                user=user, task=task, version=data["version"], status=data["status"], note=data["note"], on=data["on"]
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        except StaleEdit as stale:
            form.add_error(None, str(stale.message))
        else:
            audit_log(user=user, action=AuditAction.UPDATE, object_type="plans.task", object_id=task.pk, request=request)
            if request.htmx:
                # The swapped fragment shows the new note; a flash message would surface on a later page.
                once.accepted(request)
                fresh = TaskUpdateForm(initial={"status": task.status, "version": task.version})
                return _task_page(request, task, fresh)
            messages.success(request, _("Progress saved."))
            return redirect("plans:task", pk=task.pk)
    return _task_page(request, task, form)
