"""Benchmark evaltool.methods against plain numpy references of the same formulas.

Run: python benchmarks/bench_methods.py [--vendors N] [--criteria M] [--repeat R]

Times WSM (both missing policies) and TOPSIS on N vendors x M criteria (default 10,000 x 500) with about
5 % NaN cells, reports the median of R runs, the ratio to the reference and the tracemalloc peak of one
call. The references are the textbook vectorised formulas with no NaN handling, so they are a floor:
evaltool's NaN-aware versions are compared like for like where the formula is the same.
"""

from __future__ import annotations

import argparse
import statistics
import time
import tracemalloc
from collections.abc import Callable
from functools import partial

import numpy as np

from evaltool.methods import topsis, wsm

NAN_SHARE = 0.05


def reference_wsm(grades: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """WSM, missing counts as zero: the one-line numpy formula."""
    return 100 * (np.nan_to_num(grades) @ weights) / 5


def reference_topsis(matrix: np.ndarray, weights: np.ndarray, benefit: np.ndarray) -> np.ndarray:
    """Straightforward vectorised TOPSIS with vector normalisation; no NaN or zero-norm handling."""
    norms = np.sqrt((matrix**2).sum(axis=0))
    v = matrix / norms * weights
    col_max, col_min = v.max(axis=0), v.min(axis=0)
    ideal = np.where(benefit, col_max, col_min)
    anti_ideal = np.where(benefit, col_min, col_max)
    d_plus = np.sqrt(((v - ideal) ** 2).sum(axis=1))
    d_minus = np.sqrt(((v - anti_ideal) ** 2).sum(axis=1))
    return d_minus / (d_plus + d_minus)


def median_seconds(func: Callable[[], object], repeat: int) -> float:
    """Median wall time of `repeat` calls after one warm-up call."""
    func()
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        func()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def peak_mb(func: Callable[[], object]) -> float:
    """tracemalloc peak of one call, in MB (numpy reports its buffers to tracemalloc)."""
    tracemalloc.start()
    try:
        func()
        return tracemalloc.get_traced_memory()[1] / 1e6
    finally:
        tracemalloc.stop()


def make_data(n: int, m: int, seed: int = 0) -> dict[str, np.ndarray]:
    """Random grades (0..5) and raw values (1..1000), each with and without ~5 % NaN cells."""
    rng = np.random.default_rng(seed)
    holes = rng.random((n, m)) < NAN_SHARE
    grades = rng.uniform(0, 5, (n, m))
    raw = rng.uniform(1, 1000, (n, m))
    weights = rng.random(m)
    return {
        "grades": grades,
        "grades_nan": np.where(holes, np.nan, grades),
        "raw": raw,
        "raw_nan": np.where(holes, np.nan, raw),
        "weights": weights / weights.sum(),
        "benefit": rng.random(m) < 0.7,
    }


def run(n: int, m: int, repeat: int) -> None:
    """Time every case and print one line each."""
    d = make_data(n, m)
    w, b = d["weights"], d["benefit"]
    # (name, call, name of the reference it is compared with)
    cases: list[tuple[str, Callable[[], object], str | None]] = [
        ("reference wsm", partial(reference_wsm, d["grades_nan"], w), None),
        ("evaltool wsm zero", partial(wsm, d["grades_nan"], w, "zero"), "reference wsm"),
        ("evaltool wsm exclude", partial(wsm, d["grades_nan"], w, "exclude"), "reference wsm"),
        ("reference topsis, no NaN", partial(reference_topsis, d["raw"], w, b), None),
        ("evaltool topsis, no NaN", partial(topsis, d["raw"], w, b), "reference topsis, no NaN"),
        ("evaltool topsis, 5% NaN excluded", partial(topsis, d["raw_nan"], w, b), "reference topsis, no NaN"),
    ]
    print(f"{n:,} vendors x {m:,} criteria, ~{NAN_SHARE:.0%} NaN, median of {repeat} runs")
    print(f"{'case':<34} {'median ms':>10} {'vs ref':>7} {'peak MB':>8}")
    medians: dict[str, float] = {}
    for name, func, ref in cases:
        medians[name] = median_seconds(func, repeat)
        ratio = f"{medians[name] / medians[ref]:.2f}x" if ref else "-"
        print(f"{name:<34} {medians[name] * 1e3:>10.1f} {ratio:>7} {peak_mb(func):>8.1f}")
    ours, theirs = topsis(d["raw"], w, b), reference_topsis(d["raw"], w, b)
    print(f"topsis vs reference on the complete matrix: max |diff| = {np.abs(ours - theirs).max():.1e}")


def main() -> None:
    """Parse the sizes and run the benchmark."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--vendors", type=int, default=10_000)
    parser.add_argument("--criteria", type=int, default=500)
    parser.add_argument("--repeat", type=int, default=15)
    args = parser.parse_args()
    run(args.vendors, args.criteria, args.repeat)


if __name__ == "__main__":
    main()
