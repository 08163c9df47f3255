"""Closing a case, not confirming a report, reopening."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from clms.cases.models import (
    OPEN_STATES,
    Case,
    ClosureReason,
    EventKind,
    State,
    StepCode,
)
from clms.cases.services.common import (
    check_case_writer,
    check_transition,
    step_done,
    step_open,
    steps_cancel,
    transition_apply,
)
from clms.cases.services.followups import follow_up_interval_text, may_close_as_resolved
from clms.core.history import history_record

if TYPE_CHECKING:
    from clms.accounts.models import User


@transaction.atomic
def case_close(*, user: User, case: Case, version: int, reason: str, note: str = "") -> Case:
    check_case_writer(user, case)
    check_transition(case, "close")
    errors: dict[str, list[str]] = {}
    if reason not in ClosureReason.values:
        errors["reason"] = [_("Choose the closure reason.")]
    elif reason == ClosureReason.NO_LONGER_CHILD_LABOUR:
        if case.state != State.MONITORING:
            errors["reason"] = [_("A case is closed as no longer in child labour only from monitoring.")]
        elif not may_close_as_resolved(case):
            errors["reason"] = [
                _(
                    "Two consecutive follow-up visits, at least %(days)s apart, must find no child labour and the"
                    " child in school or training."
                ) % {"days": follow_up_interval_text(case)}
            ]
    elif reason == ClosureReason.OTHER and not note.strip():
        errors["note"] = [_("Say why the case is closed.")]
    if errors:
        raise ValidationError(errors)
    now = timezone.now()
    case.closure_reason = reason
    case.closure_note = note.strip()
    case.closed_at = now
    transition_apply(case, user=user, action="close", version=version, kind=EventKind.CLOSE, now=now,
                fields=["closure_reason", "closure_note", "closed_at"], note=note)
    steps_cancel(case, now)
    return case


@transaction.atomic
def case_not_confirm(*, user: User, case: Case, version: int, note: str) -> Case:
    check_case_writer(user, case)
    if not note.strip():
        raise ValidationError({"note": _("Say what the verification found.")})
    now = timezone.now()
    transition_apply(case, user=user, action="not_confirm", version=version, kind=EventKind.NOT_CONFIRM, now=now,
                note=note)
    case.closed_at = now
    Case.objects.filter(pk=case.pk).update(closed_at=now)
    history_record([case])  # update() bypasses django-simple-history
    step_done(case, StepCode.VERIFICATION, now)
    steps_cancel(case, now)
    return case


@transaction.atomic
def case_reopen(*, user: User, case: Case, version: int, note: str) -> Case:
    check_case_writer(user, case)
    if not note.strip():
        raise ValidationError({"note": _("Say why the case is reopened.")})
    if Case.objects.filter(child=case.child, state__in=OPEN_STATES).exclude(pk=case.pk).exists():
        raise ValidationError(_("The child has another open case."))
    now = timezone.now()
    case.closure_reason = ""
    case.closure_note = ""
    case.closed_at = None
    transition_apply(case, user=user, action="reopen", version=version, kind=EventKind.REOPEN, now=now,
                fields=["closure_reason", "closure_note", "closed_at"], note=note)
    step_open(case, step=StepCode.VERIFICATION, start=now)
    return case
