"""The PoC recommendation and radar ring, from a ScoreResult and the rank stability.

Pure. Every rule and threshold lives in :data:`RULES` and :func:`rules_text`, the paragraph printed in the
README and in every report, so what the forum reads is what the code does.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

from evaltool.models import Criterion
from evaltool.scoring import Cell, GateResult, ScoreResult, SegmentResult, VendorResult

Decision = Literal["proceed", "conditional", "do-not-proceed"]
Ring = Literal["adopt", "trial", "assess", "hold"]
DECISION_TEXT: dict[str, str] = {
    "proceed": "proceed to PoC",
    "conditional": "conditional",
    "do-not-proceed": "do not proceed",
}
CONFIDENCE = {"poc": 1.0, "verified": 0.85, "documented": 0.6, "claimed": 0.3, None: 0.3}


@dataclass(frozen=True)
class Rules:
    """The thresholds of the recommendation; change them here and the README/report text follows."""

    min_score: float = 50.0  # WSM points below which a vendor is not taken further
    contender_gap: float = 5.0  # WSM points behind the leader that still make a PoC contender
    contender_p_top: float = 0.20  # or this probability of ranking first
    stable_p_top: float = 0.70  # the leader is stable when it stays first in this share of weightings
    min_coverage: float = 0.80  # weight share that must be scored
    borderline_rubric: float = 0.5  # a gate passed by less than this many rubric points is borderline
    borderline_metric: float = 0.10  # ... or within this fraction of a metric gate
    trial_score: float = 75.0  # with a PoC done: suggest the trial ring
    default_timebox_weeks: int = 6
    poc_checks: int = 3  # lowest-confidence, highest-weight criteria turned into PoC checks


RULES = Rules()


def rules_text(rules: Rules = RULES) -> str:
    """The recommendation rules in one paragraph, for the README and the report."""
    r = rules
    return (
        f"A vendor that fails any gate, or scores below {r.min_score:g} (WSM, 0-100), is *do not proceed* "
        "and goes to the *hold* ring. Among the eligible vendors of a segment, the leader and every vendor "
        f"within {r.contender_gap:g} points of it or ranking first in at least {r.contender_p_top:.0%} of "
        f"the weight samples are PoC candidates; the others are *do not proceed* (outranked). A candidate is "
        f"*proceed to PoC* when nothing needs closing first, else *conditional* with the gaps named: a gate "
        f"passed by less than {r.borderline_rubric:g} rubric points (or {r.borderline_metric:.0%} of a "
        f"metric gate), coverage below {r.min_coverage:.0%}, expired evidence, assessors 2+ points apart, "
        f"or a leader that stays first in fewer than {r.stable_p_top:.0%} of the weight samples. "
        f"Candidates go to the *assess* ring (PoC); one whose PoC is done and scores {r.trial_score:g} or "
        "more goes to *trial*; a declared ring is kept when the evidence supports it (adopt or trial "
        f"needs eligibility and at least {r.trial_score:g} points), otherwise the suggestion says why not. "
        f"The PoC plan lists the vendor's own success criteria, then its {r.poc_checks} highest-weight, "
        "lowest-confidence criteria as checks, a timebox (the vendor's, else "
        f"{r.default_timebox_weeks} weeks) and the gates as exit criteria."
    )


@dataclass(frozen=True)
class PocCheck:
    """One measurable PoC success criterion."""

    metric: str
    target: str
    method: str
    source: str  # "vendor file" or "evidence gap"


@dataclass(frozen=True)
class PocPlan:
    """A PoC plan skeleton for a recommended vendor."""

    checks: tuple[PocCheck, ...]
    timebox_weeks: int
    exit_gates: tuple[str, ...]
    status: str | None
    owner: str | None


@dataclass(frozen=True)
class Recommendation:
    """What to take to the forum for one vendor."""

    vendor: str
    segment: str
    decision: Decision
    reasons: tuple[str, ...]
    gaps: tuple[str, ...]
    ring: Ring
    ring_reason: str
    plan: PocPlan | None

    @property
    def decision_text(self) -> str:
        """The decision in words."""
        return DECISION_TEXT[self.decision]


def is_borderline(gate: GateResult, criterion: Criterion, rules: Rules = RULES) -> bool:
    """A gate passed by a thin margin: less than the rules' rubric points, or fraction of a metric gate."""
    if not gate.passed or gate.margin is None:
        return False
    if criterion.is_metric:
        return gate.margin < rules.borderline_metric * abs(gate.threshold)
    return gate.margin < rules.borderline_rubric


def _gaps(v: VendorResult, result: ScoreResult, p_top: float, is_leader: bool, rules: Rules) -> list[str]:
    by_id = {k.id: k for k in result.criteria}
    gaps = [
        f"borderline gate {g.criterion}: {g.reason}"
        for g in v.gates
        if is_borderline(g, by_id[g.criterion], rules)
    ]
    if v.coverage < rules.min_coverage:
        gaps.append(f"coverage {v.coverage:.0%} below {rules.min_coverage:.0%}: score the missing criteria")
    if v.stale:
        gaps.append("expired evidence: " + ", ".join(c.criterion for c in v.stale))
    if v.disagreements:
        gaps.append(
            "assessors disagree: "
            + ", ".join(f"{c.criterion} (spread {c.spread:g})" for c in v.disagreements)
        )
    if is_leader and p_top < rules.stable_p_top:
        gaps.append(f"unstable lead: first in only {p_top:.0%} of weight samples")
    return gaps


def _ring(v: VendorResult, decision: Decision, rules: Rules) -> tuple[Ring, str]:
    declared = v.vendor.radar
    if decision == "do-not-proceed" and (not v.eligible or v.wsm < rules.min_score):
        reason = "not eligible" if not v.eligible else f"score below {rules.min_score:g}"
        note = f" (declared {declared})" if declared and declared != "hold" else ""
        return "hold", reason + note
    strong = v.eligible and v.wsm >= rules.trial_score
    if declared in ("adopt", "trial") and strong:
        return declared, f"declared {declared}, supported by score {v.wsm:.1f}"
    poc = v.vendor.poc
    if poc is not None and poc.status == "done" and strong:
        return "trial", "PoC done and score at trial level"
    if declared in ("adopt", "trial"):
        return "assess", f"declared {declared}, but score {v.wsm:.1f} is below {rules.trial_score:g}"
    if decision == "do-not-proceed":
        return "assess", "eligible but outranked in this segment"
    return "assess", "PoC candidate"


def _confidence(cell: Cell) -> float:
    if cell.raw is None:
        return 0.0
    levels = [CONFIDENCE.get(e.level, 0.3) for e in cell.evidence if e.given is not None]
    base = sum(levels) / len(levels) if levels else 0.3
    if cell.stale:
        base *= 0.5
    if cell.disagreement:
        base *= 0.5
    return base


def _check_for(criterion: Criterion, cell: Cell, gate: float | None) -> PocCheck:
    if criterion.is_metric:
        op = ">=" if criterion.higher_is_better else "<="
        unit = f" {criterion.unit}" if criterion.unit else ""
        if gate is not None:
            target = f"{op} {gate:g}{unit}"
        elif cell.raw is not None:
            target = f"{op} {cell.raw:g}{unit} (as claimed)"
        elif criterion.grading is not None:
            target = f"{op} {(criterion.grading.best + criterion.grading.worst) / 2:g}{unit}"
        else:
            target = "measured and recorded"
        return PocCheck(criterion.name, target, "measured in the PoC environment", "evidence gap")
    level = min(5, max(3, math.ceil(gate or 0), math.ceil(cell.raw or 0)))
    anchor = (criterion.rubric or {}).get(level)
    target = f"rubric level >= {level}" + (f": {anchor}" if anchor else "")
    return PocCheck(criterion.name, target, "demonstrated and evidenced (level: poc)", "evidence gap")


def _exit_gate(criterion: Criterion, gate: GateResult) -> str:
    op = "<=" if criterion.is_metric and not criterion.higher_is_better else ">="
    unit = f" {criterion.unit}" if criterion.is_metric and criterion.unit else ""
    now = "not assessed" if gate.actual is None else f"now {gate.actual:g}{unit}"
    return f"{criterion.name} {op} {gate.threshold:g}{unit} ({now})"


def poc_plan(v: VendorResult, result: ScoreResult, rules: Rules = RULES) -> PocPlan:
    """Success criteria from the vendor's poc block, plus its weakest-evidenced heavy criteria."""
    poc = v.vendor.poc
    checks = [
        PocCheck(s.metric, s.target, s.method or "", "vendor file")
        for s in (poc.success_criteria if poc else [])
    ]
    weights = result.weights.criteria
    ranked = sorted(
        (k for k in result.criteria if weights[k.id] > 0),
        key=lambda k: (-(weights[k.id] * (1 - _confidence(v.cells[k.id]))), k.id),
    )
    checks += [_check_for(k, v.cells[k.id], result.gates.get(k.id)) for k in ranked[: rules.poc_checks]]
    by_id = {k.id: k for k in result.criteria}
    exit_gates = [_exit_gate(by_id[g.criterion], g) for g in v.gates]
    exit_gates.append("every success criterion meets its target by the end of the timebox")
    exit_gates.append("vendor answers PoC requests within 5 business days")
    weeks = poc.timebox_weeks if poc is not None and poc.timebox_weeks else rules.default_timebox_weeks
    return PocPlan(
        tuple(checks), weeks, tuple(exit_gates), poc.status if poc else None, poc.owner if poc else None
    )


def _decide(
    v: VendorResult, leader: VendorResult | None, result: ScoreResult, p_top: float, rules: Rules
) -> tuple[Decision, list[str], list[str]]:
    if not v.eligible:
        failed = "; ".join(f"{g.criterion} {g.reason}" for g in v.gates if not g.passed)
        return "do-not-proceed", [f"fails gate: {failed}"], []
    wsm = v.wsm
    if wsm < rules.min_score:
        return "do-not-proceed", [f"score {wsm:.1f} below {rules.min_score:g}"], []
    is_leader = leader is not None and leader.id == v.id
    lead_wsm = leader.wsm if leader is not None else wsm
    contender = is_leader or lead_wsm - wsm <= rules.contender_gap or p_top >= rules.contender_p_top
    if not contender:
        assert leader is not None
        reason = (
            f"outranked: {leader.name} leads by {lead_wsm - wsm:.1f} points; first in {p_top:.0%} of samples"
        )
        return "do-not-proceed", [reason], []
    reasons = [
        "leads the segment" if is_leader else f"within reach of the leader ({lead_wsm - wsm:.1f} points)"
    ]
    reasons.append(f"first in {p_top:.0%} of weight samples")
    gaps = _gaps(v, result, p_top, is_leader, rules)
    return ("conditional" if gaps else "proceed"), reasons, gaps


def recommend_segment(
    segment: SegmentResult, result: ScoreResult, p_top: Mapping[str, float], rules: Rules = RULES
) -> list[Recommendation]:
    """A recommendation for every vendor of one segment, in the segment's order."""
    out = []
    for v in segment.vendors:
        decision, reasons, gaps = _decide(v, segment.leader, result, p_top.get(v.id, 0.0), rules)
        ring, why = _ring(v, decision, rules)
        plan = poc_plan(v, result, rules) if decision != "do-not-proceed" else None
        out.append(Recommendation(v.id, v.segment, decision, tuple(reasons), tuple(gaps), ring, why, plan))
    return out


def recommend(result: ScoreResult, p_top: Mapping[str, float], rules: Rules = RULES) -> list[Recommendation]:
    """Recommendations for every vendor, by segment then rank."""
    return [r for segment in result.segments for r in recommend_segment(segment, result, p_top, rules)]
