"""`evaltool diff` and `report --since` over a git repository built here, commit by commit.

The workspace is small enough to score by hand. Effective weights at first: sec-encryption 0.25,
sec-logging 0.25, com-support 0.5 (two categories of 50, criteria of weight 1); WSM = 100 x sum(w g) / 5.

  c1  alpha (4, 3, 2) = 100 x (1 + 0.75 + 1) / 5 = 55;  beta (2, 5, 4) = 100 x (0.5 + 1.25 + 2) / 5 = 75
  c2  alpha sec-encryption 4 → 5: 60;  beta sec-encryption 2 → 1: 70, fails the gate (2)
  c3  security weight 50 → 150: weights 0.375, 0.375, 0.25; alpha (5, 3, 2) = 100 x 3.5 / 5 = 70;
      beta (1, 5, 4) = 100 x 3.25 / 5 = 65
  c4  beta removed; gamma (3, 3, 3) = 60 added, its com-support evidence expiring 2026-06-30
  c5  (dated 2026-09-01) gamma gets a second assessor with the same scores: gamma still 60
"""

from __future__ import annotations

import json
import os
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

CliResult = tuple[int, str, str]

CATALOG = """\
catalog: History test
version: "1"
missing: zero
segments: [Vector database, LLM platform]
categories:
  - id: security
    name: Security
    weight: 50
    criteria:
      - id: sec-encryption
        name: Encryption
        gate: 2
      - id: sec-logging
        name: Logging
  - id: commercial
    name: Commercials
    weight: 50
    criteria:
      - id: com-support
        name: Support
"""


def vendor(vid: str, enc: float, log: float, sup: float) -> str:
    return (
        f"id: {vid}\nname: {vid.title()}\nsegment: Vector database\nkind: startup\n"
        f"scores:\n  sec-encryption: {enc}\n  sec-logging: {log}\n  com-support: {sup}\n"
    )


GAMMA = """\
id: gamma
name: Gamma
segment: Vector database
kind: startup
assessments:
  - assessor: j.doe
    date: 2026-02-01
    scores:
      sec-encryption: 3
      sec-logging: 3
      com-support: {score: 3, evidence: Support contract, level: documented, expires: 2026-06-30}
"""
GAMMA_TWO = (
    GAMMA
    + """\
  - assessor: a.smith
    date: 2026-08-01
    scores:
      sec-encryption: 3
      sec-logging: 3
      com-support: 3
"""
)


def git(repo: Path, *args: str, date: str = "2026-03-01T12:00:00+00:00") -> str:
    env = {
        **os.environ,
        "GIT_AUTHOR_DATE": date,
        "GIT_COMMITTER_DATE": date,
        "GIT_AUTHOR_NAME": "Test",
        "GIT_AUTHOR_EMAIL": "test@example.com",
        "GIT_COMMITTER_NAME": "Test",
        "GIT_COMMITTER_EMAIL": "test@example.com",
    }
    done = subprocess.run(["git", *args], cwd=repo, env=env, capture_output=True, text=True, check=True)
    return done.stdout.strip()


def write(root: Path, files: dict[str, str | None]) -> None:
    for relative, text in files.items():
        path = root / relative
        if text is None:
            path.unlink()
        else:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")


def commit(repo: Path, ws: Path, message: str, files: dict[str, str | None], date: str = "") -> None:
    write(ws, files)
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", message, date=date or "2026-03-01T12:00:00+00:00")
    git(repo, "tag", message.split()[0])


def build(repo: Path, sub: str = "") -> Path:
    """The five commits c1..c5 above, tagged c1..c5; returns the workspace folder."""
    repo.mkdir(parents=True, exist_ok=True)
    git(repo, "init", "-q", "-b", "main")
    ws = repo / sub if sub else repo
    commit(repo, ws, "c1 first scores", {
        "criteria/catalog.yaml": CATALOG,
        "vendors/alpha.yaml": vendor("alpha", 4, 3, 2),
        "vendors/beta.yaml": vendor("beta", 2, 5, 4),
    })  # fmt: skip
    commit(repo, ws, "c2 rescored", {
        "vendors/alpha.yaml": vendor("alpha", 5, 3, 2), "vendors/beta.yaml": vendor("beta", 1, 5, 4),
    })  # fmt: skip
    commit(repo, ws, "c3 security weighs more", {
        "criteria/catalog.yaml": CATALOG.replace("weight: 50\n    criteria:\n      - id: sec", "weight: 150\n"
                                                 "    criteria:\n      - id: sec"),
    })  # fmt: skip
    commit(repo, ws, "c4 gamma replaces beta", {"vendors/beta.yaml": None, "vendors/gamma.yaml": GAMMA})
    commit(repo, ws, "c5 second assessor", {"vendors/gamma.yaml": GAMMA_TWO}, "2026-09-01T12:00:00+00:00")
    return ws


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    return build(tmp_path / "repo")


def rounded(value: Any) -> Any:
    """Floats to 9 decimals, so that hand arithmetic compares exactly with binary sums."""
    if isinstance(value, float):
        return round(value, 9) + 0.0
    if isinstance(value, list):
        return [rounded(v) for v in value]
    if isinstance(value, dict):
        return {k: rounded(v) for k, v in value.items()}
    return value


def diff_json(run_cli: Callable[..., CliResult], ws: Path, *args: str) -> dict[str, Any]:
    code, out, err = run_cli(["diff", *args, "--workspace", ws, "--format", "json"])
    assert code == 0, err
    data: dict[str, Any] = rounded(json.loads(out))
    return data


def sha(repo: Path, rev: str) -> str:
    return git(repo, "rev-parse", f"{rev}^{{commit}}")


def change(
    kind: str, criterion: str | None, old: Any, new: Any, text: str, assessor: str | None = None
) -> dict[str, Any]:
    return {"kind": kind, "criterion": criterion, "old": old, "new": new, "assessor": assessor, "text": text}


def test_a_score_a_failed_gate_and_a_weight_change_with_what_each_explains(
    repo: Path, run_cli: Callable[..., CliResult]
) -> None:
    data = diff_json(run_cli, repo, "c1", "c3")
    assert data["old"] == {
        "revision": "c1", "commit": sha(repo, "c1"), "date": "2026-03-01T12:00:00+00:00",
        "subject": "c1 first scores", "as_of": "2026-03-01", "input_sha256": data["old"]["input_sha256"],
    }  # fmt: skip
    assert data["new"]["revision"] == "c3" and data["new"]["commit"] == sha(repo, "c3")
    assert (data["profile"], data["method"]) == (None, "wsm")
    assert data["vendors"] == [
        {
            "id": "alpha", "name": "Alpha", "segment": "Vector database",
            "score": [55.0, 70.0], "rank": [2, 1], "eligible": [True, True],
            # mixed: (0.375 x 4 + 0.375 x 3 + 0.25 x 2) x 20 = 62.5; 62.5 - 55 = 7.5; 70 - 62.5 = 7.5
            "attribution": {"weights": 7.5, "scores": 7.5},
            "changes": [
                change("score", "sec-encryption", 4.0, 5.0, "Encryption (sec-encryption) scored 4 → 5")
            ],
        },
        {
            "id": "beta", "name": "Beta", "segment": "Vector database",
            "score": [75.0, 65.0], "rank": [1, None], "eligible": [True, False],
            # mixed: (0.375 x 2 + 0.375 x 5 + 0.25 x 4) x 20 = 72.5; 72.5 - 75 = -2.5; 65 - 72.5 = -7.5
            "attribution": {"weights": -2.5, "scores": -7.5},
            "changes": [
                change("score", "sec-encryption", 2.0, 1.0, "Encryption (sec-encryption) scored 2 → 1"),
                change("gate-failed", "sec-encryption", 2.0, 1.0,
                       "now fails the gate on Encryption (sec-encryption): 1 below gate >= 2"),
            ],
        },
    ]  # fmt: skip
    assert data["added"] == [] and data["removed"] == []
    assert data["weights"] == [
        {"id": "security", "kind": "category", "old": 0.5, "new": 0.75, "segment": None},
        {"id": "commercial", "kind": "category", "old": 0.5, "new": 0.25, "segment": None},
        {"id": "sec-encryption", "kind": "criterion", "old": 0.25, "new": 0.375, "segment": None},
        {"id": "sec-logging", "kind": "criterion", "old": 0.25, "new": 0.375, "segment": None},
        {"id": "com-support", "kind": "criterion", "old": 0.5, "new": 0.25, "segment": None},
    ]
    assert data["gates"] == [] and data["criteria"] == {"added": [], "removed": []}


def test_vendors_added_and_removed(repo: Path, run_cli: Callable[..., CliResult]) -> None:
    data = diff_json(run_cli, repo, "c3", "c4")
    assert data["added"] == [
        {
            "id": "gamma",
            "name": "Gamma",
            "segment": "Vector database",
            "score": 60.0,
            "rank": 2,
            "eligible": True,
        }
    ]
    assert data["removed"] == [
        {
            "id": "beta",
            "name": "Beta",
            "segment": "Vector database",
            "score": 65.0,
            "rank": None,
            "eligible": False,
        }
    ]
    alpha = data["vendors"]
    assert [(v["id"], v["score"], v["rank"], v["changes"]) for v in alpha] == [
        ("alpha", [70.0, 70.0], [1, 1], [])
    ]
    assert data["weights"] == []


def test_an_assessor_added_and_evidence_that_expired_between_the_commit_dates(
    repo: Path, run_cli: Callable[..., CliResult]
) -> None:
    # c4 is judged as of 2026-03-01 (the evidence holds), c5 as of 2026-09-01 (expired on 2026-06-30)
    data = diff_json(run_cli, repo, "c4", "c5")
    assert (data["old"]["as_of"], data["new"]["as_of"]) == ("2026-03-01", "2026-09-01")
    gamma = next(v for v in data["vendors"] if v["id"] == "gamma")
    assert gamma["score"] == [60.0, 60.0]
    assert gamma["changes"] == [
        change("assessor-added", None, None, None, "assessor a.smith added", "a.smith"),
        change("evidence-expired", "com-support", None, None, "evidence for Support (com-support) expired"),
    ]
    # the same date on both sides: nothing expired in between
    same = diff_json(run_cli, repo, "c4", "c5", "--as-of", "2026-09-01")
    assert [c["kind"] for c in next(v for v in same["vendors"] if v["id"] == "gamma")["changes"]] == [
        "assessor-added"
    ]


def test_new_defaults_to_the_working_tree_which_with_the_index_is_left_untouched(
    repo: Path, run_cli: Callable[..., CliResult]
) -> None:
    (repo / "vendors" / "alpha.yaml").write_text(vendor("alpha", 5, 4, 2), encoding="utf-8")
    (repo / "untracked.txt").write_text("x", encoding="utf-8")
    git(repo, "add", "untracked.txt")
    status = git(repo, "status", "--porcelain=v2", "--untracked-files=all")
    index = (repo / ".git" / "index").read_bytes()
    data = diff_json(run_cli, repo, "c2")
    alpha = next(v for v in data["vendors"] if v["id"] == "alpha")
    # working tree: security 150 vs 50 → (0.375 x 5 + 0.375 x 4 + 0.25 x 2) x 20 = 77.5
    assert data["new"]["revision"] is None and data["new"]["commit"] is None
    assert alpha["score"] == [60.0, 77.5]
    assert [c["text"] for c in alpha["changes"]] == ["Logging (sec-logging) scored 3 → 4"]
    assert git(repo, "status", "--porcelain=v2", "--untracked-files=all") == status
    assert (repo / ".git" / "index").read_bytes() == index
    assert git(repo, "stash", "list") == ""


def test_a_workspace_in_a_subfolder_of_the_repository(
    tmp_path: Path, run_cli: Callable[..., CliResult]
) -> None:
    ws = build(tmp_path / "repo", "data/ws")
    (tmp_path / "repo" / "README.md").write_text("not an input\n", encoding="utf-8")
    data = diff_json(run_cli, ws, "c1", "c3")
    assert [(v["id"], v["score"]) for v in data["vendors"]] == [
        ("alpha", [55.0, 70.0]),
        ("beta", [75.0, 65.0]),
    ]
    code, out, err = run_cli(["diff", "c1", "--workspace", ws / "criteria", "--format", "json"])
    assert code == 1 and "criteria/catalog.yaml" in out + err


def test_an_unknown_revision_is_one_line_and_exit_1(repo: Path, run_cli: Callable[..., CliResult]) -> None:
    top = repo.resolve()
    for revision in ("nope", "-x", "HEAD~99", "c1..c3"):
        code, out, err = run_cli(["diff", "--workspace", repo, "--", revision, "c3"])
        assert (code, out, err) == (1, "", f"unknown revision '{revision}' in the git repository at {top}\n")
    code, out, err = run_cli(["diff", "c1", "nope", "--workspace", repo])
    assert (code, err) == (1, f"unknown revision 'nope' in the git repository at {top}\n")


def test_a_workspace_outside_git_is_one_line_and_exit_1(
    workspace: Any, run_cli: Callable[..., CliResult]
) -> None:
    root = workspace()
    code, out, err = run_cli(["diff", "HEAD", "--workspace", root])
    assert (code, out, err) == (1, "", f"workspace {root.resolve()} is not in a git repository\n")


def test_an_error_in_a_file_at_the_old_revision_names_the_revision(
    tmp_path: Path, run_cli: Callable[..., CliResult]
) -> None:
    ws = build(tmp_path / "repo")
    commit(tmp_path / "repo", ws, "c6 broken", {"vendors/alpha.yaml": vendor("alpha", 9, 3, 2)})
    commit(tmp_path / "repo", ws, "c7 mended", {"vendors/alpha.yaml": vendor("alpha", 5, 3, 2)})
    code, _out, err = run_cli(["diff", "c6", "--workspace", ws])
    assert code == 1
    assert err.splitlines()[0].startswith("c6:vendors/alpha.yaml:6: scores.sec-encryption: ")


def test_segment_and_profile_are_honoured(tmp_path: Path, run_cli: Callable[..., CliResult]) -> None:
    ws = build(tmp_path / "repo")
    profile = "id: even\nname: Even\nweights: {security: 1, commercial: 1}\n"
    llm = vendor("delta", 3, 3, 3).replace("Vector database", "LLM platform")
    commit(tmp_path / "repo", ws, "c6 profile and a second segment", {
        "criteria/profiles/even.yaml": profile, "vendors/delta.yaml": llm,
    })  # fmt: skip
    data = diff_json(run_cli, ws, "c5", "c6", "--segment", "LLM platform")
    assert data["vendors"] == [] and [v["id"] for v in data["added"]] == ["delta"]
    code, out, err = run_cli(["diff", "c1", "c5", "--workspace", ws, "--segment", "LLM platform"])
    assert (code, out, err) == (2, "", "no vendor in segment 'LLM platform' on either side\n")
    # the profile's even weights undo c3's: alpha (5, 3, 2) back to 60 from 70, gamma stays 60
    code, out, err = run_cli(["diff", "c6", "--workspace", ws, "-p", "even", "-f", "json"])
    assert code == 0, err
    alpha = next(v for v in json.loads(out)["vendors"] if v["id"] == "alpha")
    assert rounded(alpha["score"]) == [60.0, 60.0]
    code, out, err = run_cli(["diff", "c5", "--workspace", ws, "-p", "even"])
    assert (code, err) == (2, "unknown profile 'even' (profiles: none)\n")


def test_markdown_and_table_say_what_moved_and_why(repo: Path, run_cli: Callable[..., CliResult]) -> None:
    code, out, err = run_cli(["diff", "c1", "c3", "--workspace", repo, "--format", "md"])
    assert code == 0, err
    assert out.startswith(
        '## Changes since c1\n\nFrom c1 ({}, 2026-03-01: "c1 first scores") to c3 ({}, 2026-03-01: '
        '"c3 security weighs more").\n'.format(sha(repo, "c1")[:7], sha(repo, "c3")[:7])
    )
    assert "- weight of Security (security) 50.0% → 75.0%\n" in out
    assert (
        "| Alpha (alpha) | 55.0 → 70.0 | +15.0 | 2 → 1 | yes | +7.5 | +7.5 | Encryption (sec-encryption) "
        "scored 4 → 5 |\n" in out
    )
    assert "| Beta (beta) | 75.0 → 65.0 | -10.0 | 1 → - | yes → no | -2.5 | -7.5 |" in out
    code, out, err = run_cli(["diff", "c1", "c3", "--workspace", repo])
    assert code == 0, err
    assert "Alpha (alpha)  55.0 → 70.0   +15.0" in out


def test_report_since_adds_the_changes_section(repo: Path, run_cli: Callable[..., CliResult]) -> None:
    target = repo.parent / "report.md"
    code, _out, err = run_cli(["report", "--workspace", repo, "--since", "c3", "-f", "md", "-o", target,
                              "-n", "200", "--as-of", "2026-03-01"])  # fmt: skip
    assert code == 0, err
    text = target.read_text(encoding="utf-8")
    assert "## Changes since c3\n" in text
    assert (
        "Added: Gamma (gamma): 60.0, rank 2." in text
        and "Removed: Beta (beta): 65.0, not eligible: sec-encryption 1 below gate \\>= 2." in text
    )
    html = repo.parent / "report.html"
    code, _out, err = run_cli(["report", "--workspace", repo, "--since", "c3", "-o", html, "-n", "200"])
    assert code == 0, err
    assert "<h2>Changes since c3</h2>" in html.read_text(encoding="utf-8")
    code, _out, err = run_cli(["report", "--workspace", repo, "--since", "nope", "-o", html, "-n", "200"])
    assert (code, err.splitlines()[-1]) == (
        1,
        f"unknown revision 'nope' in the git repository at {repo.resolve()}",
    )


def test_the_json_page_lists_exactly_the_keys_diff_prints(
    tmp_path: Path, run_cli: Callable[..., CliResult]
) -> None:
    import re

    ws = build(tmp_path / "repo")
    commit(
        tmp_path / "repo",
        ws,
        "c6 gate moved",
        {"criteria/catalog.yaml": CATALOG.replace("gate: 2", "gate: 3")},
    )
    printed: dict[str, None] = {}
    for old, new in (("c1", "c3"), ("c3", "c4"), ("c4", "c5"), ("c5", "c6")):
        printed |= dict.fromkeys(paths(diff_json(run_cli, ws, old, new)))
    page = (Path(__file__).resolve().parent.parent / "docs" / "json.md").read_text(encoding="utf-8")
    section = page.split("## `evaltool diff --format json`")[1].split("\n## ")[0]
    documented = re.findall(r"^\| `([^`]+)`", section, flags=re.M)
    assert sorted(set(printed) ^ set(documented)) == []


def paths(value: Any, path: str = "") -> list[str]:
    if isinstance(value, dict):
        out = []
        for key, item in value.items():
            child = f"{path}.{key}" if path else key
            out += [child, *paths(item, child)]
        return out
    if isinstance(value, list):
        return [p for item in value if isinstance(item, dict) for p in paths(item, f"{path}[]")]
    return []


def test_under_topsis_no_split_between_weights_and_scores(
    repo: Path, run_cli: Callable[..., CliResult]
) -> None:
    data = diff_json(run_cli, repo, "c1", "c3", "--method", "topsis")
    assert data["method"] == "topsis"
    assert [v["attribution"] for v in data["vendors"]] == [None, None]
    code, out, err = run_cli(["diff", "c1", "c3", "--workspace", repo, "-m", "topsis", "-f", "md"])
    assert code == 0, err
    assert "| Vendor | Score | Change | Rank | Eligible | Why |\n" in out and "From weights" not in out


def test_a_criterion_added_counts_with_the_weights_and_its_new_scores_with_the_scores(
    tmp_path: Path, run_cli: Callable[..., CliResult]
) -> None:
    ws = build(tmp_path / "repo")
    catalog = CATALOG.replace(
        "weight: 50\n    criteria:\n      - id: sec", "weight: 150\n    criteria:\n      - id: sec"
    )
    alpha = vendor("alpha", 5, 3, 2) + "  com-exit: 5\n"
    commit(tmp_path / "repo", ws, "c6 exit criterion", {
        "criteria/catalog.yaml": catalog + "      - id: com-exit\n        name: Exit\n",
        "vendors/alpha.yaml": alpha,
    })  # fmt: skip
    data = diff_json(run_cli, ws, "c5", "c6")
    # weights now 0.375, 0.375, 0.125 (com-support), 0.125 (com-exit)
    # alpha: old 70; new 20 x (1.875 + 1.125 + 0.25 + 0.625) = 77.5; mixed (no exit grade then, so 0)
    #   20 x (1.875 + 1.125 + 0.25) = 65: weights 65 - 70 = -5, scores 77.5 - 65 = 12.5
    # gamma: old 60; new = mixed = 20 x (1.125 + 1.125 + 0.375) = 52.5: weights -7.5, scores 0
    by_id = {v["id"]: v for v in data["vendors"]}
    assert by_id["alpha"]["score"] == [70.0, 77.5]
    assert by_id["alpha"]["attribution"] == {"weights": -5.0, "scores": 12.5}
    assert by_id["alpha"]["changes"] == [
        change("score", "com-exit", None, 5.0, "Exit (com-exit) scored 5, not scored before")
    ]
    assert by_id["gamma"]["score"] == [60.0, 52.5]
    assert by_id["gamma"]["attribution"] == {"weights": -7.5, "scores": 0.0}
    assert data["criteria"] == {"added": ["com-exit"], "removed": []}
    assert data["weights"] == [
        {"id": "com-support", "kind": "criterion", "old": 0.25, "new": 0.125, "segment": None},
        {"id": "com-exit", "kind": "criterion", "old": None, "new": 0.125, "segment": None},
    ]


def test_the_temporary_folders_are_removed(
    repo: Path, run_cli: Callable[..., CliResult], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    import tempfile

    scratch = tmp_path / "scratch"
    scratch.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(scratch))
    assert diff_json(run_cli, repo, "c1", "c3")["vendors"]
    commit(repo, repo, "c6 broken", {"vendors/alpha.yaml": vendor("alpha", 9, 3, 2)})
    code, _out, err = run_cli(["diff", "c6", "--workspace", repo])
    assert code == 1 and err.startswith("c6:vendors/alpha.yaml:6: ")
    assert list(scratch.iterdir()) == []


def test_without_git_one_line_and_exit_1(
    repo: Path, run_cli: Callable[..., CliResult], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path / "nothing-here"))
    code, out, err = run_cli(["diff", "c1", "--workspace", repo])
    assert (code, out, err) == (1, "", "git is not installed: reading a revision needs the git command\n")


def test_evidence_changed_and_renewed(tmp_path: Path, run_cli: Callable[..., CliResult]) -> None:
    ws = build(tmp_path / "repo")
    renewed = GAMMA_TWO.replace(
        "evidence: Support contract, level: documented, expires: 2026-06-30",
        "evidence: Support contract 2027, level: verified, expires: 2027-06-30",
    )
    commit(
        tmp_path / "repo",
        ws,
        "c6 contract renewed",
        {"vendors/gamma.yaml": renewed},
        "2026-10-01T09:00:00+00:00",
    )
    gamma = next(v for v in diff_json(run_cli, ws, "c5", "c6")["vendors"] if v["id"] == "gamma")
    assert gamma["changes"] == [
        change("evidence-changed", "com-support", None, None, "evidence for Support (com-support) changed"),
        change("evidence-renewed", "com-support", None, None, "evidence for Support (com-support) renewed"),
    ]
    assert gamma["score"] == [60.0, 60.0]
