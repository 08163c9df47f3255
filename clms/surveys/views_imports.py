"""The XLSForms to download per commune, and the upload of ODK/KoBo exports."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from clms.accounts.audit import audit_log
from clms.accounts.http import AuthedHttpRequest
from clms.accounts.models import AuditAction
from clms.accounts.policy import Perm, roles
from clms.core.access import get_scoped_or_404, role_required
from clms.core.templatetags.vn_format import vn_number
from clms.places.models import AdminUnit, Level
from clms.places.selectors import communes_for_user
from clms.surveys import selectors
from clms.surveys.exports import ExportUnreadable, read_export
from clms.surveys.forms import FormDownloadForm, ImportForm
from clms.surveys.imports import ImportRejected, submissions_import
from clms.surveys.models import FieldKind
from clms.surveys.xlsforms import KINDS, build_xlsform, form_id

if TYPE_CHECKING:
    from clms.accounts.models import User

MANAGERS = roles(Perm.REGISTER_MANAGE)
MAX_ERRORS_SHOWN = 200


def _communes(user: User) -> Any:
    return communes_for_user(user).filter(valid_to__isnull=True).order_by("name")


@role_required(*MANAGERS)
def form_list(request: AuthedHttpRequest) -> HttpResponse:
    user = request.user
    form = FormDownloadForm(request.GET or None, communes=_communes(user))
    commune = form.cleaned_data["commune"] if form.is_bound and form.is_valid() else None
    if commune is None and user.area is not None and user.area.level == Level.COMMUNE:
        commune = user.area
    kinds = [{"kind": k.value, "label": k.label, "form_id": form_id(k, commune) if commune else ""} for k in KINDS]
    return render(request, "surveys/forms.html", {"form": form, "commune": commune, "kinds": kinds})


@role_required(*MANAGERS)
def form_download(request: AuthedHttpRequest, kind: str) -> HttpResponse:
    user = request.user
    if kind not in {k.value for k in KINDS}:
        raise Http404
    raw = request.GET.get("commune", "")
    commune: AdminUnit | None = get_scoped_or_404(_communes(user), pk=raw) if raw else (
        user.area if user.area is not None and user.area.level == Level.COMMUNE else None)
    if commune is None:
        raise Http404
    if kind != FieldKind.OBSERVATION and not AdminUnit.objects.filter(parent=commune, level=Level.VILLAGE).exists():
        messages.error(request, _("%(commune)s has no villages in CLMS yet: add them first (Units).") % {"commune": commune.name})
        return redirect(f"{reverse('surveys:forms')}?commune={commune.pk}")
    response = HttpResponse(build_xlsform(kind, commune),
                            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f'attachment; filename="{form_id(kind, commune)}.xlsx"'
    return response


@role_required(*MANAGERS)
def import_upload(request: AuthedHttpRequest) -> HttpResponse:
    user = request.user
    surveys = selectors.rounds_for_user(user).order_by("-year")
    form = ImportForm(request.POST or None, request.FILES or None, communes=_communes(user), surveys=surveys)
    errors: list[str] = []
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        upload = data["file"]
        try:
            source, submissions = read_export(upload, upload.name)
            outcome = submissions_import(
                user=user, commune=data["commune"], kind=data["kind"], submissions=submissions, source=source,
                filename=upload.name, survey=data["survey"], confirm_new=data["confirm_new"],
            )
        except (ExportUnreadable, ImportRejected) as exc:
            errors = [str(e) for e in exc.errors[:MAX_ERRORS_SHOWN]]
            if len(exc.errors) > MAX_ERRORS_SHOWN:
                errors.append(_("… and %(n)s more errors.") % {"n": vn_number(len(exc.errors) - MAX_ERRORS_SHOWN)})
        else:
            if outcome.written:
                messages.success(request, _("%(n)s submissions imported; %(s)s already imported before were skipped.") % {
                    "n": vn_number(outcome.written), "s": vn_number(outcome.skipped)})
            else:
                messages.info(request, _("Nothing new: all %(s)s submissions were imported before.") % {"s": vn_number(outcome.skipped)})
            return redirect("surveys:import")
    batches = list(selectors.batches_for_user(user).order_by("-imported_at")[:20])
    if batches:
        audit_log(user=user, action=AuditAction.LIST, object_type="surveys.importbatch", object_ids=[b.pk for b in batches],
                  request=request)
    return render(request, "surveys/import.html", {"form": form, "errors": errors, "batches": batches})
