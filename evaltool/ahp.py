"""Saaty's AHP in plain Python: principal eigenvector and consistency ratio.

Kept free of numpy because `validate` warns about inconsistent matrices and must start fast; matrices
have at most 15 rows, so power iteration costs well under a millisecond.
"""

from __future__ import annotations

from dataclasses import dataclass

# Saaty's random consistency index by matrix size.
RANDOM_INDEX: dict[int, float] = {
    1: 0.0, 2: 0.0, 3: 0.58, 4: 0.90, 5: 1.12, 6: 1.24, 7: 1.32, 8: 1.41,
    9: 1.45, 10: 1.49, 11: 1.51, 12: 1.48, 13: 1.56, 14: 1.57, 15: 1.59,
}  # fmt: skip
CR_LIMIT = 0.10


@dataclass(frozen=True)
class AhpResult:
    """Weights and consistency of one pairwise-comparison matrix."""

    weights: tuple[float, ...]
    lambda_max: float
    ci: float
    cr: float

    @property
    def consistent(self) -> bool:
        """Saaty's rule: a consistency ratio above 0.10 calls for a second look at the judgements."""
        return self.cr <= CR_LIMIT


def ahp(matrix: list[list[float]], *, tol: float = 1e-15, max_iter: int = 10_000) -> AhpResult:
    """Principal eigenvector by power iteration (the matrix is positive, so it converges)."""
    n = len(matrix)
    if n == 0 or n > max(RANDOM_INDEX) or any(not hasattr(row, "__len__") or len(row) != n for row in matrix):
        raise ValueError(f"AHP needs a square matrix of 1..{max(RANDOM_INDEX)} rows")
    matrix = [[float(a) for a in row] for row in matrix]
    weights = [1.0 / n] * n
    for _ in range(max_iter):
        product = [sum(a * w for a, w in zip(row, weights, strict=True)) for row in matrix]
        total = sum(product)
        new = [p / total for p in product]
        done = max(abs(a - b) for a, b in zip(new, weights, strict=True)) < tol
        weights = new
        if done:
            break
    product = [sum(a * w for a, w in zip(row, weights, strict=True)) for row in matrix]
    lambda_max = sum(product) / sum(weights)
    # lambda_max >= n for a reciprocal matrix; a hair below comes from rounding or the 1% reciprocity
    # tolerance, and must not read as "better than consistent"
    ci = max(0.0, (lambda_max - n) / (n - 1)) if n > 2 else 0.0
    cr = ci / RANDOM_INDEX[n] if n > 2 else 0.0
    return AhpResult(tuple(weights), lambda_max, ci, cr)
