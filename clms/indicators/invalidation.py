"""Which cached figures a saved or deleted record makes stale (clms/core/figure_cache.py).

``InvalidateOnWriteMiddleware`` covers a signed-in user's write requests, but records are also
written by API clients (token, no session), by the background worker and by ``odk_pull``: none
of those pass through it.  So every record the indicators read starts, when it is saved or
deleted, a new generation for the province of its commune and for those of the communes
linked to it across the 2025 reform (a scope's figures read records of linked communes, which
may lie in another province of the other structure).

Each model says how to reach the unit it was made in (``UNIT_OF``: a chain of attributes).
Plans and targets decide statuses for many scopes at once, so they start a global generation,
as the bulk commands (``generate``, ``reclassify``, ``demo_setup``) do.

Per transaction, not per save: a write inside a transaction only notes its unit (no query);
at the commit the units of the whole transaction are resolved to provinces at once
(``clms.places.roots.linked_roots``: two queries) and invalidated with one ``set_many``, so an
import of 5,000 children costs two queries more, not 10,000.  A rolled-back transaction
invalidates nothing; a savepoint rolled back inside a committed one may still invalidate its
units (more than needed, never less).  Outside a transaction (autocommit) a write is resolved
at once, as it is committed already.  With the cache off (tests, 0 seconds) nothing is noted.
"""

from __future__ import annotations

from functools import partial
from typing import Any

from django.apps import apps
from django.db import DEFAULT_DB_ALIAS, transaction
from django.db.models import Model
from django.db.models.signals import post_delete, post_save

from clms.core import figure_cache
from clms.places.roots import linked_roots

UNIT_OF: dict[str, tuple[str, ...]] = {
    "people.Household": ("commune_id",),
    "people.Child": ("commune_id",),
    "people.WorkObservation": ("commune_id",),
    "people.Classification": ("observation", "commune_id"),
    "people.RiskAssessment": ("child", "commune_id"),
    "people.Visit": ("child", "commune_id"),
    "cases.Report": ("commune_id",),
    "cases.Case": ("commune_id",),
    "cases.CaseEvent": ("case", "commune_id"),
    "cases.CaseStep": ("case", "commune_id"),
    "cases.Assessment": ("case", "commune_id"),
    "cases.CasePlan": ("case", "commune_id"),
    "cases.PlanService": ("plan", "case", "commune_id"),
    "cases.Referral": ("case", "commune_id"),
    "cases.FollowUp": ("case", "commune_id"),
    "outreach.OutreachActivity": ("unit_id",),
    "outreach.Reach": ("activity", "unit_id"),
    "outreach.PrintedQuantity": ("activity", "unit_id"),
    "outreach.Attendee": ("activity", "unit_id"),
    "places.Denominator": ("unit_id",),
    # Shown beside the figures (the dashboard's survey panel, the supervisor home's reports
    # received), so they make the pages' cached bodies stale too (clms/core/page_cache.py).
    "surveys.SurveyRound": ("unit_id",),
    "reports.Submission": ("unit_id",),
    # The supervisor's inbox count (cases.selectors.unread_count_shared); a report's
    # notification names no case: every province.
    "cases.Notification": ("case", "commune_id"),
}
EVERY_SCOPE = ("plans.Plan", "plans.Target", "places.Succession", "reports.ReportingPeriod")


# What one write noted: a unit id, or a parent to read at the commit, or "every province".
Note = tuple[str, Any, int]
EVERYTHING: Note = ("*", None, 0)


class Written:
    """The units of the records saved or deleted in one transaction of one connection, resolved
    to provinces at its commit: two queries and one ``set_many`` for all of them.

    Each write appends a note and registers a commit callback for its position (a list
    append, no query); the callback of position ``i`` resolves every note from ``i`` on not
    resolved yet.  At a commit Django runs the surviving callbacks in order, so the first one
    resolves the whole transaction at once and the others find nothing left.  Django drops the
    callbacks of a savepoint rolled back, so a note is resolved only if its own callback or an
    earlier one survived (a rolled-back savepoint's notes may go along: more, never less), and
    a test's ``captureOnCommitCallbacks`` sees exactly the writes made inside it.
    """

    def __init__(self, hooks: object) -> None:
        # The connection's list of commit callbacks when this batch began: Django replaces it
        # at a commit, a rollback and a savepoint's rollback, so a write that finds another
        # list starts a new batch (the old one still runs from the callbacks that survived).
        self.hooks = hooks
        self.notes: list[Note] = []
        self.deleted: set[tuple[str, int]] = set()
        # Resolved positions, as [start, end) intervals (one, but for tests' captures).
        self.resolved: list[tuple[int, int]] = []

    def add(self, label: str, instance: Model, *, deleted: bool) -> int:
        """Note a write; returns its position."""
        if deleted and instance.pk is not None:
            self.deleted.add((label, int(instance.pk)))
        self.notes.append(self._note(label, instance))
        return len(self.notes) - 1

    @staticmethod
    def _note(label: str, instance: Model) -> Note:
        if label in EVERY_SCOPE:
            return EVERYTHING
        # Follow the chain while the related objects are loaded; the first one that is not
        # is read at the commit, with the others of its kind (no query here).
        value: Any = instance
        names = UNIT_OF[label]
        for i, name in enumerate(names[:-1]):
            field: Any = value._meta.get_field(name)
            if not field.is_cached(value):
                parent_id = getattr(value, field.attname)
                if parent_id is None:
                    return EVERYTHING
                return (field.related_model._meta.label, names[i + 1:], int(parent_id))
            value = getattr(value, name)
            if value is None:
                return EVERYTHING
        unit_id = getattr(value, names[-1])
        return EVERYTHING if unit_id is None else ("", None, int(unit_id))

    def roots(self, notes: list[Note]) -> set[int] | None:
        """The provinces these notes concern; None for every province."""
        if EVERYTHING in notes:
            return None
        units: set[int] = set()
        parents: dict[tuple[str, tuple[str, ...]], set[int]] = {}
        for label, rest, pk in notes:
            if label:
                parents.setdefault((label, rest), set()).add(pk)
            else:
                units.add(pk)
        for (label, rest), ids in parents.items():
            lookup = "__".join((*rest[:-1], rest[-1].removesuffix("_id")))
            found = dict(apps.get_model(label)._base_manager.filter(pk__in=ids).values_list("pk", lookup))
            for pk in ids:
                if pk in found:
                    if found[pk] is None:
                        return None
                    units.add(int(found[pk]))
                elif (label, pk) not in self.deleted:
                    # Gone, but not deleted by this transaction: every province, rather than
                    # a stale figure.  (A parent deleted here, a cascade, noted its own unit.)
                    return None
        return linked_roots(units)

    def resolve_from(self, start: int) -> None:
        end = len(self.notes)
        todo: list[Note] = []
        at = start
        for lo, hi in sorted(self.resolved):
            if hi <= at or lo >= end:
                continue
            todo.extend(self.notes[at:max(at, lo)])
            at = max(at, hi)
        todo.extend(self.notes[at:end])
        if start < end:
            self.resolved = _merged([*self.resolved, (start, end)])
        if not todo:
            return
        roots = self.roots(todo)
        if roots is None:
            figure_cache.invalidate()
        elif roots:
            figure_cache.invalidate_roots(roots)


def _merged(intervals: list[tuple[int, int]]) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    for lo, hi in sorted(intervals):
        if out and lo <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], hi))
        else:
            out.append((lo, hi))
    return out


_BATCH_ATTR = "_clms_figures_written"


def _batch(connection: Any) -> Written:
    if not connection.in_atomic_block:
        # Autocommit: the write is committed already; its callback runs at once.
        return Written(None)
    batch: Written | None = getattr(connection, _BATCH_ATTR, None)
    if batch is None or batch.hooks is not connection.run_on_commit:
        batch = Written(connection.run_on_commit)
        setattr(connection, _BATCH_ATTR, batch)
    return batch


def record_written(sender: type[Model], instance: Model, **kwargs: Any) -> None:
    if not figure_cache.enabled() or kwargs.get("raw"):
        return
    connection = transaction.get_connection(kwargs.get("using") or DEFAULT_DB_ALIAS)
    batch = _batch(connection)
    position = batch.add(sender._meta.label, instance, deleted=kwargs.get("signal") is post_delete)
    # After the commit: a rolled-back write changes nothing, and a reader who recomputes in
    # between cannot store the figures of the old records under the new generation.
    connection.on_commit(partial(batch.resolve_from, position))


def connect() -> None:
    for label in (*UNIT_OF, *EVERY_SCOPE):
        model = apps.get_model(label)
        post_save.connect(record_written, sender=model, dispatch_uid=f"clms.figures.save.{label}")
        post_delete.connect(record_written, sender=model, dispatch_uid=f"clms.figures.delete.{label}")
