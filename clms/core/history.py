"""Field-level change history (django-simple-history) as rows a record page can show.

The caller has already fetched the record through its scoped selector and audited the read;
the history shows earlier values of the same record, so it is shown to the same people.
"""

from __future__ import annotations

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
