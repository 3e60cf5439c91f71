"""Decision records (docs/formats.md#decision-records): checks, the hash they bind to, the warnings,
`evaltool new decision`, the report's status, the export's `decisions` and the dashboard's log."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from conftest import WorkspaceFactory

from evaltool.workspace import load_workspace

AS_OF = "2026-11-30"
STATUS = (
    "Approved with conditions by A. Chen (Chief Architect) and B. Ruiz (Head of Third-Party Risk), 2026-11-20"
)
CHANGED = "; inputs changed since the decision"

# Line numbers matter: tests refer to them.
DECISION = """\
id: vd-1
segment: Vector database
date: 2026-11-20
forum: Architecture governance forum
outcome: approved-with-conditions
vendor: beta-vector
conditions:
  - text: Key custody test passed in the PoC
    owner: j.doe
    due: 2026-12-15
  - text: Exit plan agreed with procurement
    owner: procurement
    due: 2026-11-25
    met: 2026-11-24
approvers:
  - {name: A. Chen, role: Chief Architect, date: 2026-11-20}
  - {name: B. Ruiz, role: Head of Third-Party Risk, date: 2026-11-21}
evaluation_sha256: "SHA"
next_review: 2027-02-20
"""


def hand_hash(root: Path) -> str:
    """The input SHA-256 as docs/json.md states it: over the sorted relative paths and SHA-256s of the
    catalog, the profiles and the vendor files."""
    files = [root / "criteria" / "catalog.yaml", *(root / "criteria" / "profiles").glob("*.yaml")]
    files += (root / "vendors").glob("*.yaml")
    digest = hashlib.sha256()
    for path in sorted(files, key=lambda p: p.relative_to(root).as_posix()):
        relative = path.relative_to(root).as_posix()
        digest.update(f"{relative}\0{hashlib.sha256(path.read_bytes()).hexdigest()}\n".encode())
    return digest.hexdigest()


def with_decisions(workspace: WorkspaceFactory, *texts: tuple[str, str], bind: bool = True) -> Path:
    """The default workspace with decision records (file stem, text); "SHA" becomes the inputs' hash."""
    root = workspace()
    sha = hand_hash(root)
    for stem, text in texts:
        path = root / "decisions" / f"{stem}.yaml"
        path.parent.mkdir(exist_ok=True)
        path.write_text(text.replace("SHA", sha if bind else "0" * 64), encoding="utf-8")
    return root


def rescore(root: Path) -> None:
    """Change one vendor score: the inputs change."""
    path = root / "vendors" / "beta-vector.yaml"
    path.write_text(path.read_text().replace("sec-logging: 4", "sec-logging: 3"))


# --- decisions are not inputs -----------------------------------------------------------------------------


def test_a_decision_leaves_the_input_hash_unchanged(workspace: WorkspaceFactory) -> None:
    plain = workspace()
    decided = with_decisions(workspace, ("vd-1", DECISION))
    expected = hand_hash(plain)
    assert hand_hash(decided) == expected  # the same inputs, byte for byte
    assert load_workspace(plain).input_hash() == expected
    assert load_workspace(decided).input_hash() == expected
    assert [d.id for d in load_workspace(decided).decisions] == ["vd-1"]


def test_a_workspace_without_decisions_reads_proposed(workspace: WorkspaceFactory, run_cli: Any) -> None:
    root = workspace()
    out = root / "r.md"
    code, _, _ = run_cli(["report", "-w", root, "-s", "Vector database", "-n", "200", "-f", "md", "-o", out])
    assert code == 0
    assert "| Status | **Proposed** |" in out.read_text()
    assert "Forum decisions" not in out.read_text()


# --- validate: errors at file:line -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("old", "new", "error"),
    [
        ("outcome: approved-with-conditions", "outcome: accepted",
         "decisions/vd-1.yaml:5: outcome: must be one of 'approved', 'approved-with-conditions', 'rejected' "
         "or 'deferred', not 'accepted'"),
        ('evaluation_sha256: "SHA"', "evaluation_sha256: abc",
         "decisions/vd-1.yaml:18: evaluation_sha256: must be the 64 lowercase hexadecimal digits of an "
         "input_sha256 (quoted), not 'abc'"),
        ("forum: Architecture governance forum\n", "",
         "decisions/vd-1.yaml:1: missing required key 'forum'"),
        ("next_review: 2027-02-20", "next_reveiw: 2027-02-20",
         "decisions/vd-1.yaml:19: next_reveiw: unknown key 'next_reveiw' (did you mean 'next_review'?)"),
        ("  - {name: A. Chen, role: Chief Architect, date: 2026-11-20}",
         "  - {name: A. Chen, date: 2026-11-20}",
         "decisions/vd-1.yaml:16: approvers[0]: missing required key 'role'"),
        ("date: 2026-11-20\nforum", "date: 2026-11-31\nforum",
         "decisions/vd-1.yaml:3: date: '2026-11-31' is not a real date"),
        ("id: vd-1", "id: vd-2",
         "decisions/vd-1.yaml:1: id: id 'vd-2' must equal the file name 'vd-1'"),
        ("segment: Vector database", "segment: Vector databse",
         "decisions/vd-1.yaml:2: segment: unknown segment 'Vector databse' (segments: Vector database, LLM "
         "platform) (did you mean 'Vector database'?)"),
        ("vendor: beta-vector", "vendor: beta-vectr",
         "decisions/vd-1.yaml:6: vendor: unknown vendor 'beta-vectr' (did you mean 'beta-vector'?)"),
        ("vendor: beta-vector", "vendor: gamma-llm",
         "decisions/vd-1.yaml:6: vendor: vendor 'gamma-llm' is in segment 'LLM platform', not 'Vector "
         "database'"),
        ("vendor: beta-vector\n", "",
         "decisions/vd-1.yaml:5: outcome: approved-with-conditions needs the vendor approved: add 'vendor'"),
        ("next_review: 2027-02-20", "next_review: 2026-11-20",
         "decisions/vd-1.yaml:19: next_review: next_review 2026-11-20 must be after the decision's date "
         "2026-11-20"),
        ("    due: 2026-12-15", "    due: 2026-11-19",
         "decisions/vd-1.yaml:10: conditions[0].due: due 2026-11-19 is before the decision's date "
         "2026-11-20"),
    ],
)  # fmt: skip
def test_validate_reports_a_bad_record_at_its_line(
    workspace: WorkspaceFactory, validate: Callable[..., Any], old: str, new: str, error: str
) -> None:
    assert DECISION.count(old) == 1
    root = with_decisions(workspace, ("vd-1", DECISION.replace(old, new)))
    result = validate(root, "--as-of", AS_OF)
    assert (result.code, result.errors) == (1, [error])


def test_conditions_are_needed_for_approval_with_conditions(
    workspace: WorkspaceFactory, validate: Callable[..., Any]
) -> None:
    text = DECISION.split("conditions:\n")[0] + "approvers:\n" + DECISION.split("approvers:\n")[1]
    root = with_decisions(workspace, ("vd-1", text))
    assert validate(root, "--as-of", AS_OF).errors == [
        "decisions/vd-1.yaml:5: outcome: approved-with-conditions needs at least one condition under "
        "'conditions'"
    ]


def test_a_deferral_needs_no_vendor_and_the_summary_counts_records(
    workspace: WorkspaceFactory, validate: Callable[..., Any]
) -> None:
    text = DECISION.replace("outcome: approved-with-conditions", "outcome: deferred")
    root = with_decisions(workspace, ("vd-1", text.replace("vendor: beta-vector\n", "")))
    result = validate(root, "--as-of", AS_OF)
    assert (result.code, result.errors) == (0, [])
    assert (
        result.summary
        == "valid: 1 catalog (5 criteria), 2 profiles, 3 vendors, 1 decision; 0 errors, 2 warnings"
    )


# --- validate: warnings ------------------------------------------------------------------------------------


def test_a_current_record_draws_no_warning(workspace: WorkspaceFactory, validate: Callable[..., Any]) -> None:
    root = with_decisions(workspace, ("vd-1", DECISION))
    result = validate(root, "--as-of", AS_OF, "--strict")
    assert not [w for w in result.warnings if w.startswith("decisions/")]
    assert result.warnings == [workspace.LATENCY_WARNING, workspace.UNSCORED_WARNING]


def test_changed_inputs_are_warned_about(workspace: WorkspaceFactory, validate: Callable[..., Any]) -> None:
    root = with_decisions(workspace, ("vd-1", DECISION))
    rescore(root)
    result = validate(root, "--as-of", AS_OF)
    assert result.code == 0
    assert [w for w in result.warnings if w.startswith("decisions/")] == [
        "decisions/vd-1.yaml:18: evaluation_sha256: warning: decision vd-1 rests on inputs that changed "
        "since 2026-11-20: run evaltool diff"
    ]
    assert validate(root, "--as-of", AS_OF, "--strict").code == 1


def test_overdue_condition_and_passed_review_are_warned_about(
    workspace: WorkspaceFactory, validate: Callable[..., Any]
) -> None:
    root = with_decisions(workspace, ("vd-1", DECISION))
    # as of 2027-03-01: condition 1 (due 2026-12-15) is overdue; condition 2 was met; review 2027-02-20 passed
    result = validate(root, "--as-of", "2027-03-01")
    assert result.code == 0
    assert [w for w in result.warnings if w.startswith("decisions/")] == [
        "decisions/vd-1.yaml:10: conditions[0].due: warning: condition owned by j.doe was due 2026-12-15 "
        "and is not met (as of 2027-03-01)",
        "decisions/vd-1.yaml:19: next_review: warning: decision vd-1 was due for review on 2027-02-20 (as of "
        "2027-03-01): record the forum's new decision",
    ]
    # on the due date itself the condition is not yet overdue, nor is the review on its day
    result = validate(root, "--as-of", "2026-12-15")
    assert [w for w in result.warnings if w.startswith("decisions/")] == []


def test_a_superseded_record_draws_no_warning(
    workspace: WorkspaceFactory, validate: Callable[..., Any]
) -> None:
    later = DECISION.replace("id: vd-1", "id: vd-2").replace(
        "date: 2026-11-20\nforum", "date: 2026-11-27\nforum"
    )
    root = with_decisions(workspace, ("vd-1", DECISION), ("vd-2", later))
    rescore(root)
    result = validate(root, "--as-of", "2027-03-01")
    flagged = sorted({w.split(":")[0] for w in result.warnings if w.startswith("decisions/")})
    assert flagged == ["decisions/vd-2.yaml"]


# --- evaltool new decision ---------------------------------------------------------------------------------


def test_new_decision_binds_the_current_inputs_and_names_the_leader(
    workspace: WorkspaceFactory, run_cli: Any, validate: Callable[..., Any]
) -> None:
    root = workspace()
    code, out, _ = run_cli(["new", "decision", "-w", root, "--segment", "Vector database"])
    today = dt.date.today()
    ident = f"vector-database-{today.isoformat()}"
    assert (code, out) == (
        0,
        f"created decisions/{ident}.yaml: bound to inputs SHA-256 {hand_hash(root)[:12]}\n",
    )
    record = load_workspace(root).decisions[0]
    # Leader by hand (WSM, catalog weights): security 60% (encryption 2/3, logging 1/3), commercial 40% in
    # thirds. acme-vector: encryption median(4, 3) = 3.5, logging 3.5, support 3, TCO 240000 -> 5 x 760/900,
    # latency 35 ms, the worst of the two -> 0: 100 x 3.063 / 5 = 61.3. beta-vector: 2, 4, 4.5,
    # TCO 500000 -> 5 x 500/900, latency the best -> 5: 100 x 3.237 / 5 = 64.7. beta-vector leads.
    assert (record.id, record.vendor, record.outcome, record.date) == (
        ident,
        "beta-vector",
        "approved",
        today,
    )
    assert record.evaluation_sha256 == hand_hash(root)
    assert record.next_review == today + dt.timedelta(days=91)
    assert (record.conditions, record.approvers) == ([], [])
    result = validate(root)
    assert result.code == 0 and not [w for w in result.warnings if w.startswith("decisions/")]


def test_new_decision_never_overwrites(workspace: WorkspaceFactory, run_cli: Any) -> None:
    root = workspace()
    args = ["new", "decision", "-w", root, "-s", "Vector database", "--id", "vd-q4", "--outcome", "rejected"]
    assert run_cli(args)[0] == 0
    before = (root / "decisions" / "vd-q4.yaml").read_text()
    code, out, err = run_cli(args)
    assert (code, out) == (1, "")
    assert (
        err.splitlines()[-1]
        == "decisions/vd-q4.yaml: decision 'vd-q4' already exists; refusing to overwrite it"
    )
    assert (root / "decisions" / "vd-q4.yaml").read_text() == before


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--outcome", "accepted"],
         "--outcome 'accepted' must be one of approved, approved-with-conditions, rejected, deferred"),
        (["--vendor", "gamma-llm"],
         "--vendor 'gamma-llm' is not a vendor of 'Vector database' (vendors: acme-vector, beta-vector)"),
        (["--id", "Q4"], "'Q4' is not a valid id: use 1-64 lowercase letters, digits and '-'"),
    ],
)  # fmt: skip
def test_new_decision_refuses_bad_options(
    workspace: WorkspaceFactory, run_cli: Any, extra: list[str], message: str
) -> None:
    root = workspace()
    code, _, err = run_cli(["new", "decision", "-w", root, "-s", "Vector database", *extra])
    assert (code, err.splitlines()[-1]) == (2, message)
    assert not (root / "decisions").exists()


def test_new_decision_with_conditions_says_what_to_complete(
    workspace: WorkspaceFactory, run_cli: Any, validate: Callable[..., Any]
) -> None:
    root = workspace()
    args = ["new", "decision", "-w", root, "-s", "Vector database", "--id", "vd-q4"]
    assert run_cli([*args, "--outcome", "approved-with-conditions"])[0] == 0
    assert validate(root).errors == [
        "decisions/vd-q4.yaml:8: outcome: approved-with-conditions needs at least one condition under "
        "'conditions'"
    ]


# --- report status and export ------------------------------------------------------------------------------


def _report(run_cli: Any, root: Path, *extra: str) -> str:
    out = root / "report.md"
    code, _, err = run_cli(
        ["report", "-w", root, "-n", "200", "-f", "md", "-o", out, "--as-of", AS_OF, *extra]
    )
    assert code == 0, err
    return out.read_text()


def test_report_status_is_the_decision_in_force(workspace: WorkspaceFactory, run_cli: Any) -> None:
    root = with_decisions(workspace, ("vd-1", DECISION))
    text = _report(run_cli, root, "-s", "Vector database")
    assert f"| Status | **{STATUS}** |" in text
    assert (
        "Decision vd-1 of the Architecture governance forum, on Beta Vector. Next review 2027-02-20." in text
    )
    assert "- Condition: Key custody test passed in the PoC (owner j.doe, due 2026-12-15): open" in text
    assert (
        "- Condition: Exit plan agreed with procurement (owner procurement, due 2026-11-25): met 2026-11-24"
        in text
    )
    rescore(root)
    text = _report(run_cli, root, "-s", "Vector database")
    assert f"| Status | **{STATUS}{CHANGED}** |" in text
    # the other segment has no record
    assert "| Status | **Proposed** |" in _report(run_cli, root, "-s", "LLM platform")


def test_report_on_every_segment_lists_each_status(workspace: WorkspaceFactory, run_cli: Any) -> None:
    root = with_decisions(workspace, ("vd-1", DECISION))
    text = _report(run_cli, root)
    assert "| Status | **Decided per segment** |" in text
    assert f"- **Vector database**: {STATUS}." in text
    assert "- **LLM platform**: Proposed." in text


def test_html_report_marks_an_overdue_condition(workspace: WorkspaceFactory, run_cli: Any) -> None:
    root = with_decisions(workspace, ("vd-1", DECISION))
    out = root / "r.html"
    args = ["report", "-w", root, "-s", "Vector database", "-n", "200", "-o", out, "--as-of", "2027-01-01"]
    assert run_cli(args)[0] == 0
    html = out.read_text()
    assert f'<span class="badge status">{STATUS}</span>' in html
    assert '<td>2026-12-15</td><td><span class="tag fail">overdue</span></td>' in html
    assert "<td>2026-11-25</td><td>met 2026-11-24</td>" in html


def test_export_json_carries_the_records_with_current(workspace: WorkspaceFactory, run_cli: Any) -> None:
    old = DECISION.replace("id: vd-1", "id: vd-0").replace(
        "date: 2026-11-20\nforum", "date: 2026-10-01\nforum"
    )
    root = with_decisions(workspace, ("vd-1", DECISION))
    (root / "decisions" / "vd-0.yaml").write_text(old.replace("SHA", "a" * 64))
    out = root / "card.json"
    args = ["export", "-w", root, "-n", "200", "-f", "json", "-o", out, "--as-of", AS_OF]
    assert run_cli(args)[0] == 0
    card = json.loads(out.read_text())
    assert [(d["id"], d["current"], d["in_force"]) for d in card["decisions"]] == [
        ("vd-0", False, False),
        ("vd-1", True, True),
    ]
    first = card["decisions"][1]
    assert first["conditions"][1] == {
        "text": "Exit plan agreed with procurement", "owner": "procurement", "due": "2026-11-25",
        "met": "2026-11-24",
    }  # fmt: skip
    assert first["evaluation_sha256"] == card["provenance"]["input_sha256"] == hand_hash(root)
    # an export of another segment carries none of them
    assert run_cli([*args, "-s", "LLM platform"])[0] == 0
    assert json.loads(out.read_text())["decisions"] == []


# --- one segment at a time ---------------------------------------------------------------------------------


def test_a_broken_record_of_another_segment_is_skipped(workspace: WorkspaceFactory, run_cli: Any) -> None:
    other = DECISION.replace("segment: Vector database", "segment: LLM platform").replace(
        "vendor: beta-vector\n", ""
    )
    root = with_decisions(workspace, ("vd-1", DECISION), ("llm-1", other.replace("id: vd-1", "id: llm-1")))
    out = root / "r.md"
    code, _, err = run_cli(
        ["report", "-w", root, "-s", "Vector database", "-n", "200", "-f", "md", "-o", out]
    )
    assert code == 0
    assert (
        "warning: skipped, decision about another segment than 'Vector database': decisions/llm-1.yaml:5: "
        "outcome: approved-with-conditions needs the vendor approved: add 'vendor'"
    ) in err
    assert run_cli(["report", "-w", root, "-s", "LLM platform", "-n", "200", "-f", "md", "-o", out])[0] == 1


def test_another_segments_decision_warnings_stay_out_of_a_segment_report(
    workspace: WorkspaceFactory, run_cli: Any
) -> None:
    other = DECISION.replace("segment: Vector database", "segment: LLM platform").replace(
        "vendor: beta-vector", "vendor: gamma-llm"
    )
    root = with_decisions(workspace, ("vd-1", DECISION), ("llm-1", other.replace("id: vd-1", "id: llm-1")))
    rescore(root)  # both records now rest on changed inputs
    out = root / "card.json"
    args = [
        "export",
        "-w",
        root,
        "-n",
        "200",
        "-f",
        "json",
        "-o",
        out,
        "--as-of",
        AS_OF,
        "-s",
        "LLM platform",
    ]
    assert run_cli(args)[0] == 0
    paths = [w["path"] for w in json.loads(out.read_text())["warnings"] if w["path"].startswith("decisions/")]
    assert paths == ["decisions/llm-1.yaml"]


# --- dashboard ---------------------------------------------------------------------------------------------


def _decisions_page(root: Path, monkeypatch: pytest.MonkeyPatch) -> Any:
    from streamlit.testing.v1 import AppTest

    monkeypatch.setenv("EVALTOOL_WORKSPACE", str(root))
    app = Path(__file__).resolve().parents[1] / "evaltool" / "dashboard" / "app.py"
    at = AppTest.from_file(str(app), default_timeout=60)
    at.run()
    at.switch_page("views/decisions.py").run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def _unescaped(text: str) -> str:
    return text.replace("\\", "")


def test_dashboard_shows_the_decision_log(
    workspace: WorkspaceFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    # dated long ago, so that condition 1 is overdue whatever day the test runs
    old = DECISION.replace("2026-", "2020-").replace("2027-", "2021-").replace("id: vd-1", "id: vd-0")
    root = with_decisions(workspace, ("vd-1", DECISION), ("vd-0", old))
    (root / "decisions" / "vd-1.yaml").write_text(
        (root / "decisions" / "vd-1.yaml").read_text().replace("due: 2026-12-15", "due: 2026-11-21")
    )
    at = _decisions_page(root, monkeypatch)
    assert at.title[0].value == "Decisions"
    assert [_unescaped(s.value) for s in at.success] == [f"In force: {STATUS}"]
    assert [_unescaped(c.value) for c in at.caption if c.value.startswith("Superseded")] == [
        "Superseded: " + STATUS.replace("2026-11-20", "2020-11-20")  # bound to the same inputs: current
    ]
    in_force, superseded = (frame.value for frame in at.dataframe)
    assert list(in_force["State"]) == ["⚠ overdue", "met 2026-11-24"]
    assert list(in_force["Owner"]) == ["j.doe", "procurement"]
    assert list(superseded["State"]) == ["⚠ overdue", "met 2020-11-24"]


def test_dashboard_warns_when_the_inputs_changed(
    workspace: WorkspaceFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = with_decisions(workspace, ("vd-1", DECISION))
    rescore(root)
    at = _decisions_page(root, monkeypatch)
    assert [_unescaped(w.value) for w in at.warning if w.value.startswith("In force")] == [
        f"In force: {STATUS}{CHANGED}. The figures shown are not those the forum saw: `evaltool diff` shows "
        "what moved."
    ]
    assert not at.success


def test_no_output_is_written_over_a_decision_record(workspace: WorkspaceFactory, run_cli: Any) -> None:
    root = with_decisions(workspace, ("vd-1", DECISION))
    record = root / "decisions" / "vd-1.yaml"
    before = record.read_bytes()
    for args in (
        ["report", "-w", root, "-n", "200", "-f", "md", "-o", record],
        ["export", "-w", root, "-n", "200", "-f", "json", "-o", root / "decisions" / "card.json"],
    ):
        code, _, err = run_cli(args)
        assert code == 1
        assert err.splitlines()[-1].endswith(
            ": refused: outputs are never written into the workspace's decisions/ folder"
        )
    assert record.read_bytes() == before
    assert sorted(p.name for p in (root / "decisions").iterdir()) == ["vd-1.yaml"]
