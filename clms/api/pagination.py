"""Cursor (keyset) pagination: a page starts after the last row of the previous one.

Unlike page numbers, a cursor does not skip or repeat rows when records are added while a
partner system walks the list, and the database seeks to the start instead of counting
past an offset.  The cursor is opaque base64 of the last row's ordering values.
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Sequence
from typing import Any, TypeVar

from django.db.models import Model, Q, QuerySet
from django.utils.translation import gettext as _

from clms.api.errors import ApiError

M = TypeVar("M", bound=Model)
DEFAULT_LIMIT = 50
MAX_LIMIT = 200


def _encode(values: list[Any]) -> str:
    raw = json.dumps(values, default=str, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _decode(cursor: str, count: int) -> list[Any]:
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        values = json.loads(base64.urlsafe_b64decode(padded.encode()).decode())
    except (binascii.Error, ValueError, UnicodeDecodeError):
        raise ApiError(400, _("The cursor is not valid; use next_cursor from the previous page."), field="cursor") from None
    if not isinstance(values, list) or len(values) != count or any(isinstance(v, (list, dict)) for v in values):
        raise ApiError(400, _("The cursor is not valid; use next_cursor from the previous page."), field="cursor")
    return values


def keyset_page(
    qs: QuerySet[M], *, order: Sequence[str], cursor: str | None, limit: int, sort: Sequence[Any] | None = None
) -> tuple[list[M], str | None]:
    """Rows of ``qs`` in ``order`` (field names, ``-`` for descending; the last must be
    unique, e.g. ``pk``) after ``cursor``; returns the rows and the next cursor (None at the end).
    ``sort``: the ORDER BY to send instead of ``order`` when it sorts the same rows the same
    way in another form (the register's search: ``clms.people.selectors.register_order``)."""
    names = [o.lstrip("-") for o in order]
    model = qs.model
    if cursor:
        raw = _decode(cursor, len(names))
        try:
            values = [
                model._meta.pk.to_python(v) if n == "pk" else model._meta.get_field(n).to_python(v)  # type: ignore[union-attr]
                for n, v in zip(names, raw, strict=True)
            ]
        except Exception:  # noqa: BLE001 - any conversion failure is a bad cursor
            raise ApiError(400, _("The cursor is not valid; use next_cursor from the previous page."), field="cursor") from None
        after = Q()
        for i, (name, direction) in enumerate(zip(names, order, strict=True)):
            step = Q(**{f"{name}__{'lt' if direction.startswith('-') else 'gt'}": values[i]})
            for j in range(i):
                step &= Q(**{names[j]: values[j]})
            after |= step
        qs = qs.filter(after)
    rows = list(qs.order_by(*(sort or order))[: limit + 1])
    more = len(rows) > limit
    rows = rows[:limit]
    next_cursor = None
    if more and rows:
        last = rows[-1]
        next_cursor = _encode([getattr(last, n) for n in names])
    return rows, next_cursor
