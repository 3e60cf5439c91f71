"""The arrays every weight analysis takes, and the checks it applies to them before any arithmetic.

``n`` vendors, ``m`` criteria: ``grades`` is ``(n, m)`` on 0..5 with NaN for "not scored", ``weights`` the
``(m,)`` effective criterion weights (they sum to 1), ``segment`` the ``(n,)`` integer segment codes and
``eligible`` the ``(n,)`` booleans of the vendors that compete (docs/scoring.md#sensitivity).
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.int64]
BoolArray = NDArray[np.bool_]

TIE_TOLERANCE = 1e-9
"""Scores closer than this (in points on the 0..100 scale) are a tie."""

_WEIGHT_SUM_TOLERANCE = 1e-6


def _grades(grades: ArrayLike) -> FloatArray:
    """Return ``grades`` as a float ``(n, m)`` array, NaN for unscored; other values must lie in 0..5."""
    arr = np.array(grades, dtype=np.float64)
    if arr.ndim != 2:
        raise ValueError(f"grades must be a 2-D (vendors x criteria) array, got shape {arr.shape}")
    scored = arr[~np.isnan(arr)]
    if scored.size and not (np.all(np.isfinite(scored)) and scored.min() >= 0.0 and scored.max() <= 5.0):
        raise ValueError("grades must lie in 0..5 (NaN for not scored)")
    return arr


def _weights(weights: ArrayLike, m: int) -> FloatArray:
    """Return ``weights`` as a float ``(m,)`` array of nonnegative shares summing to 1."""
    arr = np.array(weights, dtype=np.float64)
    if arr.shape != (m,):
        raise ValueError(f"weights must have shape ({m},), got {arr.shape}")
    if not np.all(np.isfinite(arr)) or np.any(arr < 0.0):
        raise ValueError("weights must be finite and nonnegative")
    if abs(float(arr.sum()) - 1.0) > _WEIGHT_SUM_TOLERANCE:
        raise ValueError(f"weights must sum to 1, got {float(arr.sum())!r}")
    return arr


def _vendor_vector(values: ArrayLike, n: int, name: str, dtype: type) -> NDArray[np.generic]:
    """Return a per-vendor ``(n,)`` array of ``dtype``."""
    arr = np.asarray(values)
    if arr.shape != (n,):
        raise ValueError(f"{name} must have shape ({n},), got {arr.shape}")
    return arr.astype(dtype)


def _check_missing(missing: str) -> None:
    if missing not in ("zero", "exclude"):
        raise ValueError(f"missing must be 'zero' or 'exclude', got {missing!r}")


def _segment_members(segment: IntArray, eligible: BoolArray) -> dict[int, IntArray]:
    """Map each segment code that has eligible vendors to their indices (ascending)."""
    codes = np.unique(segment[eligible])
    return {int(code): np.flatnonzero(eligible & (segment == code)) for code in codes}
