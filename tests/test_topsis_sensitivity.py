"""TOPSIS weight sensitivity (sensitivity.topsis_stability, topsis_flips): rank probabilities, flip points.

Expected values come from methods.topsis run segment by segment at independently re-drawn or re-built
weight vectors (brute force), or from arithmetic done by hand in the comments.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from evaltool import methods
from evaltool.sensitivity import topsis_flips
from evaltool.sensitivity.flips import FlipPoint
from evaltool.sensitivity.stability import MonteCarloResult, monte_carlo
from evaltool.sensitivity.topsis import fill_missing_per_segment
from evaltool.sensitivity.topsis_flips import topsis_flip_points
from evaltool.sensitivity.topsis_stability import topsis_monte_carlo

NAN = np.nan


# --------------------------------------------------------------------------------------------------
# Helpers: brute force, straight from methods.topsis


def closeness(raw, weights, segment, benefit, reference=None) -> np.ndarray:
    """Every vendor's closeness at one weight vector, methods.topsis run on each segment alone."""
    reference = np.ones(len(raw), bool) if reference is None else reference
    out = np.empty(len(raw))
    for code in np.unique(segment):
        rows = segment == code
        out[rows] = methods.topsis(raw[rows], weights, benefit, reference[rows])
    return out


def redraw(weights, samples, seed, concentration) -> np.ndarray:
    """The documented weight samples: rng.dirichlet(K w) on the positive weights, the rest 0."""
    positive = weights > 0
    draws = np.random.default_rng(seed).dirichlet(concentration * weights[positive], size=samples)
    full = np.zeros((samples, weights.size))
    full[:, positive] = draws
    return full


def rank_counts(scores, segment, eligible) -> np.ndarray:
    """P(rank r + 1) per vendor from per-sample scores (samples, n), with methods.competition_rank."""
    n = scores.shape[1]
    largest = max(int(np.sum(eligible & (segment == c))) for c in np.unique(segment))
    counts = np.zeros((n, largest))
    for row in scores:
        for code in np.unique(segment):
            idx = np.flatnonzero(eligible & (segment == code))
            if idx.size:
                counts[idx, methods.competition_rank(row[idx], tol=1e-9) - 1] += 1
    return counts / scores.shape[0]


def random_problem(rng: np.random.Generator, n: int, m: int, segments: int):
    """Raw matrix with metric-sized and rubric columns and NaN cells, cost columns, segment codes."""
    raw = rng.uniform(1.0, 10.0, (n, m))
    raw[:, 0] *= 1_000.0  # a metric in other units: normalisation must absorb it
    raw[rng.random((n, m)) < 0.15] = NAN
    benefit = rng.random(m) < 0.6
    segment = np.arange(n) % segments
    return raw, rng.dirichlet(np.ones(m)), segment, benefit


def mc(raw, weights, segment, eligible, benefit, **kw) -> MonteCarloResult:
    kw.setdefault("samples", 1_000)
    return topsis_monte_carlo(raw, weights, segment, eligible, benefit, **kw)


# --------------------------------------------------------------------------------------------------
# Monte Carlo: the closeness of every sample is methods.topsis at that sample's weights


def test_closeness_at_the_chosen_weights_equals_methods_topsis():
    rng = np.random.default_rng(1)
    raw, weights, segment, benefit = random_problem(rng, 12, 5, 3)
    reference = np.ones(12, bool)
    reference[[4, 7]] = False
    eligible = np.ones(12, bool)
    eligible[5] = False
    # K = 1e28 moves a weight by about 1e-14 of itself: every sample is the chosen weights.
    result = mc(raw, weights, segment, eligible, benefit, reference=reference, samples=50, concentration=1e28)
    base = closeness(raw, weights, segment, benefit, reference)
    np.testing.assert_allclose(result.mean_score, base, rtol=0, atol=1e-12)
    np.testing.assert_allclose(result.score_interval, np.column_stack([base, base]), rtol=0, atol=1e-12)
    for code in range(3):
        idx = np.flatnonzero(eligible & (segment == code))
        ranks = methods.competition_rank(base[idx], tol=1e-9)
        assert result.rank_probabilities[idx, ranks - 1].tolist() == [1.0] * idx.size


def test_every_sample_is_methods_topsis_at_the_drawn_weights():
    rng = np.random.default_rng(2)
    raw, weights, segment, benefit = random_problem(rng, 9, 4, 2)
    weights[2] = 0.0  # a criterion of weight 0 is not drawn and stays out
    weights /= weights.sum()
    eligible = np.array([True, True, True, False, True, True, True, True, True])
    reference = np.array([True, True, True, True, True, True, True, False, True])
    samples, seed, k = 300, 17, 8.0
    result = mc(
        raw,
        weights,
        segment,
        eligible,
        benefit,
        reference=reference,
        samples=samples,
        seed=seed,
        concentration=k,
    )
    draws = redraw(weights, samples, seed, k)
    brute = np.array([closeness(raw, w, segment, benefit, reference) for w in draws])
    np.testing.assert_allclose(result.mean_score, brute.mean(axis=0), rtol=0, atol=1e-12)
    np.testing.assert_allclose(
        result.score_interval, np.percentile(brute, [5, 95], axis=0).T, rtol=0, atol=1e-12
    )
    np.testing.assert_array_equal(result.rank_probabilities, rank_counts(brute, segment, eligible))
    assert np.any((result.p_top[eligible] > 0.0) & (result.p_top[eligible] < 1.0))  # the ranking moves


def test_wsm_and_topsis_face_the_same_weight_samples():
    rng = np.random.default_rng(3)
    raw, weights, segment, benefit = random_problem(rng, 6, 4, 1)
    grades = rng.uniform(0.0, 5.0, (6, 4))
    samples, seed, k = 200, 5, 20.0
    draws = redraw(weights, samples, seed, k)
    wsm = monte_carlo(grades, weights, segment, np.ones(6, bool), samples=samples, seed=seed, concentration=k)
    np.testing.assert_allclose(wsm.mean_score, (grades * 20.0 @ draws.T).mean(axis=1), rtol=0, atol=1e-9)
    topsis = mc(raw, weights, segment, np.ones(6, bool), benefit, samples=samples, seed=seed, concentration=k)
    brute = np.array([closeness(raw, w, segment, benefit) for w in draws])
    np.testing.assert_allclose(topsis.mean_score, brute.mean(axis=0), rtol=0, atol=1e-12)


def test_chunking_does_not_change_the_result():
    rng = np.random.default_rng(4)
    raw, weights, segment, benefit = random_problem(rng, 15, 6, 3)
    eligible = np.ones(15, bool)
    default = mc(raw, weights, segment, eligible, benefit, samples=1_001, concentration=15.0)
    chunked = mc(raw, weights, segment, eligible, benefit, samples=1_001, concentration=15.0, chunk=7)
    np.testing.assert_array_equal(default.rank_probabilities, chunked.rank_probabilities)
    np.testing.assert_allclose(default.score_interval, chunked.score_interval, rtol=0, atol=1e-12)
    np.testing.assert_allclose(default.mean_score, chunked.mean_score, rtol=0, atol=1e-12)


def test_dominant_vendor_always_leads():
    # Vendor 2 is best in every column (highest benefit, lowest cost): it is the ideal point, D+ = 0,
    # closeness 1 whatever the weights, while every other vendor is short of it somewhere.
    rng = np.random.default_rng(5)
    raw = rng.uniform(2.0, 9.0, (6, 5))
    benefit = np.array([True, False, True, False, True])
    raw[2] = np.where(benefit, 10.0, 1.0)
    result = mc(
        raw, rng.dirichlet(np.ones(5)), np.zeros(6, int), np.ones(6, bool), benefit, concentration=2.0
    )
    assert result.p_top.tolist() == [0.0, 0.0, 1.0, 0.0, 0.0, 0.0]
    np.testing.assert_array_equal(result.score_interval[2], [1.0, 1.0])


def test_rank_probabilities_of_eligible_vendors_sum_to_one():
    rng = np.random.default_rng(6)
    raw, weights, _, benefit = random_problem(rng, 12, 5, 1)
    segment = np.array([0, 0, 0, 0, 0, 1, 1, 1, 2, 2, 2, 2])
    eligible = np.ones(12, bool)
    eligible[[1, 6, 9]] = False
    result = mc(raw, weights, segment, eligible, benefit, concentration=3.0)
    assert result.rank_probabilities.shape == (12, 4)  # segment 0 has 4 eligible vendors
    np.testing.assert_allclose(result.rank_probabilities[eligible].sum(axis=1), 1.0, rtol=0, atol=1e-12)
    assert np.all(result.rank_probabilities[~eligible] == 0.0)
    assert np.all(result.rank_probabilities[segment == 1, 2:] == 0.0)  # 2 eligible: ranks 1 and 2 only
    assert np.all((result.score_interval >= 0.0) & (result.score_interval <= 1.0))


def test_same_seed_same_result_and_other_seed_differs():
    rng = np.random.default_rng(7)
    raw, weights, segment, benefit = random_problem(rng, 8, 5, 2)
    eligible = np.ones(8, bool)
    first, again, other = (
        mc(raw, weights, segment, eligible, benefit, seed=s, concentration=20.0) for s in (9, 9, 10)
    )
    for name in ("rank_probabilities", "p_top", "score_interval", "mean_score"):
        np.testing.assert_array_equal(getattr(first, name), getattr(again, name))
    assert not np.array_equal(first.score_interval, other.score_interval)


def test_a_vendor_outside_the_reference_leaves_the_others_unchanged():
    rng = np.random.default_rng(8)
    raw, weights, segment, benefit = random_problem(rng, 8, 4, 2)
    eligible = np.ones(8, bool)
    alone = mc(raw, weights, segment, eligible, benefit, concentration=10.0)
    # A half-filled newcomer far beyond everyone in segment 0: as a reference vendor it would move the
    # norms and the ideal point; outside the reference it is scored without moving them.
    newcomer = np.where(benefit, 1e6, 0.5)
    newcomer[1] = NAN
    grown = np.vstack([raw, newcomer])
    seg, ref = np.append(segment, 0), np.append(np.ones(8, bool), False)
    for newcomer_eligible in (False, True):
        elig = np.append(eligible, newcomer_eligible)
        result = mc(grown, weights, seg, elig, benefit, reference=ref, concentration=10.0)
        np.testing.assert_allclose(result.score_interval[:8], alone.score_interval, rtol=0, atol=1e-12)
        np.testing.assert_allclose(result.mean_score[:8], alone.mean_score, rtol=0, atol=1e-12)
        if not newcomer_eligible:
            np.testing.assert_array_equal(result.rank_probabilities[:8], alone.rank_probabilities)
    counted = mc(grown, weights, seg, np.append(eligible, False), benefit, concentration=10.0)
    assert np.abs(counted.mean_score[:8] - alone.mean_score)[segment == 0].max() > 0.01  # it would move them


def test_segments_are_separate_topsis_problems():
    rng = np.random.default_rng(9)
    raw, weights, _, benefit = random_problem(rng, 9, 4, 1)
    segment = np.array([3, 7, 3, 7, 3, 7, 7, 3, 7])
    both = mc(raw, weights, segment, np.ones(9, bool), benefit, concentration=10.0)
    for code in (3, 7):
        idx = np.flatnonzero(segment == code)
        one = mc(
            raw[idx], weights, np.zeros(idx.size, int), np.ones(idx.size, bool), benefit, concentration=10.0
        )
        np.testing.assert_allclose(both.mean_score[idx], one.mean_score, rtol=0, atol=1e-12)
        np.testing.assert_array_equal(both.rank_probabilities[idx, : idx.size], one.rank_probabilities)


def test_no_eligible_vendor_at_all():
    raw = np.array([[1.0, 2.0], [2.0, 1.0]])
    result = mc(raw, np.array([0.5, 0.5]), [0, 0], [False, False], [True, True], samples=20)
    assert result.rank_probabilities.shape == (2, 0)
    assert result.p_top.tolist() == [0.0, 0.0]
    # Still scored. Vendor 0 is the anti-ideal on column 0 and the ideal on column 1, by the same gap δ:
    # D+ = w0 δ, D- = w1 δ, closeness w1; vendor 1 likewise gets w0. So the two always sum to 1.
    np.testing.assert_allclose(result.mean_score.sum(), 1.0, rtol=0, atol=1e-12)
    np.testing.assert_allclose(result.score_interval[0], 1.0 - result.score_interval[1, ::-1], atol=1e-12)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"reference": np.array([True, True, False])}, "segment 1 has no reference vendor"),
        ({"reference": np.array([1, 1, 1])}, r"reference must be an \(3,\) bool mask, got int64 \(3,\)"),
        ({"benefit": np.array([True])}, r"benefit must have shape \(2,\), got \(1,\)"),
        ({"raw": np.array([[1.0, np.inf], [1.0, 2.0], [3.0, 4.0]])}, "raw values must be finite"),
        ({"weights": np.array([0.5, 0.6])}, "weights must sum to 1"),
        ({"samples": 0}, "samples must be at least 1, got 0"),
        ({"chunk": 0}, "chunk must be at least 1, got 0"),
    ],
)
def test_bad_monte_carlo_arguments_are_refused(kwargs, message):
    args = {
        "raw": np.array([[1.0, 2.0], [2.0, 1.0], [3.0, 4.0]]),
        "weights": np.array([0.5, 0.5]),
        "segment": np.array([0, 0, 1]),
        "eligible": np.ones(3, bool),
        "benefit": np.array([True, False]),
    }
    args.update(kwargs)
    positional = [args.pop(name) for name in ("raw", "weights", "segment", "eligible", "benefit")]
    with pytest.raises(ValueError, match=message):
        mc(*positional, **args)


def test_fill_missing_per_segment_uses_each_segments_own_worst_value():
    # Column 0 a benefit metric, column 1 a cost metric, column 2 a rubric score.
    raw = np.array([[NAN, 20.0, NAN], [5.0, NAN, 3.0], [9.0, 10.0, 4.0], [NAN, NAN, NAN], [2.0, 50.0, 1.0]])
    segment = np.array([0, 0, 0, 1, 1])
    filled = fill_missing_per_segment(raw, segment, [True, True, False], [True, False, True])
    # Segment 0: worst of column 0 is min(5, 9) = 5, of column 1 max(20, 10) = 20; rubric -> 0.
    # Segment 1: vendor 3 takes vendor 4's values 2 and 50 (not segment 0's), rubric 0.
    expected = [[5, 20, 0], [5, 20, 3], [9, 10, 4], [2, 50, 0], [2, 50, 1]]
    np.testing.assert_array_equal(filled, expected)
    # Vendor 2 outside the reference: segment 0's worst values come from vendors 0 and 1 alone.
    ref = np.array([True, True, False, True, True])
    filled = fill_missing_per_segment(raw, segment, [True, True, False], [True, False, True], reference=ref)
    np.testing.assert_array_equal(filled[:2], [[5, 20, 0], [5, 20, 3]])


# --------------------------------------------------------------------------------------------------
# Flip points: a case derived by hand


def test_hand_computed_two_vendor_flip_points():
    # Column 0 (benefit): A = 4, B = 3, norm 5, r = 0.8 / 0.6. Column 1 (cost): A = 2, B = 1, norm √5,
    # r = 2/√5 / 1/√5. With two vendors each column's ideal is one vendor and its anti-ideal the other:
    # A is ideal on column 0, B on column 1; the gaps are δ0 = 0.2 and δ1 = 1/√5.
    # A: D+ = w1 δ1, D- = w0 δ0; B: D+ = w0 δ0, D- = w1 δ1. So A leads while w0 δ0 > w1 δ1.
    # Moving criterion 0 (w0 = t, w1 = 1 - t): they meet at t δ0 = (1 - t) δ1, t = δ1 / (δ0 + δ1)
    # = 1 / (1 + 0.2 √5) = 5 / (5 + √5) = (5 - √5) / 4 ≈ 0.691, below the current 0.8.
    # Moving criterion 1 (w1 = t): they meet at t = δ0 / (δ0 + δ1) = 1 - (5 - √5) / 4 = (√5 - 1) / 4.
    raw = np.array([[4.0, 2.0], [3.0, 1.0]])
    benefit = np.array([True, False])
    weights = np.array([0.8, 0.2])
    result = topsis_flip_points(raw, weights, np.eye(2), [0, 0], [True, True], {0: 0}, benefit)
    first, second = result[0]
    assert first.weight == 0.8 and first.new_leader == 1
    assert first.leader_changes_at == pytest.approx((5.0 - math.sqrt(5.0)) / 4.0, abs=1e-15)
    assert second.weight == pytest.approx(0.2, abs=1e-16) and second.new_leader == 1
    assert second.leader_changes_at == pytest.approx((math.sqrt(5.0) - 1.0) / 4.0, abs=1e-15)
    # methods.topsis agrees on either side of the crossing.
    t = first.leader_changes_at
    above = methods.topsis(raw, np.array([t + 1e-9, 1.0 - t - 1e-9]), benefit)
    below = methods.topsis(raw, np.array([t - 1e-9, 1.0 - t + 1e-9]), benefit)
    assert above[0] > above[1] and below[1] > below[0]


def test_crossing_roots_of_every_degree():
    # Rows: (t - 0.2)(t - 0.5)(t - 0.7)(t - 2) expanded; 3 (t - 0.25)(t - 0.75) t with a zero t⁴ term;
    # a line 2t - 1 whose leading terms are rounding dust; a constant; the zero polynomial.
    quartic = np.polynomial.polynomial.polyfromroots([0.2, 0.5, 0.7, 2.0])[::-1]
    cubic = np.concatenate([[0.0], 3.0 * np.polynomial.polynomial.polyfromroots([0.25, 0.75, 0.0])[::-1]])
    rows = np.array([quartic, cubic, [1e-17, -1e-18, 0.0, 2.0, -1.0], [0, 0, 0, 0, 4.0], [0.0] * 5])
    roots = topsis_flips._unit_roots(rows)
    assert roots.shape == (5, 4)
    found = [sorted(r[~np.isnan(r)].tolist()) for r in roots]
    np.testing.assert_allclose(found[0], [0.2, 0.5, 0.7], rtol=0, atol=1e-12)  # 2 is outside (0, 1)
    np.testing.assert_allclose(found[1], [0.25, 0.75], rtol=0, atol=1e-12)  # 0 is not inside either
    np.testing.assert_allclose(found[2], [0.5], rtol=0, atol=1e-12)
    assert found[3] == found[4] == []


def test_weight_one_single_candidate_and_unreachable_flips():
    raw = np.array([[4.0, 2.0], [3.0, 1.0], [1.0, 1.0]])
    benefit = np.array([True, True])
    one = topsis_flip_points(
        raw, np.array([1.0, 0.0]), np.eye(2), [0, 0, 1], [True] * 3, {0: 0, 1: 2}, benefit
    )
    assert one[0][0] == FlipPoint(1.0, None, None)  # the group is every weight: no path
    # Vendor 0 beats vendor 1 on both criteria: whatever the weights, it stays first.
    assert one[0][1] == FlipPoint(0.0, None, None)
    assert one[1] == [FlipPoint(1.0, None, None), FlipPoint(0.0, None, None)]  # alone in segment 1


def test_zero_weight_criterion_can_flip():
    # Criterion 1 has weight 0; B is better there. A: D+ = t δ1, D- = (1 - t) δ0 with δ0 = 0.2 (4 vs 3,
    # norm 5) and δ1 = (4 - 1)/√17 (norm √17). They meet at (1 - t) δ0 = t δ1: t = δ0 / (δ0 + δ1) ≈ 0.216.
    raw = np.array([[4.0, 1.0], [3.0, 4.0]])
    result = topsis_flip_points(raw, [1.0, 0.0], [[0.0, 1.0]], [0, 0], [True, True], {0: 0}, [True, True])
    point = result[0][0]
    d0, d1 = 0.2, 3.0 / math.sqrt(17.0)
    assert point.weight == 0.0 and point.new_leader == 1
    assert point.leader_changes_at == pytest.approx(d0 / (d0 + d1), abs=1e-15)


def test_flip_points_refuse_a_leader_outside_its_segment():
    raw = np.array([[5.0, 1.0], [2.0, 4.0], [3.0, 3.0]])
    with pytest.raises(ValueError, match="leader 2 is not an eligible vendor of segment 0"):
        topsis_flip_points(raw, [0.5, 0.5], np.eye(2), [0, 0, 1], [True] * 3, {0: 2}, [True, True])
    with pytest.raises(ValueError, match="leader 1 is not an eligible vendor of segment 0"):
        topsis_flip_points(raw, [0.5, 0.5], np.eye(2), [0, 0, 1], [True, False, True], {0: 1}, [True, True])


# --------------------------------------------------------------------------------------------------
# Flip points: against a brute-force scan with methods.topsis, over random cases

GRID = np.linspace(0.0, 1.0, 301)
STEP = GRID[1]


def moved(weights: np.ndarray, direction: np.ndarray, t: float) -> np.ndarray:
    """w(t) = t d + (1 - t)/(1 - w) (weights - w d), with the group's own entries of the second term 0."""
    w = weights[direction > 0].sum()
    rest = np.where(direction > 0, 0.0, weights - w * direction)
    return t * direction + (1.0 - t) / (1.0 - w) * rest


def lead_at(problem, direction, rows, leader, t) -> tuple[float, np.ndarray]:
    """The best rival's lead over the leader at t, and every candidate's closeness (methods.topsis)."""
    raw, weights, benefit, reference, candidates = problem
    scores = methods.topsis(raw[rows], moved(weights, direction, t), benefit, reference[rows])
    position = {int(v): i for i, v in enumerate(rows)}
    of = scores[[position[int(c)] for c in candidates]]
    rivals = of[candidates != leader]
    return float(rivals.max() - of[candidates == leader][0]), of


def scan(problem, direction, rows, leader, weight) -> float:
    """Distance from w to the nearest grid point (or w) at which some rival is ahead; inf if none.

    The points are visited outward from w, both ways at once, up to the first one where a rival leads."""
    ts = np.append(GRID, weight)
    for t in ts[np.argsort(np.abs(ts - weight), kind="stable")]:
        if lead_at(problem, direction, rows, leader, t)[0] > 1e-12:
            return abs(t - weight)
    return math.inf


def check_flip(point, problem, direction, rows, leader) -> None:
    w = point.weight
    if w >= 1.0 - 1e-12:  # the group holds every weight: there is no path to move along
        assert point == FlipPoint(w, None, None)
        return
    nearest = scan(problem, direction, rows, leader, w)
    if point.leader_changes_at is None:
        assert point.new_leader is None and nearest == math.inf
        return
    t, new = point.leader_changes_at, point.new_leader
    candidates = problem[4]
    # As near as the grid can tell: no grid point nearer than t has a rival ahead, t is no further
    # than the nearest one that has (a crossing on a grid point may be reported a rounding step early).
    assert nearest - STEP - 1e-12 <= abs(t - w) <= nearest + 1e-12, (t, w, nearest)
    side = np.sign(t - w)
    if abs(t - w) > 1e-9:  # just before t the leader is still first
        assert lead_at(problem, direction, rows, leader, t - side * 1e-9)[0] <= 1e-12
    far = t + side * 1e-9 if 1e-9 <= t <= 1.0 - 1e-9 else t  # at an end (or at w), t itself
    lead, scores = lead_at(problem, direction, rows, leader, far)
    assert lead > 0.0, (t, w, lead)
    assert scores[list(candidates).index(new)] == pytest.approx(scores.max(), abs=1e-12)


def random_flip_problem(rng: np.random.Generator):
    segments = int(rng.integers(1, 4))
    n, m = segments * int(rng.integers(2, 5)), int(rng.integers(2, 5))
    # Half the cases hold rubric-like integers: exact ties, equal columns, vendors at both ideal points.
    integers = rng.random() < 0.5
    raw = rng.integers(0, 6, (n, m)).astype(float) if integers else rng.uniform(1.0, 10.0, (n, m))
    raw[rng.random((n, m)) < 0.15] = NAN
    weights = rng.dirichlet(np.ones(m))
    if rng.random() < 0.3:
        weights[rng.integers(m)] = 0.0
        weights /= weights.sum()
    segment = rng.permutation(np.arange(n) % segments)
    eligible = rng.random(n) < 0.85
    reference = rng.random(n) < 0.85
    for code in range(segments):  # every segment keeps a reference vendor
        reference[np.flatnonzero(segment == code)[0]] = True
    groups = list(np.eye(m))
    members = rng.choice(m, size=2, replace=False)  # a category of two criteria, at its own shares
    row = np.zeros(m)
    row[members] = weights[members] / weights[members].sum() if weights[members].sum() > 0 else 0.5
    groups.append(row)
    return raw, weights, segment, eligible, rng.random(m) < 0.6, reference, np.array(groups)


def test_random_flip_points_match_a_brute_force_scan():
    rng = np.random.default_rng(2026)
    flipped = unchanged = 0
    for _ in range(25):
        raw, weights, segment, eligible, benefit, reference, groups = random_flip_problem(rng)
        base = closeness(raw, weights, segment, benefit, reference)
        leaders = {}
        for code in np.unique(segment):
            idx = np.flatnonzero(eligible & (segment == code))
            if idx.size:  # the rank-1 vendor, ties within 1e-9 to the lowest index
                leaders[int(code)] = int(idx[np.flatnonzero(base[idx] >= base[idx].max() - 1e-9)[0]])
        result = topsis_flip_points(
            raw, weights, groups, segment, eligible, leaders, benefit, reference=reference
        )
        for code, leader in leaders.items():
            rows = np.flatnonzero(segment == code)
            candidates = np.flatnonzero(eligible & (segment == code))
            problem = (raw, weights, benefit, reference, candidates)
            for direction, point in zip(groups, result[code], strict=True):
                assert point.weight == pytest.approx(weights[direction > 0].sum(), abs=1e-12)
                if candidates.size == 1:
                    assert point.leader_changes_at is None
                    continue
                check_flip(point, problem, direction, rows, leader)
                flipped += point.leader_changes_at is not None
                unchanged += point.leader_changes_at is None
    assert flipped > 20 and unchanged > 20  # both outcomes were exercised
