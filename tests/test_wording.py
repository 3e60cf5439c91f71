"""One voice: the CLI, the report and the dashboard say the same thing about the same result.

Each idea (a flip point, a decision, a vendor's status, a gate, the rubric level a score reaches) is worded
once, in evaltool.wording. These tests render one cell of a workspace through the three outputs: the CLI
in-process (cli_runner.invoke), the report (render_markdown) and the dashboard (its frame builders, or the
page through AppTest), read each as a person would (Markdown escapes and bold markers removed), and assert
that they agree, and agree with a sentence written out here by hand.
"""

from __future__ import annotations

import ast
import datetime as dt
import html
import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from cli_runner import invoke
from streamlit.testing.v1 import AppTest

from evaltool import wording
from evaltool.analysis import Flip
from evaltool.dashboard import frames
from evaltool.evaluation import Evaluation, evaluate
from evaltool.reports import render_markdown
from evaltool.workspace import load_workspace

REPO = Path(__file__).resolve().parent.parent
APP = REPO / "evaltool" / "dashboard" / "app.py"
MLOPS, CATALOGS = "MLOps platform", "Data catalog"


def read(markdown: str) -> str:
    """Markdown as a person reads it: backslash escapes, entities and bold markers resolved."""
    return html.unescape(re.sub(r"\\(.)", r"\1", markdown.replace("**", "")))


def cells(line: str) -> list[str]:
    """The cells of a Markdown table row (escaped pipes stay inside their cell), as read."""
    return [read(c).strip() for c in re.split(r"(?<!\\)\|", line)[1:-1]]


def cli(*args: Any) -> str:
    code, out, err = invoke(args)
    assert code == 0, err
    return out


def cli_lines(out: str, indent: str = "") -> list[str]:
    """Lines of prose printed at `indent`, each rejoined: a wrapped line continues two spaces deeper."""
    lines: list[str] = []
    open_line = False
    for line in out.splitlines():
        depth = len(line) - len(line.lstrip(" "))
        if open_line and depth == len(indent) + 2:
            lines[-1] += " " + line.strip()
        elif open_line := depth == len(indent) and bool(line.strip()):
            lines.append(line.strip())
    return lines


def cli_row(out: str, vendor: str) -> list[str]:
    """A row of a CLI table printed to a pipe: columns are separated by two spaces or more, and a wrapped
    cell goes on in the same column on the next lines (those indented past the vendor's column)."""
    lines = out.splitlines()
    at = next(i for i, line in enumerate(lines) if f"  {vendor}  " in line)
    cell = re.compile(r"\S+(?: \S+)*")
    found = list(cell.finditer(lines[at]))
    starts, cells = [m.start() for m in found], [m.group() for m in found]
    for line in lines[at + 1 :]:
        if not line.strip() or len(line) - len(line.lstrip()) <= lines[at].index(vendor):
            break
        for m in cell.finditer(line):
            cells[starts.index(m.start())] += " " + m.group()
    return cells


@pytest.fixture(scope="module")
def sample() -> Any:
    """The bundled sample workspace, loaded once."""
    return load_workspace(REPO)


def evaluation_of(sample: Any, segment: str) -> Evaluation:
    """One segment of the sample under the catalog's own weights (`--profile catalog`; the CLI's default for
    MLOps platform, which no profile names), 10,000 samples, seed 42."""
    return evaluate(sample, None, segments=[segment])


# --- the same cell through the three outputs -------------------------------------------------------------

CRITERION_FLIP = (
    "Loomwright ML stays ahead unless the weight of 3-year total cost of ownership falls from 2.9% to 2.4% "
    "(then Cindermoor Model Hub leads)."
)
CATEGORY_FLIP = (
    "Loomwright ML stays ahead unless the weight of the Exit, substitutability & concentration category "
    "falls from 8.0% to 7.3% (then Cindermoor Model Hub leads)."
)


def test_a_flip_point_reads_the_same_in_cli_report_and_dashboard(sample: Any) -> None:
    """The CLI used to print "12.3% to 12.3%" where the report printed "12.31% to 12.34%", a category
    "X (category)", and "; then B leads."; the dashboard ", then B leads" without a period."""
    out = cli("sensitivity", "-w", REPO, "--segment", MLOPS)
    in_cli = [line for line in cli_lines(out, "  ") if " stays ahead " in line]
    ev = evaluation_of(sample, MLOPS)
    report = [
        read(line[2:])
        for line in render_markdown(ev).splitlines()
        if line.startswith("- ") and " stays ahead " in line
    ]
    criteria, categories, _ = frames.flip_sentences(ev, ev.result.segments[0])
    dashboard = [read(line) for line in criteria + categories]
    for sentence in (CRITERION_FLIP, CATEGORY_FLIP):
        assert sentence in in_cli
        assert sentence in report
        assert sentence in dashboard
    assert in_cli[0] == report[0] == dashboard[0] == CRITERION_FLIP  # the nearest flip comes first


def test_a_decision_label_reads_the_same_in_cli_report_and_dashboard(
    sample: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Glyphwell Catalog leads the data catalogs with nothing to close under the catalog's own weights (its
    own profile, data-platform, asks for more evidence): "Proceed to PoC" everywhere, where the CLI printed
    "PROCEED TO POC" and the dashboard's vendor page "Proceed to poc"."""
    row = cli_row(
        cli("recommend", "-w", REPO, "--segment", CATALOGS, "--profile", "catalog"), "Glyphwell Catalog"
    )
    assert row[1:4] == ["Glyphwell Catalog", "70.4", "Proceed to PoC"]
    ev = evaluation_of(sample, CATALOGS)
    assert "#### Glyphwell Catalog: Proceed to PoC" in render_markdown(ev)
    board = frames.leaderboard(ev, ev.result.segments[0])
    assert board[board["Vendor"] == "Glyphwell Catalog"]["Decision"].tolist() == ["proceed to PoC"]
    monkeypatch.setenv("EVALTOOL_WORKSPACE", str(REPO))
    at = AppTest.from_file(str(APP), default_timeout=60)
    at.run()
    at.selectbox(key="profile").set_value("catalog").run()
    at.switch_page("views/vendor.py").run()
    at.selectbox(key="vendor-detail").set_value("glyphwell").run()
    assert not at.exception, [e.value for e in at.exception]
    assert read(at.success[0].value).startswith("Proceed to PoC: leads the segment")


def test_a_rubric_anchor_reads_the_same_in_cli_report_and_dashboard(sample: Any) -> None:
    """vendors/lumenvec.yaml scores fit-maturity 3.5: the rubric level reached is 3, the highest at or
    below the score (the dashboard used to show levels 3 and 4 side by side)."""
    anchor = "level 3: Core features GA for 12 months or more, with production references"
    rows = cli("score", "-w", REPO, "--explain", "lumenvec", "--format", "json")
    in_cli = next(r for r in json.loads(rows)["criteria"] if r["criterion"] == "fit-maturity")
    ev = evaluation_of(sample, "Vector database")
    markdown = render_markdown(ev)
    section = markdown[markdown.index("### Lumenvec Cloud (Vector database, score") :]
    line = next(line for line in section.splitlines() if "(fit-maturity)" in line)
    evidence = frames.evidence_rows(ev.result, ev.result.vendor("lumenvec"))
    name = next(k.name for k in ev.result.criteria if k.id == "fit-maturity")
    in_dashboard = evidence[evidence["Criterion"] == name]["Rubric"].tolist()
    assert in_cli["raw"] == 3.5
    assert in_cli["rubric"].startswith(anchor)
    assert cells(line)[4] == in_cli["rubric"]
    assert in_dashboard == [in_cli["rubric"]]


@pytest.fixture
def eighth(workspace: Any) -> Path:
    """A vendor with one eighth of the weight scored (not assessed) beside one fully scored."""
    catalog = (
        'catalog: Eighths\nversion: "1"\nsegments: [S]\ncategories:\n  - id: all\n    name: All\n'
        "    criteria:\n      - {id: one, name: One, weight: 1}\n"
        "      - {id: seven, name: Seven, weight: 7}\n"
    )
    vendors = {
        "part": "id: part\nname: Part\nsegment: S\nscores: {one: 4}\n",
        "full": "id: full\nname: Full\nsegment: S\nscores: {one: 3, seven: 3}\n",
    }
    profiles = dict.fromkeys(workspace.PROFILES)
    root: Path = workspace(
        catalog=catalog, profiles=profiles, vendors={**dict.fromkeys(workspace.VENDORS), **vendors}
    )
    return root


def test_a_vendors_status_reads_the_same_in_cli_report_and_dashboard(eighth: Path) -> None:
    """1/8 = 12.5% of the weight scored reads 13% (half up) everywhere; the CLI and the dashboard used to
    print Python's half-even "12%", and the CLI in capitals."""
    status = "not assessed: 13% of the weight scored"
    assert cli_row(cli("score", "-w", eighth), "Part (part)")[-1] == status
    ev = evaluate(load_workspace(eighth), None, samples=200)
    option = next(line for line in render_markdown(ev).splitlines() if line.startswith("| Part (part) |"))
    assert cells(option)[-1] == status
    board = frames.leaderboard(ev, ev.result.segments[0])
    assert board[board["Vendor"] == "Part"]["Eligibility"].tolist() == [status]


def test_a_metric_gate_reads_the_same_in_cli_report_and_dashboard(workspace: Any) -> None:
    """A 3-year TCO gate of 800,000 USD (lower is better): gamma-llm's 900,000 USD fails it. The reason
    used to print "900000 USD above gate <= 800000 USD" beside the report's "<= 800,000 USD"."""
    root = workspace.edited(
        ("catalog", "        grading: {best: 100000", "        gate: 800000\n        grading: {best: 100000"),
        # a claimed quote: the gate is at risk in a PoC, so the plan lists it
        ("vendors/acme-vector", "114\n        level: documented", "114\n        level: claimed"),
    )
    reason = "com-tco 900,000 USD above gate <= 800,000 USD"
    assert cli_row(cli("score", "-w", root), "Gamma LLM (gamma-llm)")[-1] == f"not eligible: {reason}"
    ev = evaluate(load_workspace(root), None, samples=200)
    markdown = render_markdown(ev)
    option = next(line for line in markdown.splitlines() if line.startswith("| Gamma LLM (gamma-llm) |"))
    # the report words it for leadership, with the same figures
    assert cells(option)[-1] == (
        "not eligible: fails 3-year total cost of ownership (measured 900,000 USD, the requirement is at "
        "most 800,000 USD)"
    )
    gate = next(
        line for line in markdown.splitlines() if line.startswith("| 3-year total cost of ownership (")
    )
    assert cells(gate)[:2] == ["3-year total cost of ownership (com-tco)", "<= 800,000 USD"]
    segment = ev.result.segment("LLM platform")
    assert frames.leaderboard(ev, segment)["Eligibility"].tolist() == [f"not eligible: {reason}"]
    plan = ev.recommendations["acme-vector"].plan
    assert plan is not None
    assert "keep 3-year total cost of ownership <= 800,000 USD (now 240,000 USD; low confidence)" in (
        plan.exit_gates
    )


# --- one table of words ----------------------------------------------------------------------------------


def test_rewording_a_decision_changes_it_in_cli_report_and_dashboard(
    sample: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(wording.DECISION_TEXT, "proceed", "go ahead with a PoC")
    # under the catalog's own weights, where Glyphwell has nothing to close
    row = cli_row(
        cli("recommend", "-w", REPO, "--segment", CATALOGS, "--profile", "catalog"), "Glyphwell Catalog"
    )
    assert row[3] == "Go ahead with a PoC"
    ev = evaluation_of(sample, CATALOGS)
    markdown = render_markdown(ev)
    assert "#### Glyphwell Catalog: Go ahead with a PoC" in markdown
    assert "A candidate is *go ahead with a PoC* when nothing needs closing first" in markdown
    assert "proceed to PoC" not in markdown.replace("Proceed to PoC", "proceed to PoC")
    board = frames.leaderboard(ev, ev.result.segments[0])
    assert board["Decision"].tolist()[0] == "go ahead with a PoC"
    assert board[frames.DECISION_CODE].tolist()[0] == "proceed"  # colours key on the code


DECISION_WORDS = ("proceed to PoC", "do not proceed")


def _literals(path: Path) -> list[str]:
    """The string constants of a module, f-string parts included, docstrings left out."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    docstrings = {
        id(node.body[0].value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef)
        and node.body
        and isinstance(node.body[0], ast.Expr)
        and isinstance(node.body[0].value, ast.Constant)
    }
    return [
        node.value
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings
    ]


def test_no_module_but_wording_spells_out_a_decision() -> None:
    package = REPO / "evaltool"
    holders = {
        path.relative_to(package).as_posix()
        for path in package.rglob("*.py")
        for text in _literals(path)
        if any(words.lower() in text.lower() for words in DECISION_WORDS)
    }
    assert holders == {"wording.py"}
    templates = [p for p in (package / "reports" / "templates").iterdir() if p.is_file()]
    assert not [p.name for p in templates for w in DECISION_WORDS if w.lower() in p.read_text().lower()]


# --- the sentences themselves ----------------------------------------------------------------------------

NAMES = {"a": "A", "b": "B"}
WEIGHTS = {"c": "C", "cat": "Security"}


@pytest.mark.parametrize(
    ("weight", "at", "expected"),
    [
        (0.032, 0.0337, "rises from 3.2% to 3.4%"),
        (0.053, 0.025, "falls from 5.3% to 2.5%"),
        (0.0301, 0.0304, "rises from 3.01% to 3.04%"),
        (0.1231, 0.1234, "rises from 12.31% to 12.34%"),
    ],
)
def test_flip_sentence_shows_enough_digits_to_tell_the_weights_apart(
    weight: float, at: float, expected: str
) -> None:
    flip = Flip("S", "criterion", "c", weight, "a", at, "b")
    assert (
        wording.flip_sentence(flip, NAMES, WEIGHTS)
        == f"A stays ahead unless the weight of C {expected} (then B leads)."
    )


def test_a_flip_that_never_happens_says_so() -> None:
    flip = Flip("S", "criterion", "c", 0.1, "a", None, None)
    assert (
        wording.flip_sentence(flip, NAMES, WEIGHTS) == "A stays ahead whatever the weight of C (now 10.0%)."
    )


def test_a_category_flip_names_the_category_and_emphasises_for_its_medium() -> None:
    flip = Flip("S", "category", "cat", 0.2, "a", 0.15, "b")
    bold: Callable[[str], str] = lambda text: f"<b>{text}</b>"  # noqa: E731
    assert wording.flip_sentence(flip, {"a": "A&B", "b": "C<D"}, WEIGHTS, strong=bold, esc=str.upper) == (
        "<b>A&B</b> stays ahead unless the weight of the <b>SECURITY</b> category falls from 20.0% to 15.0% "
        "(then C<D leads)."
    )


def test_a_vendor_named_like_a_criterion_keeps_its_own_name_in_the_flip_points(workspace: Any) -> None:
    """Vendor ids and criterion ids may coincide (vendors/sec-logging.yaml): the report used to look both
    up in one table, so the leader read "Audit logging stays ahead ..."."""
    acme = workspace.text("vendors/acme-vector").replace("id: acme-vector", "id: sec-logging")
    beta = workspace.text("vendors/beta-vector").replace("id: beta-vector", "id: com-support")
    root = workspace(
        vendors={"acme-vector": None, "beta-vector": None, "sec-logging": acme, "com-support": beta}
    )
    ev = evaluate(load_workspace(root), None, samples=200, segments=["Vector database"])
    flips = [read(line[2:]) for line in render_markdown(ev).splitlines() if " stays ahead " in line]
    assert flips
    assert {line.split(" stays ahead ")[0] for line in flips} <= {"Acme Vector", "Beta Vector"}


def test_a_decision_label_raises_only_its_first_letter() -> None:
    assert [wording.decision_label(d) for d in wording.DECISION_TEXT] == [
        "Proceed to PoC",
        "Conditional",
        "Do not proceed",
        "Not assessed",
    ]
    assert [wording.ring_label(r) for r in wording.RING_TEXT] == ["Adopt", "Trial", "Assess", "Hold"]


@pytest.fixture
def criterion() -> Any:
    """sec-encryption of the default workspace: rubric levels 0, 3 and 5 only."""
    from evaltool.models import Criterion

    return Criterion.model_validate(
        {"id": "enc", "name": "Encryption", "rubric": {0: "None", 3: "Customer-managed keys", 5: "HSM"}}
    )


@pytest.mark.parametrize(
    ("score", "anchor"),
    [
        (0, "level 0: None"),
        (2.5, "level 0: None"),
        (3, "level 3: Customer-managed keys"),
        (4.5, "level 3: Customer-managed keys"),
        (5, "level 5: HSM"),
        (None, ""),
    ],
)
def test_the_rubric_anchor_is_the_highest_level_at_or_below_the_score(
    criterion: Any, score: float | None, anchor: str
) -> None:
    assert wording.rubric_anchor(criterion, score) == anchor


def test_a_vendors_flags_read_the_same_in_the_cli_and_the_dashboard(sample: Any) -> None:
    # vendors/basaltine.yaml: ven-insurance evidence expired on 2026-11-01
    expected = "expired evidence ×1"
    row = cli_row(cli("score", "-w", REPO, "--segment", "Lakehouse & warehouse", "--as-of", "2026-11-30"),
                  "Basaltine Warehouse (basaltine)")  # fmt: skip
    assert row[-1] == expected
    ev = evaluate(
        load_workspace(REPO, dt.date(2026, 11, 30)), None, segments=["Lakehouse & warehouse"], samples=200
    )
    board = frames.leaderboard(ev, ev.result.segments[0])
    assert board.loc[board["Vendor"] == "Basaltine Warehouse", "Flags"].item() == f"⚠ {expected}"


def test_a_segments_leader_cell_reads_the_same_in_the_report_and_the_wording(sample: Any) -> None:
    ev = evaluation_of(sample, "MLOps platform")
    verdict = ev.verdicts["MLOps platform"]
    cell = wording.leader_cell(verdict, ev.result.segments[0].vendors, "wsm")
    assert cell == "too close to call: Loomwright ML (71.0) / Cindermoor Model Hub (70.8)"
    assert f"| MLOps platform | {cell} |" in read(render_markdown(ev))
