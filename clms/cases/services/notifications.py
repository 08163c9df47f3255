"""Notifications of case workers (the inbox) and the mail that goes with them."""

from __future__ import annotations

import logging
from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from clms.accounts.models import Role, User
from clms.cases.models import (
    Case,
    CaseStep,
    Notification,
    NotificationKind,
    Referral,
)
from clms.places.models import AdminUnit

logger = logging.getLogger(__name__)


def commune_officers(commune: AdminUnit) -> list[User]:
    return list(
        User.objects.filter(role=Role.COMMUNE_OFFICER, is_active=True)
        .filter(Q(area=commune) | Q(area__succession_in__predecessor=commune))
        .distinct()
        .order_by("pk")
    )


def notify(*, user: User, case: Case, kind: str, text: str, step: CaseStep | None = None,
            referral: Referral | None = None) -> Notification | None:
    lookup: dict[str, Any] = {"user": user, "kind": kind}
    if step is not None:
        lookup["step"] = step
    if referral is not None:
        lookup["referral"] = referral
    if (step is not None or referral is not None) and Notification.objects.filter(**lookup).exists():
        return None
    return Notification.objects.create(case=case, text=text[:255], **lookup)


def notification_send(*, users: list[User], text: str, link: str, subject: str) -> list[Notification]:
    """Messages that are not about a case (a yearly report's decision): in the inbox at once
    and by e-mail once the transaction commits; marked e-mailed so send_reminders skips them."""
    made = [
        Notification.objects.create(user=u, kind=NotificationKind.REPORT, text=text[:255], link=link[:200]) for u in users
    ]

    def mail() -> None:
        for notification in made:
            if not notification.user.email:
                continue
            try:
                send_mail(subject=subject, message=text, from_email=None, recipient_list=[notification.user.email])
            except OSError:
                # The mail server is down: left un-e-mailed, send_reminders tries it again.
                logger.warning("could not e-mail notification %s", notification.pk, exc_info=True)
                continue
            Notification.objects.filter(pk=notification.pk).update(emailed_at=timezone.now())

    transaction.on_commit(mail)
    return made


# ---------------------------------------------------------------------------
# Inbox and policies
# ---------------------------------------------------------------------------


def notification_mark_read(*, user: User, notification: Notification) -> Notification:
    if notification.user_id != user.pk:
        raise PermissionDenied
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
    return notification


def notifications_mark_all_read(*, user: User) -> int:
    from clms.cases.selectors import notifications_for_user

    return notifications_for_user(user).filter(read_at__isnull=True).update(read_at=timezone.now())
