"""Service types a plan can refer to (data file clms/cases/data/service_types.json)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from importlib import resources

from django.utils.translation import get_language


@dataclass(frozen=True)
class ServiceType:
    code: str
    vi: str
    en: str
    agency: str

    @property
    def label(self) -> str:
        return self.en if (get_language() or "vi").startswith("en") else self.vi


@cache
def service_types() -> dict[str, ServiceType]:
    text = resources.files("clms.cases").joinpath("data", "service_types.json").read_text(encoding="utf-8")
    return {row["code"]: ServiceType(**row) for row in json.loads(text)["service_types"]}


def service_label(code: str) -> str:
    found = service_types().get(code)
    return found.label if found else code


def service_choices() -> list[tuple[str, str]]:
    return [(t.code, t.label) for t in service_types().values()]
