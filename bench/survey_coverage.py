"""Household-survey estimates on a synthetic district with a known true child-labour rate.

    python bench/survey_coverage.py                 # 200 samples, writes bench/RESULTS-survey.md
    python bench/survey_coverage.py --samples 1000 --seed 7

A district of 34 communes (strata) of 6-14 villages each, 60-220 households per village, the
children's work drawn from village propensities (Beta around 5 %) and classified by clms.rules
under Vietnamese law (``clms.surveys.generator``).  Each sample is the usual design: 2 villages
per commune by simple random sampling, 15 households per village, 95 % response.  For each of
``--samples`` samples it times the estimator (all 3 domains x 2 measures x the overall figure,
``clms.surveys.estimation.child_labour_estimates``) and checks whether the 95 % interval covers
the population's true rate.  Coverage near 95 % says the linearised standard errors fit the
design; the estimator's time says the dashboard can compute it on every view.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from clms.surveys.estimation import child_labour_estimates  # noqa: E402
from clms.surveys.generator import draw, persons, population, true_rate  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--samples", type=int, default=200)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--out", default=str(Path(__file__).with_name("RESULTS-survey.md")))
    args = parser.parse_args()

    started = time.perf_counter()
    villages = population(seed=args.seed)
    built = time.perf_counter() - started
    truth = true_rate(villages)
    children = sum(len(h) for v in villages for h in v.households)
    rng = random.Random(args.seed + 1)
    covered = 0
    times: list[float] = []
    estimates: list[float] = []
    widths: list[float] = []
    sizes: list[float] = []
    for _n in range(args.samples):
        sample = draw(villages, rng)
        people, design = persons(sample)
        t0 = time.perf_counter()
        result = child_labour_estimates(people, design)
        times.append(time.perf_counter() - t0)
        rate = {k: float(v or 0) for k, v in result["all"]["rate"].items()}
        estimates.append(rate["value"])
        widths.append(rate["high"] - rate["low"])
        sizes.append(rate["count"])
        covered += rate["low"] <= truth <= rate["high"]
    coverage = covered / args.samples
    # A 95 % binomial band around 0.95 for this many samples: coverage outside it is suspect.
    band = 1.96 * (0.95 * 0.05 / args.samples) ** 0.5
    lines = [
        "# Household survey estimates: coverage and time",
        "",
        f"`python bench/survey_coverage.py --samples {args.samples} --seed {args.seed}`",
        "",
        "| measure | value |",
        "|---|---|",
        f"| population | {len({v.stratum for v in villages})} communes, {len(villages)} villages, "
        f"{sum(len(v.households) for v in villages):,} households, {children:,} children 5–17 (built in {built:.1f} s) |",
        f"| true rate (Vietnamese law) | {truth:.4%} |",
        "| design | 2 villages per commune (SRS), 15 households per village, 95 % response |",
        f"| children per sample (median) | {statistics.median(sizes):,.0f} |",
        f"| mean estimate (bias) | {statistics.fmean(estimates):.4%} ({statistics.fmean(estimates) - truth:+.4%}) |",
        f"| empirical SD of the estimates | {statistics.pstdev(estimates):.4%} |",
        f"| mean width of the 95 % interval | {statistics.fmean(widths):.4%} |",
        f"| **95 % CI coverage over {args.samples} samples** | **{coverage:.1%}** (expected 95 % ± {band:.1%}) |",
        f"| estimation time per sample, median / max | {statistics.median(times) * 1000:.1f} ms / {max(times) * 1000:.1f} ms |",
        "",
    ]
    Path(args.out).write_text("\n".join(lines), encoding="utf-8")
    print("\n".join(lines))
    return 0 if abs(coverage - 0.95) <= max(band * 1.5, 0.03) else 1


if __name__ == "__main__":
    raise SystemExit(main())
