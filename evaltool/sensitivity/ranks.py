"""Counting how often each vendor takes each rank over many weight samples, for both methods.

The ranking is competition ranking, higher is better, and scores within ``TIE_TOLERANCE`` of each other
share a rank; near-ties chain, each vendor compared with the next one down (docs/scoring.md#ranks-and-ties).
"""

from __future__ import annotations

import numpy as np

from evaltool.sensitivity.inputs import TIE_TOLERANCE, BoolArray, FloatArray, IntArray

_RANK_BYTES = 4 * 2**20  # scores ranked at a time: few enough to stay in the cache
_KEY_BITS_MAX = 11  # up to 2**11 vendors per segment ride in the low mantissa bits of a sort key


def _unaliased(length: int) -> int:
    """The shortest row length (in float64s) of at least ``length`` whose rows start an odd number of
    cache lines apart. Rows a power of two of bytes apart (8 KiB for 1,024 samples) map to the same cache
    sets, and a copy that walks down the columns of such an array runs several times slower."""
    lines = -(-length // 8)
    return 8 * (lines | 1)


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


def _rank_rows(n: int) -> int:
    """Samples ranked at a time, so that their scores and sort keys stay in the cache (but at least 120,
    so that thousands of vendors in many segments do not turn into many thousands of small calls); 8
    times an odd number (see :func:`_unaliased`)."""
    rows = max(120, _RANK_BYTES // (8 * n))
    return 8 * ((rows // 8 - 1) | 1)
