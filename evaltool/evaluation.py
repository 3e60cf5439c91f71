"""One evaluation: score, sensitivity, recommendation and provenance, computed once and read by every output.

The report, the exports and the dashboard all take an :class:`Evaluation`; none of them recomputes a
number, so the figures in the report and in the scorecard agree to the last digit.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from evaltool import __version__, sensitivity
from evaltool.errors import Problem
from evaltool.models import Profile
from evaltool.recommend import Recommendation, recommend
from evaltool.scope import segment_warnings
from evaltool.scoring import Method, ScoreResult, score
from evaltool.workspace import SourceFile, Workspace

DEFAULT_SAMPLES = 10_000
DEFAULT_SEED = 42
DEFAULT_CONCENTRATION = 100.0


@dataclass(frozen=True)
class Stability:
    """How one vendor fares when the weights vary (WSM)."""

    id: str
    segment: str
    p_top: float
    rank_probabilities: tuple[float, ...]  # P(rank 1), P(rank 2), ... over the segment's eligible vendors
    score_interval: tuple[float, float]  # 5th and 95th percentile of the WSM score
    mean_score: float


@dataclass(frozen=True)
class Flip:
    """How far one weight (a criterion's or a category's) must move before a segment's leader changes."""

    segment: str
    kind: str  # "criterion" or "category"
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

    def segment_flips(self, segment: str, kind: str = "criterion") -> list[Flip]:
        """The flip points of one segment, nearest first (those that never flip last)."""
        rows = [f for f in self.flips if f.segment == segment and f.kind == kind]
        return sorted(
            rows, key=lambda f: (f.leader_changes_at is None, abs((f.leader_changes_at or 0) - f.weight))
        )


@dataclass(frozen=True)
class Provenance:
    """What a decision rested on: tool, inputs, settings and time."""

    tool_version: str
    generated_at: str
    as_of: str
    workspace: str
    profile: str | None
    method: str
    missing: str
    samples: int
    seed: int
    concentration: float
    input_sha256: str
    files: tuple[SourceFile, ...]


@dataclass(frozen=True)
class Evaluation:
    """Everything an output needs."""

    result: ScoreResult
    sensitivity: Sensitivity
    recommendations: dict[str, Recommendation]
    provenance: Provenance
    warnings: tuple[Problem, ...]


def analyse(
    result: ScoreResult,
    *,
    samples: int = DEFAULT_SAMPLES,
    seed: int = DEFAULT_SEED,
    concentration: float = DEFAULT_CONCENTRATION,
    perturb_scores: bool = False,
) -> Sensitivity:
    """Run the Monte Carlo and the flip points on a ScoreResult (always WSM, as DESIGN §8 settles).

    With `perturb_scores`, each sample also draws every rubric grade uniformly between the lowest and the
    highest score its assessors gave (cells with one assessor, and metric values, stay as they are).
    """
    vendors = result.vendors()
    criteria = list(result.criteria)
    grades = np.array([[np.nan if v.cells[k.id].grade is None else v.cells[k.id].grade for k in criteria]
                       for v in vendors], dtype=float).reshape(len(vendors), len(criteria))  # fmt: skip
    weights = np.array([result.weights.criteria[k.id] for k in criteria])
    names = [s.name for s in result.segments]
    codes = np.array([names.index(v.segment) for v in vendors], dtype=np.int64)
    eligible = np.array([v.eligible for v in vendors], dtype=bool)
    mc = sensitivity.monte_carlo(
        grades, weights, codes, eligible, missing=result.missing,  # type: ignore[arg-type]
        samples=samples, seed=seed, concentration=concentration,
        score_bounds=_assessor_bounds(result, grades) if perturb_scores else None,
    )  # fmt: skip
    sizes = {s.name: sum(v.eligible for v in s.vendors) for s in result.segments}
    stability = {
        v.id: Stability(
            v.id, v.segment, float(mc.p_top[i]),
            tuple(float(p) for p in mc.rank_probabilities[i, : sizes[v.segment]]) if v.eligible else (),
            (float(mc.score_interval[i, 0]), float(mc.score_interval[i, 1])), float(mc.mean_score[i]),
        )
        for i, v in enumerate(vendors)
    }  # fmt: skip
    flips = _flips(result, grades, weights, codes, eligible)
    return Sensitivity(samples, seed, concentration, stability, tuple(flips), perturb_scores)


def _assessor_bounds(result: ScoreResult, grades: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Per cell, the lowest and highest rubric score the assessors gave; the grade itself elsewhere."""
    low, high = grades.copy(), grades.copy()
    for i, v in enumerate(result.vendors()):
        for j, k in enumerate(result.criteria):
            given = [e.given for e in v.cells[k.id].evidence if e.given is not None]
            if not k.is_metric and len(given) > 1:
                low[i, j], high[i, j] = min(given), max(given)
    return low, high


def _wsm_leaders(result: ScoreResult, offset: dict[str, int]) -> dict[int, int]:
    leaders: dict[int, int] = {}
    for code, segment in enumerate(result.segments):
        totals = [v.wsm for v in segment.vendors]
        eligible = [i for i, v in enumerate(segment.vendors) if v.eligible]
        if eligible:
            top = max(totals[i] for i in eligible)
            tied = [i for i in eligible if totals[i] >= top - 1e-9]
            leaders[code] = offset[segment.name] + min(tied, key=lambda i: segment.vendors[i].id)
    return leaders


def _groups(result: ScoreResult) -> tuple[list[tuple[str, str]], np.ndarray]:
    criteria = list(result.criteria)
    rows: list[tuple[str, str]] = [("criterion", k.id) for k in criteria]
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


def _flips(
    result: ScoreResult, grades: np.ndarray, weights: np.ndarray, codes: np.ndarray, eligible: np.ndarray
) -> list[Flip]:
    vendors = result.vendors()
    offset, start = {}, 0
    for segment in result.segments:
        offset[segment.name] = start
        start += len(segment.vendors)
    leaders = _wsm_leaders(result, offset)
    if not leaders:
        return []
    rows, groups = _groups(result)
    found = sensitivity.flip_points(
        grades,
        weights,
        groups,
        codes,
        eligible,
        leaders,
        missing=result.missing,  # type: ignore[arg-type]
    )
    flips = []
    for code, points in found.items():
        name = result.segments[code].name
        for (kind, ident), point in zip(rows, points, strict=True):
            new = None if point.new_leader is None else vendors[point.new_leader].id
            flips.append(
                Flip(name, kind, ident, point.weight, vendors[leaders[code]].id, point.leader_changes_at, new)
            )
    return flips


def evaluate(
    workspace: Workspace,
    profile: Profile | None = None,
    *,
    method: Method = "wsm",
    segments: Sequence[str] | None = None,
    samples: int = DEFAULT_SAMPLES,
    seed: int = DEFAULT_SEED,
    concentration: float = DEFAULT_CONCENTRATION,
    perturb_scores: bool = False,
    now: dt.datetime | None = None,
) -> Evaluation:
    """Score, analyse and recommend in one go, with the provenance of the inputs."""
    result = score(
        workspace.catalog, workspace.vendors, profile, method=method, segments=segments, as_of=workspace.as_of
    )
    analysis = analyse(
        result, samples=samples, seed=seed, concentration=concentration, perturb_scores=perturb_scores
    )
    p_top = {vid: s.p_top for vid, s in analysis.vendors.items()}
    recommendations = {r.vendor: r for r in recommend(result, p_top)}
    moment = (now or dt.datetime.now(dt.UTC)).replace(microsecond=0)
    provenance = Provenance(
        tool_version=__version__,
        generated_at=moment.isoformat(),
        as_of=workspace.as_of.isoformat(),
        workspace=workspace.root.resolve().name,
        profile=result.profile_id,
        method=method,
        missing=result.missing,
        samples=samples,
        seed=seed,
        concentration=concentration,
        input_sha256=workspace.input_hash(),
        files=workspace.files,
    )
    return Evaluation(result, analysis, recommendations, provenance, segment_warnings(workspace, segments))
