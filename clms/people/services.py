"""Writes to the register.  Views change data only through these functions."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from clms.accounts.policy import RULES, Perm, require
from clms.core.history import history_record, history_record_pks, tracked
from clms.core.locking import save_versioned
from clms.people.classification import child_refresh_status, observation_classify
from clms.people.models import (
    Child,
    Consent,
    Guardian,
    Household,
    SchoolStatus,
    Visit,
    WorkObservation,
)
from clms.people.risk import child_assess_risk
from clms.places.models import AdminUnit, Level
from clms.places.scoping import area_prefixes
from clms.rules import fold

if TYPE_CHECKING:
    from clms.accounts.models import User

# Who may add or change register records (the province viewer and agencies only read figures).
WRITER_ROLES = RULES[Perm.REGISTER_WRITE]
# Roles that may add a child only as part of filing a report (Children Law: anyone who learns
# of a child at risk reports it), without access to the register.
REPORT_ONLY_ROLES = RULES[Perm.REPORT_BLIND]


def _check_place(*, user: User, commune: AdminUnit, village: AdminUnit | None, via_report: bool = False) -> None:
    if via_report and user.role in REPORT_ONLY_ROLES and user.is_active:
        # A school or police officer reporting a child adds her to the register of the
        # commune inside his area; he cannot read the register afterwards.
        if commune.level != Level.COMMUNE or not any(commune.path.startswith(p) for p in area_prefixes(user)):
            raise PermissionDenied
        return
    require(user, Perm.REGISTER_WRITE)
    if commune.level != Level.COMMUNE:
        raise ValidationError({"commune": _("Choose a commune.")})
    if village is not None and (village.level != Level.VILLAGE or village.parent_id != commune.pk):
        raise ValidationError({"village": _("This village does not belong to the commune.")})
    target = village if user.area is not None and user.area.level == Level.VILLAGE else commune
    if target is None:
        raise PermissionDenied
    require(user, Perm.REGISTER_WRITE, target)


def _apply(obj: Any, fields: dict[str, Any]) -> None:
    for name, value in fields.items():
        setattr(obj, name, value)


@transaction.atomic
def household_create(
    *, user: User, commune: AdminUnit, head_name: str, village: AdminUnit | None = None, **fields: Any
) -> Household:
    _check_place(user=user, commune=commune, village=village)
    household = Household(commune=commune, village=village, head_name=head_name.strip(), created_by=user)
    _apply(household, fields)
    household.head_name_folded = fold(household.head_name)
    household.full_clean()
    household.save()
    return household


@transaction.atomic
def household_update(*, user: User, household: Household, version: int, **fields: Any) -> Household:
    _apply(household, fields)
    _check_place(user=user, commune=household.commune, village=household.village)
    household.head_name_folded = fold(household.head_name)
    household.full_clean()
    names = [*fields, "head_name_folded"]
    save_versioned(household, expected_version=version, fields=names)
    for member in Child.objects.filter(household=household, merged_into__isnull=True).select_related("household"):
        _rescreen(member, user=user, family=False)
    return household


def _rescreen(child: Child, *, user: User, family: bool = True) -> None:
    """Screen the child (and with ``family`` the siblings, whose risk depends on this child's
    work) and refresh the register status, which depends on the risk level."""
    members = [child]
    if family and child.household_id is not None:
        members += list(
            Child.objects.filter(household_id=child.household_id, merged_into__isnull=True)
            .exclude(pk=child.pk)
            .select_related("household")
        )
    for member in members:
        child_assess_risk(child=member, user=user)
        child_refresh_status(member)


def _validate_child(child: Child) -> None:
    errors: dict[str, list[str]] = {}
    today = timezone.localdate()
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
    user: User,
    commune: AdminUnit,
    full_name: str,
    sex: str,
    dob: dt.date,
    household: Household | None = None,
    village: AdminUnit | None = None,
    via_report: bool = False,
    **fields: Any,
) -> Child:
    """Add a child to the register.  Callers warn of duplicates first (clms.people.duplicates).

    ``via_report``: the child is added by a report filed by a role that may report but not
    keep the register (an agency officer); see REPORT_ONLY_ROLES.
    """
    if household is not None:
        commune, village = household.commune, village or household.village
    _check_place(user=user, commune=commune, village=village, via_report=via_report)
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
    _rescreen(child, user=user)
    return child


@transaction.atomic
def child_update(*, user: User, child: Child, version: int, **fields: Any) -> Child:
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
    _rescreen(child, user=user)
    return child


@transaction.atomic
def observation_record(
    *, user: User, child: Child, observed_on: dt.date, activity: str, **fields: Any
) -> WorkObservation:
    """Record what was seen and classify it under the law and the statistical standards."""
    _check_place(user=user, commune=child.commune, village=child.village)
    if observed_on < child.dob:
        raise ValidationError({"observed_on": _("The observation date is before the date of birth.")})
    if observed_on > timezone.localdate():
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
    _rescreen(child, user=user)
    return observation


@transaction.atomic
def guardian_add(*, user: User, child: Child, full_name: str, relationship: str, phone: str = "") -> Guardian:
    _check_place(user=user, commune=child.commune, village=child.village)
    guardian = Guardian(child=child, full_name=" ".join(full_name.split()), relationship=relationship.strip(), phone=phone.strip())
    guardian.full_clean()
    guardian.save()
    return guardian


@transaction.atomic
def consent_record(
    *, user: User, child: Child, given_by: str, relationship: str, given_on: dt.date, purpose: str
) -> Consent:
    """Record who consented, when and to what (Decree 13/2023 on personal data protection)."""
    _check_place(user=user, commune=child.commune, village=child.village)
    if given_on > timezone.localdate():
        raise ValidationError({"given_on": _("The consent date is in the future.")})
    consent = Consent(
        child=child, given_by=" ".join(given_by.split()), relationship=relationship.strip(),
        given_on=given_on, purpose=purpose.strip(), recorded_by=user,
    )
    consent.full_clean()
    consent.save()
    return consent


@transaction.atomic
def consent_withdraw(*, user: User, consent: Consent, withdrawn_on: dt.date) -> Consent:
    _check_place(user=user, commune=consent.child.commune, village=consent.child.village)
    if withdrawn_on < consent.given_on:
        raise ValidationError({"withdrawn_on": _("The withdrawal date is before the consent date.")})
    consent.withdrawn_on = withdrawn_on
    consent.save(update_fields=["withdrawn_on"])
    return consent


@transaction.atomic
def visit_record(
    *,
    user: User,
    child: Child,
    visited_on: dt.date,
    still_working: bool | None = None,
    school_status: str = "",
    note: str = "",
    observation_fields: dict[str, Any] | None = None,
) -> Visit:
    """Record a home or workplace visit; with ``observation_fields`` (at least ``activity``)
    also record what was seen as a classified WorkObservation dated the day of the visit."""
    _check_place(user=user, commune=child.commune, village=child.village)
    if visited_on > timezone.localdate():
        raise ValidationError({"visited_on": _("The visit date is in the future.")})
    if visited_on < child.dob:
        raise ValidationError({"visited_on": _("The visit date is before the date of birth.")})
    if school_status and school_status not in SchoolStatus.values:
        raise ValidationError({"school_status": _("Unknown school status.")})
    observation = None
    if observation_fields:
        fields = dict(observation_fields)
        activity = fields.pop("activity", "")
        if not activity:
            raise ValidationError({"activity": _("Say what the child was doing.")})
        observation = observation_record(user=user, child=child, observed_on=visited_on, activity=activity, **fields)
    visit = Visit(
        child=child, visited_on=visited_on, visited_by=user, still_working=still_working,
        school_status=school_status, observation=observation, note=note.strip(),
    )
    visit.full_clean()
    visit.save()
    changes: dict[str, Any] = {}
    if child.last_visit_on is None or visited_on > child.last_visit_on:
        changes["last_visit_on"] = visited_on
    if school_status and school_status != child.school_status:
        changes["school_status"] = school_status
    if changes:
        # A bumped version makes an edit form opened before the visit stale instead of
        # silently writing the old school status back.
        Child.objects.filter(pk=child.pk).update(version=F("version") + 1, **changes)
        child.refresh_from_db()
    if "school_status" in changes:
        _rescreen(child, user=user, family=False)
    return visit


def _reassign_related(keep: Child, remove: Child) -> dict[str, int]:
    """Point every row of any model that references ``remove`` (across all apps, cases
    included) at ``keep``.  Found through Django's relation registry, so an app added later
    is covered without the register knowing it.  A one-to-one already taken on ``keep``
    stays with ``remove``, which still exists and points to ``keep``."""
    moved: dict[str, int] = {}
    for relation in Child._meta.related_objects:
        model: Any = relation.related_model
        if relation.many_to_many:
            field: Any = relation.field
            through = field.remote_field.through
            accessor = field.m2m_reverse_field_name()
            owner = field.m2m_field_name()
            already = set(through._default_manager.filter(**{accessor: keep}).values_list(owner, flat=True))
            qs = through._default_manager.filter(**{accessor: remove})
            qs.exclude(**{f"{owner}__in": already}).update(**{accessor: keep})
            qs.delete()
            continue
        name = relation.field.name
        rows = model._base_manager.filter(**{name: remove})
        if relation.one_to_one:
            if model._base_manager.filter(**{name: keep}).exists():
                continue
        moved_pks = list(rows.values_list("pk", flat=True)) if tracked(model) else []
        count = rows.update(**{name: keep})
        # update() bypasses save(): record the moved observations' and cases' new child.
        history_record_pks(model, moved_pks, reason="merge")
        if count:
            moved[model._meta.label_lower] = moved.get(model._meta.label_lower, 0) + count
    return moved


@transaction.atomic
def child_merge(*, user: User, keep: Child, remove: Child) -> dict[str, int]:
    """Merge two records of the same child: ``remove`` hands everything to ``keep`` and is
    marked merged_into=keep (kept, not deleted, so its audit trail still resolves)."""
    if keep.pk == remove.pk:
        raise ValidationError(_("A child cannot be merged with itself."))
    if keep.merged_into_id is not None or remove.merged_into_id is not None:
        raise ValidationError(_("One of the two records was already merged."))
    _check_place(user=user, commune=keep.commune, village=keep.village)
    _check_place(user=user, commune=remove.commune, village=remove.village)
    # Mark first: the personal-id uniqueness ignores merged records, so the id may move.
    Child.objects.filter(pk=remove.pk).update(merged_into=keep, version=F("version") + 1)
    remove.merged_into = keep
    moved = _reassign_related(keep, remove)
    fill: dict[str, Any] = {}
    for name in ("personal_id", "household_id", "village_id", "school_name", "disability", "note"):
        if not getattr(keep, name) and getattr(remove, name):
            fill[name] = getattr(remove, name)
    circumstances = sorted(set(keep.special_circumstances) | set(remove.special_circumstances))
    if circumstances != sorted(keep.special_circumstances):
        fill["special_circumstances"] = circumstances
    if remove.last_visit_on and (keep.last_visit_on is None or remove.last_visit_on > keep.last_visit_on):
        fill["last_visit_on"] = remove.last_visit_on
    Child.objects.filter(pk=keep.pk).update(version=F("version") + 1, **fill)
    keep.refresh_from_db()
    remove.refresh_from_db()
    history_record([keep, remove], reason="merge")
    # The moved observations were classified with the removed record's date of birth (and
    # sex, for loads): classify every observation of the kept child again with its data, in
    # this transaction, so no age from the wrong record stays in CL_RATE.
    for observation in WorkObservation.objects.filter(child=keep).select_related("child"):
        observation_classify(observation)
    _rescreen(keep, user=user)
    return moved


@transaction.atomic
def child_register(
    *, user: User, child_fields: dict[str, Any], household: Household | None = None,
    household_fields: dict[str, Any] | None = None,
) -> Child:
    """The create flow of one page: a new household (or an existing one) and its child,
    both written or neither."""
    if household is None and household_fields is not None:
        household = household_create(user=user, **household_fields)
    if household is None:
        raise ValidationError(_("Choose or describe the household."))
    return child_create(user=user, household=household, commune=household.commune, **child_fields)
