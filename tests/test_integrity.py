"""One answer in every output: the same leader, the same numbers, and "not assessed" or "too close to
call" where that is the truth, whatever the method, the missing-data policy or the profile.

Under the bundled data-platform profile the methods disagree on the vector databases: WSM puts Lumenvec
Cloud first (72.5 against 71.1), TOPSIS puts Tessaloom DB first. The bundled MLOps segment under the
balanced profile is too close to call (Loomwright ML first in 53% of the weight samples, Cindermoor Model
Hub in 47%). Each output is driven as a user would (the CLI, the report, the export, the dashboard) and
read back.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
import yaml
from cli_runner import invoke
from streamlit.testing.v1 import AppTest

REPO = Path(__file__).resolve().parent.parent
APP = REPO / "evaltool" / "dashboard" / "app.py"
MLOPS = "MLOps platform"
VECTOR = "Vector database"
SAMPLES = "2000"


def run_json(*args: Any) -> Any:
    code, out, err = invoke([*args, "--format", "json"])
    assert code == 0, err
    return json.loads(out)


def set_missing(root: Path, policy: str) -> None:
    path = root / "criteria" / "catalog.yaml"
    text = path.read_text(encoding="utf-8")
    assert re.search(r"^missing: \w+", text, re.M)
    path.write_text(re.sub(r"^missing: \w+", f"missing: {policy}", text, flags=re.M), encoding="utf-8")


# --- one method, one leader ------------------------------------------------------------------------------


@pytest.mark.parametrize(("method", "leader"), [("wsm", "lumenvec"), ("topsis", "tessaloom")])
def test_every_output_names_the_methods_own_leader(sample: Path, method: str, leader: str) -> None:
    common = ["--workspace", sample, "--profile", "data-platform", "--method", method, "--segment", VECTOR]
    scores = run_json("score", *common)["vendors"]
    assert scores[0]["id"] == leader and scores[0]["rank"] == 1

    sens = run_json("sensitivity", *common, "--samples", SAMPLES)
    assert sens["method"] == method
    assert {f["leader"] for f in sens["flip_points"] + sens["category_flip_points"]} == {leader}
    p_top = {v["id"]: v["p_top"] for v in sens["vendors"]}
    # the rank probabilities are those of the method's own scores: closeness intervals lie in [0, 1]
    intervals = [v["score_interval"] for v in sens["vendors"]]
    if method == "topsis":
        assert all(0.0 <= lo <= hi <= 1.0 for lo, hi in intervals)
    else:
        assert any(hi > 1.0 for _, hi in intervals)

    recs = run_json("recommend", *common, "--samples", SAMPLES)
    assert recs["method"] == method
    (segment,) = recs["segments"]
    assert segment["leader"] == leader
    by_id = {r["vendor"]: r for r in recs["recommendations"]}
    assert by_id[leader]["decision"] in ("proceed", "conditional")
    for r in recs["recommendations"]:
        for reason in r["reasons"]:
            assert not re.search(r"\(-\d", reason), reason  # no negative gap to "the leader"
    if segment["tie"]:
        assert leader in segment["tied"]
        assert segment["headline"].startswith(f"{VECTOR} is too close to call between")
    else:
        assert segment["headline"].startswith(f"{scores[0]['name']} leads {VECTOR}")
        assert p_top[leader] == max(p_top.values())

    out = sample / "reports" / "r.md"
    code, _, err = invoke(["report", *common, "--samples", SAMPLES, "--format", "md", "--out", out])
    assert code == 0, err
    report = out.read_text(encoding="utf-8")
    assert segment["headline"] in report.replace("**", "").replace("\\", "")
    assert "within reach of the leader (-" not in report
    if method == "topsis":
        assert "use the WSM score" not in report

    out_json = sample / "reports" / "s.json"
    code, _, err = invoke(["export", *common, "--samples", SAMPLES, "--format", "json", "--out", out_json])
    assert code == 0, err
    export = json.loads(out_json.read_text(encoding="utf-8"))
    (exported,) = export["segments"]
    assert (exported["leader"], exported["tie"], exported["tied"]) == (
        leader,
        segment["tie"],
        segment["tied"],
    )
    assert {f["leader"] for f in export["sensitivity"]["flip_points"]} == {leader}
    assert export["sensitivity"]["method"] == method


def test_the_bundled_mlops_segment_is_too_close_to_call_under_wsm(sample: Path) -> None:
    recs = run_json("recommend", "--workspace", sample, "--profile", "balanced")
    segments = {s["name"]: s for s in recs["segments"]}
    assert (segments[MLOPS]["tie"], segments[MLOPS]["tied"]) == (True, ["loomwright", "cindermoor"])
    assert [s["tie"] for n, s in segments.items() if n != MLOPS] == [False] * 4
    code, out, _ = invoke(["recommend", "--workspace", sample, "--profile", "balanced"])
    assert code == 0
    prose = " ".join(out.split())  # the headline wraps to the width of the output
    assert (
        "MLOps platform is too close to call between Loomwright ML and Cindermoor Model Hub "
        "(first in 54% and 46% of weight samples); by score Loomwright ML is ahead with 71.0."
    ) in prose
    assert "Loomwright ML leads MLOps platform" not in prose


def test_a_segment_down_to_one_eligible_vendor_says_so(sample: Path) -> None:
    recs = run_json(
        "recommend", "--workspace", sample, "--profile", "llm-platform", "--segment", "LLM platform"
    )
    (segment,) = recs["segments"]
    assert segment["state"] == "only-one"
    assert segment["headline"].endswith(
        "it is the only eligible vendor (2 fail a gate), so the choice is down to one."
    )
    halcyra = next(r for r in recs["recommendations"] if r["vendor"] == "halcyra")
    assert halcyra["reasons"][0] == "the only eligible vendor of the segment: the choice is down to one"


# --- not assessed is a state -----------------------------------------------------------------------------


@pytest.mark.parametrize("method", ["wsm", "topsis"])
@pytest.mark.parametrize("missing", ["zero", "exclude"])
def test_a_new_vendor_file_is_not_assessed_until_filled_in(sample: Path, method: str, missing: str) -> None:
    set_missing(sample, missing)
    segment = "Vector database"
    common = ["--workspace", sample, "--profile", "balanced", "--method", method, "--segment", segment]
    before = {v["id"]: v["score"] for v in run_json("score", *common)["vendors"]}
    code, _, err = invoke(["new", "vendor", "acme-vector", "--segment", segment, "--workspace", sample])
    assert code == 0, err
    after = run_json("score", *common)["vendors"]
    acme = next(v for v in after if v["id"] == "acme-vector")
    assert (acme["rank"], acme["status"], acme["coverage"]) == (None, "not-assessed", 0.0)
    assert after[-1]["id"] == "acme-vector"  # listed after everyone else
    # an empty file moves nobody else's score (TOPSIS norms and ideal points, min-max grading)
    others = {v["id"]: v["score"] for v in after if v["id"] != "acme-vector"}
    assert others == pytest.approx(before, rel=1e-14)

    recs = run_json("recommend", *common, "--samples", SAMPLES)
    acme_rec = next(r for r in recs["recommendations"] if r["vendor"] == "acme-vector")
    assert acme_rec["decision"] == "not-assessed" and acme_rec["poc_plan"] is None
    assert acme_rec["reasons"][0] == "only 0% of the weight scored (ranking needs 50%)"
    assert recs["segments"][0]["leader"] != "acme-vector"
    sens = run_json("sensitivity", *common, "--samples", SAMPLES)
    acme_sens = next(v for v in sens["vendors"] if v["id"] == "acme-vector")
    assert (acme_sens["ranked"], acme_sens["p_top"], acme_sens["rank_probabilities"]) == (False, 0.0, [])
    for fmt in ("md", "html"):
        out = sample / "reports" / f"r.{fmt}"
        code, _, err = invoke(["report", *common, "--samples", SAMPLES, "--format", fmt, "--out", out])
        assert code == 0, err
        assert "Acme Vector (not assessed)" in out.read_text(encoding="utf-8")
    for fmt in ("xlsx", "csv"):
        code, _, err = invoke(
            ["export", *common, "--samples", SAMPLES, "--format", fmt, "--out", sample / f"s.{fmt}"]
        )
        assert code == 0, err


def test_a_half_finished_assessment_is_not_assessed_not_outranked(sample: Path) -> None:
    path = sample / "vendors" / "tessaloom.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    kept = ("sec-encryption", "sec-iam", "reg-assurance")
    for assessment in data.get("assessments") or []:
        assessment["scores"] = {k: v for k, v in assessment["scores"].items() if k in kept}
    if data.get("scores"):
        data["scores"] = {k: v for k, v in data["scores"].items() if k in kept}
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    recs = run_json(
        "recommend", "--workspace", sample, "--profile", "balanced", "--segment", "Vector database"
    )
    tessaloom = next(r for r in recs["recommendations"] if r["vendor"] == "tessaloom")
    assert tessaloom["decision"] == "not-assessed"
    assert tessaloom["reasons"][1].startswith("unscored: ")
    assert not any("outranked" in r for r in tessaloom["reasons"])


# --- the dashboard tells the same story --------------------------------------------------------------------


def dashboard(monkeypatch: pytest.MonkeyPatch, root: Path, **state: Any) -> AppTest:
    monkeypatch.setenv("EVALTOOL_WORKSPACE", str(root))
    at = AppTest.from_file(str(APP), default_timeout=90)
    at.run()
    for key, value in state.items():
        (at.radio(key=key) if key == "method" else at.selectbox(key=key)).set_value(value)
        at.run()
    at.switch_page("views/overview.py").run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def markdown_text(at: AppTest) -> str:
    return "\n".join(re.sub(r"\\(.)", r"\1", str(m.value)).replace("**", "") for m in at.markdown)


@pytest.mark.parametrize(
    ("method", "expected"),
    [
        ("wsm", "Lumenvec Cloud leads Vector database with 72.5"),
        ("topsis", "Vector database is too close to call between Tessaloom DB and Lumenvec Cloud"),
    ],
)
def test_dashboard_overview_names_the_same_leader_as_the_cli(
    monkeypatch: pytest.MonkeyPatch, sample: Path, method: str, expected: str
) -> None:
    at = dashboard(monkeypatch, sample, profile="data-platform", segment=VECTOR, method=method)
    assert expected in markdown_text(at)
    recs = run_json("recommend", "--workspace", sample, "--profile", "data-platform", "--method", method,
                    "--segment", VECTOR)  # fmt: skip
    headline = recs["segments"][0]["headline"]
    assert headline.startswith(expected)
    assert headline in markdown_text(at)  # the very sentence, numbers included


@pytest.mark.parametrize(
    "page", ["overview", "compare", "what_if", "sensitivity", "vendor", "radar", "downloads"]
)
def test_every_dashboard_page_shows_a_vendor_not_yet_assessed(
    monkeypatch: pytest.MonkeyPatch, sample: Path, page: str
) -> None:
    code, _, err = invoke(
        ["new", "vendor", "acme-vector", "--segment", "Vector database", "--workspace", sample]
    )
    assert code == 0, err
    at = dashboard(monkeypatch, sample, segment="Vector database")
    at.switch_page(f"views/{page}.py").run()
    assert not at.exception, [e.value for e in at.exception]
    if page == "vendor":
        at.selectbox(key=next(s.key for s in at.main.selectbox)).set_value("acme-vector").run()
        assert not at.exception, [e.value for e in at.exception]
        (box,) = [re.sub(r"\\(.)", r"\1", str(i.value)) for i in at.info if "Not assessed" in str(i.value)]
        assert "Not assessed**: only 0% of the weight scored (ranking needs 50%); unscored: " in box


def test_dashboard_sensitivity_page_uses_the_method_of_the_ranking(
    monkeypatch: pytest.MonkeyPatch, sample: Path
) -> None:
    at = dashboard(monkeypatch, sample, profile="data-platform", segment=VECTOR, method="topsis")
    at.switch_page("views/sensitivity.py").run()
    assert not at.exception, [e.value for e in at.exception]
    sens = run_json("sensitivity", "--workspace", sample, "--profile", "data-platform", "--method", "topsis",
                    "--segment", VECTOR)  # fmt: skip
    recs = run_json("recommend", "--workspace", sample, "--profile", "data-platform", "--method", "topsis",
                    "--segment", VECTOR)  # fmt: skip
    assert recs["segments"][0]["headline"] in markdown_text(at)
    assert any("each scored with TOPSIS closeness" in str(c.value) for c in at.caption)
    (table,) = [d.value for d in at.dataframe if "P(first)" in d.value.columns]
    shown = dict(zip(table["Vendor"], table["P(first)"], strict=True))
    names = {
        r["id"]: r["name"] for r in run_json("score", "--workspace", sample, "--segment", VECTOR)["vendors"]
    }
    for v in sens["vendors"]:
        if v["ranked"]:
            assert shown[names[v["id"]]] == pytest.approx(100 * v["p_top"], abs=0.5)


# --- what a forum reviewer found -------------------------------------------------------------------------


def test_an_exact_score_tie_is_too_close_to_call(sample: Path) -> None:
    text = (sample / "vendors" / "lumenvec.yaml").read_text(encoding="utf-8")
    twin = text.replace("id: lumenvec\n", "id: lumenvec2\n").replace(
        "name: Lumenvec Cloud\n", "name: Lumenvec Twin\n"
    )
    (sample / "vendors" / "lumenvec2.yaml").write_text(twin, encoding="utf-8")
    # under the catalog's own weights, where Lumenvec scores 71.7 (data-platform, the segment's own
    # profile, puts Tessaloom within reach of the twins too)
    recs = run_json("recommend", "--workspace", sample, "--segment", VECTOR, "--samples", SAMPLES,
                    "--profile", "catalog")  # fmt: skip
    (segment,) = recs["segments"]
    assert (segment["state"], segment["tie"], segment["tied"]) == ("tie", True, ["lumenvec", "lumenvec2"])
    assert segment["headline"].startswith(
        f"{VECTOR} is too close to call between Lumenvec Cloud and Lumenvec Twin"
    )
    assert segment["headline"].endswith("Lumenvec Cloud and Lumenvec Twin score the same, 71.7.")


SHARES = [(0.597, "59.7%"), (0.6, "60%"), (0.996, "99.6%"), (0.004, "0.4%"), (0.695, "69.5%"),
          (0.196, "19.6%"), (0.53, "53%"), (1.0, "100%")]  # fmt: skip


@pytest.mark.parametrize(("p", "text"), SHARES)
def test_a_share_of_samples_never_reads_on_the_wrong_side_of_a_threshold(p: float, text: str) -> None:
    from evaltool import wording

    assert wording.samples_pct(p) == text


def test_topsis_charts_show_closeness_not_wsm_points(sample: Path) -> None:
    from evaltool import charts
    from evaltool.evaluation import evaluate
    from evaltool.workspace import load_workspace

    ws = load_workspace(sample)
    ev = evaluate(ws, ws.profile("data-platform"), method="topsis", segments=[VECTOR], samples=500)
    segment = ev.result.segments[0]
    intervals = {v.id: ev.sensitivity.vendors[v.id].score_interval for v in segment.vendors}
    (trace,) = charts.interval_chart(segment, intervals, "topsis").data
    assert list(trace.x) == [v.score for v in segment.vendors]  # closeness, inside its own interval
    for v, low, high in zip(segment.vendors, trace.error_x.arrayminus, trace.error_x.array, strict=True):
        assert v.score - low == pytest.approx(intervals[v.id][0]) and v.score + high == pytest.approx(
            intervals[v.id][1]
        )
    (bars,) = charts.ranking_chart(ev.result, segment).data
    assert list(reversed(bars.x)) == [v.score for v in segment.vendors]
