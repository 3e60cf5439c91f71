"""Tests of evaltool.sensitivity: Monte Carlo rank probabilities and exact flip points."""

from __future__ import annotations

import math
import subprocess
import sys

import numpy as np
import pytest

from evaltool.sensitivity import ranks, stability
from evaltool.sensitivity.flips import FlipPoint, flip_point, flip_points
from evaltool.sensitivity.stability import MonteCarloResult, monte_carlo
from evaltool.sensitivity.wsm import wsm_scores

EPS = 1e-7


# --------------------------------------------------------------------------------------------------
# Helpers: an independent re-scoring, written from the definition


def rescore(grades: np.ndarray, weight_rows: np.ndarray, missing: str) -> np.ndarray:
    """WSM scores (n, T) for T weight vectors (T, m), straight from the definition."""
    points = np.nan_to_num(grades) * 100.0 / 5.0
    num = points @ weight_rows.T
    if missing == "zero":
        return num
    den = (~np.isnan(grades)).astype(float) @ weight_rows.T
    return np.where(den > 0, num / np.where(den > 0, den, 1.0), 0.0)


def moved(weights: np.ndarray, direction: np.ndarray, ts: np.ndarray) -> np.ndarray:
    """The moved weight vectors w(t) = t d + (1 - t)/(1 - w) (weights - w d) of docs/scoring.md#flip-points,
    one row per t.

    Inside the group weights - w d is 0 by the algebra (d holds the group's own shares); it is set to
    exactly 0, else a rounding residue of 1e-17 would count as "scored with positive weight" under
    "exclude" at t = 0.
    """
    w = weights[direction > 0].sum()
    rest = np.where(direction > 0, 0.0, weights - w * direction)
    ts = np.asarray(ts, dtype=float)[:, None]
    return ts * direction + (1.0 - ts) / (1.0 - w) * rest


def random_case(rng: np.random.Generator, n: int, m: int) -> tuple[np.ndarray, np.ndarray]:
    grades = rng.uniform(0.0, 5.0, (n, m))
    weights = rng.dirichlet(np.ones(m))
    return grades, weights


def mc(grades, weights, segment=None, eligible=None, **kw) -> MonteCarloResult:
    n = len(grades)
    segment = np.zeros(n, int) if segment is None else segment
    eligible = np.ones(n, bool) if eligible is None else eligible
    kw.setdefault("samples", 2_000)
    return monte_carlo(grades, weights, segment, eligible, **kw)


# --------------------------------------------------------------------------------------------------
# WSM scores


def test_wsm_scores_zero_and_exclude():
    grades = np.array([[5.0, np.nan], [2.0, 4.0], [np.nan, np.nan]])
    weights = np.array([0.6, 0.4])
    np.testing.assert_allclose(wsm_scores(grades, weights), [60.0, 56.0, 0.0])
    np.testing.assert_allclose(wsm_scores(grades, weights, missing="exclude"), [100.0, 56.0, 0.0])


def test_exclude_ignores_scored_criteria_of_zero_weight():
    grades = np.array([[np.nan, 5.0]])
    assert wsm_scores(grades, np.array([1.0, 0.0]), missing="exclude")[0] == 0.0


@pytest.mark.parametrize(
    ("grades", "weights", "message"),
    [
        ([[1.0, 2.0]], [0.5, 0.6], "sum to 1"),
        ([[1.0, 2.0]], [1.5, -0.5], "nonnegative"),
        ([[1.0, 6.0]], [0.5, 0.5], "0..5"),
        ([[1.0, -1.0]], [0.5, 0.5], "0..5"),
        ([1.0, 2.0], [0.5, 0.5], "2-D"),
        ([[1.0, 2.0]], [1.0], "shape"),
    ],
)
def test_bad_inputs_are_refused(grades, weights, message):
    with pytest.raises(ValueError, match=message):
        wsm_scores(grades, weights)


def test_bad_missing_policy_is_refused():
    with pytest.raises(ValueError, match="missing"):
        mc(np.ones((2, 2)), np.array([0.5, 0.5]), missing="median")


# --------------------------------------------------------------------------------------------------
# Monte Carlo


def test_dominant_vendor_always_leads():
    rng = np.random.default_rng(1)
    grades = rng.uniform(0.0, 4.9, (6, 5))
    grades[2] = 5.0
    result = mc(grades, rng.dirichlet(np.ones(5)), concentration=5.0)
    assert result.p_top[2] == 1.0
    assert result.rank_probabilities[2, 0] == 1.0
    assert np.all(np.delete(result.p_top, 2) == 0.0)
    assert np.all(np.delete(result.rank_probabilities[:, 0], 2) == 0.0)


def test_result_shapes_and_metadata():
    rng = np.random.default_rng(2)
    grades, weights = random_case(rng, 7, 4)
    result = mc(grades, weights, samples=300, seed=5, concentration=30.0)
    assert (result.samples, result.seed, result.concentration) == (300, 5, 30.0)
    assert result.rank_probabilities.shape == (7, 7)
    assert result.p_top.shape == result.mean_score.shape == (7,)
    assert result.score_interval.shape == (7, 2)
    np.testing.assert_array_equal(result.p_top, result.rank_probabilities[:, 0])
    with pytest.raises(ValueError, match="read-only"):
        result.p_top[0] = 1.0


def test_rank_probabilities_of_eligible_vendors_sum_to_one():
    rng = np.random.default_rng(3)
    grades, weights = random_case(rng, 12, 5)
    segment = np.array([0, 0, 0, 0, 0, 1, 1, 1, 2, 2, 2, 2])
    eligible = np.ones(12, bool)
    eligible[[1, 6, 9]] = False
    result = mc(grades, weights, segment, eligible, concentration=3.0)
    assert result.rank_probabilities.shape == (12, 4)  # segment 0 has 4 eligible vendors
    np.testing.assert_allclose(result.rank_probabilities[eligible].sum(axis=1), 1.0, rtol=0, atol=1e-12)
    assert np.all(result.rank_probabilities[~eligible] == 0.0)
    # A segment of k vendors never hands out rank k + 1 or beyond.
    assert np.all(result.rank_probabilities[segment == 1, 2:] == 0.0)


def test_not_eligible_vendor_is_never_ranked_even_if_it_scores_highest():
    rng = np.random.default_rng(4)
    grades = rng.uniform(0.0, 4.0, (4, 3))
    grades[0] = 5.0
    eligible = np.array([False, True, True, True])
    result = mc(grades, np.array([0.5, 0.3, 0.2]), eligible=eligible)
    assert result.p_top[0] == 0.0
    assert np.all(result.rank_probabilities[0] == 0.0)
    np.testing.assert_allclose(result.p_top[1:].sum(), 1.0)
    np.testing.assert_allclose(result.score_interval[0], [100.0, 100.0])  # still scored
    assert result.rank_probabilities.shape == (4, 3)


def test_no_eligible_vendor_at_all():
    result = mc(np.full((2, 2), 3.0), np.array([0.5, 0.5]), eligible=np.zeros(2, bool), samples=50)
    assert result.rank_probabilities.shape == (2, 0)
    assert np.all(result.p_top == 0.0)
    np.testing.assert_allclose(result.score_interval, 60.0)


def test_same_seed_same_result_and_other_seed_differs():
    rng = np.random.default_rng(5)
    grades, weights = random_case(rng, 8, 5)
    first, again, other = (mc(grades, weights, seed=s, concentration=20.0) for s in (9, 9, 10))
    for name in ("rank_probabilities", "p_top", "score_interval", "mean_score"):
        np.testing.assert_array_equal(getattr(first, name), getattr(again, name))
    assert not np.array_equal(first.score_interval, other.score_interval)
    assert not np.array_equal(first.rank_probabilities, other.rank_probabilities)


def test_segments_are_ranked_independently():
    rng = np.random.default_rng(6)
    grades, weights = random_case(rng, 9, 4)
    segment = np.array([3, 7, 3, 7, 3, 7, 7, 3, 7])
    both = mc(grades, weights, segment, concentration=10.0)
    for code in (3, 7):
        idx = np.flatnonzero(segment == code)
        alone = mc(grades[idx], weights, concentration=10.0)  # same seed: the same weight samples
        np.testing.assert_array_equal(both.rank_probabilities[idx, : idx.size], alone.rank_probabilities)
        assert np.all(both.rank_probabilities[idx, idx.size :] == 0.0)
    # Every segment has its own leader.
    assert both.p_top[segment == 3].sum() >= 1.0 - 1e-12 and both.p_top[segment == 7].sum() >= 1.0 - 1e-12


def test_huge_concentration_reproduces_the_deterministic_ranking():
    rng = np.random.default_rng(7)
    grades, weights = random_case(rng, 10, 6)
    segment = np.arange(10) % 2
    result = mc(grades, weights, segment, concentration=1e12, samples=500)
    base = wsm_scores(grades, weights)
    for code in (0, 1):
        idx = np.flatnonzero(segment == code)
        order = idx[np.argsort(-base[idx])]
        for rank, vendor in enumerate(order):
            assert result.rank_probabilities[vendor, rank] == 1.0
        assert result.p_top[order[0]] == 1.0
    np.testing.assert_allclose(result.mean_score, base, atol=1e-3)


def test_zero_weights_stay_zero():
    # Vendors 0 and 1 differ only on the weight-0 criterion: if it ever got weight, 0 would lead.
    grades = np.array([[5.0, 3.0, 2.0], [0.0, 3.0, 2.0], [1.0, 1.0, 1.0]])
    weights = np.array([0.0, 0.5, 0.5])
    for missing in ("zero", "exclude"):
        result = mc(grades, weights, concentration=2.0, missing=missing)
        np.testing.assert_array_equal(result.p_top, [1.0, 1.0, 0.0])  # a shared first place
        np.testing.assert_array_equal(result.rank_probabilities[2], [0.0, 0.0, 1.0])  # competition rank 3
        np.testing.assert_array_equal(result.score_interval[0], result.score_interval[1])


def test_ties_share_a_rank():
    # 0 and 1 are identical; 2 beats them when criterion 1 weighs more, loses when criterion 0 does.
    grades = np.array([[4.0, 2.0], [4.0, 2.0], [3.0, 3.0], [1.0, 1.0]])
    result = mc(grades, np.array([0.5, 0.5]), concentration=50.0)
    np.testing.assert_array_equal(result.rank_probabilities[0], result.rank_probabilities[1])
    assert 0.0 < result.p_top[0] < 1.0 and result.p_top[0] + result.p_top[2] == pytest.approx(1.0)
    assert result.rank_probabilities[0, 2] == 0.0  # the pair is first or (jointly) second, never third
    assert result.rank_probabilities[2, 1] == 0.0  # behind the pair, 2 is third: competition ranking
    np.testing.assert_array_equal(result.rank_probabilities[3], [0.0, 0.0, 0.0, 1.0])
    np.testing.assert_allclose(result.rank_probabilities.sum(axis=1), 1.0)


def test_interval_contains_the_baseline_for_a_high_concentration():
    rng = np.random.default_rng(8)
    grades, weights = random_case(rng, 20, 8)
    grades[rng.random(grades.shape) < 0.2] = np.nan
    for missing in ("zero", "exclude"):
        result = mc(grades, weights, concentration=1e4, missing=missing)
        base = wsm_scores(grades, weights, missing=missing)
        assert np.all(result.score_interval[:, 0] <= base + 1e-9)
        assert np.all(base <= result.score_interval[:, 1] + 1e-9)
        assert np.all(result.score_interval[:, 0] <= result.mean_score)
        assert np.all(result.mean_score <= result.score_interval[:, 1])
        np.testing.assert_allclose(result.mean_score, base, atol=0.2)


def test_exclude_gives_zero_to_a_vendor_without_scores():
    grades = np.array([[np.nan, np.nan], [3.0, np.nan]])
    result = mc(grades, np.array([0.5, 0.5]), missing="exclude", samples=100)
    np.testing.assert_allclose(result.score_interval, [[0.0, 0.0], [60.0, 60.0]], rtol=0, atol=1e-12)
    np.testing.assert_array_equal(result.p_top, [0.0, 1.0])


def test_chunking_does_not_change_the_result():
    rng = np.random.default_rng(9)
    grades, weights = random_case(rng, 15, 6)
    grades[rng.random(grades.shape) < 0.1] = np.nan
    segment = np.arange(15) % 3
    for missing in ("zero", "exclude"):
        default = mc(grades, weights, segment, missing=missing, samples=1_001, concentration=15.0)
        chunked = mc(grades, weights, segment, missing=missing, samples=1_001, concentration=15.0, chunk=7)
        np.testing.assert_array_equal(default.rank_probabilities, chunked.rank_probabilities)
        # Scores may differ in the last bit only if the BLAS sums a small block in another order.
        np.testing.assert_allclose(default.score_interval, chunked.score_interval, rtol=0, atol=1e-12)
        np.testing.assert_allclose(default.mean_score, chunked.mean_score, rtol=0, atol=1e-12)


def test_score_bounds_widen_the_intervals():
    rng = np.random.default_rng(10)
    grades, weights = random_case(rng, 6, 5)
    lo, hi = np.clip(grades - 1.0, 0.0, 5.0), np.clip(grades + 1.0, 0.0, 5.0)
    lo[0], hi[0] = grades[0], grades[0]  # vendor 0: the assessors agree everywhere
    plain = mc(grades, weights, concentration=50.0)
    jittered = mc(grades, weights, concentration=50.0, score_bounds=(lo, hi))
    plain_width = np.diff(plain.score_interval, axis=1)[:, 0]
    jittered_width = np.diff(jittered.score_interval, axis=1)[:, 0]
    assert np.all(jittered_width[1:] > plain_width[1:])
    # Unchanged cells keep their grade, and grade draws do not shift the weight draws.
    np.testing.assert_array_equal(jittered.score_interval[0], plain.score_interval[0])


def test_score_bounds_equal_to_the_grades_change_nothing():
    rng = np.random.default_rng(11)
    grades, weights = random_case(rng, 5, 4)
    grades[1, 2] = np.nan
    lo = grades.copy()
    lo[1, 2] = 0.0  # bounds on an unscored cell: it stays unscored
    hi = lo.copy()
    hi[1, 2] = 5.0
    for missing in ("zero", "exclude"):
        plain = mc(grades, weights, missing=missing)
        bounded = mc(grades, weights, missing=missing, score_bounds=(lo, hi))
        for name in ("rank_probabilities", "score_interval", "mean_score"):
            np.testing.assert_array_equal(getattr(plain, name), getattr(bounded, name))


def test_score_bounds_draw_within_the_bounds_and_chunk_invariantly():
    grades = np.array([[3.0, 3.0], [2.0, 4.0]])
    lo, hi = np.array([[2.0, 3.0], [2.0, 4.0]]), np.array([[4.0, 3.0], [2.0, 4.0]])
    weights = np.array([0.5, 0.5])
    result = mc(grades, weights, concentration=1e12, score_bounds=(lo, hi), samples=4_000)
    # Vendor 0 scores 10 x (grade + 3): uniform on [50, 70]; its 5th/95th percentiles are near 51 and 69.
    np.testing.assert_allclose(result.score_interval[0], [51.0, 69.0], atol=0.5)
    np.testing.assert_allclose(result.p_top[0], 0.5, atol=0.05)
    again = mc(grades, weights, concentration=1e12, score_bounds=(lo, hi), samples=4_000, chunk=13)
    np.testing.assert_array_equal(result.rank_probabilities, again.rank_probabilities)


def test_percentiles_equal_numpy():
    rng = np.random.default_rng(12)
    for samples in (1, 2, 3, 20, 999, 1_000):
        scores = rng.uniform(0.0, 100.0, (samples, 300))
        scores[:, 5] = 42.0
        np.testing.assert_array_equal(
            stability._percentiles(scores), np.percentile(scores, [5, 95], axis=0).T
        )


def naive_rank_counts(scores: np.ndarray) -> np.ndarray:
    """(rank, vendor) counts with competition ranks; a value within 1e-9 of the next one up ties."""
    k = scores.shape[1]
    counts = np.zeros((k, k), dtype=np.int64)
    for row in scores:
        order = sorted(range(k), key=lambda i: -row[i])
        rank = 0
        for pos, vendor in enumerate(order):
            if pos and row[order[pos - 1]] - row[vendor] > 1e-9:
                rank = pos
            counts[rank, vendor] += 1
    return counts


@pytest.mark.parametrize("key_bits_max", [ranks._KEY_BITS_MAX, 0])  # sort keys, and the argsort fallback
def test_rank_counts_match_a_naive_ranking(monkeypatch, key_bits_max):
    monkeypatch.setattr(ranks, "_KEY_BITS_MAX", key_bits_max)
    rng = np.random.default_rng(13)
    for k in (1, 2, 5, 17):
        scores = np.round(rng.uniform(0.0, 100.0, (60, k)) / 10.0) * 10.0  # many exact ties
        scores[:, 0] = scores[:, -1] + 5e-10  # a near-tie within the tolerance
        np.testing.assert_array_equal(ranks._rank_counts(scores), naive_rank_counts(scores))


def test_large_segment_uses_the_argsort_fallback():
    rng = np.random.default_rng(14)
    scores = rng.uniform(0.0, 100.0, (4, 2_100))
    counts = ranks._rank_counts(scores)
    order = np.argsort(-scores, axis=1)
    for row in range(4):
        for rank, vendor in enumerate(order[row]):
            assert counts[rank, vendor] >= 1
    assert counts.sum() == scores.size


@pytest.mark.parametrize("key_bits_max", [ranks._KEY_BITS_MAX, 0])  # sort keys, and the argpartition fallback
def test_first_ranks_only_match_a_naive_ranking(monkeypatch, key_bits_max):
    # Only the first `depth` ranks are counted, from a partial selection; ties across the cut (rows where
    # everyone ties, near-ties within the tolerance) still give every vendor sharing a counted rank.
    monkeypatch.setattr(ranks, "_KEY_BITS_MAX", key_bits_max)
    rng = np.random.default_rng(15)
    for k in (3, 8, 30):
        scores = np.round(rng.uniform(0.0, 100.0, (80, k)) / 20.0) * 20.0  # six values: many exact ties
        scores[:5] = 50.0
        scores[5:10, 1] = scores[5:10, 0] + 5e-10
        naive = naive_rank_counts(scores)
        for depth in (1, 2, k - 1, k, k + 5):
            np.testing.assert_array_equal(ranks._rank_counts(scores, depth), naive[:depth])


@pytest.mark.parametrize("key_bits_max", [ranks._KEY_BITS_MAX, 0])  # sort keys, and the copy fallback
def test_ranking_among_some_columns_ignores_the_others(monkeypatch, key_bits_max):
    # The left-out columns score highest of all: if they took a place, every rank would shift.
    monkeypatch.setattr(ranks, "_KEY_BITS_MAX", key_bits_max)
    rng = np.random.default_rng(19)
    scores = np.round(rng.uniform(0.0, 100.0, (70, 12)) / 20.0) * 20.0
    among = np.array([0, 2, 3, 5, 6, 7, 9, 11])
    scores[:, [1, 4, 8, 10]] = 150.0
    scores[:4, among] = 60.0  # everyone ties
    naive = naive_rank_counts(scores[:, among])
    for depth in (1, 3, 7, 8, None):
        expected = naive if depth is None else naive[:depth]
        np.testing.assert_array_equal(ranks._rank_counts(scores, depth, among=among), expected)


def brute_force_rank_probabilities(
    grades, weights, segment, eligible, *, samples, seed, concentration, depth
):
    """Redraw the same weight samples (one Dirichlet draw per sample from the same seed, all weights
    positive) and rank every sample by the definition, segment by segment; the first `depth` ranks."""
    draws = np.random.default_rng(seed).dirichlet(concentration * weights, size=samples)
    scores = rescore(grades, draws, "zero")
    expected = np.zeros((len(grades), depth))
    for code in np.unique(segment[eligible]):
        idx = np.flatnonzero((segment == code) & eligible)
        counts = naive_rank_counts(scores[idx].T)[:depth]
        expected[idx, : counts.shape[0]] = counts.T / samples
    return expected


@pytest.mark.parametrize(
    ("rank_bytes", "chunk"),
    [(ranks._RANK_BYTES, None), (1, None), (1, 13)],  # 1 byte: the fewest samples ranked at a time (120)
)
def test_rank_probabilities_match_a_brute_force_ranking_of_the_same_draws(monkeypatch, rank_bytes, chunk):
    monkeypatch.setattr(ranks, "_RANK_BYTES", rank_bytes)
    rng = np.random.default_rng(16)
    grades = np.round(rng.uniform(0.0, 5.0, (14, 6)) * 2.0) / 2.0
    grades[3] = grades[2]  # identical vendors share every rank they take
    weights = rng.dirichlet(np.ones(6))
    segment = np.array([0] * 9 + [1] * 5)
    eligible = np.ones(14, bool)
    eligible[7] = False  # segment 0 ranks 8 vendors, segment 1 ranks 5
    kw = {"samples": 500, "seed": 3, "concentration": 20.0}
    full = mc(grades, weights, segment, eligible, chunk=chunk, **kw)
    expected = brute_force_rank_probabilities(grades, weights, segment, eligible, depth=8, **kw)
    assert full.rank_depth == 8
    np.testing.assert_array_equal(full.rank_probabilities, expected)
    top = mc(grades, weights, segment, eligible, rank_depth=3, chunk=chunk, **kw)
    assert top.rank_depth == 3 and top.rank_probabilities.shape == (14, 3)
    np.testing.assert_array_equal(top.rank_probabilities, expected[:, :3])
    np.testing.assert_array_equal(top.p_top, full.p_top)
    np.testing.assert_array_equal(top.score_interval, full.score_interval)


def test_a_segment_larger_than_the_rank_depth_gets_its_first_ranks_only():
    rng = np.random.default_rng(17)
    n = stability.RANK_DEPTH + 5
    grades = np.round(rng.uniform(0.0, 5.0, (n, 4)) * 2.0) / 2.0
    weights = rng.dirichlet(np.ones(4))
    segment, eligible = np.zeros(n, int), np.ones(n, bool)
    kw = {"samples": 200, "seed": 8, "concentration": 30.0}
    result = mc(grades, weights, segment, eligible, **kw)
    assert result.rank_depth == stability.RANK_DEPTH
    assert result.rank_probabilities.shape == (n, stability.RANK_DEPTH)
    expected = brute_force_rank_probabilities(
        grades, weights, segment, eligible, depth=stability.RANK_DEPTH, **kw
    )
    np.testing.assert_array_equal(result.rank_probabilities, expected)
    # The last five places are not counted: five vendors' worth of probability is missing from the rows.
    assert result.rank_probabilities.sum() == pytest.approx(stability.RANK_DEPTH, abs=1e-9)
    # Asking for every rank gives the same first columns and rows that sum to 1.
    every = mc(grades, weights, segment, eligible, rank_depth=n, **kw)
    assert every.rank_depth == n
    np.testing.assert_array_equal(
        every.rank_probabilities[:, : stability.RANK_DEPTH], result.rank_probabilities
    )
    np.testing.assert_allclose(every.rank_probabilities.sum(axis=1), 1.0, rtol=0, atol=1e-12)


def test_percentiles_and_means_in_place_on_vendor_major_storage():
    rng = np.random.default_rng(18)
    for samples in (1, 2, 3, 20, 999, 1_000):
        values = rng.uniform(0.0, 100.0, (40, samples))
        values[5] = 42.0
        expected = np.percentile(values.T, [5, 95], axis=0).T
        expected_means = [math.fsum(row) / samples for row in values]
        store = np.full((40, samples + 9), -1.0)[:, :samples]  # padded rows, as the simulation keeps them
        store[...] = values
        untouched = store.copy()
        np.testing.assert_array_equal(stability._percentiles(store.T), expected)
        np.testing.assert_array_equal(store, untouched)  # without overwrite nothing is reordered
        means = np.empty(40)
        np.testing.assert_array_equal(stability._percentiles(store.T, overwrite=True, means=means), expected)
        np.testing.assert_allclose(means, expected_means, rtol=1e-14, atol=0)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"samples": 0}, "samples"),
        ({"concentration": 0.0}, "concentration"),
        ({"chunk": 0}, "chunk"),
        ({"rank_depth": 0}, "rank_depth must be at least 1, got 0"),
        ({"score_bounds": (np.zeros((1, 2)), np.zeros((1, 2)))}, "score_bounds"),
    ],
)
def test_bad_monte_carlo_arguments_are_refused(kwargs, message):
    with pytest.raises(ValueError, match=message):
        mc(np.ones((2, 2)), np.array([0.5, 0.5]), **kwargs)


# --------------------------------------------------------------------------------------------------
# Flip points: hand-computed examples


def test_hand_computed_flip_point_zero():
    # A = 20 (5 t + (1 - t)) = 20 (1 + 4 t), B = 20 (2 t + 4 (1 - t)) = 20 (4 - 2 t): equal at t = 1/2.
    grades = np.array([[5.0, 1.0], [2.0, 4.0]])
    weights = np.array([0.6, 0.4])
    first = flip_point(grades, weights, [1.0, 0.0], [0, 1], 0)
    assert first == FlipPoint(weight=0.6, leader_changes_at=0.5, new_leader=1)
    second = flip_point(grades, weights, [0.0, 1.0], [0, 1], 0)
    assert second.weight == pytest.approx(0.4)
    assert second.leader_changes_at == pytest.approx(0.5, abs=1e-15)
    assert second.new_leader == 1


def test_hand_computed_flip_point_exclude_at_the_ends():
    # A has only criterion 0 scored: 100 points while that criterion has any weight, 0 when it has none.
    grades = np.array([[5.0, np.nan], [2.0, 4.0]])
    weights = np.array([0.6, 0.4])
    down = flip_point(grades, weights, [1.0, 0.0], [0, 1], 0, missing="exclude")
    assert down == FlipPoint(weight=0.6, leader_changes_at=0.0, new_leader=1)
    up = flip_point(grades, weights, [0.0, 1.0], [0, 1], 0, missing="exclude")
    assert (up.leader_changes_at, up.new_leader) == (1.0, 1)


def test_hand_computed_flip_point_exclude_quadratic():
    # Move criterion 1: w(t) = (0.5 (1 - t), t, 0.5 (1 - t)). V1 = [4, nan, 4] scores 80 for t < 1.
    # V0 = [5, 2, nan] scores 20 (2.5 (1 - t) + 2 t) / (0.5 (1 - t) + t) = 20 (2.5 - 0.5 t) / (0.5 + 0.5 t),
    # which is 80 where 2.5 - 0.5 t = 2 + 2 t, i.e. t = 0.2; cross-multiplied, a quadratic with a != 0.
    grades = np.array([[5.0, 2.0, np.nan], [4.0, np.nan, 4.0]])
    weights = np.array([0.45, 0.1, 0.45])
    assert wsm_scores(grades, weights, missing="exclude")[0] > 80.0
    point = flip_point(grades, weights, [0.0, 1.0, 0.0], [0, 1], 0, missing="exclude")
    assert point.leader_changes_at == pytest.approx(0.2, abs=1e-14)
    assert point.new_leader == 1


def test_weight_one_criterion_has_no_flip_point():
    grades = np.array([[5.0, 0.0], [4.0, 5.0]])
    assert flip_point(grades, np.array([1.0, 0.0]), [1.0, 0.0], [0, 1], 0) == FlipPoint(1.0, None, None)


def test_single_candidate_has_no_flip_point():
    grades = np.array([[1.0, 2.0], [5.0, 5.0]])
    assert flip_point(grades, np.array([0.5, 0.5]), [1.0, 0.0], [0], 0).leader_changes_at is None


def test_zero_weight_criterion_can_flip():
    # Criterion 1 has weight 0; giving it weight lets B, strong there, overtake.
    grades = np.array([[4.0, 0.0], [3.0, 5.0]])
    point = flip_point(grades, np.array([1.0, 0.0]), [0.0, 1.0], [0, 1], 0)
    # A = 20 * 4 (1 - t) = 80 - 80 t, B = 20 (3 (1 - t) + 5 t) = 60 + 40 t: equal at t = 1/6.
    assert point.weight == 0.0
    assert point.leader_changes_at == pytest.approx(1.0 / 6.0, abs=1e-15)
    assert point.new_leader == 1


def test_category_direction_matches_rescoring():
    grades = np.array([[5.0, 4.0, 1.0, 2.0], [2.0, 3.0, 4.0, 5.0], [3.0, 3.0, 3.0, 3.0]])
    weights = np.array([0.3, 0.2, 0.25, 0.25])
    direction = np.array([0.6, 0.4, 0.0, 0.0])  # category {0, 1}: weight 0.5, within shares 0.6 / 0.4
    # Vendor 1 leads (69 points against 61 and 60). Along the path vendor 0 scores 92 t + 30 (1 - t) and
    # vendor 1 scores 48 t + 90 (1 - t): they meet at t = 60 / 104.
    point = flip_point(grades, weights, direction, [0, 1, 2], 1)
    assert point.weight == pytest.approx(0.5)
    t = point.leader_changes_at
    assert t == pytest.approx(60.0 / 104.0, abs=1e-14) and point.new_leader == 0
    at = rescore(grades, moved(weights, direction, np.array([t, t - EPS, t + EPS])), "zero")
    assert at[0, 0] == pytest.approx(at[1, 0], abs=1e-9)  # the crossing itself
    assert at[1, 1] > at[0, 1] and at[0, 2] > at[1, 2]


def test_direction_must_be_the_groups_own_shares():
    grades = np.array([[5.0, 4.0, 1.0], [2.0, 3.0, 4.0]])
    weights = np.array([0.3, 0.2, 0.5])
    with pytest.raises(ValueError, match="proportional"):
        flip_point(grades, weights, [0.5, 0.5, 0.0], [0, 1], 0)
    with pytest.raises(ValueError, match="sum to 1"):
        flip_point(grades, weights, [0.6, 0.0, 0.0], [0, 1], 0)
    with pytest.raises(ValueError, match="leader"):
        flip_point(grades, weights, [1.0, 0.0, 0.0], [1], 0)


# --------------------------------------------------------------------------------------------------
# Flip points: every reported point verified by re-scoring, over many random cases


def leader_is_top(grades, weights, direction, candidates, leader, missing, ts) -> bool:
    scores = rescore(grades, moved(weights, direction, ts), missing)
    return bool(np.all(scores[leader] >= scores[candidates].max(axis=0) - 1e-9))


def verify(point, grades, weights, direction, candidates, leader, missing) -> None:
    w = point.weight
    assert w == pytest.approx(weights[direction > 0].sum(), abs=1e-12)
    if w >= 1.0 - 1e-12:
        assert point.leader_changes_at is None and point.new_leader is None
        return
    if point.leader_changes_at is None:
        assert point.new_leader is None
        grid = np.concatenate([np.linspace(0.0, 1.0, 2_001), [w]])
        assert leader_is_top(grades, weights, direction, candidates, leader, missing, grid)
        return
    t, new = point.leader_changes_at, point.new_leader
    assert 0.0 <= t <= 1.0 and new in candidates and new != leader
    # Just past t (moving away from w; at t itself at an end of [0, 1]) the new leader is strictly ahead.
    steps = [np.sign(t - w)] if t != w else [0.0, -1.0, 1.0]
    probes = [t + step * min(EPS, (1.0 - t if step > 0 else t) / 2.0) for step in steps]
    scores = rescore(grades, moved(weights, direction, np.array(probes)), missing)
    assert np.any(scores[new] > scores[leader]), (t, w, probes, scores[[leader, new]])
    # Nowhere nearer to w than t does anyone get ahead of the leader.
    reach = abs(t - w) - EPS
    if reach > 0.0:
        grid = np.linspace(max(0.0, w - reach), min(1.0, w + reach), 401)
        assert leader_is_top(grades, weights, direction, candidates, leader, missing, grid)


def random_flip_case(rng: np.random.Generator):
    n, m = int(rng.integers(2, 7)), int(rng.integers(1, 6))
    kind = rng.integers(3)
    if kind == 0:
        grades = rng.uniform(0.0, 5.0, (n, m))
    else:  # integer or half-point grades: exact ties and touching lines
        grades = rng.integers(0, 6 if kind == 1 else 11, (n, m)) / (1.0 if kind == 1 else 2.0)
    grades[rng.random((n, m)) < 0.2] = np.nan
    weights = rng.dirichlet(np.ones(m))
    if m > 1 and rng.random() < 0.3:
        weights[rng.integers(m)] = 0.0
    if rng.random() < 0.1:
        weights = np.eye(m)[rng.integers(m)]
    weights = weights / weights.sum()
    candidates = np.flatnonzero(rng.random(n) < 0.8)
    if candidates.size == 0:
        candidates = np.arange(n)
    directions = list(np.eye(m))
    if m > 1:  # a category of a few criteria, moved with its within-category shares
        group = rng.choice(m, size=int(rng.integers(2, m + 1)), replace=False)
        row = np.zeros(m)
        share = weights[group]
        row[group] = share / share.sum() if share.sum() > 0 else 1.0 / group.size
        directions.append(row)
    return grades, weights, candidates, np.array(directions)


def caller_leader(grades, weights, candidates, missing) -> int:
    """The rank-1 vendor, ties (within 1e-9) broken by the lowest index, as a caller would."""
    scores = wsm_scores(grades, weights, missing=missing)[candidates]
    return int(candidates[np.flatnonzero(scores >= scores.max() - 1e-9)[0]])


@pytest.mark.parametrize("missing", ["zero", "exclude"])
def test_random_flip_points_are_verified_by_rescoring(missing):
    rng = np.random.default_rng(2024 if missing == "zero" else 2025)
    flipped = none = 0
    for _ in range(300):
        grades, weights, candidates, directions = random_flip_case(rng)
        leader = caller_leader(grades, weights, candidates, missing)
        for direction in directions:
            point = flip_point(grades, weights, direction, candidates, leader, missing=missing)
            verify(point, grades, weights, direction, candidates, leader, missing)
            flipped += point.leader_changes_at is not None
            none += point.leader_changes_at is None
    assert flipped > 100 and none > 100  # both outcomes were exercised


def test_flip_points_covers_all_groups_and_segments():
    rng = np.random.default_rng(15)
    grades, weights = random_case(rng, 10, 4)
    grades[rng.random(grades.shape) < 0.15] = np.nan
    segment = np.array([0, 1, 2, 0, 1, 2, 0, 1, 2, 0])
    eligible = np.ones(10, bool)
    eligible[[3, 4]] = False
    groups = np.vstack([np.eye(4), [weights[0] / weights[:2].sum(), weights[1] / weights[:2].sum(), 0, 0]])
    for missing in ("zero", "exclude"):
        base = wsm_scores(grades, weights, missing=missing)
        leaders = {}
        for code in (0, 1, 2):
            idx = np.flatnonzero((segment == code) & eligible)
            leaders[code] = int(idx[np.argmax(base[idx])])
        result = flip_points(grades, weights, groups, segment, eligible, leaders, missing=missing)
        assert sorted(result) == [0, 1, 2]
        for code, points in result.items():
            idx = np.flatnonzero((segment == code) & eligible)
            assert len(points) == len(groups)
            for direction, point in zip(groups, points, strict=True):
                alone = flip_point(grades, weights, direction, idx, leaders[code], missing=missing)
                # The batch and the single call may round the last bit differently (BLAS blocking).
                assert point.weight == pytest.approx(alone.weight, abs=1e-15)
                assert point.new_leader == alone.new_leader
                if alone.leader_changes_at is None:
                    assert point.leader_changes_at is None
                else:
                    assert point.leader_changes_at == pytest.approx(alone.leader_changes_at, abs=1e-12)


def test_flip_points_refuses_a_leader_outside_its_segment():
    grades = np.array([[5.0, 1.0], [2.0, 4.0], [3.0, 3.0]])
    with pytest.raises(ValueError, match="segment"):
        flip_points(grades, np.array([0.5, 0.5]), np.eye(2), [0, 0, 1], [True, True, True], {0: 2})


# --------------------------------------------------------------------------------------------------
# The numerical core stands alone


def test_the_numerical_core_loads_without_models_or_scoring():
    """Arrays in, values out: every module of evaltool.sensitivity imports neither the pydantic models nor
    the scoring; evaltool.analysis is the one place that turns a ScoreResult into arrays."""
    modules = ["flips", "inputs", "ranks", "stability", "topsis", "topsis_flips", "topsis_stability", "wsm"]
    check = (
        "import sys\n"
        + "".join(f"import evaltool.sensitivity.{name}\n" for name in modules)
        + "heavy = ('pydantic', 'evaltool.models', 'evaltool.scoring', 'evaltool.analysis', 'yaml')\n"
        + "print(sorted(m for m in sys.modules if m.startswith(heavy)))\n"
    )
    done = subprocess.run([sys.executable, "-c", check], capture_output=True, text=True, check=True)
    assert done.stdout == "[]\n"
