"""The overview by commune and the denominators derived from the register."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from clms.accounts.audit import audit_log
from clms.accounts.http import AuthedHttpRequest
from clms.accounts.models import AuditAction
from clms.core.access import role_required
from clms.core.templatetags.vn_format import vn_number
from clms.employers import selectors, services
from clms.employers.access import READERS, WRITERS, may_write
from clms.employers.forms import DeriveForm, YearForm
from clms.places.models import AdminUnit
from clms.places.selectors import units_for_user

if TYPE_CHECKING:
    from clms.accounts.models import User


def _derive_units(user: User, rows: list[selectors.CommuneRow]) -> Any:
    """The user's own unit (all its communes at once) and each commune of the table."""
    ids = {r.commune.pk for r in rows}
    if user.area_id:
        ids.add(user.area_id)
    return units_for_user(user).filter(pk__in=ids).order_by("path")


@role_required(*READERS)
def overview(request: AuthedHttpRequest) -> HttpResponse:
    user = request.user
    today = timezone.localdate()
    form = YearForm(request.GET or None)
    year = today.year
    if form.is_valid() and form.cleaned_data.get("year"):
        year = form.cleaned_data["year"]
    data = selectors.overview_by_commune(user, year, today)
    derive = None
    if may_write(user):
        derive = DeriveForm(units=_derive_units(user, data.rows), initial={"year": year, "unit": user.area_id})
    return render(
        request,
        "employers/overview.html",
        {
            "overview": data,
            "form": form,
            "derive": derive,
            "due_count": selectors.reinspections_due(user, today).count(),
        },
    )


@require_POST
@role_required(*WRITERS)
def denominators_derive(request: AuthedHttpRequest) -> HttpResponse:
    user = request.user
    units = units_for_user(user).filter(level__in=["commune", "district", "province"])
    form = DeriveForm(request.POST, units=units)
    if not form.is_valid():
        messages.error(request, _("Choose a unit and a year."))
        return redirect("employers:overview")
    unit: AdminUnit = form.cleaned_data["unit"]
    year: int = form.cleaned_data["year"]
    try:
        result = services.denominators_derive(user=user, unit=unit, year=year)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        audit_log(
            user=user, action=AuditAction.UPDATE, object_type="places.denominator", request=request,
            object_ids=[d.pk for d in result.written], detail={"derived": True, "year": year, "unit": unit.pk},
        )
        messages.success(
            request,
            _("%(written)s figures derived from the register for %(year)s; %(kept)s entered or imported figures were kept.")
            % {"written": vn_number(len(result.written)), "year": year, "kept": vn_number(len(result.kept))},
        )
    return redirect(f"{reverse('employers:overview')}?year={year}")
