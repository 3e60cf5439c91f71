"""A weighted-sum (WSM) score as the weight analyses compute it, from grades and one weight vector.

A vendor's WSM score is ``100 * sum_j w_j g_j / 5`` (docs/scoring.md#wsm): under the missing policy
``"zero"`` a NaN grade counts 0; under ``"exclude"`` the sum runs over the scored criteria and is divided by
their weight share, 0 if the vendor has no scored criterion of positive weight (docs/scoring.md#missing-data).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
from numpy.typing import ArrayLike

from evaltool.sensitivity.inputs import FloatArray, _check_missing, _grades, _weights

if TYPE_CHECKING:
    from evaltool.models import Missing

_POINTS_PER_GRADE = 100.0 / 5.0


def _points(grades: FloatArray) -> FloatArray:
    """Grades scaled so that a weighted sum with weights summing to 1 is a 0..100 score; NaN -> 0."""
    return np.where(np.isnan(grades), 0.0, grades * _POINTS_PER_GRADE)


def _scored(grades: FloatArray) -> FloatArray:
    """1.0 where a grade is present, else 0.0."""
    return (~np.isnan(grades)).astype(np.float64)


def _ratio(numerator: FloatArray, denominator: FloatArray) -> FloatArray:
    """``numerator / denominator`` where the denominator is positive, else 0."""
    out = np.zeros(np.broadcast_shapes(numerator.shape, denominator.shape))
    np.divide(numerator, denominator, out=out, where=denominator > 0.0)
    return out


def wsm_scores(grades: ArrayLike, weights: ArrayLike, *, missing: Missing = "zero") -> FloatArray:
    """Return each vendor's WSM score (0..100) for one weight vector, as the weight analyses see it.

    Args:
        grades: ``(n, m)`` grades on 0..5, NaN for not scored.
        weights: ``(m,)`` effective criterion weights summing to 1.
        missing: ``"zero"`` (a NaN grade counts 0) or ``"exclude"`` (reweight over the scored criteria).
    """
    _check_missing(missing)
    g = _grades(grades)
    w = _weights(weights, g.shape[1])
    total = _points(g) @ w
    if missing == "zero":
        return total
    return _ratio(total, _scored(g) @ w)
