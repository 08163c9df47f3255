"""Audit trail of every read, change and export of personal data.

Who acts, and from where, is the ``clms.core.actor.Actor`` of the request or command, so
``audit_log`` called deep inside a service still records the request's path and address.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any, TypeVar

from django.db.models import Model, QuerySet
from django.http import HttpRequest

from clms.accounts.models import AuditEvent
from clms.core.access import get_scoped_or_404
from clms.core.actor import Actor, current_actor

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from clms.accounts.models import User

log = logging.getLogger(__name__)

M = TypeVar("M", bound=Model)


def audit_log(
    *,
    user: User | AnonymousUser | None,
    action: str,
    object_type: str,
    object_id: Any = "",
    object_ids: Iterable[Any] | None = None,
    request: HttpRequest | None = None,
    detail: dict[str, Any] | None = None,
) -> AuditEvent:
    actor = Actor.from_request(request) if request is not None else current_actor()
    who = user if user is not None and user.is_authenticated else None
    event = AuditEvent(
        user=who,
        username=who.username[:150] if who is not None else "",
        action=action,
        object_type=object_type,
        object_id=str(object_id) if object_id not in (None, "") else "",
        object_ids=[str(i) for i in object_ids] if object_ids is not None else [],
        detail=detail or {},
    )
    if actor is not None:
        event.path = actor.path
        event.ip = actor.ip
        event.user_agent = actor.user_agent
    event.save()
    return event


def read_scoped_or_404(scoped: QuerySet[M], *, user: User, object_type: str, **lookup: Any) -> M:
    """``get_scoped_or_404`` for a page that shows the record's personal data (an edit or add
    form shows the whole record): the read is audited, whatever the page then does."""
    obj = get_scoped_or_404(scoped, **lookup)
    audit_log(user=user, action="read", object_type=object_type, object_id=obj.pk)
    return obj
