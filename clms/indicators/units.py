"""Which records count for which unit: the two administrative structures side by side.

Records carry the commune the child lived in when recorded, which is a pre-2025 commune for
older records and a post-2025 commune for newer ones.  To read any year in either
structure, every record commune is mapped to one row unit of the table:

- after-2025 structure: a pre-2025 commune counts for its main successor (the one that took
  most of it when it was split), so 2021-2025 figures add up in the new communes;
- before-2025 structure: a post-2025 commune counts for the pre-2025 unit (commune or
  district) of its main predecessors when they all lie in it; otherwise it cannot be split
  back and counts only at province level (reported as ``unattributed``).

The mapping is built from units (a few thousand rows), never from personal records.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Literal

from django.db.models import Q

from clms.places.models import AdminUnit, Level, Scheme, Succession

Structure = Literal["before-2025", "after-2025"]
STRUCTURES: tuple[Structure, ...] = ("before-2025", "after-2025")


@dataclass
class UnitMap:
    """Row units of a table and the record communes that count for each."""

    scope: AdminUnit
    structure: Structure
    rows: list[AdminUnit]
    # record commune id -> row unit id
    row_of: dict[int, int] = field(default_factory=dict)
    # record communes inside the scope that no row can take (before-2025 view of merged communes)
    unattributed: set[int] = field(default_factory=set)
    # materialised path of every record commune above
    paths: dict[int, str] = field(default_factory=dict)
    # (predecessor id, successor id) of every succession touching these communes
    links: list[tuple[int, int]] = field(default_factory=list)

    def communes_of(self, row_id: int) -> list[int]:
        return [c for c, r in self.row_of.items() if r == row_id]

    @property
    def all_communes(self) -> list[int]:
        return [*self.row_of, *self.unattributed]


def default_structure(unit: AdminUnit) -> Structure:
    return "before-2025" if unit.scheme == Scheme.PRE_2025 else "after-2025"


def _children_in(structure: Structure, scope: AdminUnit) -> list[AdminUnit]:
    """The row units under ``scope``: communes, or districts for a before-2025 province."""
    if scope.level == Level.COMMUNE:
        return [scope]
    units = AdminUnit.objects.filter(path__startswith=scope.path).exclude(pk=scope.pk)
    if structure == "after-2025":
        if scope.scheme == Scheme.PRE_2025 and scope.level == Level.DISTRICT:
            # A district of the old structure seen through the new one: the new communes
            # that took over its communes.
            return list(
                AdminUnit.objects.filter(
                    scheme=Scheme.POST_2025,
                    succession_in__predecessor__parent=scope,
                    succession_in__is_main=True,
                ).distinct().order_by("code")
            )
        return list(units.filter(level=Level.COMMUNE, scheme=Scheme.POST_2025).order_by("code"))
    if scope.level == Level.PROVINCE:
        return list(units.filter(level=Level.DISTRICT, scheme=Scheme.PRE_2025).order_by("code"))
    return list(units.filter(level=Level.COMMUNE, scheme=Scheme.PRE_2025).order_by("code"))


def build_unit_map(scope: AdminUnit, structure: Structure | None = None) -> UnitMap:
    structure = structure or default_structure(scope)
    rows = _children_in(structure, scope)
    row_ids = {r.pk for r in rows}
    umap = UnitMap(scope=scope, structure=structure, rows=rows)

    # Every commune that may hold records for this scope: under the scope's path, or linked to
    # one of the rows through a succession.
    paths = Q(path__startswith=scope.path)
    for row_unit in rows:
        paths |= Q(path__startswith=row_unit.path)
    communes = {
        u.pk: u
        for u in AdminUnit.objects.filter(paths, level=Level.COMMUNE).only("pk", "path", "scheme", "parent_id")
    }
    links = list(
        Succession.objects.filter(Q(predecessor_id__in=communes) | Q(successor_id__in=row_ids) | Q(successor_id__in=communes))
        .values_list("predecessor_id", "successor_id", "is_main")
    )
    main_successor: dict[int, int] = {}
    predecessors: dict[int, list[int]] = defaultdict(list)
    for old, new, is_main in links:
        if is_main:
            main_successor.setdefault(old, new)
            predecessors[new].append(old)
    missing = {i for pair in links for i in pair[:2]} - set(communes)
    if missing:
        for u in AdminUnit.objects.filter(pk__in=missing, level=Level.COMMUNE).only("pk", "path", "scheme", "parent_id"):
            communes[u.pk] = u

    row_by_path = sorted(((r.path, r.pk) for r in rows), key=lambda x: -len(x[0]))

    def row_for_path(path: str) -> int | None:
        for prefix, pk in row_by_path:
            if path.startswith(prefix):
                return pk
        return None

    def _formed_inside(pk: int) -> bool:
        """A new commune formed wholly from old communes of the scope (a district seen in
        the old structure) belongs to its total even when no single row can take it."""
        olds = [communes[p] for p in predecessors.get(pk, []) if p in communes]
        return bool(olds) and all(u.path.startswith(scope.path) for u in olds)

    for pk, unit in communes.items():
        row = row_for_path(unit.path)
        if row is None:
            if structure == "after-2025" and pk in main_successor:
                row = main_successor[pk] if main_successor[pk] in row_ids else None
            elif structure == "before-2025" and pk in predecessors:
                candidates = {row_for_path(communes[p].path) for p in predecessors[pk] if p in communes}
                if len(candidates) == 1:
                    row = candidates.pop()
        if row is not None:
            umap.row_of[pk] = row
        elif unit.path.startswith(scope.path) or scope.level == Level.PROVINCE or _formed_inside(pk):
            umap.unattributed.add(pk)
    umap.paths = {pk: communes[pk].path for pk in [*umap.row_of, *umap.unattributed] if pk in communes}
    umap.links = [(old, new) for old, new, _main in links]
    if scope.level == Level.COMMUNE:
        # A single commune: only itself and (after the reform) the old communes it absorbed.
        keep = {scope.pk, *(predecessors.get(scope.pk, []) if structure == "after-2025" else [])}
        umap.row_of = {c: scope.pk for c in umap.row_of if c in keep}
        umap.unattributed = set()
    return umap
