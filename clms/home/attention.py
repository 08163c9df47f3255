"""The communes a supervisor should look at first, for the supervisor's home page.

A province holds 166 communes (713 counting the old structure); a list of all of them says
nothing.  A commune is listed when the records show something to act on:

- a case step is overdue (``clms.cases.selectors.overdue_steps_by_commune``, the count of the
  cases panel, per commune);
- its yearly report to the user's unit is past the due date and not submitted, this year or
  last (``clms.reports.selectors.period_overview``, the "late" of the reports panel);
- one of this year's indicators is off track against the local plan (the dashboard's table,
  from the shared figure cache).

Most urgent first: overdue steps, then the longest-late report, then the number of indicators
off track.  Records made in an old commune count for the new commune that took it over (the
dashboard's mapping, ``clms.indicators.units``).  Communes with no figure at all are not
listed; the page says how many there are and links to them on the dashboard.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.utils import timezone

from clms.cases.selectors import overdue_steps_by_commune
from clms.core.figure_cache import cached, root_of
from clms.indicators import selectors as indicator_selectors
from clms.indicators.overview import overview
from clms.indicators.units import build_unit_map
from clms.places.models import AdminUnit
from clms.reports import selectors as report_selectors

if TYPE_CHECKING:
    from clms.accounts.models import User


@dataclass
class Attention:
    unit: AdminUnit
    overdue_steps: int = 0
    # (year, days late) of each late report
    late_reports: list[tuple[int, int]] = field(default_factory=list)
    off_track: list[str] = field(default_factory=list)

    @property
    def needs_attention(self) -> bool:
        return bool(self.overdue_steps or self.late_reports or self.off_track)

    def urgency(self) -> tuple[int, int, int, str]:
        late = max((days for _year, days in self.late_reports), default=0)
        return (-self.overdue_steps, -late, -len(self.off_track), self.unit.name)


@dataclass
class AttentionList:
    communes: list[Attention]
    rows: int  # communes (or districts) of the scope
    without_data: int  # not listed: no figure this year and nothing overdue or late
    scope: AdminUnit | None = None
    year: int = 0


def attention_list(user: User, *, now: dt.datetime | None = None) -> AttentionList:
    scope = indicator_selectors.default_scope(user)
    if scope is None:
        return AttentionList([], 0, 0)
    now = now or timezone.now()
    year = timezone.localdate(now).year
    table = indicator_selectors.area_table(scope, year)
    # The same map the table was built with; cached with it, under the scope's province.
    umap = cached(f"clms:ind:umap:{scope.pk}", lambda: build_unit_map(scope), root=root_of(scope.path))
    rows = {r.pk: Attention(unit=r) for r in table.rows}

    def row_of(unit_id: int) -> Attention | None:
        found = rows.get(unit_id)
        if found is None and unit_id in umap.row_of:
            found = rows.get(umap.row_of[unit_id])
        return found

    for commune_id, n in overdue_steps_by_commune(user, now=now).items():
        if (row := row_of(commune_id)) is not None:
            row.overdue_steps += n
    today = timezone.localdate(now)
    periods = report_selectors.periods_for_user(user).filter(receiver_id=user.area_id, year__gte=year - 1)
    for period in periods.order_by("-year"):
        for status in report_selectors.period_overview(period, today=today):
            if status.is_late and (row := row_of(status.unit.pk)) is not None:
                row.late_reports.append((period.year, status.late_days))
    summary = overview(table)
    for r in table.rows:
        rows[r.pk].off_track = [c for c in table.codes if table.cell(r.pk, c).status == "off_track"]
    listed = sorted((a for a in rows.values() if a.needs_attention), key=Attention.urgency)
    quiet = sum(1 for pk, a in rows.items() if summary.statuses[pk] == "no_data" and not a.needs_attention)
    return AttentionList(listed, len(rows), quiet, scope=scope, year=year)
