"""Rank stability of a weighted-sum (WSM) ranking under random weights: Monte Carlo rank probabilities.

Each sample draws a weight vector from a Dirichlet distribution centred on the chosen weights, scores every
vendor (:mod:`evaltool.sensitivity.wsm`) and ranks each segment's eligible vendors
(:mod:`evaltool.sensitivity.ranks`) (docs/scoring.md#monte-carlo). :class:`MonteCarloResult`, the
sampling checks and the summary of the samples (rank probabilities, score percentiles, means) are shared
with the TOPSIS counterpart (:mod:`evaltool.sensitivity.topsis_stability`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
from numpy.typing import ArrayLike

from evaltool.defaults import DEFAULT_CONCENTRATION, DEFAULT_SAMPLES, DEFAULT_SEED
from evaltool.sensitivity.inputs import (
    FloatArray,
    IntArray,
    _check_missing,
    _grades,
    _segment_members,
    _vendor_vector,
    _weights,
)
from evaltool.sensitivity.ranks import _key_buffer, _rank_counts, _rank_rows, _unaliased
from evaltool.sensitivity.wsm import _POINTS_PER_GRADE, _points, _scored

if TYPE_CHECKING:
    from evaltool.models import Missing

_TEMP_BYTES = 192 * 2**20  # budget for the temporary arrays of one chunk of samples
_PERCENTILE_BLOCK = 256  # vendors per block when taking percentiles over the samples
_PERCENTILE_ROWS = 16  # vendors at a time when selecting in place: their samples stay in the L2 cache

RANK_DEPTH = 100
"""Ranks with a Monte Carlo probability: every rank of a segment of up to this many eligible vendors,
the first ``RANK_DEPTH`` of a larger one (see :attr:`MonteCarloResult.rank_depth`)."""


@dataclass(frozen=True)
class MonteCarloResult:
    """Rank stability of every vendor under random weights drawn around the chosen ones.

    ``rank_probabilities[i, r]`` is the probability that vendor ``i`` has rank ``r + 1`` in its segment.
    It has one column per rank of the largest segment (counting eligible vendors only), up to
    ``rank_depth`` columns; rows of eligible vendors in a segment of at most ``rank_depth`` vendors sum
    to 1, rows of vendors that are not eligible are 0 (they are never ranked). Tied vendors share a
    rank, so the probabilities of a column can sum to more than 1.
    """

    samples: int
    seed: int
    concentration: float
    rank_probabilities: FloatArray
    """``(n, R)``: P(rank == r + 1); R is the number of eligible vendors in the largest segment, at most
    ``rank_depth``."""
    p_top: FloatArray
    """``(n,)``: probability of rank 1 (shared first place counts); equals ``rank_probabilities[:, 0]``."""
    score_interval: FloatArray
    """``(n, 2)``: 5th and 95th percentile (numpy's linear method) of the vendor's score over the samples."""
    mean_score: FloatArray
    """``(n,)``: mean score over the samples."""
    rank_depth: int
    """The number of ranks counted, R. A segment with more eligible vendors than this has probabilities
    for its first R ranks only (its rows sum to P(rank <= R), which can be less than 1); a segment of
    at most R eligible vendors has them all."""


@dataclass(frozen=True)
class _Model:
    """The fixed part of every sample's scores: grades on the positive-weight criteria only."""

    points: FloatArray  # (n, p): 20 x grade, NaN -> 0 (for jittered cells: 20 x the cell's low bound)
    scored: FloatArray | None  # (n, p): 1.0 where scored; None under "zero" (no renormalisation)
    alpha: FloatArray  # (p,): Dirichlet parameters, concentration x weight


@dataclass(frozen=True)
class _Jitter:
    """Cells whose grade is redrawn uniformly in [lo, hi] for every sample, listed row by row."""

    columns: IntArray  # (c,): criterion column (among the positive-weight ones) of each cell
    width: FloatArray  # (c,): 20 x (hi - lo)
    rows: IntArray  # (r,): the distinct vendor rows that have such cells
    starts: IntArray  # (r,): index of each row's first cell in the cell list


def _model(grades: FloatArray, weights: FloatArray, missing: Missing, concentration: float) -> _Model:
    positive = weights > 0.0
    g = grades[:, positive]
    scored = _scored(g) if missing == "exclude" else None
    return _Model(points=_points(g), scored=scored, alpha=concentration * weights[positive])


def _jittered(
    model: _Model, grades: FloatArray, bounds: tuple[ArrayLike, ArrayLike], weights: FloatArray
) -> tuple[_Model, _Jitter]:
    """Return the model with jittered cells at their low bound, and the list of those cells."""
    positive = weights > 0.0
    lo = np.array(bounds[0], dtype=np.float64)
    hi = np.array(bounds[1], dtype=np.float64)
    if lo.shape != grades.shape or hi.shape != grades.shape:
        raise ValueError(f"score_bounds must be two arrays of shape {grades.shape}")
    lo, hi, g = lo[:, positive], hi[:, positive], grades[:, positive]
    varies = ~np.isnan(g) & (hi > lo)  # NaN bounds compare False: the cell keeps its grade
    if np.any(lo[varies] < 0.0) or np.any(hi[varies] > 5.0):
        raise ValueError("score_bounds must lie in 0..5")
    points = np.where(varies, lo * _POINTS_PER_GRADE, model.points)
    rows, columns = np.nonzero(varies)  # row-major, so each row's cells are contiguous
    distinct, starts = np.unique(rows, return_index=True)
    jitter = _Jitter(
        columns=columns.astype(np.int64),
        width=(hi - lo)[varies] * _POINTS_PER_GRADE,
        rows=distinct.astype(np.int64),
        starts=starts.astype(np.int64),
    )
    return _Model(points=points, scored=model.scored, alpha=model.alpha), jitter


def _weighted(draws: FloatArray, matrix: FloatArray, out: FloatArray) -> None:
    """``out[...] = draws @ matrix.T`` for ``out`` ``(s, n)`` stored sample by sample or (a transposed
    view) vendor by vendor: BLAS writes either directly, as long as its own rows are contiguous."""
    if out.strides[1] == out.itemsize:
        np.matmul(draws, matrix.T, out=out)
    else:
        np.matmul(matrix, draws.T, out=out.T)


def _score_block(
    model: _Model, draws: FloatArray, out: FloatArray, jitter: _Jitter | None, rng: np.random.Generator
) -> None:
    """Write the scores of a block of weight samples ``draws`` ``(s, p)`` into ``out`` ``(s, n)`` (which
    may be a transposed view of vendor-major storage)."""
    _weighted(draws, model.points, out)
    if jitter is not None and jitter.columns.size:
        extra = rng.random((draws.shape[0], jitter.columns.size))
        extra *= jitter.width
        extra *= draws[:, jitter.columns]
        out[:, jitter.rows] += np.add.reduceat(extra, jitter.starts, axis=1)
    if model.scored is not None:
        share = np.empty_like(out)  # laid out like ``out``, so that the division walks both alike
        _weighted(draws, model.scored, share)
        np.divide(out, share, out=out, where=out > 0.0)


def _chunk_size(model: _Model, jitter: _Jitter | None) -> int:
    """Samples drawn and scored at a time, so that one chunk's temporary arrays stay within
    ``_TEMP_BYTES``: as many as that allows, since a multi-threaded BLAS pays a hand-over on every call
    (and, on a busy machine, its waiting threads take the cores the rest of the work needs)."""
    n, p = model.points.shape
    per_sample = 16 * p + (16 * n if model.scored is not None else 0)
    if jitter is not None:
        per_sample += 24 * jitter.columns.size + 16 * jitter.rows.size
    return int(max(1, _TEMP_BYTES // per_sample))


def _percentile_plan(samples: int) -> tuple[IntArray, IntArray, FloatArray]:
    """Order statistics (below, above) and interpolation weights of the 5th and 95th percentiles.

    The same arithmetic as ``numpy.percentile``'s default "linear" method, so the results agree.
    """
    virtual = (samples - 1) * (np.array([5.0, 95.0]) / 100.0)
    below = np.floor(virtual)
    gamma = virtual - below
    below_index = np.clip(below, 0, samples - 1).astype(np.int64)
    return below_index, np.minimum(below_index + 1, samples - 1), gamma


def _lerp(low: FloatArray, high: FloatArray, gamma: FloatArray) -> FloatArray:
    """numpy's interpolation between neighbouring order statistics (exact at both ends)."""
    diff = high - low
    out = low + diff * gamma
    np.subtract(high, diff * (1.0 - gamma), out=out, where=np.broadcast_to(gamma >= 0.5, out.shape))
    return out


def _order_pair(rows: IntArray, first: int, second: int) -> tuple[IntArray, IntArray]:
    """The ``first``-th and ``second``-th smallest (0-based; ``second`` is ``first`` or ``first + 1``) of
    each row of ``rows``, which is reordered in place.

    One single-position ``partition`` per pair (numpy selects one position several times faster than a
    list of them); the neighbour is then the extreme of the shorter side.
    """
    if second < rows.shape[1] - 1 - first:
        rows.partition(second, axis=1)
        high = rows[:, second].copy()
        return (rows[:, :second].max(axis=1) if first < second else high), high
    rows.partition(first, axis=1)
    low = rows[:, first].copy()
    return low, (rows[:, first + 1 :].min(axis=1) if first < second else low)


def _percentiles(
    scores: FloatArray, *, overwrite: bool = False, means: FloatArray | None = None
) -> FloatArray:
    """Return the ``(n, 2)`` 5th and 95th percentiles of each column of ``scores`` ``(samples, n)``.

    Exact, and equal to ``numpy.percentile`` (linear method); the selection runs on the scores' bit
    patterns as integers, which order like the (nonnegative) scores and partition faster than floats.
    With ``overwrite`` and scores stored vendor by vendor (each vendor's samples contiguous, as
    :func:`_simulate` stores them), each vendor's samples are reordered in place instead of copied, a
    few vendors at a time so that both selections run while they are in the cache; ``means``, if given,
    receives each column's mean, taken in the same visit.
    """
    samples, n = scores.shape
    below, above, gamma = _percentile_plan(samples)
    by_vendor = scores.T
    in_place = overwrite and by_vendor.strides[1] == by_vendor.itemsize
    step = _PERCENTILE_ROWS if in_place else _PERCENTILE_BLOCK
    out = np.empty((n, 2))
    for lo in range(0, n, step):
        block = by_vendor[lo : lo + step]
        rows = block if in_place else np.array(block, order="C")
        if means is not None:
            means[lo : lo + step] = rows.mean(axis=1)
        keys = rows.view(np.int64)
        pairs = [_order_pair(keys, int(a), int(b)) for a, b in zip(below, above, strict=True)]
        low = np.column_stack([pair[0] for pair in pairs]).view(np.float64)
        high = np.column_stack([pair[1] for pair in pairs]).view(np.float64)
        out[lo : lo + step] = _lerp(low, high, gamma)
    return out


def _check_sampling(samples: int, concentration: float, chunk: int | None) -> None:
    if samples < 1:
        raise ValueError(f"samples must be at least 1, got {samples}")
    if not (np.isfinite(concentration) and concentration > 0.0):
        raise ValueError(f"concentration must be positive and finite, got {concentration!r}")
    if chunk is not None and chunk < 1:
        raise ValueError(f"chunk must be at least 1, got {chunk}")


def monte_carlo(
    grades: ArrayLike,
    weights: ArrayLike,
    segment: ArrayLike,
    eligible: ArrayLike,
    *,
    missing: Missing = "zero",
    samples: int = DEFAULT_SAMPLES,
    seed: int = DEFAULT_SEED,
    concentration: float = DEFAULT_CONCENTRATION,
    chunk: int | None = None,
    score_bounds: tuple[ArrayLike, ArrayLike] | None = None,
    rank_depth: int | None = None,
) -> MonteCarloResult:
    """Rank probabilities of every vendor when the criterion weights are uncertain.

    Each sample draws a whole weight vector from a Dirichlet distribution centred on ``weights``: its mean
    is ``weights`` and ``concentration`` (K) sets how far it strays. In plain words, a weight ``w`` moves
    by about ``sqrt(w * (1 - w) / (K + 1))`` (one standard deviation): with the default K = 100 a 10 %
    weight typically lands between 7 % and 13 % (about ±3 points), a 30 % weight moves by about ±4.6
    points; a larger K keeps the weights closer to the chosen ones. Criteria with weight 0 stay at 0.
    Every sample is scored and ranked in each segment among its eligible vendors; one sample matrix serves
    all segments.

    Args:
        grades: ``(n, m)`` grades on 0..5, NaN for not scored.
        weights: ``(m,)`` effective criterion weights summing to 1.
        segment: ``(n,)`` integer segment codes; vendors are ranked only within their segment.
        eligible: ``(n,)`` booleans; only eligible vendors are ranked (others still get score figures).
        missing: ``"zero"`` or ``"exclude"``, as in :func:`evaltool.sensitivity.wsm.wsm_scores`.
        samples: number of weight vectors drawn.
        seed: seed of ``numpy.random.default_rng``; the same seed gives the same result.
        concentration: K above.
        chunk: samples processed at a time (default: chosen from the sizes so that temporaries stay
            under about 200 MB). It does not change the draws, so the result is the same (the scores
            at most in the last bit, should the BLAS round a differently sized block differently).
        score_bounds: optional ``(lo, hi)``, each ``(n, m)``: the assessors' lowest and highest grade per
            cell. Each sample then also draws every grade uniformly in ``[lo, hi]`` (cells with
            ``lo == hi`` or a NaN bound keep their grade, NaN grades stay NaN). Those draws come from a
            stream spawned from ``seed``, so the weight draws are the same with or without bounds.
        rank_depth: how many ranks get a probability (default ``RANK_DEPTH``). A segment with more
            eligible vendors gets its first ``rank_depth`` ranks only (the result's ``rank_depth`` says
            how many), found by a partial selection per sample instead of a full sort; P(rank 1) and
            every reported probability stay exact.

    Memory: the scores of all samples are kept for the exact percentiles (8 bytes x samples x vendors,
    80 MB for 10,000 x 1,000), plus one chunk's temporaries.
    """
    _check_missing(missing)
    _check_sampling(samples, concentration, chunk)
    if rank_depth is not None and rank_depth < 1:
        raise ValueError(f"rank_depth must be at least 1, got {rank_depth}")
    g = _grades(grades)
    n, m = g.shape
    w = _weights(weights, m)
    seg = _vendor_vector(segment, n, "segment", np.int64).astype(np.int64)
    elig = _vendor_vector(eligible, n, "eligible", np.bool_).astype(np.bool_)
    model = _model(g, w, missing, float(concentration))
    jitter = None
    if score_bounds is not None:
        model, jitter = _jittered(model, g, score_bounds, w)
    members = list(_segment_members(seg, elig).values())
    largest = max((idx.size for idx in members), default=0)
    depth = min(largest, RANK_DEPTH if rank_depth is None else rank_depth)
    scores, counts = _simulate(
        model, jitter, members, samples, seed, chunk or _chunk_size(model, jitter), depth
    )
    return _summarise(scores, counts, members, n, largest, seed, float(concentration), depth)


def _simulate(
    model: _Model,
    jitter: _Jitter | None,
    members: list[IntArray],
    samples: int,
    seed: int,
    chunk: int,
    depth: int | None = None,
) -> tuple[FloatArray, list[IntArray]]:
    """Draw, score and rank all samples chunk by chunk; return all scores and per-segment rank counts.

    The counts of each segment cover its first ``depth`` ranks (default: all). The scores are stored
    vendor by vendor (BLAS writes each chunk there directly) and come back as a ``(samples, n)`` view, so
    that the percentiles select along contiguous rows; each chunk is ranked a cache-sized slice of
    samples at a time, its sort keys built transposed into a reused buffer.
    """
    rng = np.random.default_rng(seed)
    grade_rng = rng.spawn(1)[0]  # a separate stream: grade draws never shift the weight draws
    n = model.points.shape[0]
    by_vendor = np.empty((n, _unaliased(samples)))[:, :samples]
    rows = min(_rank_rows(n), chunk, samples)
    counts = [np.zeros((min(idx.size, depth or idx.size), idx.size), dtype=np.int64) for idx in members]
    keys = [_key_buffer(rows, n if 2 * idx.size > n else idx.size) for idx in members]
    for lo in range(0, samples, chunk):
        block = by_vendor[:, lo : lo + chunk].T  # this chunk's (samples, n), stored vendor by vendor
        _score_block(model, rng.dirichlet(model.alpha, size=block.shape[0]), block, jitter, grade_rng)
        for start in range(0, block.shape[0], rows):
            part = block[start : start + rows]
            for idx, count, scratch in zip(members, counts, keys, strict=True):
                scratch_rows = scratch[: part.shape[0]]
                if 2 * idx.size > n:  # most of the vendors: rank in place, leaving the others out
                    count += _rank_counts(
                        part, depth, keys=scratch_rows, among=None if idx.size == n else idx
                    )
                else:  # a segment's scores are runs of contiguous samples: gathered as rows
                    count += _rank_counts(np.take(part.T, idx, axis=0).T, depth, keys=scratch_rows)
    return by_vendor.T, counts


def _summarise(
    scores: FloatArray,
    counts: list[IntArray],
    members: list[IntArray],
    n: int,
    largest: int,
    seed: int,
    concentration: float,
    depth: int | None = None,
) -> MonteCarloResult:
    """The result from all ``scores`` ``(samples, n)`` and each segment's ``(rank, vendor)`` counts.

    ``depth`` (default: ``largest``) is the number of ranks reported; counts may have more rows (only
    the first ``depth`` are used) or fewer (the ranks beyond them are not counted). ``scores`` is used
    up: each vendor's samples may be reordered while the percentiles are selected.
    """
    samples = scores.shape[0]
    width = largest if depth is None else min(depth, largest)
    probabilities = np.zeros((n, width))
    for idx, count in zip(members, counts, strict=True):
        ranks = min(width, count.shape[0])
        probabilities[idx, :ranks] = count[:ranks].T / samples  # count is (rank, vendor)
    p_top = probabilities[:, 0].copy() if width else np.zeros(n)
    mean = np.empty(n)
    arrays = (probabilities, p_top, _percentiles(scores, overwrite=True, means=mean), mean)
    for arr in arrays:
        arr.flags.writeable = False  # the result is a value: frozen all the way down
    return MonteCarloResult(samples, seed, concentration, *arrays, rank_depth=width)
