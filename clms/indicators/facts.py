"""Per-year facts: the counts of a closed year computed once and stored (``IndicatorFact``).

A year whose end has passed is read at its end (the TIMELY point-in-time rule, DESIGN §5),
so its counts change only when a record that counts for it is written: one backdated into
it, a change to a child (the register keeps no history), a population figure, the units.
A whole table of such a year (every indicator) reads the facts of its scope, structure and
breakdown when their fingerprint still matches what they were computed from,
and otherwise computes the counts from the records and stores them.  The open year is always
computed (behind the figure cache, ``clms.core.figure_cache``); so is any year read at a
moment the caller names (``as_of``: documents, the exactness tests), which is then the
records' word as of that moment, not a stored one.

The fingerprint (``fingerprint.py``) digests the code's version (``FACTS_VERSION``: raise it
when a computation of this app changes), the unit map (units and successions) and the
records of the year, so nothing a fact was computed from can change unnoticed, whatever wrote
it.  Targets are not part of a fact: statuses are evaluated on every read.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections import defaultdict
from collections.abc import Callable, Sequence
from typing import Any

from django.utils import timezone

from clms.indicators.base import Breakdown, Counts
from clms.indicators.context import year_start
from clms.indicators.fingerprint import data_digest, umap_digest
from clms.indicators.models import IndicatorFact
from clms.indicators.registry import CODES
from clms.indicators.units import UnitMap

FACTS_VERSION = "1"

Live = Callable[[list[str]], dict[str, Counts]]


def readable(year: int, as_of: dt.datetime | None, codes: Sequence[str]) -> bool:
    """Whether counts of ``year`` are read from stored facts: the year has ended, the caller
    reads it now (no ``as_of``), and every indicator is asked for.  The fingerprint digests
    the records of every indicator in one query, which on district data costs about what two
    or three indicators cost computed (notes/h18f.md): the few indicators of a baseline (those
    with a target) or of a trend are cheaper computed than checked."""
    return as_of is None and year_start(year + 1) <= timezone.now() and set(codes) >= set(CODES)


def fingerprint(umap: UnitMap, year: int) -> str:
    parts = (FACTS_VERSION, umap_digest(umap), data_digest(umap, year))
    return hashlib.sha256(repr(parts).encode()).hexdigest()


def dump(counts: Counts) -> dict[str, Any]:
    """Counts as JSON: keys become lists, so a group keeps its type (None, "", "M")."""
    return {
        "numerator": [[r, g, n] for (r, g), n in counts.numerator.items()],
        "denominator": [[r, g, n] for (r, g), n in counts.denominator.items()],
        "total_numerator": [[g, n] for g, n in counts.total_numerator.items()],
        "total_denominator": [[g, n] for g, n in counts.total_denominator.items()],
        "flags": sorted(counts.flags),
        "cell_flags": [[r, g, sorted(f)] for (r, g), f in counts.cell_flags.items() if f],
        "groups": sorted(counts.groups, key=str),
    }


def load(data: dict[str, Any]) -> Counts:
    counts = Counts()
    counts.numerator.update({(r, g): n for r, g, n in data["numerator"]})
    counts.denominator.update({(r, g): n for r, g, n in data["denominator"]})
    counts.total_numerator.update({g: n for g, n in data["total_numerator"]})
    counts.total_denominator.update({g: n for g, n in data["total_denominator"]})
    counts.flags.update(data["flags"])
    cell_flags: dict[tuple[int | None, Any], set[str]] = defaultdict(set)
    for r, g, flags in data["cell_flags"]:
        cell_flags[(r, g)].update(flags)
    counts.cell_flags = cell_flags
    counts.groups.update(data["groups"])
    return counts


def counts_for(
    umap: UnitMap, year: int, codes: Sequence[str], by: Breakdown | None, live: Live, *, rebuild: bool = False
) -> dict[str, Counts]:
    """The counts of ``codes`` for a closed year: stored ones whose fingerprint matches, the
    others computed by ``live`` (in one call, so indicators that share a query still share
    it) and stored.  ``rebuild`` computes and stores them all."""
    current = fingerprint(umap, year)
    key = {"scope": umap.scope, "structure": umap.structure, "year": year, "by": by or ""}
    found: dict[str, Counts] = {}
    if not rebuild:
        for fact in IndicatorFact.objects.filter(**key, code__in=list(codes), fingerprint=current).only("code", "counts"):
            found[fact.code] = load(fact.counts)
    missing = [c for c in codes if c not in found]
    if missing:
        computed = live(missing)
        now = timezone.now()
        IndicatorFact.objects.bulk_create(
            [IndicatorFact(**key, code=c, counts=dump(computed[c]), fingerprint=current, computed_at=now) for c in missing],
            update_conflicts=True,
            unique_fields=["scope", "structure", "year", "by", "code"],
            update_fields=["counts", "fingerprint", "computed_at"],
        )
        found.update(computed)
    return {c: found[c] for c in codes}
