"""Register data pages: duplicates and merge, import and export."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from clms.accounts.audit import audit_log
from clms.accounts.http import AuthedHttpRequest
from clms.accounts.models import AuditAction
from clms.core.access import get_scoped_or_404, role_required
from clms.core.actor import Actor
from clms.core.imports import RowError
from clms.core.models import JobStatus, job_is_stale
from clms.core.templatetags.vn_format import vn_number
from clms.people import exporters, import_tasks, import_workbook, selectors, services, tasks
from clms.people.duplicates import likely_pairs, person_of, score_pair
from clms.people.forms import ImportForm, RegisterFilterForm
from clms.people.models import ExportJob, ImportJob
from clms.people.views import OFFICERS, filters_from, readable_villages

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@role_required(*OFFICERS)
def duplicate_report(request: AuthedHttpRequest) -> HttpResponse:
    user = request.user
    pairs = likely_pairs(selectors.children_for_user(user))
    audit_log(user=user, action=AuditAction.LIST, object_type="people.child",
              object_ids=sorted({c.pk for a, b, _c in pairs for c in (a, b)}), request=request,
              detail={"page": "duplicates"})
    return render(request, "people/duplicates.html", {"pairs": pairs})


@role_required(*OFFICERS)
def merge(request: AuthedHttpRequest) -> HttpResponse:
    user = request.user
    scoped = selectors.children_for_user(user).select_related("commune", "village", "household")
    first = get_scoped_or_404(scoped, pk=request.GET.get("a") or request.POST.get("a") or 0)
    second = get_scoped_or_404(scoped, pk=request.GET.get("b") or request.POST.get("b") or 0)
    error = ""
    if request.method == "POST":
        keep, remove = (first, second) if request.POST.get("keep") == str(first.pk) else (second, first)
        if request.POST.get("keep") not in (str(first.pk), str(second.pk)):
            error = _("Choose the record to keep.")
        else:
            try:
                moved = services.child_merge(user=user, keep=keep, remove=remove)
            except ValidationError as exc:
                error = " ".join(exc.messages)
            except PermissionDenied:
                error = _("You may not change one of these records.")
            else:
                audit_log(user=user, action=AuditAction.UPDATE, object_type="people.child", object_id=keep.pk,
                          object_ids=[keep.pk, remove.pk], request=request,
                          detail={"merged": remove.pk, "into": keep.pk, "moved": moved})
                messages.success(request, _("The two records were merged."))
                return redirect("people:detail", pk=keep.pk)
    candidate = score_pair(person_of(first), person_of(second))
    audit_log(user=user, action=AuditAction.READ, object_type="people.child", object_ids=[first.pk, second.pk],
              request=request, detail={"page": "merge"})
    return render(request, "people/merge.html", {"a": first, "b": second, "candidate": candidate, "error": error})


@role_required(*OFFICERS)
def import_template(request: AuthedHttpRequest) -> HttpResponse:
    response = HttpResponse(import_workbook.template_workbook(request.user), content_type=XLSX)
    response["Content-Disposition"] = 'attachment; filename="mau-nhap-tre-em.xlsx"'
    return response


@role_required(*OFFICERS)
def import_children(request: AuthedHttpRequest) -> HttpResponse:
    """The upload: stored and queued for the worker, which checks and writes (import_tasks)."""
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        job = import_tasks.import_request(user=request.user, upload=form.cleaned_data["file"],
                                          actor=Actor.from_request(request))
        # A second send of this form (OnceMiddleware) is sent to the same job's page.
        return redirect("people:import_job", pk=job.pk)
    return render(request, "people/import.html", {"form": form})


@role_required(*OFFICERS)
def import_job(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    """The import's page; its status fragment alone for htmx (polled every 2 s, reads only).
    Only the user who uploaded, in the same role and area, sees it (errors may name children)."""
    job = get_object_or_404(ImportJob, pk=pk, requested_by=request.user, scope=tasks.scope_of(request.user),
                            created_at__gte=tasks.keep_cutoff())
    # A worker killed mid-import leaves the job "running" (and nothing written): after
    # STALE_AFTER the page says so instead of polling for ever.
    stale = job_is_stale(job.status, job.updated_at)
    context = {
        "job": job,
        "working": job.status in (JobStatus.QUEUED, JobStatus.RUNNING) and not stale,
        "errors": [RowError(row, column, message) for row, column, message in job.errors],
        "error_count": job.error_count,
        "imported": _("%(count)s children imported.") % {"count": vn_number(job.created_count)},
    }
    template = "people/_import_status.html" if request.htmx else "people/import_job.html"
    return render(request, template, context)


@role_required(*OFFICERS)
def export_children(request: AuthedHttpRequest) -> HttpResponse:
    """The filtered register as XLSX: directly when small, else made in the background."""
    user = request.user
    form = RegisterFilterForm(request.GET or None, villages=readable_villages(user))
    scoped = selectors.register_rows(user, filters_from(form))
    threshold = settings.CLMS_EXPORT_BACKGROUND_ROWS
    if scoped[:threshold].count() >= threshold:
        # The scope is fixed now, for this user: the worker only writes these children.
        ids = list(scoped.values_list("pk", flat=True)[: exporters.MAX_EXPORT])
        job = tasks.export_request(user=user, child_ids=ids, query=request.GET.urlencode())
        audit_log(user=user, action=AuditAction.EXPORT, object_type="people.child", object_ids=ids,
                  request=request, detail={"query": request.GET.urlencode()[:500], "rows": len(ids),
                                           "background": job.pk})
        return redirect("people:export_job", pk=job.pk)
    rows = list(scoped.select_related("household")[: exporters.MAX_EXPORT])
    audit_log(user=user, action=AuditAction.EXPORT, object_type="people.child", object_ids=[c.pk for c in rows],
              request=request, detail={"query": request.GET.urlencode()[:500], "rows": len(rows)})
    today = timezone.localdate()
    title = _("Register of children, exported on %(date)s") % {"date": today.strftime("%d/%m/%Y")}
    response = HttpResponse(exporters.children_workbook(rows, title=title), content_type=XLSX)
    stamp = today.strftime("%Y%m%d")
    response["Content-Disposition"] = f'attachment; filename="so-theo-doi-tre-em-{stamp}.xlsx"'
    return response


def _own_export(request: AuthedHttpRequest, pk: int) -> ExportJob:
    """The user's own export, if not expired and chosen for the user's present role and area:
    anyone else's (a supervisor's of the same province included) is 404, as is an expired one
    or one made before the user moved to another area.  Expired files are deleted by the
    deferred ``expire_export`` task, not here: this runs on every 2-second poll."""
    return get_object_or_404(ExportJob, pk=pk, requested_by=request.user, scope=tasks.scope_of(request.user),
                             created_at__gte=tasks.keep_cutoff())


@role_required(*OFFICERS)
def export_job(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    """The background export's page; its status fragment alone for htmx (polled every 2 s)."""
    job = _own_export(request, pk)
    # A worker killed mid-file leaves the job "running": after STALE_AFTER the page says the
    # file could not be made (export again) instead of polling for ever.
    stale = job_is_stale(job.status, job.updated_at)
    context = {"job": job, "working": job.status in (JobStatus.QUEUED, JobStatus.RUNNING) and not stale,
               "expires": tasks.expires_at(job)}
    template = "people/_export_status.html" if request.htmx else "people/export_job.html"
    return render(request, template, context)


@role_required(*OFFICERS)
def export_download(request: AuthedHttpRequest, pk: int) -> HttpResponseBase:
    job = _own_export(request, pk)
    path = tasks.file_path(job)
    if job.status != JobStatus.READY or path is None or not path.exists():
        raise Http404
    audit_log(user=request.user, action=AuditAction.EXPORT, object_type="people.child", object_ids=job.child_ids,
              request=request, detail={"query": job.query, "rows": job.total, "download": job.pk})
    stamp = timezone.localtime(job.created_at).strftime("%Y%m%d")
    # NoStoreMiddleware adds Cache-Control: no-store to this answer, as to every signed-in one.
    return FileResponse(path.open("rb"), as_attachment=True, filename=f"so-theo-doi-tre-em-{stamp}.xlsx",
                        content_type=XLSX)
