"""Tests of evaltool.methods: published cases, hand-computed examples and properties.

Expected values come from the published cases of docs/scoring.md#reference-cases, from arithmetic done
by hand in the comments, or from the explicit-loop reimplementations below, which share no code with
methods.py.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from evaltool.methods import (
    RANDOM_INDEX,
    AhpResult,
    ahp,
    competition_rank,
    fill_missing_for_topsis,
    grade_linear,
    grade_minmax,
    topsis,
    topsis_gaps,
    wsm,
)

NAN = np.nan
TOL = 1e-9


# ------------------------------------------------------------------ independent loop references


def wsm_loops(grades: np.ndarray, weights: np.ndarray, missing: str) -> list[float]:
    """WSM cell by cell, straight from the definition."""
    scores = []
    for row in grades.tolist():
        num = sum(w * g for w, g in zip(weights, row, strict=True) if not math.isnan(g))
        den = sum(w for w, g in zip(weights, row, strict=True) if not math.isnan(g))
        if missing == "zero":
            scores.append(100 * num / 5)
        else:
            scores.append(100 * num / (5 * den) if den > 0 else 0.0)
    return scores


def topsis_loops(
    matrix: np.ndarray, weights: np.ndarray, benefit: list[bool], reference: list[bool] | None = None
) -> list[float]:
    """TOPSIS with NaN cells excluded, with explicit loops over rows and columns; only the reference rows
    (default all) count for the norms and the ideal points."""
    rows = matrix.tolist()
    n, m = len(rows), len(weights)
    ref = [True] * n if reference is None else reference
    v = [[math.nan] * m for _ in range(n)]
    for j in range(m):
        present = [i for i in range(n) if not math.isnan(rows[i][j]) and ref[i]]
        norm = math.sqrt(sum(rows[i][j] ** 2 for i in present))
        for i in range(n):
            if not math.isnan(rows[i][j]):
                v[i][j] = weights[j] * rows[i][j] / norm if norm > 0 else 0.0
    ideal, anti = [], []
    for j in range(m):
        col = [v[i][j] for i in range(n) if not math.isnan(v[i][j]) and ref[i]]
        hi, lo = (max(col), min(col)) if col else (0.0, 0.0)
        ideal.append(hi if benefit[j] else lo)
        anti.append(lo if benefit[j] else hi)
    result = []
    for i in range(n):
        cols = [j for j in range(m) if not math.isnan(v[i][j])]
        d_plus = math.sqrt(sum((v[i][j] - ideal[j]) ** 2 for j in cols))
        d_minus = math.sqrt(sum((v[i][j] - anti[j]) ** 2 for j in cols))
        result.append(d_minus / (d_plus + d_minus) if d_plus + d_minus > 0 else 0.5)
    return result


def ranks_by_definition(scores: list[float], tol: float = TOL) -> list[int]:
    """Competition rank as defined: 1 + how many scores exceed this one by more than tol."""
    return [1 + sum(other - s > tol for other in scores) for s in scores]


def power_iteration(a: np.ndarray) -> tuple[np.ndarray, float]:
    """Principal eigenvector (normalised to sum 1) and eigenvalue, without an eigen-solver."""
    w = np.ones(a.shape[0]) / a.shape[0]
    for _ in range(500):
        w = a @ w
        w /= w.sum()
    return w, float(np.mean(a @ w / w))


# ------------------------------------------------------------------------------ published cases

T1_MATRIX = np.array([[5, 8, 4], [7, 6, 8], [8, 8, 6], [7, 4, 6]], dtype=float)
T1_WEIGHTS = np.array([0.3, 0.4, 0.3])
T1_EXPECTED = [0.503719658580, 0.658084771962, 0.748248659941, 0.333997436943]

A1_MATRIX = np.array(
    [
        [1, 4, 3, 1, 3, 4],
        [1 / 4, 1, 7, 3, 1 / 5, 1],
        [1 / 3, 1 / 7, 1, 1 / 5, 1 / 5, 1 / 6],
        [1, 1 / 3, 5, 1, 1, 1 / 3],
        [1 / 3, 5, 5, 1, 1, 3],
        [1 / 4, 1, 6, 3, 1 / 3, 1],
    ]
)


def test_topsis_case_t1_tzeng_huang() -> None:
    closeness = topsis(T1_MATRIX, T1_WEIGHTS, np.array([True, True, True]))
    np.testing.assert_allclose(closeness, T1_EXPECTED, rtol=0, atol=TOL)
    assert competition_rank(closeness).tolist() == [3, 2, 1, 4]


def test_topsis_case_t2_opricovic_tzeng_cost_column() -> None:
    matrix = np.array([[1, 3000], [2, 3750], [5, 4500]], dtype=float)
    closeness = topsis(matrix, np.array([0.5, 0.5]), np.array([False, True]))
    np.testing.assert_allclose(closeness, [0.762140580124, 0.722177833229, 0.237859419876], rtol=0, atol=TOL)


def test_ahp_case_a1_wang_chin() -> None:
    result = ahp(A1_MATRIX)
    expected = [
        0.320770183263,
        0.139502745421,
        0.034768307700,
        0.128486018463,
        0.237389994740,
        0.139082750413,
    ]
    np.testing.assert_allclose(result.weights, expected, rtol=0, atol=TOL)
    assert result.lambda_max == pytest.approx(7.4198701019, abs=TOL)
    assert result.ci == pytest.approx((7.4198701019 - 6) / 5, abs=TOL)
    assert result.cr == pytest.approx(0.2290113068, abs=TOL)
    assert result.consistent is False


# ------------------------------------------------------------------------------------------- AHP


def test_ahp_perfectly_consistent_matrix_recovers_its_weights() -> None:
    w = np.array([0.5, 0.3, 0.2])
    result = ahp(w[:, None] / w[None, :])  # a_ij = w_i / w_j
    np.testing.assert_allclose(result.weights, w, rtol=0, atol=1e-12)
    assert result.lambda_max == pytest.approx(3.0, abs=1e-12)
    assert result.cr < 1e-12
    assert result.consistent is True


def test_ahp_mildly_inconsistent_matches_power_iteration() -> None:
    a = np.array([[1, 3, 5], [1 / 3, 1, 3], [1 / 5, 1 / 3, 1]])
    w, lam = power_iteration(a)
    result = ahp(a)
    np.testing.assert_allclose(result.weights, w, rtol=0, atol=1e-12)
    assert result.lambda_max == pytest.approx(lam, abs=1e-10)
    assert result.ci == pytest.approx((lam - 3) / 2, abs=1e-10)
    assert result.cr == pytest.approx((lam - 3) / 2 / 0.58, abs=1e-10)
    assert 0.01 < result.cr < 0.10  # Saaty's textbook example: CR about 0.033
    assert result.consistent is True


def test_ahp_picks_the_principal_eigenvalue_among_complex_ones() -> None:
    # LAPACK lists this matrix's eigenvalues as 0.48, 6.72, -1.6 ± 4.16i: the principal one is not first.
    a = np.array([[1, 3, 3, 3], [1 / 3, 1, 5, 1 / 5], [1 / 3, 1 / 5, 1, 5], [1 / 3, 5, 1 / 5, 1]])
    w, lam = power_iteration(a)
    result = ahp(a)
    np.testing.assert_allclose(result.weights, w, rtol=0, atol=1e-12)
    assert isinstance(result.lambda_max, float)
    assert result.lambda_max == pytest.approx(lam, abs=1e-10)
    assert result.cr == pytest.approx((lam - 4) / 3 / 0.90, abs=1e-10)
    assert result.consistent is False


def test_ahp_two_items_has_zero_ci_and_cr() -> None:
    result = ahp(np.array([[1, 3], [1 / 3, 1]]))
    np.testing.assert_allclose(result.weights, [0.75, 0.25], rtol=0, atol=1e-12)
    assert (result.ci, result.cr) == (0.0, 0.0)
    assert result.consistent is True


def test_ahp_nearly_reciprocal_entry_does_not_give_negative_ci() -> None:
    # 0.33 instead of 1/3 is accepted by validation; λmax then falls just below n.
    a = np.array([[1, 3, 1], [0.33, 1, 0.33], [1, 3, 1]])
    result = ahp(a)
    assert result.lambda_max < 3
    assert result.ci == 0.0
    assert result.cr == 0.0


def test_ahp_single_item() -> None:
    result = ahp(np.array([[1.0]]))
    assert list(result.weights) == [1.0]
    assert (result.lambda_max, result.ci, result.cr) == (1.0, 0.0, 0.0)


@pytest.mark.parametrize("shape", [(2, 3), (3,), (0, 0), (16, 16)])
def test_ahp_rejects_bad_shapes(shape: tuple[int, ...]) -> None:
    with pytest.raises(ValueError):
        ahp(np.ones(shape))


def test_random_index_is_saatys_table() -> None:
    assert sorted(RANDOM_INDEX) == list(range(1, 16))
    assert [RANDOM_INDEX[n] for n in (3, 6, 10, 12, 15)] == [0.58, 1.24, 1.49, 1.48, 1.59]


def test_ahp_result_consistent_threshold_is_inclusive() -> None:
    weights = np.array([1.0])
    assert AhpResult(weights, 3.0, 0.0, 0.10).consistent is True
    assert AhpResult(weights, 3.0, 0.0, 0.1000001).consistent is False


# --------------------------------------------------------------------------------------- grading


def test_grade_linear_higher_is_better_with_clipping_and_nan() -> None:
    grades = grade_linear(np.array([0, 50, 100, 150, -10, NAN]), best=100, worst=0)
    np.testing.assert_array_equal(grades, [0, 2.5, 5, 5, 0, NAN])


def test_grade_linear_lower_is_better() -> None:
    values = np.array([100_000, 550_000, 1_000_000, 50_000, 2_000_000, 280_000])
    grades = grade_linear(values, best=100_000, worst=1_000_000)
    np.testing.assert_allclose(grades, [5, 2.5, 0, 5, 0, 4], rtol=0, atol=1e-12)


def test_grade_linear_keeps_shape() -> None:
    grades = grade_linear(np.array([[1.0, 2.0], [3.0, NAN]]), best=3, worst=1)
    np.testing.assert_array_equal(grades, [[0, 2.5], [5, NAN]])


def test_grade_linear_rejects_equal_anchors() -> None:
    with pytest.raises(ValueError):
        grade_linear(np.array([1.0]), best=2, worst=2)


def test_grade_minmax_both_directions_with_nan() -> None:
    values = np.array([10, 20, NAN, 30])
    np.testing.assert_array_equal(grade_minmax(values, higher=True), [0, 2.5, NAN, 5])
    np.testing.assert_array_equal(grade_minmax(values, higher=False), [5, 2.5, NAN, 0])


@pytest.mark.parametrize("higher", [True, False])
def test_grade_minmax_all_equal_gets_midpoint(higher: bool) -> None:
    np.testing.assert_array_equal(grade_minmax(np.array([7, NAN, 7]), higher), [2.5, NAN, 2.5])
    np.testing.assert_array_equal(grade_minmax(np.array([3.0]), higher), [2.5])


def test_grade_minmax_all_nan_stays_nan_without_warning() -> None:
    grades = grade_minmax(np.array([NAN, NAN]), higher=True)
    assert grades.shape == (2,)
    assert np.isnan(grades).all()


# ------------------------------------------------------------------------------------------- WSM

# weights 0.5 / 0.3 / 0.2
# row 0: 5, 3, -   zero: 100·(2.5 + 0.9)/5 = 68      exclude: 100·3.4/(5·0.8) = 85
# row 1: -, -, -   zero: 0                           exclude: 0 (nothing scored)
# row 2: 4, -, 2   zero: 100·(2.0 + 0.4)/5 = 48      exclude: 100·2.4/(5·0.7) = 480/7
WSM_GRADES = np.array([[5, 3, NAN], [NAN, NAN, NAN], [4, NAN, 2]])
WSM_WEIGHTS = np.array([0.5, 0.3, 0.2])


def test_wsm_zero_policy_by_hand() -> None:
    np.testing.assert_allclose(wsm(WSM_GRADES, WSM_WEIGHTS), [68, 0, 48], rtol=0, atol=1e-12)


def test_wsm_exclude_policy_by_hand() -> None:
    scores = wsm(WSM_GRADES, WSM_WEIGHTS, missing="exclude")
    np.testing.assert_allclose(scores, [85, 0, 480 / 7], rtol=0, atol=1e-12)


def test_wsm_exclude_row_with_only_zero_weight_criteria_scored_is_zero() -> None:
    scores = wsm(np.array([[NAN, NAN, 4.0], [5, 5, 5]]), np.array([0.5, 0.5, 0.0]), missing="exclude")
    assert scores.tolist() == [0.0, 100.0]


def test_wsm_zero_does_not_renormalise_weights() -> None:
    scores = wsm(np.array([[5.0, 5.0]]), np.array([0.3, 0.2]))
    assert scores.tolist() == pytest.approx([50.0], abs=1e-12)


def test_wsm_rejects_unknown_policy_and_bad_shapes() -> None:
    with pytest.raises(ValueError, match="missing"):
        wsm(WSM_GRADES, WSM_WEIGHTS, missing="mean")
    with pytest.raises(ValueError):
        wsm(WSM_GRADES, np.array([0.5, 0.5]))


# ---------------------------------------------------------------------------------------- TOPSIS

# X = [[3, -], [4, 3], [-, 4]], weights 0.5/0.5. Norms over present cells: 5 and 5, so
# v = [[0.3, -], [0.4, 0.3], [-, 0.4]]; both benefit: ideal (0.4, 0.4), anti-ideal (0.3, 0.3).
# row 0: D+ = 0.1, D- = 0 -> 0;  row 1: D+ = 0.1, D- = 0.1 -> 0.5;  row 2: D+ = 0, D- = 0.1 -> 1.
# Column 2 as a cost: ideal (0.4, 0.3), anti (0.3, 0.4): row 0 -> 0, row 1 -> D+ 0, D- > 0 -> 1, row 2 -> 0.
TOPSIS_NAN = np.array([[3, NAN], [4, 3], [NAN, 4]])


def test_topsis_excludes_nan_by_hand() -> None:
    closeness = topsis(TOPSIS_NAN, np.array([0.5, 0.5]), np.array([True, True]))
    np.testing.assert_allclose(closeness, [0, 0.5, 1], rtol=0, atol=1e-12)


def test_topsis_excludes_nan_with_cost_column_by_hand() -> None:
    closeness = topsis(TOPSIS_NAN, np.array([0.5, 0.5]), np.array([True, False]))
    np.testing.assert_allclose(closeness, [0, 1, 0], rtol=0, atol=1e-12)


def test_topsis_nan_example_matches_loops() -> None:
    matrix = np.array(
        [[250, 16, 12, NAN], [200, NAN, 8, 3], [300, 32, 16, 4], [NAN, 32, 8, 4], [275, 16, NAN, 2]]
    )
    weights = np.array([0.25, 0.25, 0.25, 0.25])
    benefit = [False, True, True, True]
    expected = topsis_loops(matrix, weights, benefit)
    np.testing.assert_allclose(topsis(matrix, weights, np.array(benefit)), expected, rtol=0, atol=1e-12)


def test_topsis_zero_norm_column_normalises_to_zero() -> None:
    # column 0 is all zeros: it contributes nothing, so only column 1 (1 vs 2) decides.
    closeness = topsis(np.array([[0.0, 1.0], [0.0, 2.0]]), np.array([0.5, 0.5]), np.array([True, True]))
    np.testing.assert_allclose(closeness, [0, 1], rtol=0, atol=1e-12)


def test_topsis_identical_rows_give_one_half() -> None:
    closeness = topsis(
        np.array([[2.0, 7.0], [2.0, 7.0], [2.0, 7.0]]), np.array([0.4, 0.6]), np.array([True, False])
    )
    assert closeness.tolist() == [0.5, 0.5, 0.5]


def test_topsis_all_nan_column_and_row() -> None:
    matrix = np.array([[1.0, NAN], [2.0, NAN], [NAN, NAN]])
    closeness = topsis(matrix, np.array([0.5, 0.5]), np.array([True, True]))
    assert closeness.tolist() == pytest.approx([0.0, 1.0, 0.5], abs=1e-12)


def test_topsis_rejects_bad_benefit_shape() -> None:
    with pytest.raises(ValueError, match="benefit"):
        topsis(T1_MATRIX, T1_WEIGHTS, np.array([True, True]))


def test_fill_missing_for_topsis() -> None:
    matrix = np.array([[NAN, 10, 50, NAN], [3, NAN, 100, NAN], [4, 30, NAN, NAN]])
    # rubric -> 0; metric benefit -> min present (10); metric cost -> max present (100); empty -> 0
    filled = fill_missing_for_topsis(
        matrix, is_metric=np.array([False, True, True, True]), benefit=np.array([True, True, False, True])
    )
    np.testing.assert_array_equal(filled, [[0, 10, 50, 0], [3, 10, 100, 0], [4, 30, 100, 0]])
    assert np.isnan(matrix[0, 0])  # the input is left alone


def test_fill_missing_for_topsis_rubric_cost_column_still_zero() -> None:
    filled = fill_missing_for_topsis(np.array([[NAN], [4.0]]), np.array([False]), np.array([False]))
    assert filled.tolist() == [[0.0], [4.0]]


# Reference rows. X = [[3, 4], [4, 3], [6, 8]], weights 0.5/0.5, rows 0 and 1 the reference: norms 5 and 5,
# v = [[0.3, 0.4], [0.4, 0.3], [0.6, 0.8]]. Both benefit: ideal (0.4, 0.4), anti-ideal (0.3, 0.3) from
# rows 0-1 only. Rows 0 and 1: D+ = D- = 0.1 -> 0.5 each. Row 2, beyond the ideal on both columns:
# D+ = √(0.2² + 0.4²) = √0.2, D- = √(0.3² + 0.5²) = √0.34 -> √0.34 / (√0.2 + √0.34).
# Column 1 a cost: ideal (0.4, 0.3), anti (0.3, 0.4): row 0 -> 0, row 1 -> 1; row 2: D+ = √(0.04 + 0.25)
# = √0.29, D- = √(0.09 + 0.16) = 0.5 -> 0.5 / (0.5 + √0.29).
REFERENCE_MATRIX = np.array([[3.0, 4.0], [4.0, 3.0], [6.0, 8.0]])
FIRST_TWO = np.array([True, True, False])


def test_topsis_reference_rows_by_hand() -> None:
    closeness = topsis(REFERENCE_MATRIX, np.array([0.5, 0.5]), np.array([True, True]), FIRST_TWO)
    expected = [0.5, 0.5, math.sqrt(0.34) / (math.sqrt(0.2) + math.sqrt(0.34))]
    np.testing.assert_allclose(closeness, expected, rtol=0, atol=1e-15)
    closeness = topsis(REFERENCE_MATRIX, np.array([0.5, 0.5]), np.array([True, False]), FIRST_TWO)
    np.testing.assert_allclose(closeness, [0.0, 1.0, 0.5 / (0.5 + math.sqrt(0.29))], rtol=0, atol=1e-15)


def test_topsis_row_outside_the_reference_leaves_the_others_unchanged() -> None:
    matrix = np.array([[250, 16, 12, NAN], [200, NAN, 8, 3], [300, 32, 16, 4], [NAN, 32, 8, 4]])
    weights, benefit = np.array([0.1, 0.2, 0.3, 0.4]), np.array([False, True, True, True])
    alone = topsis(matrix, weights, benefit)
    for newcomer in ([1e6, 1.0, NAN, 99.0], [NAN, NAN, NAN, NAN], [0.0, 0.0, 0.0, 0.0]):
        grown = np.vstack([matrix, newcomer])
        closeness = topsis(grown, weights, benefit, np.array([True] * 4 + [False]))
        np.testing.assert_allclose(closeness[:4], alone, rtol=0, atol=1e-15)
        if not np.isnan(newcomer).all():  # as a reference row it would move the norms or ideal points
            assert not np.allclose(topsis(grown, weights, benefit)[:4], alone)


def test_topsis_reference_of_every_row_is_the_default() -> None:
    weights, benefit = np.array([0.3, 0.7]), np.array([True, False])
    np.testing.assert_array_equal(
        topsis(TOPSIS_NAN, weights, benefit, np.ones(3, bool)), topsis(TOPSIS_NAN, weights, benefit)
    )


def test_topsis_reference_column_without_a_reference_value() -> None:
    # Column 1 has a value only outside the reference: it normalises to 0 with ideal points 0, so it adds
    # nothing; column 0 decides (3 vs 4 with row 2 at 4 too).
    matrix = np.array([[3.0, NAN], [4.0, NAN], [4.0, 7.0]])
    closeness = topsis(matrix, np.array([0.5, 0.5]), np.array([True, True]), FIRST_TWO)
    np.testing.assert_allclose(closeness, [0.0, 1.0, 1.0], rtol=0, atol=1e-15)


@pytest.mark.parametrize(
    ("reference", "message"),
    [
        (np.zeros(3, bool), "reference must select at least one row"),
        (np.array([1, 1, 0]), r"reference must be an \(3,\) bool mask, got int64 \(3,\)"),
        (np.array([True, True]), r"reference must be an \(3,\) bool mask, got bool \(2,\)"),
    ],
)
def test_topsis_bad_reference_is_refused(reference: np.ndarray, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        topsis(REFERENCE_MATRIX, np.array([0.5, 0.5]), np.array([True, True]), reference)
    with pytest.raises(ValueError, match=message):
        fill_missing_for_topsis(REFERENCE_MATRIX, np.array([True, True]), np.array([True, True]), reference)


def test_fill_missing_for_topsis_worst_value_of_the_reference_rows() -> None:
    # Column 0 a benefit metric: worst of the reference rows 1 and 2 is min(3, 4) = 3, not row 3's 1.
    # Column 1 a cost metric: worst of the reference rows is max(10, 30) = 30, not row 3's 90.
    matrix = np.array([[NAN, 10.0], [3.0, NAN], [4.0, 30.0], [1.0, 90.0], [NAN, NAN]])
    reference = np.array([True, True, True, False, False])
    filled = fill_missing_for_topsis(matrix, np.array([True, True]), np.array([True, False]), reference)
    np.testing.assert_array_equal(filled, [[3, 10], [3, 30], [4, 30], [1, 90], [3, 30]])


def test_topsis_gaps_by_hand() -> None:
    # REFERENCE_MATRIX unweighted: r = [[0.6, 0.8], [0.8, 0.6], [1.2, 1.6]]; ideal (0.8, 0.8), anti (0.6, 0.6)
    # from rows 0-1. G+ = (r - 0.8)², G- = (r - 0.6)².
    plus, minus = topsis_gaps(REFERENCE_MATRIX, np.array([True, True]), FIRST_TWO)
    np.testing.assert_allclose(plus, [[0.04, 0], [0, 0.04], [0.16, 0.64]], rtol=0, atol=1e-15)
    np.testing.assert_allclose(minus, [[0, 0.04], [0.04, 0], [0.36, 1.0]], rtol=0, atol=1e-15)
    plus, minus = topsis_gaps(TOPSIS_NAN, np.array([True, True]))  # r = [[0.6, -], [0.8, 0.6], [-, 0.8]]
    np.testing.assert_allclose(plus, [[0.04, 0], [0, 0.04], [0, 0]], rtol=0, atol=1e-15)
    np.testing.assert_allclose(minus, [[0, 0], [0.04, 0], [0, 0.04]], rtol=0, atol=1e-15)


# --------------------------------------------------------------------------------------- ranking


@pytest.mark.parametrize(
    ("scores", "ranks"),
    [
        ([90, 80, 80, 70], [1, 2, 2, 4]),
        ([70, 90, 80, 80], [4, 1, 2, 2]),
        ([1.0, 1.0 + 1e-12, 0.5], [1, 1, 3]),
        ([1.0, 1.0 + 2e-9], [2, 1]),
        ([0.0, 1e-9], [1, 1]),  # exceeding by exactly tol is still a tie
        ([5.0, 5.0, 5.0], [1, 1, 1]),
        ([], []),
    ],
)
def test_competition_rank(scores: list[float], ranks: list[int]) -> None:
    result = competition_rank(np.array(scores, dtype=float))
    assert result.dtype.kind == "i"
    assert result.tolist() == ranks


def test_competition_rank_rejects_nan() -> None:
    with pytest.raises(ValueError, match="NaN"):
        competition_rank(np.array([1.0, NAN]))


# ------------------------------------------------------------------------------------ properties

quarter_steps = st.integers(0, 4000).map(lambda k: k / 4)  # raw values 0..1000, exactly representable
grades_or_nan = st.one_of(st.just(NAN), st.floats(0, 5, allow_subnormal=False))
raw_or_nan = st.one_of(st.just(NAN), quarter_steps)


@st.composite
def problems(draw: st.DrawFn, cells: st.SearchStrategy[float], positive: bool = False) -> tuple:
    """An (n, m) matrix from `cells`, weights summing to 1, and benefit flags."""
    n, m = draw(st.integers(1, 8)), draw(st.integers(1, 6))
    matrix = draw(hnp.arrays(np.float64, (n, m), elements=cells))
    # Zero or at least 1e-6: a weight below about 1e-154 of the total squares to zero in double precision
    # (the closeness from squared weights then differs), and no catalog weighs that little.
    elements = (
        st.floats(0.01, 1) if positive else st.one_of(st.just(0.0), st.floats(1e-6, 1, allow_subnormal=False))
    )
    raw_w = draw(hnp.arrays(np.float64, (m,), elements=elements))
    assume(raw_w.sum() > 0)
    benefit = draw(hnp.arrays(np.bool_, (m,)))
    return matrix, raw_w / raw_w.sum(), benefit


@settings(max_examples=200)
@given(problems(grades_or_nan), st.sampled_from(["zero", "exclude"]))
def test_wsm_matches_loops_and_stays_in_range(problem: tuple, missing: str) -> None:
    grades, weights, _ = problem
    scores = wsm(grades, weights, missing)
    np.testing.assert_allclose(scores, wsm_loops(grades, weights, missing), rtol=0, atol=1e-9)
    assert ((scores >= 0) & (scores <= 100)).all()


@settings(max_examples=200)
@given(problems(raw_or_nan, positive=True))
def test_topsis_matches_loops_and_stays_in_unit_interval(problem: tuple) -> None:
    matrix, weights, benefit = problem
    closeness = topsis(matrix, weights, benefit)
    np.testing.assert_allclose(closeness, topsis_loops(matrix, weights, benefit.tolist()), rtol=0, atol=1e-9)
    assert ((closeness >= 0) & (closeness <= 1)).all()


@settings(max_examples=200)
@given(problems(raw_or_nan), st.data())
def test_topsis_with_reference_rows_and_its_gaps_match_loops(problem: tuple, data: st.DataObject) -> None:
    matrix, weights, benefit = problem
    reference = data.draw(hnp.arrays(np.bool_, (matrix.shape[0],)))
    assume(reference.any())
    expected = topsis_loops(matrix, weights, benefit.tolist(), reference.tolist())
    np.testing.assert_allclose(topsis(matrix, weights, benefit, reference), expected, rtol=0, atol=1e-9)
    # The same closeness from the squared gaps and the squared weights (weights may be 0 here).
    plus, minus = topsis_gaps(matrix, benefit, reference)
    d_plus, d_minus = np.sqrt(plus @ weights**2), np.sqrt(minus @ weights**2)
    total = d_plus + d_minus
    from_gaps = np.where(total > 0, d_minus / np.where(total > 0, total, 1.0), 0.5)
    np.testing.assert_allclose(from_gaps, expected, rtol=0, atol=1e-9)


@given(problems(raw_or_nan, positive=True), st.floats(0.01, 100))
def test_topsis_is_invariant_to_scaling_all_weights(problem: tuple, factor: float) -> None:
    matrix, weights, benefit = problem
    np.testing.assert_allclose(
        topsis(matrix, weights * factor, benefit), topsis(matrix, weights, benefit), rtol=0, atol=1e-9
    )


@given(problems(raw_or_nan, positive=True), st.data())
def test_permuting_rows_permutes_results(problem: tuple, data: st.DataObject) -> None:
    matrix, weights, benefit = problem
    order = np.array(data.draw(st.permutations(range(matrix.shape[0]))))
    grades = np.clip(matrix / 200, 0, 5)  # reuse the raw matrix as 0..5 grades for WSM
    for missing in ("zero", "exclude"):
        np.testing.assert_allclose(
            wsm(grades[order], weights, missing), wsm(grades, weights, missing)[order], rtol=0, atol=1e-12
        )
    np.testing.assert_allclose(
        topsis(matrix[order], weights, benefit), topsis(matrix, weights, benefit)[order], rtol=0, atol=1e-9
    )


@given(problems(grades_or_nan), st.sampled_from(["zero", "exclude"]), st.data())
def test_raising_a_grade_never_lowers_the_score(problem: tuple, missing: str, data: st.DataObject) -> None:
    grades, weights, _ = problem
    i = data.draw(st.integers(0, grades.shape[0] - 1))
    j = data.draw(st.integers(0, grades.shape[1] - 1))
    # Under "exclude" a newly scored cell may rightly lower the average, so only raise a scored cell.
    assume(missing == "zero" or not np.isnan(grades[i, j]))
    old = 0.0 if np.isnan(grades[i, j]) else grades[i, j]
    raised = grades.copy()
    raised[i, j] = data.draw(st.floats(old, 5))
    assert wsm(raised, weights, missing)[i] >= wsm(grades, weights, missing)[i] - 1e-12


@given(
    st.lists(st.one_of(st.integers(0, 5).map(float), st.floats(0, 100, allow_subnormal=False)), max_size=40)
)
def test_competition_rank_matches_definition(scores: list[float]) -> None:
    jittered = scores + [s + 1e-12 for s in scores[:5]]  # near-ties that must share a rank
    assert competition_rank(np.array(jittered, dtype=float)).tolist() == ranks_by_definition(jittered)


def test_topsis_scores_a_row_far_beyond_the_reference_norms_without_overflow() -> None:
    # the reference row sets a norm of 1e-154; the other row's 4 normalises to 4e154, whose square
    # overflows: its distances to the ideal and anti-ideal (both the reference's 1.0) are equal, so 0.5
    with np.errstate(all="raise"):
        closeness = topsis(
            np.array([[1e-154], [4.0]]), np.array([1.0]), np.array([False]), np.array([True, False])
        )
    assert closeness.tolist() == [0.5, 0.5]
