"""The due-time policies of the steps, set per area."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from clms.accounts.audit import audit_log
from clms.accounts.models import AuditAction
from clms.accounts.policy import RULES, Perm, require
from clms.cases.models import (
    DuePolicy,
    DueUnit,
    StartEvent,
)
from clms.core.locking import save_versioned
from clms.core.templatetags.vn_format import vn_number
from clms.places.models import AdminUnit, Level

if TYPE_CHECKING:
    from clms.accounts.models import User

POLICY_ROLES = RULES[Perm.DUE_POLICY_SET]


@transaction.atomic
def duepolicy_set(*, user: User, step: str, scope_unit: AdminUnit, amount: int, unit: str,
                  start_event: str, version: int | None = None) -> DuePolicy:
    """A local override of a step's due time at a commune, district or province.  A
    statutory limit may be shortened locally, never lengthened."""
    require(user, Perm.DUE_POLICY_SET, scope_unit)
    if scope_unit.level == Level.VILLAGE:
        raise ValidationError({"scope_unit": _("Due times are set for a commune, district or province.")})
    default = DuePolicy.objects.get(step=step, scope_unit__isnull=True)
    errors: dict[str, list[str]] = {}
    if unit not in DueUnit.values:
        errors["unit"] = [_("Unknown unit.")]
    if start_event not in StartEvent.values:
        errors["start_event"] = [_("Unknown start.")]
    if amount < 1:
        errors["amount"] = [_("Enter a positive number.")]
    if default.statutory and (unit != default.unit or amount > default.amount or start_event != default.start_event):
        errors["amount"] = [
            _("The law sets at most %(amount)s %(unit)s; a local policy may only shorten it.")
            % {"amount": vn_number(default.amount), "unit": default.get_unit_display()}
        ]
    if errors:
        raise ValidationError(errors)
    policy = DuePolicy.objects.filter(step=step, scope_unit=scope_unit).first()
    if policy is None:
        policy = DuePolicy(
            step=step, scope_unit=scope_unit, amount=amount, unit=unit, start_event=start_event,
            statutory=default.statutory, legal_basis=default.legal_basis, updated_by=user,
        )
        policy.full_clean()
        policy.save()
    else:
        policy.amount, policy.unit, policy.start_event, policy.updated_by = amount, unit, start_event, user
        policy.full_clean()
        save_versioned(policy, expected_version=policy.version if version is None else version,
                       fields=["amount", "unit", "start_event", "updated_by"])
    audit_log(user=user, action=AuditAction.UPDATE, object_type="cases.duepolicy", object_id=policy.pk,
              detail={"step": step, "amount": amount, "unit": unit})
    return policy


@transaction.atomic
def duepolicy_reset(*, user: User, policy: DuePolicy) -> None:
    if policy.scope_unit is None:
        raise ValidationError(_("The default cannot be removed."))
    require(user, Perm.DUE_POLICY_SET, policy.scope_unit)
    audit_log(user=user, action=AuditAction.DELETE, object_type="cases.duepolicy", object_id=policy.pk)
    policy.delete()
