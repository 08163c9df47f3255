"""Referrals of a child to an agency and the agency's answer."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from clms.accounts.audit import audit_log
from clms.accounts.models import AuditAction, Role, User
from clms.cases.catalogue import service_types
from clms.cases.models import (
    CaseEvent,
    EventKind,
    Referral,
    ReferralStatus,
)
from clms.cases.selectors import (
    referrals_for_user,
)
from clms.cases.services.common import InvalidTransition
from clms.core.locking import save_versioned
from clms.rules import age_in_years


def initials(full_name: str) -> str:
    """ "Lê Thị Hoa" → "L.T.H.": enough for an agency officer to tell two referrals apart,
    not enough to name the child in an inbox line or an e-mail subject."""
    return "".join(f"{word[0].upper()}." for word in full_name.split() if word)


def referral_notice(referral: Referral, service: str, *, now: dt.datetime) -> str:
    case = referral.case
    return _(
        "Case no. %(case)s, %(commune)s: %(initials)s, %(age)s years old. New referral: %(service)s."
    ) % {
        "case": case.pk,
        "commune": case.commune.name,
        "initials": initials(case.child.full_name),
        "age": age_in_years(case.child.dob, timezone.localtime(now).date()),
        "service": service,
    }


def agency_officers_for(referral: Referral) -> list[User]:
    """Agency officers who answer this referral: same agency, area at or above the provider unit."""
    ancestors = [int(pk) for pk in referral.provider_unit.path.strip("/").split("/") if pk]
    return list(
        User.objects.filter(role=Role.AGENCY_OFFICER, is_active=True, agency=referral.agency, area_id__in=ancestors)
    )


# ---------------------------------------------------------------------------
# Referrals
# ---------------------------------------------------------------------------

REFERRAL_MOVES: dict[str, set[str]] = {
    ReferralStatus.SENT: {ReferralStatus.ACCEPTED, ReferralStatus.DELIVERED, ReferralStatus.REFUSED},
    ReferralStatus.ACCEPTED: {ReferralStatus.DELIVERED, ReferralStatus.REFUSED},
}


@transaction.atomic
def referral_answer(*, user: User, referral: Referral, version: int, status: str,
                    delivered_on: dt.date | None = None, refusal_reason: str = "", note: str = "") -> Referral:
    """The provider agency accepts, delivers or refuses the service."""
    if not (user.is_admin or user.role == Role.AGENCY_OFFICER):
        raise PermissionDenied
    if not referrals_for_user(user).filter(pk=referral.pk).exists():
        raise PermissionDenied
    if status not in REFERRAL_MOVES.get(referral.status, set()):
        raise InvalidTransition(_("This answer is not possible for a referral that is “%(status)s”.")
                                % {"status": referral.get_status_display()})
    errors: dict[str, list[str]] = {}
    if status == ReferralStatus.DELIVERED:
        if delivered_on is None:
            errors["delivered_on"] = [_("Enter the date the service was delivered.")]
        elif delivered_on > timezone.localdate():
            errors["delivered_on"] = [_("The date is in the future.")]
        elif delivered_on < timezone.localtime(referral.sent_at).date():
            errors["delivered_on"] = [_("The service was delivered before it was referred.")]
    if status == ReferralStatus.REFUSED and not refusal_reason.strip():
        errors["refusal_reason"] = [_("Give the reason for refusing.")]
    if errors:
        raise ValidationError(errors)
    now = timezone.now()
    referral.status = status
    referral.answered_at = now
    referral.answered_by = user
    referral.delivered_on = delivered_on if status == ReferralStatus.DELIVERED else None
    referral.refusal_reason = refusal_reason.strip() if status == ReferralStatus.REFUSED else ""
    referral.answer_note = note.strip()
    referral.full_clean()
    save_versioned(
        referral, expected_version=version,
        fields=["status", "answered_at", "answered_by", "delivered_on", "refusal_reason", "answer_note"],
    )
    audit_log(user=user, action=AuditAction.UPDATE, object_type="cases.referral", object_id=referral.pk,
              detail={"status": status})
    CaseEvent.objects.create(
        case=referral.case, kind=EventKind.REFERRAL, at=now, by=user,
        note=f"{service_types()[referral.service_type].label}: {referral.get_status_display()}",
    )
    return referral
