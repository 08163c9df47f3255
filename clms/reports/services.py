"""Writes of reports: periods, submissions and their transitions.

Every transition records who and when in the submission's timeline and in the audit log, and
is refused on a stale version (optimistic locking), so a supervisor cannot accept a report that
was changed after he opened it.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _

from clms.accounts.audit import audit_log
from clms.accounts.models import AuditAction, User
from clms.core.locking import save_versioned
from clms.places.models import AdminUnit, Level
from clms.places.scoping import can_write_unit
from clms.reports import clock, figures, selectors, texts
from clms.reports.models import (
    TEXT_FIELDS,
    DocumentFields,
    EventAction,
    ReportingPeriod,
    Snapshot,
    Submission,
    SubmissionEvent,
    SubmissionStatus,
)

EDITABLE = (SubmissionStatus.DRAFT, SubmissionStatus.RETURNED)


def _audit(user: User, action: str, obj: Any, request: HttpRequest | None, **detail: Any) -> None:
    audit_log(
        user=user,
        action=action,
        object_type=f"reports.{type(obj).__name__.lower()}",
        object_id=obj.pk,
        request=request,
        detail=detail,
    )


def document_defaults(unit: AdminUnit, year: int, receiver: AdminUnit | None) -> dict[str, Any]:
    """The wording a new report starts from (data/report_form.toml), by level and date."""
    block = texts.issuer_block(unit.level, selectors.reference_day(year))
    receiver_name = texts.lower_first(receiver.name) if receiver else ""
    return {
        "symbol": texts.form()["document"]["symbol"],
        "place": texts.place_name(unit.short_name or unit.name),
        "subject": texts.form()["document"]["subject"].format(year=year),
        "recipients_to": "\n".join(line.format(receiver=receiver_name) for line in block["recipients_to"]),
        "recipients": "\n".join(block["recipients"]),
        "signer_authority": block["authority"],
        "signer_deputy": block["deputy"],
        "signer_position": block["position"],
    }


def _apply(obj: DocumentFields, values: dict[str, Any]) -> list[str]:
    changed = []
    for name, value in values.items():
        if name not in TEXT_FIELDS:
            raise ValueError(f"{name} is not an editable field of a report")
        if getattr(obj, name) != value:
            setattr(obj, name, value)
            changed.append(name)
    return changed


def _senders(submission: Submission) -> list[Any]:
    """The officers of the reporting unit who send its report (commune officers of a commune,
    including those of the commune it became in 2025; supervisors of a district)."""
    from django.db.models import Q

    from clms.accounts.models import User

    role = selectors.SENDER_ROLE.get(Level(submission.unit.level))
    unit = submission.unit
    return list(
        User.objects.filter(role=role, is_active=True)
        .filter(Q(area=unit) | Q(area__succession_in__predecessor=unit))
        .distinct()
        .order_by("pk")
    )


def _notify_decision(submission: Submission, decided_by: User) -> None:
    """The returned or accepted decision in the inbox of the unit's officers, and by e-mail."""
    from clms.cases.services import notification_send

    values = {"year": submission.period.year, "unit": submission.unit.name, "receiver": submission.period.receiver.name}
    if submission.status == SubmissionStatus.RETURNED:
        text = _("The %(year)s report of %(unit)s was returned by %(receiver)s: %(reason)s") % {**values, "reason": submission.return_reason}
        subject = _("CLMS: report returned")
    else:
        text = _("The %(year)s report of %(unit)s was accepted by %(receiver)s.") % values
        subject = _("CLMS: report accepted")
    link = reverse("reports:submission", args=[submission.pk])
    notification_send(users=[u for u in _senders(submission) if u.pk != decided_by.pk], text=text, link=link, subject=subject)


def _event(submission: Submission, user: User, action: str, *, note: str = "", snapshot: Snapshot | None = None) -> SubmissionEvent:
    return SubmissionEvent.objects.create(
        submission=submission, action=action, by=user, at=clock.now(), note=note, snapshot=snapshot
    )


# ---------------------------------------------------------------------------
# Periods
# ---------------------------------------------------------------------------


def period_for(*, receiver: AdminUnit, level: str, year: int, plan_unit: AdminUnit, user: User) -> ReportingPeriod:
    """The receiver's period for the year, opened with the plan's due date if it is new."""
    period = ReportingPeriod.objects.filter(receiver=receiver, year=year).first()
    if period is not None:
        return period
    plan = selectors.reporting_plan(plan_unit, year)
    period = ReportingPeriod(
        receiver=receiver,
        year=year,
        level=level,
        plan=plan,
        due_on=selectors.default_due(plan, year),
        created_by=user,
        **document_defaults(receiver, year, receiver.parent if receiver.level != Level.PROVINCE else None),
    )
    period.full_clean()
    period.save()
    return period


@transaction.atomic
def period_update(
    *, user: User, period: ReportingPeriod, version: int, due_on: dt.date, request: HttpRequest | None = None, **values: Any
) -> ReportingPeriod:
    """The receiving level sets the due date and the wording of its own aggregate report."""
    if not selectors.may_receive(user, period):
        raise PermissionDenied
    changed = _apply(period, values)
    if period.due_on != due_on:
        period.due_on = due_on
        changed.append("due_on")
    period.full_clean()
    save_versioned(period, expected_version=version, fields=changed)
    _audit(user, AuditAction.UPDATE, period, request, fields=changed)
    return period


# ---------------------------------------------------------------------------
# Submissions
# ---------------------------------------------------------------------------


@transaction.atomic
def submission_start(*, user: User, unit: AdminUnit, year: int, request: HttpRequest | None = None) -> Submission:
    """A draft report of ``unit`` for ``year`` (or the one already started)."""
    if unit.level not in selectors.REPORTING_LEVELS:
        raise PermissionDenied
    is_sender = user.is_admin or user.role == selectors.SENDER_ROLE[Level(unit.level)]
    if not is_sender or not can_write_unit(user, unit):
        raise PermissionDenied
    receiver = selectors.receiver_of(unit, year)
    if receiver is None:
        raise ValidationError(
            {"year": _("%(unit)s does not report for %(year)s: it was not in force on the due date.") % {"unit": unit.name, "year": year}}
        )
    period = period_for(receiver=receiver, level=unit.level, year=year, plan_unit=unit, user=user)
    existing = Submission.objects.filter(period=period, unit=unit).first()
    if existing is not None:
        return existing
    submission = Submission(period=period, unit=unit, created_by=user, **document_defaults(unit, year, receiver))
    submission.full_clean()
    submission.save()
    _event(submission, user, EventAction.CREATED)
    _audit(user, AuditAction.CREATE, submission, request, year=year, unit=unit.pk)
    return submission


def _check_sender(user: User, submission: Submission) -> None:
    if not selectors.may_send(user, submission):
        raise PermissionDenied


def _check_receiver(user: User, submission: Submission) -> None:
    if not selectors.may_receive(user, submission.period):
        raise PermissionDenied


@transaction.atomic
def submission_update(
    *, user: User, submission: Submission, version: int, request: HttpRequest | None = None, **values: Any
) -> Submission:
    """Save the typed parts (number, date, recipients, signer, difficulties, proposals, tasks)."""
    _check_sender(user, submission)
    if submission.status not in EDITABLE:
        raise ValidationError(_("A submitted or accepted report can no longer be edited."))
    changed = _apply(submission, values)
    submission.full_clean()
    save_versioned(submission, expected_version=version, fields=changed)
    if changed:
        labels = [str(getattr(Submission._meta.get_field(name), "verbose_name", name)) for name in changed]
        _event(submission, user, EventAction.EDITED, note=", ".join(labels))
    _audit(user, AuditAction.UPDATE, submission, request, fields=changed)
    return submission


def _missing_for_submit(submission: Submission) -> dict[str, str]:
    errors = {}
    if not submission.signer_name.strip():
        errors["signer_name"] = _("Enter the signer's name before submitting.")
    if not submission.recipients_to.strip():
        errors["recipients_to"] = _("Enter at least one recipient before submitting.")
    return errors


@transaction.atomic
def submission_submit(*, user: User, submission: Submission, version: int, request: HttpRequest | None = None) -> Submission:
    """Send the report up: freeze its figures in a snapshot (again after a return)."""
    _check_sender(user, submission)
    if submission.status not in EDITABLE:
        raise ValidationError(_("This report has already been submitted."))
    errors = _missing_for_submit(submission)
    if errors:
        raise ValidationError(errors)
    year = submission.period.year
    data = selectors.live_figures(submission.unit, year)
    snapshot = Snapshot.objects.create(
        submission=submission,
        taken_at=clock.now(),
        ruleset_ids=figures.ruleset_ids(year),
        plan=submission.period.plan,
        data=data,
    )
    again = submission.status == SubmissionStatus.RETURNED
    submission.status = SubmissionStatus.SUBMITTED
    submission.snapshot = snapshot
    submission.submitted_at = snapshot.taken_at
    submission.decided_at = None
    if submission.issued_on is None:
        submission.issued_on = clock.today()
    save_versioned(submission, expected_version=version, fields=["status", "snapshot", "submitted_at", "decided_at", "issued_on"])
    _event(submission, user, EventAction.RESUBMITTED if again else EventAction.SUBMITTED, snapshot=snapshot)
    _audit(user, AuditAction.UPDATE, submission, request, status=submission.status, snapshot=snapshot.pk)
    return submission


@transaction.atomic
def submission_return(
    *, user: User, submission: Submission, version: int, reason: str, request: HttpRequest | None = None
) -> Submission:
    """The receiving level sends the report back with a reason; the sender may resubmit."""
    _check_receiver(user, submission)
    if submission.status != SubmissionStatus.SUBMITTED:
        raise ValidationError(_("Only a submitted report can be returned."))
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the report is returned.")})
    submission.status = SubmissionStatus.RETURNED
    submission.return_reason = reason
    submission.decided_at = clock.now()
    save_versioned(submission, expected_version=version, fields=["status", "return_reason", "decided_at"])
    _event(submission, user, EventAction.RETURNED, note=reason, snapshot=submission.snapshot)
    _audit(user, AuditAction.UPDATE, submission, request, status=submission.status)
    _notify_decision(submission, user)
    return submission


@transaction.atomic
def submission_accept(*, user: User, submission: Submission, version: int, request: HttpRequest | None = None) -> Submission:
    """The receiving level accepts the report: its snapshot now counts in the aggregate."""
    _check_receiver(user, submission)
    if submission.status != SubmissionStatus.SUBMITTED:
        raise ValidationError(_("Only a submitted report can be accepted."))
    submission.status = SubmissionStatus.ACCEPTED
    submission.decided_at = clock.now()
    save_versioned(submission, expected_version=version, fields=["status", "decided_at"])
    _event(submission, user, EventAction.ACCEPTED, snapshot=submission.snapshot)
    _audit(user, AuditAction.UPDATE, submission, request, status=submission.status)
    _notify_decision(submission, user)
    return submission
