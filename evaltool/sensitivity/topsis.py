"""The per-segment TOPSIS problems the weight analyses solve: every vendor's squared gaps to its own
segment's ideal and anti-ideal points, and the "zero" missing policy applied segment by segment.

``raw`` is the ``(n, m)`` decision matrix as TOPSIS scores it (:func:`evaltool.methods.topsis`): NaN marks
a cell left out of its column's norm, of the ideal points and of its row's distances. Each segment code is
its own TOPSIS problem: its column norms, ideal and anti-ideal points come from its ``reference`` vendors
(default: all of them, eligible or not, as the ranking is scored), and every vendor of the segment is
scored against them (docs/scoring.md#topsis).

The normalised matrix r = x / ‖x column‖ and its ideal and anti-ideal points a, b do not depend on the
weights, and for weights w ≥ 0 the ideal of w·r is w·a. So D⁺ᵢ² = Σⱼ wⱼ² (rᵢⱼ − aⱼ)² = (w∘w) · G⁺ᵢ, and
likewise D⁻ with b (:func:`evaltool.methods.topsis_gaps`): the gaps G⁺, G⁻ are all the analyses need.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike

from evaltool import methods
from evaltool.sensitivity.inputs import BoolArray, FloatArray, IntArray, _vendor_vector


def _raw(raw: ArrayLike) -> FloatArray:
    """Return ``raw`` as a float ``(n, m)`` array whose cells are finite or NaN."""
    arr = np.array(raw, dtype=np.float64)
    if arr.ndim != 2:
        raise ValueError(f"raw must be a 2-D (vendors x criteria) array, got shape {arr.shape}")
    if np.isinf(arr).any():
        raise ValueError("raw values must be finite (NaN for not assessed)")
    return arr


def _flags(values: ArrayLike, m: int, name: str) -> BoolArray:
    arr = np.asarray(values)
    if arr.shape != (m,):
        raise ValueError(f"{name} must have shape ({m},), got {arr.shape}")
    return arr.astype(np.bool_)


def _reference(reference: ArrayLike | None, n: int) -> BoolArray:
    if reference is None:
        return np.ones(n, dtype=np.bool_)
    ref = np.asarray(reference)
    if ref.shape != (n,) or ref.dtype != np.bool_:
        raise ValueError(f"reference must be an ({n},) bool mask, got {ref.dtype} {ref.shape}")
    return ref


def _problems(segment: IntArray, reference: BoolArray) -> list[tuple[IntArray, BoolArray]]:
    """Each segment's rows and, among them, its reference rows; a segment needs one reference vendor."""
    problems = []
    for code in np.unique(segment):
        rows = np.flatnonzero(segment == code)
        if not reference[rows].any():
            raise ValueError(f"segment {int(code)} has no reference vendor")
        problems.append((rows, reference[rows]))
    return problems


def _segment_gaps(
    raw: FloatArray, benefit: BoolArray, segment: IntArray, reference: BoolArray
) -> tuple[FloatArray, FloatArray]:
    """``(G⁺, G⁻)``, each ``(n, m)``: every vendor's squared gaps to its own segment's ideal points."""
    plus, minus = np.zeros_like(raw), np.zeros_like(raw)
    for rows, ref in _problems(segment, reference):
        plus[rows], minus[rows] = methods.topsis_gaps(raw[rows], benefit, ref)
    return plus, minus


def fill_missing_per_segment(
    raw: ArrayLike,
    segment: ArrayLike,
    is_metric: ArrayLike,
    benefit: ArrayLike,
    *,
    reference: ArrayLike | None = None,
) -> FloatArray:
    """The "zero" missing policy applied segment by segment, as scoring applies it before TOPSIS.

    Each segment's NaN cells are filled by :func:`evaltool.methods.fill_missing_for_topsis` from its own
    ``reference`` vendors (default: all of them): 0 in a rubric column, the worst value present in a
    metric column. Returns a new ``(n, m)`` matrix without NaN.
    """
    x = _raw(raw)
    n, m = x.shape
    seg = _vendor_vector(segment, n, "segment", np.int64).astype(np.int64)
    metric, b = _flags(is_metric, m, "is_metric"), _flags(benefit, m, "benefit")
    filled = x.copy()
    for rows, ref in _problems(seg, _reference(reference, n)):
        filled[rows] = methods.fill_missing_for_topsis(x[rows], metric, b, ref)
    return filled
