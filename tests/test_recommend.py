"""The recommendation rules, each hit at least once on hand-made vendors, and the PoC plan."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from evaltool.models import Catalog, Vendor
from evaltool.recommend import RULES, Recommendation, poc_plan, recommend_segment, rules_text
from evaltool.scoring import ScoreResult, score

AS_OF = dt.date(2026, 11, 26)

CATALOG: dict[str, Any] = {
    "catalog": "Test",
    "version": "1",
    "categories": [
        {
            "id": "security",
            "name": "Security",
            "weight": 1,
            "criteria": [
                {"id": "sec-encryption", "name": "Encryption", "weight": 1, "gate": 2,
                 "rubric": {3: "Customer-managed keys", 4: "CMK over all copies", 5: "HSM"}},
                {"id": "sec-logging", "name": "Logging", "weight": 1},
                {"id": "sec-iam", "name": "IAM", "weight": 1},
            ],
        },
        {
            "id": "viability",
            "name": "Viability",
            "weight": 1,
            "criteria": [
                {"id": "ven-runway", "name": "Runway", "type": "metric", "unit": "months",
                 "direction": "higher", "grading": {"best": 36, "worst": 6}, "gate": 12, "weight": 1},
            ],
        },
    ],
}  # fmt: skip


def vendor(vid: str, enc: float | None = 4, log: float | None = 4, iam: float | None = 4,
           runway: float | None = 36, **extra: Any) -> dict[str, Any]:  # fmt: skip
    scores = {"sec-encryption": enc, "sec-logging": log, "sec-iam": iam, "ven-runway": runway}
    return {"id": vid, "name": vid.title(), "segment": "S", "scores": scores, **extra}


def evaluate(*vendors: dict[str, Any]) -> ScoreResult:
    catalog = Catalog.model_validate(CATALOG)
    return score(catalog, [Vendor.model_validate(v) for v in vendors], as_of=AS_OF)


def decide(result: ScoreResult, p_top: dict[str, float] | None = None) -> dict[str, Recommendation]:
    segment = result.segments[0]
    if p_top is None:
        leader = segment.leader
        p_top = {leader.id: 1.0} if leader else {}
    return {r.vendor: r for r in recommend_segment(segment, result, p_top)}


def test_a_gate_failure_is_do_not_proceed_and_hold() -> None:
    recs = decide(evaluate(vendor("alpha"), vendor("bravo", enc=1, log=5, iam=5)))
    assert recs["bravo"].decision == "do-not-proceed"
    assert recs["bravo"].reasons == ("fails gate: sec-encryption 1 below gate >= 2",)
    assert recs["bravo"].ring == "hold"
    assert recs["bravo"].plan is None


def test_a_metric_gate_failure_names_the_unit() -> None:
    recs = decide(evaltool_result := evaluate(vendor("alpha"), vendor("bravo", runway=8)))
    assert evaltool_result.vendor("bravo").eligible is False
    assert recs["bravo"].reasons == ("fails gate: ven-runway 8 months below gate >= 12 months",)


def test_a_score_below_the_bar_is_do_not_proceed_even_for_the_leader() -> None:
    recs = decide(evaluate(vendor("alpha", enc=2.5, log=1, iam=1, runway=14)))
    assert recs["alpha"].decision == "do-not-proceed"
    assert recs["alpha"].reasons[0].startswith("score ") and "below 50" in recs["alpha"].reasons[0]
    assert recs["alpha"].ring == "hold"


def test_a_clear_leader_with_nothing_to_close_proceeds() -> None:
    recs = decide(
        evaluate(vendor("alpha", enc=5, log=5, iam=5), vendor("bravo", enc=3, log=3, iam=3, runway=20))
    )
    assert recs["alpha"].decision == "proceed"
    assert recs["alpha"].gaps == ()
    assert recs["alpha"].ring == "assess"
    assert recs["bravo"].decision == "do-not-proceed"
    assert recs["bravo"].reasons[0].startswith("outranked: Alpha leads by")


def test_a_close_second_is_a_candidate_by_points() -> None:
    result = evaluate(vendor("alpha", enc=5, log=5, iam=5), vendor("bravo", enc=5, log=5, iam=4.5))
    gap = result.vendor("alpha").score - result.vendor("bravo").score
    assert 0 < gap <= RULES.contender_gap
    recs = decide(result, {"alpha": 0.9, "bravo": 0.1})
    assert recs["bravo"].decision == "proceed"
    assert recs["bravo"].reasons[0] == f"within reach of the leader ({gap:.1f} points)"


def test_a_distant_second_is_a_candidate_when_it_often_ranks_first() -> None:
    result = evaluate(vendor("alpha", enc=5, log=5, iam=5), vendor("bravo", enc=3, log=3, iam=3, runway=20))
    recs = decide(result, {"alpha": 0.75, "bravo": 0.25})
    assert recs["bravo"].decision == "proceed"
    recs = decide(result, {"alpha": 0.85, "bravo": 0.15})
    assert recs["bravo"].decision == "do-not-proceed"


@pytest.mark.parametrize(
    ("changes", "gap"),
    [
        ({"enc": 2}, "borderline gate sec-encryption: 2 meets gate >= 2"),
        ({"runway": 13}, "borderline gate ven-runway: 13 months meets gate >= 12 months"),
        ({"log": None, "iam": None}, "coverage 67% below 80%: score the missing criteria"),
    ],
)
def test_gaps_make_a_candidate_conditional(changes: dict[str, Any], gap: str) -> None:
    recs = decide(evaluate(vendor("alpha", **{"enc": 5, "log": 5, "iam": 5, **changes})))
    assert recs["alpha"].decision == "conditional"
    assert recs["alpha"].gaps == (gap,)


def test_coverage_gap_under_the_exclude_policy() -> None:
    catalog = Catalog.model_validate({**CATALOG, "missing": "exclude"})
    result = score(catalog, [Vendor.model_validate(vendor("alpha", enc=5, log=None, iam=None))], as_of=AS_OF)
    recs = decide(result)
    assert recs["alpha"].decision == "conditional"
    assert recs["alpha"].vendor == "alpha" and result.vendor("alpha").score == pytest.approx(100.0)
    assert "coverage 67% below 80%: score the missing criteria" in recs["alpha"].gaps


def test_stale_evidence_and_disagreement_are_gaps() -> None:
    stale = {"score": 5, "evidence": "SOC 2", "expires": "2026-01-31"}
    v = vendor("alpha")
    v.pop("scores")
    first = {"sec-encryption": stale, "sec-logging": 5, "sec-iam": 5, "ven-runway": 36}
    v["assessments"] = [
        {"assessor": "a", "date": "2026-10-01", "scores": first},
        {"assessor": "b", "date": "2026-10-02", "scores": {"sec-logging": 3}},
    ]
    recs = decide(evaluate(v))
    assert recs["alpha"].decision == "conditional"
    assert "expired evidence: sec-encryption" in recs["alpha"].gaps
    assert "assessors disagree: sec-logging (spread 2)" in recs["alpha"].gaps


def test_an_unstable_leader_is_conditional() -> None:
    result = evaluate(vendor("alpha", enc=5, log=5, iam=5), vendor("bravo", enc=5, log=5, iam=4.5))
    recs = decide(result, {"alpha": 0.55, "bravo": 0.45})
    assert recs["alpha"].decision == "conditional"
    assert recs["alpha"].gaps == ("unstable lead: first in only 55% of weight samples",)


def test_rings_follow_poc_results_and_declared_rings() -> None:
    done = {"status": "done", "success_criteria": [{"metric": "m", "target": ">= 1", "result": 1}]}
    recs = decide(
        evaluate(
            vendor("alpha", enc=5, log=5, iam=5, poc=done),
            vendor("bravo", enc=5, log=5, iam=4.5, radar="adopt"),
            vendor("charlie", enc=3, log=3, iam=3, runway=20, radar="trial"),
        ),
        {"alpha": 0.6, "bravo": 0.4, "charlie": 0.0},
    )
    assert (recs["alpha"].ring, recs["alpha"].ring_reason) == ("trial", "PoC done and score at trial level")
    assert recs["bravo"].ring == "adopt"
    assert recs["bravo"].ring_reason.startswith("declared adopt, supported by score")
    assert recs["charlie"].ring == "assess"
    assert recs["charlie"].ring_reason.startswith("declared trial, but score")


def test_poc_plan_lists_own_criteria_then_weakest_heavy_criteria_and_gates() -> None:
    poc = {
        "status": "planned",
        "timebox_weeks": 4,
        "success_criteria": [{"metric": "Recall@10", "target": ">= 0.9", "method": "offline eval"}],
    }
    v = vendor("alpha", enc=3, log=None, iam=5, poc=poc)
    result = evaluate(v)
    plan = poc_plan(result.vendor("alpha"), result)
    assert plan.timebox_weeks == 4
    assert plan.checks[0].metric == "Recall@10" and plan.checks[0].source == "vendor file"
    gap_checks = [c for c in plan.checks if c.source == "evidence gap"]
    assert len(gap_checks) == RULES.poc_checks
    # the runway metric (half the weight, no evidence level) and the unscored logging criterion come first
    assert gap_checks[0].metric == "Runway" and gap_checks[0].target == ">= 12 months"
    assert "Logging" in [c.metric for c in gap_checks]
    enc = next(c for c in gap_checks if c.metric == "Encryption")
    assert enc.target == "rubric level >= 3: Customer-managed keys"
    assert plan.exit_gates[0] == "Encryption >= 2 (now 3)"
    assert plan.exit_gates[1] == "Runway >= 12 months (now 36 months)"


def test_default_timebox() -> None:
    result = evaluate(vendor("alpha"))
    assert poc_plan(result.vendor("alpha"), result).timebox_weeks == RULES.default_timebox_weeks


def test_rules_text_names_every_threshold() -> None:
    text = rules_text()
    for figure in ("50", "5 points", "20%", "0.5 rubric points", "10%", "80%", "70%", "75", "6 weeks"):
        assert figure in text
