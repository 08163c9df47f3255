"""Optimistic locking: an edit based on an old version of a record is refused, not merged."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any, TypeVar

from django.db.models import F, Model
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

M = TypeVar("M", bound=Model)


class StaleEdit(Exception):
    """Someone else saved this record after the editor loaded it."""

    message = _(
        "Someone else changed this record after you opened it. Reload the page to see their "
        "changes, then make yours again."
    )


def save_versioned(obj: Model, *, expected_version: int, fields: Iterable[str]) -> None:
    """Write ``fields`` of ``obj`` only if its stored version is still ``expected_version``.

    The check and the write are one UPDATE statement, so two concurrent editors cannot both
    pass the check.
    """
    names = list(fields)
    values: dict[str, Any] = {name: getattr(obj, name) for name in names}
    if any(f.name == "updated_at" for f in obj._meta.get_fields()):
        values["updated_at"] = timezone.now()
    model = type(obj)
    changed = model._default_manager.filter(pk=obj.pk, version=expected_version).update(
        version=F("version") + 1, **values
    )
    if changed != 1:
        raise StaleEdit
    obj.version = expected_version + 1  # type: ignore[attr-defined]
    if "updated_at" in values:
        obj.updated_at = values["updated_at"]  # type: ignore[attr-defined]
    _record_history(obj)


def _record_history(obj: Model) -> None:
    """The UPDATE above bypasses save(), so django-simple-history would miss the change."""
    from clms.core.history import history_record

    history_record([obj])


def update_versioned(
    obj: M, *, version: int, fields: Mapping[str, Any], check: Callable[[M], None], saved: Iterable[str] = ()
) -> M:
    """An edit of ``obj`` through a service: ``fields`` applied (text stripped), validated and
    written only if nobody saved it since ``version``.

    ``check`` (the write permission) runs twice on purpose: before the change, on the unit the
    record was in, and after it, on the unit it moves to.  ``saved`` names columns the model
    derives in ``clean`` (a folded name) that must be written too.
    """
    check(obj)
    for name, value in fields.items():
        setattr(obj, name, value.strip() if isinstance(value, str) else value)
    check(obj)
    obj.full_clean()
    save_versioned(obj, expected_version=version, fields=[*fields, *saved])
    return obj
