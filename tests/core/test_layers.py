"""The import-linter contract (`make imports-check`) names every app: an app left out of the
layers could import anything and nothing would say so."""

import re
import tomllib
from pathlib import Path

from django.test import SimpleTestCase

ROOT = Path(__file__).resolve().parents[2]


class LayersTestCase(SimpleTestCase):
    def test_it_names_every_app_in_the_layers(self) -> None:
        config = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["importlinter"]
        (contract,) = [c for c in config["contracts"] if c["type"] == "layers"]
        layered = {name for layer in contract["layers"] for name in re.split(r"[|:]", layer)}
        layered = {name.strip() for name in layered}
        apps = {f"clms.{p.parent.name}" for p in (ROOT / "clms").glob("*/apps.py")}
        self.assertEqual(apps - layered, set())

    def test_it_puts_demo_on_top_and_core_under_every_app(self) -> None:
        config = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["importlinter"]
        (contract,) = [c for c in config["contracts"] if c["type"] == "layers"]
        self.assertEqual(contract["layers"][0], "clms.demo")
        self.assertEqual(contract["layers"][-2], "clms.core")
