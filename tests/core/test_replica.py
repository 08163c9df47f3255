"""The read-replica router: who reads where, and read-your-writes after a POST."""

from __future__ import annotations

import time
from types import SimpleNamespace
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ImproperlyConfigured
from django.db import connections, transaction
from django.http import HttpResponse
from django.test import RequestFactory, TransactionTestCase, override_settings

from clms.core.replica import (
    PIN_COOKIE,
    ReplicaMiddleware,
    ReplicaRouter,
    may_read_replica,
    use_replica,
)
from clms.people.models import Child

ON = {"CLMS_READ_REPLICA": "replica", "CLMS_REPLICA_PIN_SECONDS": 5, "CLMS_REPLICA_PATHS": ["/indicators/"]}


def _request(method: str = "GET", path: str = "/register/", role: str = "supervisor", wrote_ago: float | None = None) -> Any:
    request = getattr(RequestFactory(), method.lower())(path)
    request.user = SimpleNamespace(is_authenticated=True, role=role) if role else AnonymousUser()
    if wrote_ago is not None:
        request.COOKIES[PIN_COOKIE] = f"{time.time() - wrote_ago:.3f}"
    return request


@override_settings(**ON)
@pytest.mark.parametrize(("kwargs", "expected"), [
    ({}, True),                                             # a supervisor's list
    ({"role": "province_viewer"}, True),
    ({"method": "HEAD"}, True),
    ({"role": "commune_officer"}, False),                   # officers write: always the primary
    ({"role": "commune_officer", "path": "/indicators/"}, True),  # … except allow-listed read pages
    ({"role": ""}, False),                                  # anonymous: login page and the like
    ({"method": "POST"}, False),
    ({"wrote_ago": 1.0}, False),                            # read your own write for a few seconds
    ({"wrote_ago": 30.0}, True),
])
def test_who_may_read_the_replica(kwargs: dict[str, Any], expected: bool) -> None:
    assert may_read_replica(_request(**kwargs)) is expected


def test_without_a_replica_every_request_reads_the_primary() -> None:
    with override_settings(CLMS_READ_REPLICA=""):
        assert may_read_replica(_request()) is False


@override_settings(**ON)
def test_router_reads_replica_only_when_allowed_and_never_writes_there() -> None:
    router = ReplicaRouter()
    assert router.db_for_read(Child) == "default"
    token = use_replica(True)
    try:
        assert router.db_for_read(Child) == "replica"
        assert router.db_for_write(Child) == "default"
        assert router.allow_migrate("replica", "people") is False
        assert router.allow_migrate("default", "people") is True
    finally:
        use_replica(False).var.reset(token)
    assert router.db_for_read(Child) == "default"


@pytest.mark.django_db
@override_settings(**ON)
def test_router_keeps_reads_of_a_transaction_on_the_primary() -> None:
    token = use_replica(True)
    try:
        with transaction.atomic():
            assert ReplicaRouter().db_for_read(Child) == "default"
    finally:
        use_replica(False).var.reset(token)


@override_settings(**ON)
def test_a_post_pins_the_writer_to_the_primary() -> None:
    seen: list[str] = []

    def view(request: Any) -> HttpResponse:
        seen.append(ReplicaRouter().db_for_read(Child))
        return HttpResponse("ok")

    middleware = ReplicaMiddleware(view)
    post = middleware(_request("POST"))
    assert seen == ["default"]
    pin = post.cookies[PIN_COOKIE]
    assert pin["max-age"] == 5 and pin["httponly"]
    get = _request()
    get.COOKIES[PIN_COOKIE] = pin.value
    middleware(get)
    assert seen == ["default", "default"]  # the next read of the writer
    middleware(_request())
    assert seen[-1] == "replica"  # another supervisor, or the same one later
    assert ReplicaRouter().db_for_read(Child) == "default"  # reset after the request


def test_settings_refuse_a_bad_replica_url(monkeypatch: pytest.MonkeyPatch) -> None:
    import importlib

    import clms.settings

    monkeypatch.setenv("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/clms")
    for bad in ("not a url", "sqlite:///x.sqlite3"):
        monkeypatch.setenv("DATABASE_REPLICA_URL", bad)
        with pytest.raises(ImproperlyConfigured, match="DATABASE_REPLICA_URL"):
            importlib.reload(clms.settings)
    monkeypatch.delenv("DATABASE_REPLICA_URL")
    monkeypatch.undo()
    importlib.reload(clms.settings)


@override_settings(**ON)
class ReplicaAliasTestCase(TransactionTestCase):
    """The 'replica' alias mirrors the test database: a real second connection reads the rows."""

    databases = {"default", "replica"}

    def test_a_supervisor_page_reads_through_the_replica_connection(self) -> None:
        from tests.factories import AdminUnitFactory, UserFactory

        province = AdminUnitFactory.create(level="province")
        supervisor = UserFactory.create(username="sup.replica", role="supervisor", area=province)
        replica = connections["replica"]
        self.assertIsNot(replica, connections["default"])
        token = use_replica(True)
        try:
            from clms.accounts.models import User

            self.assertEqual(User.objects.get(pk=supervisor.pk).username, "sup.replica")
            self.assertEqual(User.objects.get(pk=supervisor.pk)._state.db, "replica")
        finally:
            use_replica(False).var.reset(token)
        self.assertEqual(User.objects.get(pk=supervisor.pk)._state.db, "default")
