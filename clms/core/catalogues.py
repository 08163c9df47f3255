"""Choice lists that ship as data files (``clms/<app>/data/*.json``), as DESIGN §2 asks of
catalogues: each entry has the stored ``code``, the ``name`` of the constant the code refers to,
and its Vietnamese and English labels.

``text_choices`` makes a Django ``TextChoices`` of such a file, so models, forms and
``get_FOO_display()`` work as with a hand-written class, and migrations still see the English
labels (Django's commands run without an active language).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from importlib import resources

from django.db import models
from django.utils.functional import lazy
from django.utils.translation import get_language


@dataclass(frozen=True)
class Entry:
    code: str
    name: str
    vi: str
    en: str

    def label(self) -> str:
        """The label in the active language; English when none is active (as a msgid would)."""
        language = get_language()
        return self.en if language is None or language.startswith("en") else self.vi


def entries(package: str, filename: str, key: str) -> tuple[Entry, ...]:
    text = resources.files(package).joinpath("data", filename).read_text(encoding="utf-8")
    return tuple(Entry(**row) for row in json.loads(text)[key])


def text_choices(name: str, package: str, filename: str, key: str) -> type[models.TextChoices]:
    rows = entries(package, filename, key)
    members = [(e.name, (e.code, lazy(e.label, str)())) for e in rows]
    choices: type[models.TextChoices] = models.TextChoices(name, members, module=package + ".models")  # type: ignore[call-overload]
    return choices
