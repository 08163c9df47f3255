"""Response headers, production settings and the health endpoint."""

from __future__ import annotations

import json
import os
import re
import secrets
import subprocess
import sys
from pathlib import Path
from unittest import mock

from django.test import SimpleTestCase, TestCase
from django.urls import reverse

from tests.base import PersonaTestCase

ROOT = Path(__file__).resolve().parents[2]


class HeadersTestCase(PersonaTestCase):
    def test_it_sends_a_policy_that_allows_no_inline_script(self) -> None:
        response = self.client.get(reverse("accounts:login"))
        policy = response["Content-Security-Policy"]
        script = re.search(r"script-src ([^;]*)", policy)
        assert script is not None
        self.assertEqual(script.group(1).strip(), "'self'")
        self.assertIn("frame-ancestors 'none'", policy)
        self.assertIn("object-src 'none'", policy)

    def test_it_keeps_personal_pages_and_exports_out_of_caches(self) -> None:
        self.client.force_login(self.officer_a)
        for url in (reverse("people:list"), reverse("core:home"), reverse("people:export")):
            with self.subTest(url=url):
                response = self.client.get(url)
                self.assertEqual(response.status_code, 200)
                self.assertIn("no-store", response["Cache-Control"])
                self.assertIn("private", response["Cache-Control"])


class TemplatesTestCase(SimpleTestCase):
    def test_it_has_no_inline_script_in_any_template(self) -> None:
        offenders = []
        for path in (ROOT / "clms").rglob("templates/**/*.html"):
            text = path.read_text(encoding="utf-8")
            for match in re.finditer(r"<script\b([^>]*)>", text):
                if "src=" not in match.group(1):
                    offenders.append(str(path.relative_to(ROOT)))
            if re.search(r"\son[a-z]+\s*=", text):
                offenders.append(f"{path.relative_to(ROOT)} (event handler attribute)")
        self.assertEqual(offenders, [])


class HealthTestCase(TestCase):  # anonymous: no personas
    def test_it_reports_the_database_and_the_cache(self) -> None:
        response = self.client.get(reverse("core:health"))
        self.assertEqual(response.status_code, 200)
        self.assertEqual(json.loads(response.content), {"status": "ok", "checks": {"database": "ok", "cache": "ok"}})
        self.assertIn("no-cache", response["Cache-Control"])

    def test_it_answers_503_naming_the_dependency_that_fails(self) -> None:
        with mock.patch("django.core.cache.cache.get", return_value=None), self.assertLogs("clms.core.views", "ERROR"):
            response = self.client.get(reverse("core:health"))
        self.assertEqual(response.status_code, 503)
        self.assertEqual(json.loads(response.content)["checks"], {"database": "ok", "cache": "fail"})


class ProductionSettingsTestCase(SimpleTestCase):
    def _production(self, code: str, **extra: str) -> str:
        env = {k: v for k, v in os.environ.items() if not k.startswith("CLMS_")}
        env.update(DJANGO_SETTINGS_MODULE="clms.settings", CLMS_SECRET_KEY="x" * 50, **extra)
        return subprocess.run([sys.executable, "-c", "import django; django.setup(); " + code], env=env,
                              capture_output=True, text=True, check=True, cwd=ROOT).stdout.strip()

    def test_it_forces_https_with_hsts_in_production(self) -> None:
        out = self._production(
            "from django.conf import settings as s; print(s.SECURE_SSL_REDIRECT, s.SECURE_HSTS_SECONDS, "
            "s.SECURE_PROXY_SSL_HEADER, s.SESSION_COOKIE_SECURE, s.CLMS_TWO_FACTOR_REQUIRED)"
        )
        self.assertEqual(out, "True 31536000 ('HTTP_X_FORWARDED_PROTO', 'https') True True")

    def test_it_passes_the_deployment_checklist(self) -> None:
        env = {k: v for k, v in os.environ.items() if not k.startswith("CLMS_") and k != "DJANGO_ALLOW_ASYNC_UNSAFE"}
        env.update(CLMS_SECRET_KEY=secrets.token_urlsafe(50), CLMS_ALLOWED_HOSTS="clms.example.gov.vn",
                   CLMS_VAR_DIR=os.environ.get("CLMS_VAR_DIR", str(ROOT / "var")))
        proc = subprocess.run([sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
                              env=env, capture_output=True, text=True, check=False, cwd=ROOT)
        self.assertEqual(proc.returncode, 0, proc.stderr)
