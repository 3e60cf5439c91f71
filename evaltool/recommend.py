"""The PoC recommendation and radar ring, from a ScoreResult and the rank stability.

Pure. Every rule and threshold lives in :mod:`evaltool.rules` (``RULES`` and :func:`rules_text`, the
paragraph printed in the README and in every report), so what the forum reads is what the code does.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

from evaltool import diligence, wording
from evaltool import poc as poc_loop
from evaltool.fmt import pct, score
from evaltool.models import Criterion, Method, PocStatus, Ring
from evaltool.poc import PocOutcome, Stage
from evaltool.rules import RULES, Rules, Scale
from evaltool.rules import rules_text as rules_text  # the rules paragraph, re-exported for the outputs
from evaltool.scoring import Cell, GateResult, ScoreResult, SegmentResult, VendorResult
from evaltool.wording import gap, names, samples_pct

Decision = Literal["proceed", "conditional", "do-not-proceed", "not-assessed"]
CONFIDENCE = {"poc": 1.0, "verified": 0.85, "documented": 0.6, "claimed": 0.3, None: 0.3}


@dataclass(frozen=True)
class PocCheck:
    """One measurable PoC success criterion."""

    metric: str
    target: str
    method: str
    source: str  # "vendor file" or "evidence gap"
    criterion: str | None = None  # the catalog criterion it tests
    result: str | None = None  # the vendor file's result, once measured
    outcome: poc_loop.Outcome = "pending"


@dataclass(frozen=True)
class PocPlan:
    """A PoC plan skeleton for a recommended vendor."""

    checks: tuple[PocCheck, ...]
    timebox_weeks: int
    exit_gates: tuple[str, ...]
    status: PocStatus | None
    owner: str | None
    cost: str | None = None
    environment: str | None = None
    data_classification: str | None = None
    decision_date: dt.date | None = None
    stage: Stage | None = None  # planned, running (week n of m), overrun, done or stopped


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
    poc: PocOutcome | None = None  # what the vendor's PoC measured and how it weighs
    poc_notes: tuple[str, ...] = ()  # which PoC results moved the scores and the decision

    @property
    def decision_text(self) -> str:
        """The decision in words (:func:`evaltool.wording.decision_text`)."""
        return wording.decision_text(self.decision)


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
        below = f"coverage {pct(v.coverage, 0)} below {pct(rules.min_coverage, 0)}"
        gaps.append(f"{below}: score the missing criteria")
    if v.stale:
        gaps.append("expired evidence: " + ", ".join(c.criterion for c in v.stale))
    if v.disagreements:
        gaps.append(
            "assessors disagree: "
            + ", ".join(f"{c.criterion} (spread {c.spread:g})" for c in v.disagreements)
        )
    if is_leader and p_top < rules.stable_p_top:
        gaps.append(f"unstable lead: first in only {samples_pct(p_top)} of weight samples")
    return gaps + diligence.gaps(v, result)  # open due-diligence findings (docs/scoring.md)


def _ring(
    v: VendorResult, decision: Decision, scale: Scale, method: Method, out: PocOutcome | None = None
) -> tuple[Ring, str]:
    """The suggested radar ring; never above *hold* for do-not-proceed, never *adopt* for conditional."""
    declared = v.vendor.radar
    if decision == "not-assessed":
        return "assess", "assessment not finished"
    if decision == "do-not-proceed":
        if not v.eligible:
            reason = "not eligible"
        elif out is not None and out.stopping:
            reason = wording.POC_GATED_MISS
        elif v.score < scale.min_score:
            reason = f"score below {score(scale.min_score, method)}"
        else:
            reason = "outranked in this segment"
        note = f" (declared {declared})" if declared and declared != "hold" else ""
        return "hold", reason + note
    strong = v.score >= scale.trial_score
    if declared == "adopt" and strong and decision == "conditional":
        return "trial", "declared adopt, but gaps remain to close (see the gaps)"
    if declared in ("adopt", "trial") and strong:
        return declared, f"declared {declared}, supported by score {score(v.score, method)}"
    if out is not None and out.all_met and decision == "proceed":
        return "trial", wording.POC_TRIAL
    poc = v.vendor.poc
    if poc is not None and poc.status == "done" and strong and not (out and out.missed):
        return "trial", "PoC done and score at trial level"
    if declared in ("adopt", "trial"):
        return "assess", (
            f"declared {declared}, but score {score(v.score, method)} is below "
            f"{score(scale.trial_score, method)}"
        )
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
    """A check on a criterion a PoC can measure: a metric's target, or the catalog's `poc_check` to pass."""
    if not criterion.is_metric:
        return PocCheck(criterion.name, "pass", criterion.poc_check or "", "evidence gap", criterion.id)
    if gate is not None:
        target = wording.gate_condition(criterion, gate)
    elif cell.raw is not None:
        target = f"{wording.gate_condition(criterion, cell.raw)} (as claimed)"
    elif criterion.grading is not None:
        target = wording.gate_condition(criterion, (criterion.grading.best + criterion.grading.worst) / 2)
    else:
        target = "measured and recorded"
    method = criterion.poc_check or "measured in the PoC environment"
    return PocCheck(criterion.name, target, method, "evidence gap", criterion.id)


def gate_risk(gate: GateResult, criterion: Criterion, cell: Cell, rules: Rules = RULES) -> str | None:
    """Why a passed gate is at risk in a PoC: untested (unscored), borderline, or low confidence."""
    if gate.actual is None:
        return "untested"
    if is_borderline(gate, criterion, rules):
        return "borderline"
    if _confidence(cell) < rules.low_confidence:
        return "low confidence"
    return None


def _exit_gate(criterion: Criterion, gate: GateResult, risk: str) -> str:
    """A gate at risk as a condition the vendor must keep: "keep encryption >= 2 (now 2.5; borderline)"."""
    now = "not assessed" if gate.actual is None else f"now {wording.gate_value(criterion, gate.actual)}"
    name = criterion.name
    if name[:1].isupper() and not name[1:2].isupper():  # keep acronyms ("SLA") as written
        name = name[0].lower() + name[1:]
    return f"keep {name} {wording.gate_condition(criterion, gate.threshold)} ({now}; {risk})"


def poc_plan(v: VendorResult, result: ScoreResult, rules: Rules = RULES) -> PocPlan:
    """The vendor's success criteria with their outcomes, then checks on its heaviest, weakest-evidenced
    criteria that a PoC can measure, and the gates at risk as conditions to keep."""
    poc = v.vendor.poc
    own = poc.success_criteria if poc else []
    checks = [
        PocCheck(s.metric, s.target, s.method or "", "vendor file", s.criterion,
                 s.result_text, s.outcome)
        for s in own
    ]  # fmt: skip
    covered = {s.criterion for s in own} | set(poc.results if poc else ())
    weights = result.weights.criteria
    measurable = [
        k for k in result.criteria if weights[k.id] > 0 and poc_loop.can_measure(k) and k.id not in covered
    ]
    ranked = sorted(measurable, key=lambda k: (-(weights[k.id] * (1 - _confidence(v.cells[k.id]))), k.id))
    checks += [_check_for(k, v.cells[k.id], result.gates.get(k.id)) for k in ranked[: rules.poc_checks]]
    by_id = {k.id: k for k in result.criteria}
    exit_gates = []
    for g in v.gates:
        risk = gate_risk(g, by_id[g.criterion], v.cells[g.criterion], rules)
        if risk is not None:
            exit_gates.append(_exit_gate(by_id[g.criterion], g, risk))
    exit_gates.append("every success criterion meets its target by the end of the timebox")
    exit_gates.append("vendor answers PoC requests within 5 business days")
    weeks = poc.timebox_weeks if poc is not None and poc.timebox_weeks else rules.default_timebox_weeks
    if poc is None:
        return PocPlan(tuple(checks), weeks, tuple(exit_gates), None, None)
    return PocPlan(
        tuple(checks), weeks, tuple(exit_gates), poc.status, poc.owner, poc.cost, poc.environment,
        poc.data_classification, poc.decision_date, poc_loop.stage(poc, result.as_of),
    )  # fmt: skip


def _missing_text(v: VendorResult, result: ScoreResult) -> str:
    """What is missing of a vendor not yet assessed, by category, heaviest first."""
    weights = result.weights.criteria
    by_category = []
    for category in result.catalog.categories:
        share = sum(weights[k.id] for k in category.criteria if v.cells[k.id].raw is None)
        if share > 0:
            by_category.append((share, category.name))
    by_category.sort(key=lambda x: -x[0])
    shown = ", ".join(f"{name} ({pct(share)})" for share, name in by_category[:4])
    more = f" and {len(by_category) - 4} more" if len(by_category) > 4 else ""
    return f"unscored: {shown}{more}" if shown else "no criterion scored"


def _decide(
    v: VendorResult, leader: VendorResult | None, result: ScoreResult, p_top: float, rules: Rules
) -> tuple[Decision, list[str], list[str]]:
    scale = rules.scale(result.method)
    if not v.assessed:
        scored = (
            f"only {pct(v.coverage, 0)} of the weight scored (ranking needs {pct(rules.min_assessed, 0)})"
        )
        return "not-assessed", [scored, _missing_text(v, result)], []
    if not v.eligible:
        return "do-not-proceed", [f"fails gate: {wording.failed_gates(v)}"], []
    method = result.method
    if v.score < scale.min_score:
        return (
            "do-not-proceed",
            [f"score {score(v.score, method)} below {score(scale.min_score, method)}"],
            [],
        )
    is_leader = leader is not None and leader.id == v.id
    lead = leader.score if leader is not None else v.score
    behind = max(0.0, lead - v.score)
    contender = is_leader or behind <= scale.contender_gap + 1e-12 or p_top >= rules.contender_p_top
    if not contender and leader is not None:
        first = samples_pct(p_top)
        reason = f"outranked: {leader.name} leads by {gap(behind, method)}; first in {first} of samples"
        return "do-not-proceed", [reason], []
    reasons = [
        "leads the segment" if is_leader else f"within reach of the leader ({gap(behind, method)} behind)"
    ]
    reasons.append(f"first in {samples_pct(p_top)} of weight samples")
    gaps = _gaps(v, result, p_top, is_leader, rules)
    return ("conditional" if gaps else "proceed"), reasons, gaps


@dataclass(frozen=True)
class SegmentVerdict:
    """What can be said of a segment as a whole: a leader, a tie, a choice down to one, or nobody."""

    segment: str
    state: Literal["leader", "tie", "only-one", "none"]
    leader: str | None  # the rank-1 vendor's id (first by id when tied on score)
    tied: tuple[str, ...]  # with a tie: the vendors it is between, most often first first
    ranked: int  # vendors in the ranking (assessed and eligible)
    not_eligible: int  # assessed vendors that fail a gate
    not_assessed: tuple[str, ...]  # vendors with too little scored to rank

    @property
    def tie(self) -> bool:
        """Whether the segment is too close to call."""
        return self.state == "tie"


def segment_verdict(
    segment: SegmentResult, p_top: Mapping[str, float], rules: Rules = RULES
) -> SegmentVerdict:
    """Leader, tie or choice down to one. Too close to call: the leader is first in fewer than
    ``rules.tie_p_top`` of the weight samples, or several vendors share rank 1; the tie is between those
    sharing rank 1 and the ranked vendors first in at least ``rules.contender_p_top`` of the samples (at
    least the two most often first)."""
    ranked = [v for v in segment.vendors if v.ranked]
    leader = segment.leader
    not_assessed = tuple(v.id for v in segment.vendors if not v.assessed)
    not_eligible = sum(1 for v in segment.vendors if v.assessed and not v.eligible)
    tied: tuple[str, ...] = ()
    if leader is None:
        state: Literal["leader", "tie", "only-one", "none"] = "none"
    elif len(ranked) == 1:
        state = "only-one"
    elif p_top.get(leader.id, 0.0) < rules.tie_p_top or sum(v.rank == 1 for v in ranked) > 1:
        # a leader first in too few samples, or several vendors sharing rank 1 (equal scores)
        state = "tie"
        order = sorted(ranked, key=lambda v: (v.rank != 1, -p_top.get(v.id, 0.0), v.rank or 0, v.id))
        close = [v.id for v in order if v.rank == 1 or p_top.get(v.id, 0.0) >= rules.contender_p_top]
        tied = tuple(close if len(close) >= 2 else [v.id for v in order[:2]])
    else:
        state = "leader"
    return SegmentVerdict(
        segment.name, state, leader.id if leader else None, tied, len(ranked), not_eligible, not_assessed
    )


def recommend_segment(
    segment: SegmentResult, result: ScoreResult, p_top: Mapping[str, float], rules: Rules = RULES
) -> list[Recommendation]:
    """A recommendation for every vendor of one segment, in the segment's order."""
    verdict = segment_verdict(segment, p_top, rules)
    scale = rules.scale(result.method)
    out = []
    by_id = {k.id: k for k in result.criteria}
    for v in segment.vendors:
        outcome = poc_loop.outcome(v, result.gates, result.as_of)
        decided = _decide(v, segment.leader, result, p_top.get(v.id, 0.0), rules)
        decision, reasons, gaps = _with_poc(*decided, outcome)
        if v.id == verdict.leader and verdict.state != "leader" and decision in ("proceed", "conditional"):
            reasons[0] = _leader_reason(verdict, segment)
        ring, why = _ring(v, decision, scale, result.method, outcome)
        plan = poc_plan(v, result, rules) if decision in ("proceed", "conditional") else None
        notes = wording.poc_notes(outcome, decided[0], decision, by_id) if outcome is not None else []
        out.append(
            Recommendation(
                v.id, v.segment, decision, tuple(reasons), tuple(gaps), ring, why, plan, outcome, tuple(notes)
            )
        )
    return out


def _with_poc(
    decision: Decision, reasons: list[str], gaps: list[str], outcome: PocOutcome | None
) -> tuple[Decision, list[str], list[str]]:
    """What the PoC's outcome adds (docs/scoring.md#the-poc-loop): a missed target on a gated criterion
    stops the vendor; other misses are gaps; a done PoC with every target met, the vendor eligible and a
    candidate, proceeds."""
    if outcome is None or decision == "not-assessed":
        return decision, reasons, gaps
    if outcome.stopping:
        return "do-not-proceed", [wording.poc_stop(outcome.stopping), *reasons], []
    if decision == "do-not-proceed":
        return decision, reasons, gaps
    gaps = gaps + [wording.poc_missed(c) for c in outcome.missed]
    if outcome.all_met:
        return "proceed", [*reasons, wording.poc_all_met(outcome)], gaps
    return ("conditional" if gaps else decision), reasons, gaps


def _leader_reason(verdict: SegmentVerdict, segment: SegmentResult) -> str:
    if verdict.state == "only-one":
        return "the only eligible vendor of the segment: the choice is down to one"
    others = [v.name for v in segment.vendors if v.id in verdict.tied and v.id != verdict.leader]
    return "first by score, but too close to call with " + names(others)


def recommend(result: ScoreResult, p_top: Mapping[str, float], rules: Rules = RULES) -> list[Recommendation]:
    """Recommendations for every vendor, by segment then rank."""
    return [
        r
        for segment in result.segments
        for r in recommend_segment(segment, result.for_segment(segment.name), p_top, rules)
    ]


def verdicts(
    result: ScoreResult, p_top: Mapping[str, float], rules: Rules = RULES
) -> dict[str, SegmentVerdict]:
    """Segment name -> its verdict, in the result's segment order."""
    return {s.name: segment_verdict(s, p_top, rules) for s in result.segments}
