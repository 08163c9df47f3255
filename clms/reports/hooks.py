"""What other apps add to a unit's yearly report without the reports app importing them.

``SNAPSHOT_EXTRAS[key](unit, year)`` runs when a report's figures are frozen; its plain-JSON
result is stored in the snapshot under ``"extras"``.  ``RESULT_LINES`` turn a frozen snapshot
into paragraphs of the report's results section.  The survey app registers both (the survey
estimate beside the register's CL_RATE) in its ``AppConfig.ready``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

SNAPSHOT_EXTRAS: dict[str, Callable[[Any, int], Any]] = {}
RESULT_LINES: list[Callable[[dict[str, Any], int], list[str]]] = []


def extras(unit: Any, year: int) -> dict[str, Any]:
    return {key: provider(unit, year) for key, provider in SNAPSHOT_EXTRAS.items()}


def result_lines(data: dict[str, Any], year: int) -> list[str]:
    return [line for hook in RESULT_LINES for line in hook(data, year)]
