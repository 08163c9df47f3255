"""Writes to outreach: activities with their reach and printed quantities, attendance lists."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from clms.accounts.policy import Perm, require
from clms.core.locking import save_versioned
from clms.employers.models import Employer, EmployerKind
from clms.outreach.models import (
    ActivityKind,
    Attendee,
    OutreachActivity,
    PrintedQuantity,
    Reach,
    ReachGroup,
)
from clms.outreach.selectors import can_write_activity
from clms.places.models import AdminUnit, Level
from clms.rules import fold

if TYPE_CHECKING:
    from clms.accounts.models import User

# An employer on an attendance list counts in the group its kind belongs to.
EMPLOYER_GROUPS = {
    EmployerKind.ENTERPRISE: ReachGroup.ENTERPRISES,
    EmployerKind.COOPERATIVE: ReachGroup.COOPERATIVES,
    EmployerKind.COOPERATIVE_GROUP: ReachGroup.COOPERATIVES,
    EmployerKind.HOUSEHOLD_BUSINESS: ReachGroup.CRAFT_HOUSEHOLDS,
    EmployerKind.INDIVIDUAL: ReachGroup.OTHER,
}

ACTIVITY_FIELDS = (
    "kind", "title", "topic", "unit", "lead_agency", "starts_on", "ends_on", "status",
    "peak_period", "content_area", "channel", "broadcasts", "notes",
)


def _validate(activity: OutreachActivity, printed: Mapping[str, int]) -> None:
    errors: dict[str, list[str]] = {}
    if activity.unit.level == Level.VILLAGE:
        errors["unit"] = [_("Record the activity for the commune or a higher level, not a village.")]
    if activity.ends_on and activity.ends_on < activity.starts_on:
        errors["ends_on"] = [_("The end date is before the start date.")]
    if activity.kind == ActivityKind.BROADCAST and not activity.channel:
        errors["channel"] = [_("Choose the channel of the broadcast.")]
    if activity.kind != ActivityKind.BROADCAST and (activity.channel or activity.broadcasts):
        errors["channel"] = [_("A channel is only recorded for broadcasts.")]
    if activity.kind != ActivityKind.PRINTED and any(printed.values()):
        errors["kind"] = [_("Quantities of printed products are recorded on a printed-products activity.")]
    if activity.kind == ActivityKind.PRINTED and not any(printed.values()):
        errors["kind"] = [_("Enter the quantity of at least one printed product.")]
    if activity.content_area is not None and activity.content_area.plan.scope_level == "national":
        errors["content_area"] = [_("Choose a content area of the local plan.")]
    if errors:
        raise ValidationError(errors)


def _check_writer(user: User, activity: OutreachActivity) -> None:
    require(user, Perm.OUTREACH_WRITE)
    if getattr(user, "role", "") == "agency_officer" and not getattr(user, "is_admin", False):
        # An agency officer records his own agency's activities only.
        activity.lead_agency = user.agency
    if not can_write_activity(user, activity):
        raise PermissionDenied


def _write_counts(activity: OutreachActivity, reach: Mapping[str, int], printed: Mapping[str, int]) -> None:
    listed = set(Attendee.objects.filter(activity=activity).values_list("group", flat=True))
    for group, count in reach.items():
        if group in listed:
            continue  # the attendance list decides the count of its groups
        _set_reach(activity, group, count)
    for product, quantity in printed.items():
        if quantity:
            PrintedQuantity.objects.update_or_create(activity=activity, product=product, defaults={"quantity": quantity})
        else:
            PrintedQuantity.objects.filter(activity=activity, product=product).delete()


@transaction.atomic
def activity_create(
    *,
    user: User,
    kind: str,
    title: str,
    unit: AdminUnit,
    starts_on: dt.date,
    reach: Mapping[str, int] | None = None,
    printed: Mapping[str, int] | None = None,
    **fields: Any,
) -> OutreachActivity:
    activity = OutreachActivity(kind=kind, title=title.strip(), unit=unit, starts_on=starts_on, created_by=user)
    for name, value in fields.items():
        if name not in ACTIVITY_FIELDS:
            raise TypeError(name)
        setattr(activity, name, value.strip() if isinstance(value, str) else value)
    _check_writer(user, activity)
    _validate(activity, printed or {})
    activity.full_clean()
    activity.save()
    _write_counts(activity, reach or {}, printed or {})
    return activity


@transaction.atomic
def activity_update(
    *,
    user: User,
    activity: OutreachActivity,
    version: int,
    reach: Mapping[str, int] | None = None,
    printed: Mapping[str, int] | None = None,
    **fields: Any,
) -> OutreachActivity:
    _check_writer(user, activity)
    for name, value in fields.items():
        if name not in ACTIVITY_FIELDS:
            raise TypeError(name)
        setattr(activity, name, value.strip() if isinstance(value, str) else value)
    _check_writer(user, activity)
    if activity.kind != ActivityKind.TRAINING and activity.attendees.exists():
        raise ValidationError({"kind": _("This activity has an attendance list; only a training can keep one.")})
    _validate(activity, printed or {})
    activity.full_clean()
    save_versioned(activity, expected_version=version, fields=[*fields, "lead_agency"])
    _write_counts(activity, reach or {}, printed or {})
    return activity


def _set_reach(activity: OutreachActivity, group: str, count: int) -> None:
    """One reach row per group with people reached; none for a group reached by nobody."""
    if count:
        Reach.objects.update_or_create(activity=activity, group=group, defaults={"count": count})
    else:
        Reach.objects.filter(activity=activity, group=group).delete()


def _sync_reach(activity: OutreachActivity, group: str) -> None:
    _set_reach(activity, group, Attendee.objects.filter(activity=activity, group=group).count())


@transaction.atomic
def attendee_add(
    *,
    user: User,
    activity: OutreachActivity,
    group: str = "",
    full_name: str = "",
    position: str = "",
    person_unit: AdminUnit | None = None,
    employer: Employer | None = None,
) -> Attendee:
    """Add a person or an employer to a training's attendance list; the group's count follows the list."""
    if not can_write_activity(user, activity):
        raise PermissionDenied
    if activity.kind != ActivityKind.TRAINING:
        raise ValidationError({"__all__": [_("Attendance lists are kept for trainings only.")]})
    full_name = " ".join(full_name.split())
    position = " ".join(position.split())
    if employer is not None:
        group = EMPLOYER_GROUPS.get(EmployerKind(employer.kind), ReachGroup.OTHER)
        if Attendee.objects.filter(activity=activity, employer=employer).exists():
            raise ValidationError({"employer": [_("This employer is already on the list.")]})
    else:
        if not full_name:
            raise ValidationError({"full_name": [_("Enter the attendee's full name or choose an employer.")]})
        if not group:
            raise ValidationError({"group": [_("Choose the attendee's target group.")]})
        duplicate = Attendee.objects.filter(
            activity=activity,
            employer__isnull=True,
            name_folded=fold(full_name),
            position_folded=fold(position),
            person_unit=person_unit,
        )
        if duplicate.exists():
            raise ValidationError({"full_name": [_("%(name)s is already on the list.") % {"name": full_name}]})
    attendee = Attendee(
        activity=activity,
        group=group,
        employer=employer,
        full_name=full_name,
        name_folded=fold(full_name),
        position=position,
        position_folded=fold(position),
        person_unit=person_unit,
        created_by=user,
    )
    attendee.full_clean()
    attendee.save()
    _sync_reach(activity, group)
    return attendee


@transaction.atomic
def attendee_remove(*, user: User, attendee: Attendee) -> None:
    activity = attendee.activity
    if not can_write_activity(user, activity):
        raise PermissionDenied
    group = attendee.group
    attendee.delete()
    _sync_reach(activity, group)
