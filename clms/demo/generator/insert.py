"""Multi-row INSERT … RETURNING id for generated rows, without bulk_create's per-value compiler.

``QuerySet.bulk_create`` spends most of its time building SQL value by value (and SQLite's
backend caps a statement at 999 parameters); the generator writes millions of rows of a
few models whose values it sets itself, so it prepares each column once and sends large
statements.  Conversions go through the field's own ``get_db_prep_save`` for the types
that need one (dates, decimals, JSON), so what lands in the database is what
``bulk_create`` would have written.  Both SQLite (3.35+) and PostgreSQL return the new ids
in VALUES order, which Django itself relies on.
"""

from __future__ import annotations

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


def insert(model: type[models.Model], objs: Sequence[models.Model]) -> None:
    """Insert ``objs`` and set their primary keys."""
    if not objs:
        return
    # The real wrapper, not django.db.connection: that proxy costs a thread-local lookup per value.
    connection = connections[DEFAULT_DB_ALIAS]
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
