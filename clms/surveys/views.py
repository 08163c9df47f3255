"""Survey rounds: the list, a round with its design and estimates, the children it found in
child labour and the one step that adds such a child to the register."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from clms.accounts.audit import audit_log
from clms.accounts.http import AuthedHttpRequest
from clms.accounts.models import AuditAction
from clms.accounts.policy import Perm, may, roles
from clms.cases.services import PossibleDuplicates
from clms.core.access import get_scoped_or_404, role_required
from clms.people.selectors import children_for_user
from clms.places.models import Level
from clms.places.scoping import can_write_unit
from clms.places.selectors import units_for_user, villages_for_user
from clms.surveys import presenters, selectors, services
from clms.surveys.forms import PSUForm, RegisterMemberForm, RoundForm

if TYPE_CHECKING:
    from clms.accounts.models import User

READERS = roles(Perm.INDICATORS_READ)
MANAGERS = roles(Perm.REGISTER_MANAGE)


def _add_errors(form: Any, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for name, errors in exc.message_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


def _round_units(user: User) -> Any:
    return units_for_user(user).filter(level__in=[Level.COMMUNE, Level.DISTRICT, Level.PROVINCE],
                                       valid_to__isnull=True).order_by("level", "name")


@role_required(*READERS)
def round_list(request: AuthedHttpRequest) -> HttpResponse:
    user = request.user
    rounds = list(selectors.rounds_for_user(user).order_by("-year", "unit__name"))
    return render(request, "surveys/round_list.html", {
        "rounds": rounds, "may_manage": may(user, Perm.REGISTER_MANAGE),
        "may_import": may(user, Perm.REGISTER_MANAGE),
    })


@role_required(*MANAGERS)
def round_create(request: AuthedHttpRequest) -> HttpResponse:
    user = request.user
    form = RoundForm(request.POST or None, units=_round_units(user), initial={"year": timezone.localdate().year})
    if request.method == "POST" and form.is_valid():
        try:
            survey = services.round_create(user=user, **form.cleaned_data)
        except ValidationError as exc:
            _add_errors(form, exc)
        except PermissionDenied:
            form.add_error("unit", _("You may not run a survey of this unit."))
        else:
            messages.success(request, _("Survey round created. Add its sampling units (villages)."))
            return redirect("surveys:round", pk=survey.pk)
    return render(request, "surveys/round_form.html", {"form": form})


@role_required(*READERS)
def round_detail(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    user = request.user
    survey = get_scoped_or_404(selectors.rounds_for_user(user), pk=pk)
    estimates = selectors.round_estimates(survey)
    manage = may(user, Perm.REGISTER_MANAGE) and can_write_unit(user, survey.unit)
    labour: list[Any] = []
    if user.may_read_personal_data:
        labour = list(selectors.members_in_labour(survey, user))
        audit_log(user=user, action=AuditAction.LIST, object_type="surveys.surveymember",
                  object_ids=[m.pk for m in labour], request=request, detail={"round": survey.pk})
    psu_form = PSUForm(villages=villages_for_user(user).filter(path__startswith=survey.unit.path).order_by("parent__name", "name")) if manage else None
    return render(request, "surveys/round_detail.html", {
        "survey": survey, "estimates": estimates, "tables": presenters.estimate_tables(estimates),
        "psus": list(survey.psus.select_related("village__parent").order_by("stratum", "village__name")),
        "labour": labour, "manage": manage, "psu_form": psu_form,
        "may_register": may(user, Perm.REGISTER_WRITE),
    })


@require_POST
@role_required(*MANAGERS)
def psu_add(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    user = request.user
    survey = get_scoped_or_404(selectors.rounds_for_user(user), pk=pk)
    form = PSUForm(request.POST, villages=villages_for_user(user).filter(path__startswith=survey.unit.path))
    if form.is_valid():
        try:
            services.psu_add(user=user, survey=survey, **form.cleaned_data)
        except ValidationError as exc:
            for errors in exc.message_dict.values() if hasattr(exc, "error_dict") else [exc.messages]:
                for error in errors:
                    messages.error(request, error)
        except PermissionDenied:
            messages.error(request, _("You may not change this survey."))
        else:
            messages.success(request, _("Sampling unit added."))
    else:
        for name, field_errors in form.errors.items():
            label = form.fields[name].label if name in form.fields else ""
            for message in field_errors:
                messages.error(request, f"{label}: {message}" if label else str(message))
    return redirect("surveys:round", pk=survey.pk)


@require_POST
@role_required(*roles(Perm.REGISTER_WRITE))
def member_register(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    user = request.user
    member = get_scoped_or_404(
        selectors.members_for_user(user).select_related("household__round", "household__village", "household__commune"),
        pk=pk,
    )
    form = RegisterMemberForm(request.POST)
    survey_pk = member.household.round_id
    if not form.is_valid():
        messages.error(request, _("The request was not understood."))
        return redirect("surveys:round", pk=survey_pk)
    existing = None
    if form.cleaned_data["existing"]:
        existing = children_for_user(user).filter(pk=form.cleaned_data["existing"]).first()
        if existing is None:
            messages.error(request, _("That child is not in the register you may read."))
            return redirect("surveys:round", pk=survey_pk)
    try:
        child = services.member_register(user=user, member=member, confirm_new=form.cleaned_data["confirm_new"],
                                         existing=existing)
    except PossibleDuplicates as exc:
        audit_log(user=user, action=AuditAction.LIST, object_type="people.child",
                  object_ids=[c.child.pk for c in exc.candidates], request=request)
        return render(request, "surveys/member_duplicates.html", {
            "member": member, "candidates": exc.candidates, "form": RegisterMemberForm(),
        })
    except ValidationError as exc:
        for error in exc.messages:
            messages.error(request, error)
    except PermissionDenied:
        messages.error(request, _("You may not add a child of this place to the register."))
    else:
        messages.success(request, _("%(name)s is on the register, with a case to verify.") % {"name": child.full_name})
        return redirect("people:detail", pk=child.pk)
    return redirect("surveys:round", pk=survey_pk)
