"""One error shape for every failure: ``{"errors": [{"field": ..., "message": ...}]}``.

Messages are Vietnamese (the request's language; Vietnamese by default) and name the field
the partner system sent, so a school's programmer can fix the call without reading our code.
Status codes: 400 the request itself is malformed (not JSON, a bad cursor), 401 no valid
token or session, 403 the role may not do this, 404 not found or outside the user's area
(outsiders get no hint), 409 the record changed since it was read (stale ``version``) or the
step is not possible in the current state, 422 a field fails validation, 429 too many requests.
"""

from __future__ import annotations

import math
from typing import Any

from django.core.exceptions import ObjectDoesNotExist, PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI, Schema
from ninja.errors import AuthenticationError, HttpError, Throttled
from ninja.errors import ValidationError as NinjaValidationError

from clms.cases.services import InvalidTransition
from clms.core.templatetags.vn_format import vn_number


class ErrorItem(Schema):
    field: str | None
    message: str


class Errors(Schema):
    errors: list[ErrorItem]
    current_version: int | None = None


class ApiError(Exception):
    """Raised by endpoints for a precise status and message."""

    def __init__(self, status: int, message: str, *, field: str | None = None, current_version: int | None = None):
        super().__init__(message)
        self.status = status
        self.message = message
        self.field = field
        self.current_version = current_version


def error_body(items: list[tuple[str | None, str]], current_version: int | None = None) -> dict[str, Any]:
    body: dict[str, Any] = {"errors": [{"field": f, "message": m} for f, m in items]}
    if current_version is not None:
        body["current_version"] = current_version
    return body


def _pydantic_message(error: dict[str, Any]) -> str:
    kind = str(error.get("type", ""))
    ctx = error.get("ctx") or {}
    if kind == "missing":
        return _("This field is required.")
    if kind == "string_pattern_mismatch":
        return _("The text contains a NUL character, which is not allowed.")
    if kind in ("string_too_long",):
        return _("At most %(n)s characters.") % {"n": vn_number(ctx.get("max_length", "?"))}
    if kind in ("string_too_short",):
        return _("At least %(n)s characters.") % {"n": vn_number(ctx.get("min_length", "?"))}
    if kind.startswith("date") and "parsing" in kind or kind in ("date_type", "date_from_datetime_parsing"):
        return _("Not a valid date; write it as YYYY-MM-DD, e.g. 2025-02-28.")
    if kind.startswith("datetime"):
        return _("Not a valid date and time; write it as YYYY-MM-DDTHH:MM:SS+07:00.")
    if kind.startswith("int") or kind == "int_type":
        return _("Enter a whole number.")
    if kind in ("greater_than_equal", "greater_than"):
        return _("Must be at least %(n)s.") % {"n": vn_number(ctx.get("ge", ctx.get("gt", "?")))}
    if kind in ("less_than_equal", "less_than"):
        return _("Must be at most %(n)s.") % {"n": vn_number(ctx.get("le", ctx.get("lt", "?")))}
    if kind.startswith("bool"):
        return _("Enter true or false.")
    if kind in ("literal_error", "enum"):
        expected = ctx.get("expected", "")
        return _("Unknown value; allowed: %(values)s.") % {"values": expected}
    if kind.startswith("string") or kind == "str_type":
        return _("Enter text.")
    if kind in ("list_type", "too_long", "too_short"):
        return _("Not a valid list, or too many items.")
    if kind in ("model_attributes_type", "dict_type", "model_type"):
        return _("Send a JSON object.")
    if kind == "extra_forbidden":
        return _("Unknown field.")
    if kind.startswith("float") or kind.startswith("decimal"):
        return _("Enter a number.")
    if kind == "value_error":
        return _("Invalid value.")
    return _("Invalid value.")


def _field_of(loc: list[Any]) -> str | None:
    # ninja locations look like ["body", "payload", "dob"] or ["query", "limit"].
    parts = [str(p) for p in loc]
    if parts and parts[0] in ("body", "query", "path", "header", "cookie", "form"):
        source = parts[0]
        parts = parts[1:]
        if source == "body" and parts and parts[0] in ("payload", "data"):
            parts = parts[1:]
    return ".".join(parts) or None


def install(api: NinjaAPI) -> None:
    def respond(request: HttpRequest, status: int, items: list[tuple[str | None, str]],
                current_version: int | None = None) -> HttpResponse:
        return api.create_response(request, error_body(items, current_version), status=status)

    @api.exception_handler(NinjaValidationError)
    def on_validation(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
        items: list[tuple[str | None, str]] = []
        status = 422
        for error in exc.errors:
            if error.get("type") == "json_invalid":
                status = 400
                items.append((None, _("The request body is not valid JSON.")))
                continue
            items.append((_field_of(list(error.get("loc", []))), _pydantic_message(error)))
        return respond(request, status, items or [(None, _("Invalid value."))])

    @api.exception_handler(DjangoValidationError)
    def on_django_validation(request: HttpRequest, exc: DjangoValidationError) -> HttpResponse:
        status = 409 if isinstance(exc, InvalidTransition) else 422
        items: list[tuple[str | None, str]] = []
        if hasattr(exc, "error_dict"):
            for field, messages in exc.message_dict.items():
                for message in messages:
                    items.append((None if field == "__all__" else field, str(message)))
        else:
            items = [(None, str(m)) for m in exc.messages]
        return respond(request, status, items)

    @api.exception_handler(ApiError)
    def on_api_error(request: HttpRequest, exc: ApiError) -> HttpResponse:
        return respond(request, exc.status, [(exc.field, exc.message)], exc.current_version)

    @api.exception_handler(PermissionDenied)
    def on_denied(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
        return respond(request, 403, [(None, _("Your role may not do this here."))])

    @api.exception_handler(Http404)
    def on_404(request: HttpRequest, exc: Exception) -> HttpResponse:
        return respond(request, 404, [(None, _("Not found."))])

    api.add_exception_handler(ObjectDoesNotExist, on_404)  # type: ignore[arg-type]

    @api.exception_handler(AuthenticationError)
    def on_auth(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
        return respond(request, 401, [(None, _("Sign in, or send a valid API token: Authorization: Bearer <token>."))])

    @api.exception_handler(Throttled)
    def on_throttled(request: HttpRequest, exc: Throttled) -> HttpResponse:
        response = respond(request, 429, [(None, _("Too many requests; try again later (see Retry-After)."))])
        response["Retry-After"] = str(max(1, math.ceil(exc.wait or 1)))
        return response

    @api.exception_handler(HttpError)
    def on_http(request: HttpRequest, exc: HttpError) -> HttpResponse:
        # ninja's own errors carry English text: say the same in the request's language.
        if exc.status_code == 400 and str(exc.message).startswith("Cannot parse"):
            message = _("The request body is not valid JSON.")
        elif exc.status_code == 403:
            message = _("Your role may not do this here.")
        elif exc.status_code == 404:
            message = _("Not found.")
        else:
            message = _("The request could not be handled.")
        return respond(request, exc.status_code, [(None, message)])
