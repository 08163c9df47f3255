"""Writes to the register.  Views change data only through these functions."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from clms.accounts.scoping import can_write_unit
from clms.core.locking import save_versioned
from clms.people.classification import child_refresh_status, observation_classify
from clms.people.models import Child, Household, WorkObservation
from clms.places.models import AdminUnit, Level
from clms.rules import fold

# Who may add or change register records (the province viewer and agencies only read figures).
WRITER_ROLES = frozenset({"collaborator", "commune_officer", "supervisor", "admin"})


def _check_place(*, user: Any, commune: AdminUnit, village: AdminUnit | None) -> None:
    if user.role not in WRITER_ROLES and not user.is_superuser:
        raise PermissionDenied
    if commune.level != Level.COMMUNE:
        raise ValidationError({"commune": _("Choose a commune.")})
    if village is not None and (village.level != Level.VILLAGE or village.parent_id != commune.pk):
        raise ValidationError({"village": _("This village does not belong to the commune.")})
    target = village if user.area is not None and user.area.level == Level.VILLAGE else commune
    if target is None or not can_write_unit(user, target):
        raise PermissionDenied


def _apply(obj: Any, fields: dict[str, Any]) -> None:
    for name, value in fields.items():
        setattr(obj, name, value)


@transaction.atomic
def household_create(
    *, user: Any, commune: AdminUnit, head_name: str, village: AdminUnit | None = None, **fields: Any
) -> Household:
    _check_place(user=user, commune=commune, village=village)
    household = Household(commune=commune, village=village, head_name=head_name.strip(), created_by=user)
    _apply(household, fields)
    household.head_name_folded = fold(household.head_name)
    household.full_clean()
    household.save()
    return household


@transaction.atomic
def household_update(*, user: Any, household: Household, version: int, **fields: Any) -> Household:
    _apply(household, fields)
    _check_place(user=user, commune=household.commune, village=household.village)
    household.head_name_folded = fold(household.head_name)
    household.full_clean()
    names = [*fields, "head_name_folded"]
    save_versioned(household, expected_version=version, fields=names)
    return household


def _validate_child(child: Child) -> None:
    errors: dict[str, list[str]] = {}
    today = dt.date.today()  # noqa: DTZ011 - a calendar date in the server's own zone is what officers mean
    if child.dob and child.dob > today:
        errors.setdefault("dob", []).append(_("The date of birth is in the future."))
    if child.personal_id and (len(child.personal_id) != 12 or not child.personal_id.isdigit()):
        errors.setdefault("personal_id", []).append(_("A personal identification number has exactly 12 digits."))
    if child.school_status == "dropped_out" and child.dropped_out_on and child.dob and child.dropped_out_on < child.dob:
        errors.setdefault("dropped_out_on", []).append(_("The drop-out date is before the date of birth."))
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def child_create(
    *,
    user: Any,
    commune: AdminUnit,
    full_name: str,
    sex: str,
    dob: dt.date,
    household: Household | None = None,
    village: AdminUnit | None = None,
    **fields: Any,
) -> Child:
    """Add a child to the register.  Callers warn of duplicates first (clms.people.duplicates)."""
    if household is not None:
        commune, village = household.commune, village or household.village
    _check_place(user=user, commune=commune, village=village)
    child = Child(
        household=household,
        commune=commune,
        village=village,
        full_name=" ".join(full_name.split()),
        sex=sex,
        dob=dob,
        created_by=user,
    )
    _apply(child, fields)
    child.name_folded = fold(child.full_name)
    _validate_child(child)
    child.full_clean()
    child.save()
    return child


@transaction.atomic
def child_update(*, user: Any, child: Child, version: int, **fields: Any) -> Child:
    if "full_name" in fields:
        fields["full_name"] = " ".join(str(fields["full_name"]).split())
    _apply(child, fields)
    _check_place(user=user, commune=child.commune, village=child.village)
    child.name_folded = fold(child.full_name)
    _validate_child(child)
    child.full_clean()
    save_versioned(child, expected_version=version, fields=[*fields, "name_folded"])
    if "dob" in fields or "sex" in fields:
        for observation in child.observations.all():
            observation_classify(observation)
        child_refresh_status(child)
    return child


@transaction.atomic
def observation_record(
    *, user: Any, child: Child, observed_on: dt.date, activity: str, **fields: Any
) -> WorkObservation:
    """Record what was seen and classify it under the law and the statistical standards."""
    _check_place(user=user, commune=child.commune, village=child.village)
    if observed_on < child.dob:
        raise ValidationError({"observed_on": _("The observation date is before the date of birth.")})
    if observed_on > dt.date.today():  # noqa: DTZ011 - calendar date, see _validate_child
        raise ValidationError({"observed_on": _("The observation date is in the future.")})
    observation = WorkObservation(
        child=child, commune=child.commune, observed_on=observed_on, activity=activity, observed_by=user
    )
    _apply(observation, fields)
    observation.full_clean()
    observation.save()
    try:
        observation_classify(observation)
    except ValueError as exc:
        # clms.rules rejects impossible inputs (unknown codes, 30 hours a day): show it on the form.
        raise ValidationError(str(exc)) from exc
    child_refresh_status(child)
    return observation
