from __future__ import annotations

import os
from collections.abc import Generator
from typing import Any

import pytest
from django.conf import settings

from tests import summary

# Playwright's sync API runs an event loop in the test thread; Django's ORM refuses to run
# under one unless told it is safe (it is: the test owns the thread).
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

# Hashing is deliberately slow (Argon2 in production, checked by
# tests/accounts/test_login.py in a fresh process); every factory user and every login
# would pay for it.  MD5 keeps the tests about behaviour, not key stretching.
settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Generator[None, Any, None]:
    outcome = yield
    if call.when == "call" and summary.PENDING:
        report = outcome.get_result()
        report.user_properties.extend((summary.KEY, line) for line in summary.PENDING)
        summary.PENDING.clear()


def pytest_terminal_summary(terminalreporter: Any) -> None:
    # On the xdist controller the reports come from the workers, user_properties included.
    lines = [
        str(value)
        for reports in terminalreporter.stats.values()
        for report in reports
        if getattr(report, "when", None) == "call"
        for key, value in getattr(report, "user_properties", ())
        if key == summary.KEY
    ]
    if lines:
        terminalreporter.section("figures")
        for line in lines:
            terminalreporter.write_line(line)


@pytest.fixture(autouse=True)
def _fresh_figure_copies() -> Generator[None, None, None]:
    # The figure cache keeps its last reads in the process, keyed by the shared generations;
    # a test's transaction is rolled back with the generations it wrote, so the next test could
    # meet a key again with other records behind it.
    from clms.core.figure_cache import clear_local
    from clms.places.scoping import clear_areas

    clear_local()
    clear_areas()
    yield

