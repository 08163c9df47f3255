"""Population denominators of the rows and of the scope, from clms.places.Denominator.

A row's figure is its own when the unit has one for the year; otherwise the sum of the
figures of the record communes that count for it (so 2021-2024 figures of the old communes
add up in the new commune that absorbed them).  The total is the scope's own figure, else the
sum of the rows' and of the unattributed communes'.  A figure derived from the register
(source "derived") raises ``denominator_derived``; an indicator whose denominator sums several
groups and misses some of them is an ``estimate``.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from clms.indicators.base import DENOMINATOR_DERIVED, ESTIMATE, MISSING_DENOMINATOR
from clms.indicators.context import Context
from clms.places.models import Denominator, DenominatorSource


@dataclass
class Resolved:
    value: int | None
    flags: set[str] = field(default_factory=set)


@dataclass
class Denominators:
    """Figures of one year for the units of a table: (unit id, group) -> (value, derived)."""

    figures: dict[tuple[int, str], tuple[int, bool]]
    ctx: Context

    def _one(self, unit_ids: list[int], own: int, group: str) -> tuple[int, bool] | None:
        if (own, group) in self.figures:
            return self.figures[(own, group)]
        found = [self.figures[(u, group)] for u in unit_ids if (u, group) in self.figures]
        if not found:
            return None
        return sum(v for v, _ in found), any(d for _, d in found)

    def _resolve(self, groups: Iterable[str], pick: dict[str, tuple[int, bool] | None]) -> Resolved:
        wanted = list(groups)
        present = [p for p in (pick[g] for g in wanted) if p is not None]
        if not present:
            return Resolved(None, {MISSING_DENOMINATOR})
        flags: set[str] = set()
        if len(present) < len(wanted):
            flags.add(ESTIMATE)
        if any(derived for _, derived in present):
            flags.add(DENOMINATOR_DERIVED)
        return Resolved(sum(v for v, _ in present), flags)

    def row(self, row_id: int, groups: Iterable[str]) -> Resolved:
        wanted = list(groups)
        communes = self._communes[row_id]
        return self._resolve(wanted, {g: self._one(communes, row_id, g) for g in wanted})

    def total(self, groups: Iterable[str]) -> Resolved:
        wanted = list(groups)
        scope = self.ctx.umap.scope.pk
        pick: dict[str, tuple[int, bool] | None] = {}
        for g in wanted:
            if (scope, g) in self.figures:
                pick[g] = self.figures[(scope, g)]
                continue
            parts = [self._one(self._communes[r.pk], r.pk, g) for r in self.ctx.umap.rows]
            parts += [self.figures[(c, g)] for c in self.ctx.umap.unattributed if (c, g) in self.figures]
            found = [p for p in parts if p is not None]
            pick[g] = (sum(v for v, _ in found), any(d for _, d in found)) if found else None
        return self._resolve(wanted, pick)

    @property
    def _communes(self) -> dict[int, list[int]]:
        cached = self.ctx.memo.get("_communes_of_row")
        if cached is None:
            cached = defaultdict(list)
            for commune, row in self.ctx.umap.row_of.items():
                cached[row].append(commune)
            self.ctx.memo["_communes_of_row"] = cached
        return cached


def load_denominators(ctx: Context, groups: Iterable[str]) -> Denominators:
    """One query for every group any requested indicator divides by."""
    umap = ctx.umap
    units = {umap.scope.pk, *(r.pk for r in umap.rows), *umap.row_of, *umap.unattributed}
    figures = {
        (unit_id, group): (value, source == DenominatorSource.DERIVED)
        for unit_id, group, value, source in Denominator.objects.filter(
            year=ctx.year, group__in=sorted(set(groups)), unit_id__in=sorted(units)
        )
        .order_by()
        .values_list("unit_id", "group", "value", "source")
    }
    return Denominators(figures=figures, ctx=ctx)
