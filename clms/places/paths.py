"""The one place that writes ``AdminUnit.path``.

Area scoping is a prefix match on this path (``/1/7/42/``), so a unit with an empty or
malformed path would either match nothing or -- as an empty prefix -- everything.  Every
way the code creates or moves a unit goes through these functions (the loader of the
official lists, villages added by officers, the demo, the data generator, the test
factories); the Django admin shows units read-only.  Scoping refuses a bad path
(``check_path``) instead of widening the area.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence

from django.db import transaction
from django.db.models import F, Value
from django.db.models.functions import Concat, Substr

from clms.places.models import AdminUnit

log = logging.getLogger(__name__)

_PATH = re.compile(r"^/(\d+/)+$")


class BadUnitPath(RuntimeError):
    """A unit's path is empty or malformed: scoping on it would be wrong, so it stops."""


def check_path(path: str, *, unit_id: object = None) -> str:
    if not isinstance(path, str) or not _PATH.match(path):
        log.error("administrative unit %s has a bad path %r; access refused", unit_id, path)
        raise BadUnitPath(f"administrative unit {unit_id} has a bad path {path!r}")
    return path


def path_of(unit: AdminUnit) -> str:
    """The path a saved unit must have: its parent's path followed by its own id."""
    if unit.pk is None:
        raise ValueError("a unit gets its path once it has an id")
    if unit.parent_id is None:
        return f"/{unit.pk}/"
    parent = unit.parent
    assert parent is not None  # noqa: S101 - parent_id was checked just above
    return f"{check_path(parent.path, unit_id=parent.pk)}{unit.pk}/"


@transaction.atomic
def unit_save(unit: AdminUnit) -> AdminUnit:
    """Save a new or changed unit and keep its path (and its descendants' paths) right."""
    old_path = unit.path
    if unit.pk is None:
        unit.path = ""
        unit.save()
    unit.path = path_of(unit)
    unit.save()
    if old_path and old_path != unit.path:
        # Moved under another parent: every descendant's path starts with the old one.
        AdminUnit.objects.filter(path__startswith=old_path).exclude(pk=unit.pk).update(
            path=Concat(Value(unit.path), Substr(F("path"), len(old_path) + 1))
        )
    return unit


@transaction.atomic
def units_create(units: Sequence[AdminUnit], *, batch_size: int = 2000) -> list[AdminUnit]:
    """Create many new units at once (the generator's villages), each with its path."""
    created = AdminUnit.objects.bulk_create(list(units), batch_size=batch_size)
    parent_ids = {u.parent_id for u in created if u.parent_id is not None}
    parents = AdminUnit.objects.in_bulk(list(parent_ids))
    for unit in created:
        if unit.pk is None:  # a backend that does not return ids from bulk inserts
            raise RuntimeError("bulk_create returned no ids; use unit_save")
        if unit.parent_id is not None:
            unit.parent = parents[unit.parent_id]
        unit.path = path_of(unit)
    AdminUnit.objects.bulk_update(created, ["path"], batch_size=batch_size)
    return created
