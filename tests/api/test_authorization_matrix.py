"""Every endpoint × every role × an object of the caller's own area and one of another commune.

The endpoints are read from the live OpenAPI schema: an endpoint without a row in ROWS fails
``test_every_endpoint_has_a_row``.  Each cell says the status for the own object and for the
other commune's object.  For a list, 200 means the object is in the list and 404 that the
list answered but without it (outsiders get no hint either way).  Statuses are written out
by hand from the roles the pages allow (clms/*/views*.py) and the scoping rules, not read from
the code under test.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.test import override_settings
from django.utils import timezone

from clms.accounts.models import Agency, Role
from clms.api.api import api
from clms.cases.models import Referral
from clms.people.models import Child, Household
from tests.api.helpers import ApiClient
from tests.base import PersonaTestCase
from tests.cases.factories import file_report
from tests.employers.factories import EmployerFactory, InspectionFactory
from tests.factories import UserFactory
from tests.outreach.factories import ActivityFactory
from tests.people.factories import ChildFactory, HouseholdFactory
from tests.reports.factories import PeriodFactory, SubmissionFactory

ROLES = ("collaborator", "officer_a", "supervisor", "district_officer", "agency", "agency_a", "viewer", "admin")
_names = itertools.count(1)

Request = tuple[str, str, Any]  # method, path, body (or query for GET)


@dataclass(frozen=True)
class Row:
    request: Callable[[Any, str, str], Request]  # (test, role, "own" | "other") -> request
    expect: dict[str, str]  # role -> "own other"
    list_key: str | None = None  # for lists: the object id to look for in items


def grid(**cells: str) -> dict[str, str]:
    missing = set(ROLES) - set(cells)
    assert not missing, missing
    return cells


ALL_200 = grid(**{r: "200 200" for r in ROLES})
PERSONAL = grid(collaborator="200 404", officer_a="200 404", supervisor="200 200", district_officer="404 404",
                agency="403 403", agency_a="403 403", viewer="403 403", admin="200 200")
WORKERS = grid(collaborator="403 403", officer_a="200 404", supervisor="200 200", district_officer="404 404",
               agency="403 403", agency_a="403 403", viewer="403 403", admin="200 200")
EMPLOYERS = grid(collaborator="403 403", officer_a="200 404", supervisor="200 200", district_officer="404 404",
                 agency="200 200", agency_a="200 404", viewer="403 403", admin="200 200")
OUTREACH = {**EMPLOYERS, "viewer": "200 200"}
FIGURES = {**EMPLOYERS, "viewer": "200 200"}
SUBMISSIONS = {**PERSONAL, "collaborator": "403 403", "viewer": "404 404"}
REFERRALS = grid(collaborator="403 403", officer_a="200 404", supervisor="200 200", district_officer="404 404",
                 agency="200 200", agency_a="200 404", viewer="403 403", admin="200 200")
ANSWER = grid(collaborator="403 403", officer_a="403 404", supervisor="403 403", district_officer="404 404",
              agency="200 200", agency_a="200 404", viewer="403 403", admin="200 200")
CREATE_CHILD = grid(collaborator="201 422", officer_a="201 422", supervisor="201 201", district_officer="422 422",
                    agency="403 403", agency_a="403 403", viewer="403 403", admin="201 201")
REPORT = grid(collaborator="201 422", officer_a="201 422", supervisor="201 201", district_officer="422 422",
              agency="201 201", agency_a="201 422", viewer="403 403", admin="201 201")
WRITE_PD = {**PERSONAL}
OBSERVE = {role: cell.replace("200", "201") for role, cell in PERSONAL.items()}


def _child(t: Any, which: str) -> Child:
    village = t.village_a if which == "own" else t.village_b
    return ChildFactory.create(commune=village.parent, village=village, grade=6, full_name=f"Trẻ Thử {next(_names)}")


def _case(t: Any, which: str) -> Any:
    return file_report(user=t.supervisor, child=_child(t, which))


def _referral(t: Any, which: str) -> Referral:
    case = _case(t, which)
    return Referral.objects.create(case=case, service_type="return_to_school", agency=Agency.EDUCATION,
                                   provider_unit=case.commune, sent_at=timezone.now(), sent_by=t.supervisor)


def _version(obj: Any) -> int:
    obj.refresh_from_db()
    return int(obj.version)


def new_child_body(t: Any, which: str) -> dict[str, Any]:
    village = t.village_a if which == "own" else t.village_b
    n = next(_names)
    return {"full_name": f"Trẻ Mới {n}", "sex": "F", "dob": str(dt.date(2012, 1, 1) + dt.timedelta(days=n)),
            "school_status": "attending", "grade": 7, "commune": village.parent_id, "village": village.pk,
            # Test children have similar names: the duplicate warning is tested elsewhere.
            "confirm_different": True}


def report_body(t: Any, which: str) -> dict[str, Any]:
    village = t.village_a if which == "own" else t.village_b
    n = next(_names)
    return {"source": "school", "received_at": timezone.now().isoformat(), "what_seen": "Em nghỉ học đi làm thuê.",
            "village": village.pk, "confirm_new": True, "new_child": {"full_name": f"Trẻ Báo {n}", "sex": "M",
                                                  "dob": str(dt.date(2011, 1, 1) + dt.timedelta(days=n))}}


def unit_of(t: Any, which: str) -> int:
    return int((t.commune_a if which == "own" else t.commune_b).pk)


ROWS: dict[str, Row] = {
    "GET /me": Row(lambda t, r, w: ("get", "/me", {}), ALL_200),
    "GET /units": Row(lambda t, r, w: ("get", "/units", {"level": "commune", "limit": 200}), ALL_200, list_key="unit"),
    "GET /units/{unit_id}": Row(lambda t, r, w: ("get", f"/units/{unit_of(t, w)}", {}), ALL_200),
    "GET /children": Row(lambda t, r, w: ("get", "/children", {"limit": 200}), PERSONAL, list_key="child"),
    "POST /children": Row(lambda t, r, w: ("post", "/children", new_child_body(t, w)), CREATE_CHILD),
    "GET /children/{child_id}": Row(lambda t, r, w: ("get", f"/children/{t.obj['child'][w].pk}", {}), PERSONAL),
    "PATCH /children/{child_id}": Row(
        lambda t, r, w: ("patch", f"/children/{t.obj['child'][w].pk}",
                         {"version": _version(t.obj["child"][w]), "school_name": f"THCS {next(_names)}"}), WRITE_PD),
    "GET /households": Row(lambda t, r, w: ("get", "/households", {"limit": 200}), PERSONAL, list_key="household"),
    "GET /households/{household_id}": Row(
        lambda t, r, w: ("get", f"/households/{t.obj['household'][w].pk}", {}), PERSONAL),
    "PATCH /households/{household_id}": Row(
        lambda t, r, w: ("patch", f"/households/{t.obj['household'][w].pk}",
                         {"version": _version(t.obj["household"][w]), "address": f"Số {next(_names)}"}), WRITE_PD),
    "POST /children/{child_id}/observations": Row(
        lambda t, r, w: ("post", f"/children/{t.obj['child'][w].pk}/observations",
                         {"observed_on": "2026-01-10", "activity": "FAMILY_FARM", "hours_per_day": 2}), OBSERVE),
    "GET /cases": Row(lambda t, r, w: ("get", "/cases", {"limit": 200}), PERSONAL, list_key="case"),
    "GET /cases/{case_id}": Row(lambda t, r, w: ("get", f"/cases/{t.obj['case'][w].pk}", {}), PERSONAL),
    "POST /cases/{case_id}/actions/{action}": Row(
        lambda t, r, w: ("post", f"/cases/{(c := _case(t, w)).pk}/actions/verify",
                         {"version": _version(c), "initial_risk": "medium"}), WORKERS),
    "POST /reports": Row(lambda t, r, w: ("post", "/reports", report_body(t, w)), REPORT),
    "GET /referrals": Row(lambda t, r, w: ("get", "/referrals", {"limit": 200}), REFERRALS, list_key="referral"),
    "GET /referrals/{referral_id}": Row(
        lambda t, r, w: ("get", f"/referrals/{t.obj['referral'][w].pk}", {}), REFERRALS),
    "POST /referrals/{referral_id}/answer": Row(
        lambda t, r, w: ("post", f"/referrals/{(f := _referral(t, w)).pk}/answer",
                         {"version": f.version, "status": "accepted"}), ANSWER),
    "GET /employers": Row(lambda t, r, w: ("get", "/employers", {"limit": 200}), EMPLOYERS, list_key="employer"),
    "GET /employers/{employer_id}": Row(
        lambda t, r, w: ("get", f"/employers/{t.obj['employer'][w].pk}", {}), EMPLOYERS),
    "GET /inspections": Row(lambda t, r, w: ("get", "/inspections", {"limit": 200}), EMPLOYERS, list_key="inspection"),
    "GET /inspections/{inspection_id}": Row(
        lambda t, r, w: ("get", f"/inspections/{t.obj['inspection'][w].pk}", {}), EMPLOYERS),
    "GET /outreach": Row(lambda t, r, w: ("get", "/outreach", {"limit": 200}), OUTREACH, list_key="activity"),
    "GET /outreach/{activity_id}": Row(
        lambda t, r, w: ("get", f"/outreach/{t.obj['activity'][w].pk}", {}), OUTREACH),
    "GET /submissions": Row(lambda t, r, w: ("get", "/submissions", {"limit": 200}), SUBMISSIONS, list_key="submission"),
    "GET /submissions/{submission_id}": Row(
        lambda t, r, w: ("get", f"/submissions/{t.obj['submission'][w].pk}", {}), SUBMISSIONS),
    "GET /indicators": Row(lambda t, r, w: ("get", "/indicators", {"unit": unit_of(t, w), "year": 2026}), FIGURES),
    "GET /aggregates": Row(lambda t, r, w: ("get", "/aggregates", {"unit": unit_of(t, w), "year": 2026}), FIGURES),
    "GET /aggregates.csv": Row(lambda t, r, w: ("get", "/aggregates.csv", {"unit": unit_of(t, w), "year": 2026}), FIGURES),
    "GET /aggregates/dhis2": Row(
        lambda t, r, w: ("get", "/aggregates/dhis2", {"unit": unit_of(t, w), "year": 2026}), FIGURES),
}


def schema_operations() -> set[str]:
    paths = api.get_openapi_schema(path_prefix="")["paths"]
    return {f"{method.upper()} {path}" for path, methods in paths.items() for method in methods}


@override_settings(CLMS_API_RATE="100000/m")
class AuthorizationMatrixTests(PersonaTestCase):
    agency_a: Any

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.agency_a = UserFactory.create(username="agency_a", role=Role.AGENCY_OFFICER, area=cls.commune_a,
                                          agency=Agency.EDUCATION)

    def setUp(self) -> None:
        self.obj: dict[str, dict[str, Any]] = {}
        period = PeriodFactory.create(receiver=self.province)
        for which in ("own", "other"):
            village = self.village_a if which == "own" else self.village_b
            household = HouseholdFactory.create(commune=village.parent, village=village)
            child = ChildFactory.create(commune=village.parent, village=village, household=household, grade=6)
            employer = EmployerFactory.create(commune=village.parent)
            values = {
                "household": household, "child": child, "case": _case(self, which), "referral": _referral(self, which),
                "employer": employer, "inspection": InspectionFactory.create(employers=[employer]),
                "activity": ActivityFactory.create(unit=village.parent, lead_agency=Agency.EDUCATION),
                "submission": SubmissionFactory.create(period=period, unit=village.parent),
                "unit": village.parent,
            }
            for key, value in values.items():
                self.obj.setdefault(key, {})[which] = value
        self.clients = {role: ApiClient(getattr(self, role)) for role in ROLES}

    def test_every_endpoint_has_a_row(self) -> None:
        self.assertEqual(schema_operations(), set(ROWS))

    def _status(self, row: Row, role: str, which: str) -> int:
        method, path, body = row.request(self, role, which)
        client = self.clients[role]
        response = client.get(path, **body) if method == "get" else client.send(method, path, body)
        if row.list_key is None or response.status_code != 200:
            return int(response.status_code)
        ids = {item["id"] for item in response.json()["items"]}
        return 200 if self.obj[row.list_key][which].pk in ids else 404

    def test_every_role_gets_the_expected_status_on_every_endpoint(self) -> None:
        for operation, row in sorted(ROWS.items()):
            for role in ROLES:
                expected = row.expect[role]
                with self.subTest(operation=operation, role=role):
                    got = f"{self._status(row, role, 'own')} {self._status(row, role, 'other')}"
                    self.assertEqual(got, expected)

    def test_an_agency_never_sees_another_agencys_referral(self) -> None:
        health = self.obj["referral"]["own"]
        Referral.objects.filter(pk=health.pk).update(agency=Agency.HEALTH)
        self.assertEqual(self.clients["agency"].get(f"/referrals/{health.pk}").status_code, 404)

    def test_nothing_is_written_by_a_refused_write(self) -> None:
        before = (Child.objects.count(), Household.objects.count())
        for role in ("agency", "viewer"):
            self.clients[role].post("/children", new_child_body(self, "own"))
        self.clients["officer_a"].post("/children", new_child_body(self, "other"))
        self.assertEqual((Child.objects.count(), Household.objects.count()), before)
