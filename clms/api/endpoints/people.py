"""The register: children (the register's filters and search), households, work observations."""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from ninja import Path, Query, Router, Schema, Status
from pydantic import Field

from clms.accounts.http import AuthedHttpRequest
from clms.accounts.models import AuditAction
from clms.api.common import ID_MAX, NO_NUL, Page, audit, conflict, require_role, responses
from clms.api.errors import ApiError
from clms.api.formbridge import initial_of, valid_form
from clms.api.pagination import DEFAULT_LIMIT, MAX_LIMIT, keyset_page
from clms.core.access import get_scoped_or_404
from clms.core.locking import StaleEdit
from clms.people import selectors, services
from clms.people.duplicates import find_duplicates
from clms.people.forms import ChildCreateForm, ChildForm, HouseholdForm, ObservationForm
from clms.people.models import (
    Activity,
    Child,
    Household,
    PovertyStatus,
    RiskLevel,
    SchoolStatus,
    Sex,
    WorkObservation,
)
from clms.people.views import OFFICERS, READERS, WRITERS
from clms.places.models import AdminUnit

router = Router(tags=["register"])



class ChildOut(Schema):
    id: int
    full_name: str
    sex: str
    dob: dt.date
    dob_estimated: bool
    ethnicity: str
    commune_id: int
    village_id: int | None
    household_id: int | None
    school_status: str
    grade: int | None
    register_status: str
    latest_category: str
    latest_observed_on: dt.date | None
    risk_level: str
    last_visit_on: dt.date | None
    version: int


class ChildDetail(ChildOut):
    personal_id: str
    school_name: str
    dropped_out_on: dt.date | None
    disability: str
    special_circumstances: list[str]
    note: str


class ChildPage(Page):
    items: list[ChildOut]


class ChildFilters(Schema):
    q: str | None = Field(None, pattern=NO_NUL, min_length=1, max_length=150, description="words of the name, with or without diacritics")
    status: str | None = Field(None, pattern=NO_NUL, min_length=1, max_length=32, description="register status")
    village: int | None = Field(None, ge=1, le=ID_MAX)
    age_band: Literal["5-11", "12-14", "15-17", "0-12", "13-14"] | None = None
    sex: Sex | None = None
    ethnicity: str | None = Field(None, pattern=NO_NUL, min_length=1, max_length=2)
    school_status: SchoolStatus | None = None
    risk_level: RiskLevel | None = None
    cursor: str | None = Field(None, pattern=NO_NUL, min_length=1, max_length=400)
    limit: int = Field(DEFAULT_LIMIT, ge=1, le=MAX_LIMIT)


class ChildFields(Schema):
    """Fields of a child, as on the register's form; dates as YYYY-MM-DD."""

    full_name: str | None = Field(None, pattern=NO_NUL, max_length=150)
    sex: Sex | None = None
    dob: dt.date | None = None
    dob_estimated: bool | None = None
    ethnicity: str | None = Field(None, pattern=NO_NUL, min_length=1, max_length=2, description="code of the 54 ethnic groups, 01 = Kinh")
    personal_id: str | None = Field(None, pattern=NO_NUL, max_length=12)
    school_status: SchoolStatus | None = None
    grade: int | None = Field(None, ge=1, le=12)
    school_name: str | None = Field(None, pattern=NO_NUL, max_length=200)
    dropped_out_on: dt.date | None = None
    disability: str | None = Field(None, pattern=NO_NUL, max_length=200)
    special_circumstances: list[str] | None = Field(None, max_length=20)
    note: str | None = Field(None, pattern=NO_NUL, max_length=5000)


class ChildCreate(ChildFields):
    full_name: str = Field(..., pattern=NO_NUL, max_length=150)
    sex: Sex
    dob: dt.date
    school_status: SchoolStatus
    commune: int | None = Field(None, ge=1, le=ID_MAX, description="commune id (or give household)")
    village: int | None = Field(None, ge=1, le=ID_MAX)
    household: int | None = Field(None, ge=1, le=ID_MAX, description="an existing household of the child")
    head_name: str | None = Field(None, pattern=NO_NUL, max_length=150, description="head of a new household (when no household is given)")
    confirm_different: bool = Field(False, description="true after checking the possible duplicates the API named")


class ChildUpdate(ChildFields):
    version: int = Field(..., ge=0, le=ID_MAX, description="the version you read; a stale one gets 409")


class HouseholdOut(Schema):
    id: int
    commune_id: int
    village_id: int | None
    head_name: str
    address: str
    members: int | None
    poverty_status: str
    ethnicity: str
    disadvantaged_area: bool
    craft_household: bool
    fishing_household: bool
    migrant_parents: bool
    phone: str
    version: int


class HouseholdPage(Page):
    items: list[HouseholdOut]


class HouseholdFilters(Schema):
    village: int | None = Field(None, ge=1, le=ID_MAX)
    cursor: str | None = Field(None, pattern=NO_NUL, min_length=1, max_length=400)
    limit: int = Field(DEFAULT_LIMIT, ge=1, le=MAX_LIMIT)


class HouseholdUpdate(Schema):
    version: int = Field(..., ge=0, le=ID_MAX)
    village: int | None = Field(None, ge=1, le=ID_MAX)
    head_name: str | None = Field(None, pattern=NO_NUL, max_length=150)
    address: str | None = Field(None, pattern=NO_NUL, max_length=255)
    members: int | None = Field(None, ge=1, le=60)
    poverty_status: PovertyStatus | None = None
    ethnicity: str | None = Field(None, pattern=NO_NUL, min_length=1, max_length=2)
    disadvantaged_area: bool | None = None
    craft_household: bool | None = None
    fishing_household: bool | None = None
    migrant_parents: bool | None = None
    phone: str | None = Field(None, pattern=NO_NUL, max_length=20)


class ObservationIn(Schema):
    """What was seen; the law decides the rest.  Unknown (null) is never read as a breach."""

    observed_on: dt.date
    activity: Activity = Field(..., description="what the child does")
    employer_name: str | None = Field(None, pattern=NO_NUL, max_length=255)
    job_code: str | None = Field(None, pattern=NO_NUL, max_length=24, description="code from the legal job list (see /legal/)")
    workplace_code: str | None = Field(None, pattern=NO_NUL, max_length=24)
    job_description: str | None = Field(None, pattern=NO_NUL, max_length=255)
    hours_per_day: float | None = Field(None, ge=0, le=24)
    days_per_week: int | None = Field(None, ge=0, le=7)
    night_work: bool | None = None
    overtime: bool | None = None
    hazards: list[str] | None = Field(None, max_length=50)
    worst_forms: list[str] | None = Field(None, max_length=20)
    load_kg: float | None = Field(None, ge=0, le=999)
    load_regular: bool | None = None
    chores_hours_week: float | None = Field(None, ge=0, le=168)
    paid: bool | None = None
    contract_written: bool | None = None
    parent_consent: bool | None = None
    health_cert: bool | None = None
    affects_study_time: bool | None = None
    osh_age_appropriate: bool | None = None
    harms_study_health_safety: bool | None = None
    note: str | None = Field(None, pattern=NO_NUL, max_length=5000)


class ClassificationOut(Schema):
    ruleset: str = Field(description="vn-law (the law), mics6 or sdg2021 (statistical standards)")
    ruleset_id: str
    category: str
    subtype: str
    age: int | None
    references: list[Any] = Field(description="the articles of law that produced the decision")
    violations: list[Any]
    conditions: list[Any]
    missing: list[Any] = Field(description="facts not known that could change the decision")


class ObservationOut(Schema):
    id: int
    child_id: int
    observed_on: dt.date
    activity: str
    classifications: list[ClassificationOut]
    child_register_status: str


def child_out(c: Child, *, detail: bool = False) -> dict[str, Any]:
    out = {
        "id": c.pk, "full_name": c.full_name, "sex": c.sex, "dob": c.dob, "dob_estimated": c.dob_estimated,
        "ethnicity": c.ethnicity, "commune_id": c.commune_id, "village_id": c.village_id,
        "household_id": c.household_id, "school_status": c.school_status, "grade": c.grade,
        "register_status": c.register_status, "latest_category": c.latest_category,
        "latest_observed_on": c.latest_observed_on, "risk_level": c.risk_level,
        "last_visit_on": c.last_visit_on, "version": c.version,
    }
    if detail:
        out.update(
            personal_id=c.personal_id, school_name=c.school_name, dropped_out_on=c.dropped_out_on,
            disability=c.disability, special_circumstances=list(c.special_circumstances or []), note=c.note,
        )
    return out


def household_out(h: Household) -> dict[str, Any]:
    return {f: getattr(h, f) for f in HouseholdOut.model_fields if f not in ("id",)} | {"id": h.pk}


def _sent(payload: Schema, *, exclude: tuple[str, ...] = ()) -> dict[str, Any]:
    return {k: v for k, v in payload.model_dump(exclude_unset=True).items() if k not in exclude}


@router.get("/children", response=responses(ChildPage), summary="The register, with its filters and search")
def child_list(request: AuthedHttpRequest, filters: Query[ChildFilters]) -> Any:
    user = request.user
    require_role(user, READERS)
    wanted = selectors.RegisterFilters(
        q=filters.q or "", status=filters.status or "", village=filters.village, age_band=filters.age_band or "",
        sex=filters.sex or "", ethnicity=filters.ethnicity or "", school_status=filters.school_status or "",
        risk_level=filters.risk_level or "",
    )
    # The web list's rows in the web list's order (with a search, from the trigram index).
    rows, cursor = keyset_page(selectors.register_rows(user, wanted), order=["name_folded", "pk"],
                               sort=selectors.register_order(wanted), cursor=filters.cursor, limit=filters.limit)
    audit(request, AuditAction.LIST, "people.child", object_ids=[c.pk for c in rows],
          detail={"query": request.GET.urlencode()[:500]})
    return {"items": [child_out(c) for c in rows], "next_cursor": cursor}


@router.get("/children/{child_id}", response=responses(ChildDetail), summary="One child")
def child_detail(request: AuthedHttpRequest, child_id: int = Path(..., ge=1, le=ID_MAX)) -> Any:
    user = request.user
    require_role(user, READERS)
    child = get_scoped_or_404(selectors.children_for_user(user), pk=child_id)
    audit(request, AuditAction.READ, "people.child", object_id=child.pk)
    return child_out(child, detail=True)


@router.post("/children", response=responses(ChildDetail, 201), summary="Add a child to the register")
def child_create(request: AuthedHttpRequest, payload: ChildCreate) -> Any:
    user = request.user
    require_role(user, WRITERS)
    household = None
    if payload.household is not None:
        household = get_scoped_or_404(selectors.households_for_user(user).select_related("commune", "village"),
                                      pk=payload.household)
    form = valid_form(ChildCreateForm, _sent(payload), prefix="child")
    commune: AdminUnit | None = household.commune if household else None
    village: AdminUnit | None = household.village if household else None
    household_fields: dict[str, Any] | None = None
    if household is None:
        values = {"commune": payload.commune, "village": payload.village, "head_name": payload.head_name or form.cleaned_data["full_name"]}
        hh_form = valid_form(HouseholdForm, values, prefix="hh", communes=selectors.communes_for_writing(user),
                             villages=selectors.villages_for_writing(user))
        household_fields = hh_form.service_fields()
        commune, village = household_fields["commune"], household_fields.get("village")
    assert commune is not None  # noqa: S101 - the household form requires a commune
    # find_duplicates scopes to the children the user may read (issue 15).
    duplicates = [
        c.child.pk for c in find_duplicates(
            user=user, full_name=form.cleaned_data["full_name"], dob=form.cleaned_data["dob"], commune=commune,
            household=household, village=village, personal_id=form.cleaned_data["personal_id"],
        )
    ]
    if duplicates and not payload.confirm_different:
        raise ApiError(
            422,
            _dup_message(duplicates),
            field="confirm_different",
        )
    child = services.child_register(user=user, child_fields=form.service_fields(), household=household,
                                    household_fields=household_fields)
    audit(request, AuditAction.CREATE, "people.child", object_id=child.pk,
          detail={"household": child.household_id, "duplicates_confirmed": duplicates})
    return Status(201, child_out(child, detail=True))


def _dup_message(ids: list[int]) -> str:
    from django.utils.translation import gettext as _

    return _("This child may already be on the register (ids %(ids)s). Check them, or send "
             "confirm_different: true if this is a different child.") % {"ids": ", ".join(map(str, ids))}


@router.patch("/children/{child_id}", response=responses(ChildDetail), summary="Change a child's record")
def child_update(request: AuthedHttpRequest, payload: ChildUpdate, child_id: int = Path(..., ge=1, le=ID_MAX)) -> Any:
    user = request.user
    require_role(user, WRITERS)
    child = get_scoped_or_404(selectors.children_for_user(user).select_related("household"), pk=child_id)
    values = {**initial_of(child, ChildForm), **_sent(payload, exclude=("version",))}
    form = valid_form(ChildForm, values, prefix="child")
    try:
        services.child_update(user=user, child=child, version=payload.version, **form.service_fields())
    except StaleEdit:
        raise conflict(child, payload.version) from None
    audit(request, AuditAction.UPDATE, "people.child", object_id=child.pk,
          detail={"fields": sorted(_sent(payload, exclude=("version",)))})
    child.refresh_from_db()
    return child_out(child, detail=True)


@router.get("/households", response=responses(HouseholdPage), summary="Households of the register")
def household_list(request: AuthedHttpRequest, filters: Query[HouseholdFilters]) -> Any:
    user = request.user
    require_role(user, READERS)
    qs = selectors.households_for_user(user)
    if filters.village:
        qs = qs.filter(village_id=filters.village)
    rows, cursor = keyset_page(qs, order=["pk"], cursor=filters.cursor, limit=filters.limit)
    audit(request, AuditAction.LIST, "people.household", object_ids=[h.pk for h in rows])
    return {"items": [household_out(h) for h in rows], "next_cursor": cursor}


@router.get("/households/{household_id}", response=responses(HouseholdOut), summary="One household")
def household_detail(request: AuthedHttpRequest, household_id: int = Path(..., ge=1, le=ID_MAX)) -> Any:
    user = request.user
    require_role(user, READERS)
    household = get_scoped_or_404(selectors.households_for_user(user), pk=household_id)
    audit(request, AuditAction.READ, "people.household", object_id=household.pk)
    return household_out(household)


@router.patch("/households/{household_id}", response=responses(HouseholdOut), summary="Change a household")
def household_update(request: AuthedHttpRequest, payload: HouseholdUpdate,
                     household_id: int = Path(..., ge=1, le=ID_MAX)) -> Any:
    user = request.user
    require_role(user, WRITERS)
    household = get_scoped_or_404(selectors.households_for_user(user).select_related("commune", "village"),
                                  pk=household_id)
    values = {**initial_of(household, HouseholdForm), **_sent(payload, exclude=("version",))}
    form = valid_form(HouseholdForm, values, prefix="hh", communes=selectors.communes_for_writing(user),
                      villages=selectors.villages_for_writing(user))
    data = form.service_fields()
    data.pop("commune", None)  # a household moves commune only with its children (as on the page)
    try:
        services.household_update(user=user, household=household, version=payload.version, **data)
    except StaleEdit:
        raise conflict(household, payload.version) from None
    audit(request, AuditAction.UPDATE, "people.household", object_id=household.pk)
    household.refresh_from_db()
    return household_out(household)


@router.post("/children/{child_id}/observations", response=responses(ObservationOut, 201),
             summary="Record a work observation; returns its classification with the articles of law")
def observation_create(request: AuthedHttpRequest, payload: ObservationIn, child_id: int = Path(..., ge=1, le=ID_MAX)) -> Any:
    user = request.user
    require_role(user, WRITERS)
    child = get_scoped_or_404(selectors.children_for_user(user), pk=child_id)
    form = valid_form(ObservationForm, _sent(payload))
    observation = services.observation_record(
        user=user, child=child, observed_on=form.cleaned_data["observed_on"], **form.service_fields()
    )
    audit(request, AuditAction.CREATE, "people.observation", object_id=observation.pk, detail={"child": child.pk})
    return Status(201, observation_out(observation))


def observation_out(o: WorkObservation) -> dict[str, Any]:
    child = Child.objects.only("register_status").get(pk=o.child_id)
    return {
        "id": o.pk, "child_id": o.child_id, "observed_on": o.observed_on, "activity": o.activity,
        "child_register_status": child.register_status,
        "classifications": [
            {"ruleset": c.ruleset, "ruleset_id": c.ruleset_id, "category": c.category, "subtype": c.subtype,
             "age": c.age, "references": c.references, "violations": c.violations, "conditions": c.conditions,
             "missing": c.missing}
            for c in o.classifications.filter(is_current=True).order_by("ruleset")
        ],
    }


__all__ = ["router", "OFFICERS"]
