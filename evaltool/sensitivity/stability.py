"""Weight sensitivity of a weighted-sum (WSM) ranking: Monte Carlo rank probabilities and exact flip points.

A pure numerical core (docs/scoring.md#sensitivity): plain numpy arrays in, frozen values out; no I/O.
An adapter turns a scoring result into these arrays and these values into JSON, tables and charts.

The model: ``n`` vendors, ``m`` criteria. ``grades`` is an ``(n, m)`` array on 0..5 with NaN for "not
scored"; ``weights`` the ``(m,)`` effective criterion weights (they sum to 1). A vendor's WSM score is
``100 * sum_j w_j g_j / 5``: under the missing policy ``"zero"`` a NaN grade counts 0; under ``"exclude"``
the sum runs over the scored criteria and is divided by their weight share (0 if the vendor has no scored
criterion of positive weight). Vendors are ranked only within their ``segment`` (integer codes) and only
if ``eligible``; the ranking is competition ranking, higher is better, and scores within
``TIE_TOLERANCE`` of each other share a rank (near-ties chain: each vendor is compared with the next one
down).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
from numpy.typing import ArrayLike, NDArray

from evaltool.defaults import DEFAULT_CONCENTRATION, DEFAULT_SAMPLES, DEFAULT_SEED

if TYPE_CHECKING:
    from evaltool.models import Missing

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.int64]
BoolArray = NDArray[np.bool_]

TIE_TOLERANCE = 1e-9
"""Scores closer than this (in points on the 0..100 scale) are a tie."""

_POINTS_PER_GRADE = 100.0 / 5.0
_WEIGHT_SUM_TOLERANCE = 1e-6
_LEAD_TOLERANCE = 1e-12  # a challenger "scores strictly higher" when ahead by more than rounding noise
_SAME_POINT = 1e-9  # flip points of two challengers closer than this are the same point
_TEMP_BYTES = 192 * 2**20  # budget for the temporary arrays of one chunk of samples
_RANK_BYTES = 4 * 2**20  # scores ranked at a time: few enough to stay in the cache
_KEY_BITS_MAX = 11  # up to 2**11 vendors per segment ride in the low mantissa bits of a sort key
_PERCENTILE_BLOCK = 256  # vendors per block when taking percentiles over the samples
_PERCENTILE_ROWS = 16  # vendors at a time when selecting in place: their samples stay in the L2 cache

RANK_DEPTH = 100
"""Ranks with a Monte Carlo probability: every rank of a segment of up to this many eligible vendors,
the first ``RANK_DEPTH`` of a larger one (see :attr:`MonteCarloResult.rank_depth`)."""


# --------------------------------------------------------------------------------------------------
# Input checks


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


# --------------------------------------------------------------------------------------------------
# WSM scores


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
    """Return each vendor's WSM score (0..100) for one weight vector, as the rest of this module sees it.

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


# --------------------------------------------------------------------------------------------------
# Monte Carlo


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


def _unaliased(length: int) -> int:
    """The shortest row length (in float64s) of at least ``length`` whose rows start an odd number of
    cache lines apart. Rows a power of two of bytes apart (8 KiB for 1,024 samples) map to the same cache
    sets, and a copy that walks down the columns of such an array runs several times slower."""
    lines = -(-length // 8)
    return 8 * (lines | 1)


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


def _key_buffer(rows: int, k: int) -> IntArray:
    """Scratch for ``(rows, k)`` sort keys: contiguous rows of an unaliased length (see _unaliased)."""
    return np.empty((rows, _unaliased(k)), dtype=np.int64)[:, :k]


def _descending_keys(scores: FloatArray, bits: int, out: IntArray | None = None) -> IntArray:
    """Integer keys whose ascending order is the descending order of ``scores`` ``(s, k)``, one row each.

    For nonnegative floats the IEEE bit pattern read as an integer orders like the value; its low
    ``bits`` mantissa bits are replaced by the column index and the whole is inverted (``~x == -x - 1``
    reverses the order). One plain integer sort per row then yields the order, the column at each place
    (low bits) and the value (high bits): no argsort, no gather. Giving up ``bits <= 11`` mantissa bits
    costs at most about 3e-11 points, far below ``TIE_TOLERANCE``.

    The keys go to ``out`` or a new buffer: rows contiguous whatever the layout of ``scores`` (a row-wise
    sort of a column-major array, such as ``block[:, idx]`` gives, walks memory with a stride and runs
    many times slower).
    """
    s, k = scores.shape
    low = np.int64((1 << bits) - 1)
    keys = _key_buffer(s, k) if out is None else out
    # Two passes: set the low bits, then one XOR inverts the high bits and writes the inverted column
    # index into the low ones: ~((x & ~low) | j) == (x | low) ^ (~low | j).
    np.bitwise_or(scores.view(np.int64), low, out=keys)
    return np.bitwise_xor(keys, ~low | np.arange(k, dtype=np.int64), out=keys)


def _decode_keys(keys: IntArray, bits: int) -> tuple[IntArray, FloatArray]:
    """Split sorted keys (overwritten) into the column at each place and the value there."""
    np.invert(keys, out=keys)
    mask = np.int64((1 << bits) - 1)
    order = keys & mask
    keys &= ~mask
    return order, keys.view(np.float64)


def _ranks(descending: FloatArray) -> IntArray:
    """0-based competition rank of each place of each row of ``descending`` ``(s, k)``, sorted high to low.

    Without ties the rank is the place; a value within ``TIE_TOLERANCE`` of the one above it takes that
    one's rank (near-ties chain), so a rank depends only on the places above it.
    """
    s, k = descending.shape
    ranks = np.broadcast_to(np.arange(k, dtype=np.int64), (s, k))
    tied = descending[:, :-1] - descending[:, 1:] <= TIE_TOLERANCE
    rows = np.flatnonzero(tied.any(axis=1))
    if rows.size == 0:
        return ranks
    ranks = ranks.copy()
    starts = np.where(tied[rows], 0, ranks[0, 1:])
    ranks[rows, 1:] = np.maximum.accumulate(starts, axis=1)
    return ranks


def _key_bits(k: int) -> int:
    return max(1, (k - 1).bit_length())


def _top_places(
    scores: FloatArray, places: int, keys: IntArray | None, left_out: BoolArray | None = None
) -> tuple[IntArray, FloatArray]:
    """For each row of ``scores`` ``(s, k)``, the columns of its first ``places`` places from high to low
    and the values there. All places take one integer sort per row; fewer take a partial selection
    (``partition``, linear in k) and a sort of the ``places`` selected. Columns marked in ``left_out``
    (integer keys only) take no place: their keys sort after every other."""
    k = scores.shape[1]
    bits = _key_bits(k)
    if bits > _KEY_BITS_MAX and places == k:
        order = np.argsort(scores, axis=1)[:, ::-1]
        return order, np.take_along_axis(scores, order, axis=1)
    if bits > _KEY_BITS_MAX:
        chosen = np.argpartition(scores, k - places, axis=1)[:, k - places :]
        values = np.take_along_axis(scores, chosen, axis=1)
        inner = np.argsort(values, axis=1)[:, ::-1]
        return np.take_along_axis(chosen, inner, axis=1), np.take_along_axis(values, inner, axis=1)
    keys = _descending_keys(scores, bits, keys)
    if left_out is not None:
        keys[:, left_out] = np.iinfo(np.int64).max  # every real key is negative (the sign bit is set)
    if places == k:
        keys.sort(axis=1)
        return _decode_keys(keys, bits)
    keys.partition(places - 1, axis=1)
    return _decode_keys(np.sort(keys[:, :places], axis=1), bits)


def _rank_counts(
    scores: FloatArray,
    depth: int | None = None,
    *,
    keys: IntArray | None = None,
    among: IntArray | None = None,
) -> IntArray:
    """Count how often each column of ``scores`` ``(s, k)`` takes each of the first ``depth`` ranks.

    Returns a ``(d, k)`` array, ``d = min(depth, k)`` (default: every rank, ``(k, k)``). With ``d < k``
    only the first ``d + 1`` places of each row are selected and sorted. Their ranks are exact, as a rank
    depends only on the places above it; the rare row whose place ``d + 1`` still ties into rank ``d`` or
    better (a chain of near-ties across the cut) is ranked in full.

    ``among``: rank only these columns (ascending indices; the others are left out as if absent), and
    count for them alone: ``k`` is then ``among.size``. Cheaper than ranking a copy of those columns when
    they are most of the block. ``keys``: optional int64 scratch of the block's shape with contiguous
    rows, reused by a caller that ranks block after block.
    """
    width = scores.shape[1]
    if among is not None and _key_bits(width) > _KEY_BITS_MAX:
        return _rank_counts(np.take(scores, among, axis=1), depth)
    k = width if among is None else among.size
    d = k if depth is None else min(depth, k)
    left_out = None
    if among is not None:
        left_out = np.ones(width, dtype=bool)
        left_out[among] = False
    order, descending = _top_places(scores, min(k, d + 1), keys, left_out)
    if among is not None:
        local = np.zeros(width, dtype=np.int64)
        local[among] = np.arange(k)
        order = local[order]
    ranks = _ranks(descending)
    flat = ranks[:, :d] * k + order[:, :d]
    spill = ranks[:, d] < d if d < k else np.zeros(0, dtype=bool)
    if not spill.any():
        return np.bincount(flat.ravel(), minlength=d * k).reshape(d, k)
    counts = np.bincount(flat[~spill].ravel(), minlength=d * k).reshape(d, k)
    return counts + _rank_counts(scores[spill], among=among)[:d]


def _chunk_size(model: _Model, jitter: _Jitter | None) -> int:
    """Samples drawn and scored at a time, so that one chunk's temporary arrays stay within
    ``_TEMP_BYTES``: as many as that allows, since a multi-threaded BLAS pays a hand-over on every call
    (and, on a busy machine, its waiting threads take the cores the rest of the work needs)."""
    n, p = model.points.shape
    per_sample = 16 * p + (16 * n if model.scored is not None else 0)
    if jitter is not None:
        per_sample += 24 * jitter.columns.size + 16 * jitter.rows.size
    return int(max(1, _TEMP_BYTES // per_sample))


def _rank_rows(n: int) -> int:
    """Samples ranked at a time, so that their scores and sort keys stay in the cache (but at least 120,
    so that thousands of vendors in many segments do not turn into many thousands of small calls); 8
    times an odd number (see :func:`_unaliased`)."""
    rows = max(120, _RANK_BYTES // (8 * n))
    return 8 * ((rows // 8 - 1) | 1)


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
        missing: ``"zero"`` or ``"exclude"``, as in :func:`wsm_scores`.
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


# --------------------------------------------------------------------------------------------------
# Flip points


@dataclass(frozen=True)
class FlipPoint:
    """How far one criterion's (or category's) weight can move before a segment's leader changes."""

    weight: float
    """The current effective weight of the criterion or group."""
    leader_changes_at: float | None
    """The weight t in [0, 1] nearest to ``weight`` at which another eligible vendor scores strictly
    higher than the leader (the boundary value, an infimum); None if there is none or ``weight`` is 1."""
    new_leader: int | None
    """Index of the vendor that then leads: the highest score just past ``leader_changes_at``."""


@dataclass(frozen=True)
class _Path:
    """Each vendor's score along a weight path t -> w(t), t in [0, 1]: N(t) / D(t).

    N and D are linear in t and stored by their values at t = 0 and t = 1; under "zero" D is 1. A vendor
    with no scored criterion anywhere on the path gets N = 0, D = 1 (score 0, as the convention says);
    if D is 0 only at one end, the score there is 0 while nearby it is not.
    """

    num0: FloatArray
    num1: FloatArray
    den0: FloatArray
    den1: FloatArray

    def score(self, vendors: IntArray, t: float | FloatArray) -> FloatArray:
        """Scores of ``vendors`` at ``t`` (broadcast together)."""
        num = (1.0 - t) * self.num0[vendors] + t * self.num1[vendors]
        den = (1.0 - t) * self.den0[vendors] + t * self.den1[vendors]
        return _ratio(num, den)

    def lead(self, vendors: IntArray, other: int | IntArray, t: float | FloatArray) -> FloatArray:
        """How many points ``vendors`` are ahead of ``other`` at ``t``."""
        return self.score(vendors, t) - self.score(np.asarray(other), t)

    def crossing(self, vendors: IntArray, other: int | IntArray) -> tuple[FloatArray, ...]:
        """Coefficients (a, b, c) of q(t) = N_v D_o - N_o D_v = a t² + b t + c, which has the sign of
        score(v) - score(o) wherever both denominators are positive (everywhere inside (0, 1))."""
        nv, dv = self.num0[vendors], self.den0[vendors]
        no, do = self.num0[other], self.den0[other]
        snv, sdv = self.num1[vendors] - nv, self.den1[vendors] - dv
        sno, sdo = self.num1[other] - no, self.den1[other] - do
        return snv * sdo - sno * sdv, nv * sdo + snv * do - no * sdv - sno * dv, nv * do - no * dv


def _unit_roots(a: FloatArray, b: FloatArray, c: FloatArray) -> FloatArray:
    """Real roots in the open interval (0, 1) of a t² + b t + c, row by row; ``(k, 2)``, NaN where none.

    Uses the cancellation-free form (roots q/a and c/q, q = -(b + sign(b) sqrt(b² - 4ac)) / 2), which stays
    accurate when a is tiny; a == 0 exactly (always so under "zero") is the linear case -c/b.
    """
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        disc = b * b - 4.0 * a * c
        q = -0.5 * (b + np.copysign(np.sqrt(np.where(disc >= 0.0, disc, np.nan)), b))
        quadratic = np.column_stack([q / a, c / q])
        linear = np.column_stack([-c / b, np.full(a.shape, np.nan)])
        roots = np.where((a == 0.0)[:, None], linear, quadratic)
        return np.where((roots > 0.0) & (roots < 1.0), roots, np.nan)


def _rival_reach(path: _Path, rivals: IntArray, leader: int, weight: float) -> tuple[FloatArray, FloatArray]:
    """For each rival, the nearest t above and below ``weight`` where it is strictly ahead of the leader.

    Returns ``(up, down)``: the infimum of {t >= weight: ahead} (inf if empty) and the supremum of
    {t <= weight: ahead} (-inf if empty). [0, 1] is cut at 0, ``weight``, 1 and the roots of q; between
    cuts the sign of the lead is constant, so one probe in the middle decides each piece. The cut points
    themselves are probed too (a rival may be ahead exactly at ``weight``, or only at an end where a
    denominator vanishes).
    """
    k = rivals.size
    cuts = np.column_stack([np.zeros(k), np.full(k, weight), _unit_roots(*path.crossing(rivals, leader))])
    cuts = np.sort(np.column_stack([cuts, np.ones(k)]), axis=1)  # NaN roots sort last
    left, right = cuts[:, :-1], cuts[:, 1:]
    middle = 0.5 * (left + np.where(right > left, right, left))  # NaN ends: a NaN middle, no piece
    # A piece too short to have a middle strictly inside is no piece: its "middle" would be a cut, where
    # the score may follow another rule (a vanishing denominator at 0 or 1).
    piece = (left < middle) & (middle < right)
    ahead = piece & (path.lead(rivals[:, None], leader, np.where(piece, middle, weight)) > _LEAD_TOLERANCE)
    up = np.where(ahead & (left >= weight), left, np.inf).min(axis=1)
    down = np.where(ahead & (right <= weight), right, -np.inf).max(axis=1)
    for t in (0.0, weight, 1.0):
        at = path.lead(rivals, leader, t) > _LEAD_TOLERANCE
        up = np.where(at & (t >= weight), np.minimum(up, t), up)
        down = np.where(at & (t <= weight), np.maximum(down, t), down)
    return up, down


def _ahead_after(path: _Path, first: int, second: int, t: float, step: int) -> bool:
    """Whether ``first`` scores strictly higher than ``second`` just past ``t`` in direction ``step``."""
    roots = _unit_roots(*path.crossing(np.array([first]), second))[0]
    beyond = roots[step * (roots - t) > _SAME_POINT]
    end = float(np.min(step * beyond)) * step if beyond.size else (1.0 if step > 0 else 0.0)
    return bool(path.lead(np.array([first]), second, 0.5 * (t + end))[0] > _LEAD_TOLERANCE)


def _new_leader(
    path: _Path, candidates: IntArray, leader: int, flippers: IntArray, t: float, step: int
) -> int:
    """The vendor that leads once the leader has lost: at ``t`` itself if someone is already ahead
    there, else just past ``t`` (the best of the rivals that overtake at ``t``)."""
    at_t = path.score(candidates, t)
    if np.any(at_t - path.score(np.array([leader]), t) > _LEAD_TOLERANCE):
        return int(candidates[int(np.argmax(at_t))])
    best = int(flippers[0])
    for rival in flippers[1:]:
        if _ahead_after(path, int(rival), best, t, step):
            best = int(rival)
    return best


def _flip(path: _Path, candidates: IntArray, leader: int, weight: float) -> FlipPoint:
    """The flip point of one group in one segment (see :func:`flip_point`)."""
    rivals = candidates[candidates != leader]
    if weight >= 1.0 - 1e-12 or rivals.size == 0:
        return FlipPoint(weight=weight, leader_changes_at=None, new_leader=None)
    up, down = _rival_reach(path, rivals, leader, weight)
    t_up, t_down = float(up.min()), float(down.max())
    if np.isinf(t_up) and np.isinf(t_down):
        return FlipPoint(weight=weight, leader_changes_at=None, new_leader=None)
    # The nearer side wins; at equal distance the lower weight is reported.
    t, step, reach = (t_down, -1, down) if weight - t_down <= t_up - weight else (t_up, 1, up)
    flippers = rivals[np.abs(reach - t) <= _SAME_POINT]
    return FlipPoint(
        weight=weight,
        leader_changes_at=t,
        new_leader=_new_leader(path, candidates, leader, flippers, t, step),
    )


def _paths(
    grades: FloatArray, weights: FloatArray, directions: FloatArray, missing: Missing
) -> tuple[_Path, FloatArray]:
    """Score paths for every direction row (columns of the path arrays) and the groups' current weights.

    Along a path the group's weight is t, spread inside the group by ``direction``, and the other
    criteria share 1 - t in their current proportions: w(t) = t d + (1 - t) r, r = the weights outside
    the group divided by 1 - w. This equals the form t d + (1 - t)/(1 - w) (weights - w d) of flip_point
    because inside the group the weights are w d.
    """
    support = directions > 0.0
    group = np.where(support, weights, 0.0).sum(axis=1)
    rest = np.where(support, 0.0, weights)
    outside = 1.0 - group
    start = rest / np.where(outside > 1e-12, outside, 1.0)[:, None]  # w(0); unused when the group is all
    points = _points(grades)
    num0, num1 = points @ start.T, points @ directions.T
    if missing == "zero":
        ones = np.ones_like(num0)
        return _Path(num0, num1, ones, ones), group
    scored = _scored(grades)
    den0, den1 = scored @ start.T, scored @ directions.T
    nowhere = (den0 <= 0.0) & (den1 <= 0.0)
    return _Path(
        np.where(nowhere, 0.0, num0),
        np.where(nowhere, 0.0, num1),
        np.where(nowhere, 1.0, den0),
        np.where(nowhere, 1.0, den1),
    ), group


def _directions(directions: ArrayLike, weights: FloatArray) -> FloatArray:
    """Check the ``(g, m)`` direction rows: nonnegative, summing to 1, proportional to the weights inside
    their support (a category's within-category shares; a criterion's unit vector)."""
    d = np.array(directions, dtype=np.float64)
    if d.ndim != 2 or d.shape[1] != weights.size:
        raise ValueError(f"directions must have shape (groups, {weights.size}), got {d.shape}")
    if not np.all(np.isfinite(d)) or np.any(d < 0.0) or np.any(np.abs(d.sum(axis=1) - 1.0) > 1e-9):
        raise ValueError("each direction must be nonnegative and sum to 1")
    group = np.where(d > 0.0, weights, 0.0).sum(axis=1)
    inside = np.where(d > 0.0, weights - group[:, None] * d, 0.0)
    if np.any(np.abs(inside) > 1e-9):
        raise ValueError("a direction must be proportional to the current weights inside its group")
    return d


def flip_point(
    grades: ArrayLike,
    weights: ArrayLike,
    direction: ArrayLike,
    candidates: ArrayLike,
    leader: int,
    *,
    missing: Missing = "zero",
) -> FlipPoint:
    """The weight at which a segment's leader changes when one criterion's (or group's) weight moves.

    The group's weight w (the weights summed over the support of ``direction``) becomes t in [0, 1],
    spread inside the group by ``direction``; every other weight is scaled by (1 - t) / (1 - w):
    w(t) = t d + (1 - t) / (1 - w) (weights - w d). The result is the t nearest to w at which some
    candidate scores strictly higher than ``leader`` (exact: under "zero" each score is linear in t; under
    "exclude" a ratio of linear functions, so "ahead" is a quadratic inequality solved in closed form).

    Args:
        grades: ``(n, m)`` grades on 0..5, NaN for not scored.
        weights: ``(m,)`` effective criterion weights summing to 1.
        direction: ``(m,)`` nonnegative, summing to 1: the unit vector e_k for criterion k; for a category
            the within-category shares of its criteria.
        candidates: indices of the eligible vendors of one segment (the leader among them).
        leader: index of the segment's current rank-1 vendor (ties already broken by the caller).
        missing: ``"zero"`` or ``"exclude"``.
    """
    _check_missing(missing)
    g = _grades(grades)
    w = _weights(weights, g.shape[1])
    d = _directions(np.asarray(direction, dtype=np.float64)[None, :], w)
    members = np.unique(np.asarray(candidates, dtype=np.int64))
    if leader not in members:
        raise ValueError(f"leader {leader} is not among the candidates")
    paths, group = _paths(g, w, d, missing)
    return _flip(_column(paths, 0), members, int(leader), float(group[0]))


def _column(paths: _Path, j: int) -> _Path:
    return _Path(paths.num0[:, j], paths.num1[:, j], paths.den0[:, j], paths.den1[:, j])


def flip_points(
    grades: ArrayLike,
    weights: ArrayLike,
    groups: ArrayLike,
    segment: ArrayLike,
    eligible: ArrayLike,
    leaders: Mapping[int, int],
    *,
    missing: Missing = "zero",
) -> dict[int, list[FlipPoint]]:
    """Flip points of every group in every segment, as :func:`flip_point` computes them.

    Args:
        grades: ``(n, m)`` grades on 0..5, NaN for not scored.
        weights: ``(m,)`` effective criterion weights summing to 1.
        groups: ``(g, m)`` direction rows: the identity matrix for one flip point per criterion; one row
            of within-category shares per category for category flip points.
        segment: ``(n,)`` integer segment codes.
        eligible: ``(n,)`` booleans; the candidates of a segment are its eligible vendors.
        leaders: segment code -> index of its rank-1 vendor (ties broken by the caller), for each segment
            to analyse.
        missing: ``"zero"`` or ``"exclude"``.

    Returns:
        segment code -> one :class:`FlipPoint` per row of ``groups``, in row order.
    """
    _check_missing(missing)
    g = _grades(grades)
    n, m = g.shape
    w = _weights(weights, m)
    d = _directions(groups, w)
    members = _segment_members(
        _vendor_vector(segment, n, "segment", np.int64).astype(np.int64),
        _vendor_vector(eligible, n, "eligible", np.bool_).astype(np.bool_),
    )
    for code, leader in leaders.items():
        if code not in members or leader not in members[code]:
            raise ValueError(f"leader {leader} is not an eligible vendor of segment {code}")
    paths, group = _paths(g, w, d, missing)
    result: dict[int, list[FlipPoint]] = {code: [] for code in leaders}
    for j in range(d.shape[0]):
        path = _column(paths, j)
        for code, leader in leaders.items():
            result[code].append(_flip(path, members[code], int(leader), float(group[j])))
    return result
