"""Reminders of assignments, referrals and deadlines: in the inbox and by e-mail.

``reminders_send`` is run daily by ``manage.py send_reminders``.  It is idempotent: a
reminder is one Notification per user, step and kind (a database constraint), and an
e-mail goes out once per notification (``emailed_at``).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from clms.accounts.models import User
from clms.cases.calendar import current_calendar, due_soon_limit
from clms.cases.models import OPEN_STATES, CaseStep, Notification, NotificationKind
from clms.cases.services import commune_officers

# Older unsent notifications are not e-mailed: a user who adds an address later should not
# receive months of stale reminders at once.
EMAIL_WINDOW = dt.timedelta(days=7)


@dataclass
class ReminderResult:
    due_soon: int = 0
    overdue: int = 0
    emailed: int = 0


def _recipients(step: CaseStep) -> list[User]:
    case = step.case
    if case.assigned_to is not None and case.assigned_to.is_active:
        return [case.assigned_to]
    return commune_officers(case.commune)


def _text(step: CaseStep, kind: str) -> str:
    when = timezone.localtime(step.due_at).strftime("%H:%M %d/%m/%Y")
    values = {"step": step.get_step_display(), "child": step.case.child.full_name, "when": when}
    if kind == NotificationKind.OVERDUE:
        return _("Overdue: %(step)s for %(child)s was due at %(when)s.") % values
    return _("Due soon: %(step)s for %(child)s is due at %(when)s.") % values


def reminders_send(*, now: dt.datetime | None = None) -> ReminderResult:
    now = now or timezone.now()
    result = ReminderResult()
    limit = due_soon_limit(now, current_calendar())
    steps = CaseStep.objects.filter(
        done_at__isnull=True, cancelled_at__isnull=True, case__state__in=OPEN_STATES, due_at__lt=limit
    ).select_related("case__child", "case__assigned_to", "case__commune")
    existing = set(
        Notification.objects.filter(step__in=steps).values_list("user_id", "step_id", "kind")
    )
    with override(settings.LANGUAGE_CODE):
        for step in steps:
            kind = NotificationKind.OVERDUE if step.due_at <= now else NotificationKind.DUE_SOON
            for user in _recipients(step):
                if (user.pk, step.pk, kind) in existing:
                    continue
                try:
                    with transaction.atomic():
                        Notification.objects.create(user=user, case=step.case, step=step, kind=kind, text=_text(step, kind))
                except IntegrityError:  # another run got there first
                    continue
                existing.add((user.pk, step.pk, kind))
                if kind == NotificationKind.OVERDUE:
                    result.overdue += 1
                else:
                    result.due_soon += 1
        result.emailed = _send_emails(now)
    return result


def _inbox_link() -> str:
    return f"{settings.CLMS_SITE_URL.rstrip('/')}{reverse('cases:inbox')}"


def _send_emails(now: dt.datetime) -> int:
    pending = Notification.objects.filter(
        emailed_at__isnull=True, created__gte=now - EMAIL_WINDOW
    ).exclude(user__email="").select_related("user").order_by("user_id", "created")
    sent = 0
    for notification in pending:
        # Claim and send in one transaction: a failed send is retried by the next run, and
        # two runs at once cannot both claim the same notification.
        with transaction.atomic():
            claimed = Notification.objects.filter(pk=notification.pk, emailed_at__isnull=True).update(emailed_at=now)
            if not claimed:
                continue
            # No child's name by e-mail: mail leaves our control and outlives the reader's
            # right to see the child.  The link opens the inbox, which checks that right.
            send_mail(
                subject=_("CLMS: %(kind)s") % {"kind": notification.get_kind_display()},
                message=_("You have a new message in CLMS (%(kind)s). Open your inbox to read it: %(link)s") % {
                    "kind": notification.get_kind_display(), "link": _inbox_link(),
                },
                from_email=None,
                recipient_list=[notification.user.email],
            )
        sent += 1
    return sent
