"""Audit trail of every read, change and export of personal data."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.http import HttpRequest

from clms.accounts.models import AuditEvent


def _client_ip(request: HttpRequest) -> str | None:
    # Behind a reverse proxy the proxy must set REMOTE_ADDR (e.g. gunicorn --forwarded-allow-ips);
    # X-Forwarded-For is not trusted here because any client can forge it.
    return request.META.get("REMOTE_ADDR") or None


def audit_log(
    *,
    user: Any,
    action: str,
    object_type: str,
    object_id: Any = "",
    object_ids: Iterable[Any] | None = None,
    request: HttpRequest | None = None,
    detail: dict[str, Any] | None = None,
) -> AuditEvent:
    event = AuditEvent(
        user=user if getattr(user, "is_authenticated", False) else None,
        action=action,
        object_type=object_type,
        object_id=str(object_id) if object_id not in (None, "") else "",
        object_ids=[str(i) for i in object_ids] if object_ids is not None else [],
        detail=detail or {},
    )
    if request is not None:
        event.path = request.get_full_path()[:255]
        event.ip = _client_ip(request)
        event.user_agent = request.META.get("HTTP_USER_AGENT", "")[:255]
    event.save()
    return event
