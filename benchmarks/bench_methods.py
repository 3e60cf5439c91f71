"""Benchmark evaltool.methods against the fastest plain numpy versions of the same formulas.

Run: python benchmarks/bench_methods.py [--vendors N] [--criteria M] [--repeats R]

Times WSM (both missing policies) and TOPSIS (complete matrix, and ~5 % NaN cells left out) on N vendors x
M criteria (default 10,000 x 500). Each case has several plain numpy references that compute the same
numbers (checked to 1e-9); all of them run in the same rounds as evaltool, interleaved, and the fastest
median is the reference the ratio is taken against. Reported: the median wall time of R rounds, the
median CPU time (steadier on the shared machine), the ratio to the fastest reference, the tracemalloc
peak of one call and the largest difference from evaltool's result.
"""

from __future__ import annotations

import argparse
import tracemalloc
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial

import numpy as np
from timing import interleaved  # benchmarks/timing.py: the folder of the script is on the path

from evaltool.methods import topsis, wsm

NAN_SHARE = 0.05
AGREE = 1e-9  # a reference counts only if it gives evaltool's numbers to this precision


# --- references: plain numpy, no validation, as a competent numpy user writes them ----------------------


def wsm_nan_to_num(grades: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """WSM, missing counts as zero: the textbook one-liner."""
    return np.nan_to_num(grades) @ weights * 20.0


def wsm_where(grades: np.ndarray, weights: np.ndarray) -> np.ndarray:
    return np.where(np.isnan(grades), 0.0, grades) @ weights * 20.0


def wsm_fmax(grades: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """fmax(NaN, 0) is 0 and grades are never negative: one pass fills the holes."""
    return np.fmax(grades, 0.0) @ weights * 20.0


def wsm_einsum(grades: np.ndarray, weights: np.ndarray) -> np.ndarray:
    return np.einsum("ij,j->i", np.fmax(grades, 0.0), weights) * 20.0


def wsm_exclude_where(grades: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """WSM over the scored criteria only, reweighted by their weight share."""
    nan = np.isnan(grades)
    return 20.0 * (np.where(nan, 0.0, grades) @ weights) / (~nan @ weights)


def wsm_exclude_fmax(grades: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """The scored weight share as the total minus the missing share (one boolean product)."""
    return 20.0 * (np.fmax(grades, 0.0) @ weights) / (weights.sum() - np.isnan(grades) @ weights)


def wsm_exclude_sparse(grades: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """The missing weight share summed over the few NaN cells only."""
    rows, cols = np.nonzero(np.isnan(grades))
    missing = np.bincount(rows, weights[cols], minlength=grades.shape[0])
    return 20.0 * (np.fmax(grades, 0.0) @ weights) / (weights.sum() - missing)


def _closeness(d_plus: np.ndarray, d_minus: np.ndarray) -> np.ndarray:
    return d_minus / (d_plus + d_minus)


def _ideals(v: np.ndarray, benefit: np.ndarray, col_max: np.ndarray, col_min: np.ndarray) -> np.ndarray:
    """(m, 2): the ideal and the anti-ideal point as columns."""
    return np.column_stack([np.where(benefit, col_max, col_min), np.where(benefit, col_min, col_max)])


def topsis_textbook(matrix: np.ndarray, weights: np.ndarray, benefit: np.ndarray) -> np.ndarray:
    """Vector normalisation, ideal points, Euclidean distances, as the formulas read."""
    v = matrix / np.sqrt((matrix**2).sum(axis=0)) * weights
    points = _ideals(v, benefit, v.max(axis=0), v.min(axis=0))
    d_plus = np.sqrt(((v - points[:, 0]) ** 2).sum(axis=1))
    d_minus = np.sqrt(((v - points[:, 1]) ** 2).sum(axis=1))
    return _closeness(d_plus, d_minus)


def topsis_einsum(matrix: np.ndarray, weights: np.ndarray, benefit: np.ndarray) -> np.ndarray:
    """The same with einsum sums of squares and one reused difference buffer."""
    v = matrix * (weights / np.sqrt(np.einsum("ij,ij->j", matrix, matrix)))
    points = _ideals(v, benefit, v.max(axis=0), v.min(axis=0))
    diff = v - points[:, 0]
    d_plus = np.sqrt(np.einsum("ij,ij->i", diff, diff))
    np.subtract(v, points[:, 1], out=diff)
    return _closeness(d_plus, np.sqrt(np.einsum("ij,ij->i", diff, diff)))


def topsis_expanded(matrix: np.ndarray, weights: np.ndarray, benefit: np.ndarray) -> np.ndarray:
    """|v - a|^2 = |v|^2 - 2 v.a + |a|^2: one matrix-vector product per point, no difference matrix."""
    v = matrix * (weights / np.sqrt(np.einsum("ij,ij->j", matrix, matrix)))
    points = _ideals(v, benefit, v.max(axis=0), v.min(axis=0))
    squares = np.einsum("ij,ij->i", v, v)[:, None] - 2.0 * (v @ points) + (points * points).sum(axis=0)
    d = np.sqrt(np.maximum(squares, 0.0))
    return _closeness(d[:, 0], d[:, 1])


def topsis_nan_masked(matrix: np.ndarray, weights: np.ndarray, benefit: np.ndarray) -> np.ndarray:
    """NaN cells left out of the norms, the ideal points and the distances, by masking."""
    nan = np.isnan(matrix)
    filled = np.where(nan, 0.0, matrix)
    v0 = filled * (weights / np.sqrt(np.einsum("ij,ij->j", filled, filled)))
    v = np.where(nan, np.nan, v0)
    points = _ideals(v, benefit, np.fmax.reduce(v, axis=0), np.fmin.reduce(v, axis=0))
    diff = v0 - points[:, 0]
    diff[nan] = 0.0
    d_plus = np.sqrt(np.einsum("ij,ij->i", diff, diff))
    np.subtract(v0, points[:, 1], out=diff)
    diff[nan] = 0.0
    return _closeness(d_plus, np.sqrt(np.einsum("ij,ij->i", diff, diff)))


def topsis_nan_expanded(matrix: np.ndarray, weights: np.ndarray, benefit: np.ndarray) -> np.ndarray:
    """The expanded distances; the squared ideal coordinates of the few NaN cells are subtracted."""
    rows, cols = np.nonzero(np.isnan(matrix))
    filled = matrix.copy()
    filled[rows, cols] = 0.0
    v0 = filled * (weights / np.sqrt(np.einsum("ij,ij->j", filled, filled)))
    v = v0.copy()
    v[rows, cols] = np.nan
    points = _ideals(v, benefit, np.fmax.reduce(v, axis=0), np.fmin.reduce(v, axis=0))
    sq = points * points
    absent = np.column_stack([np.bincount(rows, sq[cols, j], minlength=len(matrix)) for j in (0, 1)])
    squares = np.einsum("ij,ij->i", v0, v0)[:, None] - 2.0 * (v0 @ points) + (sq.sum(axis=0) - absent)
    d = np.sqrt(np.maximum(squares, 0.0))
    return _closeness(d[:, 0], d[:, 1])


# --- measurement ---------------------------------------------------------------------------------------


@dataclass
class Case:
    name: str
    ours: Callable[[], np.ndarray]
    references: dict[str, Callable[[], np.ndarray]]


def make_data(n: int, m: int, seed: int = 0) -> dict[str, np.ndarray]:
    """Random grades (0..5) and raw values (1..1000), each with and without ~5 % NaN cells."""
    rng = np.random.default_rng(seed)
    holes = rng.random((n, m)) < NAN_SHARE
    grades = rng.uniform(0, 5, (n, m))
    raw = rng.uniform(1, 1000, (n, m))
    weights = rng.random(m)
    return {
        "grades_nan": np.where(holes, np.nan, grades),
        "raw": raw,
        "raw_nan": np.where(holes, np.nan, raw),
        "weights": weights / weights.sum(),
        "benefit": rng.random(m) < 0.7,
    }


def cases(d: dict[str, np.ndarray]) -> list[Case]:
    g, raw, raw_nan, w, b = d["grades_nan"], d["raw"], d["raw_nan"], d["weights"], d["benefit"]
    return [
        Case(
            "wsm, missing = zero",
            partial(wsm, g, w, "zero"),
            {f.__name__: partial(f, g, w) for f in (wsm_nan_to_num, wsm_where, wsm_fmax, wsm_einsum)},
        ),
        Case(
            "wsm, missing = exclude",
            partial(wsm, g, w, "exclude"),
            {f.__name__: partial(f, g, w) for f in (wsm_exclude_where, wsm_exclude_fmax, wsm_exclude_sparse)},
        ),
        Case(
            "topsis, complete matrix",
            partial(topsis, raw, w, b),
            {f.__name__: partial(f, raw, w, b) for f in (topsis_textbook, topsis_einsum, topsis_expanded)},
        ),
        Case(
            "topsis, 5% NaN left out",
            partial(topsis, raw_nan, w, b),
            {f.__name__: partial(f, raw_nan, w, b) for f in (topsis_nan_masked, topsis_nan_expanded)},
        ),
    ]


def peak_mb(func: Callable[[], object]) -> float:
    """tracemalloc peak of one call, in MB (numpy reports its buffers to tracemalloc)."""
    tracemalloc.start()
    try:
        func()
        return tracemalloc.get_traced_memory()[1] / 1e6
    finally:
        tracemalloc.stop()


def run_case(case: Case, rounds: int) -> None:
    expected = case.ours()
    for name, ref in case.references.items():
        diff = float(np.abs(ref() - expected).max())
        if not diff <= AGREE:
            raise SystemExit(f"{case.name}: reference {name} differs from evaltool by {diff:.1e}")
    times = interleaved({"evaltool": case.ours, **case.references}, rounds)
    fastest = min(case.references, key=lambda name: times[name][0])
    ref_wall, ref_cpu = times[fastest]
    print(f"\n{case.name}  (reference: {fastest}, the fastest of {len(case.references)})")
    for name in ("evaltool", *case.references):
        func = case.ours if name == "evaltool" else case.references[name]
        wall, cpu = times[name]
        diff = 0.0 if name == "evaltool" else float(np.abs(func() - expected).max())
        print(
            f"  {name:22} {wall * 1e3:8.1f} ms {cpu * 1e3:8.1f} ms CPU  {wall / ref_wall:5.2f}x "
            f"{cpu / ref_cpu:5.2f}x CPU  peak {peak_mb(func):6.1f} MB  |diff| {diff:.1e}"
        )


def main() -> None:
    """Parse the sizes and run the benchmark."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--vendors", type=int, default=10_000)
    parser.add_argument("--criteria", type=int, default=500)
    parser.add_argument("--repeats", type=int, default=9, help="interleaved rounds (median reported)")
    args = parser.parse_args()
    print(
        f"{args.vendors:,} vendors x {args.criteria:,} criteria, ~{NAN_SHARE:.0%} NaN; median of "
        f"{args.repeats} interleaved rounds; ratios are to the fastest reference of each case"
    )
    for case in cases(make_data(args.vendors, args.criteria)):
        run_case(case, args.repeats)


if __name__ == "__main__":
    main()
