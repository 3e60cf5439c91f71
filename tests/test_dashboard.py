"""The dashboard through Streamlit's AppTest: every page, the sidebar, the what-if path, saving, downloads.

Each test runs the real entrypoint (evaltool/dashboard/app.py) on a copy of the bundled sample workspace
or a small workspace from conftest, and asserts on concrete texts and numbers, compared where possible with
what the core computes for the same inputs. The `dashboard` command is tested with its server stubbed out;
tests/test_dashboard_browser.py runs the real server in Chromium.
"""

from __future__ import annotations

import datetime as dt
import re
import socket
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
import streamlit as st
import yaml
from streamlit import config
from streamlit.testing.v1 import AppTest

from evaltool import wording
from evaltool.dashboard import exports, frames, table_style, whatif
from evaltool.dashboard.ui import md
from evaltool.evaluation import evaluate
from evaltool.scoring import effective_weights
from evaltool.workspace import check_workspace, load_workspace

REPO = Path(__file__).resolve().parent.parent
APP = REPO / "evaltool" / "dashboard" / "app.py"
PAGES = ["overview", "compare", "what_if", "sensitivity", "vendor", "radar", "decisions", "downloads"]
EXIT_SLIDER = (
    "wi-0-catalog-cat-exit"  # What-if: the category slider of "Exit, substitutability & concentration"
)


@pytest.fixture(autouse=True)
def _error_details() -> Iterator[None]:
    """The repo's config hides exception details from users; a failing test should show them."""
    before = config.get_option("client.showErrorDetails")
    config.set_option("client.showErrorDetails", "full")
    yield
    config.set_option("client.showErrorDetails", before)


@pytest.fixture
def start(monkeypatch: pytest.MonkeyPatch) -> Callable[..., AppTest]:
    """Run the app on a workspace, optionally switching to a page (views/<page>.py)."""

    def run(root: Path, page: str | None = None, **state: Any) -> AppTest:
        monkeypatch.setenv("EVALTOOL_WORKSPACE", str(root))
        at = AppTest.from_file(str(APP), default_timeout=60)
        at.run()
        for key, value in state.items():
            at.selectbox(key=key).set_value(value) if key != "method" else at.radio(key=key).set_value(value)
            at.run()
        if page is not None:
            at.switch_page(f"views/{page}.py").run()
        assert_ok(at)
        return at

    return run


def assert_ok(at: AppTest) -> None:
    """No exception element on the page."""
    assert not at.exception, [e.value for e in at.exception]


def plain(text: str) -> str:
    """Markdown as read: escapes and bold markers removed."""
    return re.sub(r"\\(.)", r"\1", text).replace("**", "")


def texts(at: AppTest) -> list[str]:
    """Every markdown-like text on the page, unescaped."""
    kinds = (
        at.markdown,
        at.caption,
        at.success,
        at.warning,
        at.error,
        at.info,
        at.title,
        at.header,
        at.subheader,
    )
    return [plain(str(e.value)) for kind in kinds for e in kind]


def page_text(at: AppTest) -> str:
    return "\n".join(texts(at))


def open_tab(at: AppTest, key: str, segment: str) -> AppTest:
    """Open a segment's tab (only the open tab is drawn); AppTest cannot click tabs, so set their state."""
    at.session_state[key] = md(segment)
    at.run()
    assert_ok(at)
    return at


def find_table(at: AppTest, *columns: str, row: str | None = None) -> pd.DataFrame:
    """The first table with these columns (and a cell equal to `row`); AppTest exposes no dataframe keys."""
    for element in at.dataframe:
        frame = element.value
        if all(c in frame.columns for c in columns) and (
            row is None or (frame.astype(str) == row).any().any()
        ):
            return frame
    raise AssertionError(f"no table with columns {columns} and a cell {row!r}")


# --- every page -----------------------------------------------------------------------------------------


@pytest.mark.parametrize("page", PAGES)
def test_every_page_renders_on_the_sample(start: Callable[..., AppTest], sample: Path, page: str) -> None:
    at = start(sample, page)
    assert at.title, "every page has a title"
    assert [s.key for s in at.sidebar.selectbox] == ["profile", "segment"]
    assert at.sidebar.radio(key="method").value == "wsm"


def test_sidebar_summarises_the_workspace(start: Callable[..., AppTest], sample: Path) -> None:
    at = start(sample)
    sidebar = [plain(m.value) for m in at.sidebar.markdown] + [plain(c.value) for c in at.sidebar.caption]
    assert "Enterprise Data & AI/ML technology criteria" in sidebar
    assert any("Catalog version 2026.11 · 15 vendors in 5 segments" in line for line in sidebar)
    assert at.sidebar.selectbox(key="profile").options == [
        "Each segment's own profile",
        "Catalog weights",
        "Balanced enterprise evaluation (balanced)",
        "Data platform components (data-platform)",
        "LLM platform for internal assistants (llm-platform)",
        "Startup proof of concept (synthetic data only) (startup-poc)",
    ]
    assert at.sidebar.selectbox(key="segment").options[0] == "All segments"
    ws = load_workspace(sample)
    stale = sum("expired" in w.message for w in ws.warnings)
    assert stale > 0
    assert any(f"{stale} pieces of evidence past expiry" in plain(w.value) for w in at.sidebar.warning)


def test_the_pages_tables_are_built_without_streamlit() -> None:
    """frames.py holds the data of the tables; their Streamlit styling lives in table_style.py."""
    check = "import sys, evaltool.dashboard.frames; print(sorted(m for m in sys.modules if 'streamlit' in m))"
    done = subprocess.run([sys.executable, "-c", check], capture_output=True, text=True, check=True)
    assert done.stdout == "[]\n"


def test_table_colours_follow_the_codes_whatever_the_words(
    sample: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Reworded decisions keep their colours: the fill is looked up by the decision's code, and an evidence
    row's fill by its weightiest flag (Marrowfield fails reg-assurance's gate)."""
    monkeypatch.setitem(wording.DECISION_TEXT, "do-not-proceed", "hold off")
    ev = evaluate(load_workspace(sample), None, segments=["Data catalog"])
    board = frames.leaderboard(ev, ev.result.segments[0])
    assert list(board["Decision"]) == ["proceed to PoC", "conditional", "hold off"]
    fills = table_style.decision_fills(board)["Decision"]
    green, amber, pink = "#d5f5e3", "#fdebd0", "#fadbd8"
    assert list(fills) == [f"background-color: {c}" for c in (green, amber, pink)]
    rows = frames.evidence_rows(ev.result, ev.result.vendor("marrowfield"))
    gated = rows["Flags"].str.startswith("✖ fails gate")
    assert set(rows[gated][frames.FLAG_CODE]) == {"fails-gate"}
    colours = table_style.flag_rows(rows)
    assert set(colours[gated]["Criterion"]) == {"background-color: #f5b7b1"}
    assert set(colours[rows[frames.FLAG_CODE] == ""]["Criterion"]) == {""}


def test_sidebar_spells_out_a_profile_name_too_long_for_its_box(
    start: Callable[..., AppTest], sample: Path
) -> None:
    at = start(sample, profile="startup-poc")
    full = "Profile: Startup proof of concept (synthetic data only) (startup-poc)"  # 60 characters
    assert full in [plain(c.value) for c in at.sidebar.caption]
    at = start(sample, profile="balanced")  # "Balanced enterprise evaluation (balanced)": 41 characters
    assert not [c for c in at.sidebar.caption if plain(c.value).startswith("Profile:")]


def test_sidebar_counts_expired_evidence_by_its_kind_not_its_words(
    start: Callable[..., AppTest], workspace: Any
) -> None:
    """A metric criterion named com-expired-sessions has no grading: its warning says "expired", but no
    evidence is past expiry, so the note goes with the other notes, not under "past expiry"."""
    root = workspace.edited(
        ("catalog", "id: com-latency", "id: com-expired-sessions"),
        ("vendors/acme-vector", "com-latency: 35", "com-expired-sessions: 35"),
        ("vendors/beta-vector", "com-latency: 20", "com-expired-sessions: 20"),
    )
    at = start(root)
    assert not any("past expiry" in plain(w.value) for w in at.sidebar.warning)
    # com-expired-sessions' missing grading and gamma-llm's unscored weight
    assert [e.label for e in at.sidebar.expander] == ["2 other notes on the workspace"]


def test_sidebar_notes_an_inconsistent_ahp_profile(start: Callable[..., AppTest], sample: Path) -> None:
    path = sample / "criteria" / "profiles" / "data-platform.yaml"
    profile = yaml.safe_load(path.read_text(encoding="utf-8"))
    matrix = profile["ahp"]["matrix"]
    matrix[0][2], matrix[2][0] = "1/9", 9  # regulatory far below AI governance ...
    matrix[0][3], matrix[3][0] = 9, "1/9"  # ... yet far above architecture: CR about 0.29
    path.write_text(yaml.safe_dump(profile, sort_keys=False), encoding="utf-8")
    assert load_workspace(sample).profiles["data-platform"].ahp is not None
    at = start(sample, profile="catalog")
    assert not any("AHP" in plain(w.value) for w in at.sidebar.warning), "catalog weights use no AHP"
    at = start(sample)  # each segment's own profile: data-platform scores three segments
    assert any(
        "AHP judgements of this profile are inconsistent" in plain(w.value) for w in at.sidebar.warning
    )
    at = start(sample, profile="data-platform")
    notes = [plain(w.value) for w in at.sidebar.warning]
    assert any(
        re.search(r"AHP judgements of this profile are inconsistent \(CR 0\.\d{3} > 0\.10\)", n)
        for n in notes
    )


def test_overview_headline_and_leaderboard(start: Callable[..., AppTest], sample: Path) -> None:
    at = start(sample, profile="catalog")
    text = page_text(at)
    # the executive summary's sentences, in plain words
    assert (
        "Lakehouse & warehouse: take Basaltine Warehouse into a proof of concept once the gaps below are "
        "closed; Basaltine Warehouse leads with 80.7 of 100 points and stays first in 99.98 of 100 plausible "
        "weightings." in text
    )
    assert (
        "Data catalog: take Glyphwell Catalog into a proof of concept; Glyphwell Catalog leads with 70.4 of "
        "100 points and stays first in 78 of 100 plausible weightings." in text
    )
    # 54% / 46% of the weight samples: too close to call, not "Loomwright leads"
    assert (
        "MLOps platform: too close to call between Loomwright ML and Cindermoor Model Hub (first in 54 and "
        "46 of 100 plausible weightings respectively); take them into a proof of concept side by side to "
        "decide." in text
    )
    assert "Loomwright ML leads" not in text
    assert "P(first)" not in text.split("leaderboard")[0]
    # the leader's 3-year TCO (the sum of its commercial.tco in vendors/lumenvec.yaml) beside its score
    # (71.7: the 71.3 of its assessors' scores + 0.45 from the network isolation its PoC measured)
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Score"] == "71.7" and metrics["3-year TCO"] == "420,000 USD"
    assert [t.label for t in at.tabs] == [md(s) for s in load_workspace(sample).segments()]
    assert len(at.dataframe) == 2, "only the open tab is drawn: its leaderboard and due-diligence findings"
    board = find_table(open_tab(at, "overview-tabs", "Data catalog"), "Decision", row="Glyphwell Catalog")
    assert list(board["Vendor"]) == ["Glyphwell Catalog", "Cairnline Metadata", "Marrowfield Atlas"]
    assert list(board["Rank"]) == ["1", "2", "–"]
    assert board["Eligibility"][2].startswith("not eligible: reg-assurance 2 below gate >= 3")
    assert list(board["Decision"]) == ["proceed to PoC", "conditional", "do not proceed"]
    # Glyphwell's 310 ms search latency graded 5 * (2000 - 310) / 1900 on the data-catalog scale (weight 1.5%)
    assert board["Score"][0] == 70.4  # 70.37, as shown with one decimal
    for column in ("P(first)", "Coverage", "Ring", "Flags", "Security & data protection"):
        assert column in board.columns
    assert "Why: ahead of Cairnline Metadata on" in page_text(at)


def test_overview_leaderboard_says_how_much_weight_is_unscored(
    start: Callable[..., AppTest], sample: Path
) -> None:
    """Openshale leaves six criteria null; under the catalog weights they weigh 12% x 15% + 15% x 30% +
    10% x 15% + 8% x 10% + 8% x 25/110 + 8% x 15/110 = 1.8 + 4.5 + 1.5 + 0.8 + 1.82 + 1.09 = 11.5% of the
    total."""
    at = open_tab(start(sample, profile="catalog"), "overview-tabs", "Lakehouse & warehouse")
    board = find_table(at, "Coverage", row="Openshale Engine").set_index("Vendor")
    assert board.loc["Openshale Engine", "Coverage"] == 88  # 88.5%, shown whole
    assert board.loc["Openshale Engine", "Flags"].startswith("⚠ 12% of the weight unscored (counts as 0)")
    assert board.loc["Basaltine Warehouse", "Coverage"] == 100
    assert "unscored" not in board.loc["Basaltine Warehouse", "Flags"]
    at.switch_page("views/vendor.py").run()
    at.selectbox(key="vendor-detail").set_value("openshale").run()
    note = '12% of the weight unscored (counts as 0): the criteria marked "not scored" below.'
    assert note in page_text(at)


def test_profile_switch_changes_the_leaderboard(start: Callable[..., AppTest], sample: Path) -> None:
    before = find_table(
        open_tab(start(sample, profile="catalog"), "overview-tabs", "LLM platform"),
        "Decision",
        row="Halcyra AI Platform",
    )
    at = open_tab(start(sample, profile="llm-platform"), "overview-tabs", "LLM platform")
    after = find_table(at, "Decision", row="Halcyra AI Platform")
    expected = evaluate(load_workspace(sample), load_workspace(sample).profiles["llm-platform"], samples=500)
    llm = expected.result.segment("LLM platform")
    assert list(after["Vendor"]) == [v.name for v in llm.vendors]
    assert list(after["Score"]) == pytest.approx([v.score for v in llm.vendors], abs=0.05)
    assert list(after["Score"]) != pytest.approx(list(before["Score"]))
    assert "LLM platform for internal assistants" in page_text(at)


def test_segment_switch_shows_one_segment(start: Callable[..., AppTest], sample: Path) -> None:
    at = start(sample, segment="MLOps platform")
    assert not at.tabs
    assert len(at.dataframe) == 1
    headlines = [line for line in texts(at) if line.startswith("- ")]
    assert headlines == [
        "- MLOps platform: too close to call between Loomwright ML and Cindermoor Model Hub (first in 54 and "
        "46 of 100 plausible weightings respectively); take them into a proof of concept side by side to "
        "decide."
    ]


def test_topsis_method_scores_closeness(start: Callable[..., AppTest], sample: Path) -> None:
    at = start(sample, segment="Vector database", method="topsis")
    board = at.dataframe[0].value
    assert all(0 <= s <= 1 for s in board["Score"])
    assert "TOPSIS closeness (0-1)" in page_text(at)


# --- what-if --------------------------------------------------------------------------------------------


def test_whatif_slider_changes_the_mlops_leader_and_reset_restores(
    start: Callable[..., AppTest], sample: Path
) -> None:
    at = start(sample, "what_if", segment="MLOps platform")
    assert at.slider(key=EXIT_SLIDER).value == 8.0
    assert any("Still leading: MLOps platform: Loomwright ML (71.0)" in plain(s.value) for s in at.success)

    at.slider(key=EXIT_SLIDER).set_value(6.0).run()
    assert_ok(at)
    assert [plain(w.value) for w in at.main.warning] == [
        "- MLOps platform: Cindermoor Model Hub now leads with 71.3 (was Loomwright ML)"
    ]
    table = find_table(at, "Move", row="Veldtrace")
    assert list(table["Vendor"][:2]) == ["Cindermoor Model Hub", "Loomwright ML"]
    assert list(table["Move"]) == ["▲ 1", "▼ 1", "—"]
    assert table["Change"][0] > 0 > table["Change"][1]
    assert list(table["Was"][:2]) == ["2 (70.8)", "1 (71.0)"]

    at.button(key="whatif-reset").click().run()
    assert_ok(at)
    assert at.slider(key="wi-1-catalog-cat-exit").value == 8.0
    assert not at.main.warning
    assert list(find_table(at, "Move", row="Veldtrace")["Move"]) == ["=", "=", "—"]


def test_whatif_unmoved_shows_the_overview_numbers(start: Callable[..., AppTest], sample: Path) -> None:
    """With no slider moved, P(first) on What-if is the Overview's, from the same 10,000 samples."""
    overview = find_table(start(sample, segment="MLOps platform"), "Decision", row="Veldtrace")
    at = start(sample, "what_if", segment="MLOps platform")
    whatif_board = find_table(at, "Move", row="Veldtrace")
    assert list(whatif_board["Vendor"]) == list(overview["Vendor"])
    assert list(whatif_board["Score"]) == list(overview["Score"])
    assert list(whatif_board["P(first)"].fillna(-1)) == list(overview["P(first)"].fillna(-1))
    assert list(whatif_board["Decision"]) == list(overview["Decision"])
    assert "P(first) under the what-if weights rests on 10,000 weight samples." in page_text(at)


def test_whatif_monte_carlo_follows_the_page_it_compares_with() -> None:
    """rerank draws with the samples, seed and concentration it is given, as the evaluation it mirrors."""
    ws = load_workspace(REPO)
    adjustment = whatif.baseline(effective_weights(ws.catalog, None))
    settings = {"samples": 700, "seed": 5, "concentration": 30.0}
    ours = whatif.rerank(ws, None, adjustment, segments=["MLOps platform"], **settings)  # type: ignore[arg-type]
    theirs = evaluate(ws, None, segments=["MLOps platform"], **settings)  # type: ignore[arg-type]
    assert (ours.sensitivity.samples, ours.sensitivity.seed, ours.sensitivity.concentration) == (700, 5, 30.0)
    assert ours.sensitivity.vendors == theirs.sensitivity.vendors


def test_whatif_criterion_adjustment(start: Callable[..., AppTest], sample: Path) -> None:
    at = start(sample, "what_if", segment="MLOps platform")
    at.selectbox(key="wi-0-catalog-crit-cat").set_value("commercial").run()
    assert at.slider(key="wi-0-catalog-crit-com-tco").value == 36.4  # 40 / 110 of its category
    at.slider(key="wi-0-catalog-crit-com-tco").set_value(20.0).run()
    assert_ok(at)
    assert "Adjusted: 3-year total cost of ownership 20.0% of its category" in page_text(at)
    assert "Cindermoor Model Hub now leads" in page_text(at)
    weights = find_table(at, "What-if")
    assert weights["Change"].abs().max() < 1e-9, (
        "moving a criterion within its category leaves category weights"
    )


def test_whatif_follows_the_profile(start: Callable[..., AppTest], sample: Path) -> None:
    """With an AHP profile the sliders start at the AHP category weights and the baseline is the profile."""
    at = start(sample, "what_if", profile="data-platform")
    ws = load_workspace(sample)
    shares = effective_weights(ws.catalog, ws.profiles["data-platform"]).categories
    assert at.slider(key="wi-0-data-platform-cat-architecture").value == round(
        100 * shares["architecture"], 1
    )
    table = find_table(at, "Move", row="Lumenvec Cloud")
    assert set(table["Move"]) <= {"=", "—"}
    assert list(table["Change"]) == pytest.approx([0.0] * len(table))


def test_save_as_profile_writes_a_valid_new_file(
    start: Callable[..., AppTest], sample: Path, run_cli: Callable[..., tuple[int, str, str]]
) -> None:
    at = start(sample, "what_if", profile="catalog")
    at.slider(key=EXIT_SLIDER).set_value(12.0).run()
    at.text_input(key="whatif-save-id").input("exit-heavy")
    at.text_input(key="whatif-save-name").input("Exit & lock-in first")
    at.button(key="whatif-save").click().run()
    assert_ok(at)
    assert [plain(s.value) for s in at.success][-1].startswith("Saved criteria/profiles/exit-heavy.yaml")
    saved = sample / "criteria" / "profiles" / "exit-heavy.yaml"
    text = saved.read_text(encoding="utf-8")
    assert "name: Exit & lock-in first" in text
    # the catalog's categories weigh 100 in all, exit 8: the slider's 12 is written as 12, nothing else
    assert yaml.safe_load(text)["weights"] == {"exit": 12}
    code, out, _ = run_cli(["validate", "--workspace", sample])
    assert code == 0
    assert "exit-heavy" not in out, "no problem, not even a warning, about the saved file"
    ws = load_workspace(sample)
    assert ws.profiles["exit-heavy"].name == "Exit & lock-in first"
    saved_eval = evaluate(ws, ws.profiles["exit-heavy"], samples=200)
    assert saved_eval.result.segment("MLOps platform").leader.name == "Loomwright ML"  # type: ignore[union-attr]
    at.run()
    assert "Exit & lock-in first (exit-heavy)" in at.sidebar.selectbox(key="profile").options

    at.button(key="whatif-save").click().run()  # the same id again
    assert_ok(at)
    assert "a profile 'exit-heavy' already exists" in plain(at.error[-1].value)
    assert saved.read_text(encoding="utf-8") == text


TEAM_PROFILE = """\
id: team
name: Team weights
weights:
  regulatory: 30
  security: 20
  ai-governance: 20
  architecture: 20
  functional: 30
  operations: 20
  viability: 20
  exit: 20   # lock-in matters to us
  commercial: 20
  arc-open-standards: 30
"""


def test_save_as_profile_keeps_the_profiles_scale(start: Callable[..., AppTest], sample: Path) -> None:
    """Categories weighing 200 in all: exit's 20 shows as 10% on its slider; moved to 15%, it is written
    as 15 x 200 / 100 = 30 and every other weight stays as written (30/210 = 15/105 of the total)."""
    (sample / "criteria" / "profiles" / "team.yaml").write_text(TEAM_PROFILE, encoding="utf-8")
    at = start(sample, "what_if", profile="team")
    assert at.slider(key="wi-0-team-cat-exit").value == 10.0
    at.slider(key="wi-0-team-cat-exit").set_value(15.0).run()
    at.text_input(key="whatif-save-id").input("team-exit")
    at.text_input(key="whatif-save-name").input("Team, more exit")
    at.button(key="whatif-save").click().run()
    assert_ok(at)
    saved = (sample / "criteria" / "profiles" / "team-exit.yaml").read_text(encoding="utf-8")
    before = yaml.safe_load(TEAM_PROFILE)["weights"]
    assert yaml.safe_load(saved)["weights"] == {**before, "exit": 30}
    assert list(yaml.safe_load(saved)["weights"]) == list(before), "in the profile's own order"
    ws = load_workspace(sample)
    shares = effective_weights(ws.catalog, ws.profiles["team-exit"]).categories
    assert shares["exit"] == pytest.approx(30 / 210)
    assert shares["regulatory"] == pytest.approx(30 / 210)


def test_save_as_profile_writes_an_adjusted_criterion_on_its_categorys_scale() -> None:
    """Commercial's criteria in the catalog weigh com-tco 40 and 70 for the others; com-tco set to 60% of
    its category needs x / (x + 70) = 0.6, so x = 105, and the others are not written (still the
    catalog's)."""
    ws = load_workspace(REPO)
    base = effective_weights(ws.catalog, None)
    others = sum(k.weight for c in ws.catalog.categories if c.id == "commercial" for k in c.criteria
                 if k.id != "com-tco")  # fmt: skip
    assert others == 70
    adjustment = whatif.Adjustment(whatif.baseline(base).categories, {"com-tco": 0.6})
    assert whatif.profile_weights(ws.catalog, None, base, adjustment, digits=4) == {"com-tco": 105}


@pytest.mark.parametrize(
    ("profile_id", "name", "message"),
    [
        ("balanced", "Mine", "a profile 'balanced' already exists; choose another id (nothing was written)"),
        ("Exit Heavy", "Mine", "'Exit Heavy' is not a valid id"),
        ("../vendors/x", "Mine", "'../vendors/x' is not a valid id"),
        ("fine-id", "  ", "give the profile a name"),
    ],
)
def test_save_as_profile_refuses(
    start: Callable[..., AppTest], sample: Path, profile_id: str, name: str, message: str
) -> None:
    before = {p: p.read_bytes() for p in (sample / "criteria" / "profiles").iterdir()}
    at = start(sample, "what_if")
    at.text_input(key="whatif-save-id").input(profile_id)
    at.text_input(key="whatif-save-name").input(name)
    at.button(key="whatif-save").click().run()
    assert_ok(at)
    assert message in plain(at.error[-1].value)
    assert {p: p.read_bytes() for p in (sample / "criteria" / "profiles").iterdir()} == before
    assert not (sample / "vendors" / "x.yaml").exists()


# --- compare, sensitivity, vendor, radar, downloads ------------------------------------------------------


def test_compare_picks_vendors(start: Callable[..., AppTest], sample: Path) -> None:
    at = start(sample, "compare")
    at.selectbox(key="compare-segment").set_value("MLOps platform").run()
    picker = at.multiselect(key="compare-vendors-MLOps platform")
    assert picker.value == ["loomwright", "cindermoor", "veldtrace"]
    picker.set_value(["cindermoor", "loomwright"]).run()
    assert_ok(at)
    table = find_table(at, "Spread")
    assert {"Cindermoor Model Hub · grade", "Loomwright ML · points", "Loomwright ML · evidence"} <= set(
        table.columns
    )
    assert "Veldtrace · grade" not in table.columns
    assert len(table) == len(load_workspace(sample).catalog.criteria())
    differ = next(line for line in texts(at) if " gains " in line).splitlines()
    assert len(differ) == 5
    assert differ[0].startswith(
        "- 3-year total cost of ownership (2.9% of the weight): Loomwright ML gains 1.4 points over "
    )
    assert len(at.get("plotly_chart")) == 2

    at.toggle(key="compare-only-diff").set_value(True).run()
    assert (find_table(at, "Spread")["Spread"] > 0).all()


def test_compare_needs_two_vendors(start: Callable[..., AppTest], sample: Path) -> None:
    at = start(sample, "compare")
    at.multiselect(key="compare-vendors-Vector database").set_value(["lumenvec"]).run()
    assert_ok(at)
    assert "Pick at least two vendors." in [plain(w.value) for w in at.warning]


def test_sensitivity_flip_points_in_words(start: Callable[..., AppTest], sample: Path) -> None:
    at = start(sample, "sensitivity", segment="MLOps platform")
    text = page_text(at)
    assert (  # the report's sentence
        "Loomwright ML stays ahead unless the weight of 3-year total cost of ownership falls from "
        "2.9% to 2.4% (then Cindermoor Model Hub leads)."
    ) in text
    assert (
        "Loomwright ML stays ahead unless the weight of the Exit, substitutability & concentration category"
    ) in text
    assert "10,000 weight samples, seed 42, concentration 100" in text
    assert "a criterion weighing 10% typically lands between 7.0% and 13.0% (±3.0 points)" in text
    stability = find_table(at, "P(top two)")
    assert stability["P(first)"][0] == pytest.approx(53, abs=1)
    assert len(at.get("plotly_chart")) == 3


def test_sensitivity_controls(start: Callable[..., AppTest], sample: Path) -> None:
    at = start(sample, "sensitivity", segment="MLOps platform")
    at.number_input(key="sens-samples").set_value(2000)
    at.number_input(key="sens-seed").set_value(7)
    at.number_input(key="sens-concentration").set_value(25.0).run()
    assert_ok(at)
    text = page_text(at)
    assert "2,000 weight samples, seed 7, concentration 25" in text
    expected = evaluate(
        load_workspace(sample), segments=["MLOps platform"], samples=2000, seed=7, concentration=25
    )
    p_top = expected.sensitivity.vendors["loomwright"].p_top
    assert find_table(at, "P(top two)")["P(first)"][0] == pytest.approx(100 * p_top, abs=0.5)


def test_vendor_detail_flags_stale_evidence_and_disagreement(
    start: Callable[..., AppTest], sample: Path
) -> None:
    at = start(sample, "vendor", profile="catalog")
    at.selectbox(key="vendor-detail").set_value("lumenvec").run()
    assert_ok(at)
    assert at.header[0].value == "Lumenvec Cloud"
    text = page_text(at)
    assert "Expired evidence: Vulnerability management & secure SDLC (expired 2026-10-31)" in text
    # the finished PoC measured network isolation, where the assessors were 2 points apart: the PoC's
    # score replaces theirs, so nothing is left to disagree on, and the PoC moves Lumenvec to trial
    assert "Assessors disagree" not in text
    assert "Proceed to PoC: leads the segment; first in 88% of weight samples" in text
    assert "Suggested radar ring: Trial" in text
    assert "Network isolation & tenancy measured in PoC on 2026-10-09: 4 (assessors 3)" in text
    evidence = find_table(at, "Rubric")
    network = evidence[evidence["Criterion"] == "Network isolation & tenancy"]
    assert list(network["Level"]) == ["poc, measured in PoC, 2026-10-09"]
    stale = evidence[evidence["Flags"].str.contains("expired")]
    assert list(stale["Criterion"]) == ["Vulnerability management & secure SDLC"]
    assert stale["Expires"].iloc[0] == "2026-10-31"
    assert evidence["Rubric"].str.len().min() > 0
    assert {"Evidence", "Level", "Source", "Assessor"} <= set(evidence.columns)
    assert not find_table(at, "Success criterion").empty

    at.toggle(key="vendor-flagged").set_value(True).run()
    assert (find_table(at, "Rubric")["Flags"] != "").all()


def test_only_flagged_scores_says_when_nothing_is_flagged(
    start: Callable[..., AppTest], sample: Path
) -> None:
    at = start(sample, "vendor")
    at.selectbox(key="vendor-detail").set_value("glyphwell").run()
    at.toggle(key="vendor-flagged").set_value(True).run()
    assert_ok(at)
    note = "Nothing flagged: no failed gate, expired evidence, disagreement or missing score."
    assert note in page_text(at)
    assert not any("Rubric" in e.value.columns for e in at.dataframe), "no empty grid"


def test_only_flagged_scores_keeps_the_criteria_left_null(
    start: Callable[..., AppTest], sample: Path
) -> None:
    """vendors/openshale.yaml writes `ai-explainability: null`, `fit-poc-results: null` and four more."""
    at = start(sample, "vendor", profile="catalog")
    at.selectbox(key="vendor-detail").set_value("openshale").run()
    at.toggle(key="vendor-flagged").set_value(True).run()
    flagged = find_table(at, "Rubric")
    assert list(flagged["Criterion"]) == [
        k.name
        for c in load_workspace(sample).catalog.categories
        for k in c.criteria
        if k.id in {"ai-explainability", "fit-poc-results", "ops-latency", "ven-insurance", "ext-continuity",
                    "com-value"}
    ]  # fmt: skip
    assert set(flagged["Flags"]) == {"not scored"}


def test_vendor_detail_keeps_failed_gates_among_the_flagged_scores(
    start: Callable[..., AppTest], sample: Path
) -> None:
    """Marrowfield fails reg-assurance and reg-audit-rights (2 below gate >= 3), with nothing else amiss."""
    at = start(sample, "vendor", profile="catalog")
    at.selectbox(key="vendor-detail").set_value("marrowfield").run()
    at.toggle(key="vendor-flagged").set_value(True).run()
    assert_ok(at)
    flagged = find_table(at, "Rubric")
    gated = flagged[flagged["Flags"].str.contains("fails gate")]
    assert list(gated["Criterion"]) == [
        "Independent assurance coverage",
        "Audit, access & regulator cooperation rights",
    ]
    assert set(gated["Flags"]) == {"✖ fails gate (2 below gate >= 3)"}


@pytest.mark.parametrize("profile_id", [None, "balanced", "data-platform", "llm-platform", "startup-poc"])
def test_every_failed_gate_is_a_flagged_score(profile_id: str | None) -> None:
    ws = load_workspace(REPO)
    result = evaluate(ws, ws.profile(profile_id), samples=100).result
    failures = 0
    for v in result.vendors():
        rows = frames.evidence_rows(result, v)
        names = {k.id: k.name for k in result.criteria}
        for criterion in v.failed_gates:
            failures += 1
            flags = rows[rows["Criterion"] == names[criterion]]["Flags"]
            assert not flags.empty and flags.str.contains("✖ fails gate").all(), (v.id, criterion)
    assert failures > 0, "the sample fails a gate under every profile"


def test_vendor_detail_shows_each_assessors_own_score(start: Callable[..., AppTest], sample: Path) -> None:
    """vendors/ferrovane.yaml: j.doe gave ai-data-use 3.5, r.osei 3; the cell's median is 3.25."""
    at = start(sample, "vendor")
    at.selectbox(key="vendor-detail").set_value("ferrovane").run()
    assert_ok(at)
    evidence = find_table(at, "Rubric")
    rows = evidence[evidence["Criterion"] == "Customer data use, retention & training"]
    assert list(rows["Assessor"]) == ["j.doe", "r.osei"]
    assert list(rows["Score"]) == [3.5, 3.0]
    assert list(rows["Median"]) == [3.25, 3.25]
    assert list(rows["Grade"]) == [3.25, 3.25]
    # the report's rule: the highest rubric level at or below the score, 3 for both 3.5 and 3
    doe, osei = rows["Rubric"]
    assert (
        doe
        == osei
        == "level 3: No training by default, documented; prompt/abuse-monitoring retention <= 30 days"
    )
    assert "no-training clause agreed" in rows["Evidence"].iloc[0]


def test_vendor_detail_facts_read_yes_or_no(start: Callable[..., AppTest], sample: Path) -> None:
    """vendors/lumenvec.yaml says `trains_on_customer_data: false`."""
    at = start(sample, "vendor")
    at.selectbox(key="vendor-detail").set_value("lumenvec").run()
    assert_ok(at)
    facts = find_table(at, "Fact")
    values = dict(zip(facts["Fact"], facts["Value"], strict=True))
    assert values["trains_on_customer_data"] == "no"
    assert values["founded"] == "2021"


def test_vendor_detail_follows_the_segment(start: Callable[..., AppTest], sample: Path) -> None:
    at = start(sample, "vendor", profile="catalog", segment="Data catalog")
    assert at.selectbox(key="vendor-detail").options == [
        "Glyphwell Catalog · Data catalog",
        "Cairnline Metadata · Data catalog",
        "Marrowfield Atlas · Data catalog",
    ]
    at.selectbox(key="vendor-detail").set_value("marrowfield").run()
    assert "Do not proceed: fails gate" in page_text(at)
    gates = find_table(at, "Gate")
    assert (gates["Result"] == "FAILED").sum() == 2


# conftest's workspace: com-latency has no grading, so Acme's and Beta's latencies are graded min-max
# within Vector database; Gamma, alone in LLM platform, has no latency value.
RELATIVE = (
    "Graded relative to the other vendors of the segment: adding or removing a vendor moves this score: "
    "p95 query latency (com-latency)."
)


def test_overview_notes_relative_grading_per_segment(start: Callable[..., AppTest], workspace: Any) -> None:
    at = start(workspace())
    assert RELATIVE in [plain(str(w.value)) for w in at.warning]  # the Vector database tab is open
    board = find_table(at, "Decision", row="Acme Vector")
    assert list(board["Flags"].str.contains("graded relative to the segment ×1")) == [True, True]
    open_tab(at, "overview-tabs", "LLM platform")
    assert "Graded relative" not in page_text(at)


def test_vendor_detail_notes_relative_grading(start: Callable[..., AppTest], workspace: Any) -> None:
    at = start(workspace(), "vendor")
    at.selectbox(key="vendor-detail").set_value("acme-vector").run()
    assert RELATIVE in [plain(str(w.value)) for w in at.warning]
    evidence = find_table(at, "Rubric")
    flagged = evidence[evidence["Flags"].str.contains("graded relative to the segment")]
    assert list(flagged["Criterion"]) == ["p95 query latency"]
    assert flagged["Rubric"].iloc[0].startswith("min-max: graded relative to the other vendors")
    at.selectbox(key="vendor-detail").set_value("gamma-llm").run()
    assert "Graded relative" not in page_text(at)


def test_absolute_grading_leaves_no_relative_note(start: Callable[..., AppTest], workspace: Any) -> None:
    root = workspace.edited(("catalog", "", "        grading: {best: 10, worst: 500}\n"))
    at = start(root)
    assert "Graded relative" not in page_text(at)
    assert not find_table(at, "Decision", row="Acme Vector")["Flags"].str.contains("relative").any()
    at.switch_page("views/vendor.py").run()
    at.selectbox(key="vendor-detail").set_value("acme-vector").run()
    assert "Graded relative" not in page_text(at)
    assert not find_table(at, "Rubric")["Flags"].str.contains("relative").any()


def test_vendor_detail_shows_the_grading_of_the_vendors_segment(
    start: Callable[..., AppTest], workspace: Any
) -> None:
    segments = "segments: {LLM platform: {best: 300000, worst: 3000000}}"
    root = workspace.edited(("catalog", "worst: 1000000}", f"worst: 1000000, {segments}}}"))
    at = start(root, "vendor")
    for vendor, text in (
        ("acme-vector", "graded linearly: 100,000 → 5, 1,000,000 → 0"),
        ("gamma-llm", "graded linearly: 300,000 → 5, 3,000,000 → 0"),
    ):
        at.selectbox(key="vendor-detail").set_value(vendor).run()
        evidence = find_table(at, "Rubric")
        assert set(evidence[evidence["Criterion"] == "3-year total cost of ownership"]["Rubric"]) == {text}


def test_radar_places_every_vendor(start: Callable[..., AppTest], sample: Path) -> None:
    at = start(sample, "radar")
    table = find_table(at, "Suggested ring")
    assert len(table) == 15
    assert set(table["Suggested ring"]) <= {"Adopt", "Trial", "Assess", "Hold"}
    basaltine = table[table["Vendor"] == "Basaltine Warehouse"].iloc[0]
    # declared adopt and strong, but conditional (gaps to close): never drawn in adopt
    assert (basaltine["Suggested ring"], basaltine["Declared ring"]) == ("Trial", "Adopt")
    assert sum(int(m.value) for m in at.metric) == 15


def test_downloads_offer_five_files_named_like_the_cli(start: Callable[..., AppTest], sample: Path) -> None:
    at = start(sample, "downloads", segment="Lakehouse & warehouse", profile="balanced")
    assert [b.label for b in at.download_button] == [
        f"Download .{k}" for k in ("html", "md", "xlsx", "csv", "json")
    ]
    today = dt.date.today().isoformat()
    names = [plain(c.value) for c in at.caption if c.value.startswith("lakehouse")]
    assert names == [
        f"lakehouse-warehouse-balanced-{today}.html",
        f"lakehouse-warehouse-balanced-{today}.md",
        f"lakehouse-warehouse-balanced-{today}-scorecard.xlsx",
        f"lakehouse-warehouse-balanced-{today}-scorecard.csv",
        f"lakehouse-warehouse-balanced-{today}-scorecard.json",
    ]
    commands = [c.value for c in at.code]
    assert commands[0] == (
        f"evaltool report --format html --profile balanced --segment 'Lakehouse & warehouse' --as-of {today}"
    )


_VOLATILE = re.compile(
    r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2}(?:\+00:00|Z)?|[0-9a-f]{8}(?:-[0-9a-f]{4}){3}-[0-9a-f]{12}"
)


@pytest.mark.parametrize("key", ["html", "md", "csv", "json"])
def test_download_bytes_are_the_cli_bytes(
    sample: Path, tmp_path: Path, run_cli: Callable[..., tuple[int, str, str]], key: str
) -> None:
    ws = load_workspace(sample)
    evaluation = evaluate(ws, ws.profiles["balanced"], segments=["MLOps platform"])
    ours = exports.content(evaluation, "MLOps platform", key)
    command = "report" if key in ("html", "md") else "export"
    out = tmp_path / exports.file_name(evaluation, "MLOps platform", key)
    args = [command, "--workspace", sample, "--profile", "balanced", "--segment", "MLOps platform"]
    code, _, err = run_cli([*args, "--format", key, "--out", out])
    assert code == 0, err
    theirs = out.read_bytes()
    assert _VOLATILE.sub("<t>", ours.decode("utf-8")) == _VOLATILE.sub("<t>", theirs.decode("utf-8"))


def test_xlsx_download_matches_the_cli(
    sample: Path, tmp_path: Path, run_cli: Callable[..., tuple[int, str, str]]
) -> None:
    from openpyxl import load_workbook

    ws = load_workspace(sample)
    # each segment with its own profile: what the dashboard and the CLI open on
    evaluation = evaluate(ws, None, segment_profiles=ws.segment_profiles())
    ours, theirs = tmp_path / "ours.xlsx", tmp_path / "theirs.xlsx"
    ours.write_bytes(exports.content(evaluation, None, "xlsx"))
    code, _, err = run_cli(["export", "--workspace", sample, "--format", "xlsx", "--out", theirs])
    assert code == 0, err

    def cells(path: Path) -> dict[str, list[tuple[Any, ...]]]:
        book = load_workbook(path, read_only=True)
        return {
            sheet.title: [tuple(_VOLATILE.sub("<t>", c) if isinstance(c, str) else c for c in row)
                          for row in sheet.iter_rows(values_only=True)]
            for sheet in book.worksheets
        }  # fmt: skip

    assert cells(ours) == cells(theirs)
    assert (
        exports.file_name(evaluation, None, "xlsx")
        == f"all-segments-per-segment-{ws.as_of.isoformat()}-scorecard.xlsx"
    )
    code, out, err = run_cli(["export", "--workspace", sample, "--format", "xlsx"])
    assert code == 0, err
    assert Path(out.strip()).name == exports.file_name(evaluation, None, "xlsx")


# --- invalid, small and hostile workspaces, sign-in -----------------------------------------------------


def test_invalid_workspace_lists_every_problem(start: Callable[..., AppTest], workspace: Any) -> None:
    root = workspace.edited(
        ("vendors/beta-vector", "sec-encryption: 2", "sec-encryption: 9"),
        ("vendors/acme-vector", "kind: startup", "kind: startup\ncolour: blue"),
    )
    at = start(root)
    problems = [str(p) for p in check_workspace(root)[1] if not p.warning]
    assert len(problems) >= 2
    assert at.title[0].value == "The workspace has problems"
    shown = at.code[0].value.splitlines()
    assert shown == problems
    assert any(re.match(r"vendors/beta-vector\.yaml:\d+: scores\.sec-encryption: ", line) for line in shown)
    assert any(
        re.match(r"vendors/acme-vector\.yaml:\d+: colour: unknown key 'colour'", line) for line in shown
    )
    assert not at.sidebar.selectbox and not at.dataframe
    assert "Traceback" not in page_text(at)


def test_missing_workspace_folder(start: Callable[..., AppTest], tmp_path: Path) -> None:
    at = start(tmp_path / "nowhere")
    assert "is not a folder" in at.code[0].value


@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize("shape", ["one vendor", "one segment"])
def test_small_workspaces_render(
    start: Callable[..., AppTest], workspace: Any, page: str, shape: str
) -> None:
    removed = {"beta-vector": None, "gamma-llm": None} if shape == "one vendor" else {"gamma-llm": None}
    at = start(workspace(vendors=removed), page)
    assert at.title
    if page == "overview" and shape == "one vendor":
        assert "it is the only vendor of the segment, so there is nobody to compare it with" in page_text(at)
    if page == "compare" and shape == "one vendor":
        assert "is the only vendor assessed in Vector database" in page_text(at)
    if page == "compare" and shape == "one segment":
        assert find_table(at, "Spread").shape[0] == 5


def test_yaml_text_is_shown_as_text(start: Callable[..., AppTest], workspace: Any) -> None:
    hostile = (
        '"**Acme** ![x](http://evil.example/x.png) <img src=x onerror=alert(1)> [go](javascript:alert(1))"'
    )
    root = workspace.edited(("vendors/acme-vector", "name: Acme Vector", f"name: {hostile}"))
    name = load_workspace(root).vendors[0].name
    for page in PAGES:
        at = start(root, page)
        bodies = [
            str(e.value)
            for kind in (at.markdown, at.caption, at.warning, at.success, at.header)
            for e in kind
        ]
        bodies += [m.label + str(m.value) for m in at.metric]
        assert not any(name in body for body in bodies), page
        for body in (b for b in bodies if "Acme" in b):
            assert "![" not in body and "](" not in body and not re.search(r"(?<!\\)<", body), (page, body)
            assert md(name) in body
    assert md(name).startswith(r"\*\*Acme\*\* \!\[x\]\(http\:\/\/evil")


def test_sign_in_required_when_auth_is_configured(
    start: Callable[..., AppTest], sample: Path, monkeypatch: Any
) -> None:
    monkeypatch.setenv("EVALTOOL_WORKSPACE", str(sample))
    at = AppTest.from_file(str(APP), default_timeout=60)
    at.secrets["auth"] = {
        "redirect_uri": "http://127.0.0.1:8501/oauth2callback",
        "cookie_secret": "test-secret",
        "client_id": "evaltool",
        "client_secret": "test",
        "server_metadata_url": "https://login.example.com/.well-known/openid-configuration",
    }
    at.user = {"is_logged_in": False}
    at.run()
    assert_ok(at)
    assert at.button(key="login").label == "Sign in"
    assert not at.dataframe and not at.sidebar.selectbox, "nothing is shown before sign-in"

    at.user = {"is_logged_in": True, "email": "cio@example.com", "name": "CIO"}
    at.run()
    assert_ok(at)
    assert at.dataframe
    assert "Signed in as cio@example.com" in [plain(c.value) for c in at.sidebar.caption]


def test_no_sign_in_without_auth(start: Callable[..., AppTest], sample: Path) -> None:
    at = start(sample)
    with pytest.raises(KeyError):
        at.button(key="login")


# --- what-if logic ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("profile_id", [None, "balanced", "data-platform", "llm-platform", "startup-poc"])
def test_whatif_baseline_is_the_profile(profile_id: str | None) -> None:
    ws = load_workspace(REPO)
    profile = ws.profile(profile_id)
    base = effective_weights(ws.catalog, profile)
    adjustment = whatif.baseline(base)
    rebuilt = whatif.whatif_profile(ws.catalog, profile, base, adjustment)
    assert rebuilt.ahp is None
    again = effective_weights(ws.catalog, rebuilt)
    assert again.criteria == pytest.approx(base.criteria, abs=1e-12)
    ours = whatif.rerank(ws, profile, adjustment, samples=500).result
    assert [v.score for v in ours.vendors()] == [
        v.score for v in evaluate(ws, profile, samples=500).result.vendors()
    ]


def test_whatif_criterion_share_scales_the_rest_of_its_category() -> None:
    ws = load_workspace(REPO)
    base = effective_weights(ws.catalog, None)
    adjusted = whatif.effective(
        ws.catalog, base, whatif.Adjustment(whatif.baseline(base).categories, {"com-tco": 0.6})
    )
    commercial = [k.id for c in ws.catalog.categories if c.id == "commercial" for k in c.criteria]
    assert adjusted["com-tco"] == pytest.approx(base.categories["commercial"] * 0.6)
    assert sum(adjusted[k] for k in commercial) == pytest.approx(base.categories["commercial"])
    rest = [k for k in commercial if k != "com-tco"]
    assert [adjusted[k] / sum(adjusted[j] for j in rest) for k in rest] == pytest.approx(
        [base.within[k] / sum(base.within[j] for j in rest) for k in rest]
    )
    assert sum(adjusted.values()) == pytest.approx(1.0)


def test_whatif_needs_some_weight() -> None:
    ws = load_workspace(REPO)
    base = effective_weights(ws.catalog, None)
    with pytest.raises(ValueError, match="at least one category"):
        whatif.effective(ws.catalog, base, whatif.Adjustment({c: 0.0 for c in base.categories}))


# --- the command ------------------------------------------------------------------------------------------


@pytest.fixture
def served(monkeypatch: pytest.MonkeyPatch) -> list[tuple[list[str], dict[str, str], Path]]:
    """Stub out the server: record what `evaltool dashboard` would run."""
    calls: list[tuple[list[str], dict[str, str], Path]] = []

    def serve(command: list[str], env: dict[str, str], cwd: Path) -> int:
        calls.append((command, env, cwd))
        return 0

    monkeypatch.setattr("evaltool.commands.dashboard.serve", serve)
    return calls


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_dashboard_command_serves_locally(
    served: list[Any], sample: Path, run_cli: Callable[..., Any]
) -> None:
    port = _free_port()
    code, out, err = run_cli(["dashboard", "--workspace", sample, "--port", port])
    assert code == 0, err
    assert f"http://127.0.0.1:{port}" in out
    [(command, env, cwd)] = served
    assert command[1:5] == ["-m", "streamlit", "run", str(APP)]
    options = dict(zip(command[5::2], command[6::2], strict=True))
    assert options["--server.address"] == "127.0.0.1"
    assert options["--server.port"] == str(port)
    assert options["--browser.gatherUsageStats"] == "false"
    assert options["--server.headless"] == "true"
    assert options["--server.fileWatcherType"] == "none"
    assert options["--global.developmentMode"] == "false"
    assert env["EVALTOOL_WORKSPACE"] == str(sample.resolve())
    assert cwd == sample.resolve()
    assert err == ""


def test_dashboard_command_host_warns(served: list[Any], sample: Path, run_cli: Callable[..., Any]) -> None:
    code, _, err = run_cli(["dashboard", "--workspace", sample, "--port", _free_port(), "--host", "0.0.0.0"])
    assert code == 0
    assert served[0][0][served[0][0].index("--server.address") + 1] == "0.0.0.0"
    assert "anyone who can reach this address can open the dashboard" in err


def test_dashboard_command_default_port(
    served: list[Any], sample: Path, run_cli: Callable[..., Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("evaltool.commands.dashboard._port_free", lambda host, port: True)
    code, out, _ = run_cli(["dashboard", "--workspace", sample])
    assert code == 0
    command = served[0][0]
    assert command[command.index("--server.port") + 1] == "8501"
    assert "http://127.0.0.1:8501" in out


def test_dashboard_command_port_in_use(served: list[Any], sample: Path, run_cli: Callable[..., Any]) -> None:
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        code, _, err = run_cli(["dashboard", "--workspace", sample, "--port", port])
    assert code == 2
    assert f"port {port} on 127.0.0.1 is in use; choose another with --port" in err
    assert not served


def test_dashboard_command_missing_workspace(
    served: list[Any], tmp_path: Path, run_cli: Callable[..., Any]
) -> None:
    code, _, err = run_cli(["dashboard", "--workspace", tmp_path / "nowhere"])
    assert code == 2
    assert "is not a folder" in err
    assert not served


# --- sign-in settings -------------------------------------------------------------------------------------

AUTH = {
    "redirect_uri": "http://127.0.0.1:8501/oauth2callback",
    "cookie_secret": "a-long-random-string",
    "client_id": "evaltool",
    "client_secret": "s3cret",
    "server_metadata_url": "https://login.example.com/.well-known/openid-configuration",
}
STOP = "; the dashboard does not start until it is fixed"
NEEDS = "sign-in needs redirect_uri, cookie_secret, client_id, client_secret and server_metadata_url"
BROKEN_PAGE = (
    "Sign-in is configured for this dashboard, but its settings could not be loaded, so nothing is shown."
)


def _auth_toml(**changes: str | None) -> str:
    """An [auth] section in TOML: AUTH with keys changed, or dropped where the value is None."""
    values = {**AUTH, **changes}
    return "[auth]\n" + "".join(f'{k} = "{v}"\n' for k, v in values.items() if v is not None)


def _secrets(folder: Path, content: str | bytes) -> Path:
    """Write FOLDER/.streamlit/secrets.toml (text, or raw bytes)."""
    path = folder / ".streamlit" / "secrets.toml"
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return path


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty home folder: the machine user's own ~/.streamlit/secrets.toml stays out of the tests."""
    path = tmp_path / "home"
    path.mkdir()
    monkeypatch.setenv("HOME", str(path))
    return path


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (
            "[auth]\nredirect_uri = http://127.0.0.1:8501/oauth2callback\n",
            "invalid TOML: Invalid value (at line 2, column 16)",
        ),
        (
            '[auth\nclient_id = "x"\n',
            "invalid TOML: Expected ']' at the end of a table declaration (at line 1, column 6)",
        ),
        (b'[auth]\nclient_id = "caf\xe9"\n', "not valid UTF-8 text (byte 23)"),
    ],
    ids=["unquoted-value", "unclosed-table", "latin-1"],
)
def test_dashboard_refuses_a_broken_secrets_file(
    served: list[Any],
    sample: Path,
    home: Path,
    run_cli: Callable[..., Any],
    content: str | bytes,
    message: str,
) -> None:
    path = _secrets(sample, content)
    code, out, err = run_cli(["dashboard", "--workspace", sample, "--port", _free_port()])
    assert (code, out, err) == (1, "", f"{path.resolve()}: {message}{STOP}\n")
    assert not served


def test_dashboard_refuses_an_unreadable_secrets_file(
    served: list[Any], sample: Path, home: Path, run_cli: Callable[..., Any]
) -> None:
    path = sample.resolve() / ".streamlit" / "secrets.toml"
    path.mkdir(parents=True)  # a folder where the file should be (file modes do not stop root)
    code, out, err = run_cli(["dashboard", "--workspace", sample, "--port", _free_port()])
    assert (code, out, err) == (1, "", f"{path}: cannot be read: Is a directory{STOP}\n")
    assert not served


@pytest.mark.parametrize(
    ("changes", "lacking"),
    [
        ({"client_secret": None, "server_metadata_url": None}, "client_secret, server_metadata_url"),
        ({"redirect_uri": None, "client_id": " "}, "redirect_uri, client_id"),
    ],
    ids=["two-missing", "missing-and-blank"],
)
def test_dashboard_refuses_auth_without_required_keys(
    served: list[Any],
    sample: Path,
    home: Path,
    run_cli: Callable[..., Any],
    changes: dict[str, str | None],
    lacking: str,
) -> None:
    path = _secrets(sample, _auth_toml(**changes))
    code, out, err = run_cli(["dashboard", "--workspace", sample, "--port", _free_port()])
    assert (code, out, err) == (1, "", f"{path.resolve()}: [auth] lacks {lacking}; {NEEDS}\n")
    assert not served


def test_dashboard_checks_the_global_secrets_file_too(
    served: list[Any], sample: Path, home: Path, run_cli: Callable[..., Any]
) -> None:
    """A broken ~/.streamlit/secrets.toml makes Streamlit drop the workspace's valid [auth] as well."""
    _secrets(sample, _auth_toml())
    broken = _secrets(home, 'token = "abc\n')
    code, _, err = run_cli(["dashboard", "--workspace", sample, "--port", _free_port()])
    message = "invalid TOML: Illegal character '\\n' (at line 1, column 13)"
    assert (code, err) == (1, f"{broken}: {message}{STOP}\n")
    assert not served


def test_dashboard_reports_every_broken_secrets_file(
    served: list[Any], sample: Path, home: Path, run_cli: Callable[..., Any]
) -> None:
    first = _secrets(home, "[auth\n")
    second = _secrets(sample, "[auth]\nclient_id = x\n")
    code, _, err = run_cli(["dashboard", "--workspace", sample, "--port", _free_port()])
    assert code == 1
    assert err.splitlines() == [
        f"{first}: invalid TOML: Expected ']' at the end of a table declaration (at line 1, column 6){STOP}",
        f"{second.resolve()}: invalid TOML: Invalid value (at line 2, column 13){STOP}",
    ]


def test_dashboard_checks_the_auth_section_that_wins(
    served: list[Any], sample: Path, home: Path, run_cli: Callable[..., Any]
) -> None:
    """Streamlit merges the files key by key at the top: the workspace's [auth] replaces the global one."""
    _secrets(home, _auth_toml())
    path = _secrets(sample, f'[auth]\nredirect_uri = "{AUTH["redirect_uri"]}"\n')
    code, _, err = run_cli(["dashboard", "--workspace", sample, "--port", _free_port()])
    lacking = "cookie_secret, client_id, client_secret, server_metadata_url"
    assert (code, err) == (1, f"{path.resolve()}: [auth] lacks {lacking}; {NEEDS}\n")


def test_dashboard_checks_the_secrets_file_beside_the_app(
    served: list[Any], sample: Path, home: Path, tmp_path: Path, run_cli: Callable[..., Any], monkeypatch: Any
) -> None:
    app = tmp_path / "installed" / "app.py"
    monkeypatch.setattr("evaltool.commands.dashboard.APP", app)
    broken = _secrets(app.parent, "[auth]\ncookie_secret = \n")
    code, _, err = run_cli(["dashboard", "--workspace", sample, "--port", _free_port()])
    assert (code, err) == (1, f"{broken}: invalid TOML: Invalid value (at line 2, column 17){STOP}\n")


@pytest.mark.parametrize("configured", [True, False], ids=["with-auth", "without-secrets"])
def test_dashboard_starts_with_sound_or_no_secrets(
    served: list[Any], sample: Path, home: Path, run_cli: Callable[..., Any], configured: bool
) -> None:
    """It starts; the server is told to read exactly the files that were checked.

    A `secrets.files` setting in the workspace's config.toml would otherwise point Streamlit elsewhere (to
    no file at all: no secrets, no sign-in); the command line overrides it.
    """
    if configured:
        _secrets(sample, _auth_toml())
    (sample / ".streamlit").mkdir(exist_ok=True)
    (sample / ".streamlit" / "config.toml").write_text('[secrets]\nfiles = ["/nowhere/secrets.toml"]\n')
    code, out, err = run_cli(["dashboard", "--workspace", sample, "--port", _free_port()])
    assert (code, err) == (0, "")
    assert "evaltool dashboard: http://127.0.0.1:" in out
    [(command, _, _)] = served
    files = [command[i + 1] for i, arg in enumerate(command) if arg == "--secrets.files"]
    assert files == [
        str(home / ".streamlit" / "secrets.toml"),
        str(sample.resolve() / ".streamlit" / "secrets.toml"),
        str(APP.parent / ".streamlit" / "secrets.toml"),
    ]


@pytest.fixture
def use_secrets(home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Callable[..., None]]:
    """Point Streamlit at these secrets files (its `secrets.files`), from a folder without any."""
    monkeypatch.chdir(tmp_path)
    before = config.get_option("secrets.files")

    def use(*paths: Path) -> None:
        config.set_option("secrets.files", [str(p) for p in paths])
        st.secrets._reset()  # forget secrets loaded by an earlier run

    yield use
    config.set_option("secrets.files", before)
    st.secrets._reset()


def _assert_error_page_only(at: AppTest, root: Path) -> None:
    """A title and the sign-in error; no sidebar, no data, no vendor name, no way in."""
    assert_ok(at)
    assert [t.value for t in at.title] == ["Technology evaluation"]
    [error] = at.error
    assert error.value.startswith(BROKEN_PAGE)
    assert len(at.main.children) == 2 and len(at.sidebar.children) == 0
    assert not at.button and not at.dataframe and not at.markdown
    names = [yaml.safe_load(p.read_text(encoding="utf-8"))["name"] for p in (root / "vendors").glob("*.yaml")]
    assert len(names) == 15
    assert not any(name in at.title[0].value + error.value for name in names)


def _broken_auth(home: Path, sample: Path) -> list[Path]:
    return [home / ".streamlit" / "secrets.toml", _secrets(sample, "[auth]\nredirect_uri = http://x/\n")]


def _broken_global_file(home: Path, sample: Path) -> list[Path]:
    return [_secrets(home, 'token = "abc\n'), _secrets(sample, _auth_toml())]


def _unreadable(home: Path, sample: Path) -> list[Path]:
    folder = sample / ".streamlit" / "secrets.toml"
    folder.mkdir(parents=True)
    return [home / ".streamlit" / "secrets.toml", folder]


@pytest.mark.parametrize("arrange", [_broken_auth, _broken_global_file, _unreadable])
def test_broken_sign_in_shows_nothing(
    sample: Path, home: Path, use_secrets: Callable[..., None], monkeypatch: Any, arrange: Any
) -> None:
    """Streamlit loads no secrets at all here; the app must not take that as "no sign-in configured"."""
    use_secrets(*arrange(home, sample))
    monkeypatch.setenv("EVALTOOL_WORKSPACE", str(sample))
    at = AppTest.from_file(str(APP), default_timeout=60).run()
    _assert_error_page_only(at, sample)


def test_sign_in_settings_elsewhere_still_count(
    sample: Path, home: Path, use_secrets: Callable[..., None], monkeypatch: Any
) -> None:
    """`secrets.files` pointed away from the workspace's [auth]: Streamlit's default places count too."""
    _secrets(sample, _auth_toml())
    use_secrets(sample / "nowhere.toml")
    monkeypatch.chdir(sample)
    monkeypatch.setenv("EVALTOOL_WORKSPACE", str(sample))
    at = AppTest.from_file(str(APP), default_timeout=60).run()
    _assert_error_page_only(at, sample)


def test_incomplete_auth_section_shows_nothing(sample: Path, monkeypatch: Any) -> None:
    monkeypatch.setenv("EVALTOOL_WORKSPACE", str(sample))
    at = AppTest.from_file(str(APP), default_timeout=60)
    at.secrets["auth"] = {k: v for k, v in AUTH.items() if k != "client_secret"}
    at.user = {"is_logged_in": False}
    at.run()
    _assert_error_page_only(at, sample)


def test_scoring_an_invalid_workspace_names_its_problems(tmp_path: Path, monkeypatch: Any) -> None:
    """The pages only open on a valid workspace; asked anyway, the loader says what is wrong with it."""
    from evaltool.dashboard import data
    from evaltool.errors import InputError

    monkeypatch.setenv("EVALTOOL_WORKSPACE", str(tmp_path))
    loaded = data.load()
    assert loaded.workspace is None
    problems = (
        "criteria/catalog.yaml: not found: a workspace needs criteria/catalog.yaml\n"
        "vendors: warning: no vendor files yet: add vendors/<id>.yaml"
    )
    with pytest.raises(InputError) as caught:
        data.evaluation(loaded, data.Selection(None, None, "wsm"))
    assert str(caught.value) == problems
    with pytest.raises(InputError) as caught:
        loaded.valid()
    assert str(caught.value) == problems
