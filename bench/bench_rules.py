"""Throughput of clms.rules.classify on seeded random situations.

    python bench/bench_rules.py            # one million situations per ruleset
    python bench/bench_rules.py --n 100000 --profile

Situations are generated before timing. The baseline, timed in the same run, calls a
no-op function with the same arguments and builds one small frozen dataclass per
situation, so the ratio says what the rules cost beyond Python's call overhead.
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import random
import sys
import time
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from clms.rules import Situation, catalogue, classify  # noqa: E402

JOBS = [e.code for e in catalogue.jobs()]
WORKPLACES = [e.code for e in catalogue.workplaces()]
HAZARDS = [e.code for e in catalogue.hazards()]
ACTIVITIES = ["EMPLOYED", "EMPLOYED", "FAMILY_BUSINESS", "FAMILY_FARM", "HOUSEHOLD_CHORES", "NONE", None]


def situations(n: int, seed: int) -> list[Situation]:
    rng = random.Random(seed)
    start = date(2021, 3, 15).toordinal()
    out = []
    for _ in range(n):
        as_of = date.fromordinal(start + rng.randrange(3000))
        maybe = rng.random
        out.append(
            Situation(
                dob=as_of - timedelta(days=rng.randrange(4 * 365, 19 * 365)),
                as_of=as_of,
                activity=rng.choice(ACTIVITIES),
                worst_forms=frozenset({"TRAFFICKING"}) if maybe() < 0.01 else frozenset(),
                job_code=rng.choice(JOBS) if maybe() < 0.9 else None,
                workplace_code=rng.choice(WORKPLACES) if maybe() < 0.8 else None,
                hours_day_max=rng.choice([1, 3, 4, 5, 6, 8, 9, 12, 13]) if maybe() < 0.9 else None,
                hours_week=rng.choice([2, 10, 15, 20, 25, 30, 40, 45, 50]) if maybe() < 0.9 else None,
                night_work=maybe() < 0.1,
                overtime=maybe() < 0.15,
                sex=rng.choice(["M", "F", None]),
                load_kg=rng.choice([None, None, 0, 5, 12, 20, 30]),
                load_regular=rng.choice([True, False, None]),
                contract_written_child_and_rep=rng.choice([True, True, False, None]),
                parent_consent=rng.choice([True, True, False, None]),
                health_cert=rng.choice([True, True, False, None]),
                last_health_check=as_of - timedelta(days=rng.randrange(400)) if maybe() < 0.7 else None,
                affects_study_time=rng.choice([False, False, True, None]),
                osh_age_appropriate=rng.choice([True, True, False, None]),
                separate_register=rng.choice([True, True, False, None]),
                provincial_consent=rng.choice([True, False, None]),
                harms_study_health_safety=rng.choice([False, True, None]),
                chores_hours_week=rng.choice([None, 0, 10, 25, 30, 45]),
                hazards=frozenset(rng.sample(HAZARDS, 1)) if maybe() < 0.15 else frozenset(),
            )
        )
    return out


@dataclass(frozen=True)
class _Result:
    category: str
    age: int


def _noop(situation: Situation, ruleset: str) -> _Result:
    return _Result("NOT_CHILD_LABOUR", 0)


def timed(fn: object, items: list[Situation], ruleset: str) -> float:
    call = fn  # local name: the loop is the measurement
    start = time.perf_counter()
    for s in items:
        call(s, ruleset)  # type: ignore[operator]
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--n", type=int, default=1_000_000, help="situations per ruleset")
    parser.add_argument("--seed", type=int, default=20210315)
    parser.add_argument("--profile", action="store_true", help="cProfile the vn-law run")
    args = parser.parse_args()

    for index, ruleset in enumerate(("vn-law", "mics6", "sdg2021")):
        items = situations(args.n, args.seed + index)
        classify(items[0], ruleset)  # load catalogues outside the timing
        baseline = timed(_noop, items, ruleset)
        spent = timed(classify, items, ruleset)
        print(
            f"{ruleset:8s} {args.n / spent:12,.0f} situations/s   "
            f"baseline {args.n / baseline:12,.0f}/s   cost {spent / baseline:5.1f}x baseline"
        )
        if args.profile and ruleset == "vn-law":
            profiler = cProfile.Profile()
            profiler.enable()
            timed(classify, items[: min(args.n, 200_000)], ruleset)
            profiler.disable()
            pstats.Stats(profiler).sort_stats("tottime").print_stats(8)
        del items


if __name__ == "__main__":
    main()
