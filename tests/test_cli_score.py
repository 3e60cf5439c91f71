"""Tests of `evaltool score` and `evaltool weights` on workspaces written into tmp_path.

The published MCDA cases (docs/scoring.md#reference-cases) are rebuilt as workspaces and must come back
from the CLI to 1e-9; the rest checks the contract of docs/json.md and docs/cli.md: JSON keys and order,
CSV equal to JSON, the plain table when piped, `--explain`/`--versus`, and the exit codes 1 and 2.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml
from cli_runner import invoke

TOL = 1e-9
EVALTOOL_BIN = Path(sys.executable).parent / "evaltool"
SCORE_KEYS = {"id", "name", "segment", "rank", "score", "eligible", "failed_gates", "coverage", "categories"}
PROBLEM_LINE = re.compile(r"^[\w./-]+\.ya?ml:\d+: \S")

# ----------------------------------------------------------------------------------------- helpers


def dump(path: Path, data: dict[str, Any]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")


def write_workspace(
    root: Path,
    categories: list[dict[str, Any]],
    vendors: list[dict[str, Any]],
    profiles: dict[str, dict[str, Any]] | None = None,
    **catalog: Any,
) -> Path:
    """criteria/catalog.yaml, criteria/profiles/<id>.yaml and vendors/<id>.yaml from plain data."""
    dump(
        root / "criteria" / "catalog.yaml",
        {"catalog": "Test", "version": "1", **catalog, "categories": categories},
    )
    (root / "criteria" / "profiles").mkdir(exist_ok=True)
    (root / "vendors").mkdir(exist_ok=True)
    for pid, profile in (profiles or {}).items():
        dump(root / "criteria" / "profiles" / f"{pid}.yaml", {"id": pid, "name": pid.title(), **profile})
    for vendor in vendors:
        data = {"name": vendor["id"].title(), "segment": "S", **vendor}
        dump(root / "vendors" / f"{vendor['id']}.yaml", data)
    return root


def run(*args: str | Path) -> tuple[int, str, str]:
    """`evaltool ARGS` in this process: (exit code, stdout, stderr)."""
    return invoke(args)


def run_process(*args: str | Path) -> tuple[int, str, str]:
    """`evaltool ARGS` in a real process with stdout piped."""
    command = [str(EVALTOOL_BIN)] if EVALTOOL_BIN.exists() else [sys.executable, "-m", "evaltool"]
    env = {k: v for k, v in os.environ.items() if k != "EVALTOOL_WORKSPACE"}
    env.update({"COLUMNS": "200", "NO_COLOR": "1"})
    done = subprocess.run([*command, *map(str, args)], env=env, capture_output=True, text=True, timeout=120)
    return done.returncode, done.stdout, done.stderr


def run_json(*args: str | Path) -> dict[str, Any]:
    code, out, err = run(*args, "--format", "json")
    assert code == 0, err
    return json.loads(out)


def scores_of(data: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {v["id"]: v for v in data["vendors"]}


# ------------------------------------------------------------------------------ published cases

T1_MATRIX = [[5, 8, 4], [7, 6, 8], [8, 8, 6], [7, 4, 6]]
T1_CLOSENESS = [0.503719658580, 0.658084771962, 0.748248659941, 0.333997436943]
T2_MATRIX = [[1, 3000], [2, 3750], [5, 4500]]
T2_CLOSENESS = [0.762140580124, 0.722177833229, 0.237859419876]
A1_MATRIX = [
    [1, 4, 3, 1, 3, 4],
    ["1/4", 1, 7, 3, "1/5", 1],
    ["1/3", "1/7", 1, "1/5", "1/5", "1/6"],
    [1, "1/3", 5, 1, 1, "1/3"],
    ["1/3", 5, 5, 1, 1, 3],
    ["1/4", 1, 6, 3, "1/3", 1],
]
A1_WEIGHTS = [0.320770183263, 0.139502745421, 0.034768307700, 0.128486018463, 0.237389994740, 0.139082750413]


def test_topsis_t1_through_the_cli(tmp_path: Path) -> None:
    criteria = [
        {"id": f"c{j + 1}", "name": f"C{j + 1}", "type": "metric", "direction": "higher", "weight": w}
        for j, w in enumerate([0.3, 0.4, 0.3])
    ]
    vendors = [
        {"id": f"a{i + 1}", "scores": {f"c{j + 1}": x for j, x in enumerate(row)}}
        for i, row in enumerate(T1_MATRIX)
    ]
    ws = write_workspace(tmp_path, [{"id": "all", "name": "All", "criteria": criteria}], vendors)
    data = run_json("score", "-w", ws, "--method", "topsis")
    assert data["method"] == "topsis"
    assert [v["id"] for v in data["vendors"]] == ["a3", "a2", "a1", "a4"]
    got = scores_of(data)
    for i, expected in enumerate(T1_CLOSENESS):
        assert got[f"a{i + 1}"]["score"] == pytest.approx(expected, abs=TOL)
    assert [got[f"a{i + 1}"]["rank"] for i in range(4)] == [3, 2, 1, 4]


def test_topsis_t2_through_the_cli(tmp_path: Path) -> None:
    criteria = [
        {"id": "c1", "name": "Cost", "type": "metric", "direction": "lower", "weight": 0.5},
        {"id": "c2", "name": "Benefit", "type": "metric", "direction": "higher", "weight": 0.5},
    ]
    vendors = [{"id": f"a{i + 1}", "scores": {"c1": r[0], "c2": r[1]}} for i, r in enumerate(T2_MATRIX)]
    ws = write_workspace(tmp_path, [{"id": "all", "name": "All", "criteria": criteria}], vendors)
    data = run_json("score", "-w", ws, "--method", "topsis")
    assert [(v["id"], v["rank"]) for v in data["vendors"]] == [("a1", 1), ("a2", 2), ("a3", 3)]
    assert [v["score"] for v in data["vendors"]] == pytest.approx(T2_CLOSENESS, abs=TOL)


def a1_workspace(root: Path) -> Path:
    categories = [
        {"id": f"k{i + 1}", "name": f"K{i + 1}", "criteria": [{"id": f"r{i + 1}", "name": f"R{i + 1}"}]}
        for i in range(6)
    ]
    vendors = [
        {"id": "v1", "scores": {f"r{i + 1}": 3 for i in range(6)}},
        {"id": "v2", "scores": {f"r{i + 1}": i % 6 for i in range(6)}},
    ]
    profile = {"ahp": {"items": [f"k{i + 1}" for i in range(6)], "matrix": A1_MATRIX}}
    return write_workspace(root, categories, vendors, {"p": profile})


def inconsistency_warning(stderr: str) -> list[str]:
    return [
        line
        for line in stderr.splitlines()
        if line.startswith("criteria/profiles/p.yaml:") and "warning" in line and "inconsistent" in line
    ]


def test_ahp_a1_weights_through_the_cli(tmp_path: Path) -> None:
    ws = a1_workspace(tmp_path)
    code, out, err = run("weights", "-w", ws, "--profile", "p", "--format", "json")
    assert code == 0, err
    data = json.loads(out)
    assert data["profile"] == "p"
    assert [data["categories"][f"k{i + 1}"] for i in range(6)] == pytest.approx(A1_WEIGHTS, abs=TOL)
    assert [data["criteria"][f"r{i + 1}"] for i in range(6)] == pytest.approx(A1_WEIGHTS, abs=TOL)
    assert data["ahp"]["cr"] == pytest.approx(0.2290113068, abs=TOL)
    assert data["ahp"]["lambda_max"] == pytest.approx(7.4198701019, abs=TOL)
    assert data["ahp"]["ci"] == pytest.approx((7.4198701019 - 6) / 5, abs=TOL)
    assert data["ahp"]["consistent"] is False
    assert len(inconsistency_warning(err)) == 1, err


@pytest.mark.parametrize(
    "extra",
    [
        ["--profile", "p"],
        ["--profile", "p", "--format", "json"],
        ["--profile", "p", "--method", "topsis", "--format", "csv"],
        ["--profile", "p", "--explain", "v1"],
        [],  # the profile is in the workspace: every command warns (docs/scoring.md#ahp)
    ],
)
def test_ahp_inconsistency_warned_by_score_too(tmp_path: Path, extra: list[str]) -> None:
    ws = a1_workspace(tmp_path)
    code, out, err = run("score", "-w", ws, *extra)
    assert code == 0, err
    assert len(inconsistency_warning(err)) == 1, err
    assert "inconsistent" not in out


def test_ahp_a1_weights_drive_the_score(tmp_path: Path) -> None:
    # v1 scores 3 everywhere -> 60; v2 scores 0..5 -> 20 * sum(w_i * i)
    ws = a1_workspace(tmp_path)
    got = scores_of(run_json("score", "-w", ws, "--profile", "p"))
    assert got["v1"]["score"] == pytest.approx(60.0, abs=TOL)
    assert got["v2"]["score"] == pytest.approx(20 * sum(w * i for i, w in enumerate(A1_WEIGHTS)), abs=TOL)


# -------------------------------------------------------------------------------- a sample workspace

CATEGORIES = [
    {
        "id": "sec",
        "name": "Security",
        "weight": 3,
        "criteria": [
            {"id": "enc", "name": "Encryption", "weight": 1, "gate": 2},
            {"id": "logs", "name": "Audit logs", "weight": 3},
        ],
    },
    {
        "id": "com",
        "name": "Commercials",
        "weight": 1,
        "criteria": [
            {"id": "support", "name": "Support", "weight": 2},
            {
                "id": "tco",
                "name": "TCO",
                "type": "metric",
                "unit": "USD",
                "direction": "lower",
                "grading": {"best": 100000, "worst": 1000000},
                "weight": 2,
            },
        ],
    },
]
# effective weights: enc .1875, logs .5625, support .125, tco .125
EVIL_NAME = '=HYPERLINK("http://evil.example","x")'
VENDORS = [
    {
        # enc median of 4, 2, 5 = 4 (spread 3: disagreement); tco graded 3.75 -> 59.375; sec 50, com 87.5
        "id": "acme",
        "name": "Acme Vector",
        "segment": "Vector database",
        "assessments": [
            {
                "assessor": "j.doe",
                "date": "2026-01-10",
                "scores": {
                    "enc": 4,
                    "logs": {
                        "score": 2,
                        "evidence": "design doc",
                        "level": "documented",
                        "expires": "2026-03-01",
                    },
                    "support": 5,
                    "tco": 325000,
                },
            },
            {"assessor": "a.smith", "date": "2026-01-11", "scores": {"enc": 2}},
            {"assessor": "b.lee", "date": "2026-01-12", "scores": {"enc": 5}},
        ],
    },
    # fails the enc gate; the highest score (85) in its segment
    {
        "id": "beta",
        "segment": "Vector database",
        "scores": {"enc": 1, "logs": 5, "support": 5, "tco": 100000},
    },
    # 20 * (.5625 + 1.6875 + .375 + .3125) = 58.75
    {
        "id": "gamma",
        "segment": "Vector database",
        "scores": {"enc": 3, "logs": 3, "support": 3, "tco": 550000},
    },
    # 20 * (.375 + .5625 + .125 + 0) = 21.25
    {
        "id": "delta",
        "name": EVIL_NAME,
        "segment": "Vector database",
        "scores": {"enc": 2, "logs": 1, "support": 1, "tco": 1000000},
    },
    {"id": "llm-a", "segment": "LLM platform", "scores": {"enc": 5, "logs": 4, "support": 4, "tco": 200000}},
    {"id": "llm-b", "segment": "LLM platform", "scores": {"enc": 5, "logs": 4, "support": None}},
]
PROFILES = {
    "heavy": {"weights": {"com": 3, "enc": 3}},
    "strict": {"gates": {"tco": 500000, "enc": None}},
}
EXPECTED_WSM = {"acme": 59.375, "beta": 85.0, "gamma": 58.75, "delta": 21.25}


def sample(root: Path, missing: str = "zero") -> Path:
    return write_workspace(
        root, CATEGORIES, VENDORS, PROFILES, missing=missing, segments=["Vector database", "LLM platform"]
    )


def test_score_json_shape_and_order(tmp_path: Path) -> None:
    data = run_json("score", "-w", sample(tmp_path))
    assert {"profile", "method", "vendors"} <= set(data)
    assert data["profile"] is None
    assert data["method"] == "wsm"
    for v in data["vendors"]:
        assert set(v) >= SCORE_KEYS, v
        assert set(v["categories"]) == {"sec", "com"}
        assert isinstance(v["failed_gates"], list)
        assert isinstance(v["eligible"], bool)
    assert [(v["segment"], v["id"], v["rank"]) for v in data["vendors"]] == [
        ("Vector database", "acme", 1),
        ("Vector database", "gamma", 2),
        ("Vector database", "delta", 3),
        ("Vector database", "beta", None),
        ("LLM platform", "llm-a", 1),
        ("LLM platform", "llm-b", 2),
    ]
    got = scores_of(data)
    for vid, expected in EXPECTED_WSM.items():
        assert got[vid]["score"] == pytest.approx(expected, abs=TOL)
    assert got["acme"]["categories"] == pytest.approx({"sec": 50.0, "com": 87.5}, abs=TOL)
    assert got["acme"]["name"] == "Acme Vector"
    assert got["beta"]["eligible"] is False
    assert got["beta"]["failed_gates"] == ["enc"]
    assert got["acme"]["eligible"] is True
    assert got["acme"]["failed_gates"] == []
    assert got["llm-b"]["coverage"] == pytest.approx(0.75, abs=TOL)
    assert got["acme"]["coverage"] == pytest.approx(1.0, abs=TOL)


def test_disagreement_and_stale_evidence_in_json(tmp_path: Path) -> None:
    ws = sample(tmp_path)
    before = scores_of(run_json("score", "-w", ws, "--as-of", "2026-02-01"))
    after = scores_of(run_json("score", "-w", ws, "--as-of", "2026-06-01"))
    assert before["acme"]["stale"] == []
    assert after["acme"]["stale"] == ["logs"]
    assert after["gamma"]["stale"] == []
    assert after["acme"]["disagreements"] == ["enc"]
    assert after["acme"]["score"] == before["acme"]["score"]


def test_profile_weights_through_the_cli(tmp_path: Path) -> None:
    ws = sample(tmp_path)
    weights = run_json("weights", "-w", ws, "--profile", "heavy")
    assert weights["profile"] == "heavy"
    assert weights["ahp"] is None
    # sec 3 vs com 3; enc 3 vs logs 3
    assert weights["categories"] == pytest.approx({"sec": 0.5, "com": 0.5}, abs=TOL)
    assert weights["criteria"] == pytest.approx(
        {"enc": 0.25, "logs": 0.25, "support": 0.25, "tco": 0.25}, abs=TOL
    )
    plain = run_json("weights", "-w", ws)
    assert plain["profile"] is None
    assert plain["criteria"] == pytest.approx({"enc": 0.1875, "logs": 0.5625, "support": 0.125, "tco": 0.125})
    assert sum(plain["criteria"].values()) == pytest.approx(1.0, abs=TOL)
    # acme under heavy: 20 * .25 * (4 + 2 + 5 + 3.75) = 73.75
    got = scores_of(run_json("score", "-w", ws, "--profile", "heavy"))
    assert got["acme"]["score"] == pytest.approx(73.75, abs=TOL)


def test_profile_gates_through_the_cli(tmp_path: Path) -> None:
    # strict removes the enc gate (beta comes back and leads) and adds tco <= 500000 USD (gamma, delta out)
    data = run_json("score", "-w", sample(tmp_path), "--profile", "strict", "--segment", "Vector database")
    assert data["profile"] == "strict"
    assert [(v["id"], v["rank"], v["failed_gates"]) for v in data["vendors"]] == [
        ("beta", 1, []),
        ("acme", 2, []),
        ("gamma", None, ["tco"]),
        ("delta", None, ["tco"]),
    ]


def test_segment_limits_the_output(tmp_path: Path) -> None:
    ws = sample(tmp_path)
    data = run_json("score", "-w", ws, "--segment", "LLM platform")
    assert [v["id"] for v in data["vendors"]] == ["llm-a", "llm-b"]
    code, out, _ = run("score", "-w", ws, "--segment", "LLM platform")
    assert code == 0
    assert "LLM platform" in out
    assert "Vector database" not in out
    assert "acme" not in out


def test_topsis_scores_in_0_1(tmp_path: Path) -> None:
    data = run_json("score", "-w", sample(tmp_path), "--method", "topsis")
    assert data["method"] == "topsis"
    for v in data["vendors"]:
        assert 0.0 <= v["score"] <= 1.0
        assert all(0.0 <= s <= 1.0 for s in v["categories"].values())
    assert data["vendors"][3]["id"] == "beta"
    assert data["vendors"][3]["rank"] is None


@pytest.mark.parametrize("method", ["wsm", "topsis"])
def test_csv_parses_back_to_the_json_numbers(tmp_path: Path, method: str) -> None:
    ws = sample(tmp_path)
    data = run_json("score", "-w", ws, "--method", method)
    code, out, err = run("score", "-w", ws, "--method", method, "--format", "csv")
    assert code == 0, err
    rows = list(csv.DictReader(io.StringIO(out)))
    assert [r["id"] for r in rows] == [v["id"] for v in data["vendors"]]
    for row, v in zip(rows, data["vendors"], strict=True):
        assert row["segment"] == v["segment"]
        assert float(row["score"]) == v["score"]
        assert float(row["coverage"]) == v["coverage"]
        assert (int(row["rank"]) if row["rank"] else None) == v["rank"]
        for cid, value in v["categories"].items():
            assert float(row[f"category:{cid}"]) == value
        assert [g for g in row["failed_gates"].split(";") if g] == v["failed_gates"]


def test_csv_neutralises_a_name_that_starts_like_a_formula(tmp_path: Path) -> None:
    code, out, _ = run("score", "-w", sample(tmp_path), "--format", "csv")
    assert code == 0
    rows = {r["id"]: r for r in csv.DictReader(io.StringIO(out))}
    name = rows["delta"]["name"]
    assert not name.startswith(("=", "+", "-", "@", "\t", "\r"))
    assert EVIL_NAME in name
    assert rows["acme"]["name"] == "Acme Vector"


def test_table_when_piped_is_plain_text_with_a_header(tmp_path: Path) -> None:
    code, out, err = run_process("score", "-w", sample(tmp_path))
    assert code == 0, err
    assert "\x1b" not in out
    assert not set(out) & set("│┃━─┏┓┗┛╇╈┡┩"), out
    lines = out.splitlines()
    assert lines[0].startswith("Vector database")
    assert lines[1].split()[:3] == ["rank", "vendor", "score"]
    assert "Acme Vector (acme)" in lines[2]
    assert "59.4" in lines[2]
    assert any("LLM platform" in line for line in lines[3:])
    beta = next(line for line in lines if "(beta)" in line)
    assert beta.endswith("not eligible: enc 1 below gate >= 2")  # the report's wording
    assert beta.split()[0] == "-"


# ------------------------------------------------------------------------------------------ explain


@pytest.mark.parametrize("missing", ["zero", "exclude"])
@pytest.mark.parametrize("vendor", ["acme", "beta", "llm-b"])
@pytest.mark.parametrize("profile", [[], ["--profile", "heavy"]])
def test_explain_lists_every_criterion_and_sums_to_the_score(
    tmp_path: Path, missing: str, vendor: str, profile: list[str]
) -> None:
    ws = sample(tmp_path, missing)
    total = scores_of(run_json("score", "-w", ws, *profile))[vendor]["score"]
    weights = run_json("weights", "-w", ws, *profile)["criteria"]
    data = run_json("score", "-w", ws, *profile, "--explain", vendor)
    rows = data["criteria"]
    assert sorted(r["criterion"] for r in rows) == sorted(weights)
    for r in rows:
        assert {"criterion", "weight", "contribution"} <= set(r)
        assert r["weight"] == pytest.approx(weights[r["criterion"]], abs=TOL)
    assert sum(r["contribution"] for r in rows) == pytest.approx(total, abs=TOL)
    contributions = [r["contribution"] for r in rows]
    assert contributions == sorted(contributions, reverse=True)


def test_explain_shows_score_weight_and_contribution(tmp_path: Path) -> None:
    rows = {
        r["criterion"]: r for r in run_json("score", "-w", sample(tmp_path), "--explain", "acme")["criteria"]
    }
    # logs: weight .5625, score 2 -> 100 * .5625 * 2 / 5 = 22.5; tco 325000 USD graded 3.75 -> 9.375
    assert rows["logs"]["raw"] == 2
    assert rows["logs"]["contribution"] == pytest.approx(22.5, abs=TOL)
    assert rows["tco"]["raw"] == 325000
    assert rows["tco"]["grade"] == pytest.approx(3.75, abs=TOL)
    assert rows["tco"]["contribution"] == pytest.approx(9.375, abs=TOL)
    assert rows["enc"]["raw"] == 4  # median of three assessors
    code, out, _ = run("score", "-w", sample(tmp_path / "again"), "--explain", "acme")
    assert code == 0
    for cid in ("enc", "logs", "support", "tco"):
        assert re.search(rf"^{cid}\s", out, re.MULTILINE), out


@pytest.mark.parametrize(("a", "b"), [("acme", "gamma"), ("delta", "beta"), ("llm-b", "llm-a")])
def test_versus_differences_sum_to_the_gap(tmp_path: Path, a: str, b: str) -> None:
    ws = sample(tmp_path)
    got = scores_of(run_json("score", "-w", ws))
    data = run_json("score", "-w", ws, "--explain", a, "--versus", b)
    differences = [r["difference"] for r in data["criteria"]]
    assert len(differences) == 4
    assert sum(differences) == pytest.approx(got[a]["score"] - got[b]["score"], abs=TOL)


@pytest.mark.parametrize("output_format", ["table", "json", "csv"])
def test_versus_refuses_vendors_of_different_segments(tmp_path: Path, output_format: str) -> None:
    code, out, err = run(
        "score", "-w", sample(tmp_path), "--explain", "acme", "--versus", "llm-a", "--format", output_format
    )
    assert code == 2
    assert out == ""
    assert err.splitlines()[-1] == (
        "'acme' is in segment 'Vector database' and 'llm-a' in segment 'LLM platform': vendors are ranked "
        "within their own segment, so --versus compares two vendors of the same segment"
    )


# ----------------------------------------------------------------------------------------- ties


def test_ties_share_a_rank_and_are_listed_by_id(tmp_path: Path) -> None:
    categories = [{"id": "all", "name": "All", "criteria": [{"id": "q", "name": "Q"}]}]
    vendors = [{"id": vid, "scores": {"q": s}} for vid, s in (("zz", 3), ("mm", 4), ("aa", 3), ("bb", 1))]
    data = run_json("score", "-w", write_workspace(tmp_path, categories, vendors))
    assert [(v["id"], v["rank"]) for v in data["vendors"]] == [("mm", 1), ("aa", 2), ("zz", 2), ("bb", 4)]


def test_near_ties_within_1e_9_are_listed_by_id(tmp_path: Path) -> None:
    categories = [
        {
            "id": "all",
            "name": "All",
            "criteria": [{"id": "m", "name": "M", "type": "metric", "grading": {"best": 1, "worst": 0}}],
        }
    ]
    vendors = [{"id": "bb", "scores": {"m": 0.1 + 0.2}}, {"id": "aa", "scores": {"m": 0.3}}]
    data = run_json("score", "-w", write_workspace(tmp_path, categories, vendors))
    assert [(v["id"], v["rank"]) for v in data["vendors"]] == [("aa", 1), ("bb", 1)]


# ------------------------------------------------------------------------------------------ errors


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["score", "--versus", "gamma"], "--versus"),
        (["score", "--explain", "nobody"], "nobody"),
        (["score", "--explain", "acme", "--versus", "nobody"], "nobody"),
        (["score", "--segment", "Quantum"], "Quantum"),
        (["score", "--profile", "nope"], "nope"),
        (["weights", "--profile", "nope"], "nope"),
        (["score", "--method", "electre"], "electre"),
        (["score", "--format", "xml"], "xml"),
        (["score", "--as-of", "2026-13-01"], "2026-13-01"),
    ],
)
def test_usage_errors_exit_2(tmp_path: Path, args: list[str], message: str) -> None:
    code, out, err = run(*args, "-w", sample(tmp_path))
    assert code == 2
    assert message in err
    assert "Traceback" not in out + err


INVALID_CATALOG = """\
catalog: Broken
version: 2026.11
categories:
  - id: sec
    name: Security
    criteria:
      - id: enc
        name: Encryption
        colour: blue
"""
INVALID_VENDOR = """\
id: acme
name: Acme
segment: S
scores:
  enc: 7
"""


def test_invalid_workspace_exits_1_with_path_line_messages(tmp_path: Path) -> None:
    (tmp_path / "criteria").mkdir()
    (tmp_path / "vendors").mkdir()
    (tmp_path / "criteria" / "catalog.yaml").write_text(INVALID_CATALOG, encoding="utf-8")
    (tmp_path / "vendors" / "acme.yaml").write_text(INVALID_VENDOR, encoding="utf-8")
    for command in (["score"], ["score", "--format", "json"], ["weights"], ["score", "--explain", "acme"]):
        code, out, err = run_process(*command, "-w", tmp_path)
        assert code == 1, (command, out, err)
        assert "Traceback" not in out + err
        lines = [line for line in err.splitlines() if line.strip()]
        assert lines, err
        assert all(PROBLEM_LINE.match(line) for line in lines), err
        assert any(line.startswith("criteria/catalog.yaml:2: ") and "quote" in line for line in lines), err
        assert any(line.startswith("criteria/catalog.yaml:9: ") and "colour" in line for line in lines), err


def relative_workspace(root: Path, grading: dict[str, Any] | None) -> Path:
    """lat is graded by `grading`, or min-max without it; v3 has no lat value; w1 is alone in its segment."""
    lat: dict[str, Any] = {"id": "lat", "name": "Latency", "type": "metric", "direction": "lower"}
    if grading is not None:
        lat["grading"] = grading
    categories = [{"id": "all", "name": "All", "criteria": [{"id": "q", "name": "Quality"}, lat]}]
    vendors = [
        {"id": "v1", "segment": "S", "scores": {"q": 3, "lat": 40}},
        {"id": "v2", "segment": "S", "scores": {"q": 4, "lat": 90}},
        {"id": "v3", "segment": "S", "scores": {"q": 5}},
        {"id": "w1", "segment": "T", "scores": {"q": 2, "lat": 10}},
    ]
    return write_workspace(root, categories, vendors, segments=["S", "T"])


@pytest.mark.parametrize(
    ("grading", "relative"),
    [
        # no grading: every lat value is graded min-max within its segment; v3 has none to grade
        (None, {"v1": ["lat"], "v2": ["lat"], "v3": [], "w1": ["lat"]}),
        ({"best": 10, "worst": 500}, {"v1": [], "v2": [], "v3": [], "w1": []}),
        (
            {"best": 10, "worst": 500, "segments": {"T": {"best": 5, "worst": 50}}},
            {"v1": [], "v2": [], "v3": [], "w1": []},
        ),
    ],
)
def test_score_json_and_csv_name_the_relative_grades(
    tmp_path: Path, grading: dict[str, Any] | None, relative: dict[str, list[str]]
) -> None:
    ws = relative_workspace(tmp_path, grading)
    got = {vid: v["relative_grading"] for vid, v in scores_of(run_json("score", "-w", ws)).items()}
    assert got == relative
    code, out, err = run("score", "-w", ws, "--format", "csv")
    assert code == 0, err
    rows = list(csv.DictReader(io.StringIO(out)))
    # new columns come last, so no existing column moves: relative_grading, then profile and tier
    assert list(rows[0])[-3:] == ["relative_grading", "profile", "tier"]
    assert {r["id"]: r["relative_grading"] for r in rows} == {k: ";".join(v) for k, v in relative.items()}
