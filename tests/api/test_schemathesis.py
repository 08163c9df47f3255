"""Fuzzing the live schema with schemathesis: every operation, valid and invalid data.

The schema is fetched from the running application (/api/v1/openapi.json), every generated
request goes through the whole WSGI stack with a real token, and every response must be a
non-5xx response documented in the schema and matching its declared shape.  Invalid data
(negative mode) must be refused with a 4xx.  The seed is fixed and the number of examples
bounded, so the run is repeatable and takes well under a minute on a shared 2-core machine.
"""

from __future__ import annotations

import datetime as dt
import inspect
import types
from typing import Any

import pytest
import schemathesis
from django.core import signals
from django.core.handlers.wsgi import WSGIHandler
from django.db import close_old_connections
from django.test import override_settings
from hypothesis import HealthCheck, given, seed, settings
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    negative_data_rejection,
    response_schema_conformance,
    status_code_conformance,
)

from clms.api.tokens import token_create
from tests.base import build_personas
from tests.cases.factories import file_report
from tests.people.factories import ChildFactory, HouseholdFactory

EXAMPLES = 12
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]


def _app() -> WSGIHandler:
    return WSGIHandler()


@pytest.fixture(autouse=True)
def _keep_connection() -> Any:
    """The whole WSGI stack, like a server, except that the database connection is not closed
    around each request (what Django's test client does too): the test's transaction holds the
    data, and on PostgreSQL closing the connection would end it."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


def _world() -> tuple[Any, dict[str, Any]]:
    ns = types.SimpleNamespace()
    build_personas(ns)
    household = HouseholdFactory.create(commune=ns.commune_a, village=ns.village_a)
    child = ChildFactory.create(commune=ns.commune_a, village=ns.village_a, household=household, grade=6,
                                dob=dt.date(2012, 4, 1))
    case = file_report(user=ns.officer_a, child=child)
    ids = {"child_id": child.pk, "household_id": household.pk, "case_id": case.pk, "unit_id": ns.commune_a.pk}
    return ns, ids


def _run(operation: Any, mode: GenerationMode, headers: dict[str, str], path_parameters: dict[str, Any] | None,
         failures: list[str]) -> None:
    checks = [*CHECKS, negative_data_rejection] if mode == GenerationMode.NEGATIVE else CHECKS
    strategy = operation.as_strategy(generation_mode=mode, path_parameters=path_parameters or None)

    @seed(21)
    @settings(max_examples=EXAMPLES, deadline=None, database=None, derandomize=True,
              suppress_health_check=list(HealthCheck))
    @given(case=strategy)
    def run(case: Any) -> None:
        try:
            case.call_and_validate(headers=headers, checks=checks)
        except BaseException as exc:  # noqa: BLE001 - collect every operation's failure, then report them all
            if isinstance(exc, KeyboardInterrupt | SystemExit):
                raise
            failures.append(f"{operation.label} [{mode.value}]: {exc}"[:2000])
            raise

    try:
        run()
    except BaseException as exc:  # noqa: BLE001 - recorded in failures above
        if isinstance(exc, KeyboardInterrupt | SystemExit):
            raise


@pytest.mark.django_db
@override_settings(CLMS_API_RATE="100000/m")
def test_it_survives_schemathesis_without_server_errors_or_schema_mismatches() -> None:
    ns, ids = _world()
    _, raw = token_create(user=ns.supervisor, name="fuzz", days=1)
    headers = {"Authorization": f"Bearer {raw}"}
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", _app())
    failures: list[str] = []
    operations = [result.ok() for result in schema.get_all_operations()]  # type: ignore[union-attr]
    assert len(operations) >= 25
    for operation in operations:
        names = {p.name for p in operation.path_parameters}
        known = {k: v for k, v in ids.items() if k in names}
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            _run(operation, mode, headers, None, failures)
            if known:
                # Real ids too, so that the fuzzer reaches past the 404 of a random id.
                _run(operation, mode, headers, known, failures)
    assert not failures, "\n\n".join(failures)


@pytest.mark.django_db
@override_settings(CLMS_API_RATE="100000/m")
def test_it_survives_stateful_sequences_of_calls() -> None:
    """Chains of calls (create a child, then read, change, observe it…) along the links
    schemathesis infers between operations from their parameters and responses."""
    ns, _ids = _world()
    _, raw = token_create(user=ns.supervisor, name="fuzz-stateful", days=1)
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", _app())
    machine = schema.as_state_machine()
    links = [name for name, value in inspect.getmembers(machine) if hasattr(value, "hypothesis_stateful_rule")]
    # ~70 links inferred (e.g. POST /children -> PATCH /children/{child_id}); none would make this a no-op.
    assert len(links) >= 30, links

    class Machine(machine):  # type: ignore[misc, valid-type]
        def get_call_kwargs(self, case: Any) -> dict[str, Any]:
            return {"headers": {"Authorization": f"Bearer {raw}"}}

        def validate_response(self, response: Any, case: Any, additional_checks: Any = None, **kwargs: Any) -> None:
            case.validate_response(response, checks=CHECKS, transport_kwargs=kwargs)

    Machine.run(settings=settings(max_examples=15, stateful_step_count=6, deadline=None, database=None,
                                  derandomize=True, suppress_health_check=list(HealthCheck)))
