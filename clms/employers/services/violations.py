"""Violations: proposed -> confirmed -> penalised -> remedied, or dismissed."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from clms.core.locking import save_versioned
from clms.core.templatetags.vn_format import vn_number
from clms.employers.models import (
    Violation,
    ViolationStatus,
)
from clms.employers.services.common import check_write, today

if TYPE_CHECKING:
    from clms.accounts.models import User

# ---------------------------------------------------------------------------
# Violations: proposed -> confirmed -> penalised -> remedied, or dismissed
# ---------------------------------------------------------------------------


def _transition(violation: Violation, allowed: Iterable[str]) -> None:
    if violation.status not in allowed:
        raise ValidationError(
            _("This violation is “%(status)s”; that step is not possible now.") % {"status": violation.get_status_display()}
        )


def _check_deadline(deadline: dt.date | None, violation: Violation) -> None:
    if deadline is not None and deadline < violation.inspection.inspected_on:
        raise ValidationError({"remedy_deadline": _("The remedy deadline is before the inspection.")})


@transaction.atomic
def violation_confirm(*, user: User, violation: Violation, version: int, remedy_deadline: dt.date | None = None) -> Violation:
    check_write(user, violation.employer.commune)
    _transition(violation, [ViolationStatus.PROPOSED])
    _check_deadline(remedy_deadline, violation)
    violation.status = ViolationStatus.CONFIRMED
    violation.remedy_deadline = remedy_deadline
    violation.updated_by = user
    save_versioned(violation, expected_version=version, fields=["status", "remedy_deadline", "updated_by"])
    return violation


@transaction.atomic
def violation_penalise(
    *,
    user: User,
    violation: Violation,
    version: int,
    decision_number: str,
    decision_date: dt.date,
    fine_amount: int,
    remedy_deadline: dt.date | None = None,
) -> Violation:
    check_write(user, violation.employer.commune)
    _transition(violation, [ViolationStatus.CONFIRMED])
    errors: dict[str, list[str]] = {}
    if not decision_number.strip():
        errors.setdefault("decision_number", []).append(_("Enter the number of the sanction decision."))
    if decision_date < violation.inspection.inspected_on:
        errors.setdefault("decision_date", []).append(_("The decision date is before the inspection."))
    if decision_date > today():
        errors.setdefault("decision_date", []).append(_("The decision date is in the future."))
    if violation.fine_min is None or violation.fine_max is None:
        errors.setdefault("fine_amount", []).append(
            _("The decree sets no administrative fine for this violation; refer it to the police instead.")
        )
    elif not violation.fine_min <= fine_amount <= violation.fine_max:
        errors.setdefault("fine_amount", []).append(
            _("The fine must be between %(low)s and %(high)s đồng.")
            % {"low": _money(violation.fine_min), "high": _money(violation.fine_max)}
        )
    if errors:
        raise ValidationError(errors)
    _check_deadline(remedy_deadline, violation)
    violation.status = ViolationStatus.PENALISED
    violation.decision_number = decision_number.strip()
    violation.decision_date = decision_date
    violation.fine_amount = fine_amount
    if remedy_deadline is not None:
        violation.remedy_deadline = remedy_deadline
    violation.updated_by = user
    save_versioned(
        violation,
        expected_version=version,
        fields=["status", "decision_number", "decision_date", "fine_amount", "remedy_deadline", "updated_by"],
    )
    return violation


@transaction.atomic
def violation_remedy(*, user: User, violation: Violation, version: int, remedied_on: dt.date) -> Violation:
    check_write(user, violation.employer.commune)
    _transition(violation, [ViolationStatus.CONFIRMED, ViolationStatus.PENALISED])
    if remedied_on < violation.inspection.inspected_on or remedied_on > today():
        raise ValidationError({"remedied_on": _("The remedy date must lie between the inspection and today.")})
    violation.status = ViolationStatus.REMEDIED
    violation.remedied_on = remedied_on
    violation.updated_by = user
    save_versioned(violation, expected_version=version, fields=["status", "remedied_on", "updated_by"])
    return violation


@transaction.atomic
def violation_dismiss(*, user: User, violation: Violation, version: int, reason: str) -> Violation:
    check_write(user, violation.employer.commune)
    _transition(violation, [ViolationStatus.PROPOSED, ViolationStatus.CONFIRMED])
    if not reason.strip():
        raise ValidationError({"dismissed_reason": _("Say why the violation is dismissed.")})
    violation.status = ViolationStatus.DISMISSED
    violation.dismissed_reason = reason.strip()
    violation.updated_by = user
    save_versioned(violation, expected_version=version, fields=["status", "dismissed_reason", "updated_by"])
    return violation


def _money(amount: int) -> str:
    return vn_number(int(amount))
