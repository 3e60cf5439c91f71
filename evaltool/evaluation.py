"""One evaluation: score, sensitivity, recommendation and provenance, computed once and read by every output.

:func:`evaluate` composes them: score (:mod:`evaltool.scoring`), analyse (:mod:`evaltool.analysis`),
recommend (:mod:`evaltool.recommend`), then the provenance of the inputs. The report, the exports and the
dashboard all take an :class:`Evaluation`; none of them recomputes a number, so the figures in the report
and in the scorecard agree to the last digit.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from evaltool import __version__, wording
from evaltool.analysis import Sensitivity, analyse
from evaltool.decisions import Decision
from evaltool.defaults import (
    CATALOG_WEIGHTS,
    DEFAULT_CONCENTRATION,
    DEFAULT_METHOD,
    DEFAULT_SAMPLES,
    DEFAULT_SEED,
)
from evaltool.errors import Problem
from evaltool.models import Missing, Profile
from evaltool.recommend import Recommendation, SegmentVerdict, recommend, verdicts
from evaltool.scope import segment_warnings
from evaltool.scoring import Method, ScoreResult, score
from evaltool.workspace import SourceFile, Workspace

if TYPE_CHECKING:
    from evaltool.anonymize import Blind


@dataclass(frozen=True)
class Provenance:
    """What a decision rested on: tool, inputs, settings and time."""

    tool_version: str
    generated_at: str
    as_of: str
    workspace: str
    profile: str | None
    method: Method
    missing: Missing
    samples: int
    seed: int
    concentration: float
    input_sha256: str
    files: tuple[SourceFile, ...]
    blind: Blind | None = None  # a blind view: vendors relabelled, categories hidden (evaltool.anonymize)
    # segment -> the profile it was scored with (None: catalog weights); `profile` is the one every segment
    # shares, None when they differ (docs/scoring.md#one-profile-per-segment)
    profiles: tuple[tuple[str, str | None], ...] = ()

    @property
    def used(self) -> set[str | None]:
        """The profiles the segments were scored with (None: the catalog's weights)."""
        return {p for _, p in self.profiles} or {self.profile}

    @property
    def profile_tag(self) -> str:
        """The profile part of a default output name: the shared id, `catalog`, or `per-segment`."""
        used = self.used
        return "per-segment" if len(used) > 1 else next(iter(used)) or CATALOG_WEIGHTS

    @property
    def profile_label(self) -> str:
        """The profile in words: its id, "catalog weights", or each segment's when they differ."""
        used = self.used
        if len(used) == 1:
            return wording.profile_used(next(iter(used)))
        return "; ".join(f"{s}: {wording.profile_used(p)}" for s, p in self.profiles)


@dataclass(frozen=True)
class Evaluation:
    """Everything an output needs."""

    result: ScoreResult
    sensitivity: Sensitivity
    recommendations: dict[str, Recommendation]
    provenance: Provenance
    warnings: tuple[Problem, ...]
    verdicts: dict[str, SegmentVerdict]  # segment name -> leader, tie, choice down to one, or nobody
    decisions: tuple[Decision, ...] = ()  # the forum's records (docs/formats.md#decision-records)


def evaluate(
    workspace: Workspace,
    profile: Profile | None = None,
    *,
    method: Method = DEFAULT_METHOD,
    segments: Sequence[str] | None = None,
    samples: int = DEFAULT_SAMPLES,
    seed: int = DEFAULT_SEED,
    concentration: float = DEFAULT_CONCENTRATION,
    perturb_scores: bool = False,
    now: dt.datetime | None = None,
    segment_profiles: Mapping[str, Profile] | None = None,
) -> Evaluation:
    """Score, analyse and recommend in one go, with the provenance of the inputs.

    `segment_profiles` (what :meth:`Workspace.segment_profiles` gives) scores each segment it names with
    its own profile when no `profile` applies to all; a command run without --profile passes it.
    """
    result = score(
        workspace.catalog, workspace.vendors, profile, method=method, segments=segments,
        as_of=workspace.as_of, segment_profiles=segment_profiles,
    )  # fmt: skip
    analysis = analyse(
        result, samples=samples, seed=seed, concentration=concentration, perturb_scores=perturb_scores
    )
    p_top = {vid: s.p_top for vid, s in analysis.vendors.items()}
    recommendations = {r.vendor: r for r in recommend(result, p_top)}
    segment_verdicts = verdicts(result, p_top)
    moment = (now or dt.datetime.now(dt.UTC)).replace(microsecond=0)
    provenance = Provenance(
        tool_version=__version__,
        generated_at=moment.isoformat(),
        as_of=workspace.as_of.isoformat(),
        workspace=workspace.root.resolve().name,
        profile=result.profile_id if result.uniform else None,
        method=method,
        missing=result.missing,
        samples=samples,
        seed=seed,
        concentration=concentration,
        input_sha256=workspace.input_hash(),
        files=workspace.files,
        blind=workspace.blind,
        profiles=tuple((seg.name, seg.setup.profile_id) for seg in result.segments),
    )
    warnings = segment_warnings(workspace, segments)
    return Evaluation(
        result, analysis, recommendations, provenance, warnings, segment_verdicts, workspace.decisions
    )
