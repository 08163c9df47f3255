"""Administrative units of both structures (before and after 1 July 2025) and successions."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Q
from ninja import Path, Query, Router, Schema
from pydantic import Field

from clms.accounts.http import AuthedHttpRequest
from clms.api.common import ID_MAX, NO_NUL, Page, responses
from clms.api.pagination import DEFAULT_LIMIT, MAX_LIMIT, keyset_page
from clms.places.models import AdminUnit, Level, Scheme, Succession

router = Router(tags=["units"])


class UnitOut(Schema):
    id: int
    code: str
    name: str
    level: str
    scheme: str = Field(description="which official list: pre2025 (before 1 July 2025), post2025, both, local (villages)")
    parent_id: int | None
    valid_from: dt.date | None
    valid_to: dt.date | None


class SuccessionOut(Schema):
    unit: UnitOut
    effective: dt.date
    is_main: bool


class UnitDetail(UnitOut):
    predecessors: list[SuccessionOut]
    successors: list[SuccessionOut]


class UnitPage(Page):
    items: list[UnitOut]


class UnitFilters(Schema):
    level: Level | None = None
    scheme: Scheme | None = Field(None, description="official list: pre2025, post2025, both, local (villages)")
    parent: int | None = Field(None, ge=1, le=ID_MAX)
    code: str | None = Field(None, pattern=NO_NUL, min_length=1, max_length=16)
    q: str | None = Field(None, pattern=NO_NUL, min_length=1, max_length=100, description="words of the name, with or without diacritics")
    current: bool | None = Field(None, description="true: only units that exist today")
    cursor: str | None = Field(None, pattern=NO_NUL, min_length=1, max_length=200)
    limit: int = Field(DEFAULT_LIMIT, ge=1, le=MAX_LIMIT)


def unit_out(u: AdminUnit) -> dict[str, Any]:
    return {
        "id": u.pk, "code": u.code, "name": u.name, "level": u.level, "scheme": u.scheme,
        "parent_id": u.parent_id, "valid_from": u.valid_from, "valid_to": u.valid_to,
    }


@router.get("/units", response=responses(UnitPage), summary="List administrative units")
def unit_list(request: AuthedHttpRequest, filters: Query[UnitFilters]) -> Any:
    """Units are public reference data (the official lists), readable by every signed-in role;
    villages are created by the communes and shown as well."""
    qs = AdminUnit.objects.all()
    if filters.level:
        qs = qs.filter(level=filters.level)
    if filters.scheme:
        qs = qs.filter(scheme=filters.scheme)
    if filters.parent:
        qs = qs.filter(parent_id=filters.parent)
    if filters.code:
        qs = qs.filter(code=filters.code)
    if filters.current:
        qs = qs.filter(Q(valid_to__isnull=True) | Q(valid_to__gte=dt.date.today()))  # noqa: DTZ011 - a calendar date
    if filters.q:
        qs = _name_search(qs, filters.q)
    rows, cursor = keyset_page(qs, order=["pk"], cursor=filters.cursor, limit=filters.limit)
    return {"items": [unit_out(u) for u in rows], "next_cursor": cursor}


def _name_search(qs: Any, query: str) -> Any:
    # Units have no folded-name column: each word must appear in the name as spelled.
    for word in query.split():
        qs = qs.filter(name__icontains=word)
    return qs


@router.get("/units/{unit_id}", response=responses(UnitDetail), summary="One unit with its predecessors and successors")
def unit_detail(request: AuthedHttpRequest, unit_id: int = Path(..., ge=1, le=ID_MAX)) -> Any:
    unit = AdminUnit.objects.get(pk=unit_id)
    before = Succession.objects.filter(successor=unit).select_related("predecessor").order_by("predecessor__name")
    after = Succession.objects.filter(predecessor=unit).select_related("successor").order_by("successor__name")
    return {
        **unit_out(unit),
        "predecessors": [{"unit": unit_out(s.predecessor), "effective": s.effective, "is_main": s.is_main} for s in before],
        "successors": [{"unit": unit_out(s.successor), "effective": s.effective, "is_main": s.is_main} for s in after],
    }
