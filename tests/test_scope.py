"""`--segment S` runs when the catalog, the profile in use and S's vendor files are valid (evaltool.scope).

The default test workspace (conftest.py) has two segments: Vector database (acme-vector, beta-vector) and
LLM platform (gamma-llm). Each test breaks one file and runs the five commands that take `--segment`.
Expected lines are written out by hand from the files in conftest.py, not produced by the code.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from evaltool.evaluation import evaluate
from evaltool.scope import load_segment
from evaltool.workspace import load_workspace

VECTOR, LLM = "Vector database", "LLM platform"
NAMES = {"acme-vector": "Acme Vector", "beta-vector": "Beta Vector", "gamma-llm": "Gamma LLM"}
COMMANDS = ["score", "sensitivity", "recommend", "report", "export"]

KIND_ERROR = (
    "vendors/gamma-llm.yaml:4: kind: must be one of 'startup', 'scaleup', 'enterprise' or 'open-source', "
    "not 'enterprize'"
)
BROKEN_GAMMA = ("vendors/gamma-llm", "kind: enterprise", "kind: enterprize")
LATENCY = "criteria/catalog.yaml:35: categories[1].criteria[2].id: warning: metric criterion 'com-latency'"

Run = Callable[..., tuple[int, str, str]]


def run(run_cli: Run, command: str, root: Path, *extra: str) -> tuple[int, str, str, list[str]]:
    """One command in JSON (the report in Markdown): exit code, stdout, stderr and the vendors it shows."""
    out = root.parent / f"{root.name}-{command}.out"
    args: list[Any] = [command, "-w", root, *extra]
    args += {
        "score": ["--format", "json"],
        "sensitivity": ["--format", "json", "--samples", "200"],
        "recommend": ["--format", "json", "--samples", "200"],
        "report": ["--format", "md", "--samples", "200", "--out", out],
        "export": ["--format", "json", "--samples", "200", "--out", out],
    }[command]
    code, stdout, stderr = run_cli(args)
    if code != 0:
        return code, stdout, stderr, []
    if command == "report":
        text = out.read_text(encoding="utf-8")
        return code, stdout, stderr, [vid for vid, name in NAMES.items() if name in text]
    data = json.loads(out.read_text(encoding="utf-8") if command == "export" else stdout)
    if command == "recommend":
        return code, stdout, stderr, sorted(r["vendor"] for r in data["recommendations"])
    return code, stdout, stderr, sorted(v["id"] for v in data["vendors"])


@pytest.mark.parametrize("command", COMMANDS)
def test_an_error_in_another_segment_is_skipped_with_a_warning(
    run_cli: Run, workspace: Any, command: str
) -> None:
    root = workspace.edited(BROKEN_GAMMA)
    code, _, err, shown = run(run_cli, command, root, "--segment", VECTOR)
    assert code == 0, err
    assert f"warning: skipped, not in segment 'Vector database': {KIND_ERROR}" in err.splitlines()
    assert shown == ["acme-vector", "beta-vector"]


@pytest.mark.parametrize("command", COMMANDS)
def test_an_error_in_the_chosen_segment_still_exits_1(run_cli: Run, workspace: Any, command: str) -> None:
    root = workspace.edited(BROKEN_GAMMA)
    code, out, err, _ = run(run_cli, command, root, "--segment", LLM)
    assert code == 1
    assert KIND_ERROR in err.splitlines()
    assert "skipped" not in out + err


@pytest.mark.parametrize("command", COMMANDS)
def test_without_a_segment_any_error_still_exits_1(run_cli: Run, workspace: Any, command: str) -> None:
    root = workspace.edited(BROKEN_GAMMA)
    code, out, err, _ = run(run_cli, command, root)
    assert code == 1
    assert KIND_ERROR in err.splitlines()
    assert "skipped" not in out + err


@pytest.mark.parametrize("command", COMMANDS)
@pytest.mark.parametrize(
    ("edits", "extra", "expected"),
    [
        pytest.param(
            [("catalog", "weight: 60", "weight: -60")],
            [],
            "criteria/catalog.yaml:8: categories[0].weight: must be >= 0, not -60",
            id="catalog",
        ),
        pytest.param(
            [("profiles/security-first", "security: 80", "security: lots")],
            ["--profile", "security-first"],
            "criteria/profiles/security-first.yaml:5: weights.security: must be a number, not 'lots'",
            id="profile-in-use",
        ),
    ],
)
def test_a_broken_catalog_or_profile_in_use_exits_1_with_a_segment(
    run_cli: Run, workspace: Any, command: str, edits: list[Any], extra: list[str], expected: str
) -> None:
    root = workspace.edited(*edits, BROKEN_GAMMA)
    code, _, err, _ = run(run_cli, command, root, "--segment", VECTOR, *extra)
    assert code == 1
    lines = err.splitlines()
    assert expected in lines
    assert KIND_ERROR not in lines  # another segment's file does not belong in the list of what to fix


@pytest.mark.parametrize("command", COMMANDS)
def test_a_profile_not_in_use_is_skipped_with_a_warning(run_cli: Run, workspace: Any, command: str) -> None:
    root = workspace.edited(("profiles/pairwise", "[1, 3]", "[1, 3, 5]"))
    code, _, err, shown = run(run_cli, command, root, "--segment", LLM, "--profile", "security-first")
    assert code == 0, err
    assert (
        "warning: skipped, profile not in use: criteria/profiles/pairwise.yaml:5: ahp.matrix: matrix must be "
        "2x2 to match the 2 items (its rows have 3, 2 entries)"
    ) in err.splitlines()
    assert shown == ["gamma-llm"]
    assert run(run_cli, command, root, "--profile", "security-first")[0] == 1


@pytest.mark.parametrize("command", COMMANDS)
def test_a_file_whose_segment_cannot_be_read_is_skipped_and_said_so(
    run_cli: Run, workspace: Any, command: str
) -> None:
    root = workspace(
        files={
            "vendors/broken.yaml": "id: broken\nname: &n Broken\nsegment: Vector database\n",
            "vendors/nameless.yaml": "id: nameless\nname: No Segment\n",
        }
    )
    code, _, err, shown = run(run_cli, command, root, "--segment", VECTOR)
    assert code == 0, err
    assert [line for line in err.splitlines() if "skipped" in line] == [
        "warning: skipped, segment unreadable, so not counted in 'Vector database': "
        "vendors/broken.yaml:2: anchors and aliases are not allowed",
        "warning: skipped, segment unreadable, so not counted in 'Vector database': "
        "vendors/nameless.yaml:1: missing required key 'segment'",
    ]
    assert shown == ["acme-vector", "beta-vector"]


@pytest.mark.parametrize("command", COMMANDS)
def test_an_unknown_segment_stays_a_usage_error(run_cli: Run, workspace: Any, command: str) -> None:
    root = workspace.edited(BROKEN_GAMMA)
    code, out, err, _ = run(run_cli, command, root, "--segment", "Vector DB")
    assert code == 2
    assert err == "unknown segment 'Vector DB' (segments: Vector database, LLM platform)\n"
    assert out == ""


def test_an_unknown_segment_names_the_files_whose_segment_cannot_be_read(
    run_cli: Run, workspace: Any
) -> None:
    root = workspace(files={"vendors/delta.yaml": "id: delta\nname: [Delta\n"})
    code, _, err, _ = run(run_cli, "score", root, "--segment", "Data catalog")
    assert code == 2
    assert err == (
        "unknown segment 'Data catalog' (segments: Vector database, LLM platform); the segment of "
        "vendors/delta.yaml cannot be read (`evaltool validate` says why)\n"
    )


# --- which warnings a report on some segments carries ---------------------------------------------------

# As of 2100-01-01, acme-vector's two pieces of evidence (expiring 2099-06-30, lines 19 and 25) and
# gamma-llm's (expiring 2099-01-01, line 7) have expired; the catalog always warns about com-latency.
GAMMA_EXPIRES = ("vendors/gamma-llm", "level: claimed}", "level: claimed, expires: 2099-01-01}")
LATE = "2100-01-01"
ACME_WARNINGS = [("vendors/acme-vector.yaml", 19), ("vendors/acme-vector.yaml", 25)]
GAMMA_WARNINGS = [("vendors/gamma-llm.yaml", 7)]
CATALOG_WARNINGS = [("criteria/catalog.yaml", 35)]


def report_warnings(root: Path, run_cli: Run, *extra: str) -> list[tuple[str, int]]:
    """(path, line) of each entry under "Validation warnings" in the Markdown report."""
    out = root / "reports" / "r.md"
    code, _, err = run_cli(["report", "-w", root, "--format", "md", "--samples", "200", "--out", out,
                            "--as-of", LATE, *extra])  # fmt: skip
    assert code == 0, err
    section = out.read_text(encoding="utf-8").split("### Validation warnings", 1)[1].split("\n#", 1)[0]
    return [(path, int(line)) for path, line in re.findall(r"^- (\S+?):(\d+):", section, re.MULTILINE)]


@pytest.mark.parametrize(
    ("segment", "expected"),
    [
        (VECTOR, CATALOG_WARNINGS + ACME_WARNINGS),
        (LLM, CATALOG_WARNINGS + GAMMA_WARNINGS),
        (None, CATALOG_WARNINGS + ACME_WARNINGS + GAMMA_WARNINGS),
    ],
)
def test_report_warnings_list_only_the_files_of_the_segments_covered(
    run_cli: Run, workspace: Any, segment: str | None, expected: list[tuple[str, int]]
) -> None:
    root = workspace.edited(GAMMA_EXPIRES)
    extra = [] if segment is None else ["--segment", segment]
    assert report_warnings(root, run_cli, *extra) == expected


def test_report_warnings_leave_out_a_skipped_file(run_cli: Run, workspace: Any) -> None:
    root = workspace.edited(GAMMA_EXPIRES, BROKEN_GAMMA)
    assert report_warnings(root, run_cli, "--segment", VECTOR) == CATALOG_WARNINGS + ACME_WARNINGS


def test_scorecard_and_evaluation_warnings_follow_the_segments(run_cli: Run, workspace: Any) -> None:
    root = workspace.edited(GAMMA_EXPIRES)
    out = root / "reports" / "card.json"
    code, _, err = run_cli(["export", "-w", root, "--segment", LLM, "--samples", "200", "--as-of", LATE,
                            "--out", out])  # fmt: skip
    assert code == 0, err
    card = json.loads(out.read_text(encoding="utf-8"))
    assert [(w["path"], w["line"]) for w in card["warnings"]] == CATALOG_WARNINGS + GAMMA_WARNINGS
    ws = load_workspace(root, dt.date(2100, 1, 1))  # what the dashboard evaluates
    found = evaluate(ws, None, segments=[VECTOR], samples=200).warnings
    assert [(w.path, w.line) for w in found] == CATALOG_WARNINGS + ACME_WARNINGS


def test_load_segment_keeps_the_valid_files_and_names_what_it_skipped(workspace: Any) -> None:
    root = workspace.edited(BROKEN_GAMMA)
    ws, skipped = load_segment(root, None, VECTOR, None)
    assert [v.id for v in ws.vendors] == ["acme-vector", "beta-vector"]
    assert "vendors/gamma-llm.yaml" not in {f.path for f in ws.files}
    assert [str(s) for s in skipped] == [f"warning: skipped, not in segment 'Vector database': {KIND_ERROR}"]
    assert [str(w).startswith(LATENCY) for w in ws.warnings] == [True]
