"""Field-level change history (django-simple-history) as rows a record page can show.

The caller has already fetched the record through its scoped selector and audited the read;
the history shows earlier values of the same record, so it is shown to the same people.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.db.models import ForeignKey, Model

# Bookkeeping fields nobody needs to see change.
HIDDEN = frozenset({"version", "updated_at", "created_at", "name_folded", "head_name_folded"})
LIMIT = 30


@dataclass(frozen=True)
class Change:
    field: str
    old: str
    new: str


@dataclass(frozen=True)
class Entry:
    when: Any
    who: str
    kind: str  # "+" created, "~" changed, "-" deleted
    changes: list[Change]


def _shown(model: type[Model], name: str, value: Any) -> str:
    if value in (None, ""):
        return "—"
    field: Any = model._meta.get_field(name)
    if getattr(field, "choices", None):
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(field, ForeignKey):
        related = field.related_model._default_manager.filter(pk=value).first()  # type: ignore[union-attr]
        return str(related) if related is not None else "—"
    if isinstance(value, bool):
        return "✓" if value else "✗"
    if hasattr(value, "strftime"):
        return value.strftime("%d/%m/%Y")
    return str(value)


def record_history(obj: Model) -> list[Entry]:
    """The record's changes, newest first: who changed which field from what to what."""
    model = type(obj)
    records = list(obj.history.select_related("history_user").order_by("-history_date", "-history_id")[:LIMIT + 1])  # type: ignore[attr-defined]
    entries: list[Entry] = []
    for index, record in enumerate(records[:LIMIT]):
        older = records[index + 1] if index + 1 < len(records) else None
        changes: list[Change] = []
        if older is not None:
            delta = record.diff_against(older)
            for change in delta.changes:
                if change.field in HIDDEN:
                    continue
                field: Any = model._meta.get_field(change.field)
                verbose = str(field.verbose_name)
                changes.append(Change(verbose, _shown(model, change.field, change.old),
                                      _shown(model, change.field, change.new)))
            if not changes:
                continue
        user = record.history_user
        entries.append(Entry(record.history_date, (user.full_name or user.username) if user else "—",
                             record.history_type, changes))
    return entries


def _acting_user() -> Any:
    from clms.core.actor import current_actor

    actor = current_actor()
    return actor.user if actor is not None and getattr(actor.user, "is_authenticated", False) else None


def tracked(model: type[Model]) -> bool:
    """Whether ``model`` keeps a field-level history (django-simple-history)."""
    return hasattr(getattr(model, "history", None), "bulk_history_create")


def history_record(objs: Sequence[Model], *, created: bool = False, reason: str = "") -> None:
    """Write the historical rows for ``objs`` as they are now.

    ``queryset.update()`` and ``bulk_create()`` bypass ``save()``, so django-simple-history
    does not see them: every such write of a tracked model (optimistic-locking saves, merges,
    imports, retention) calls this after writing, with the acting user of the request or
    command.  ``created`` marks the rows as creations ("+") rather than changes ("~").
    """
    if not objs or not tracked(type(objs[0])):
        return
    type(objs[0]).history.bulk_history_create(  # type: ignore[attr-defined]
        list(objs), update=not created, default_user=_acting_user(), default_change_reason=reason or None,
    )


def history_record_pks(model: type[Model], pks: Iterable[Any], *, reason: str = "") -> None:
    """``history_record`` for rows written by ``model.objects.filter(...).update(...)``:
    reloads them (the update wrote in the database, not on instances)."""
    if not tracked(model):
        return
    wanted = list(pks)
    if wanted:
        history_record(list(model._default_manager.filter(pk__in=wanted)), reason=reason)
