"""Population denominators of the rows and of the scope, from clms.places.Denominator.

One precedence rule, in ``territory_figure``, decides every figure of a territory (a row, or
the scope's total) and year, so that the same territory has the same figure whichever
structure the table is read in, and no population is ever counted twice across the reform:

- an aggregate unit (district, province) that has its own figure for the year uses it;
- otherwise the territory's communes are split into succession groups (old communes and the
  new communes that took them over, linked by ``Succession``); each group counts once: by
  the figures of the structure in force in that year (old communes for 2021-2024, new
  communes from 2025, the year of the reform) when all of them have one, else by those of the
  other structure when all of them have one, else by what figures there are, flagged
  ``estimate``.  Never both sides of a group.

A figure derived from the register (source "derived") raises ``denominator_derived``; an
indicator whose denominator sums several groups and misses some of them is an ``estimate``.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from clms.indicators.base import DENOMINATOR_DERIVED, ESTIMATE, MISSING_DENOMINATOR
from clms.indicators.context import Context
from clms.places.models import REFORM_DATE, Denominator, DenominatorSource

Figure = tuple[int, bool]  # (value, derived from the register)


@dataclass(frozen=True)
class TerritoryFigure:
    value: int
    derived: bool
    partial: bool


def territory_figure(
    figures: dict[int, Figure], communes: Iterable[int], links: Iterable[tuple[int, int]], year: int
) -> TerritoryFigure | None:
    """The figure of the territory made of ``communes`` for ``year`` (module docstring).

    ``figures`` maps a commune id to its figure of the year (for one group); ``links`` are
    (predecessor, successor) pairs, of which those inside the territory group its communes.
    """
    members = set(communes)
    parent = {c: c for c in members}

    def root(c: int) -> int:
        while parent[c] != c:
            parent[c] = parent[parent[c]]
            c = parent[c]
        return c

    old_side: set[int] = set()
    for old, new in links:
        if old in members and new in members:
            old_side.add(old)
            parent[root(old)] = root(new)
    groups: dict[int, list[int]] = defaultdict(list)
    for c in sorted(members):
        groups[root(c)].append(c)
    new_first = year >= REFORM_DATE.year
    value, derived, partial, found = 0, False, False, False
    for group in groups.values():
        olds = [c for c in group if c in old_side]
        news = [c for c in group if c not in old_side]
        sides = [s for s in ((news, olds) if new_first else (olds, news)) if s]
        chosen = next((s for s in sides if all(c in figures for c in s)), None)
        if chosen is None:
            chosen = next((s for s in sides if any(c in figures for c in s)), None)
            if chosen is None:
                partial = True
                continue
            partial = True
        present = [figures[c] for c in chosen if c in figures]
        value += sum(v for v, _ in present)
        derived = derived or any(d for _, d in present)
        found = True
    return TerritoryFigure(value, derived, partial) if found else None


@dataclass
class Resolved:
    value: int | None
    flags: set[str] = field(default_factory=set)


@dataclass
class Denominators:
    """Figures of one year for the units of a table: (unit id, group) -> (value, derived)."""

    figures: dict[tuple[int, str], tuple[int, bool]]
    ctx: Context

    def _one(self, communes: list[int], own: int, group: str) -> TerritoryFigure | None:
        if own not in communes and (own, group) in self.figures:
            # An aggregate unit (district, province) with its own figure.
            value, derived = self.figures[(own, group)]
            return TerritoryFigure(value, derived, False)
        figures = {u: self.figures[(u, group)] for u in communes if (u, group) in self.figures}
        return territory_figure(figures, communes, self.ctx.umap.links, self.ctx.year)

    def _resolve(self, groups: Iterable[str], pick: dict[str, TerritoryFigure | None]) -> Resolved:
        wanted = list(groups)
        present = [p for p in (pick[g] for g in wanted) if p is not None]
        if not present:
            return Resolved(None, {MISSING_DENOMINATOR})
        flags: set[str] = set()
        if len(present) < len(wanted) or any(p.partial for p in present):
            flags.add(ESTIMATE)
        if any(p.derived for p in present):
            flags.add(DENOMINATOR_DERIVED)
        return Resolved(sum(p.value for p in present), flags)

    def row(self, row_id: int, groups: Iterable[str]) -> Resolved:
        wanted = list(groups)
        communes = self._communes[row_id]
        return self._resolve(wanted, {g: self._one(communes, row_id, g) for g in wanted})

    def total(self, groups: Iterable[str]) -> Resolved:
        wanted = list(groups)
        scope = self.ctx.umap.scope.pk
        communes = list(self.ctx.umap.all_communes)
        return self._resolve(wanted, {g: self._one(communes, scope, g) for g in wanted})

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
