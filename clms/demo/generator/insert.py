"""Multi-row INSERT … RETURNING id for generated rows, without bulk_create's per-value compiler.

``QuerySet.bulk_create`` spends most of its time building SQL value by value (and SQLite's
backend caps a statement at 999 parameters); the generator writes millions of rows of a
few models whose values it sets itself, so it prepares each column once and sends large
statements.  Conversions go through the field's own ``get_db_prep_save`` for the types
that need one (dates, decimals, JSON), so what lands in the database is what
``bulk_create`` would have written.  Both SQLite (3.35+) and PostgreSQL return the new ids
in VALUES order, which Django itself relies on.

On PostgreSQL the rows go through ``COPY … FROM STDIN`` instead (psycopg 3's ``cursor.copy``),
about 5× cheaper per row than a parameterised INSERT: the ids are drawn from the table's own
sequence first, in ascending order, so every row gets the id the INSERT path would have given
it and a seed still produces the same database.  ``CLMS_GENERATOR_COPY=0`` forces the INSERT
path (the tests compare the two).
"""

from __future__ import annotations

import datetime as dt
import decimal
import operator
import os
import uuid
from collections.abc import Callable, Sequence
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connections, models
from django.db.backends.base.base import BaseDatabaseWrapper
from django.utils import timezone

# PostgreSQL accepts 65,535 parameters per statement, SQLite (3.32+) 32,766.
MAX_PARAMS = 30_000
PREPARED = (
    models.DateField, models.DecimalField, models.JSONField, models.TimeField, models.UUIDField, models.FileField,
)


def _column(field: models.Field[Any, Any], connection: BaseDatabaseWrapper) -> Callable[[Any], Any]:
    attname = field.attname
    if field.is_relation:
        name = field.name

        def related(obj: Any) -> Any:
            value = getattr(obj, attname)
            if value is None and field.is_cached(obj):  # type: ignore[attr-defined]
                target = getattr(obj, name)
                if target is not None:
                    if target.pk is None:
                        raise ValueError(f"{obj.__class__.__name__}.{name} points to an unsaved row")
                    value = target.pk
                    setattr(obj, attname, value)
            return value

        return related
    auto = getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False)
    if isinstance(field, PREPARED):

        def prepared(obj: Any) -> Any:
            value = getattr(obj, attname)
            if value is None and auto:
                value = timezone.now() if isinstance(field, models.DateTimeField) else timezone.localdate()
                setattr(obj, attname, value)
            return field.get_db_prep_save(value, connection)

        return prepared

    def plain(obj: Any) -> Any:
        return getattr(obj, attname)

    return plain


def use_copy(connection: BaseDatabaseWrapper) -> bool:
    return connection.vendor == "postgresql" and os.environ.get("CLMS_GENERATOR_COPY", "1") != "0"


def _copy_row(fields: list[models.Field[Any, Any]], connection: BaseDatabaseWrapper) -> Callable[[Any], list[Any]]:
    """A function from an instance to its COPY row, for PostgreSQL.

    All the attributes come out in one ``attrgetter`` call; only the columns whose value
    psycopg cannot take as it is get a second look: relations to rows saved since the
    instance was built, JSON (serialised here with the dumps Django's Jsonb would use; COPY's
    text format hands the text to jsonb's parser, so the stored value is the same), and the
    auto_now/auto_now_add fields left empty.  Dates, aware datetimes, Decimals and UUIDs go
    to psycopg unchanged, which is what PostgreSQL's ``adapt_*field_value`` do; any other type
    in those columns takes the field's own ``get_db_prep_save`` as the INSERT path does."""
    from django.db.backends.postgresql.operations import get_json_dumps  # type: ignore[attr-defined]

    get_all = operator.attrgetter(*(f.attname for f in fields))
    single = len(fields) == 1
    relations: list[tuple[int, Callable[[Any], Any]]] = []
    fixes: list[tuple[int, Callable[[Any, Any], Any]]] = []
    for i, field in enumerate(fields):
        if field.is_relation:
            relations.append((i, _related_id(field)))
        elif isinstance(field, models.JSONField):
            fixes.append((i, _json_fix(field, get_json_dumps(field.encoder), connection)))
        elif isinstance(field, PREPARED) or getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
            fixes.append((i, _typed_fix(field, connection)))

    def row(obj: Any) -> list[Any]:
        values = [get_all(obj)] if single else list(get_all(obj))
        for i, related_id in relations:
            if values[i] is None:
                values[i] = related_id(obj)
        for i, fix in fixes:
            values[i] = fix(obj, values[i])
        return values

    return row


def _related_id(field: models.Field[Any, Any]) -> Callable[[Any], Any]:
    """The id of a related row that was unsaved when the instance was built (None if none).

    Read from the instance's relation cache and the target's own attribute rather than
    through the descriptors: this runs for most relation columns of most rows."""
    attname, name = field.attname, field.name
    target_attname = field.target_field.attname  # type: ignore[attr-defined]

    def related_id(obj: Any) -> Any:
        target = obj._state.fields_cache.get(name)
        if target is None:
            return None
        value = getattr(target, target_attname)
        if value is None:
            raise ValueError(f"{obj.__class__.__name__}.{name} points to an unsaved row")
        obj.__dict__[attname] = value
        return value

    return related_id


def _json_fix(field: models.Field[Any, Any], dumps: Callable[[Any], str], connection: BaseDatabaseWrapper) -> Callable[[Any, Any], Any]:
    def fix(obj: Any, value: Any) -> Any:
        if value is None:
            return None  # SQL NULL, as JSONField.get_db_prep_save gives for None
        kind = type(value)
        if kind is list or kind is dict:
            # Most lists are empty; "[]" is what dumps gives for them.
            return dumps(value) if value else ("[]" if kind is list else "{}")
        return field.get_db_prep_save(value, connection)

    return fix


PASSED: dict[type[models.Field[Any, Any]], type] = {
    models.DateField: dt.date, models.DateTimeField: dt.datetime, models.DecimalField: decimal.Decimal,
    models.TimeField: dt.time, models.UUIDField: uuid.UUID,
}


def _typed_fix(field: models.Field[Any, Any], connection: BaseDatabaseWrapper) -> Callable[[Any, Any], Any]:
    attname = field.attname
    auto = getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False)
    is_datetime = isinstance(field, models.DateTimeField)
    passed = PASSED.get(type(field))  # exact classes only: a subclass may convert, so it gets the field's way

    def fix(obj: Any, value: Any) -> Any:
        if value is None:
            if not auto:
                return None
            value = timezone.now() if is_datetime else timezone.localdate()
            setattr(obj, attname, value)
        if passed is not None and type(value) is passed and (not is_datetime or value.tzinfo is not None):  # type: ignore[attr-defined]
            return value
        return field.get_db_prep_save(value, connection)

    return fix


def _ids(cursor: Any, table: str, column: str, n: int, connection: BaseDatabaseWrapper) -> range | list[int]:
    """``n`` new ids of ``table``, ascending, as ``n`` INSERTs would have drawn them.

    Inside a transaction (every batch is one) the block is taken in one statement: the
    sequence moves on by ``n`` and the ids are the ``n`` values it passed.  The table is
    locked against other writers first (until the batch commits): a concurrent INSERT could
    otherwise draw a value inside the block between the ``nextval`` and the ``setval``.  An
    INSERT that drew its id before the lock holds the table already, so the lock waits for it.
    (Drawing every id with ``nextval`` and fetching them was a sixth of the writer's time at
    province scale.)  Outside a transaction a lock would end at once: there the ids are
    drawn one by one."""
    if not connection.in_atomic_block:
        cursor.execute("SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)", [table, column, n])
        return sorted(new_pk for (new_pk,) in cursor.fetchall())
    cursor.execute(f"LOCK TABLE {table} IN SHARE ROW EXCLUSIVE MODE")
    cursor.execute("SELECT setval(pg_get_serial_sequence(%s, %s), nextval(pg_get_serial_sequence(%s, %s)) + %s - 1)",
                   [table, column, table, column, n])
    (last,) = cursor.fetchone()
    return range(last - n + 1, last + 1)


def _copy(model: type[models.Model], objs: Sequence[models.Model], connection: BaseDatabaseWrapper) -> None:
    meta = model._meta
    pk = meta.pk
    assert pk is not None  # noqa: S101 - every concrete model has one
    qn = connection.ops.quote_name
    fields = list(meta.concrete_fields)
    row = _copy_row(fields, connection)
    missing = [obj for obj in objs if getattr(obj, pk.attname) is None]
    with connection.cursor() as cursor:
        if missing:
            for obj, new_pk in zip(missing, _ids(cursor, qn(meta.db_table), pk.column, len(missing), connection), strict=True):
                setattr(obj, pk.attname, new_pk)
        columns = ", ".join(qn(f.column) for f in fields)
        raw = cursor.cursor  # psycopg's own cursor: Django's wrapper has no copy()
        with raw.copy(f"COPY {qn(meta.db_table)} ({columns}) FROM STDIN") as copy:  # noqa: S608 - names from the model
            write = copy.write_row
            for obj in objs:
                write(row(obj))
    alias = connection.alias
    for obj in objs:
        state = obj._state
        state.adding = False
        state.db = alias


def insert(model: type[models.Model], objs: Sequence[models.Model]) -> None:
    """Insert ``objs`` and set their primary keys."""
    if not objs:
        return
    # The real wrapper, not django.db.connection: that proxy costs a thread-local lookup per value.
    connection = connections[DEFAULT_DB_ALIAS]
    if use_copy(connection):
        _copy(model, objs, connection)
        return
    meta = model._meta
    pk = meta.pk
    assert pk is not None  # noqa: S101 - every concrete model has one
    fields = [f for f in meta.concrete_fields if f is not pk or getattr(objs[0], pk.attname) is not None]
    getters = [_column(f, connection) for f in fields]
    qn = connection.ops.quote_name
    columns = ", ".join(qn(f.column) for f in fields)
    row_sql = "(" + ", ".join(["%s"] * len(fields)) + ")"
    chunk = max(1, MAX_PARAMS // len(fields))
    with connection.cursor() as cursor:
        for start in range(0, len(objs), chunk):
            part = objs[start : start + chunk]
            params: list[Any] = []
            for obj in part:
                params.extend(get(obj) for get in getters)
            # Table and column names come from the model; every value is a parameter.
            values = ", ".join([row_sql] * len(part))
            sql = f"INSERT INTO {qn(meta.db_table)} ({columns}) VALUES {values} RETURNING {qn(pk.column)}"  # noqa: S608
            cursor.execute(sql, params)
            for obj, (new_pk,) in zip(part, cursor.fetchall(), strict=True):
                setattr(obj, pk.attname, new_pk)
                obj._state.adding = False
                obj._state.db = connection.alias
