"""From a scoring result to its weight sensitivity: the result as the numerical core's arrays, and the
core's answers as vendors and segments again.

:func:`analyse` runs the Monte Carlo rank stability and the flip points of :mod:`evaltool.sensitivity`
with the result's own method (docs/scoring.md#sensitivity) and returns a :class:`Sensitivity`: per vendor
a :class:`Stability`, per segment and weight a :class:`Flip`, keyed by ids and segment names.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np

from evaltool.defaults import DEFAULT_CONCENTRATION, DEFAULT_SAMPLES, DEFAULT_SEED
from evaltool.scoring import ScoreResult, comparison_rows, topsis_matrix
from evaltool.sensitivity.flips import flip_points
from evaltool.sensitivity.stability import monte_carlo
from evaltool.sensitivity.topsis_flips import topsis_flip_points
from evaltool.sensitivity.topsis_stability import topsis_monte_carlo


@dataclass(frozen=True)
class Stability:
    """How one vendor fares when the weights vary (scored with the evaluation's method)."""

    id: str
    segment: str
    p_top: float
    rank_probabilities: tuple[float, ...]  # P(rank 1), P(rank 2), ... over the segment's ranked vendors
    score_interval: tuple[float, float]  # 5th and 95th percentile of the score (WSM points or closeness)
    mean_score: float


FlipKind = Literal["criterion", "category"]
"""Whose weight a flip point moves: one criterion's, or a whole category's."""


@dataclass(frozen=True)
class Flip:
    """How far one weight (a criterion's or a category's) must move before a segment's leader changes."""

    segment: str
    kind: FlipKind
    id: str
    weight: float
    leader: str
    leader_changes_at: float | None
    new_leader: str | None


@dataclass(frozen=True)
class Sensitivity:
    """Monte Carlo rank stability and exact flip points for every segment."""

    samples: int
    seed: int
    concentration: float
    vendors: dict[str, Stability]
    flips: tuple[Flip, ...]
    perturb_scores: bool = False  # rubric grades also drawn within the assessors' spread
    rank_depth: int = 0  # ranks that got a probability: every rank of a segment up to this many vendors

    def segment_flips(self, segment: str, kind: FlipKind = "criterion") -> list[Flip]:
        """The flip points of one segment, nearest first (those that never flip last)."""
        rows = [f for f in self.flips if f.segment == segment and f.kind == kind]
        return sorted(
            rows, key=lambda f: (f.leader_changes_at is None, abs((f.leader_changes_at or 0) - f.weight))
        )


def analyse(
    result: ScoreResult,
    *,
    samples: int = DEFAULT_SAMPLES,
    seed: int = DEFAULT_SEED,
    concentration: float = DEFAULT_CONCENTRATION,
    perturb_scores: bool = False,
) -> Sensitivity:
    """Run the Monte Carlo and the flip points on a ScoreResult, with the result's own method.

    Only ranked vendors (assessed and eligible) compete; the others still get score figures. With
    `perturb_scores` (WSM only), each sample also draws every rubric grade uniformly between the lowest
    and the highest score its assessors gave (cells with one assessor, and metric values, stay as they
    are).
    """
    if perturb_scores and result.method != "wsm":
        raise ValueError("perturbed scores are drawn for WSM only")
    if not result.uniform:
        # segments scored with different profiles: each is analysed around its own weights, exactly as a
        # run on that segment alone (docs/scoring.md#one-profile-per-segment)
        parts = [
            analyse(
                part, samples=samples, seed=seed, concentration=concentration, perturb_scores=perturb_scores
            )
            for part in result.parts()
        ]
        return Sensitivity(
            samples, seed, concentration, {k: s for p in parts for k, s in p.vendors.items()},
            tuple(f for p in parts for f in p.flips), perturb_scores, max(p.rank_depth for p in parts),
        )  # fmt: skip
    arrays = _arrays(result)
    if result.method == "wsm":
        mc = monte_carlo(
            arrays.grades, arrays.weights, arrays.codes, arrays.ranked, missing=result.missing,
            samples=samples, seed=seed, concentration=concentration,
            score_bounds=_assessor_bounds(result, arrays.grades) if perturb_scores else None,
        )  # fmt: skip
    else:
        mc = topsis_monte_carlo(
            arrays.raw, arrays.weights, arrays.codes, arrays.ranked, arrays.benefit,
            reference=arrays.reference, samples=samples, seed=seed, concentration=concentration,
        )  # fmt: skip
    vendors = result.vendors()
    sizes = {s.name: sum(v.ranked for v in s.vendors) for s in result.segments}
    stability = {
        v.id: Stability(
            v.id, v.segment, float(mc.p_top[i]),
            tuple(float(p) for p in mc.rank_probabilities[i, : sizes[v.segment]]) if v.ranked else (),
            (float(mc.score_interval[i, 0]), float(mc.score_interval[i, 1])), float(mc.mean_score[i]),
        )
        for i, v in enumerate(vendors)
    }  # fmt: skip
    flips = _flips(result, arrays)
    return Sensitivity(
        samples, seed, concentration, stability, tuple(flips), perturb_scores, int(mc.rank_depth)
    )


@dataclass(frozen=True)
class _Arrays:
    """A ScoreResult as the numerical core sees it: one row per vendor (in the result's order)."""

    grades: np.ndarray  # (n, m) WSM grades 0..5, NaN unscored
    raw: np.ndarray  # (n, m) the matrix TOPSIS ranks (per segment, gaps filled under `zero`)
    benefit: np.ndarray  # (m,) higher is better
    weights: np.ndarray  # (m,) effective criterion weights
    codes: np.ndarray  # (n,) segment index
    ranked: np.ndarray  # (n,) assessed and eligible: the vendors that compete
    reference: np.ndarray  # (n,) the rows that set each segment's relative scales


def _arrays(result: ScoreResult) -> _Arrays:
    vendors = result.vendors()
    criteria = list(result.criteria)
    shape = (len(vendors), len(criteria))

    def matrix(pick: str) -> np.ndarray:
        rows = [[np.nan if getattr(v.cells[k.id], pick) is None else getattr(v.cells[k.id], pick)
                 for k in criteria] for v in vendors]  # fmt: skip
        return np.array(rows, dtype=float).reshape(shape)

    grades, raw = matrix("grade"), matrix("raw")
    assessed = np.array([v.assessed for v in vendors], dtype=bool)
    codes = np.array([i for i, s in enumerate(result.segments) for _ in s.vendors], dtype=np.int64)
    reference = np.zeros(len(vendors), dtype=bool)
    benefit = np.array([k.higher_is_better if k.is_metric else True for k in criteria], dtype=bool)
    for code in range(len(result.segments)):
        rows = codes == code
        reference[rows] = comparison_rows(assessed[rows])
        if rows.any():
            raw[rows], benefit = topsis_matrix(raw[rows], criteria, result.missing, reference[rows])
    weights = np.array([result.weights.criteria[k.id] for k in criteria])
    ranked = np.array([v.ranked for v in vendors], dtype=bool)
    return _Arrays(grades, raw, benefit, weights, codes, ranked, reference)


def _assessor_bounds(result: ScoreResult, grades: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Per cell, the lowest and highest rubric score the assessors gave; the grade itself elsewhere."""
    low, high = grades.copy(), grades.copy()
    for i, v in enumerate(result.vendors()):
        for j, k in enumerate(result.criteria):
            given = [e.given for e in v.cells[k.id].evidence if e.given is not None]
            if not k.is_metric and len(given) > 1:
                low[i, j], high[i, j] = min(given), max(given)
    return low, high


def _leaders(result: ScoreResult) -> dict[int, int]:
    """Segment index -> row of its rank-1 vendor (the first listed: ties are listed by id)."""
    leaders: dict[int, int] = {}
    start = 0
    for code, segment in enumerate(result.segments):
        for i, v in enumerate(segment.vendors):
            if v.rank == 1:
                leaders[code] = start + i
                break
        start += len(segment.vendors)
    return leaders


def _groups(result: ScoreResult) -> tuple[list[tuple[FlipKind, str]], np.ndarray]:
    criteria = list(result.criteria)
    rows: list[tuple[FlipKind, str]] = [("criterion", k.id) for k in criteria]
    matrix = [np.eye(len(criteria))[j] for j in range(len(criteria))]
    position = {k.id: j for j, k in enumerate(criteria)}
    for category in result.catalog.categories:
        row = np.zeros(len(criteria))
        for k in category.criteria:
            row[position[k.id]] = result.weights.within[k.id]
        if result.weights.categories[category.id] == 0 or row.sum() <= 0:
            continue
        rows.append(("category", category.id))
        matrix.append(row / row.sum())
    return rows, np.array(matrix).reshape(len(rows), len(criteria))


def _flips(result: ScoreResult, arrays: _Arrays) -> list[Flip]:
    vendors = result.vendors()
    leaders = _leaders(result)
    if not leaders:
        return []
    rows, groups = _groups(result)
    if result.method == "wsm":
        found = flip_points(
            arrays.grades,
            arrays.weights,
            groups,
            arrays.codes,
            arrays.ranked,
            leaders,
            missing=result.missing,
        )
    else:
        found = topsis_flip_points(
            arrays.raw, arrays.weights, groups, arrays.codes, arrays.ranked, leaders, arrays.benefit,
            reference=arrays.reference,
        )  # fmt: skip
    flips = []
    for code, points in found.items():
        name = result.segments[code].name
        for (kind, ident), point in zip(rows, points, strict=True):
            new = None if point.new_leader is None else vendors[point.new_leader].id
            flips.append(
                Flip(name, kind, ident, point.weight, vendors[leaders[code]].id, point.leader_changes_at, new)
            )
    return flips
