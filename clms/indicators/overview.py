"""What a person reads first on a wide table: the scope's own figures against its targets, and
how many rows (communes, or districts of the old structure) stand where.

A province has 166 communes and most of them may have no records yet; listing every one with
twelve "no data" cells hides the few that need attention.  So each row gets one status, from
its cells (the cells' own statuses are unchanged, ``clms.indicators.base.status_of``):

- ``off_track``: at least one indicator is off track;
- ``on_track``: none off track, at least one on track;
- ``met``: every indicator that can be judged is met;
- ``no_target``: the row has figures but none has a target to compare with (a commune outside
  every local plan, read against local targets);
- ``no_data``: no indicator has a value (no records and no population figure).

Only the last is hidden by default.  Nothing here queries the database: it reads a computed
``IndicatorTable``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext_lazy

if TYPE_CHECKING:
    from clms.indicators.compute import IndicatorTable

# Worst first: the order of the filter links and of the summary.
ROW_STATUSES = ("off_track", "on_track", "met", "no_target", "no_data")
CELL_STATUSES = ("met", "on_track", "off_track", "no_data")
# CSS class and label of each row status.
ROW_STATUS = {
    "off_track": ("bad", gettext_lazy("Off track")),
    "on_track": ("warn", gettext_lazy("On track")),
    "met": ("ok", gettext_lazy("Met")),
    "no_target": ("", gettext_lazy("No target to compare with")),
    "no_data": ("", gettext_lazy("No data")),
}


def row_status(table: IndicatorTable, row_id: int) -> str:
    cells = [table.cell(row_id, code) for code in table.codes]
    if all(c.value is None for c in cells):
        return "no_data"
    judged = {c.status for c in cells} - {"no_data"}
    for status in ("off_track", "on_track", "met"):
        if status in judged:
            return status
    return "no_target"


@dataclass
class IndicatorLine:
    """One indicator of the summary: the scope's value and the rows by cell status."""

    code: str
    total: Any
    counts: dict[str, int]


@dataclass
class Overview:
    statuses: dict[int, str]
    counts: dict[str, int]
    lines: list[IndicatorLine] = field(default_factory=list)

    @property
    def with_data(self) -> int:
        return sum(n for status, n in self.counts.items() if status != "no_data")


def overview(table: IndicatorTable) -> Overview:
    statuses = {r.pk: row_status(table, r.pk) for r in table.rows}
    counts = dict.fromkeys(ROW_STATUSES, 0)
    for status in statuses.values():
        counts[status] += 1
    lines = []
    for code in table.codes:
        per = dict.fromkeys(CELL_STATUSES, 0)
        for r in table.rows:
            per[table.cell(r.pk, code).status] += 1
        lines.append(IndicatorLine(code=code, total=table.total(code), counts=per))
    return Overview(statuses=statuses, counts=counts, lines=lines)
