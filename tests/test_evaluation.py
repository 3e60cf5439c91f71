"""The evaluation bundle on the bundled sample workspace, and the sensitivity and recommend commands."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from cli_runner import invoke, unboxed

from evaltool.analysis import Flip
from evaltool.evaluation import Evaluation, evaluate
from evaltool.workspace import load_workspace

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def evaluation() -> Evaluation:
    ws = load_workspace(ROOT)
    return evaluate(ws, ws.profile("balanced"), samples=4000)


def run(*args: str) -> tuple[int, str, str]:
    return invoke(args)


def test_rank_probabilities_of_eligible_vendors_sum_to_one(evaluation: Evaluation) -> None:
    for v in evaluation.result.vendors():
        stability = evaluation.sensitivity.vendors[v.id]
        if v.eligible:
            assert sum(stability.rank_probabilities) == pytest.approx(1.0)
            assert stability.p_top == stability.rank_probabilities[0]
        else:
            assert stability.p_top == 0.0 and stability.rank_probabilities == ()


def test_p_top_of_a_segment_sums_to_one(evaluation: Evaluation) -> None:
    for segment in evaluation.result.segments:
        assert sum(evaluation.sensitivity.vendors[v.id].p_top for v in segment.vendors) == pytest.approx(1.0)


def _totals(evaluation: Evaluation, segment: str, weights: dict[str, float]) -> dict[str, float]:
    seg = evaluation.result.segment(segment)
    return {
        v.id: sum(100 * weights[k] * (c.grade or 0.0) / 5 for k, c in v.cells.items())
        for v in seg.vendors
        if v.eligible
    }


def _moved(evaluation: Evaluation, flip: Flip, t: float) -> dict[str, float]:
    """Effective weights with the flip's criterion or category at t, the rest scaled by (1-t)/(1-w)."""
    base = evaluation.result.weights.criteria
    if flip.kind == "criterion":
        inside = {flip.id: 1.0}
    else:
        category = next(c for c in evaluation.result.catalog.categories if c.id == flip.id)
        inside = {k.id: evaluation.result.weights.within[k.id] for k in category.criteria}
    scale = (1 - t) / (1 - flip.weight)
    return {k: t * inside[k] if k in inside else w * scale for k, w in base.items()}


def test_every_flip_point_is_confirmed_by_rescoring(evaluation: Evaluation) -> None:
    checked = 0
    for flip in evaluation.sensitivity.flips:
        if flip.leader_changes_at is None:
            continue
        t = flip.leader_changes_at
        step = 1e-6 if t > flip.weight else -1e-6
        after = _totals(evaluation, flip.segment, _moved(evaluation, flip, t + step))
        before = _totals(evaluation, flip.segment, _moved(evaluation, flip, t - step))
        assert flip.new_leader is not None
        assert after[flip.new_leader] > after[flip.leader]
        assert before[flip.leader] >= max(before.values()) - 1e-9
        checked += 1
    assert checked > 20


def test_a_flip_point_of_none_never_changes_the_leader() -> None:
    ws = load_workspace(ROOT)
    evaluation = evaluate(ws, ws.profile("balanced"), samples=200)
    for flip in [f for f in evaluation.sensitivity.flips if f.leader_changes_at is None][:20]:
        for t in np.linspace(0, 0.999, 50):
            totals = _totals(evaluation, flip.segment, _moved(evaluation, flip, float(t)))
            assert totals[flip.leader] >= max(totals.values()) - 1e-9


def test_close_race_in_mlops_is_reported_as_unstable(evaluation: Evaluation) -> None:
    leader = evaluation.result.segment("MLOps platform").leader
    assert leader is not None and leader.id == "loomwright"
    assert 0.3 < evaluation.sensitivity.vendors["loomwright"].p_top < 0.7
    assert evaluation.recommendations["loomwright"].decision == "conditional"
    assert any(g.startswith("unstable lead") for g in evaluation.recommendations["loomwright"].gaps)


def test_provenance_names_inputs_and_settings(evaluation: Evaluation) -> None:
    p = evaluation.provenance
    assert (p.profile, p.method, p.samples, p.seed, p.concentration) == ("balanced", "wsm", 4000, 42, 100.0)
    assert len(p.input_sha256) == 64
    assert {f.path for f in p.files} >= {"criteria/catalog.yaml", "vendors/cindermoor.yaml"}


def _json(*args: str) -> Any:
    code, out, err = run(*args)
    assert code == 0, err
    return json.loads(out)


def test_sensitivity_json_has_the_contract_keys_and_reproduces() -> None:
    args = ("sensitivity", "-w", str(ROOT), "--profile", "balanced", "--samples", "2000", "--format", "json")
    first = _json(*args)
    assert {"samples", "seed", "concentration", "vendors", "flip_points", "category_flip_points"} <= set(
        first
    )
    assert (first["samples"], first["seed"], first["concentration"]) == (2000, 42, 100.0)
    vendor = first["vendors"][0]
    assert {"id", "segment", "p_top", "rank_probabilities", "score_interval"} <= set(vendor)
    assert {"segment", "criterion", "weight", "leader_changes_at", "new_leader"} <= set(
        first["flip_points"][0]
    )
    assert {"segment", "category", "weight", "leader_changes_at"} <= set(first["category_flip_points"][0])
    assert _json(*args) == first
    other = _json(*args[:-2], "--seed", "7", "--format", "json")
    assert other["seed"] == 7 and other["vendors"] != first["vendors"]


def test_sensitivity_table_speaks_plain_words() -> None:
    code, out, _ = run("sensitivity", "-w", str(ROOT), "--samples", "500", "--segment", "MLOps platform")
    assert code == 0
    assert "Loomwright ML stays ahead unless the weight of" in out
    assert "(then Cindermoor Model Hub leads)." in out


def test_recommend_json_lists_every_vendor_with_the_rules() -> None:
    data = _json(
        "recommend", "-w", str(ROOT), "--profile", "balanced", "--samples", "500", "--format", "json"
    )
    assert data["rules"].startswith("A vendor with less than 50% of the weight scored is *not assessed*")
    decisions = {r["vendor"]: r["decision"] for r in data["recommendations"]}
    assert len(decisions) == 15
    assert decisions["veldtrace"] == "do-not-proceed"
    assert decisions["glyphwell"] == "proceed"
    plan = next(r["poc_plan"] for r in data["recommendations"] if r["vendor"] == "glyphwell")
    assert plan["timebox_weeks"] > 0 and plan["checks"] and plan["exit_gates"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("sensitivity", "--samples", "0"), "--samples must be at least 1, not 0"),
        (
            ("sensitivity", "--format", "csv"),
            "Invalid value for '--format' / '-f': Value error, 'csv' is not one of 'table', 'json'.",
        ),
        (("recommend", "--profile", "nope"), "unknown profile 'nope'"),
        (("sensitivity", "--segment", "Nope"), "unknown segment 'Nope'"),
    ],
)
def test_bad_options_are_usage_errors(args: tuple[str, ...], message: str) -> None:
    code, out, err = run(*args, "-w", str(ROOT))
    assert code == 2
    assert message in unboxed(out + err)


def test_perturbing_scores_within_the_assessors_spread_widens_only_disputed_vendors() -> None:
    ws = load_workspace(ROOT)
    plain = evaluate(ws, ws.profile("balanced"), samples=3000)
    perturbed = evaluate(ws, ws.profile("balanced"), samples=3000, perturb_scores=True)
    assert perturbed.sensitivity.perturb_scores and not plain.sensitivity.perturb_scores

    def width(e: Evaluation, vid: str) -> float:
        lo, hi = e.sensitivity.vendors[vid].score_interval
        return hi - lo

    # cindermoor's assessors are 2 points apart on two criteria; loomwright has a single assessor
    assert width(perturbed, "cindermoor") > width(plain, "cindermoor")
    assert width(perturbed, "loomwright") == pytest.approx(width(plain, "loomwright"))
    data = _json("sensitivity", "-w", str(ROOT), "--samples", "300", "--perturb-scores", "--format", "json")
    assert data["perturb_scores"] is True
