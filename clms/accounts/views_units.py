from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from clms.accounts import units as services
from clms.accounts.audit import audit_log
from clms.accounts.forms_units import DenominatorFilterForm, DenominatorImportForm, VillageForm
from clms.accounts.http import AuthedHttpRequest
from clms.accounts.models import AuditAction
from clms.accounts.policy import Perm, may, roles
from clms.core.access import get_scoped_or_404, role_required
from clms.core.imports import ImportFailed, RowError
from clms.core.templatetags.vn_format import vn_number
from clms.places import importers, selectors
from clms.places.models import Level

READERS = roles(Perm.UNITS_READ)
WRITERS = roles(Perm.UNITS_WRITE)


@role_required(*READERS)
def unit_list(request: AuthedHttpRequest) -> HttpResponse:
    communes = selectors.communes_for_user(request.user)
    return render(
        request,
        "places/unit_list.html",
        {
            "roots": selectors.user_root_units(request.user),
            "post_communes": [c for c in communes if c.scheme == "post2025"],
            "pre_communes": [c for c in communes if c.scheme == "pre2025"],
        },
    )


@role_required(*READERS)
def unit_detail(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    user = request.user
    unit = get_scoped_or_404(selectors.units_for_user(user).select_related("parent"), pk=pk)
    form = VillageForm()
    if request.method == "POST" and unit.level == Level.COMMUNE:
        form = VillageForm(request.POST)
        if form.is_valid():
            try:
                village = services.village_create(
                    user=user,
                    commune=unit,
                    name=form.cleaned_data["name"],
                    unit_type=form.cleaned_data["unit_type"],
                )
            except ValidationError as exc:
                form.add_error("name", exc.message_dict.get("name", exc.messages))
            else:
                messages.success(request, _("Village “%(name)s” added.") % {"name": village.name})
                return redirect("places:unit", pk=unit.pk)
    children = selectors.units_for_user(user).filter(parent=unit).order_by("name")
    return render(
        request,
        "places/unit_detail.html",
        {
            "unit": unit,
            "children": children,
            "successors": unit.successors.all(),
            "predecessors": selectors.units_for_user(user).filter(succession_out__successor=unit),
            "denominators": selectors.denominators_for_user(user).filter(unit=unit).order_by("-year", "group"),
            "form": form,
            "can_add_village": unit.level == Level.COMMUNE and may(user, Perm.UNITS_WRITE),
        },
    )


@role_required(*READERS)
def denominator_list(request: AuthedHttpRequest) -> HttpResponse:
    filters = DenominatorFilterForm(request.GET or None)
    rows = selectors.denominators_for_user(request.user)
    if filters.is_valid():
        if filters.cleaned_data.get("year"):
            rows = rows.filter(year=filters.cleaned_data["year"])
        if filters.cleaned_data.get("group"):
            rows = rows.filter(group=filters.cleaned_data["group"])
    return render(
        request,
        "places/denominator_list.html",
        {"rows": rows.order_by("-year", "unit__path", "group")[:500], "filters": filters, "import_form": DenominatorImportForm()},
    )


@role_required(*WRITERS)
def denominator_import(request: AuthedHttpRequest) -> HttpResponse:
    form = DenominatorImportForm(request.POST or None, request.FILES or None)
    errors: list[RowError] = []
    if request.method == "POST" and form.is_valid():
        try:
            count = importers.denominators_import(user=request.user, file=form.cleaned_data["file"])
        except ImportFailed as failed:
            errors = failed.errors
        else:
            audit_log(
                user=request.user,
                action=AuditAction.IMPORT,
                object_type="places.denominator",
                request=request,
                detail={"rows": count, "file": form.cleaned_data["file"].name},
            )
            messages.success(request, _("%(count)s figures imported.") % {"count": vn_number(count)})
            return redirect("places:denominators")
    return render(request, "places/denominator_import.html", {"form": form, "errors": errors[:200], "error_count": len(errors)})


@role_required(*WRITERS)
def denominator_template(request: AuthedHttpRequest) -> HttpResponse:
    response = HttpResponse(
        importers.template_workbook(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = 'attachment; filename="mau-mau-so.xlsx"'
    return response
