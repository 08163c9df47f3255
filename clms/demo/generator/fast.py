"""``new(Model, **values)``: an unsaved instance without ``Model.__init__``'s per-field work.

The generator makes about one instance per row it writes (millions at national scale), and
``Model.__init__`` with keyword arguments walks every field, pops each keyword, asks each
absent field for its default and sets relations through the descriptor with its type and
router checks: a third of the generator's time at district scale.  The generator's values
are its own (the right types, the right models), so ``new`` sets the attributes directly:
defaults come from the same ``field.get_default``, a related instance sets the ``_id``
attribute and the field's cache (and the reverse cache of a one-to-one) as the descriptor
does.  Models with ``pre_init``/``post_init`` receivers (image fields), and keywords that are
not stored fields (properties, virtual fields, typos), go through ``__init__``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any, TypeVar

from django.db import models
from django.db.models.base import ModelState
from django.db.models.signals import post_init, pre_init
from django.utils import timezone

M = TypeVar("M", bound=models.Model)


class _Plan:
    __slots__ = ("constants", "known", "makers", "relations", "slow")

    def __init__(self, model: type[models.Model]) -> None:
        meta = model._meta
        # Defaults: a constant is the very object field.get_default() returns each time
        # (None, "", or the field's non-callable default); callables are called per instance.
        self.constants: dict[str, Any] = {}
        self.makers: list[tuple[str, Callable[[], Any]]] = []
        # name -> (attname, target attname, reverse cache setter or None)
        self.relations: dict[str, tuple[str, str, Callable[[Any, Any], None] | None]] = {}
        self.known: set[str] = set()
        for field in meta.fields:
            if field.column is None or field.generated:
                continue
            if (field.has_default() and callable(field.default)) or field.db_default is not models.NOT_PROVIDED:
                self.makers.append((field.attname, field.get_default))
            else:
                self.constants[field.attname] = field.get_default()
            self.known.update((field.name, field.attname))
            remote = field.remote_field
            if (field.many_to_one or field.one_to_one) and remote is not None:
                reverse = None if remote.multiple else remote.set_cached_value
                self.relations[field.name] = (field.attname, field.target_field.attname, reverse)  # type: ignore[attr-defined]
        self.slow = pre_init.has_listeners(model) or post_init.has_listeners(model)


_plans: dict[type[models.Model], _Plan] = {}


def new(model: type[M], /, **values: Any) -> M:
    """What ``model(**values)`` builds, for plain field values and related instances."""
    plan = _plans.get(model)
    if plan is None:
        plan = _plans[model] = _Plan(model)
    if plan.slow or not plan.known.issuperset(values):
        return model(**values)  # signals, properties, virtual fields or a mistake: __init__ knows
    obj = model.__new__(model)
    state = obj._state = ModelState()
    d = obj.__dict__
    d.update(plan.constants)
    for attname, make in plan.makers:
        if attname not in values:
            d[attname] = make()
    d.update(values)  # plain fields (and "_id" attnames) as they are; relations by name below
    relations = plan.relations
    for name in relations.keys() & values.keys():
        value = d.pop(name)
        attname, target, reverse = relations[name]
        d[attname] = None if value is None else getattr(value, target)
        state.fields_cache[name] = value
        if reverse is not None and value is not None:
            reverse(value, obj)
    return obj


def local_time(moment: dt.datetime) -> dt.datetime:
    """``timezone.localtime`` in the default zone (the generator never activates another),
    without the per-call lookup of the current zone."""
    return moment.astimezone(timezone.get_default_timezone())
