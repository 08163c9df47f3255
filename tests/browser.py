"""Headless-browser tests: Debian's Chromium driven by Playwright against a live server."""

from __future__ import annotations

import importlib
import os
from pathlib import Path
from typing import Any

import pytest
from django.contrib.staticfiles.testing import StaticLiveServerTestCase

from tests.base import PASSWORD, Personas, build_personas

ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts"
CHROMIUM = os.environ.get("CLMS_CHROMIUM", "/usr/bin/chromium")
# The flags keep Chromium from calling out to the network, which this machine forbids.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


# Data migrations that ship rows: (model whose emptiness shows they are gone, module, function).
SHIPPED_DATA = (
    ("cases.DuePolicy", "clms.cases.migrations.0002_ship_default_due_policies", "load"),
    ("plans.Plan", "clms.plans.migrations.0002_ship_trieu_son_thanh_hoa_and_national_plans", "forward"),
    ("outreach.PeakPeriod", "clms.outreach.migrations.0002_ship_peak_periods", "forward"),
)


def reload_shipped_data() -> None:
    """Put back what the data migrations loaded, which the previous live-server test flushed."""
    from django.apps import apps

    for model, module_name, function in SHIPPED_DATA:
        if apps.get_model(model)._default_manager.exists():
            continue
        module = importlib.import_module(module_name)
        getattr(module, function)(apps, None)


@pytest.mark.browser
class BrowserTestCase(Personas, StaticLiveServerTestCase):
    host = "127.0.0.1"
    # A live-server test empties the database after each test, including the rows that data
    # migrations load (shipped plans, due-time policies, holidays): a test that needs them
    # loads them again in its setUp.
    playwright: Any
    browser: Any
    bypass_csp = True

    @classmethod
    def setUpClass(cls) -> None:
        super().setUpClass()
        from playwright.sync_api import sync_playwright

        cls.playwright = sync_playwright().start()
        cls.browser = cls.playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)

    @classmethod
    def tearDownClass(cls) -> None:
        cls.browser.close()
        cls.playwright.stop()
        super().tearDownClass()

    def setUp(self) -> None:
        reload_shipped_data()
        build_personas(self)
        # Playwright's wait_for_function evaluates strings, which the site's CSP forbids (no eval):
        # the harness bypasses the policy; a test of the policy itself sets bypass_csp = False.
        self.context = self.browser.new_context(locale="vi-VN", viewport={"width": 390, "height": 844},
                                                bypass_csp=self.bypass_csp)
        self.page = self.context.new_page()

    def tearDown(self) -> None:
        self.context.close()

    def login(self, username: str, password: str = PASSWORD) -> None:
        self.page.goto(f"{self.live_server_url}/accounts/login/")
        self.page.fill("#id_username", username)
        self.page.fill("#id_password", password)
        self.page.click("button[type=submit]")
        self.page.wait_for_load_state("networkidle")

    def screenshot(self, name: str) -> Path:
        ARTIFACTS.mkdir(exist_ok=True)
        path = ARTIFACTS / f"{name}.png"
        self.page.screenshot(path=str(path), full_page=True)
        return path
