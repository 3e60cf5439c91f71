"""Flip points of a weighted-sum (WSM) ranking: how far one weight can move before a segment's leader
changes, found exactly (docs/scoring.md#flip-points).

:class:`FlipPoint`, the direction checks and the tolerances here are shared with the TOPSIS flip points
(:mod:`evaltool.sensitivity.topsis_flips`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
from numpy.typing import ArrayLike

from evaltool.sensitivity.inputs import (
    FloatArray,
    IntArray,
    _check_missing,
    _grades,
    _segment_members,
    _vendor_vector,
    _weights,
)
from evaltool.sensitivity.wsm import _points, _ratio, _scored

if TYPE_CHECKING:
    from evaltool.models import Missing

_LEAD_TOLERANCE = 1e-12  # a challenger "scores strictly higher" when ahead by more than rounding noise
_SAME_POINT = 1e-9  # flip points of two challengers closer than this are the same point


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
