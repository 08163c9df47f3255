"""Creating, revoking and checking personal API tokens."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from clms.accounts.audit import audit_log
from clms.accounts.models import AuditAction
from clms.api.models import ApiToken
from clms.core.templatetags.vn_format import vn_number

if TYPE_CHECKING:
    from clms.accounts.models import User

TOKEN_PREFIX = "clms_"  # noqa: S105 - a marker, not a secret
MAX_DAYS = 365
# Writing last_used_at on every request would turn each read into a write.
LAST_USED_GRANULARITY = dt.timedelta(minutes=1)


def digest_of(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def tokens_for_user(user: User) -> Any:
    return ApiToken.objects.filter(user=user)


@transaction.atomic
def token_create(*, user: User, name: str, days: int) -> tuple[ApiToken, str]:
    """A new token for ``user``; returns it and the secret, which is never shown again."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        raise PermissionDenied
    errors: dict[str, list[str]] = {}
    name = " ".join(name.split())
    if not name:
        errors["name"] = [_("Give the token a name, e.g. the system that will use it.")]
    if not 1 <= days <= MAX_DAYS:
        errors["days"] = [_("A token lasts between 1 and %(max)s days.") % {"max": vn_number(MAX_DAYS)}]
    if errors:
        raise ValidationError(errors)
    raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(
        user=user,
        name=name,
        prefix=raw[: len(TOKEN_PREFIX) + 6],
        digest=digest_of(raw),
        expires_at=timezone.now() + dt.timedelta(days=days),
    )
    token.full_clean()
    token.save()
    audit_log(user=user, action=AuditAction.CREATE, object_type="api.token", object_id=token.pk)
    return token, raw


@transaction.atomic
def token_revoke(*, user: User, token: ApiToken) -> ApiToken:
    if token.user_id != user.pk:
        raise PermissionDenied
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        audit_log(user=user, action=AuditAction.DELETE, object_type="api.token", object_id=token.pk)
    return token


def token_authenticate(raw: str) -> ApiToken | None:
    """The live token with this secret, or None (unknown, expired, revoked, inactive user)."""
    if not raw.startswith(TOKEN_PREFIX) or len(raw) > 100:
        return None
    now = timezone.now()
    token = (
        ApiToken.objects.select_related("user", "user__area")
        .filter(digest=digest_of(raw), revoked_at__isnull=True, expires_at__gt=now, user__is_active=True)
        .first()
    )
    if token is None:
        return None
    if token.last_used_at is None or now - token.last_used_at > LAST_USED_GRANULARITY:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    return token
