"""Rank stability of a TOPSIS ranking under random weights: Monte Carlo rank probabilities.

The TOPSIS counterpart of :mod:`evaltool.sensitivity.stability`, with the same Dirichlet weight draws, the
same :class:`~evaltool.sensitivity.stability.MonteCarloResult` and the same ranking rules (competition
ranks among a segment's eligible vendors, scores within ``TIE_TOLERANCE`` tied; docs/scoring.md#monte-carlo).
A score is the closeness coefficient D⁻ / (D⁺ + D⁻) in [0, 1] (0.5 when both are 0) within the vendor's
segment (:mod:`evaltool.sensitivity.topsis`): a block of sampled weights W is scored by one matrix product
(W∘W) @ [G⁺; G⁻]ᵀ.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike

from evaltool.defaults import DEFAULT_CONCENTRATION, DEFAULT_SAMPLES, DEFAULT_SEED
from evaltool.sensitivity.inputs import FloatArray, IntArray, _segment_members, _vendor_vector, _weights
from evaltool.sensitivity.ranks import _rank_counts
from evaltool.sensitivity.stability import _TEMP_BYTES, MonteCarloResult, _check_sampling, _summarise
from evaltool.sensitivity.topsis import _flags, _raw, _reference, _segment_gaps

_MAX_CHUNK = 1024  # samples per chunk: more only spill the caches


def topsis_monte_carlo(
    raw: ArrayLike,
    weights: ArrayLike,
    segment: ArrayLike,
    eligible: ArrayLike,
    benefit: ArrayLike,
    *,
    reference: ArrayLike | None = None,
    samples: int = DEFAULT_SAMPLES,
    seed: int = DEFAULT_SEED,
    concentration: float = DEFAULT_CONCENTRATION,
    chunk: int | None = None,
) -> MonteCarloResult:
    """Rank probabilities of every vendor under TOPSIS when the criterion weights are uncertain.

    The weight samples are exactly those of :func:`evaltool.sensitivity.stability.monte_carlo` for the same
    ``weights``, ``seed`` and ``concentration`` (``rng.dirichlet(concentration * w)`` on the criteria of
    positive weight, chunk after chunk; criteria of weight 0 stay at 0), so the two methods face the same
    weights. Each sample scores every vendor by its closeness within its segment (see the module
    docstring) and ranks each segment's eligible vendors; scores of the result are closeness values in
    [0, 1], and with every sample equal to ``weights`` they are ``methods.topsis`` of each segment.

    Args:
        raw: ``(n, m)`` decision matrix (rubric scores and metric values), NaN for left out.
        weights: ``(m,)`` effective criterion weights summing to 1.
        segment: ``(n,)`` integer segment codes; each segment is normalised and ranked on its own.
        eligible: ``(n,)`` booleans; only eligible vendors are ranked (others still get score figures).
        benefit: ``(m,)`` booleans, False for a cost column (lower is better).
        reference: optional ``(n,)`` booleans: the vendors that set their segment's norms and ideal
            points (default: all); every segment needs at least one.
        samples, seed, concentration, chunk: as in :func:`evaltool.sensitivity.stability.monte_carlo`.

    Memory: 8 bytes x samples x vendors for the exact percentiles, plus one chunk's temporaries.
    """
    _check_sampling(samples, concentration, chunk)
    x = _raw(raw)
    n, m = x.shape
    w = _weights(weights, m)
    seg = _vendor_vector(segment, n, "segment", np.int64).astype(np.int64)
    elig = _vendor_vector(eligible, n, "eligible", np.bool_).astype(np.bool_)
    plus, minus = _segment_gaps(x, _flags(benefit, m, "benefit"), seg, _reference(reference, n))
    positive = w > 0.0
    gaps = np.vstack([plus[:, positive], minus[:, positive]])
    alpha = float(concentration) * w[positive]
    members = list(_segment_members(seg, elig).values())
    largest = max((idx.size for idx in members), default=0)
    size = chunk or _chunk_size(int(positive.sum()), n, largest)
    scores, counts = _simulate(gaps, alpha, members, samples, seed, size)
    return _summarise(scores, counts, members, n, largest, seed, float(concentration))


def _chunk_size(criteria: int, vendors: int, largest: int) -> int:
    """Samples per chunk so that one chunk's temporaries stay within ``_TEMP_BYTES``, as for WSM."""
    per_sample = 16 * criteria + 24 * vendors + 56 * largest
    return int(max(1, min(_MAX_CHUNK, _TEMP_BYTES // per_sample)))


def _closeness_block(gaps: FloatArray, draws: FloatArray, out: FloatArray) -> None:
    """Write the closeness of every vendor ``(s, n)`` for a block of weight samples ``draws`` ``(s, p)``;
    ``gaps`` is ``[G⁺; G⁻]`` ``(2n, p)`` on the same criteria."""
    n = out.shape[1]
    distances = np.square(draws) @ gaps.T  # D⁺² then D⁻², (s, 2n)
    np.sqrt(distances, out=distances)
    plus, minus = distances[:, :n], distances[:, n:]
    total = plus + minus
    out.fill(0.5)
    np.divide(minus, total, out=out, where=total > 0.0)


def _simulate(
    gaps: FloatArray, alpha: FloatArray, members: list[IntArray], samples: int, seed: int, chunk: int
) -> tuple[FloatArray, list[IntArray]]:
    """Draw, score and rank all samples chunk by chunk; return all scores and per-segment rank counts."""
    rng = np.random.default_rng(seed)
    scores = np.empty((samples, gaps.shape[0] // 2))
    counts = [np.zeros((idx.size, idx.size), dtype=np.int64) for idx in members]
    everyone = [idx.size == scores.shape[1] for idx in members]
    for lo in range(0, samples, chunk):
        block = scores[lo : lo + chunk]
        _closeness_block(gaps, rng.dirichlet(alpha, size=block.shape[0]), block)
        for idx, count, whole in zip(members, counts, everyone, strict=True):
            count += _rank_counts(block if whole else block[:, idx])
    return scores, counts
