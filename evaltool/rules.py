"""The recommendation rules: every threshold in one place, and the paragraph that states them.

Scoring reads the "assessed" threshold (a vendor with too little of the weight scored is not ranked), the
recommendation reads the rest. :func:`rules_text` prints the paragraph of the README and of every report,
so what the forum reads is what the code does.
"""

from __future__ import annotations

from dataclasses import dataclass

from evaltool.models import Method
from evaltool.wording import DECISION_TEXT, RING_TEXT


@dataclass(frozen=True)
class Scale:
    """The score thresholds of one method, on that method's own scale (WSM 0-100, TOPSIS 0-1)."""

    min_score: float  # below this a vendor is not taken further
    contender_gap: float  # this far behind the leader still makes a PoC candidate
    trial_score: float  # with a PoC done (or a declared adopt/trial ring): the trial level


@dataclass(frozen=True)
class Rules:
    """The thresholds of the recommendation; change them here and the README/report text follows."""

    min_score: float = 50.0  # WSM points below which a vendor is not taken further
    contender_gap: float = 5.0  # WSM points behind the leader that still make a PoC contender
    trial_score: float = 75.0  # WSM points: with a PoC done, suggest the trial ring
    topsis_per_point: float = 0.01  # TOPSIS equivalents: closeness per WSM point (50 -> 0.50, 5 -> 0.05)
    contender_p_top: float = 0.20  # or this probability of ranking first
    stable_p_top: float = 0.70  # the leader is stable when it stays first in this share of weightings
    tie_p_top: float = 0.60  # below this share the segment is too close to call
    min_assessed: float = 0.50  # weight share that must be scored before a vendor is ranked at all
    min_coverage: float = 0.80  # weight share that must be scored for an unconditional PoC
    borderline_rubric: float = 0.5  # a gate passed by less than this many rubric points is borderline
    borderline_metric: float = 0.10  # ... or within this fraction of a metric gate
    default_timebox_weeks: int = 6
    poc_checks: int = 3  # lowest-confidence, highest-weight measurable criteria turned into PoC checks
    low_confidence: float = 0.6  # a gate whose evidence weighs less (below documented) is at risk in a PoC

    def scale(self, method: Method) -> Scale:
        """The score thresholds on the method's own scale."""
        if method == "wsm":
            return Scale(self.min_score, self.contender_gap, self.trial_score)
        k = self.topsis_per_point
        return Scale(self.min_score * k, self.contender_gap * k, self.trial_score * k)


RULES = Rules()


def rules_text(rules: Rules = RULES) -> str:
    """The recommendation rules in one paragraph, for the README and the report."""
    r = rules
    t = r.scale("topsis")
    d, ring = DECISION_TEXT, RING_TEXT  # the words every output gives the decisions and rings
    return (
        f"A vendor with less than {r.min_assessed:.0%} of the weight scored is *{d['not-assessed']}*: it "
        "is listed with what is missing, never ranked or recommended. "
        f"A vendor that fails any gate, or scores below {r.min_score:g} (WSM, 0-100), is "
        f"*{d['do-not-proceed']}* and goes to the *{ring['hold']}* ring. Among the eligible vendors of a "
        "segment, the leader and every vendor "
        f"within {r.contender_gap:g} points of it or ranking first in at least {r.contender_p_top:.0%} of "
        f"the weight samples are PoC candidates; the others are *{d['do-not-proceed']}* (outranked, "
        f"*{ring['hold']}* ring). "
        f"Under TOPSIS the same thresholds apply to the closeness (0-1): a floor of {t.min_score:.2f}, "
        f"candidates within {t.contender_gap:.2f} of the leader, trial level {t.trial_score:.2f}. "
        f"When the leader stays first in fewer than {r.tie_p_top:.0%} of the weight samples the segment is "
        f"*too close to call* between the candidates first in at least {r.contender_p_top:.0%} of them. "
        f"A candidate is *{d['proceed']}* when nothing needs closing first, else *{d['conditional']}* "
        f"with the gaps named: a gate passed by less than {r.borderline_rubric:g} rubric points (or "
        f"{r.borderline_metric:.0%} of a metric gate), coverage below {r.min_coverage:.0%}, expired "
        f"evidence, assessors 2+ points apart, a leader that stays first in fewer than "
        f"{r.stable_p_top:.0%} of the weight samples, or a due-diligence finding no risk acceptance "
        "covers. "
        "Scores measured in a PoC replace the assessors' scores for their criteria. A PoC target missed on "
        f"a criterion that carries a gate makes the vendor *{d['do-not-proceed']}*; other missed targets are "
        f"gaps; a candidate whose PoC is done with every target met and every gate passed is "
        f"*{d['proceed']}* and goes to *{ring['trial']}*. "
        f"Candidates go to the *{ring['assess']}* ring (PoC); one whose PoC is done and scores "
        f"{r.trial_score:g} or more, no target missed, goes to *{ring['trial']}*; a declared ring is kept "
        "when the evidence supports it (adopt or trial "
        f"needs eligibility and at least {r.trial_score:g} points; adopt also needs nothing left to "
        f"close, else *{ring['trial']}*), otherwise the suggestion says why not. "
        "The PoC plan lists the vendor's own success criteria with their outcomes, then checks on its "
        f"{r.poc_checks} highest-weight, lowest-confidence criteria that a PoC can measure (metrics, or a "
        "criterion with a poc_check), a timebox (the vendor's, else "
        f"{r.default_timebox_weeks} weeks) and, as conditions to keep, the gates at risk: unscored, "
        f"borderline, or resting on evidence weaker than documented."
    )
