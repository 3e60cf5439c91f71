"""How results are said: every sentence and label about a result, shared by every output.

The CLI, the report, the scorecard and the dashboard word a result through these functions and tables
(decisions, rings, a vendor's status, gates, flip points, rubric anchors, the segment headline), so a
change of wording is one edit that every output follows. Numbers come from :mod:`evaltool.fmt`.
Functions return plain text; callers pass ``esc`` to escape names for their medium (Markdown, HTML) and
``strong`` to emphasise names and figures. Whatever colours, sorts or filters a result keys on its code
(a decision, a ring, a status), never on these words.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING

from evaltool.fmt import coverage as fmt_coverage
from evaltool.fmt import grade, number, pct, pct_pair, points, score
from evaltool.models import Criterion, Method

if TYPE_CHECKING:
    from evaltool.analysis import Flip
    from evaltool.evaluation import Evaluation
    from evaltool.recommend import Decision, Ring, SegmentVerdict
    from evaltool.scoring import ScoreResult, VendorResult

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


# --- leadership summary: plain language for the executive summary, the results and the Overview ---------

PLAIN_SAMPLES = "plausible weightings"


def weightings_share(p: float) -> str:
    """A share of the weight samples as "84 of 100 plausible weightings" (never rounded across a
    threshold of the rules: :func:`samples_pct`)."""
    return f"{samples_pct(p).rstrip('%')} of 100 {PLAIN_SAMPLES}"


def stays_first(p: float) -> str:
    """ "stays first in 84 of 100 plausible weightings"."""
    return f"stays first in {weightings_share(p)}"


def reference_text(ref: object) -> str:
    """A criterion's regulatory reference as one line of text."""
    return str(ref)


def gate_in_words(criterion: Criterion, threshold: float, actual: float | None) -> str:
    """A gate and how a vendor stands against it, in words: "scored 3, the minimum is 3"."""
    if actual is None:
        return f"not assessed; the requirement is {_requirement(criterion, threshold)}"
    return f"{_measured(criterion, actual)}, the requirement is {_requirement(criterion, threshold)}"


def _measured(criterion: Criterion, value: float) -> str:
    return (
        f"measured {gate_value(criterion, value)}" if criterion.is_metric else f"scored {number(value)} of 5"
    )


def _requirement(criterion: Criterion, threshold: float) -> str:
    if gate_operator(criterion) == "<=":
        return f"at most {gate_value(criterion, threshold)}"
    return f"at least {gate_value(criterion, threshold)}"


SUMMARY_ACTION: dict[Decision, str] = {
    "proceed": "take {name} into a proof of concept",
    "conditional": "take {name} into a proof of concept once the gaps below are closed",
    "do-not-proceed": "do not proceed with {name}",
    "not-assessed": "finish assessing {name} before deciding",
}


def summary_sentence(
    segment: str,
    state: str,
    leader: tuple[str, float, float, Decision] | None,
    tied: Sequence[tuple[str, float]],
    method: Method,
    *,
    alone: bool = False,
) -> str:
    """A segment's result and recommendation in one plain sentence for leadership.

    ``state`` is the segment verdict (leader, tie, only-one, none); ``leader`` is (name, score, share of
    weightings first, decision); ``tied`` the (name, share first) of the vendors a tie is between;
    ``alone``: the segment has this one vendor only.
    """
    if state == "none" or leader is None:
        return (
            f"{segment}: no vendor can be recommended; every one fails a must-have requirement or is not "
            "yet assessed."
        )
    name, value, p_top, decision = leader
    if state == "tie":
        between = names([n for n, _ in tied])
        shares = names([samples_pct(p).rstrip("%") for _, p in tied])
        return (
            f"{segment}: too close to call between {between} (first in {shares} of 100 "
            f"{PLAIN_SAMPLES} respectively); take them into a proof of concept side by side to decide."
        )
    action = SUMMARY_ACTION[decision].format(name=name)
    scored = f"{name} leads with {score(value, method)} {_of_scale(method)}"
    if state == "only-one" and alone:
        alone_text = "it is the only vendor of the segment, so there is nobody to compare it with"
        return f"{segment}: {action}; {scored}; {alone_text}."
    if state == "only-one":
        return f"{segment}: {action}; {scored} and is the only vendor that can be ranked."
    return f"{segment}: {action}; {scored} and {stays_first(p_top)}."


def _of_scale(method: Method) -> str:
    return "of 100 points" if method == "wsm" else "closeness (0-1)"


def reason_sentence(criterion: str, grade_value: float, other: tuple[str, float | None] | None) -> str:
    """Why a vendor leads on one criterion: "Stronger on Encryption (4 of 5, against 2 for B)"."""
    if other is None:
        return f"Strong on {criterion} ({grade(grade_value)} of 5)"
    theirs = "not scored" if other[1] is None else f"{grade(other[1])}"
    return f"Stronger on {criterion} ({grade(grade_value)} of 5, against {theirs} for {other[0]})"


def cost_sentence(costs: Sequence[tuple[str, str]]) -> str:
    """The 3-year total cost of ownership of the vendors taken forward: "A 1,100,000 USD; B ..."."""
    if not costs:
        return "Not known: no 3-year total cost of ownership is recorded for the vendors taken forward."
    return "3-year total cost of ownership: " + "; ".join(f"{n} {c}" for n, c in costs) + "."


def next_step_sentence(kind: str, name: str, when: str, until: str = "") -> str:
    """The next step with its date. ``kind``: start (a planned PoC with a start date), running, done,
    approve (no PoC start recorded) or review (nobody to take forward)."""
    if kind == "start":
        return f"Start the proof of concept of {name} on {when}; decide by {until}."
    if kind == "running":
        return f"Finish the proof of concept of {name} by {when} and decide then."
    if kind == "done":
        return f"Decide on adopting {name} at the forum of {when}."
    if kind == "approve":
        return f"Approve the proof of concept of {name} at the forum of {when}."
    return f"Review the segment at the forum of {when}: no vendor can be taken forward yet."


def risk_sentence(kind: str, vendor: str, what: str, detail: str = "") -> str:
    """A risk or finding in plain words. ``kind``: fails (a must-have failed), borderline (one only just
    met), stale (evidence past its expiry), disagree (assessors 2+ points apart), coverage (too little
    scored) or fragile (a lead that does not hold under plausible weightings)."""
    if kind == "fails":
        return f"{vendor} is ruled out: it fails the must-have on {what} ({detail})."
    if kind == "borderline":
        return f"{vendor} only just meets the must-have on {what} ({detail})."
    if kind == "stale":
        return f"{vendor}: the evidence on {what} expired on {detail}."
    if kind == "disagree":
        return f"{vendor}: the assessors disagree on {what} ({detail})."
    if kind == "coverage":
        return f"{vendor}: only {detail} of the criteria, by weight, are scored."
    return f"{vendor}'s lead is fragile: it {detail}."


def glossary() -> tuple[tuple[str, str], ...]:
    """Terms of the report and what they mean, for readers who do not score vendors."""
    from evaltool.rules import RULES  # imported here: the rules word their paragraph with this module

    tie = pct(RULES.tie_p_top, 0).rstrip("%")
    return (
    ("Plausible weightings", "Sets of criterion weights drawn at random around the agreed ones, to test "
     "whether the ranking holds when reasonable people weigh the criteria a little differently "
     "(Monte Carlo over a Dirichlet distribution; the share first in them is P(first))."),
    ("Too close to call", f"The leader stays first in fewer than {tie} of 100 plausible weightings: the "
     "data cannot separate the front-runners."),
    ("Must-have (gate)", "A minimum a vendor has to meet on one criterion whatever its total score; a vendor "
     "that misses one is ruled out (not eligible)."),
    ("Only just meets", "A must-have met by less than half a rubric point (or 10% of a measured minimum)."),
    ("Score", "The weighted sum of the 0-5 grades on a 0-100 scale (WSM), or the TOPSIS closeness (0-1)."),
    ("Coverage", "The share of the criteria, by weight, that has a score."),
    ("Flip point", "The weight a criterion would need before another vendor takes the lead."),
    ("90% interval", "The range the score stays within in 90 of 100 plausible weightings."),
    ("Radar ring", "Adopt, trial, assess or hold: how far the technology may be taken in the bank."),
    ("Evidence level", "How strong the evidence is: claimed, documented, verified, or seen in a PoC."),
    )  # fmt: skip
