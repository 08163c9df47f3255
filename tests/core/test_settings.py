import pytest
from django.core.exceptions import ImproperlyConfigured

from clms.env import env_bool, env_int


def test_it_rejects_a_bad_boolean(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CLMS_X", "maybe")
    with pytest.raises(ImproperlyConfigured, match="CLMS_X"):
        env_bool("CLMS_X", False)


def test_it_rejects_a_bad_integer(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CLMS_N", "ten")
    with pytest.raises(ImproperlyConfigured, match="CLMS_N"):
        env_int("CLMS_N", 1)


def test_it_refuses_to_start_without_a_secret_in_production() -> None:
    import os
    import subprocess
    import sys

    env = {k: v for k, v in os.environ.items() if not k.startswith("CLMS_")}
    env["DJANGO_SETTINGS_MODULE"] = "clms.settings"
    proc = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"], env=env, capture_output=True, text=True, check=False
    )
    assert proc.returncode != 0
    assert "CLMS_SECRET_KEY" in proc.stderr
