"""Outreach reach per row unit in a fixed number of queries: the grouped twin of
``clms.outreach.selectors.reach``.

``reach(unit, year, group, kinds)`` counts, over the activities held in the year at the unit
(or below it, or at the units it absorbed in 2025), either unique people and employers (when
every activity that reached the group has an attendance list) or the sum of the typed counts.
Called once per row it would cost a handful of queries per row; here the database groups by
row instead:

- one query sums typed counts per activity unit, target group and activity kind, and counts
  the activities whose count has no attendance list behind it (additive, mapped to rows in
  Python);
- two queries count distinct people (folded name, folded position, unit) and distinct
  employers per row and group, over all kinds and over trainings only (distinct counts do not
  add up, so the row is computed by the database from the activity's unit);
- two more do the same for the scope as a whole.

The tests compare every row with ``reach()``.  One difference is by design: an old commune
split between two new ones counts for its main successor only, like every other indicator
(``reach()`` of the other successor would count it too).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any, Literal

from django.db.models import (
    CharField,
    Count,
    Exists,
    F,
    Func,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Sum,
    Value,
)
from django.db.models.functions import Cast, Coalesce

from clms.indicators.context import Context
from clms.outreach.models import (
    ActivityKind,
    ActivityStatus,
    Attendee,
    OutreachActivity,
    Reach,
    ReachGroup,
)
from clms.places.models import AdminUnit, DenominatorGroup, Level

TRAINING = ActivityKind.TRAINING

# Reach groups and denominator groups of the communication and training indicators.
REACH: dict[str, tuple[list[str], list[str], bool]] = {
    "COMM_TEACHERS": ([ReachGroup.TEACHERS], [DenominatorGroup.TEACHERS], False),
    "COMM_PARENTS": ([ReachGroup.PARENTS], [DenominatorGroup.PARENTS], False),
    "COMM_CHILDREN": ([ReachGroup.CHILDREN], [DenominatorGroup.CHILDREN_5_17], False),
    "COMM_BUSINESSES": (
        [ReachGroup.ENTERPRISES, ReachGroup.COOPERATIVES, ReachGroup.CRAFT_HOUSEHOLDS],
        [DenominatorGroup.ENTERPRISES, DenominatorGroup.COOPERATIVES, DenominatorGroup.CRAFT_HOUSEHOLDS],
        False,
    ),
    "TRAIN_OFFICIALS": ([ReachGroup.OFFICIALS], [DenominatorGroup.OFFICIALS], True),
    "TRAIN_ENTERPRISES": ([ReachGroup.ENTERPRISES], [DenominatorGroup.ENTERPRISES], True),
    "TRAIN_COOPS_HOUSEHOLDS": (
        [ReachGroup.COOPERATIVES, ReachGroup.CRAFT_HOUSEHOLDS],
        [DenominatorGroup.COOPERATIVES, DenominatorGroup.CRAFT_HOUSEHOLDS],
        True,
    ),
}
ALL_REACH_GROUPS = sorted({g for groups, _, _ in REACH.values() for g in groups})
# Separates the parts of a person's identity in one string; never typed in a name.
SEP = "\x1f"

Method = Literal["unique", "attendance"]


@dataclass(frozen=True)
class GroupReach:
    count: int
    method: Method


@dataclass
class ReachTable:
    """(row id or None for the total, reach group, training only?) -> GroupReach."""

    values: dict[tuple[int | None, str, bool], GroupReach]

    def get(self, row: int | None, group: str, training: bool) -> GroupReach:
        return self.values.get((row, group, training), GroupReach(0, "attendance"))


class RowOf(Func):
    """CASE WHEN <unit> IN (...) THEN <row> ... ELSE -1 END, written directly: the same as a
    Case of one When per row, without building a filter per row (a province has 170)."""

    output_field = IntegerField()

    def __init__(self, expression: Any, units_of_row: dict[int, list[int]]) -> None:
        super().__init__(expression)
        self.units_of_row = units_of_row

    def as_sql(self, compiler: Any, connection: Any, **extra: Any) -> tuple[str, list[Any]]:  # type: ignore[override]
        column, params = compiler.compile(self.source_expressions[0])
        if not self.units_of_row:
            return "-1", []
        whens = " ".join(
            f"WHEN {column} IN ({','.join(str(int(u)) for u in sorted(units))}) THEN {int(row)}"
            for row, units in sorted(self.units_of_row.items())
        )
        return f"CASE {whens} ELSE -1 END", list(params) * len(self.units_of_row)


def _unit_rows(ctx: Context) -> tuple[dict[int, int], list[int]]:
    """Activity unit -> row (-1: the total only), for the record communes of the table and
    their villages; and those of them that lie outside the scope's path."""
    umap = ctx.umap
    units = dict(umap.row_of)
    communes = [*umap.row_of, *umap.unattributed]
    outside_communes = {c for c in communes if not umap.paths.get(c, "").startswith(umap.scope.path)}
    outside = set(outside_communes)
    for pk, parent in AdminUnit.objects.filter(level=Level.VILLAGE, parent_id__in=sorted(communes)).order_by().values_list(
        "pk", "parent_id"
    ):
        units[pk] = umap.row_of.get(parent, -1)
        if parent in outside_communes:
            outside.add(pk)
    for commune in umap.unattributed:
        units.setdefault(commune, -1)
    return units, sorted(outside)


def _held(ctx: Context, outside: list[int]) -> QuerySet[OutreachActivity]:
    # Units under the scope's path need no list of ids (a province would send 1,500 of them
    # in every query); only units outside it (a district read through the new communes) are
    # named.
    inside = Q(unit__path__startswith=ctx.umap.scope.path)
    if outside:
        inside |= Q(unit_id__in=outside)
    return OutreachActivity.objects.filter(
        inside, status=ActivityStatus.HELD, starts_on__range=(ctx.first_day, ctx.last_day)
    )


def _person_key() -> Any:
    # "||" concatenates text on SQLite and PostgreSQL alike; the folded names are never NULL,
    # so Concat's COALESCE around every part is not needed.
    return Func(
        F("name_folded"),
        Value(SEP),
        F("position_folded"),
        Value(SEP),
        Coalesce(Cast("person_unit_id", CharField()), Value("")),
        arg_joiner=" || ",
        template="(%(expressions)s)",
        output_field=CharField(),
    )


def _distinct(attendees: QuerySet[Attendee], fields: list[str]) -> list[dict[str, Any]]:
    return list(
        attendees.values(*fields)
        .annotate(
            people=Count(_person_key(), distinct=True, filter=Q(employer__isnull=True)),
            employers=Count("employer_id", distinct=True),
            lines=Count("pk"),
        )
        .order_by()
    )


def reach_table(ctx: Context, groups: list[str]) -> ReachTable:
    unit_rows, outside = _unit_rows(ctx)
    held = _held(ctx, outside)
    listed = Attendee.objects.filter(activity_id=OuterRef("activity_id"), group=OuterRef("group"))
    typed = (
        Reach.objects.filter(activity__in=held, group__in=groups, count__gt=0)
        .alias(listed=Exists(listed))
        .values("activity__unit_id", "group", "activity__kind")
        .annotate(total=Sum("count"), unlisted=Count("pk", filter=Q(listed=False)))
        .order_by()
    )
    # (row, group, training) -> [typed total, activities with a count but no list, any count]
    sums: dict[tuple[int | None, str, bool], list[int]] = defaultdict(lambda: [0, 0, 0])
    for r in typed:
        row = unit_rows.get(r["activity__unit_id"])
        keys: list[int | None] = [None] if row is None or row == -1 else [None, row]
        for row_key in keys:
            for training in {False, r["activity__kind"] == TRAINING}:
                entry = sums[(row_key, r["group"], training)]
                entry[0] += r["total"] or 0
                entry[1] += r["unlisted"]
                entry[2] += 1

    units_of_row: dict[int, list[int]] = defaultdict(list)
    for unit, row in unit_rows.items():
        if row != -1:
            units_of_row[row].append(unit)
    row_expr = RowOf(F("activity__unit_id"), units_of_row)
    attendees = Attendee.objects.filter(activity__in=held, group__in=groups)
    unique: dict[tuple[int | None, str, bool], tuple[int, int]] = {}
    for training in (False, True):
        scoped = attendees.filter(activity__kind=TRAINING) if training else attendees
        for r in _distinct(scoped.annotate(row=row_expr), ["row", "group"]):
            if r["row"] != -1:
                unique[(r["row"], r["group"], training)] = (r["people"] + r["employers"], r["lines"])
        for r in _distinct(scoped, ["group"]):
            unique[(None, r["group"], training)] = (r["people"] + r["employers"], r["lines"])

    values: dict[tuple[int | None, str, bool], GroupReach] = {}
    for key in set(sums) | set(unique):
        total, unlisted, contributions = sums.get(key, [0, 0, 0])
        people, lines = unique.get(key, (0, 0))
        if unlisted == 0 and (contributions or lines):
            values[key] = GroupReach(people, "unique")
        else:
            values[key] = GroupReach(total, "attendance")
    return ReachTable(values)
