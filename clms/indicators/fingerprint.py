"""What the counts of a closed year are computed from, digested in one query.

A year is read at its end (``T``: midnight of 1 January after it, local time; the TIMELY
point-in-time rule of DESIGN §5), so a record whose dates all fall after ``T`` cannot change
its figures.  The digest covers, for the scope's record communes, every column an indicator
of the year reads, of the rows that can count for it:

- children of the communes known by ``T`` (their register and school status, sex, ethnicity,
  date of birth, commune, merge: the register keeps no history of them, so a change counts for
  every closed year);
- observations made in the year of children of the communes or observed in them, and every
  vn-law classification of those (current or not, category, age), with the merge,
  sex and ethnicity of the observed child;
- visits by the end of the year of the communes' children;
- cases of the communes received by ``T``, their steps created by ``T`` (due and end times
  read at ``T``: a time after ``T`` reads as "not yet", like no time at all) and their state
  changes by ``T``, with the child's date of birth, sex and ethnicity;
- outreach activities of the year at the scope or its communes and villages, their typed
  counts and attendance lists; the villages of the communes;
- population figures of the year of the scope, the rows and the communes.

Each part is a count and the sum of a hash of each row's id and columns (a polynomial hash
modulo a 31-bit prime): a change to any column of any row changes the sum, short of a
collision of the hash, and so does a change that moves values between rows.  Rows are found by the same columns whatever path wrote them
(a service, ``QuerySet.update``, an import's ``bulk_create``), so no write can be missed for
want of a signal.  The parts are one ``UNION ALL`` query.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from typing import Any

from django.db import connections
from django.db.models import (
    BigIntegerField,
    Exists,
    F,
    Func,
    IntegerField,
    Model,
    OuterRef,
    Q,
    QuerySet,
    Value,
    When,
)
from django.db.models import Case as CaseWhen
from django.db.models.functions import Coalesce, Length, Ord, Substr

from clms.cases.models import Case, CaseEvent, CaseStep
from clms.indicators.context import year_start
from clms.indicators.units import UnitMap
from clms.outreach.models import Attendee, OutreachActivity, Reach
from clms.people.models import Child, Classification, Visit, WorkObservation
from clms.places.models import AdminUnit, Denominator

# 2020-01-01 UTC: times are digested as seconds from then, which keeps every sum in 64 bits.
_EPOCH = 1577836800


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
    field: Any = model._meta.get_field(name)
    values = [v for v, _label in field.choices or []]
    return CaseWhen(
        *(When(**{f"{path}{name}": v}, then=Value(i + 1)) for i, v in enumerate(values)),
        default=Value(0),
        output_field=IntegerField(),
    )


def _short(path: str) -> Any:
    """A code of up to two characters (sex, ethnicity) as a number."""
    return Coalesce(Ord(Substr(path, 1, 1)), Value(0)) * 256 + Coalesce(Ord(Substr(path, 2, 1)), Value(0))


def _flag(path: str) -> Any:
    """A boolean column as 0 or 1 (PostgreSQL adds no booleans)."""
    return CaseWhen(When(**{path: True}, then=Value(1)), default=Value(0), output_field=IntegerField())


def _at(path: str, moment: dt.datetime, lookup: str = "lte") -> Any:
    """A time read at ``moment``: its seconds if it came by then, else -1 (not yet, or never:
    the same thing at that moment)."""
    return CaseWhen(
        When(**{f"{path}__{lookup}": moment}, then=Seconds(path)), default=Value(-1), output_field=BigIntegerField()
    )


class _Step(Func):
    """One step of the row hash: (h * P + value) % M, in integers on both databases (Django's
    Mod is a Python function returning a float on SQLite)."""

    output_field = BigIntegerField()

    def as_sql(self, compiler: Any, connection: Any, **extra: Any) -> tuple[str, list[Any]]:  # type: ignore[override]
        h, h_params = compiler.compile(self.source_expressions[0])
        v, v_params = compiler.compile(self.source_expressions[1])
        return f"((({h}) * {_P} + COALESCE({v}, -7)) %% {_M})", [*h_params, *v_params]


_P = 1000003
_M = 2147483647


def _part(tag: int, qs: QuerySet[Any], columns: list[Any]) -> tuple[str, list[Any]]:
    """SQL of one part: the tag, the number of rows and the sum of the rows' hashes (of the
    id and every column; the id makes the same values on two rows hash apart)."""
    h: Any = F("pk")
    for column in columns:
        h = _Step(h, column)
    inner = qs.order_by().annotate(h=h).values("h")
    sql, params = inner.query.sql_with_params()
    # Only the ORM's own SQL and integers go into the text; values stay parameters.
    wrapped = f"SELECT {int(tag)} AS tag, COUNT(*) AS n, SUM(h) AS s FROM ({sql}) AS part{int(tag)}"  # noqa: S608
    return wrapped, list(params)


def data_digest(umap: UnitMap, year: int) -> str:
    """The digest of the records a closed year's figures read (module docstring)."""
    communes = sorted(umap.all_communes)
    end_day = dt.date(year, 12, 31)
    first_day = dt.date(year, 1, 1)
    moment = year_start(year + 1)
    # The children whose observations can count here: of the communes, or observed in them
    # (as sets the database builds once, not a test per observation).
    # CL_RATE and HAZARDOUS_SHARE read the year's observations only; an older one counts for
    # EDU_ACCESS only by making its child known by the year's end, which the children's part
    # sees.
    period = (first_day, end_day)
    observed_here = WorkObservation.objects.filter(commune_id__in=communes, observed_on__range=period).values("child_id")
    of_communes = Child.objects.filter(commune_id__in=communes).values("pk")
    observations = WorkObservation.objects.filter(observed_on__range=period).filter(
        Q(child_id__in=of_communes) | Q(child_id__in=observed_here)
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
            F("observation_id"), _flag("is_current"), F("age"),
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
            F("case_id"), _flag("statutory"), _at("due_at", moment, "lt"), _at("finished", moment), Seconds("created_at"),
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
    sql = " UNION ALL ".join(part for part, _params in parts)
    params = [p for _part_sql, part_params in parts for p in part_params]
    with connections[Child.objects.all().db].cursor() as cursor:
        cursor.execute(sql, params)
        rows = sorted(tuple(int(v or 0) for v in row) for row in cursor.fetchall())
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

