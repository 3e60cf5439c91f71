"""History: the commits that touched the workspace, each evaluated, and the dashboard's History page.

The repository is the one of tests/test_diff.py (commits c1..c5, scores derived there by hand).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from streamlit.testing.v1 import AppTest
from test_diff import build, commit, git, vendor

from evaltool import history

APP = Path(__file__).resolve().parent.parent / "evaltool" / "dashboard" / "app.py"


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    ws = build(tmp_path / "repo")
    (ws / "README.md").write_text("notes\n", encoding="utf-8")
    git(ws, "add", "README.md")
    git(ws, "commit", "-q", "-m", "notes only")
    return ws


def test_commits_are_those_that_touched_the_inputs_newest_first(repo: Path) -> None:
    found = history.commits(history.find_repo(repo), 10)
    assert [c.subject for c in found] == [
        "c5 second assessor",
        "c4 gamma replaces beta",
        "c3 security weighs more",
        "c2 rescored",
        "c1 first scores",
    ]
    assert [c.subject for c in history.commits(history.find_repo(repo), 2)] == [
        "c5 second assessor",
        "c4 gamma replaces beta",
    ]
    assert found[0].date.isoformat() == "2026-09-01T12:00:00+00:00"


def test_a_workspace_in_a_subfolder_only_counts_its_own_commits(tmp_path: Path) -> None:
    ws = build(tmp_path / "repo", "data/ws")
    (tmp_path / "repo" / "data" / "criteria").mkdir()
    (tmp_path / "repo" / "data" / "criteria" / "other.yaml").write_text("x: 1\n", encoding="utf-8")
    git(tmp_path / "repo", "add", "-A")
    git(tmp_path / "repo", "commit", "-q", "-m", "another folder's criteria")
    repo = history.find_repo(ws)
    assert repo.prefix == "data/ws/"
    assert len(history.commits(repo, 10)) == 5


def test_snapshots_give_each_commits_scores_and_ranks(repo: Path) -> None:
    r = history.find_repo(repo)
    shots = [history.snapshot(r, c.sha, None, "wsm", None, samples=500) for c in reversed(history.commits(r))]
    table = [{p.vendor: (round(p.score, 9), p.rank) for p in s.points} for s in shots]
    assert table == [
        {"beta": (75.0, 1), "alpha": (55.0, 2)},
        {"alpha": (60.0, 1), "beta": (70.0, None)},
        {"alpha": (70.0, 1), "beta": (65.0, None)},
        {"alpha": (70.0, 1), "gamma": (60.0, 2)},
        {"alpha": (70.0, 1), "gamma": (60.0, 2)},
    ]


def test_a_commit_whose_files_have_errors_says_why_and_has_no_points(repo: Path) -> None:
    commit(repo, repo, "c6 broken", {"vendors/alpha.yaml": vendor("alpha", 9, 3, 2)})
    r = history.find_repo(repo)
    shot = history.snapshot(r, history.resolve(r, "c6"), None, "wsm", None, samples=100)
    assert shot.points == ()
    assert shot.problem == (
        f"{shot.commit.sha}:vendors/alpha.yaml:6: scores.sec-encryption: "
        "score 9 is outside the rubric scale 0..5"
    )


def _start(monkeypatch: pytest.MonkeyPatch, root: Path) -> AppTest:
    monkeypatch.setenv("EVALTOOL_WORKSPACE", str(root))
    at = AppTest.from_file(str(APP), default_timeout=120)
    at.run()
    at.switch_page("views/history.py").run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def _frames(at: AppTest) -> list[Any]:
    return [e.value for e in at.dataframe]


def test_the_history_page_shows_rings_per_commit_and_who_moved_since(
    monkeypatch: pytest.MonkeyPatch, repo: Path
) -> None:
    at = _start(monkeypatch, repo)
    shorts = [c.short for c in reversed(history.commits(history.find_repo(repo)))]
    rings = _frames(at)[0]
    assert list(rings.columns) == shorts
    # c1: alpha 20 points behind beta (hold); from c2 on alpha leads (assess); beta fails the gate from c2
    assert list(rings.loc["Alpha"]) == ["hold", "assess", "assess", "assess", "assess"]
    assert list(rings.loc["Beta"]) == ["assess", "hold", "hold", "", ""]
    assert list(rings.loc["Gamma"]) == ["", "", "", "hold", "hold"]
    assert len(at.get("plotly_chart")) == 2
    moved = _frames(at)[1]
    assert moved.to_dict("records") == [
        {"Vendor": "Alpha", "Ring then": "hold", "Ring now": "assess"},
        {"Vendor": "Gamma", "Ring then": "not there", "Ring now": "hold"},
    ]
    at.selectbox(key="history-since").set_value(3).run()
    assert not at.exception
    assert "No vendor of Vector database moved ring since" in " ".join(str(s.value) for s in at.success)
    at.number_input(key="history-commits").set_value(2).run()
    assert list(_frames(at)[0].columns) == shorts[-2:]


def test_the_history_page_outside_git_says_so(
    monkeypatch: pytest.MonkeyPatch, workspace: Callable[..., Path]
) -> None:
    root = workspace()
    at = _start(monkeypatch, root)
    assert [re.sub(r"\\(.)", r"\1", str(i.value)) for i in at.info] == [
        f"No history to show: workspace {root.resolve()} is not in a git repository."
    ]
