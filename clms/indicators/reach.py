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

from django.db.models import Case as CaseWhen
from django.db.models import (
    CharField,
    Count,
    Exists,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Cast, Coalesce, Concat

from clms.indicators.context import Context
from clms.outreach.models import ActivityKind, ActivityStatus, Attendee, OutreachActivity, Reach
from clms.places.models import AdminUnit, Level

TRAINING = ActivityKind.TRAINING
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


def _unit_rows(ctx: Context) -> dict[int, int]:
    """Activity unit -> row: the record communes of the rows and their villages."""
    umap = ctx.umap
    units = dict(umap.row_of)
    for pk, parent in AdminUnit.objects.filter(level=Level.VILLAGE, parent_id__in=sorted(umap.all_communes)).order_by().values_list(
        "pk", "parent_id"
    ):
        if parent in umap.row_of:
            units[pk] = umap.row_of[parent]
        else:
            units.setdefault(pk, -1)  # a village of an unattributed commune: total only
    for commune in umap.unattributed:
        units.setdefault(commune, -1)
    return units


def _held(ctx: Context, unit_rows: dict[int, int]) -> QuerySet[OutreachActivity]:
    umap = ctx.umap
    inside = Q(unit_id__in=sorted(unit_rows)) | Q(unit__path__startswith=umap.scope.path)
    return OutreachActivity.objects.filter(
        inside, status=ActivityStatus.HELD, starts_on__range=(ctx.first_day, ctx.last_day)
    )


def _person_key() -> Any:
    return Concat(
        "name_folded",
        Value(SEP),
        "position_folded",
        Value(SEP),
        Coalesce(Cast("person_unit_id", CharField()), Value("")),
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
    unit_rows = _unit_rows(ctx)
    held = _held(ctx, unit_rows)
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

    whens = defaultdict(list)
    for unit, row in unit_rows.items():
        if row != -1:
            whens[row].append(unit)
    row_expr = CaseWhen(
        *[When(activity__unit_id__in=sorted(units), then=Value(row)) for row, units in sorted(whens.items())],
        default=Value(-1),
        output_field=IntegerField(),
    )
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
