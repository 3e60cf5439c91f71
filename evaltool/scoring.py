"""Scoring: (catalog, profile, vendors) -> ScoreResult, the single source of truth for every output.

Pure: no file access, no printing. The maths follows docs/scoring.md: effective weights, the decision
matrix (median over assessors, spread kept), WSM with metric grading or TOPSIS on the raw matrix, gates
checked apart from the score, missing-data policy, coverage, stale evidence and competition ranks.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import statistics
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Literal

import numpy as np

from evaltool import commercial, diligence, methods, poc, wording
from evaltool.ahp import AhpResult, ahp
from evaltool.defaults import DEFAULT_METHOD, resolve_as_of
from evaltool.models import Catalog, Criterion, Method, Missing, Profile, ScoreEntry, Vendor
from evaltool.rules import RULES

__all__ = ["Method", "Missing"]
METHODS: tuple[Method, ...] = ("wsm", "topsis")
DISAGREEMENT = 2.0  # a rubric cell whose assessors differ by this many points or more
TIE = 1e-9
Status = Literal["ranked", "not-eligible", "not-assessed"]


# --- weights -------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Weights:
    """Effective weights: category shares, within-category shares and their products (sum to 1)."""

    categories: dict[str, float]
    within: dict[str, float]
    criteria: dict[str, float]
    ahp: AhpResult | None


def _shares(raw: dict[str, float]) -> dict[str, float]:
    total = sum(raw.values())
    if total <= 0:
        return {key: 1.0 / len(raw) for key in raw}
    return {key: value / total for key, value in raw.items()}


def effective_weights(catalog: Catalog, profile: Profile | None) -> Weights:
    """Category share x criterion share within its category; a profile's overrides and AHP applied."""
    overrides = profile.weights if profile is not None else {}
    ahp_result = None
    if profile is not None and profile.ahp is not None:
        ahp_result = ahp(profile.ahp.matrix)
        raw_categories = dict(zip(profile.ahp.items, ahp_result.weights, strict=True))
    else:
        raw_categories = {c.id: overrides.get(c.id, c.weight) for c in catalog.categories}
    categories = _shares({c.id: raw_categories[c.id] for c in catalog.categories})
    within: dict[str, float] = {}
    for category in catalog.categories:
        within.update(_shares({k.id: overrides.get(k.id, k.weight) for k in category.criteria}))
    criteria = {
        k.id: categories[category.id] * within[k.id]
        for category in catalog.categories
        for k in category.criteria
    }
    return Weights(categories, within, criteria, ahp_result)


def effective_gates(catalog: Catalog, profile: Profile | None) -> dict[str, float]:
    """Criterion id -> gate threshold, after the profile's additions, changes and removals, then the
    due-diligence tier's gates (added, or raised where stricter)."""
    gates = {k.id: k.gate for k in catalog.criteria() if k.gate is not None}
    for key, gate in (profile.gates if profile is not None else {}).items():
        if gate is None:
            gates.pop(key, None)
        else:
            gates[key] = gate
    return diligence.tier_gates(catalog, profile, gates)


# --- the result ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Evidence:
    """One assessor's entry for one cell."""

    assessor: str
    given: float | None
    evidence: str | None = None
    level: str | None = None
    source: str | None = None
    expires: dt.date | None = None
    stale: bool = False
    measured: dt.date | None = None  # a PoC measurement's date (docs/scoring.md#the-poc-loop)


@dataclass(frozen=True)
class Cell:
    """One vendor x criterion cell of the decision matrix."""

    criterion: str
    raw: float | None  # median over the assessors who scored it (rubric score or metric value)
    grade: float | None  # 0..5 used by WSM (rubric as given, metric graded)
    contribution: float  # points of the 0..100 WSM total this cell contributes
    spread: float  # max - min over assessors
    assessors: int
    disagreement: bool
    stale: bool
    evidence: tuple[Evidence, ...]


@dataclass(frozen=True)
class GateResult:
    """A gate checked for one vendor."""

    criterion: str
    threshold: float
    actual: float | None
    passed: bool
    margin: float | None  # how far above (positive) or below the threshold, in the criterion's scale
    reason: str


@dataclass(frozen=True)
class VendorResult:
    """Everything computed for one vendor."""

    id: str
    name: str
    segment: str
    rank: int | None
    score: float
    wsm: float  # the WSM score (0..100) whatever the method; sensitivity and recommendation thresholds use it
    eligible: bool  # passes every gate
    gates: tuple[GateResult, ...]
    coverage: float
    categories: dict[str, float]
    cells: dict[str, Cell]
    vendor: Vendor
    assessed: bool = True  # enough of the weight scored to be ranked (Rules.min_assessed)

    @property
    def ranked(self) -> bool:
        """Whether the vendor takes part in the ranking: assessed and eligible."""
        return self.assessed and self.eligible

    @property
    def status(self) -> Status:
        """``ranked``, ``not-eligible`` (fails a gate) or ``not-assessed`` (too little scored)."""
        if not self.assessed:
            return "not-assessed"
        return "ranked" if self.eligible else "not-eligible"

    @property
    def unscored(self) -> list[str]:
        """Ids of the criteria nobody has scored."""
        return [c.criterion for c in self.cells.values() if c.raw is None]

    @property
    def failed_gates(self) -> list[str]:
        """Ids of the gated criteria this vendor fails."""
        return [g.criterion for g in self.gates if not g.passed]

    @property
    def stale(self) -> list[Cell]:
        """Cells resting on expired evidence."""
        return [c for c in self.cells.values() if c.stale]

    @property
    def disagreements(self) -> list[Cell]:
        """Rubric cells where assessors differ by 2 points or more."""
        return [c for c in self.cells.values() if c.disagreement]


@dataclass(frozen=True)
class Setup:
    """What a segment is scored with: a profile (None: the catalog's own weights), its effective weights
    and its gates (docs/scoring.md#one-profile-per-segment)."""

    profile: Profile | None
    weights: Weights
    gates: dict[str, float]

    @property
    def profile_id(self) -> str | None:
        """The profile's id, or None for the catalog's own weights."""
        return self.profile.id if self.profile is not None else None


def setup_for(catalog: Catalog, profile: Profile | None) -> Setup:
    """The weights and gates a profile (or the catalog alone) gives."""
    return Setup(profile, effective_weights(catalog, profile), effective_gates(catalog, profile))


class MixedSetupError(ValueError):
    """A whole-run weight, gate or profile was asked of a run whose segments use different profiles."""


@dataclass(frozen=True)
class SegmentResult:
    """The vendors of one segment, eligible ones by rank, then the rest by score."""

    name: str
    vendors: tuple[VendorResult, ...]
    setup: Setup

    @property
    def leader(self) -> VendorResult | None:
        """The rank-1 vendor (first by id when tied); None if no vendor is eligible."""
        return next((v for v in self.vendors if v.rank == 1), None)


@dataclass(frozen=True)
class ScoreResult:
    """The outcome of scoring a workspace with one method: each segment with its own setup (profile,
    weights, gates), which is the same for every segment unless profiles name their segments."""

    catalog: Catalog
    method: Method
    missing: Missing
    segments: tuple[SegmentResult, ...]
    as_of: dt.date
    criteria: tuple[Criterion, ...] = field(repr=False)
    base: Setup = field(repr=False)  # the --profile's setup, else the catalog's: segments no profile names

    @property
    def uniform(self) -> bool:
        """Whether every segment was scored with the same profile."""
        return len({s.setup.profile_id for s in self.segments}) <= 1

    @property
    def setup(self) -> Setup:
        """The setup every segment shares; MixedSetupError when segments use different profiles."""
        if not self.segments:
            return self.base
        if not self.uniform:
            used = ", ".join(f"{s.name}: {s.setup.profile_id or 'catalog weights'}" for s in self.segments)
            raise MixedSetupError(f"segments are scored with different profiles ({used}); read one segment")
        return self.segments[0].setup

    @property
    def profile(self) -> Profile | None:
        """The profile every segment was scored with (None: the catalog's weights)."""
        return self.setup.profile

    @property
    def profile_id(self) -> str | None:
        """The profile's id, or None for the catalog's own weights."""
        return self.setup.profile_id

    @property
    def weights(self) -> Weights:
        """The effective weights every segment was scored with."""
        return self.setup.weights

    @property
    def gates(self) -> dict[str, float]:
        """The gates in force in every segment."""
        return self.setup.gates

    @property
    def overall(self) -> Setup:
        """The setup the whole-run figures show: the shared one, else the base (the catalog's weights, or
        the --profile's), with each segment's own under its segment."""
        return self.setup if self.uniform else self.base

    def setup_of(self, segment: str) -> Setup:
        """The setup one segment was scored with (the base for a segment absent from the result)."""
        return next((s.setup for s in self.segments if s.name == segment), self.base)

    def for_segment(self, segment: str) -> ScoreResult:
        """The result restricted to one segment, with that segment's setup as its own (KeyError if absent)."""
        chosen = self.segment(segment)
        return dataclasses.replace(self, segments=(chosen,), base=chosen.setup)

    def parts(self) -> list[ScoreResult]:
        """The result as runs that each share one setup: itself when uniform, else one per segment."""
        if self.uniform:
            return [self]
        return [self.for_segment(s.name) for s in self.segments]

    def vendors(self) -> list[VendorResult]:
        """Every vendor, by segment then rank."""
        return [v for segment in self.segments for v in segment.vendors]

    def vendor(self, vendor_id: str) -> VendorResult:
        """One vendor's result (KeyError if absent)."""
        for result in self.vendors():
            if result.id == vendor_id:
                return result
        raise KeyError(vendor_id)

    def segment(self, name: str) -> SegmentResult:
        """One segment's result (KeyError if absent)."""
        for segment in self.segments:
            if segment.name == name:
                return segment
        raise KeyError(name)


# --- the decision matrix -------------------------------------------------------------------------------


def _entries(vendor: Vendor, criterion: Criterion, as_of: dt.date) -> list[Evidence]:
    found = poc.measured(vendor, criterion.id)
    if found is not None:  # a PoC measurement replaces the assessors' scores for its criterion
        return [Evidence("PoC", found.given, found.evidence, "poc", measured=found.date)]
    out = []
    for assessor, scores in vendor.all_assessments():
        if criterion.id not in scores:
            continue
        cell = scores[criterion.id]
        if isinstance(cell, ScoreEntry):
            stale = cell.expires is not None and cell.expires < as_of
            out.append(
                Evidence(assessor, cell.given, cell.evidence, cell.level, cell.source, cell.expires, stale)
            )
        else:
            out.append(Evidence(assessor, cell))
    computed = commercial.computed_value(criterion, vendor)
    return out if computed is None else _with_computed(out, computed, vendor)


def _with_computed(entries: list[Evidence], value: float, vendor: Vendor) -> list[Evidence]:
    """A computed value (docs/formats.md#commercial-keys) fills every entry that leaves the value out,
    keeping the assessor's evidence; with no entry at all it stands as the only one."""
    if not entries:
        return [Evidence("", value, wording.computed_evidence(vendor))]
    return [e if e.given is not None else dataclasses.replace(e, given=value) for e in entries]


@dataclass
class _Matrix:
    """Raw medians, spreads and evidence of one segment: rows vendors, columns criteria."""

    raw: np.ndarray
    spread: np.ndarray
    counts: np.ndarray
    evidence: list[list[tuple[Evidence, ...]]]


def _decision_matrix(vendors: Sequence[Vendor], criteria: Sequence[Criterion], as_of: dt.date) -> _Matrix:
    shape = (len(vendors), len(criteria))
    raw, spread, counts = np.full(shape, np.nan), np.zeros(shape), np.zeros(shape, dtype=int)
    evidence: list[list[tuple[Evidence, ...]]] = []
    for i, vendor in enumerate(vendors):
        row = []
        for j, criterion in enumerate(criteria):
            entries = _entries(vendor, criterion, as_of)
            values = [e.given for e in entries if e.given is not None]
            if values:
                raw[i, j] = statistics.median(values)
                spread[i, j] = max(values) - min(values)
                counts[i, j] = len(values)
            row.append(tuple(entries))
        evidence.append(row)
    return _Matrix(raw, spread, counts, evidence)


def _grades(
    raw: np.ndarray, criteria: Sequence[Criterion], segment: str, reference: np.ndarray
) -> np.ndarray:
    grades = raw.copy()
    for j, criterion in enumerate(criteria):
        if not criterion.is_metric:
            continue
        scale = criterion.grading_for(segment)
        if scale is not None:
            grades[:, j] = methods.grade_linear(raw[:, j], scale.best, scale.worst)
        else:
            grades[:, j] = methods.grade_minmax(raw[:, j], criterion.higher_is_better, reference)
    return grades


# --- gates and ranks -----------------------------------------------------------------------------------


def check_gate(criterion: Criterion, threshold: float, actual: float | None) -> GateResult:
    """Rubric: median score >= gate. Metric: value >= gate (higher) or <= gate (lower). Unscored fails."""
    if actual is None:
        reason = wording.gate_reason(criterion, threshold, None, False)
        return GateResult(criterion.id, threshold, None, False, None, reason)
    higher = criterion.higher_is_better if criterion.is_metric else True
    margin = actual - threshold if higher else threshold - actual
    passed = margin >= 0
    reason = wording.gate_reason(criterion, threshold, actual, passed)
    return GateResult(criterion.id, threshold, actual, passed, margin, reason)


def rank_order(
    ids: Sequence[str], scores: np.ndarray, ranked: np.ndarray, assessed: np.ndarray | None = None
) -> tuple[list[int], list[int | None]]:
    """Display order and ranks: ranked vendors by competition rank (ties by id), then the vendors that
    fail a gate by score, then the vendors not yet assessed by score."""
    ranks: list[int | None] = [None] * len(ids)
    idx = np.flatnonzero(ranked)
    if idx.size:
        for position, rank in zip(idx, methods.competition_rank(scores[idx], tol=TIE), strict=True):
            ranks[position] = int(rank)
    known = np.ones(len(ids), dtype=bool) if assessed is None else assessed
    # ties (within 1e-9) share a rank and are listed by id; the rest follow by score
    listed = sorted(
        range(len(ids)),
        key=lambda i: (
            ranks[i] is None,
            not known[i],
            ranks[i] or 0,
            0.0 if ranks[i] else -scores[i],
            ids[i],
        ),
    )
    return listed, ranks


# --- scoring -------------------------------------------------------------------------------------------


def _wsm_parts(grades: np.ndarray, weights: np.ndarray, missing: Missing) -> tuple[np.ndarray, np.ndarray]:
    """Totals (0..100) and per-cell contributions (points of the total)."""
    filled = np.nan_to_num(grades, nan=0.0)
    contributions = 100.0 * filled * weights / 5.0
    if missing == "exclude":
        scored = (~np.isnan(grades)) @ weights
        with np.errstate(invalid="ignore", divide="ignore"):
            factor = np.where(scored > 0, 1.0 / scored, 0.0)
        contributions = contributions * factor[:, None]
    return methods.wsm(grades, weights, missing), contributions


def _category_scores(
    method: Method, grades: np.ndarray, raw: np.ndarray, columns: list[int], within: np.ndarray,
    criteria: Sequence[Criterion], missing: Missing, reference: np.ndarray,
) -> np.ndarray:  # fmt: skip
    if method == "wsm":
        return methods.wsm(grades[:, columns], within, missing)
    return _topsis(raw[:, columns], within, [criteria[j] for j in columns], missing, reference)


def topsis_matrix(
    raw: np.ndarray, criteria: Sequence[Criterion], missing: Missing, reference: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """The matrix TOPSIS ranks (under ``zero`` the gaps filled) and each column's benefit direction."""
    benefit = np.array([c.higher_is_better if c.is_metric else True for c in criteria], dtype=bool)
    if missing == "zero":
        metric = np.array([c.is_metric for c in criteria], dtype=bool)
        return methods.fill_missing_for_topsis(raw, metric, benefit, reference=reference), benefit
    return raw, benefit


def _topsis(
    raw: np.ndarray,
    weights: np.ndarray,
    criteria: Sequence[Criterion],
    missing: Missing,
    reference: np.ndarray,
) -> np.ndarray:
    matrix, benefit = topsis_matrix(raw, criteria, missing, reference)
    return methods.topsis(matrix, weights, benefit, reference=reference)


def comparison_rows(assessed: np.ndarray) -> np.ndarray:
    """The vendors that set the relative scales of a segment (TOPSIS norms and ideal points, min-max
    grading) from its vendors' ``assessed`` mask: the assessed ones, or every vendor when none is yet."""
    return assessed if assessed.any() else np.ones_like(assessed)


def _score_segment(
    name: str, vendors: Sequence[Vendor], catalog: Catalog, setup: Setup, method: Method, as_of: dt.date
) -> SegmentResult:
    weights, gates = setup.weights, setup.gates
    criteria = catalog.criteria()
    w = np.array([weights.criteria[k.id] for k in criteria])
    matrix = _decision_matrix(vendors, criteria, as_of)
    scored = ~np.isnan(matrix.raw)
    coverage = np.clip(np.round(scored @ w, 12), 0.0, 1.0)
    assessed = coverage >= RULES.min_assessed - 1e-12
    reference = comparison_rows(assessed)
    grades = _grades(matrix.raw, criteria, name, reference)
    wsm_scores, contributions = _wsm_parts(grades, w, catalog.missing)
    scores = wsm_scores if method == "wsm" else _topsis(matrix.raw, w, criteria, catalog.missing, reference)
    position = {k.id: j for j, k in enumerate(criteria)}
    category_scores = {
        category.id: _category_scores(
            method, grades, matrix.raw, [position[k.id] for k in category.criteria],
            np.array([weights.within[k.id] for k in category.criteria]), criteria, catalog.missing,
            reference,
        )
        for category in catalog.categories
    }  # fmt: skip
    by_id = catalog.criterion_map()
    # plain lists: building the cells from numpy scalars one at a time costs more than the maths
    raw, grade, points = matrix.raw.tolist(), grades.tolist(), contributions.tolist()
    spread, counts = matrix.spread.tolist(), matrix.counts.tolist()
    gate_results = [
        tuple(check_gate(by_id[k], t, _value(raw[i][position[k]])) for k, t in gates.items())
        for i in range(len(vendors))
    ]
    eligible = np.array([all(g.passed for g in row) for row in gate_results], dtype=bool)
    listed, ranks = rank_order([v.id for v in vendors], scores, eligible & assessed, assessed)
    results = []
    for i in listed:
        cells = {
            k.id: Cell(
                criterion=k.id,
                raw=_value(raw[i][j]),
                grade=_value(grade[i][j]),
                contribution=points[i][j],
                spread=spread[i][j],
                assessors=counts[i][j],
                disagreement=not k.is_metric and spread[i][j] >= DISAGREEMENT,
                stale=any(e.stale for e in matrix.evidence[i][j]),
                evidence=matrix.evidence[i][j],
            )
            for j, k in enumerate(criteria)
        }
        results.append(
            VendorResult(
                id=vendors[i].id,
                name=vendors[i].name,
                segment=name,
                rank=ranks[i],
                score=float(scores[i]),
                wsm=float(wsm_scores[i]),
                eligible=bool(eligible[i]),
                gates=gate_results[i],
                coverage=float(coverage[i]),
                categories={c: float(s[i]) for c, s in category_scores.items()},
                cells=cells,
                vendor=vendors[i],
                assessed=bool(assessed[i]),
            )
        )
    return SegmentResult(name, tuple(results), setup)


def _value(x: float) -> float | None:
    return None if x != x else x  # NaN is the only value unequal to itself


def score(
    catalog: Catalog,
    vendors: Sequence[Vendor],
    profile: Profile | None = None,
    *,
    method: Method = DEFAULT_METHOD,
    segments: Sequence[str] | None = None,
    as_of: dt.date | None = None,
    segment_profiles: Mapping[str, Profile] | None = None,
) -> ScoreResult:
    """Score every vendor within its segment; `segments` limits which segments are returned.

    `profile` applies to every segment. Without it, a segment named in `segment_profiles` (what
    :meth:`Workspace.segment_profiles` gives) is scored with that profile, any other with the catalog's
    weights.
    """
    if method not in METHODS:
        raise ValueError(f"unknown method {method!r}")
    as_of = resolve_as_of(as_of)
    base = setup_for(catalog, profile)
    own = {} if profile is not None or segment_profiles is None else dict(segment_profiles)
    setups = {p.id: setup_for(catalog, p) for p in own.values()}
    names = _segment_names(catalog, vendors)
    chosen = [s for s in names if segments is None or s in segments]
    by_segment = {s: sorted((v for v in vendors if v.segment == s), key=lambda v: v.id) for s in chosen}
    results = tuple(
        _score_segment(s, members, catalog, setups[own[s].id] if s in own else base, method, as_of)
        for s, members in by_segment.items()
    )
    return ScoreResult(
        catalog=catalog,
        method=method,
        missing=catalog.missing,
        segments=results,
        as_of=as_of,
        criteria=tuple(catalog.criteria()),
        base=base,
    )


def _segment_names(catalog: Catalog, vendors: Sequence[Vendor]) -> list[str]:
    present = {v.segment for v in vendors}
    declared = [s for s in catalog.segments or [] if s in present]
    return declared + sorted(present - set(declared))
