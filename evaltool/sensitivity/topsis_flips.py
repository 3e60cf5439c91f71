"""Flip points of a TOPSIS ranking: how far one weight can move before a segment's leader changes.

The TOPSIS counterpart of :mod:`evaltool.sensitivity.flips`, with the same
:class:`~evaltool.sensitivity.flips.FlipPoint` and the same definition (docs/scoring.md#flip-points).
Along a flip-point path every weight is linear in t, so D⁺² and D⁻² are quadratics in t
(:mod:`evaltool.sensitivity.topsis`) and the sign of a rival's lead is that of a quartic: its roots are
probed and the nearest change bisected.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike

from evaltool.sensitivity.flips import _LEAD_TOLERANCE, _SAME_POINT, FlipPoint, _directions
from evaltool.sensitivity.inputs import (
    BoolArray,
    FloatArray,
    IntArray,
    _segment_members,
    _vendor_vector,
    _weights,
)
from evaltool.sensitivity.topsis import _flags, _raw, _reference, _segment_gaps

_GRID = np.linspace(0.0, 1.0, 129)  # extra probes of every flip-point path, should a root be lost
_BISECTIONS = 60  # halvings of a bracket narrower than a grid step: down to adjacent floats
_NEGLIGIBLE = 1e-13  # a polynomial coefficient this small relative to the largest one is taken as 0


@dataclass(frozen=True)
class _Path:
    """Each vendor's closeness along a weight path t -> w(t) = t d + (1 - t) s, t in [0, 1].

    d (the group's direction) and s (the other weights rescaled to sum 1) have disjoint supports, so
    wⱼ(t)² is t² dⱼ² or (1 - t)² sⱼ² and D±²(t) = (1 - t)² out± + t² in±, with out± = G± @ s² and
    in± = G± @ d².
    """

    out_plus: FloatArray
    in_plus: FloatArray
    out_minus: FloatArray
    in_minus: FloatArray

    def closeness(self, vendors: IntArray, t: float | FloatArray) -> FloatArray:
        """Closeness of ``vendors`` at ``t`` (broadcast together); 0.5 where D⁺ + D⁻ = 0."""
        u, v = (1.0 - t) ** 2, np.square(t)
        plus = np.sqrt(u * self.out_plus[vendors] + v * self.in_plus[vendors])
        minus = np.sqrt(u * self.out_minus[vendors] + v * self.in_minus[vendors])
        total = plus + minus
        out = np.full(np.shape(total), 0.5)
        np.divide(minus, total, out=out, where=total > 0.0)
        return out

    def lead(self, vendors: IntArray, other: int | IntArray, t: float | FloatArray) -> FloatArray:
        """How far ``vendors`` are ahead of ``other`` in closeness at ``t``."""
        return self.closeness(vendors, t) - self.closeness(np.asarray(other), t)

    def crossing(self, vendors: IntArray, other: int | IntArray) -> FloatArray:
        """Coefficients ``(k, 5)``, highest power first, of the quartic D⁻ᵥ² D⁺ₒ² - D⁻ₒ² D⁺ᵥ², whose sign is
        that of closeness(v) - closeness(o) wherever both have D⁺ + D⁻ > 0."""

        def quadratic(outer: FloatArray, inner: FloatArray) -> FloatArray:  # (1 - t)² out + t² in
            return np.column_stack([outer + inner, -2.0 * outer, outer])

        minus_v = quadratic(self.out_minus[vendors], self.in_minus[vendors])
        plus_v = quadratic(self.out_plus[vendors], self.in_plus[vendors])
        minus_o = quadratic(np.atleast_1d(self.out_minus[other]), np.atleast_1d(self.in_minus[other]))
        plus_o = quadratic(np.atleast_1d(self.out_plus[other]), np.atleast_1d(self.in_plus[other]))
        return _product(minus_v, plus_o) - _product(minus_o, plus_v)


def _product(p: FloatArray, q: FloatArray) -> FloatArray:
    """Row-wise product of quadratics ``(k, 3)`` (broadcast), highest power first: ``(k, 5)``."""
    return np.column_stack(
        [
            p[:, 0] * q[:, 0],
            p[:, 0] * q[:, 1] + p[:, 1] * q[:, 0],
            p[:, 0] * q[:, 2] + p[:, 1] * q[:, 1] + p[:, 2] * q[:, 0],
            p[:, 1] * q[:, 2] + p[:, 2] * q[:, 1],
            p[:, 2] * q[:, 2],
        ]
    )


def _unit_roots(coefficients: FloatArray) -> FloatArray:
    """Real parts in (0, 1) of the roots of each row's quartic ``(k, 5)``: ``(k, 4)``, NaN elsewhere.

    Eigenvalues of the companion matrices, all rows of one degree at once; coefficients below
    ``_NEGLIGIBLE`` relative to a row's largest are dropped first (changing the polynomial on [0, 1] by
    less than that), so a vanishing leading term lowers the degree instead of sending roots to infinity.
    Complex roots contribute their real part: these are only places to probe, never answers.
    """
    k = coefficients.shape[0]
    scale = np.abs(coefficients).max(axis=1, keepdims=True)
    c = np.divide(coefficients, scale, out=np.zeros_like(coefficients), where=scale > 0.0)
    c[np.abs(c) < _NEGLIGIBLE] = 0.0
    nonzero = c != 0.0
    degree = np.where(nonzero.any(axis=1), 4 - nonzero.argmax(axis=1), 0)
    roots = np.full((k, 4), np.nan)
    for deg in range(1, 5):
        rows = np.flatnonzero(degree == deg)
        if rows.size:
            tail = c[rows, 4 - deg :]
            companion = np.zeros((rows.size, deg, deg))
            companion[:, 0, :] = -tail[:, 1:] / tail[:, :1]
            companion[:, np.arange(1, deg), np.arange(deg - 1)] = 1.0
            roots[rows, :deg] = np.linalg.eigvals(companion).real
    return np.where((roots > 0.0) & (roots < 1.0), roots, np.nan)


def _probes(path: _Path, rivals: IntArray, leader: int, weight: float) -> FloatArray:
    """Sorted places ``(k, P)`` to test each rival against the leader: the grid, ``weight``, the rival's
    crossings with the leader and the middles between neighbours (the sign of the lead is constant
    between crossings, so each piece is decided by its middle; the grid guards against a lost root)."""
    k = rivals.size
    roots = _unit_roots(path.crossing(rivals, leader))
    roots = np.where(np.isnan(roots), weight, roots)  # a missing root is one more probe at ``weight``
    cuts = np.column_stack([np.broadcast_to(_GRID, (k, _GRID.size)), np.full(k, weight), roots])
    cuts.sort(axis=1)
    probes = np.column_stack([cuts, 0.5 * (cuts[:, :-1] + cuts[:, 1:])])
    probes.sort(axis=1)
    return probes


def _bisect(
    path: _Path, rivals: IntArray, leaders: IntArray, good: FloatArray, bad: FloatArray, threshold: FloatArray
) -> FloatArray:
    """Narrow each bracket [bad, good] (either order), where the rival's lead over its leader (row by
    row) exceeds ``threshold`` at ``good`` and not at ``bad``, down to adjacent floats; return the
    ``good`` ends."""
    for _ in range(_BISECTIONS):
        middle = 0.5 * (good + bad)
        inside = (middle != good) & (middle != bad)
        if not inside.any():
            break
        ahead = path.lead(rivals, leaders, middle) > threshold
        good = np.where(inside & ahead, middle, good)
        bad = np.where(inside & ~ahead, middle, bad)
    return good


def _bracket(
    probes: FloatArray, lead: FloatArray, weight: float, step: int
) -> tuple[FloatArray, FloatArray, FloatArray, BoolArray]:
    """For each rival, where to look for the nearest t to ``weight`` in direction ``step`` at which it is
    strictly ahead of the leader, from its ``lead`` at the sorted ``probes``: ``(good, bad, threshold,
    found)`` for :func:`_bisect`.

    ``good`` is the first probe ahead going away from ``weight`` (``weight`` itself is a probe, so a
    rival already ahead there gets ``weight``, with ``bad == good``). ``bad`` is the last probe before it
    where the lead is not positive, with "ahead" meaning a positive lead (``threshold`` 0): the crossing
    itself is found, not the place where the lead exceeds the rounding tolerance, which a shallow
    crossing puts far from it. Only if every probe in between leads by a hair is ``bad`` the probe just
    before, keeping the tolerance.
    """
    rows, columns = np.arange(probes.shape[0]), np.arange(probes.shape[1])
    order, leads = (probes, lead) if step > 0 else (probes[:, ::-1], lead[:, ::-1])
    onward = step * (order - weight) >= 0.0
    ahead = onward & (leads > _LEAD_TOLERANCE)
    first = ahead.argmax(axis=1)
    found = ahead[rows, first]
    good = order[rows, first]
    crossed = np.where(onward & (leads <= 0.0) & (columns < first[:, None]), columns, -1).max(axis=1)
    bad = order[rows, np.where(crossed >= 0, crossed, np.maximum(first - 1, 0))]
    bad = np.where(found & (good != weight), bad, good)
    return good, bad, np.where(crossed >= 0, 0.0, _LEAD_TOLERANCE), found


@dataclass(frozen=True)
class _Task:
    """The flip point to find for one group in one segment."""

    path: _Path
    candidates: IntArray
    leader: int
    weight: float

    @property
    def rivals(self) -> IntArray:
        return self.candidates[self.candidates != self.leader]

    @property
    def open(self) -> bool:
        """Whether there is a path to move along and someone to overtake on it."""
        return self.weight < 1.0 - 1e-12 and self.rivals.size > 0


def _brackets(task: _Task) -> tuple[FloatArray, ...]:
    """``(good, bad, threshold, found)`` of every rival going up from the weight, then going down."""
    rivals = task.rivals
    probes = _probes(task.path, rivals, task.leader, task.weight)
    lead = task.path.lead(rivals[:, None], task.leader, probes)
    up, down = _bracket(probes, lead, task.weight, 1), _bracket(probes, lead, task.weight, -1)
    return tuple(np.concatenate(pair) for pair in zip(up, down, strict=True))


def _reaches(tasks: list[_Task]) -> list[tuple[FloatArray, FloatArray]]:
    """For each task, each rival's nearest t above and below the weight where it is strictly ahead of the
    leader: ``(up, down)``, inf / -inf where there is none (see :func:`_bracket`).

    The brackets of every task are bisected together, each row against its own rival and leader (their
    path values gathered into one flat :class:`_Path`), so the bisection costs a few dozen array passes
    whatever the number of groups and segments.
    """
    rows = [np.concatenate([task.rivals, task.rivals]) for task in tasks]

    def gather(values: list[FloatArray]) -> FloatArray:
        own = [value[r] for value, r in zip(values, rows, strict=True)]
        leaders = [np.full(r.size, value[t.leader]) for value, r, t in zip(values, rows, tasks, strict=True)]
        return np.concatenate(own + leaders)

    flat = _Path(
        gather([t.path.out_plus for t in tasks]),
        gather([t.path.in_plus for t in tasks]),
        gather([t.path.out_minus for t in tasks]),
        gather([t.path.in_minus for t in tasks]),
    )
    good, bad, threshold, found = (
        np.concatenate(parts) for parts in zip(*map(_brackets, tasks), strict=True)
    )
    total = good.size
    reach = _bisect(flat, np.arange(total), np.arange(total, 2 * total), good, bad, threshold)
    reach = np.where(found, reach, np.nan)
    result = []
    for task, part in zip(tasks, np.split(reach, np.cumsum([r.size for r in rows])[:-1]), strict=True):
        k = task.rivals.size
        result.append((np.nan_to_num(part[:k], nan=np.inf), np.nan_to_num(part[k:], nan=-np.inf)))
    return result


def _ahead_after(path: _Path, first: int, second: int, t: float, step: int) -> bool:
    """Whether ``first`` is strictly ahead of ``second`` just past ``t`` in direction ``step``: at the
    middle between ``t`` and their next crossing (or the end of [0, 1]) that way."""
    roots = _unit_roots(path.crossing(np.array([first]), second))[0]
    beyond = roots[step * (roots - t) > _SAME_POINT]
    end = float(np.min(step * beyond)) * step if beyond.size else (1.0 if step > 0 else 0.0)
    return bool(path.lead(np.array([first]), second, 0.5 * (t + end))[0] > _LEAD_TOLERANCE)


def _new_leader(
    path: _Path, candidates: IntArray, flippers: IntArray, t: float, step: int, weight: float
) -> int:
    """The vendor that leads once the leader has lost: the best at ``t`` when ``t`` is ``weight`` (someone
    is ahead already) or an end of [0, 1], else the best of the rivals that overtake at ``t`` just past it."""
    if t in (0.0, 1.0, weight):
        return int(candidates[int(np.argmax(path.closeness(candidates, t)))])
    best = int(flippers[0])
    for rival in flippers[1:]:
        if _ahead_after(path, int(rival), best, t, step):
            best = int(rival)
    return best


def _settle(task: _Task, up: FloatArray, down: FloatArray) -> FlipPoint:
    """The flip point of one task from its rivals' reaches (see :func:`topsis_flip_points`)."""
    t_up, t_down, weight = float(up.min()), float(down.max()), task.weight
    if np.isinf(t_up) and np.isinf(t_down):
        return FlipPoint(weight=weight, leader_changes_at=None, new_leader=None)
    # The nearer side wins; at equal distance the lower weight is reported, as for WSM.
    t, step, reach = (t_down, -1, down) if weight - t_down <= t_up - weight else (t_up, 1, up)
    flippers = task.rivals[np.abs(reach - t) <= _SAME_POINT]
    return FlipPoint(
        weight=weight,
        leader_changes_at=t,
        new_leader=_new_leader(task.path, task.candidates, flippers, t, step, weight),
    )


def _flips(tasks: list[_Task]) -> list[FlipPoint]:
    """The flip point of every task, in order."""
    live = [task for task in tasks if task.open]
    reaches = iter(_reaches(live) if live else [])
    return [
        _settle(task, *next(reaches)) if task.open else FlipPoint(task.weight, None, None) for task in tasks
    ]


def _paths(
    plus: FloatArray, minus: FloatArray, weights: FloatArray, directions: FloatArray
) -> tuple[_Path, FloatArray]:
    """Paths for every direction row (columns of the path arrays) and the groups' current weights.

    w(t) = t d + (1 - t) s with s the weights outside the group divided by 1 - w (the group's weight):
    the form t d + (1 - t)/(1 - w) (weights - w d) of :func:`evaltool.sensitivity.flips.flip_point`, as inside
    the group the weights are w d.
    """
    support = directions > 0.0
    group = np.where(support, weights, 0.0).sum(axis=1)
    outside = 1.0 - group
    start = np.where(support, 0.0, weights) / np.where(outside > 1e-12, outside, 1.0)[:, None]
    start_sq, direction_sq = np.square(start).T, np.square(directions).T
    path = _Path(plus @ start_sq, plus @ direction_sq, minus @ start_sq, minus @ direction_sq)
    return path, group


def topsis_flip_points(
    raw: ArrayLike,
    weights: ArrayLike,
    groups: ArrayLike,
    segment: ArrayLike,
    eligible: ArrayLike,
    leaders: Mapping[int, int],
    benefit: ArrayLike,
    *,
    reference: ArrayLike | None = None,
) -> dict[int, list[FlipPoint]]:
    """Flip points of every group in every segment under TOPSIS, defined as for WSM.

    The group's weight w (the weights summed over the support of its direction row d) becomes t in
    [0, 1], spread inside the group by d; every other weight is scaled by (1 - t) / (1 - w). The result
    is the t nearest to w at which some other eligible vendor of the segment has a strictly higher
    closeness than the leader (None if there is none, or if w is 1), and the vendor that then leads (the
    best just past t). Norms and ideal points stay those of the segment's reference vendors (weights do
    not move them). Closeness is not linear in t, but the sign of a rival's lead is that of a quartic in t
    (see ``_Path.crossing``): each rival is probed at the quartic's roots, at w, on a guard grid of 129
    points and between them, and the nearest change is bisected to adjacent floats: ``leader_changes_at`` is
    the first float (going away from w) past the crossing, where the rival is ahead. At equal distance
    on both sides the lower t is reported.

    Args:
        raw: ``(n, m)`` decision matrix, NaN for left out (as for :func:`topsis_monte_carlo`).
        weights: ``(m,)`` effective criterion weights summing to 1.
        groups: ``(g, m)`` direction rows: the identity for one flip point per criterion; one row of
            within-category shares per category.
        segment: ``(n,)`` integer segment codes.
        eligible: ``(n,)`` booleans; the candidates of a segment are its eligible vendors.
        leaders: segment code -> index of its rank-1 vendor (ties broken by the caller), for each segment
            to analyse.
        benefit: ``(m,)`` booleans, False for a cost column.
        reference: optional ``(n,)`` booleans: the vendors that set their segment's norms and ideal points.

    Returns:
        segment code -> one :class:`~evaltool.sensitivity.flips.FlipPoint` per row of ``groups``, in order.
    """
    x = _raw(raw)
    n, m = x.shape
    w = _weights(weights, m)
    d = _directions(groups, w)
    seg = _vendor_vector(segment, n, "segment", np.int64).astype(np.int64)
    members = _segment_members(seg, _vendor_vector(eligible, n, "eligible", np.bool_).astype(np.bool_))
    for code, leader in leaders.items():
        if code not in members or leader not in members[code]:
            raise ValueError(f"leader {leader} is not an eligible vendor of segment {code}")
    plus, minus = _segment_gaps(x, _flags(benefit, m, "benefit"), seg, _reference(reference, n))
    paths, group = _paths(plus, minus, w, d)
    columns = [
        _Path(paths.out_plus[:, j], paths.in_plus[:, j], paths.out_minus[:, j], paths.in_minus[:, j])
        for j in range(d.shape[0])
    ]
    tasks = [
        _Task(path, members[code], int(leader), float(weight))
        for code, leader in leaders.items()
        for path, weight in zip(columns, group, strict=True)
    ]
    points = iter(_flips(tasks))
    return {code: [next(points) for _ in columns] for code in leaders}
