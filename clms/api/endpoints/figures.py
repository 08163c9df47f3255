"""Indicators (the dashboard's table) and aggregate-only exchange (CSV/JSON layout, DHIS2)."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any, Literal

from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema
from pydantic import Field

from clms.accounts.http import AuthedHttpRequest
from clms.accounts.models import AuditAction
from clms.api import aggregates
from clms.api.common import ID_MAX, audit, require_role, responses
from clms.api.errors import ApiError
from clms.core.figure_cache import cached, root_of, table_key
from clms.indicators import selectors
from clms.indicators.base import BASELINE_YEAR
from clms.indicators.compute import indicator_table
from clms.places.models import AdminUnit

if TYPE_CHECKING:
    from clms.accounts.models import User

router = Router(tags=["indicators"])

Structure = Literal["before-2025", "after-2025"]
Targets = Literal["local", "national"]


class TargetOut(Schema):
    value: float | None
    comparator: str
    year: int
    plan: Any = None


class ValueOut(Schema):
    code: str
    unit_id: int
    year: int
    group: Any = None
    numerator: int | None
    denominator: int | None
    value: float | None
    target: TargetOut | None
    status: str
    flags: list[str]


class UnitRef(Schema):
    unit_id: int
    code: str
    name: str


class RowOut(UnitRef):
    values: dict[str, ValueOut]
    groups: dict[str, dict[str, ValueOut]] | None = None


class IndicatorTableOut(Schema):
    scope: UnitRef
    year: int
    structure: str
    target_source: str
    by: str | None
    codes: list[str]
    rows: list[RowOut]
    total: dict[str, ValueOut]
    total_groups: dict[str, dict[str, ValueOut]] | None
    unattributed: list[int]


class IndicatorQuery(Schema):
    unit: int | None = Field(None, ge=1, le=ID_MAX, description="the scope (province, district or commune); default: your area")
    year: int = Field(..., ge=BASELINE_YEAR, le=2100)
    structure: Structure | None = Field(None, description="administrative structure; default: the scope's own")
    targets: Targets = Field("local", description="the local plan's targets or the national programme's")
    by: Literal["sex", "age_band", "law_age_band", "ethnicity"] | None = Field(None, description="breakdown")


class AggregateQuery(Schema):
    unit: int | None = Field(None, ge=1, le=ID_MAX)
    year: int = Field(..., ge=BASELINE_YEAR, le=2100)
    structure: Structure | None = None


class AggregateRow(Schema):
    unit_code: str
    unit_name: str
    unit_list: str
    unit_level: str
    parent_code: str
    year: int
    structure: str
    indicator: str
    numerator: int | None
    denominator: int | None
    value: float | None
    flags: list[str]


class AggregateOut(Schema):
    layout_version: int
    columns: list[str]
    rows: list[AggregateRow]


class DataValue(Schema):
    dataElement: str  # noqa: N815 - DHIS2's own field names
    orgUnit: str  # noqa: N815
    period: str
    value: str
    comment: str


class DataValueSet(Schema):
    dataValues: list[DataValue]  # noqa: N815


def _scope(user: User, unit_id: int | None, year: int) -> AdminUnit:
    require_role(user, selectors.DASHBOARD_ROLES)
    if year > timezone.localdate().year + 1:
        raise ApiError(422, _("No figures for a year that far ahead."), field="year")
    if unit_id is None:
        scope = selectors.default_scope(user)
        if scope is None:
            raise ApiError(404, _("Not found."))
        return scope
    found = selectors.scope_units_for_user(user).filter(pk=unit_id).first()
    if found is None:
        raise ApiError(404, _("Not found."), field="unit")
    return found


@router.get("/indicators", response=responses(IndicatorTableOut),
            summary="The plan's indicators for a unit and year, per child unit and in total")
def indicator_list(request: AuthedHttpRequest, query: Query[IndicatorQuery]) -> Any:
    user = request.user
    scope = _scope(user, query.unit, query.year)
    if query.by is None:
        table = cached(
            table_key(scope.pk, query.year, query.structure, query.targets),
            lambda: indicator_table(scope, query.year, structure=query.structure, target_source=query.targets),
            root=root_of(scope.path),
        )
    else:
        table = indicator_table(scope, query.year, structure=query.structure, target_source=query.targets, by=query.by)
    # A province table is ~0.5 MB: validating it against the response model again cost more
    # than computing it from the cache (bench/RESULTS-api.md).  Its shape is the documented
    # one (IndicatorTableOut), which schemathesis checks on every run.
    return HttpResponse(json.dumps(table.as_dict(), ensure_ascii=False, default=str), content_type="application/json")


@router.get("/aggregates", response=responses(AggregateOut), tags=["exchange"],
            summary="Per-commune indicator figures in the stable exchange layout (figures only)")
def aggregate_list(request: AuthedHttpRequest, query: Query[AggregateQuery]) -> Any:
    user = request.user
    scope = _scope(user, query.unit, query.year)
    rows = aggregates.aggregate_rows(scope, query.year, structure=query.structure)
    audit(request, AuditAction.EXPORT, "indicators.aggregates", object_id=scope.pk, detail={"year": query.year})
    return aggregates.rows_json(rows)


_CSV_ERRORS = {code: schema for code, schema in responses(None).items() if code != 200}


@router.get("/aggregates.csv", response=_CSV_ERRORS, tags=["exchange"],
            summary="The same figures as CSV (UTF-8, the columns of the layout)",
            openapi_extra={"responses": {200: {"description": "OK", "content": {"text/csv": {"schema": {"type": "string"}}}}}})
def aggregate_csv(request: AuthedHttpRequest, query: Query[AggregateQuery]) -> Any:
    user = request.user
    scope = _scope(user, query.unit, query.year)
    rows = aggregates.aggregate_rows(scope, query.year, structure=query.structure)
    audit(request, AuditAction.EXPORT, "indicators.aggregates", object_id=scope.pk, detail={"year": query.year, "format": "csv"})
    response = HttpResponse(aggregates.rows_csv(rows), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="clms-aggregates-{scope.code or scope.pk}-{query.year}.csv"'
    return response


@router.get("/aggregates/dhis2", response=responses(DataValueSet), tags=["exchange"],
            summary="The same figures as a DHIS2 dataValueSets payload")
def aggregate_dhis2(request: AuthedHttpRequest, query: Query[AggregateQuery]) -> Any:
    user = request.user
    scope = _scope(user, query.unit, query.year)
    rows = aggregates.aggregate_rows(scope, query.year, structure=query.structure)
    audit(request, AuditAction.EXPORT, "indicators.aggregates", object_id=scope.pk, detail={"year": query.year, "format": "dhis2"})
    return aggregates.dhis2_data_values(rows)
