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
from evaltool.models import Criterion, Method, Vendor

if TYPE_CHECKING:
    from evaltool.analysis import Flip
    from evaltool.decisions import Approver, Outcome
    from evaltool.decisions import Decision as ForumDecision
    from evaltool.diff import Change, GateChange, VendorDiff, WeightChange
    from evaltool.evaluation import Evaluation
    from evaltool.models import Profile
    from evaltool.poc import Check, Moved, PocOutcome, Stage
    from evaltool.recommend import Decision, Ring, SegmentVerdict
    from evaltool.risk import RiskAcceptance
    from evaltool.scoring import Cell, ScoreResult, VendorResult
    from evaltool.trace import Reference, TraceStatus

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


# --- blind views ----------------------------------------------------------------------------------------

WITHHELD = "[withheld: names a vendor]"


def blind_label(letters: str) -> str:
    """How a relabelled vendor is named in a blind view: "Vendor A"."""
    return f"Vendor {letters}"


def blind_note(anonymized: bool, hidden: Sequence[str]) -> str:
    """The line a blind or category-hiding output opens with: what it withholds."""
    parts = []
    if anonymized:
        parts.append(
            "Blind view: vendors are labelled Vendor A, B, C… in a random order; names, websites, summaries "
            "and any text naming a vendor are withheld"
        )
    if hidden:
        parts.append(f"hidden categories: {', '.join(hidden)} (the scores cover the other categories)")
    text = "; ".join(parts)
    return text[:1].upper() + text[1:] + "." if text else ""


# --- one profile per segment (docs/scoring.md#one-profile-per-segment) ----------------------------------

CATALOG_WEIGHTS = "catalog weights"
EACH_SEGMENT = "Each segment's own profile"  # the dashboard's default choice: profiles that name segments


def profile_used(profile_id: str | None) -> str:
    """A profile as a list or a column names it: its id, or "catalog weights"."""
    return profile_id or CATALOG_WEIGHTS


def profile_title(profile: Profile | None) -> str:
    """A profile with its name: "data-platform: Data platform components", or "catalog weights"."""
    return CATALOG_WEIGHTS if profile is None else f"{profile.id}: {profile.name}"


def segments_text(segments: Sequence[str]) -> str:
    """The segments one profile serves: "Vector database, Data catalog"."""
    return ", ".join(segments)


def segment_setup(profile: Profile | None, tier: str | None) -> str:
    """What a segment was scored with and examined under: "data-platform: Data platform components;
    Critical due-diligence tier"."""
    examined = f"{tier} due-diligence tier" if tier is not None else "no due-diligence tier"
    return f"{profile_title(profile)}; {examined}"


def weight_by_profile(shares: Sequence[tuple[str | None, Sequence[str], float]]) -> list[str]:
    """A criterion's effective weight under each profile of a run, one line each (profile id, the segments
    it serves, the weight): "12.3% with data-platform (Vector database, Data catalog)"."""
    return [f"{pct(share)} with {profile_used(p)} ({segments_text(s)})" for p, s, share in shares]


def segment_profile_sentence(segment: str, profile: Profile | None, tier: str | None) -> str:
    """Which profile and tier one segment uses: "LLM platform: scored with profile llm-platform (LLM
    platform for internal assistants), Standard due-diligence tier"."""
    used = "the catalog's weights" if profile is None else f"profile {profile.id} ({profile.name})"
    examined = f"{tier} due-diligence tier" if tier is not None else "no due-diligence tier"
    return f"{segment}: scored with {used}, {examined}"


def whatif_one_segment() -> str:
    """The What-if page's note when the segments in view use different profiles."""
    return (
        "Each segment is scored with its own profile, so the weights move for one segment at a time, "
        "starting from that segment's profile."
    )


def segment_profiles_note(used: Mapping[str, str | None]) -> str:
    """What `evaltool weights` adds when profiles name segments: which segment uses which weights."""
    parts = [f"{segment}: {profile or 'catalog weights'}" for segment, profile in used.items()]
    return (
        "Without --profile, each segment is scored with its own profile: " + "; ".join(parts) + ". "
        "`evaltool weights --segment S` shows the weights of one."
    )


def scored_with(profile_id: str | None, tier: str | None) -> str:
    """What a segment's table title says it was scored with: "data-platform, Critical tier"."""
    text = profile_used(profile_id)
    return f"{text}, {tier} tier" if tier else text


def profile_heading(name: str | None, profile_id: str | None) -> str:
    """A profile as a title: "Data platform components (data-platform)"; without one, the catalog's
    weights."""
    return f"{name} ({profile_id})" if profile_id is not None else "Catalog weights (no profile)"


def segment_setup_line(name: str | None, profile_id: str | None, tier: str | None) -> str:
    """What a segment's chapter says it was scored with when the report's segments use different profiles:
    "Scored with the profile Data platform components (data-platform); due-diligence tier: Critical."."""
    used = (
        f"the profile {profile_heading(name, profile_id)}"
        if profile_id is not None
        else "the catalog's weights (no profile names this segment)"
    )
    examined = f"due-diligence tier: {tier}" if tier is not None else "no due-diligence tier applies"
    return f"Scored with {used}; {examined}."


def weighting_heading(name: str | None, profile_id: str | None, segments: Sequence[str]) -> str:
    """The heading of one profile's weighting in the method appendix, naming the segments it serves:
    "Data platform components (data-platform), for Vector database and Data catalog"."""
    title = profile_heading(name, profile_id)
    return f"{title}, for {names(segments)}" if segments else title


WEIGHTINGS_LEAD = (
    "The segments of this report are scored with different profiles: a profile names the segments it is "
    "for, and a segment no profile names is scored with the catalog's weights. Each weighting below names "
    "the segments it serves."
)


# --- decision records -----------------------------------------------------------------------------------

OUTCOME_TEXT: dict[Outcome, str] = {
    "approved": "approved",
    "approved-with-conditions": "approved with conditions",
    "rejected": "rejected",
    "deferred": "deferred",
}
PROPOSED = "Proposed"
INPUTS_CHANGED = "inputs changed since the decision"


def outcome_label(outcome: Outcome) -> str:
    """A forum outcome as a label: "Approved with conditions"."""
    return label(OUTCOME_TEXT[outcome])


def approver_text(approver: Approver) -> str:
    """ "NAME (ROLE)"."""
    return f"{approver.name} ({approver.role})"


def forum_status(decision: ForumDecision | None, current: bool = True) -> str:
    """A segment's status: "Approved with conditions by A (ROLE), DATE", with a note when the inputs
    changed since; "Proposed" when the forum has not decided."""
    if decision is None:
        return PROPOSED
    who = names([approver_text(a) for a in decision.approvers]) or decision.forum
    text = f"{outcome_label(decision.outcome)} by {who}, {decision.date.isoformat()}"
    return text if current else f"{text}; {INPUTS_CHANGED}"


def inputs_changed(decision_id: str, date: dt.date) -> str:
    """The warning on a decision whose inputs no longer hash to what the forum saw."""
    return f"decision {decision_id} rests on inputs that changed since {date.isoformat()}: run evaltool diff"


def condition_overdue(owner: str, due: dt.date, as_of: dt.date) -> str:
    """The warning on a condition past its due date and not met."""
    return f"condition owned by {owner} was due {due.isoformat()} and is not met (as of {as_of.isoformat()})"


def review_passed(decision_id: str, review: dt.date, as_of: dt.date) -> str:
    """The warning on a decision whose review date has passed."""
    return (
        f"decision {decision_id} was due for review on {review.isoformat()} (as of {as_of.isoformat()}): "
        "record the forum's new decision"
    )


# --- procurement: commercial terms -----------------------------------------------------------------------


def computed_evidence(vendor: Vendor) -> str:
    """The evidence of a value computed from the vendor's commercial block: where the number comes from."""
    block = vendor.commercial
    years = 0 if block is None else len(block.tco)
    currency = "" if block is None else f" in {block.currency}"
    return f"Sum of commercial.tco: {years} year{'s' if years != 1 else ''} by component{currency}"


def failed_gate_point(criterion: str, reason: str) -> str:
    """A failed gate as an open point, worded like the gaps to close: 'failed gate X: reason'."""
    return f"failed gate {criterion}: {reason}"


def indemnities_text(indemnities: Sequence[str]) -> str:
    """The indemnities a contract gives, as a cell reads them: 'ip, data-breach', or 'none'."""
    return ", ".join(indemnities) if indemnities else "none"


def references_text(references: Sequence[Reference]) -> str:
    """A criterion's references on one line, '; '-separated."""
    return "; ".join(reference_text(ref) for ref in references)


# --- due diligence in proportion to risk ----------------------------------------------------------------

# What each evidence level asks of the team before the PoC, as a gap: "verify evidence before the PoC: ...".
EVIDENCE_ACTION = {
    "claimed": "record the vendor's claim for",
    "documented": "document the evidence for",
    "verified": "verify the evidence for",
    "poc": "prove in the PoC",
}
FINDING_TEXT = {
    "evidence-level": "evidence below the tier's level",
    "floor": "below the tier's floor",
    "concentration": "concentration",
    "accepted": "risk accepted",
}


def _risk_value(value: object) -> str:
    return str(value).lower() if isinstance(value, bool) else str(value)


def tier_match_why(matched: Sequence[tuple[str, object]]) -> str:
    """Why a tier applies: "the profile declares criticality critical, critical_function true"."""
    return "the profile declares " + ", ".join(f"{a} {_risk_value(v)}" for a, v in matched)


def tier_default_why(has_profile: bool, has_risk: bool) -> str:
    """Why the catalog's catch-all tier applies (a tier without `when`)."""
    if not has_profile:
        return "no profile, so no declared risk: the tier for every use case"
    if not has_risk:
        return "the profile declares no risk: the tier for every use case"
    return "no risk the profile declares matches a more stringent tier"


def evidence_finding(criterion: Criterion, level: str | None, required: str, tier: str) -> str:
    """An evidence-level finding: "Encryption (sec-encryption): evidence documented, the Critical tier asks
    for verified"."""
    now = f"evidence {level}" if level is not None else "no evidence level recorded"
    return f"{criterion.name} ({criterion.id}): {now}, the {tier} tier asks for {required}"


def floor_finding(criterion: Criterion, cell: Cell, floor: float, tier: str) -> str:
    """A floor finding: "Concentration impact (ext-concentration): scores 1, below the Critical tier's floor
    of 2"."""
    return (
        f"{criterion.name} ({criterion.id}): scores {grade(cell.grade)}, below the {tier} tier's floor of "
        f"{grade(floor)}"
    )


def concentration_finding(uses: int, threshold: int, tier: str) -> str:
    """A concentration finding: the vendor is already behind `uses` critical uses at the bank."""
    return (
        f"already behind {uses} critical use{'s' if uses != 1 else ''} at the bank; the {tier} tier flags "
        f"{threshold} or more"
    )


def accepted_finding(message: str, acceptance: RiskAcceptance) -> str:
    """A finding covered by a risk acceptance: the finding, then who accepted it, when, until when, why."""
    a = acceptance
    until = f"on {a.date.isoformat()} until {a.expires.isoformat()}"
    return f"{message}; risk accepted by {a.by} {until}: {a.reason}"


def finding_gaps(found: Sequence[tuple[str, Criterion | None, str, str | None]]) -> list[str]:
    """Open findings as gaps to close before the PoC: evidence grouped by the level asked for ("verify the
    evidence for encryption & key management before the PoC"), then each floor and concentration finding."""
    by_level: dict[str, list[str]] = {}
    out = []
    for kind, criterion, message, required in found:
        if kind == "evidence-level" and criterion is not None and required is not None:
            by_level.setdefault(required, []).append(_lower(criterion.name))
        elif kind == "floor":
            out.append(f"{message}: remediate or record a risk acceptance")
        elif kind == "concentration":
            out.append(f"concentration: {message}: record a risk acceptance or an exit plan")
    gaps = []
    for level in ("claimed", "documented", "verified", "poc"):
        if level in by_level:
            when = "" if level == "poc" else " before the PoC"
            gaps.append(f"{EVIDENCE_ACTION[level]} {', '.join(by_level[level])}{when}")
    return gaps + out


def _lower(name: str) -> str:
    """A criterion name inside a sentence; acronyms ("SLA", "IAM") kept as written."""
    return name[0].lower() + name[1:] if name[:1].isupper() and not name[1:2].isupper() else name


def finding_label(kind: str) -> str:
    """A finding's kind as a label: "Evidence below the tier's level", "Risk accepted"."""
    return label(FINDING_TEXT.get(kind, kind))


def tier_sentence(tier_name: str | None, why: str | None, profile: str | None) -> str:
    """Which tier a segment was examined under, and why: "Examined under the Critical tier (the profile
    declares criticality critical) with profile data-platform"."""
    used = f"profile {profile}" if profile is not None else "the catalog's weights"
    if tier_name is None:
        return f"No due-diligence tier applies with {used}: the catalog's gates and rules as they stand"
    return f"Examined under the {tier_name} tier ({why}) with {used}"


def tier_demands(
    evidence: Mapping[str, str], floor: float | None, gates: Sequence[str], concentration: int | None
) -> list[str]:
    """What a tier demands, one line each: evidence levels, the floor, its gates, the concentration check."""
    out = []
    if evidence:
        out.append("evidence at least: " + ", ".join(f"{key} {level}" for key, level in evidence.items()))
    if floor is not None:
        out.append(f"no criterion below {grade(floor)} without a finding")
    if gates:
        out.append("gates: " + ", ".join(gates))
    if concentration is not None:
        out.append(f"a finding for a vendor already behind {concentration} or more critical uses at the bank")
    return out or ["nothing beyond the catalog's gates and rules"]


# --- changes between two revisions (evaltool diff, the History page, report --since) -----------------


def _criterion_named(key: str | None, names: Mapping[str, str]) -> str:
    return "" if key is None else f"{names.get(key, key)} ({key})"


def change_text(change: Change, names: Mapping[str, str]) -> str:
    """One cause of a vendor's movement: "Audit logging (sec-logging) scored 3 → 4"."""
    what = _criterion_named(change.criterion, names)
    kind = change.kind
    if kind in ("score", "value"):
        show = grade if kind == "score" else number
        verb = "scored" if kind == "score" else "measured"
        old, new = change.old, change.new
        if isinstance(old, str) or isinstance(new, str):
            return f"{what} {old} → {new}"
        if old is None:
            return f"{what} {verb} {show(new)}, not scored before"
        if new is None:
            return f"{what} no longer scored (was {show(old)})"
        return f"{what} {verb} {show(old)} → {show(new)}"
    if kind in ("assessor-added", "assessor-removed"):
        who = change.assessor or "the unnamed assessor"
        return f"assessor {who} {'added' if kind == 'assessor-added' else 'removed'}"
    if kind == "segment":
        return f"moved from segment {change.old} to {change.new}"
    if kind == "gate-passed":
        return f"now passes the gate on {what}"
    if kind == "gate-failed":
        return f"now fails the gate on {what}" + (f": {change.reason}" if change.reason else "")
    return f"evidence for {what} {kind.removeprefix('evidence-')}"


def weight_change_text(change: WeightChange, names: Mapping[str, str]) -> str:
    """An effective weight that moved: "weight of Security (security) 60.0% → 50.0%"."""
    what = _criterion_named(change.id, names)
    where = "" if change.segment is None else f"{change.segment}: "
    if change.old is None:
        return f"{where}{change.kind} {what} added, weight {pct(change.new or 0.0)}"
    if change.new is None:
        return f"{where}{change.kind} {what} removed, weight was {pct(change.old)}"
    before, after = pct_pair(change.old, change.new)
    return f"{where}weight of {what} {before} → {after}"


def gate_change_text(change: GateChange, names: Mapping[str, str]) -> str:
    """A gate set, moved or removed: "gate on Encryption (sec-encryption) 2 → 3"."""

    def shown(value: float | None) -> str:
        return "none" if value is None else number(value)

    where = "" if change.segment is None else f"{change.segment}: "
    named = _criterion_named(change.criterion, names)
    return f"{where}gate on {named} {shown(change.old)} → {shown(change.new)}"


def moved_cells(v: VendorDiff, method: Method) -> tuple[str, str, str, str]:
    """Score before → after, the change, rank before → after and eligibility before → after."""
    old, new = v.score
    ranks = " → ".join("-" if r is None else str(r) for r in v.rank)
    eligible = " → ".join("yes" if e else "no" for e in v.eligible)
    if v.eligible[0] == v.eligible[1]:
        eligible = "yes" if v.eligible[1] else "no"
    delta = _signed(score(new - old, method))
    return f"{score(old, method)} → {score(new, method)}", delta, ranks, eligible


def _signed(text: str) -> str:
    """A formatted difference with its sign, and none on a zero as shown: "+1.5", "-0.3", "0.0"."""
    if text.strip("-0.") == "":
        return text.lstrip("-")
    return text if text.startswith("-") else "+" + text


def signed_points(value: float) -> str:
    """Points with their sign: "+1.5", "-0.3", "0.0"."""
    return _signed(points(value))


def side_text(revision: str | None, short: str | None, date: str | None, subject: str | None) -> str:
    """A side of a comparison: 'HEAD~1 (1a2b3c4, 2026-10-01: "Q3 scores")' or "the working tree"."""
    if short is None:
        return "the working tree"
    head = f"{revision} ({short}, " if revision and revision != short else f"{short} ("
    return f'{head}{date}: "{subject}")'


ATTRIBUTION_RULE = (
    "Under WSM each score change is split in two: the weights' part is the score the old grades earn under "
    "the new weights less the old score; the scores' part is the rest (new score less that mixed score), "
    "so the two add up to the change."
)


# --- regulatory traceability -------------------------------------------------------------------------------

TRACE_STATUS_TEXT: dict[TraceStatus, str] = {
    "poc": "PoC",
    "verified": "verified",
    "documented": "documented",
    "claimed": "claimed",
    "stale": "stale",
    "missing": "missing",
}


def reference_text(ref: Reference) -> str:
    """A criterion's reference as cited: "DORA Art. 30(2)(c)"; a plain-text one as written."""
    return ref.clause if ref.framework is None else f"{ref.framework} {ref.clause}"


def trace_status_text(status: TraceStatus) -> str:
    """How strongly a vendor has evidenced a clause, in a table cell: "verified", "PoC", "missing"."""
    return TRACE_STATUS_TEXT[status]


# --- the PoC loop ---------------------------------------------------------------------------------------

POC_NO_RESULTS = (
    "PoC marked done without results: give each success criterion its result, or the scores measured "
    "under poc.results"
)
POC_TRIAL = "PoC done: every target met and every gate passed"
POC_GATED_MISS = "PoC missed a target on a gated criterion"


def poc_unevaluable(why: str) -> str:
    """The warning on a success criterion whose target or result cannot be evaluated."""
    return f"{why}; it counts as pending until it can be evaluated"


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


# --- leadership summary: plain language for the executive summary, the results and the Overview ---------

PLAIN_SAMPLES = "plausible weightings"


def weightings_share(p: float) -> str:
    """A share of the weight samples as "84 of 100 plausible weightings" (never rounded across a
    threshold of the rules: :func:`samples_pct`)."""
    return f"{samples_pct(p).rstrip('%')} of 100 {PLAIN_SAMPLES}"


def stays_first(p: float) -> str:
    """ "stays first in 84 of 100 plausible weightings"."""
    return f"stays first in {weightings_share(p)}"


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
    poc_met: bool = False,
) -> str:
    """A segment's result and recommendation in one plain sentence for leadership.

    ``state`` is the segment verdict (leader, tie, only-one, none); ``leader`` is (name, score, share of
    weightings first, decision); ``tied`` the (name, share first) of the vendors a tie is between;
    ``alone``: the segment has this one vendor only; ``poc_met``: the leader's PoC is done with every
    target met (a proof of concept is then behind it, not ahead).
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
    if poc_met and decision == "proceed":
        action = f"move {name} to trial: its proof of concept is done with every target met"
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


# --- the all-segments report sized for reading (docs/cli.md#evaltool-report) -----------------------------


def portfolio_evidence_note(
    segments: Sequence[str], code: Callable[[str], str] = _plain, esc: Callable[[str], str] = _plain
) -> str:
    """Where every score's evidence is, for the all-segments report that leaves the evidence tables out.
    ``code`` formats a command, ``esc`` the text around it (Markdown or HTML)."""
    commands = ", ".join(code(f'evaltool report --segment "{s}"') for s in segments)
    return (
        esc(
            "This report covers every segment, so it keeps each criterion's references and each segment's "
            "grades but leaves out the evidence tables. The evidence behind every score (each assessor's "
            "score, the rubric level reached, the evidence with its level, source and expiry, facts, failed "
            "must-haves and disagreements) is in each segment's own report, made with the same options: "
        )
        + commands
        + esc("; and in the Evidence sheet of the scorecard (")
        + code("evaltool export")
        + esc(").")
    )


def portfolio_trace_note(
    gaps: Sequence[TraceStatus], code: Callable[[str], str] = _plain, esc: Callable[[str], str] = _plain
) -> str:
    """What the all-segments report keeps of the traceability matrix (``gaps``: the statuses whose
    clauses it lists) and where the whole matrix is."""
    listed = " or ".join(TRACE_STATUS_TEXT[g] for g in gaps)
    return (
        esc(
            "This report covers every segment, so for each segment it counts the clauses each vendor has at "
            f"each status and lists only the clauses where some vendor's evidence is {listed}. The full "
            "matrix, clause by clause, is in each segment's own report and in "
        )
        + code("evaltool trace")
        + esc(".")
    )


def portfolio_no_gap(gaps: Sequence[TraceStatus]) -> str:
    """The line under a segment's counts when none of its clauses is listed."""
    listed = " or ".join(TRACE_STATUS_TEXT[g] for g in gaps)
    return f"No clause has {listed} evidence for any vendor of this segment."
