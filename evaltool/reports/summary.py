"""The leadership summary: per segment, the recommendation in one sentence, three reasons, the top risks,
the cost where known and the next step with a date. Shared by the report and the dashboard's Overview,
so both say the same sentences (worded by :mod:`evaltool.wording`).

The next step's date follows one rule (docs/scoring.md, "The executive summary"): a planned proof of
concept with a start date starts then and is decided when its timebox ends; a running one is decided when
its timebox ends; otherwise the decision goes to the forum held ``FORUM_DAYS`` after the as-of date.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from evaltool import fmt, wording
from evaltool.evaluation import Evaluation
from evaltool.recommend import RULES, is_borderline
from evaltool.scoring import SegmentResult, VendorResult

FORUM_DAYS = 14  # the next governance forum is taken to sit two weeks after the as-of date
TCO_CRITERION = "com-tco"  # the metric criterion holding the 3-year total cost of ownership
REASONS = 3
TOP_RISKS = 5
DECISION_REQUESTED = (
    "The forum is asked to approve, per segment, the vendors to take into a proof of concept and their "
    "suggested technology-radar ring, subject to the gaps listed."
)


@dataclass(frozen=True)
class SegmentSummary:
    """What leadership reads about one segment."""

    segment: str
    sentence: str
    reasons: tuple[str, ...]
    risks: tuple[str, ...]  # every risk and finding, most pressing first (the summary shows the first few)
    cost: str
    next_step: str

    @property
    def top_risks(self) -> tuple[str, ...]:
        """The risks the executive summary shows."""
        return self.risks[:TOP_RISKS]


def forum_date(as_of: str) -> dt.date:
    """The date of the forum that decides: the as-of date plus ``FORUM_DAYS``."""
    return dt.date.fromisoformat(as_of) + dt.timedelta(days=FORUM_DAYS)


def summaries(evaluation: Evaluation, segments: list[str] | None = None) -> tuple[SegmentSummary, ...]:
    """The summary of each segment of the evaluation (or of the segments named), in its order."""
    chosen = [s for s in evaluation.result.segments if segments is None or s.name in segments]
    return tuple(segment_summary(evaluation, s) for s in chosen)


def segment_summary(evaluation: Evaluation, segment: SegmentResult) -> SegmentSummary:
    """One segment's summary."""
    verdict = evaluation.verdicts[segment.name]
    by_id = {v.id: v for v in segment.vendors}
    p_top = {v.id: evaluation.sensitivity.vendors[v.id].p_top for v in segment.vendors}
    leader = by_id.get(verdict.leader or "")
    decision = evaluation.recommendations[leader.id].decision if leader is not None else "not-assessed"
    sentence = wording.summary_sentence(
        segment.name,
        verdict.state,
        None if leader is None else (leader.name, leader.score, p_top[leader.id], decision),
        [(by_id[i].name, p_top[i]) for i in verdict.tied],
        evaluation.result.method,
        alone=len(segment.vendors) == 1,
        poc_met=leader is not None
        and (outcome := evaluation.recommendations[leader.id].poc) is not None
        and outcome.all_met,
    )
    forward = _taken_forward(evaluation, segment)
    return SegmentSummary(
        segment=segment.name,
        sentence=sentence,
        reasons=_reasons(evaluation, segment),
        risks=risks(evaluation, segment),
        cost=wording.cost_sentence(_costs(evaluation, forward)),
        next_step=_next_step(evaluation, forward),
    )


def _taken_forward(evaluation: Evaluation, segment: SegmentResult) -> list[VendorResult]:
    """The PoC candidates, leader first."""
    recs = evaluation.recommendations
    return [v for v in segment.vendors if recs[v.id].decision in ("proceed", "conditional")]


def _reasons(evaluation: Evaluation, segment: SegmentResult) -> tuple[str, ...]:
    """The criteria that put the leader ahead of the next vendor most (weight x grade difference), or,
    alone, its strongest; with nobody ranked, why the vendors fail."""
    result = evaluation.result
    leader = segment.leader
    if leader is None:
        failed = [
            wording.risk_sentence(
                "fails", v.name, *_gate_words(evaluation, g.criterion, g.threshold, g.actual)
            )
            for v in segment.vendors
            for g in v.gates
            if not g.passed
        ]
        return tuple(failed[:REASONS])
    others = [v for v in segment.vendors if v.ranked and v.id != leader.id]
    second = others[0] if others else None
    weights = segment.setup.weights.criteria

    def gain(k: str) -> float:
        mine = leader.cells[k].grade or 0.0
        theirs = (second.cells[k].grade or 0.0) if second is not None else 0.0
        return weights[k] * (mine - theirs)

    ranked = sorted((k for k in result.criteria if gain(k.id) > 0), key=lambda k: -gain(k.id))
    return tuple(
        wording.reason_sentence(
            k.name,
            leader.cells[k.id].grade or 0.0,
            None if second is None else (second.name, second.cells[k.id].grade),
        )
        for k in ranked[:REASONS]
    )


def _gate_words(
    evaluation: Evaluation, criterion: str, threshold: float, actual: float | None
) -> tuple[str, str]:
    k = evaluation.result.catalog.criterion_map()[criterion]
    return k.name, wording.gate_in_words(k, threshold, actual)


def risks(evaluation: Evaluation, segment: SegmentResult) -> tuple[str, ...]:
    """Every risk and finding of a segment in plain words: the candidates' first (fragile lead, must-haves
    only just met, expired evidence, disagreement, low coverage), then the vendors ruled out."""
    forward = _taken_forward(evaluation, segment)
    out: list[str] = []
    leader = segment.leader
    if leader is not None and leader in forward:
        p = evaluation.sensitivity.vendors[leader.id].p_top
        if sum(v.ranked for v in segment.vendors) > 1 and p < RULES.stable_p_top:
            out.append(wording.risk_sentence("fragile", leader.name, "", wording.stays_first(p)))
    for v in forward:
        out += _vendor_risks(evaluation, v)
    for v in segment.vendors:
        if v in forward:
            continue
        for g in v.gates:
            if not g.passed:
                out.append(
                    wording.risk_sentence(
                        "fails", v.name, *_gate_words(evaluation, g.criterion, g.threshold, g.actual)
                    )
                )
    return tuple(out)


def gaps_in_words(evaluation: Evaluation, v: VendorResult) -> tuple[str, ...]:
    """What a conditional vendor must close first, in the summary's plain words (the recommendation's
    gaps: a fragile lead, must-haves only just met, expired evidence, disagreement, low coverage)."""
    segment = evaluation.result.segment(v.segment)
    fragile = []
    if segment.leader is not None and segment.leader.id == v.id:
        p = evaluation.sensitivity.vendors[v.id].p_top
        if p < RULES.stable_p_top:
            fragile.append(wording.risk_sentence("fragile", v.name, "", wording.stays_first(p)))
    return (*fragile, *_vendor_risks(evaluation, v))


def _vendor_risks(evaluation: Evaluation, v: VendorResult) -> list[str]:
    by_id = evaluation.result.catalog.criterion_map()
    out = [
        wording.risk_sentence(
            "borderline", v.name, *_gate_words(evaluation, g.criterion, g.threshold, g.actual)
        )
        for g in v.gates
        if is_borderline(g, by_id[g.criterion])
    ]
    for c in v.stale:
        dates = ", ".join(str(e.expires) for e in c.evidence if e.stale)
        out.append(wording.risk_sentence("stale", v.name, by_id[c.criterion].name, dates))
    for c in v.disagreements:
        given = ", ".join(f"{e.assessor or 'assessor'} {fmt.number(e.given)}" for e in c.evidence)
        out.append(wording.risk_sentence("disagree", v.name, by_id[c.criterion].name, given))
    if v.coverage < RULES.min_coverage:
        out.append(wording.risk_sentence("coverage", v.name, "", fmt.coverage(v.coverage)))
    return out


def tco(evaluation: Evaluation, v: VendorResult) -> str | None:
    """A vendor's 3-year total cost of ownership with its unit, where the catalog and the vendor have it."""
    criterion = evaluation.result.catalog.criterion_map().get(TCO_CRITERION)
    cell = v.cells.get(TCO_CRITERION)
    if criterion is None or cell is None or cell.raw is None:
        return None
    return fmt.number(cell.raw, criterion.unit)


def _costs(evaluation: Evaluation, forward: list[VendorResult]) -> list[tuple[str, str]]:
    found = [(v.name, tco(evaluation, v)) for v in forward]
    return [(name, cost) for name, cost in found if cost is not None]


def _next_step(evaluation: Evaluation, forward: list[VendorResult]) -> str:
    forum = forum_date(evaluation.provenance.as_of).isoformat()
    if not forward:
        return wording.next_step_sentence("review", "", forum)
    v = forward[0]
    poc = v.vendor.poc
    plan = evaluation.recommendations[v.id].plan
    weeks = plan.timebox_weeks if plan is not None else RULES.default_timebox_weeks
    if poc is not None and poc.start is not None and poc.status in ("planned", "running"):
        end = (poc.start + dt.timedelta(weeks=weeks)).isoformat()
        if poc.status == "planned":
            return wording.next_step_sentence("start", v.name, poc.start.isoformat(), end)
        return wording.next_step_sentence("running", v.name, end)
    if poc is not None and poc.status == "done":
        return wording.next_step_sentence("done", v.name, forum)
    return wording.next_step_sentence("approve", v.name, forum)
