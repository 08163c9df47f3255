"""Likely duplicates: the same child reported by the school, the village and the police.

Names are compared after folding (no diacritics, lower case, đ→d) and also with their words
sorted, so "Nguyễn Văn An" matches "An Nguyen Van" and "Nguyen Van An".  Dates of birth
match exactly, with day and month swapped, a few days apart, or the same day a year
apart.  Comparisons are blocked by commune and those date variants, so a province is
never compared all-pairs.

``find_duplicates`` is the entry point colleagues call on create; ``likely_pairs`` is the
batch report over an area; ``score_pair`` is the pure scoring both use (and the benchmark).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from clms.people.models import Child
from clms.places.models import AdminUnit
from clms.rules import fold

if TYPE_CHECKING:
    from clms.accounts.models import User

# Tuned on bench/bench_duplicates.py (generated register with injected typos, missing
# diacritics and swapped day/month): see the figures reported there.
THRESHOLD = 0.9
NAME_FLOOR = 0.8
WEIGHT_NAME = 0.6

REASONS = {
    "same_name": _("Same name"),
    "similar_name": _("Similar name"),
    "word_order": _("Same name in another word order"),
    "same_dob": _("Same date of birth"),
    "swapped_dob": _("Day and month of birth swapped"),
    "near_dob": _("Date of birth a few days apart"),
    "year_dob": _("Same birthday, year differs by one"),
    "same_household": _("Same household"),
    "same_village": _("Same village"),
    "same_id": _("Same personal identification number"),
}


@dataclass(frozen=True)
class Person:
    """What the matcher needs of a child; built from a Child, a form or an import row."""

    key: Any
    name_folded: str
    dob: dt.date
    commune_id: int | None = None
    village_id: int | None = None
    household_id: int | None = None
    personal_id: str = ""

    @property
    def tokens(self) -> list[str]:
        return self.name_folded.split()

    @property
    def sorted_name(self) -> str:
        return " ".join(sorted(self.tokens))

    @property
    def given(self) -> str:
        tokens = self.tokens
        return tokens[-1] if tokens else ""


@dataclass
class Candidate:
    child: Any
    score: float
    reasons: list[str] = field(default_factory=list)

    @property
    def reason_labels(self) -> list[str]:
        return [str(REASONS[r]) for r in self.reasons]


def person_of(child: Child) -> Person:
    return Person(
        key=child.pk, name_folded=child.name_folded or fold(child.full_name), dob=child.dob,
        commune_id=child.commune_id, village_id=child.village_id, household_id=child.household_id,
        personal_id=child.personal_id,
    )


def _ratio(a: str, b: str) -> float:
    return SequenceMatcher(None, a, b, autojunk=False).ratio()


def _one_edit(x: str, y: str) -> bool:
    """Whether one typo (a letter changed, added, dropped, or two letters swapped) turns x into y."""
    if abs(len(x) - len(y)) > 1 or x == y:
        return False
    if len(x) == len(y):
        diff = [i for i, (p, q) in enumerate(zip(x, y, strict=True)) if p != q]
        return len(diff) == 1 or (len(diff) == 2 and diff[1] == diff[0] + 1 and x[diff[0]] == y[diff[1]] and x[diff[1]] == y[diff[0]])
    short, long_ = (x, y) if len(x) < len(y) else (y, x)
    i = 0
    while i < len(short) and short[i] == long_[i]:
        i += 1
    return short[i:] == long_[i + 1 :]


@lru_cache(maxsize=200_000)
def _word(x: str, y: str) -> float:
    # Cached: a register repeats a few hundred words (Nguyễn, Văn, Thị, Anh…), so most
    # comparisons are of word pairs already seen.
    if x == y:
        return 1.0
    if _one_edit(x, y):
        return 0.9
    return 0.9 * _ratio(x, y)


def _aligned(a: list[str], b: list[str]) -> float:
    """Word-by-word similarity: half the average, half the worst word.  A typo costs a
    little; a wholly different word (Văn for Bá, An for Bình) costs a lot, because family
    and middle names are shared by half a commune (Nguyễn, Văn, Thị) and the words that
    differ are what tells two children apart."""
    ratios = [_word(x, y) for x, y in zip(a, b, strict=True)]
    return 0.5 * sum(ratios) / len(ratios) + 0.5 * min(ratios)


def name_score(a: Person, b: Person) -> tuple[float, str]:
    """Similarity of two folded names in [0, 1], straight or in another word order."""
    if a.name_folded == b.name_folded:
        return 1.0, "same_name"
    if a.sorted_name == b.sorted_name:
        return 0.97, "word_order"
    ta, tb = a.tokens, b.tokens
    if not ta or not tb:
        return 0.0, ""
    if len(ta) == len(tb):
        straight = _aligned(ta, tb)
        if straight >= NAME_FLOOR:
            return straight, "similar_name"
        # The given name written first ("An Nguyễn Văn"), or the words sorted.
        moved = max(_aligned(tb[-1:] + tb[:-1], ta), _aligned(tb[1:] + tb[:1], ta), _aligned(sorted(ta), sorted(tb)))
        if moved > straight:
            return 0.97 * moved, "word_order"
        return straight, "similar_name"
    # A middle name left out ("Nguyễn An" for "Nguyễn Văn An"): the rest must match exactly.
    short, long_ = (ta, tb) if len(ta) < len(tb) else (tb, ta)
    if len(long_) - len(short) == 1 and short[0] == long_[0] and short[-1] == long_[-1]:
        return 0.9, "similar_name"
    return 0.8 * _ratio(a.name_folded, b.name_folded), "similar_name"


NEAR_DAYS = 3


def _shift_year(day: dt.date, years: int) -> dt.date | None:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return None


def _swapped(day: dt.date) -> dt.date | None:
    if day.day == day.month or day.day > 12:
        return None
    return dt.date(day.year, day.day, day.month)


def _day_digits_swapped(day: dt.date) -> dt.date | None:
    """12 written as 21: the two digits of the day swapped."""
    flipped = int(f"{day.day:02d}"[::-1])
    if flipped == day.day:
        return None
    try:
        return day.replace(day=flipped)
    except ValueError:
        return None


def dob_variants(day: dt.date) -> list[dt.date]:
    """Every date of birth that could be the same child's: the matcher only compares
    people whose dates are in each other's variants, which is what makes it fast."""
    # Near the ends of the calendar (1/1/1 or 31/12/9999, which the forms refuse but old data
    # may hold) the neighbours that do not exist are simply left out.
    out = []
    for k in range(-NEAR_DAYS, NEAR_DAYS + 1):
        try:
            out.append(day + dt.timedelta(days=k))
        except OverflowError:
            continue
    for extra in (_swapped(day), _day_digits_swapped(day), _shift_year(day, -1), _shift_year(day, 1)):
        if extra is not None:
            out.append(extra)
    return out


def dob_score(a: dt.date, b: dt.date) -> tuple[float, str]:
    if a == b:
        return 1.0, "same_dob"
    if a.year == b.year and a.day == b.month and a.month == b.day:
        return 0.95, "swapped_dob"
    if abs((a - b).days) <= NEAR_DAYS or _day_digits_swapped(a) == b:
        return 0.85, "near_dob"
    if a.month == b.month and a.day == b.day and abs(a.year - b.year) == 1:
        return 0.8, "year_dob"
    return 0.0, ""


def score_pair(a: Person, b: Person) -> Candidate | None:
    """A candidate when ``a`` and ``b`` are likely the same child, else None."""
    if a.personal_id and a.personal_id == b.personal_id:
        return Candidate(b.key, 1.0, ["same_id"])
    d_score, d_reason = dob_score(a.dob, b.dob)
    if not d_reason:
        return None
    n_score, n_reason = name_score(a, b)
    if n_score < NAME_FLOOR:
        return None
    score = WEIGHT_NAME * n_score + (1 - WEIGHT_NAME) * d_score
    reasons = [n_reason, d_reason]
    if a.household_id and a.household_id == b.household_id:
        score += 0.05
        reasons.append("same_household")
    elif a.village_id and a.village_id == b.village_id:
        score += 0.02
        reasons.append("same_village")
    if score < THRESHOLD:
        return None
    return Candidate(b.key, round(min(score, 1.0), 3), reasons)


def related_communes(commune: AdminUnit | int) -> list[int]:
    """The commune with the old communes it absorbed and the new one it became: a child
    registered in Vân Sơn in 2023 is the same child reported in Tân Ninh in 2026."""
    pk = commune if isinstance(commune, int) else commune.pk
    ids = {pk}
    ids.update(AdminUnit.objects.filter(succession_out__successor_id=pk).values_list("pk", flat=True))
    ids.update(AdminUnit.objects.filter(succession_in__predecessor_id=pk).values_list("pk", flat=True))
    return sorted(ids)


def find_duplicates(
    *,
    user: User,
    full_name: str,
    dob: dt.date,
    commune: AdminUnit,
    household: Any = None,
    village: AdminUnit | None = None,
    exclude: Iterable[int] | int | None = None,
    limit: int = 5,
    personal_id: str = "",
) -> list[Candidate]:
    """Children already registered who are likely the same person, best first.

    Searches the commune (with its predecessors and successors) for births within a year;
    ``Candidate.child`` is the Child.  Only children ``user`` may read are candidates: the
    warning shows name, birth date and village, so an unscoped pool would show a collaborator
    (or an officer passing another commune) children she may not open.
    """
    from clms.people.selectors import children_for_user
    target = Person(
        key=None, name_folded=fold(full_name), dob=dob,
        commune_id=commune.pk, village_id=getattr(village, "pk", None),
        household_id=getattr(household, "pk", household), personal_id=personal_id,
    )
    pool = children_for_user(user).filter(
        Q(commune_id__in=related_communes(commune), dob__in=dob_variants(dob))
        | (Q(personal_id=personal_id) if personal_id else Q(pk__in=[]))
    )
    if exclude is not None:
        pool = pool.exclude(pk__in=[exclude] if isinstance(exclude, int) else list(exclude))
    found = []
    for child in pool.select_related("village", "household"):
        candidate = score_pair(target, person_of(child))
        if candidate is not None:
            candidate.child = child
            found.append(candidate)
    found.sort(key=lambda c: (-c.score, c.child.pk))
    return found[:limit]


def pairs_among(people: Iterable[Person]) -> list[tuple[Person, Person, Candidate]]:
    """Likely pairs within the people given, each pair once, best first.

    Blocked by commune and date of birth: each person is compared only with people of the
    same commune born on one of its ``dob_variants`` (the same personal id also pairs)."""
    everyone = list(people)
    by_dob: dict[tuple[Any, dt.date], list[Person]] = defaultdict(list)
    by_id: dict[str, list[Person]] = defaultdict(list)
    for p in everyone:
        by_dob[(p.commune_id, p.dob)].append(p)
        if p.personal_id:
            by_id[p.personal_id].append(p)
    seen: set[tuple[str, str]] = set()
    pairs: list[tuple[Person, Person, Candidate]] = []

    def consider(a: Person, b: Person) -> None:
        if a is b:
            return
        key = (str(a.key), str(b.key)) if str(a.key) < str(b.key) else (str(b.key), str(a.key))
        if key in seen:
            return
        seen.add(key)
        candidate = score_pair(a, b)
        if candidate is not None:
            pairs.append((a, b, candidate))

    for a in everyone:
        for day in dob_variants(a.dob):
            for b in by_dob.get((a.commune_id, day), ()):
                consider(a, b)
        if a.personal_id:
            for b in by_id[a.personal_id]:
                consider(a, b)
    pairs.sort(key=lambda t: -t[2].score)
    return pairs


def likely_pairs(children: QuerySet[Child], limit: int = 200) -> list[tuple[Child, Child, Candidate]]:
    """The batch report: likely pairs among an (already scoped) queryset of children.

    Related communes are folded onto one block key so that a child registered under an
    old commune meets the same child registered under the new one."""
    rows = list(
        children.filter(merged_into__isnull=True).values_list(
            "pk", "name_folded", "dob", "commune_id", "village_id", "household_id", "personal_id"
        )
    )
    successor = dict(
        AdminUnit.objects.filter(succession_out__isnull=False, pk__in={r[3] for r in rows}).values_list(
            "pk", "succession_out__successor_id"
        )
    )
    people = [
        Person(key=r[0], name_folded=r[1], dob=r[2], commune_id=successor.get(r[3], r[3]),
               village_id=r[4], household_id=r[5], personal_id=r[6])
        for r in rows
    ]
    found = pairs_among(people)[:limit]
    ids = {p.key for a, b, _c in found for p in (a, b)}
    by_id = Child.objects.select_related("commune", "village", "household").in_bulk(list(ids))
    return [(by_id[a.key], by_id[b.key], c) for a, b, c in found]
