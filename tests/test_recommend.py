"""The recommendation rules, each hit at least once on hand-made vendors, and the PoC plan."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from evaltool.models import Catalog, Vendor
from evaltool.recommend import RULES, Recommendation, poc_plan, recommend_segment, rules_text, segment_verdict
from evaltool.rules import Scale
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
    assert recs["bravo"].reasons[0] == f"within reach of the leader ({gap:.1f} points behind)"


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


def test_a_share_in_a_gap_reads_as_in_the_reasons() -> None:
    """625 of 1,000 samples: 62.5% reads 63% (half up), in the gap as in the reason beside it."""
    result = evaluate(vendor("alpha", enc=5, log=5, iam=5), vendor("bravo", enc=5, log=5, iam=4.5))
    recs = decide(result, {"alpha": 0.625, "bravo": 0.375})
    assert recs["alpha"].reasons == ("leads the segment", "first in 63% of weight samples")
    assert recs["alpha"].gaps == ("unstable lead: first in only 63% of weight samples",)


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
    assert (recs["alpha"].ring, recs["alpha"].ring_reason) == (
        "trial",
        "PoC done: every target met and every gate passed",
    )
    assert recs["bravo"].ring == "adopt"
    assert recs["bravo"].ring_reason.startswith("declared adopt, supported by score")
    # outranked (60 points, 40 behind): do not proceed is never drawn above hold, whatever was declared
    assert recs["charlie"].decision == "do-not-proceed"
    assert (recs["charlie"].ring, recs["charlie"].ring_reason) == (
        "hold",
        "outranked in this segment (declared trial)",
    )


def test_a_declared_ring_above_the_evidence_is_brought_down_to_assess() -> None:
    recs = decide(evaluate(vendor("alpha", enc=3, log=3, iam=3, runway=20, radar="trial")))
    assert recs["alpha"].decision == "proceed"
    assert (
        recs["alpha"].ring == "assess"
    )  # 3/5 on security, runway (20-6)/30*5 = 2.33: 100*(0.5*3+0.5*2.333)/5 = 53.3
    assert recs["alpha"].ring_reason == "declared trial, but score 53.3 is below 75.0"


def test_a_conditional_vendor_is_never_drawn_in_adopt() -> None:
    stale = {"sec-encryption": {"score": 5, "expires": "2026-01-01"}}
    v = vendor("alpha", enc=5, log=5, iam=5, radar="adopt")
    v["scores"] = {**v["scores"], **stale}
    recs = decide(evaluate(v))
    assert recs["alpha"].decision == "conditional"
    assert (recs["alpha"].ring, recs["alpha"].ring_reason) == (
        "trial",
        "declared adopt, but gaps remain to close (see the gaps)",
    )


def test_poc_plan_lists_own_criteria_then_measurable_criteria_and_gates_at_risk() -> None:
    poc = {
        "status": "planned",
        "timebox_weeks": 4,
        "success_criteria": [{"metric": "Recall@10", "target": ">= 0.9", "method": "offline eval"}],
    }
    v = vendor("alpha", iam=5, log=None, poc=poc)
    v["scores"] |= {
        "sec-encryption": {"score": 3, "level": "verified"},  # 1 point above its gate, verified: safe
        "ven-runway": {"value": 12.5, "level": "documented"},  # 0.5 above 12 months, within 10%: borderline
    }
    result = evaluate(v)
    plan = poc_plan(result.vendor("alpha"), result)
    assert plan.timebox_weeks == 4
    assert plan.checks[0].metric == "Recall@10" and plan.checks[0].source == "vendor file"
    # the only criterion of this catalog a PoC can measure is the runway metric: no rubric sentence becomes
    # a check (encryption, logging and IAM have no poc_check)
    gap_checks = [(c.metric, c.target) for c in plan.checks if c.source == "evidence gap"]
    assert gap_checks == [("Runway", ">= 12 months")]
    assert plan.exit_gates == (
        "keep runway >= 12 months (now 12.5 months; borderline)",
        "every success criterion meets its target by the end of the timebox",
        "vendor answers PoC requests within 5 business days",
    )


def test_default_timebox() -> None:
    result = evaluate(vendor("alpha"))
    assert poc_plan(result.vendor("alpha"), result).timebox_weeks == RULES.default_timebox_weeks


def test_rules_text_names_every_threshold() -> None:
    text = rules_text()
    for figure in ("50", "5 points", "20%", "0.5 rubric points", "10%", "80%", "70%", "75", "6 weeks"):
        assert figure in text


# --- not assessed, too close to call, down to one --------------------------------------------------------


@pytest.mark.parametrize("method", ["wsm", "topsis"])
@pytest.mark.parametrize("missing", ["zero", "exclude"])
def test_a_vendor_with_less_than_half_the_weight_scored_is_not_assessed(method: str, missing: str) -> None:
    catalog = Catalog.model_validate({**CATALOG, "missing": missing})
    vendors = [
        vendor("alpha", enc=3, log=3, iam=3, runway=20),
        vendor("empty", enc=None, log=None, iam=None, runway=None),  # nothing scored
        vendor("half", enc=5, log=5, iam=None, runway=None),  # 2/6 of the weight: 33%
    ]
    result = score(catalog, [Vendor.model_validate(v) for v in vendors], method=method, as_of=AS_OF)  # type: ignore[arg-type]
    segment = result.segments[0]
    # under TOPSIS with `exclude` an empty row has D+ = D- = 0, closeness 0.5: it still cannot lead
    assert [v.id for v in segment.vendors] == ["alpha", "empty", "half"] or [
        v.id for v in segment.vendors
    ] == ["alpha", "half", "empty"]
    assert segment.vendors[0].id == "alpha" and segment.leader is not None and segment.leader.id == "alpha"
    for vid, coverage in (("empty", 0.0), ("half", 1 / 3)):
        v = result.vendor(vid)
        assert (v.rank, v.assessed, v.status) == (None, False, "not-assessed")
        assert v.coverage == pytest.approx(coverage)
    recs = decide(result)
    assert recs["half"].decision == "not-assessed"
    assert recs["half"].decision_text == "not assessed"
    assert recs["half"].reasons == (
        "only 33% of the weight scored (ranking needs 50%)",
        "unscored: Viability (50.0%), Security (16.7%)",
    )
    assert recs["empty"].reasons[1] == "unscored: Security (50.0%), Viability (50.0%)"
    assert recs["half"].plan is None and recs["half"].ring == "assess"
    assert recs["alpha"].reasons[0] == "the only eligible vendor of the segment: the choice is down to one"


def test_half_the_weight_scored_is_enough_to_be_ranked() -> None:
    result = evaluate(vendor("alpha"), vendor("bravo", runway=None))
    bravo = result.vendor("bravo")  # the three security criteria scored: half the weight
    assert (bravo.coverage, bravo.assessed) == (pytest.approx(0.5), True)
    assert bravo.status == "not-eligible"  # the unscored runway gate fails; it is judged, not pending
    assert decide(result)["bravo"].decision == "do-not-proceed"


def test_a_vendor_not_yet_assessed_does_not_move_the_others_scores() -> None:
    base = [vendor("alpha", runway=20), vendor("bravo", enc=2, log=5, iam=3, runway=30)]
    for method in ("wsm", "topsis"):
        catalog = Catalog.model_validate(
            {**CATALOG, "categories": [CATALOG["categories"][0], _minmax_viability()]}
        )
        alone = score(catalog, [Vendor.model_validate(v) for v in base], method=method, as_of=AS_OF)  # type: ignore[arg-type]
        scaffold = vendor("new", enc=None, log=None, iam=None, runway=None)
        half = vendor("half", enc=None, log=None, iam=1, runway=None)  # a sixth of the weight scored
        more = score(
            catalog,
            [Vendor.model_validate(v) for v in [*base, scaffold, half]],
            method=method,
            as_of=AS_OF,  # type: ignore[arg-type]
        )
        for vid in ("alpha", "bravo"):
            assert more.vendor(vid).score == pytest.approx(alone.vendor(vid).score, abs=1e-12), method


def _minmax_viability() -> dict[str, Any]:
    """Viability with a metric graded min-max across the segment (no `grading`)."""
    return {"id": "viability", "name": "Viability", "weight": 1, "criteria": [
        {"id": "ven-runway", "name": "Runway", "type": "metric", "unit": "months", "direction": "higher",
         "weight": 1},
    ]}  # fmt: skip


@pytest.mark.parametrize(
    ("p_top", "state", "tied"),
    [
        ({"alpha": 0.53, "bravo": 0.47}, "tie", ("alpha", "bravo")),
        ({"alpha": 0.59, "bravo": 0.30, "charlie": 0.11}, "tie", ("alpha", "bravo")),
        ({"alpha": 0.55, "bravo": 0.15, "charlie": 0.15, "delta": 0.15}, "tie", ("alpha", "bravo")),
        ({"alpha": 0.60, "bravo": 0.40}, "leader", ()),
        ({"alpha": 0.84, "bravo": 0.16}, "leader", ()),
    ],
)
def test_a_segment_whose_leader_is_first_in_fewer_than_60_percent_is_too_close_to_call(
    p_top: dict[str, float], state: str, tied: tuple[str, ...]
) -> None:
    result = evaluate(
        vendor("alpha", enc=5, log=5, iam=5),
        vendor("bravo", enc=5, log=5, iam=4.5),
        vendor("charlie", enc=5, log=4.5, iam=4.5),
        vendor("delta", enc=4.5, log=4.5, iam=4.5),
    )
    verdict = segment_verdict(result.segments[0], p_top)
    assert (verdict.state, verdict.tie, verdict.tied, verdict.leader) == (
        state,
        state == "tie",
        tied,
        "alpha",
    )
    recs = decide(result, p_top)
    if state == "tie":
        assert recs["alpha"].reasons[0] == "first by score, but too close to call with Bravo"
    else:
        assert recs["alpha"].reasons[0] == "leads the segment"


def test_a_segment_with_one_eligible_vendor_says_the_choice_is_down_to_one() -> None:
    result = evaluate(vendor("alpha"), vendor("bravo", enc=1), vendor("charlie", runway=8))
    verdict = segment_verdict(result.segments[0], {"alpha": 1.0})
    assert (verdict.state, verdict.ranked, verdict.not_eligible) == ("only-one", 1, 2)
    assert (
        decide(result)["alpha"].reasons[0]
        == "the only eligible vendor of the segment: the choice is down to one"
    )


def test_no_ranked_vendor_gives_no_verdict_leader() -> None:
    result = evaluate(vendor("alpha", enc=1), vendor("bravo", enc=None, log=None, iam=None, runway=None))
    verdict = segment_verdict(result.segments[0], {})
    assert (verdict.state, verdict.leader, verdict.not_assessed) == ("none", None, ("bravo",))


def test_topsis_thresholds_are_on_the_closeness_scale() -> None:
    # two vendors on one rubric criterion each, TOPSIS: closeness 1 and 0 at the extremes
    catalog = Catalog.model_validate(CATALOG)
    vendors = [
        vendor("alpha", enc=5, log=5, iam=5, runway=36),
        vendor("bravo", enc=4, log=4, iam=4, runway=30),
    ]
    result = score(catalog, [Vendor.model_validate(v) for v in vendors], method="topsis", as_of=AS_OF)
    lead, second = result.vendor("alpha").score, result.vendor("bravo").score
    assert lead == pytest.approx(1.0) and second == pytest.approx(0.0)
    recs = decide(result, {"alpha": 0.9, "bravo": 0.1})
    # 1.0 behind on a 0-1 scale: far outside 0.05; and below the 0.50 floor
    assert recs["bravo"].decision == "do-not-proceed"
    assert recs["bravo"].reasons == ("score 0.000 below 0.500",)
    assert RULES.scale("topsis") == Scale(0.5, 0.05, 0.75)
