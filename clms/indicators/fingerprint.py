"""What the counts of a closed year are computed from, digested in one query.

A year is read at its end (``T``: midnight of 1 January after it, local time; the TIMELY
point-in-time rule of DESIGN §5), so a record whose dates all fall after ``T`` cannot change
its figures.  The digest covers, for the scope's record communes, every column an indicator
of the year reads, of the rows that can count for it:

- children of the communes known by ``T`` (their register and school status, sex, ethnicity,
  date of birth, commune, merge: the register keeps no history of them, so a change counts for
  every closed year);
- observations made by the end of the year of children of the communes or observed in them,
  and every vn-law classification of those (current or not, category, age), with the merge,
  sex and ethnicity of the observed child;
- visits by the end of the year of the communes' children;
- cases of the communes received by ``T``, their steps created by ``T`` (due and end times
  read at ``T``: a time after ``T`` reads as "not yet", like no time at all) and their state
  changes by ``T``, with the child's date of birth, sex and ethnicity;
- outreach activities of the year at the scope or its communes and villages, their typed
  counts and attendance lists; the villages of the communes;
- population figures of the year of the scope, the rows and the communes.

Each part is a count and, per column, a plain sum and a sum weighted by the row's id (mod
1009): any change to one row changes a plain sum, and a change that moves values between
rows changes a weighted one.  Rows are found by the same columns whatever path wrote them
(a service, ``QuerySet.update``, an import's ``bulk_create``), so no write can be missed for
want of a signal.  The parts are one ``UNION ALL`` query.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from typing import Any

from django.db.models import (
    BigIntegerField,
    Count,
    Exists,
    F,
    Func,
    IntegerField,
    Model,
    OuterRef,
    Q,
    QuerySet,
    Sum,
    Value,
    When,
)
from django.db.models import Case as CaseWhen
from django.db.models.functions import Coalesce, Length, Mod, Ord, Substr

from clms.cases.models import Case, CaseEvent, CaseStep
from clms.indicators.context import year_start
from clms.indicators.units import UnitMap
from clms.outreach.models import Attendee, OutreachActivity, Reach
from clms.people.models import Child, Classification, Visit, WorkObservation
from clms.places.models import AdminUnit, Denominator

# 2020-01-01 UTC: times are digested as seconds from then, which keeps every sum in 64 bits.
_EPOCH = 1577836800
WIDTH = 2 * 9 + 1  # a count and two sums for each of at most nine columns


class Seconds(Func):
    """Seconds since 2020 of a datetime column (NULL stays NULL)."""

    output_field = BigIntegerField()

    def as_sql(self, compiler: Any, connection: Any, **extra: Any) -> tuple[str, list[Any]]:  # type: ignore[override]
        sql, params = compiler.compile(self.source_expressions[0])
        if connection.vendor == "postgresql":
            return f"(CAST(EXTRACT(EPOCH FROM {sql}) AS BIGINT) - {_EPOCH})", list(params)
        return f"(CAST(strftime('%%s', {sql}) AS INTEGER) - {_EPOCH})", list(params)


class Days(Func):
    """Days since 2020-01-01 of a date column (NULL stays NULL)."""

    output_field = IntegerField()

    def as_sql(self, compiler: Any, connection: Any, **extra: Any) -> tuple[str, list[Any]]:  # type: ignore[override]
        sql, params = compiler.compile(self.source_expressions[0])
        if connection.vendor == "postgresql":
            return f"({sql} - DATE '2020-01-01')", list(params)
        return f"CAST(julianday({sql}) - julianday('2020-01-01') AS INTEGER)", list(params)


def _choice(model: type[Model], name: str, path: str = "") -> Any:
    """The position of a choice column's value among its choices (0: none of them)."""
    field = model._meta.get_field(name)
    values = [v for v, _label in field.choices or []]  # type: ignore[attr-defined]
    return CaseWhen(
        *(When(**{f"{path}{name}": v}, then=Value(i + 1)) for i, v in enumerate(values)),
        default=Value(0),
        output_field=IntegerField(),
    )


def _short(path: str) -> Any:
    """A code of up to two characters (sex, ethnicity) as a number."""
    return Coalesce(Ord(Substr(path, 1, 1)), Value(0)) * 256 + Coalesce(Ord(Substr(path, 2, 1)), Value(0))


def _at(path: str, moment: dt.datetime, lookup: str = "lte") -> Any:
    """A time read at ``moment``: its seconds if it came by then, else -1 (not yet, or never:
    the same thing at that moment)."""
    return CaseWhen(
        When(**{f"{path}__{lookup}": moment}, then=Seconds(path)), default=Value(-1), output_field=BigIntegerField()
    )


def _part(tag: int, qs: QuerySet[Any], columns: list[Any]) -> QuerySet[Any]:
    weight = Mod(F("pk"), Value(1009)) + Value(1)
    aggregates: dict[str, Any] = {"c0": Count("pk")}
    for i, column in enumerate([F("pk"), *columns]):
        value = Coalesce(column, Value(-7), output_field=BigIntegerField())
        aggregates[f"c{2 * i + 1}"] = Sum(value, output_field=BigIntegerField())
        aggregates[f"c{2 * i + 2}"] = Sum(value * weight, output_field=BigIntegerField())
    for i in range(len(aggregates), WIDTH):
        aggregates[f"c{i}"] = Sum(Value(0), output_field=BigIntegerField())
    return qs.order_by().annotate(tag=Value(tag)).values("tag").annotate(**aggregates).values(
        "tag", *(f"c{i}" for i in range(WIDTH))
    )


def data_digest(umap: UnitMap, year: int) -> str:
    """The digest of the records a closed year's figures read (module docstring)."""
    communes = sorted(umap.all_communes)
    end_day = dt.date(year, 12, 31)
    first_day = dt.date(year, 1, 1)
    moment = year_start(year + 1)
    observed_here = WorkObservation.objects.filter(
        child_id=OuterRef("child_id"), commune_id__in=communes, observed_on__lte=end_day
    )
    observations = WorkObservation.objects.filter(observed_on__lte=end_day).filter(
        Q(child__commune_id__in=communes) | Q(commune_id__in=communes) | Exists(observed_here)
    )
    known = Q(created_at__lt=moment) | Exists(
        WorkObservation.objects.filter(child_id=OuterRef("pk"), observed_on__lte=end_day)
    )
    cases = Case.objects.filter(commune_id__in=communes, received_at__lte=moment)
    activities = OutreachActivity.objects.filter(
        Q(unit__path__startswith=umap.scope.path) | Q(unit_id__in=communes) | Q(unit__parent_id__in=communes),
        starts_on__range=(first_day, end_day),
    )
    units = sorted({umap.scope.pk, *(r.pk for r in umap.rows), *communes})
    parts = [
        _part(1, Child.objects.filter(known, commune_id__in=communes), [
            F("commune_id"), F("merged_into_id"), _choice(Child, "register_status"), _choice(Child, "school_status"),
            Days("dob"), _at("created_at", moment, "lt"), _short("sex"), _short("ethnicity"),
        ]),
        _part(2, observations, [F("child_id"), F("commune_id"), Days("observed_on")]),
        _part(3, Classification.objects.filter(ruleset="vn-law", observation__in=observations), [
            F("observation_id"), F("is_current"), F("age"),
            CaseWhen(When(category="CHILD_LABOUR", then=Value(1)), When(category="HAZARDOUS_CHILD_LABOUR", then=Value(2)),
                  default=Value(0), output_field=IntegerField()),
            F("observation__child__merged_into_id"), _short("observation__child__sex"),
            _short("observation__child__ethnicity"),
        ]),
        _part(4, Visit.objects.filter(child__commune_id__in=communes, visited_on__lte=end_day), [
            F("child_id"), Days("visited_on"), _choice(Visit, "school_status"),
        ]),
        _part(5, cases, [
            F("commune_id"), F("child_id"), Seconds("received_at"), Days("child__dob"), _short("child__sex"),
            _short("child__ethnicity"),
        ]),
        # The indicators read a step's end as done, else cancelled (``with_finished``), and
        # only a step due before the moment.
        _part(6, CaseStep.objects.filter(case__in=cases, created_at__lte=moment).annotate(
            finished=Coalesce("done_at", "cancelled_at")), [
            F("case_id"), F("statutory"), _at("due_at", moment, "lt"), _at("finished", moment), Seconds("created_at"),
        ]),
        _part(7, CaseEvent.objects.filter(case__in=cases, at__lte=moment), [
            F("case_id"), Seconds("at"), _choice(CaseEvent, "to_state"),
        ]),
        _part(8, activities, [
            F("unit_id"), _choice(OutreachActivity, "kind"), _choice(OutreachActivity, "status"), Days("starts_on"),
        ]),
        _part(9, Reach.objects.filter(activity__in=activities), [F("activity_id"), _choice(Reach, "group"), F("count")]),
        _part(10, Attendee.objects.filter(activity__in=activities), [
            F("activity_id"), _choice(Attendee, "group"), F("employer_id"), F("person_unit_id"),
            Length("name_folded"), Length("position_folded"),
        ]),
        _part(11, AdminUnit.objects.filter(parent_id__in=communes), [F("parent_id"), Length("path")]),
        _part(12, Denominator.objects.filter(year=year, unit_id__in=units), [
            F("unit_id"), _choice(Denominator, "group"), F("value"), _choice(Denominator, "source"),
        ]),
    ]
    first, *rest = parts
    rows = sorted(
        [int(row["tag"]), *(int(row[f"c{i}"] or 0) for i in range(WIDTH))] for row in first.union(*rest, all=True)
    )
    return hashlib.sha256(repr(rows).encode()).hexdigest()


def umap_digest(umap: UnitMap) -> str:
    """The digest of which record communes count for which row (units and successions)."""
    shape = (
        umap.structure,
        umap.scope.pk,
        umap.scope.path,
        [r.pk for r in umap.rows],
        sorted(umap.row_of.items()),
        sorted(umap.unattributed),
        sorted(umap.paths.items()),
        sorted(umap.links),
    )
    return hashlib.sha256(repr(shape).encode()).hexdigest()

