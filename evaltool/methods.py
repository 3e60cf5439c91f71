"""Numerical core: AHP weights, grading onto 0..5, WSM, TOPSIS and competition ranking.

Pure functions on float64 numpy arrays; NaN marks a missing cell. Nothing here reads files, prints or
knows about the models: the scoring layer builds the matrices and interprets the results. Every method
is vectorised over vendors (rows) and criteria (columns), so 10,000 vendors cost a few matrix passes.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

# AHP lives in evaltool.ahp (plain Python, so that `validate` starts without numpy); re-exported here.
from evaltool.ahp import CR_LIMIT as CONSISTENCY_THRESHOLD
from evaltool.ahp import RANDOM_INDEX, AhpResult, ahp

if TYPE_CHECKING:
    from evaltool.models import Missing

__all__ = [
    "CONSISTENCY_THRESHOLD",
    "RANDOM_INDEX",
    "AhpResult",
    "ahp",
    "competition_rank",
    "fill_missing_for_topsis",
    "grade_linear",
    "grade_minmax",
    "topsis",
    "topsis_gaps",
    "wsm",
]

GRADE_MAX = 5.0
MISSING_POLICIES = ("zero", "exclude")


# ----------------------------------------------------------------------------------------- grading


def grade_linear(values: np.ndarray, best: float, worst: float) -> np.ndarray:
    """Map raw metric values linearly onto 0..5: `worst` → 0, `best` → 5, clipped to [0, 5].

    Works for either direction (a lower-is-better metric has best < worst) and any array shape;
    NaN stays NaN. Raises ValueError if best equals worst.
    """
    if best == worst:
        raise ValueError("grading needs best != worst")
    v = np.asarray(values, dtype=np.float64)
    grades = GRADE_MAX * (v - worst) / (best - worst)
    return np.clip(grades, 0.0, GRADE_MAX)


def grade_minmax(values: np.ndarray, higher: bool, reference: np.ndarray | None = None) -> np.ndarray:
    """Min-max grade a 1-D column onto 0..5 over its non-NaN entries, direction-aware.

    higher: 5·(v − min)/(max − min); lower: 5·(max − v)/(max − min). If every present value is equal,
    each gets 2.5. NaN stays NaN; an all-NaN column comes back all NaN. ``reference`` (a boolean mask)
    names the rows whose values set min and max; the other rows are graded on that range, clipped to
    [0, 5], so they cannot move anyone else's grade.
    """
    v = np.asarray(values, dtype=np.float64)
    if v.ndim != 1:
        raise ValueError(f"grade_minmax grades one column, got shape {v.shape}")
    present = ~np.isnan(v)
    grades = np.full_like(v, np.nan)
    basis = present if reference is None else present & np.asarray(reference, dtype=bool)
    if not basis.any():
        return grades
    lo, hi = float(v[basis].min()), float(v[basis].max())
    if hi == lo:
        grades[present] = GRADE_MAX / 2
    elif higher:
        grades[present] = GRADE_MAX * (v[present] - lo) / (hi - lo)
    else:
        grades[present] = GRADE_MAX * (hi - v[present]) / (hi - lo)
    return np.clip(grades, 0.0, GRADE_MAX)


# --------------------------------------------------------------------------------------------- WSM


def wsm(grades: np.ndarray, weights: np.ndarray, missing: Missing = "zero") -> np.ndarray:
    """Weighted-sum scores 0..100 of an (n, m) grade matrix on 0..5 with (m,) weights.

    missing="zero": a NaN grade counts as 0, score = 100·Σ wⱼgⱼ/5 (weights used as given).
    missing="exclude": score = 100·Σ_scored wⱼgⱼ / (5·Σ_scored wⱼ); a row with no scored criterion of
    positive weight scores 0. Results are clipped to [0, 100] to absorb last-bit rounding.
    """
    g, w = _check_matrix(grades, weights)
    if missing not in MISSING_POLICIES:
        raise ValueError(f"missing must be one of {MISSING_POLICIES}, got {missing!r}")
    nan = np.isnan(g)
    numerator = np.where(nan, 0.0, g) @ w  # the filled copy is freed before any second product
    if missing == "zero":
        scores = numerator * (100.0 / GRADE_MAX)
    else:
        scored_weight = _scored_weight(nan, w)
        scores = np.zeros_like(numerator)
        np.divide(numerator, scored_weight, out=scores, where=scored_weight > 0)
        scores *= 100.0 / GRADE_MAX
    return np.clip(scores, 0.0, 100.0, out=scores)


def _scored_weight(nan: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """Per row, the total weight of the criteria that have a grade (Σ over non-NaN columns)."""
    # Summed directly (not total minus missing weight, which cancels); measured cheaper than a sparse sum.
    return np.logical_not(nan) @ weights


def _check_matrix(matrix: np.ndarray, weights: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Return (matrix, weights) as float64 arrays, or raise ValueError if their shapes disagree."""
    x = np.asarray(matrix, dtype=np.float64)
    w = np.asarray(weights, dtype=np.float64)
    if x.ndim != 2 or w.ndim != 1 or x.shape[1] != w.shape[0]:
        raise ValueError(f"need an (n, m) matrix and (m,) weights, got {x.shape} and {w.shape}")
    return x, w


# ------------------------------------------------------------------------------------------ TOPSIS


def topsis(
    matrix: np.ndarray, weights: np.ndarray, benefit: np.ndarray, reference: np.ndarray | None = None
) -> np.ndarray:
    """TOPSIS closeness coefficients in [0, 1] (Hwang & Yoon 1981, vector normalisation).

    `matrix` is the raw (n, m) decision matrix, `benefit` (m,) bool with False for cost columns.
    NaN cells are excluded: left out of their column's norm, of the ideal and anti-ideal points and of
    their row's distances. A zero-norm column normalises to 0; a row with D⁺ + D⁻ = 0 gets 0.5.

    `reference` is an optional (n,) bool mask of the rows that set the column norms and the ideal and
    anti-ideal points (default: every row). The other rows are scored against those norms and points
    without moving them, so adding or changing such a row leaves every other row's closeness as it was.
    A column with no value in the reference rows normalises to 0, its ideal and anti-ideal are 0. Raises
    ValueError if `reference` selects no row.
    """
    x, w = _check_matrix(matrix, weights)
    b = _check_benefit(benefit, w.shape)
    ref = _reference_rows(reference, x.shape[0])
    nan = np.isnan(x)
    mask = nan if nan.any() else None  # the common complete matrix skips every masking pass
    v = _weighted_normalised(x, w, mask, ref)
    ideal, anti_ideal = _ideal_points(v, b, mask, ref)
    d_plus = _distances(v, ideal, mask)
    d_minus = _distances(v, anti_ideal, mask)
    total = d_plus + d_minus
    closeness = np.full_like(total, 0.5)
    np.divide(d_minus, total, out=closeness, where=total > 0)
    return closeness


def topsis_gaps(
    matrix: np.ndarray, benefit: np.ndarray, reference: np.ndarray | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """Squared gaps of every cell to the ideal and anti-ideal points, before weighting: (G⁺, G⁻), (n, m).

    With r = x / ‖x column‖ (norms over the `reference` rows' present cells, as in `topsis`) and a, b the
    ideal and anti-ideal points of r over the reference rows, G⁺ᵢⱼ = (rᵢⱼ − aⱼ)² and G⁻ᵢⱼ = (rᵢⱼ − bⱼ)²; a NaN
    cell has gap 0. Weights scale r, and for nonnegative weights the ideal of w·r is w·a, so for any
    weights w ≥ 0 the distances of `topsis` are D⁺ᵢ² = Σⱼ wⱼ² G⁺ᵢⱼ and D⁻ᵢ² = Σⱼ wⱼ² G⁻ᵢⱼ: a batch of weight
    vectors W is scored by the products (W∘W) @ G⁺ᵀ and (W∘W) @ G⁻ᵀ.
    """
    x = np.asarray(matrix, dtype=np.float64)
    if x.ndim != 2:
        raise ValueError(f"need an (n, m) matrix, got shape {x.shape}")
    ones = np.ones(x.shape[1])
    b = _check_benefit(benefit, ones.shape)
    ref = _reference_rows(reference, x.shape[0])
    nan = np.isnan(x)
    mask = nan if nan.any() else None
    r = _weighted_normalised(x, ones, mask, ref)
    ideal, anti_ideal = _ideal_points(r, b, mask, ref)
    gaps = tuple(np.square(r - point) for point in (ideal, anti_ideal))
    if mask is not None:
        for gap in gaps:
            np.copyto(gap, 0.0, where=mask)
    return gaps[0], gaps[1]


def _check_benefit(benefit: np.ndarray, shape: tuple[int, ...]) -> np.ndarray:
    b = np.asarray(benefit, dtype=bool)
    if b.shape != shape:
        raise ValueError(f"benefit must have shape {shape}, got {b.shape}")
    return b


def _reference_rows(reference: np.ndarray | None, n: int) -> np.ndarray | None:
    """The (n,) bool mask of reference rows, or None when every row is one (the plain computation)."""
    if reference is None:
        return None
    ref = np.asarray(reference)
    if ref.shape != (n,) or ref.dtype != np.bool_:
        raise ValueError(f"reference must be an ({n},) bool mask, got {ref.dtype} {ref.shape}")
    if not ref.any():
        raise ValueError("reference must select at least one row")
    return None if ref.all() else ref


def _weighted_normalised(
    x: np.ndarray, w: np.ndarray, mask: np.ndarray | None, ref: np.ndarray | None
) -> np.ndarray:
    """v = w · x / ‖x column‖, norms over the reference rows' present cells; NaN cells stay NaN,
    zero-norm columns become 0."""
    present = x if mask is None else np.where(mask, 0.0, x)
    if ref is not None:
        present = present[ref]
    norms = np.sqrt(np.einsum("ij,ij->j", present, present))
    scale = np.zeros_like(norms)
    np.divide(w, norms, out=scale, where=norms > 0)
    return x * scale


def _ideal_points(
    v: np.ndarray, benefit: np.ndarray, mask: np.ndarray | None, ref: np.ndarray | None
) -> tuple[np.ndarray, ...]:
    """Ideal and anti-ideal points over the reference rows' present cells; a column with no such value
    gets 0."""
    if ref is not None:
        v = v[ref]
    if mask is None:
        col_max, col_min = v.max(axis=0), v.min(axis=0)
    else:
        # fmax/fmin skip NaN without the all-NaN warning that nanmax raises.
        col_max = np.nan_to_num(np.fmax.reduce(v, axis=0), nan=0.0)
        col_min = np.nan_to_num(np.fmin.reduce(v, axis=0), nan=0.0)
    return np.where(benefit, col_max, col_min), np.where(benefit, col_min, col_max)


def _distances(v: np.ndarray, point: np.ndarray, mask: np.ndarray | None) -> np.ndarray:
    """Euclidean distance of each row to `point` over the row's present cells."""
    diff = v - point
    if mask is not None:
        np.copyto(diff, 0.0, where=mask)
    with np.errstate(over="ignore"):
        distance = np.sqrt(np.einsum("ij,ij->i", diff, diff))
    overflow = np.isinf(distance)
    if overflow.any():
        # A row outside the reference can sit far beyond the reference norms (a value of 4 against a
        # norm of 1e-154): its squares overflow. Scale such rows by their largest gap first.
        rows = diff[overflow]
        largest = np.abs(rows).max(axis=1, keepdims=True)
        distance[overflow] = largest[:, 0] * np.sqrt(np.einsum("ij,ij->i", rows / largest, rows / largest))
    return distance


def fill_missing_for_topsis(
    matrix: np.ndarray, is_metric: np.ndarray, benefit: np.ndarray, reference: np.ndarray | None = None
) -> np.ndarray:
    """Apply the `zero` missing policy for TOPSIS and return a new matrix without NaN.

    A NaN in a rubric column becomes 0; in a metric column, the worst value present in that column among
    the `reference` rows (default: every row; the minimum for a benefit column, the maximum for a cost
    column); a column with no such value becomes 0. Raises ValueError if `reference` selects no row.
    """
    x = np.asarray(matrix, dtype=np.float64)
    metric = np.asarray(is_metric, dtype=bool)
    b = np.asarray(benefit, dtype=bool)
    if x.ndim != 2 or metric.shape != (x.shape[1],) or b.shape != (x.shape[1],):
        raise ValueError(f"need an (n, m) matrix and (m,) flags, got {x.shape}, {metric.shape}, {b.shape}")
    ref = _reference_rows(reference, x.shape[0])
    present = x if ref is None else x[ref]
    worst = np.where(b, np.fmin.reduce(present, axis=0), np.fmax.reduce(present, axis=0))
    fill = np.where(metric, np.nan_to_num(worst, nan=0.0), 0.0)
    return np.where(np.isnan(x), fill, x)


# ----------------------------------------------------------------------------------------- ranking


def competition_rank(scores: np.ndarray, tol: float = 1e-9) -> np.ndarray:
    """Standard competition ranks ("1224"), higher score first, scores within `tol` tie.

    rank = 1 + the number of scores that exceed this one by more than `tol`; O(n log n) by sorting.
    Raises ValueError on NaN, which has no place in a ranking.
    """
    s = np.asarray(scores, dtype=np.float64)
    if s.ndim != 1:
        raise ValueError(f"competition_rank needs a 1-D array, got shape {s.shape}")
    if np.isnan(s).any():
        raise ValueError("cannot rank NaN scores")
    ascending = np.sort(s)
    not_above = np.searchsorted(ascending, s + tol, side="right")
    return (s.size - not_above + 1).astype(np.int64)
