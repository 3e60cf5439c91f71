"""One profile per segment: a profile's `segments` (docs/scoring.md#one-profile-per-segment).

Without --profile, each segment is scored with the profile that names it, else with the catalog's weights;
--profile P applies P everywhere and --profile catalog the catalog's weights everywhere. The expected values
come from hand arithmetic on the small default workspace, and on the sample from runs of each segment
alone with its own profile named explicitly (segments never compete, so the two must agree exactly).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from fractions import Fraction as F
from pathlib import Path
from typing import Any

import pytest
from conftest import CliResult, Validation, WorkspaceFactory

Run = Callable[..., CliResult]

# The sample: which profile names which segment (criteria/profiles/*.yaml), and the tier that profile's
# risk selects in the catalog's due_diligence (data-platform: critical and restricted -> Critical;
# llm-platform: high, confidential -> Standard; no profile, no risk -> Low, the tier without `when`).
OWN = {
    "Vector database": ("data-platform", "Critical"),
    "LLM platform": ("llm-platform", "Standard"),
    "Data catalog": ("data-platform", "Critical"),
    "Lakehouse & warehouse": ("data-platform", "Critical"),
    "MLOps platform": (None, "Low"),
}

SECURITY_FIRST_FOR_VECTORS = "description: Security dominates.\nsegments: [Vector database]\n"


def _json(run: Run, *args: str | Path) -> Any:
    code, out, err = run([*args, "--format", "json"])
    assert code == 0, err
    return json.loads(out)


def _scores(document: dict[str, Any]) -> dict[str, float]:
    return {v["id"]: v["score"] for v in document["vendors"]}


# --- hand arithmetic on the default workspace ---------------------------------------------------------------


def test_each_segment_is_scored_with_the_profile_naming_it_by_hand(
    workspace: WorkspaceFactory, run_cli: Run
) -> None:
    root = workspace.edited(("profiles/security-first", "description: Security dominates.\n",
                             SECURITY_FIRST_FOR_VECTORS))  # fmt: skip
    document = _json(run_cli, "score", "--workspace", root)
    # Vector database, profile security-first: categories security 80, commercial 40 -> 2/3, 1/3; within
    # security sec-encryption 2, sec-logging 3 (overridden) -> 2/5, 3/5; commercial three criteria of
    # weight 1 -> 1/3 each. Effective: encryption 4/15, logging 2/5, support, tco, latency 1/9 each.
    w = {"enc": F(4, 15), "log": F(2, 5), "sup": F(1, 9), "tco": F(1, 9), "lat": F(1, 9)}

    def tco(usd: int) -> F:  # grading best 100000 (5), worst 1000000 (0), lower is better
        return F(5) * (1_000_000 - usd) / 900_000

    # acme: encryption median(4, 3) = 3.5, logging 3.5, support 3 (a.smith gave none), tco 240000,
    # latency 35 ms, the worse of the segment's two (min-max) -> 0; beta: 2, 4, 4.5, 500000, 20 ms -> 5.
    acme = {"enc": F(7, 2), "log": F(7, 2), "sup": F(3), "tco": tco(240_000), "lat": F(0)}
    beta = {"enc": F(2), "log": F(4), "sup": F(9, 2), "tco": tco(500_000), "lat": F(5)}
    # LLM platform, no profile names it: the catalog's weights, security 60 / commercial 40, encryption 2/3
    # and logging 1/3 within security -> encryption 0.4, logging 0.2, each commercial criterion 2/15.
    # gamma scores encryption 5 and tco 900000; the rest counts 0 (missing: zero).
    gamma = F(2, 5) * 5 + F(2, 15) * tco(900_000)
    expected = {
        "acme-vector": float(20 * sum(w[k] * acme[k] for k in w)),
        "beta-vector": float(20 * sum(w[k] * beta[k] for k in w)),
        "gamma-llm": float(20 * gamma),
    }
    assert _scores(document) == pytest.approx(expected, abs=1e-9)
    assert document["profile"] is None
    assert document["profiles"] == {"Vector database": "security-first", "LLM platform": None}
    assert {v["id"]: v["profile"] for v in document["vendors"]} == {
        "acme-vector": "security-first", "beta-vector": "security-first", "gamma-llm": None,
    }  # fmt: skip


def test_profile_option_applies_one_profile_everywhere_and_catalog_the_catalog_weights(
    workspace: WorkspaceFactory, run_cli: Run
) -> None:
    root = workspace.edited(("profiles/security-first", "description: Security dominates.\n",
                             SECURITY_FIRST_FOR_VECTORS))  # fmt: skip
    plain = workspace()  # the same files without `segments`
    everywhere = _json(run_cli, "score", "--workspace", root, "--profile", "security-first")
    assert everywhere["profile"] == "security-first"
    assert set(everywhere["profiles"].values()) == {"security-first"}
    assert _scores(everywhere) == _scores(
        _json(run_cli, "score", "--workspace", plain, "--profile", "security-first")
    )
    catalog = _json(run_cli, "score", "--workspace", root, "--profile", "catalog")
    assert catalog["profile"] is None and set(catalog["profiles"].values()) == {None}
    assert _scores(catalog) == _scores(_json(run_cli, "score", "--workspace", plain))


# --- validation -------------------------------------------------------------------------------------------


def test_validate_names_an_unknown_segment_at_its_line(
    workspace: WorkspaceFactory, validate: Callable[..., Validation]
) -> None:
    typo = "description: Security dominates.\nsegments:\n  - Vector databse\n"
    root = workspace.edited(("profiles/security-first", "description: Security dominates.\n", typo))
    result = validate(root)
    assert result.code == 1
    assert result.errors == [
        "criteria/profiles/security-first.yaml:5: segments[0]: unknown segment 'Vector databse' (segments: "
        "Vector database, LLM platform) (did you mean 'Vector database'?)"
    ]


def test_validate_refuses_a_segment_named_by_two_profiles_naming_the_first(
    workspace: WorkspaceFactory, validate: Callable[..., Validation]
) -> None:
    root = workspace.edited(
        ("profiles/security-first", "description: Security dominates.\n", SECURITY_FIRST_FOR_VECTORS),
        ("profiles/pairwise", "name: Pairwise category weights\n",
         "name: Pairwise category weights\nsegments: [LLM platform, Vector database]\n"),
    )  # fmt: skip
    result = validate(root)
    assert result.code == 1
    # files are read in name order: pairwise.yaml claims Vector database first
    assert result.errors == [
        "criteria/profiles/security-first.yaml:4: segments[0]: segment 'Vector database' is already named by "
        "criteria/profiles/pairwise.yaml: a segment is scored with one profile"
    ]


def test_validate_refuses_a_segment_listed_twice_and_the_reserved_id(
    workspace: WorkspaceFactory, validate: Callable[..., Validation]
) -> None:
    listed = "description: Security dominates.\nsegments: [LLM platform, LLM platform]\n"
    twice = workspace.edited(("profiles/security-first", "description: Security dominates.\n", listed))
    result = validate(twice)
    assert result.code == 1
    assert result.errors == [
        "criteria/profiles/security-first.yaml:4: segments[1]: segment 'LLM platform' is listed twice"
    ]
    reserved = workspace(profiles={"catalog": "id: catalog\nname: Named like the catalog\n"})
    result = validate(reserved)
    assert result.code == 1
    assert result.errors == [
        "criteria/profiles/catalog.yaml:1: id: 'catalog' is reserved for the catalog's own weights "
        "(--profile catalog): rename the profile"
    ]


def test_one_segment_needs_only_the_profile_naming_it(workspace: WorkspaceFactory, run_cli: Run) -> None:
    broken_other = workspace.edited(
        ("profiles/security-first", "description: Security dominates.\n", SECURITY_FIRST_FOR_VECTORS),
        ("profiles/pairwise", "name: Pairwise category weights\n", "name: Pairwise\nweights: 7\n"),
    )  # fmt: skip
    code, out, err = run_cli(["score", "--workspace", broken_other, "--segment", "Vector database",
                              "--format", "json"])  # fmt: skip
    assert code == 0, err
    assert "warning: skipped, profile not in use: criteria/profiles/pairwise.yaml" in err
    assert json.loads(out)["profile"] == "security-first"
    broken_own = workspace.edited(
        ("profiles/security-first", "description: Security dominates.\n",
         SECURITY_FIRST_FOR_VECTORS + "ahp: 3\n"),
    )  # fmt: skip
    code, out, err = run_cli(["score", "--workspace", broken_own, "--segment", "Vector database"])
    assert code == 1
    assert "criteria/profiles/security-first.yaml:5: ahp:" in err


# --- the sample: every segment as if run alone with its own profile ---------------------------------------


@pytest.fixture(scope="module")
def sample_exclude(tmp_path_factory: pytest.TempPathFactory) -> Path:
    import shutil

    from conftest import REPO

    root = tmp_path_factory.mktemp("exclude") / "sample"
    shutil.copytree(REPO / "criteria", root / "criteria")
    shutil.copytree(REPO / "vendors", root / "vendors")
    catalog = root / "criteria" / "catalog.yaml"
    text = catalog.read_text(encoding="utf-8")
    assert text.count("\nmissing: zero") == 1
    catalog.write_text(text.replace("\nmissing: zero", "\nmissing: exclude"), encoding="utf-8")
    return root


@pytest.mark.parametrize("method", ["wsm", "topsis"])
@pytest.mark.parametrize("missing", ["zero", "exclude"])
def test_sample_segments_score_as_their_own_profile_alone(
    method: str, missing: str, sample: Path, sample_exclude: Path, run_cli: Run
) -> None:
    root = sample if missing == "zero" else sample_exclude
    whole = _json(run_cli, "score", "--workspace", root, "--method", method)
    assert whole["missing"] == missing
    assert whole["profiles"] == {s: p for s, (p, _) in OWN.items()}
    by_segment = {s: {v["id"]: v for v in whole["vendors"] if v["segment"] == s} for s in OWN}
    for segment, (profile, tier) in OWN.items():
        alone = _json(run_cli, "score", "--workspace", root, "--method", method, "--segment", segment,
                      "--profile", profile or "catalog")  # fmt: skip
        scoped = _json(run_cli, "score", "--workspace", root, "--method", method, "--segment", segment)
        for document in (alone, scoped):
            assert {v["id"]: (v["score"], v["rank"], v["eligible"]) for v in document["vendors"]} == {
                v["id"]: (v["score"], v["rank"], v["eligible"]) for v in by_segment[segment].values()
            }
        assert scoped["profile"] == profile
        assert {v["tier"]["name"] for v in by_segment[segment].values()} == {tier}
        assert {v["profile"] for v in by_segment[segment].values()} == {profile}


def test_sample_sensitivity_and_recommendations_follow_each_segments_profile(
    sample: Path, run_cli: Run
) -> None:
    whole = _json(run_cli, "sensitivity", "--workspace", sample, "--samples", "400")
    recommend = _json(run_cli, "recommend", "--workspace", sample, "--samples", "400")
    decisions = {r["vendor"]: (r["decision"], r["ring"], r["gaps"]) for r in recommend["recommendations"]}
    for segment in ("Data catalog", "LLM platform"):
        profile = OWN[segment][0]
        assert profile is not None
        args = ("--workspace", sample, "--samples", "400", "--segment", segment, "--profile", profile)
        alone = _json(run_cli, "sensitivity", *args)
        mine = {v["id"]: v["p_top"] for v in whole["vendors"] if v["segment"] == segment}
        assert mine == {v["id"]: v["p_top"] for v in alone["vendors"]}
        assert [f for f in whole["flip_points"] if f["segment"] == segment] == alone["flip_points"]
        own = _json(run_cli, "recommend", *args)
        assert {r["vendor"]: (r["decision"], r["ring"], r["gaps"]) for r in own["recommendations"]} == {
            k: v for k, v in decisions.items() if k in {r["vendor"] for r in own["recommendations"]}
        }
    segments = {s["name"]: s for s in recommend["segments"]}
    assert {name: (s["profile"], s["tier"]["name"]) for name, s in segments.items()} == OWN


def test_sample_recommend_and_score_tables_title_each_segment_with_its_profile(
    sample: Path, run_cli: Run
) -> None:
    code, out, err = run_cli(["score", "--workspace", sample])
    assert code == 0, err
    titles = re.findall(r"^(.+): WSM, (.+)$", out, re.MULTILINE)
    assert titles == [(s, f"{p or 'catalog weights'}, {tier} tier") for s, (p, tier) in OWN.items()]
    code, out, err = run_cli(["recommend", "--workspace", sample, "--samples", "300"])
    assert code == 0, err
    assert re.findall(r"^(.+): WSM, (.+)$", out, re.MULTILINE) == titles
    assert "Examined under the Critical tier" in out and "Examined under the Standard tier" in out


def test_weights_command_shows_a_segments_own_weights(sample: Path, run_cli: Run) -> None:
    own = _json(run_cli, "weights", "--workspace", sample, "--segment", "Data catalog")
    named = _json(run_cli, "weights", "--workspace", sample, "--profile", "data-platform")
    assert own.pop("profiles") == {s: p for s, (p, _) in OWN.items()}
    assert set(named.pop("profiles").values()) == {"data-platform"}
    assert own == named
    # a given --profile wins over the segment's own; a segment no profile names has the catalog's weights
    forced = _json(
        run_cli, "weights", "--workspace", sample, "--segment", "Data catalog", "--profile", "balanced"
    )
    assert forced == _json(run_cli, "weights", "--workspace", sample, "--profile", "balanced")
    mlops = _json(run_cli, "weights", "--workspace", sample, "--segment", "MLOps platform")
    assert mlops == _json(run_cli, "weights", "--workspace", sample)
    code, out, err = run_cli(["weights", "--workspace", sample])
    assert code == 0, err
    assert out.splitlines()[0] == "Effective weights: catalog weights"
    note = out[out.index("Without --profile") :]
    assert " ".join(line.strip() for line in note.splitlines()) == (
        "Without --profile, each segment is scored with its own profile: Vector database: data-platform; "
        "LLM platform: llm-platform; Data catalog: data-platform; Lakehouse & warehouse: data-platform; "
        "MLOps platform: catalog weights. `evaltool weights --segment S` shows the weights of one."
    )


def test_export_json_names_each_segments_profile_tier_and_weights(
    sample: Path, run_cli: Run, tmp_path: Path
) -> None:
    out = tmp_path / "scorecard.json"
    code, _, err = run_cli(
        ["export", "--workspace", sample, "--samples", "300", "--format", "json", "--out", out]
    )
    assert code == 0, err
    document = json.loads(out.read_text(encoding="utf-8"))
    assert document["profile"] is None
    assert document["provenance"]["profiles"] == {s: p for s, (p, _) in OWN.items()}
    weights = {p: _json(run_cli, "weights", "--workspace", sample, "--profile", p or "catalog")
               for p in ("data-platform", "llm-platform", None)}  # fmt: skip
    for s in document["segments"]:
        profile, tier = OWN[s["name"]]
        assert (s["profile"], s["tier"]["name"]) == (profile, tier)
        expected = {k: v for k, v in weights[profile].items() if k != "profiles"}
        assert s["weights"] == expected
    # the whole-run weights are the base: the catalog's, which MLOps platform is scored with
    assert document["weights"]["criteria"] == weights[None]["criteria"]


def test_default_output_names_say_the_profiles_differ(sample: Path, run_cli: Run) -> None:
    code, out, err = run_cli(["export", "--workspace", sample, "--samples", "200", "--format", "json"])
    assert code == 0, err
    assert Path(out.strip()).name.startswith("all-segments-per-segment-")
    code, out, err = run_cli(["export", "--workspace", sample, "--samples", "200", "--format", "json",
                              "--segment", "LLM platform"])  # fmt: skip
    assert code == 0, err
    assert Path(out.strip()).name.startswith("llm-platform-llm-platform-")


# --- diff: a profile that starts naming a segment --------------------------------------------------------


def test_diff_names_the_segment_whose_weights_a_profile_changed(tmp_path: Path, run_cli: Run) -> None:
    from test_diff import build, commit, diff_json, vendor

    repo = tmp_path / "repo"
    ws = build(repo)  # at c5: security 150, commercial 50; alpha (5, 3, 2) = 70, gamma (3, 3, 3) = 60
    heavy = "id: sec-heavy\nname: Security heavy\nsegments: [Vector database]\nweights:\n  security: 300\n"
    delta = vendor("delta", 3, 3, 3).replace("segment: Vector database", "segment: LLM platform")
    commit(repo, ws, "c6 vector databases get their own profile",
           {"criteria/profiles/sec-heavy.yaml": heavy, "vendors/delta.yaml": delta})  # fmt: skip
    data = diff_json(run_cli, ws, "c5", "c6")
    # Vector database now: security 300 / commercial 50 -> 6/7, 1/7; encryption and logging 3/7 each,
    # support 1/7. LLM platform keeps the catalog's weights, so nothing is listed for it.
    seg = "Vector database"
    assert data["weights"] == [
        {"id": "security", "kind": "category", "old": 0.75, "new": round(6 / 7, 9), "segment": seg},
        {"id": "commercial", "kind": "category", "old": 0.25, "new": round(1 / 7, 9), "segment": seg},
        {"id": "sec-encryption", "kind": "criterion", "old": 0.375, "new": round(3 / 7, 9), "segment": seg},
        {"id": "sec-logging", "kind": "criterion", "old": 0.375, "new": round(3 / 7, 9), "segment": seg},
        {"id": "com-support", "kind": "criterion", "old": 0.25, "new": round(1 / 7, 9), "segment": seg},
    ]
    alpha = next(v for v in data["vendors"] if v["id"] == "alpha")
    # 20 x (3/7 x 5 + 3/7 x 3 + 1/7 x 2) = 520/7; the scores did not move, so the weights explain it all
    assert alpha["score"] == [70.0, round(520 / 7, 9)]
    assert alpha["attribution"] == {"weights": round(520 / 7 - 70, 9), "scores": 0.0}
    assert [v["id"] for v in data["added"]] == ["delta"]
    code, out, err = run_cli(["diff", "c5", "c6", "--workspace", ws])
    assert code == 0, err
    assert "Vector database: weight of Security (security) 75.0% → 85.7%" in out


def test_score_csv_names_each_rows_profile_and_tier(sample: Path, run_cli: Run) -> None:
    import csv
    import io

    code, out, err = run_cli(["score", "--workspace", sample, "--format", "csv"])
    assert code == 0, err
    rows = list(csv.DictReader(io.StringIO(out)))
    assert len(rows) == 15
    assert {(r["segment"], r["profile"], r["tier"]) for r in rows} == {
        (s, p or "", tier) for s, (p, tier) in OWN.items()
    }


@pytest.mark.parametrize("method", ["wsm", "topsis"])
@pytest.mark.parametrize("missing", ["zero", "exclude"])
def test_every_output_agrees_on_each_segments_profile_for_each_method_and_policy(
    method: str, missing: str, sample: Path, sample_exclude: Path, run_cli: Run, tmp_path: Path
) -> None:
    root = sample if missing == "zero" else sample_exclude
    scores = _scores(_json(run_cli, "score", "--workspace", root, "--method", method))
    common = ("--workspace", root, "--method", method, "--samples", "200")
    out = tmp_path / "scorecard.json"
    code, _, err = run_cli(["export", *common, "--format", "json", "--out", out])
    assert code == 0, err
    exported = json.loads(out.read_text(encoding="utf-8"))
    assert {v["id"]: v["score"] for v in exported["vendors"]} == scores
    assert {s["name"]: (s["profile"], s["tier"]["name"]) for s in exported["segments"]} == OWN
    report = tmp_path / "report.md"
    code, _, err = run_cli(["report", *common, "--format", "md", "--out", report])
    assert code == 0, err
    text = report.read_text(encoding="utf-8")
    for segment, (profile, tier) in OWN.items():
        heading = re.search(rf"^## \d+\. {re.escape(segment)}$", text, re.MULTILINE)
        assert heading is not None, segment
        chapter = text[heading.end() :]
        used = "the catalog's weights" if profile is None else f"({profile})"
        line = next(line for line in chapter.splitlines() if line.startswith("Scored with"))
        assert used in line and line.endswith(f"due-diligence tier: {tier}.")
