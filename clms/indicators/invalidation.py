"""Which cached figures a saved or deleted record makes stale (clms/core/figure_cache.py).

``InvalidateOnWriteMiddleware`` covers a signed-in user's write requests, but records are also
written by API clients (token, no session), by the background worker and by ``odk_pull``: none
of those pass through it.  So every record the indicators read starts, when it is saved or
deleted, a new generation for the province of its commune and for those of the communes
linked to it across the 2025 reform (a scope's figures read records of linked communes, which
may lie in another province of the other structure).

Each model says how to reach the unit it was made in (``UNIT_OF``).  Plans and targets decide
statuses for many scopes at once, so they start a global generation, as the bulk commands
(``generate``, ``reclassify``, ``demo_setup``) do.  With the cache off (tests, 0 seconds)
nothing is looked up, so the handlers cost no query.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.apps import apps
from django.core.exceptions import ObjectDoesNotExist
from django.db import transaction
from django.db.models import Model, Q
from django.db.models.signals import post_delete, post_save

from clms.core import figure_cache


def _attr(*names: str) -> Callable[[Any], int | None]:
    """The unit id at the end of a chain of attributes (``"case", "commune_id"``)."""

    def read(instance: Any) -> int | None:
        value = instance
        for name in names:
            value = getattr(value, name)
            if value is None:
                return None
        return int(value)

    return read


UNIT_OF: dict[str, Callable[[Any], int | None]] = {
    "people.Household": _attr("commune_id"),
    "people.Child": _attr("commune_id"),
    "people.WorkObservation": _attr("commune_id"),
    "people.Classification": _attr("observation", "commune_id"),
    "people.RiskAssessment": _attr("child", "commune_id"),
    "people.Visit": _attr("child", "commune_id"),
    "cases.Report": _attr("commune_id"),
    "cases.Case": _attr("commune_id"),
    "cases.CaseEvent": _attr("case", "commune_id"),
    "cases.CaseStep": _attr("case", "commune_id"),
    "cases.Assessment": _attr("case", "commune_id"),
    "cases.CasePlan": _attr("case", "commune_id"),
    "cases.PlanService": _attr("plan", "case", "commune_id"),
    "cases.Referral": _attr("case", "commune_id"),
    "cases.FollowUp": _attr("case", "commune_id"),
    "outreach.OutreachActivity": _attr("unit_id"),
    "outreach.Reach": _attr("activity", "unit_id"),
    "outreach.PrintedQuantity": _attr("activity", "unit_id"),
    "outreach.Attendee": _attr("activity", "unit_id"),
    "places.Denominator": _attr("unit_id"),
}
EVERY_SCOPE = ("plans.Plan", "plans.Target", "places.Succession")


def roots_of_unit(unit_id: int) -> set[int] | None:
    """The provinces whose figures read records of this unit; None for "any"."""
    from clms.places.models import AdminUnit, Succession

    path = AdminUnit.objects.filter(pk=unit_id).values_list("path", flat=True).first()
    if not path:
        return None
    paths = {path}
    for pred, succ in Succession.objects.filter(
        Q(predecessor__path__startswith=path) | Q(successor__path__startswith=path)
    ).values_list("predecessor__path", "successor__path"):
        paths.update((pred, succ))
    roots = {figure_cache.root_of(p) for p in paths}
    return None if None in roots else {r for r in roots if r is not None}


def _invalidate(roots: set[int] | None) -> None:
    if roots is None:
        figure_cache.invalidate()
    else:
        figure_cache.invalidate_roots(roots)


def record_written(sender: type[Model], instance: Model, **kwargs: Any) -> None:
    if not figure_cache.enabled() or kwargs.get("raw"):
        return
    label = sender._meta.label
    roots: set[int] | None
    if label in EVERY_SCOPE:
        roots = None
    else:
        try:
            unit_id = UNIT_OF[label](instance)
        except ObjectDoesNotExist:
            # The parent went first (a cascade): every province, rather than a stale figure.
            unit_id = None
        roots = roots_of_unit(unit_id) if unit_id is not None else None
    # After the commit: a rolled-back write changes nothing, and a reader who recomputes in
    # between cannot store the figures of the old records under the new generation.
    transaction.on_commit(lambda: _invalidate(roots))


def connect() -> None:
    for label in (*UNIT_OF, *EVERY_SCOPE):
        model = apps.get_model(label)
        post_save.connect(record_written, sender=model, dispatch_uid=f"clms.figures.save.{label}")
        post_delete.connect(record_written, sender=model, dispatch_uid=f"clms.figures.delete.{label}")
