"""How results are said: every sentence and label about a result, shared by every output.

The CLI, the report, the scorecard and the dashboard word a result through these functions and tables
(decisions, rings, a vendor's status, gates, flip points, rubric anchors, the segment headline), so a
change of wording is one edit that every output follows. Numbers come from :mod:`evaltool.fmt`.
Functions return plain text; callers pass ``esc`` to escape names for their medium (Markdown, HTML) and
``strong`` to emphasise names and figures. Whatever colours, sorts or filters a result keys on its code
(a decision, a ring, a status), never on these words.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING

from evaltool.fmt import coverage as fmt_coverage
from evaltool.fmt import grade, number, pct, pct_pair, points, score
from evaltool.models import Criterion, Method

if TYPE_CHECKING:
    from evaltool.analysis import Flip
    from evaltool.evaluation import Evaluation
    from evaltool.poc import Check, Moved, PocOutcome, Stage
    from evaltool.recommend import Decision, Ring, SegmentVerdict
    from evaltool.scoring import Cell, ScoreResult, VendorResult

# The words of each code: in running text and table cells as written here, as a label or heading with
# the first letter raised (see :func:`label`).
DECISION_TEXT: dict[Decision, str] = {
    "proceed": "proceed to PoC",
    "conditional": "conditional",
    "do-not-proceed": "do not proceed",
    "not-assessed": "not assessed",
}
RING_TEXT: dict[Ring, str] = {"adopt": "adopt", "trial": "trial", "assess": "assess", "hold": "hold"}
STATUS_TEXT = {"ranked": "eligible", "not-eligible": "not eligible", "not-assessed": "not assessed"}


def _plain(text: str) -> str:
    return text


def label(text: str) -> str:
    """Text as a label or heading: its first letter raised, the rest kept ("proceed to PoC" -> "Proceed to
    PoC", where ``str.capitalize`` would lower "PoC")."""
    return text[:1].upper() + text[1:]


# --- decisions, rings and a vendor's status -------------------------------------------------------------


def decision_text(decision: Decision) -> str:
    """A decision in running text and table cells: "proceed to PoC"."""
    return DECISION_TEXT[decision]


def decision_label(decision: Decision) -> str:
    """A decision as a label or heading: "Proceed to PoC"."""
    return label(DECISION_TEXT[decision])


def ring_text(ring: Ring) -> str:
    """A radar ring in running text: "assess"."""
    return RING_TEXT[ring]


def ring_label(ring: Ring) -> str:
    """A radar ring as a label: "Assess"."""
    return label(RING_TEXT[ring])


def failed_gates(v: VendorResult) -> str:
    """The gates a vendor fails, each with why: "sec-encryption 1 below gate >= 2; ..."."""
    return "; ".join(f"{g.criterion} {g.reason}" for g in v.gates if not g.passed)


def status_label(v: VendorResult) -> str:
    """Whether a vendor takes part in the ranking, in two words: eligible, not eligible or not assessed."""
    return STATUS_TEXT[v.status]


def not_eligible(v: VendorResult) -> str:
    """A vendor that fails a gate, with the gates failed: "not eligible: sec-encryption 1 below gate >= 2"."""
    return f"{STATUS_TEXT['not-eligible']}: {failed_gates(v)}"


def status_text(v: VendorResult) -> str:
    """:func:`status_label` with why: the gates failed, or the share of the weight scored."""
    if v.status == "not-assessed":
        return f"{status_label(v)}: {fmt_coverage(v.coverage)} of the weight scored"
    return not_eligible(v) if v.status == "not-eligible" else status_label(v)


def vendor_label(v: VendorResult) -> str:
    """A vendor's name, with its status when it is not ranked: "Acme (not eligible)"."""
    return v.name if v.ranked else f"{v.name} ({status_label(v)})"


def vendor_flags(v: VendorResult, relative: int = 0) -> list[str]:
    """What to look at before trusting a vendor's score: expired evidence, assessors who disagree, grades
    relative to the segment's vendors (``relative``: how many of its criteria), each with its count."""
    out = []
    if v.stale:
        out.append(f"expired evidence ×{len(v.stale)}")
    if v.disagreements:
        out.append(f"assessors disagree ×{len(v.disagreements)}")
    if relative:
        out.append(f"graded relative to the segment ×{relative}")
    return out


def leader_cell(verdict: SegmentVerdict, vendors: Sequence[VendorResult], method: Method) -> str:
    """A segment's leader in a table cell: "A (71.1)", a tie "too close to call: A (71.1) / B (70.9)", the
    only eligible vendor, or "none ranked"."""
    by_id = {v.id: v for v in vendors}
    if verdict.leader is None:
        return "none ranked"
    if verdict.tie:
        return "too close to call: " + " / ".join(
            f"{by_id[i].name} ({score(by_id[i].score, method)})" for i in verdict.tied
        )
    leader = by_id[verdict.leader]
    alone = ", the only eligible vendor" if verdict.state == "only-one" else ""
    return f"{leader.name} ({score(leader.score, method)}){alone}"


# --- gates ----------------------------------------------------------------------------------------------


def gate_operator(criterion: Criterion) -> str:
    """ ">=" where more is better (every rubric criterion), "<=" for a metric where less is better."""
    return "<=" if criterion.is_metric and not criterion.higher_is_better else ">="


def gate_value(criterion: Criterion, value: float) -> str:
    """A score or a metric value as a gate compares it: "2", "12 months", "1,000,000 USD"."""
    return number(value, criterion.unit if criterion.is_metric else None)


def gate_condition(criterion: Criterion, threshold: float) -> str:
    """A gate as a condition: ">= 2", "<= 500,000 USD"."""
    return f"{gate_operator(criterion)} {gate_value(criterion, threshold)}"


def gate_reason(criterion: Criterion, threshold: float, actual: float | None, passed: bool) -> str:
    """Why a gate passes or fails: "1 below gate >= 2", "8 months below gate >= 12 months"."""
    if actual is None:
        return "not assessed"
    verdict = "meets" if passed else "below" if gate_operator(criterion) == ">=" else "above"
    return f"{gate_value(criterion, actual)} {verdict} gate {gate_condition(criterion, threshold)}"


# --- flip points ----------------------------------------------------------------------------------------


def flip_sentence(
    flip: Flip,
    vendors: Mapping[str, str],
    weights: Mapping[str, str],
    *,
    strong: Callable[[str], str] = _plain,
    esc: Callable[[str], str] = _plain,
) -> str:
    """A flip point in plain words: how far one weight must move before the leader changes, and to whom.

    ``vendors`` maps vendor ids to names, ``weights`` criterion and category ids to names; the leader and
    the weight's name pass through ``esc``, then ``strong``. Both weights are shown with as many decimals
    as it takes to tell them apart (:func:`evaltool.fmt.pct_pair`).
    """
    leader = strong(esc(vendors[flip.leader]))
    what = strong(esc(weights[flip.id]))
    if flip.kind == "category":
        what = f"the {what} category"
    if flip.leader_changes_at is None or flip.new_leader is None:
        return f"{leader} stays ahead whatever the weight of {what} (now {pct(flip.weight)})."
    before, after = pct_pair(flip.weight, flip.leader_changes_at)
    verb = "rises" if flip.leader_changes_at > flip.weight else "falls"
    return (
        f"{leader} stays ahead unless the weight of {what} {verb} from {before} to {after} "
        f"(then {esc(vendors[flip.new_leader])} leads)."
    )


def flip_text(
    flip: Flip,
    result: ScoreResult,
    *,
    strong: Callable[[str], str] = _plain,
    esc: Callable[[str], str] = _plain,
) -> str:
    """:func:`flip_sentence` with the vendor, criterion and category names of a scoring result."""
    vendors = {v.id: v.name for v in result.vendors()}
    weights = {k.id: k.name for k in result.criteria} | {c.id: c.name for c in result.catalog.categories}
    return flip_sentence(flip, vendors, weights, strong=strong, esc=esc)


def no_flip_sentence(ranked: int, leader: str | None, esc: Callable[[str], str] = _plain) -> str:
    """What a segment without flip points says: nobody ranked, a single eligible vendor, or a leader that
    no single weight can unseat (``ranked``: the vendors in the ranking; ``leader``: its name)."""
    if ranked == 0 or leader is None:
        return "No vendor can be ranked, so there is no leader whose lead could change."
    if ranked == 1:
        return "Only one vendor is eligible: no change of weights can change the leader."
    return f"{esc(leader)} stays ahead whatever single weight changes."


# --- comparisons ----------------------------------------------------------------------------------------


def difference_sentence(
    criterion: str,
    weight: float,
    ahead: tuple[str, str],
    gap: float,
    grades: Sequence[tuple[str, float | None]],
    *,
    strong: Callable[[str], str] = _plain,
    esc: Callable[[str], str] = _plain,
) -> str:
    """Where the vendors compared differ on one criterion: "Security (12.0% of the weight): A gains 1.5
    points over B (grades: A 4; B 2)". ``ahead`` is (the vendor gaining, the vendor it gains over),
    ``gap`` in WSM points, ``grades`` (vendor, 0..5 grade or None) of every vendor compared."""
    top, low = ahead
    given = "; ".join(f"{esc(name)} {'not scored' if g is None else grade(g)}" for name, g in grades)
    return (
        f"{strong(esc(criterion))} ({pct(weight)} of the weight): {esc(top)} gains {strong(points(gap))} "
        f"points over {esc(low)} (grades: {given})"
    )


# --- rubric ---------------------------------------------------------------------------------------------


def rubric_anchor(criterion: Criterion, value: float | None) -> str:
    """The rubric text a score reaches: the highest level at or below it, "level 3: Customer-managed keys"
    ("" for a metric, an unscored cell, or a score below every level written)."""
    if criterion.is_metric or value is None or not criterion.rubric:
        return ""
    levels = [level for level in criterion.rubric if level <= value]
    if not levels:
        return ""
    level = max(levels)
    return f"level {level}: {criterion.rubric[level]}"


# --- segments -------------------------------------------------------------------------------------------


def samples_pct(p: float) -> str:
    """A share of the weight samples as a percentage that never reads on the wrong side of a threshold of
    the rules ("59.7%", not "60%", where a lead under 60% is too close to call), nor as 0% or 100% when it
    is not: whole percents, with decimals only where rounding would cross such a mark."""
    from evaltool.rules import RULES  # imported here: the rules word their paragraph with this module

    marks = (0.0, 1.0, RULES.contender_p_top, RULES.tie_p_top, RULES.stable_p_top)
    for digits in (0, 1, 2):
        text = pct(p, digits)
        shown = float(text.rstrip("%")) / 100.0
        if all((shown > m) - (shown < m) == (p > m) - (p < m) for m in marks):
            return text
    return pct(p, 3)


def score_unit(method: Method) -> str:
    """What a score is measured in."""
    return "points" if method == "wsm" else "closeness"


def gap(value: float, method: Method) -> str:
    """A difference between two scores, with its unit: "1.9 points", "0.005 closeness"."""
    return f"{score(value, method)} {score_unit(method)}"


def names(items: Sequence[str]) -> str:
    """ "A", "A and B", "A, B and C"."""
    items = list(items)
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def segment_headline(
    segment: str,
    state: str,
    leader: tuple[str, float, float] | None,
    runner_up: tuple[str, float] | None,
    tied: Sequence[tuple[str, float]],
    method: Method,
    *,
    not_eligible: int = 0,
    not_assessed: int = 0,
    alone: bool = False,
    strong: Callable[[str], str] = _plain,
    esc: Callable[[str], str] = _plain,
) -> str:
    """One sentence per segment: who leads, by how much and how sure we are, or that nobody can be named.

    ``leader`` is (name, score, share of weightings first), ``runner_up`` (name, score), ``tied`` the
    (name, share first) of the vendors a too-close-to-call segment is between; ``state`` one of
    ``leader``, ``tie``, ``only-one``, ``none``. Names pass through ``esc`` (escaping for the medium),
    emphasised parts through ``strong`` after it; ``alone``: the segment has this one vendor only.
    """
    seg = esc(segment)
    if state == "none" or leader is None:
        return f"No vendor in {seg} can be ranked: every one fails a gate or is not yet assessed."
    name, value, p_top = leader
    if state == "tie":
        between = names([strong(esc(n)) for n, _ in tied])
        shares = names([samples_pct(p) for _, p in tied])
        level = runner_up is not None and score(runner_up[1], method) == score(value, method)
        by_score = (
            f"{esc(name)} and {esc(runner_up[0])} score the same, {score(value, method)}"
            if level and runner_up is not None
            else f"by score {esc(name)} is ahead with {score(value, method)}"
        )
        return (
            f"{seg} is {strong('too close to call')} between {between} (first in {shares} of weight "
            f"samples); {by_score}."
        )
    text = f"{strong(esc(name))} leads {seg} with {strong(score(value, method))}"
    if state == "only-one" and alone:
        return text + "; it is the only vendor of the segment, so there is nobody to compare it with."
    if state == "only-one" and not_assessed:
        others = ([f"{not_eligible} fail a gate"] if not_eligible else []) + [
            f"{not_assessed} not yet assessed"
        ]
        why = ", ".join(others)
        return text + f"; it is the only vendor that can be ranked ({why}), so the choice is down to one."
    if state == "only-one":
        failed = f" ({not_eligible} fail a gate)" if not_eligible else ""
        return text + f"; it is the only eligible vendor{failed}, so the choice is down to one."
    text += f", first in {strong(samples_pct(p_top))} of weight samples"
    if runner_up is None:
        return text + "."
    return text + f"; next is {esc(runner_up[0])}, {gap(value - runner_up[1], method)} behind."


def headline(
    evaluation: Evaluation,
    segment: str,
    strong: Callable[[str], str] = _plain,
    esc: Callable[[str], str] = _plain,
) -> str:
    """:func:`segment_headline` for one segment of an evaluation."""
    result = evaluation.result
    verdict = evaluation.verdicts[segment]
    members = result.segment(segment).vendors
    by_id = {v.id: v for v in members}
    p_top = {v.id: evaluation.sensitivity.vendors[v.id].p_top for v in members}
    leader = by_id.get(verdict.leader or "")
    others = [v for v in members if v.ranked and leader is not None and v.id != leader.id]
    return segment_headline(
        segment,
        verdict.state,
        None if leader is None else (leader.name, leader.score, p_top[leader.id]),
        (others[0].name, others[0].score) if others else None,
        [(by_id[i].name, p_top[i]) for i in verdict.tied],
        result.method,
        not_eligible=verdict.not_eligible,
        not_assessed=len(verdict.not_assessed),
        alone=len(members) == 1,
        strong=strong,
        esc=esc,
    )


# --- the PoC loop ---------------------------------------------------------------------------------------

POC_NO_RESULTS = (
    "PoC marked done without results: give each success criterion its result, or the scores measured "
    "under poc.results"
)
POC_TRIAL = "PoC done: every target met and every gate passed"
POC_GATED_MISS = "PoC missed a target on a gated criterion"


def poc_overrun(stage: Stage) -> str:
    """The validate warning for a running PoC past its timebox: "PoC overrun: 17 weeks into a 6-week
    timebox"."""
    return f"PoC overrun: {stage.week} weeks into a {stage.weeks}-week timebox"


def poc_stage(stage: Stage | None) -> str:
    """Where a PoC stands: "planned", "running, week 3 of 6", "overrun, week 17 of 6", "done"."""
    if stage is None:
        return "no PoC recorded"
    if stage.state in ("running", "overrun") and stage.week is not None:
        of = f" of {stage.weeks}" if stage.weeks else ""
        return f"{stage.state}, week {stage.week}{of}"
    return stage.state


def poc_check_text(check: Check) -> str:
    """A success criterion and its outcome: "p95 latency: 140 ms, target <= 80 ms (missed)"."""
    result = check.result if check.result is not None else "no result yet"
    return f"{check.metric}: {result}, target {check.target} ({check.outcome})"


def poc_stop(stopping: Sequence[Check]) -> str:
    """Why a PoC stops the vendor: a missed target on a criterion that carries a gate."""
    parts = "; ".join(f"{poc_check_text(c)} on gated criterion {c.criterion}" for c in stopping)
    return f"{POC_GATED_MISS}: {parts}"


def poc_missed(check: Check) -> str:
    """A missed target, named as a gap."""
    return f"PoC target missed: {poc_check_text(check)}"


def poc_all_met(outcome: PocOutcome) -> str:
    """The reason a done PoC with every target met proceeds."""
    return f"{POC_TRIAL} ({len(outcome.checks)} of {len(outcome.checks)})"


def poc_measured(cell: Cell) -> str:
    """The mark of a score measured in the PoC ("measured in PoC, 2026-10-09"), else ""."""
    dates = [e.measured for e in cell.evidence if e.measured is not None]
    return measured_on(dates[0]) if dates else ""


def measured_on(date: dt.date) -> str:
    """ "measured in PoC, 2026-10-09"."""
    return f"measured in PoC, {date.isoformat()}"


def poc_moved(m: Moved, criteria: Mapping[str, Criterion]) -> str:
    """A score the PoC measured: "Network isolation measured in PoC on 2026-10-09: 4 (assessors 3)"."""
    name = criteria[m.criterion].name if m.criterion in criteria else m.criterion
    unit = criteria[m.criterion].unit if m.criterion in criteria else None
    was = "unscored" if m.before is None else f"assessors {number(m.before, unit)}"
    return f"{name} measured in PoC on {m.date.isoformat()}: {number(m.after, unit)} ({was})"


def poc_notes(
    outcome: PocOutcome, before: Decision, after: Decision, criteria: Mapping[str, Criterion]
) -> list[str]:
    """Which PoC results moved the scores and the decision, for `evaltool recommend`."""
    notes = [f"PoC {poc_stage(outcome.stage)}"]
    notes += [poc_moved(m, criteria) for m in outcome.moved]
    notes += [poc_check_text(c) for c in outcome.checks]
    if before != after:
        notes.append(f"the PoC moved the decision from {DECISION_TEXT[before]} to {DECISION_TEXT[after]}")
    return notes
