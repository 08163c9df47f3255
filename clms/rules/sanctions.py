"""Administrative fines for breaches of the minor-worker rules, chosen by date (spec §5)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import cache
from typing import Any

from .catalogue import read_json
from .model import Sanction

__all__ = ["Decree", "decree_for", "decrees", "sanction_for"]


@dataclass(frozen=True, slots=True)
class Decree:
    id: str
    name: str
    article: str
    valid_from: date
    valid_to: date | None
    organisation_multiplier: int
    organisation_basis: str
    verified: bool
    note: str


@cache
def _data() -> tuple[tuple[Decree, ...], dict[str, Any]]:
    raw = read_json("sanctions.json")
    found = tuple(
        Decree(
            id=d["id"],
            name=d["name"],
            article=d["article"],
            valid_from=date.fromisoformat(d["valid_from"]),
            valid_to=None if d["valid_to"] is None else date.fromisoformat(d["valid_to"]),
            organisation_multiplier=d["organisation_multiplier"],
            organisation_basis=d["organisation_basis"],
            verified=d["verified"],
            note=d["note"],
        )
        for d in raw["decrees"]
    )
    return found, raw["conducts"]


def decrees() -> tuple[Decree, ...]:
    return _data()[0]


def decree_for(day: date) -> Decree | None:
    """The decree in force on ``day``.

    The date is the observation date: a violation still going on when a new decree takes
    effect is judged under the new one (Decree 283/2026 says so for itself).
    """
    for decree in decrees():
        if decree.valid_from <= day and (decree.valid_to is None or day <= decree.valid_to):
            return decree
    return None


@cache
def _sanction(conduct: str, decree: Decree) -> Sanction:
    spec = _data()[1][conduct]
    low, high = int(spec["fine_min"]), int(spec["fine_max"])
    factor = decree.organisation_multiplier
    return Sanction(
        decree=decree.name,
        article=decree.article,
        clause=spec["clause"],
        point=spec["point"],
        fine_individual=(low, high),
        fine_organisation=(low * factor, high * factor),
        conduct=spec["text"],
        organisation_basis=decree.organisation_basis,
        verified=decree.verified,
    )


def sanction_for(conduct: str, day: date) -> Sanction | None:
    """Sanction for a conduct key of ``sanctions.json`` on ``day``; None before any decree."""
    decree = decree_for(day)
    return None if decree is None else _sanction(conduct, decree)
