"""What every endpoint shares: the role gate, documented error responses, audit, conflicts."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied
from django.db.models import Model
from django.utils.translation import gettext as _
from ninja import Schema

from clms.accounts.audit import audit_log
from clms.accounts.http import AuthedHttpRequest
from clms.api.errors import ApiError, Errors

if TYPE_CHECKING:
    from clms.accounts.models import User

ERROR_CODES = (400, 401, 403, 404, 409, 422, 429)
# Larger ids overflow SQLite's and PostgreSQL's 64-bit integers: refuse them as input.
ID_MAX = 2**62
# PostgreSQL text cannot hold NUL characters (a query with one fails in the driver): refuse them
# in every string the API takes, as Django's form fields do.
NO_NUL = r"^[^\x00]*$"


def responses(ok: Any, status: int = 200) -> dict[int, Any]:
    """The success schema and the shared error shape for every error status."""
    out: dict[int, Any] = {status: ok}
    for code in ERROR_CODES:
        out[code] = Errors
    return out


def require_role(user: User, roles: Iterable[str]) -> None:
    """The pages' ``role_required``: admins always pass, other roles must be listed."""
    if not (user.is_admin or user.role in tuple(roles)):
        raise PermissionDenied


def audit(request: AuthedHttpRequest, action: str, object_type: str, *, object_id: Any = "",
          object_ids: Iterable[Any] | None = None, detail: dict[str, Any] | None = None) -> None:
    detail = {**(detail or {}), "via": "api"}
    token = getattr(request, "api_token", None)
    if token is not None:
        detail["token"] = token.prefix
    audit_log(user=request.user, action=action, object_type=object_type, object_id=object_id,
              object_ids=object_ids, request=request, detail=detail)


def conflict(obj: Model, sent: int) -> ApiError:
    """409 with the version now stored, so the caller can re-read and retry."""
    current = type(obj)._default_manager.filter(pk=obj.pk).values_list("version", flat=True).first()
    return ApiError(
        409,
        _("Someone else changed this record after you read it (version %(sent)s, now %(current)s). "
          "Read it again and resend your change.") % {"sent": sent, "current": current},
        field="version",
        current_version=current,
    )


class Page(Schema):
    next_cursor: str | None
