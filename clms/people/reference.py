"""The register's reference lists, read from the data files under ``data/``."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

DATA = Path(__file__).resolve().parent / "data"
KINH = "01"
# Foreigners and "not determined" are not ethnic minorities of Vietnam.
NOT_MINORITY = frozenset({KINH, "55", "58"})


@cache
def _read(name: str) -> Any:
    return json.loads((DATA / name).read_text(encoding="utf-8"))


def ethnicities() -> list[tuple[str, str]]:
    return [(code, name) for code, name in _read("ethnicities.json")["items"]]


@cache
def ethnicity_names() -> dict[str, str]:
    return dict(ethnicities())


def special_circumstances() -> list[tuple[str, str]]:
    """Children Law 2016 Art. 10(1) groups as (code, "point a) name")."""
    data = _read("special_circumstances.json")
    return [(code, f"{data['points'][code]}) {name}") for code, name in data["items"]]


@cache
def special_circumstance_names() -> dict[str, str]:
    return dict(special_circumstances())


def risk_weights() -> dict[str, Any]:
    data: dict[str, Any] = _read("risk_weights.json")
    return data


def is_ethnic_minority(code: str) -> bool:
    return bool(code) and code not in NOT_MINORITY
