"""Design-based estimates of a household survey: weighted ratios with Taylor-linearised
standard errors.  Pure Python, no Django: the bench and the tests call it directly.

A rate is a ratio R = Y / X of weighted totals (Y: children in child labour, X: children 5-17
of the domain).  Its linearised variable is z_i = w_i (y_i - R x_i) / X; with PSUs j in strata
h drawn with replacement (the usual first-order approximation for a two-stage design),

    v(R) = sum_h n_h / (n_h - 1) * sum_j (z_hj - mean_h z)^2,    z_hj = sum of z_i in PSU hj,

the estimator of SUDAAN, Stata's ``svy: ratio`` and R's ``survey::svyratio`` with
``vartype = "se"``.  The 95 % interval uses Student's t with (PSUs - strata) degrees of freedom,
clipped to [0, 1].  A stratum with one PSU adds no variance (it is reported in
``singleton_strata``).  We wrote this rather than take ``samplics`` / ``svy`` (their
dependencies - polars, numpy pins - are far heavier than forty lines of arithmetic) or
``statsmodels`` (no design-based ratio estimator); the tests check it against a case computed
by hand.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

# Student's t, 97.5th percentile, for 1..30 degrees of freedom.
_T975 = (12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.160, 2.145,
         2.131, 2.120, 2.110, 2.101, 2.093, 2.086, 2.080, 2.074, 2.069, 2.064, 2.060, 2.056, 2.052, 2.048,
         2.045, 2.042)
Z975 = 1.959964


def t975(df: int) -> float:
    """The two-sided 95 % critical value of Student's t (Cornish-Fisher past 30 df)."""
    if df <= 0:
        return math.inf
    if df <= len(_T975):
        return _T975[df - 1]
    z = Z975
    return z + (z**3 + z) / (4 * df) + (5 * z**5 + 16 * z**3 + 3 * z) / (96 * df**2)


@dataclass(frozen=True)
class Unit:
    """One person of the sample: design (stratum, PSU, weight) and the values of interest."""

    stratum: str
    psu: str
    weight: float
    y: float  # numerator indicator (e.g. in child labour)
    x: float  # denominator indicator (e.g. a child 5-17 of the domain)


@dataclass(frozen=True)
class Estimate:
    value: float | None
    se: float | None
    low: float | None
    high: float | None
    count: int  # unweighted: persons of the domain (x = 1)
    cases: int  # unweighted: persons counted in the numerator
    psus: int
    strata: int
    df: int
    singleton_strata: int = 0

    def as_dict(self) -> dict[str, float | int | None]:
        return {"value": self.value, "se": self.se, "low": self.low, "high": self.high, "count": self.count,
                "cases": self.cases, "psus": self.psus, "strata": self.strata, "df": self.df,
                "singleton_strata": self.singleton_strata}


def ratio(units: Sequence[Unit], design: Iterable[tuple[str, str]] = ()) -> Estimate:
    """The weighted ratio sum(w y) / sum(w x) with its linearised standard error and 95 % CI.

    Every PSU of the sample must be passed (also those with no person of the domain, x = 0):
    dropping them would understate the variance of a domain estimate.  ``design`` lists
    (stratum, PSU) pairs of the sample that may have no person at all (every household of the
    village without a child 5-17): they count, with a total of zero."""
    big_x = sum(u.weight * u.x for u in units)
    big_y = sum(u.weight * u.y for u in units)
    count = sum(1 for u in units if u.x)
    cases = sum(1 for u in units if u.y)
    psus_of: dict[str, set[str]] = defaultdict(set)
    for stratum, psu in design:
        psus_of[stratum].add(psu)
    for u in units:
        psus_of[u.stratum].add(u.psu)
    n_psus = sum(len(p) for p in psus_of.values())
    df = n_psus - len(psus_of)
    if big_x <= 0:
        return Estimate(None, None, None, None, count, cases, n_psus, len(psus_of), df)
    r = big_y / big_x
    z: dict[tuple[str, str], float] = defaultdict(float)
    for u in units:
        z[(u.stratum, u.psu)] += u.weight * (u.y - r * u.x) / big_x
    variance = 0.0
    singletons = 0
    for stratum, psus in psus_of.items():
        n_h = len(psus)
        if n_h < 2:
            singletons += 1
            continue
        values = [z[(stratum, p)] for p in psus]
        mean = sum(values) / n_h
        variance += n_h / (n_h - 1) * sum((v - mean) ** 2 for v in values)
    se = math.sqrt(variance)
    half = t975(df) * se
    return Estimate(r, se, max(0.0, r - half), min(1.0, r + half), count, cases, n_psus, len(psus_of), df, singletons)


@dataclass(frozen=True)
class Person:
    """A surveyed child with the design of her household and what the rules said."""

    stratum: str
    psu: str
    weight: float
    sex: str
    age: int
    labour: bool
    hazardous: bool


AGE_BANDS = (("5-11", 5, 11), ("12-14", 12, 14), ("15-17", 15, 17))


def _domain(people: Iterable[Person], design: Sequence[tuple[str, str]], inside: Callable[[Person], bool],
            num: Callable[[Person], bool], den: Callable[[Person], bool] = lambda p: True) -> Estimate:
    return ratio([
        Unit(p.stratum, p.psu, p.weight, float(inside(p) and den(p) and num(p)), float(inside(p) and den(p)))
        for p in people
    ], design)


def _sex_is(sex: str) -> Callable[[Person], bool]:
    return lambda p: p.sex == sex


def _aged(low: int, high: int) -> Callable[[Person], bool]:
    return lambda p: low <= p.age <= high


def child_labour_estimates(
    people: Sequence[Person], design: Sequence[tuple[str, str]] = ()
) -> dict[str, dict[str, dict[str, float | int | None]]]:
    """The child-labour rate and the hazardous share, for all children 5-17, by sex and by age
    band; ``design``: every (stratum, PSU) of the sample (see ``ratio``)."""
    domains: list[tuple[str, Callable[[Person], bool]]] = [("all", lambda p: True)]
    for sex in ("M", "F"):
        domains.append((f"sex:{sex}", _sex_is(sex)))
    for name, low, high in AGE_BANDS:
        domains.append((f"age:{name}", _aged(low, high)))
    out: dict[str, dict[str, dict[str, float | int | None]]] = {}
    for key, inside in domains:
        out[key] = {
            "rate": _domain(people, design, inside, lambda p: p.labour).as_dict(),
            "hazardous_share": _domain(people, design, inside, lambda p: p.hazardous, lambda p: p.labour).as_dict(),
        }
    return out
