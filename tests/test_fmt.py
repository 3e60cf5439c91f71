"""One way to print a number: evaltool.fmt, and the same text in the CLI, the report and the dashboard.

Expected texts are rounded by hand (half up on the decimal digits a person reads, e.g. 2.25% -> 2.3%) or
with integer arithmetic. The dashboard's tables are printed by the browser with printf formats
(sprintf-js: ``%.Nf`` is ``Number.prototype.toFixed``, which takes the binary value and breaks a tie
towards the larger number; ``%.Ng`` is ``toPrecision``; ``%g`` is ``String(value)``): :func:`browser_text`
replays that on the frame's value, so a test reads the cell as a person sees it.
"""

from __future__ import annotations

import dataclasses
import json
import re
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from cli_runner import invoke
from streamlit.testing.v1 import AppTest

from evaltool import fmt
from evaltool.dashboard import frames, table_style, ui
from evaltool.evaluation import Evaluation, evaluate
from evaltool.reports import render_html, render_markdown
from evaltool.workspace import load_workspace

REPO = Path(__file__).resolve().parent.parent
APP = REPO / "evaltool" / "dashboard" / "app.py"

# One category, so that a criterion's share of its category is also its effective weight:
# 225, 1250, 5 and 8520 of 10,000 are weights of 0.0225, 0.125, 0.0005 and 0.852.
CATALOG = """\
catalog: Formats
version: "1"
segments: [S]
categories:
  - id: all
    name: Everything
    criteria:
      - {id: small, name: Small, weight: 225}
      - id: eighth
        name: Eighth
        weight: 1250
        type: metric
        grading: {best: 5, worst: 0}
      - {id: tiny, name: Tiny, weight: 5}
      - {id: rest, name: Rest, weight: 8520}
"""
# Half of the weight on `small`, half on `eighth`: a vendor graded 3 and 3.125 scores
# 100 * (0.5 * 3 + 0.5 * 3.125) / 5 = 61.25 exactly, which reads 61.3.
HALVES = """\
id: halves
name: Halves
weights: {small: 50, eighth: 50, tiny: 0, rest: 0}
"""
VENDORS = {
    "acme": "id: acme\nname: Acme\nsegment: S\nscores: {small: 3, eighth: 3.125, tiny: 1, rest: 1}\n",
    "beta": "id: beta\nname: Beta\nsegment: S\nscores: {small: 1, eighth: 1, tiny: 1, rest: 1}\n",
}


@pytest.fixture
def formats(tmp_path: Path) -> Path:
    (tmp_path / "criteria" / "profiles").mkdir(parents=True)
    (tmp_path / "vendors").mkdir()
    (tmp_path / "criteria" / "catalog.yaml").write_text(CATALOG, encoding="utf-8")
    (tmp_path / "criteria" / "profiles" / "halves.yaml").write_text(HALVES, encoding="utf-8")
    for vendor_id, text in VENDORS.items():
        (tmp_path / "vendors" / f"{vendor_id}.yaml").write_text(text, encoding="utf-8")
    return tmp_path


def browser_text(pattern: str, value: float) -> str:
    """What Streamlit's number column shows for `value` with the printf `pattern` (sprintf-js)."""
    match = re.fullmatch(r"%(\+?)(?:\.(\d+))?([fg])(%%)?", pattern)
    assert match, pattern
    sign, digits, kind, percent = match.groups()
    exact = abs(Decimal(value))  # the binary value itself, as JavaScript rounds it
    if kind == "f":
        text = str(exact.quantize(Decimal(1).scaleb(-int(digits)), rounding=ROUND_HALF_UP))
    elif digits is not None:  # toPrecision, then back to a number and to its shortest text
        step = Decimal(1).scaleb(exact.adjusted() - int(digits) + 1) if exact else Decimal(1)
        text = repr(float(exact.quantize(step, rounding=ROUND_HALF_UP))).removesuffix(".0")
    else:
        text = repr(float(exact)).removesuffix(".0")
    prefix = "-" if value < 0 else "+" if sign else ""
    return prefix + text + ("%" if percent else "")


def shown(frame: pd.DataFrame, config: dict[str, Any], column: str) -> list[str]:
    """A table column as the browser prints it."""
    pattern = config[column]["type_config"]["format"]
    return [browser_text(pattern, value) for value in frame[column]]


# --- the rule ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (fmt.pct(0.0225), "2.3%"),  # Python's own "%" format says 2.2%
        (fmt.pct(0.125), "12.5%"),
        (fmt.pct(0.125, 0), "13%"),  # Python says 12%
        (fmt.pct(0.0005), "0.1%"),
        (fmt.pct(0.0005, 2), "0.05%"),
        (fmt.pct(0.0225, 2), "2.25%"),
        (fmt.pct(0.0), "0.0%"),
        (fmt.pct(1.0, 0), "100%"),
        (fmt.score(61.25, "wsm"), "61.3"),  # Python says 61.2
        (fmt.score(0.6125, "topsis"), "0.613"),  # binary 0.61249999...: Python says 0.612
        (fmt.points(21.25), "21.3"),
        (fmt.fixed(-0.25, 1), "-0.3"),  # half away from zero
        (fmt.fixed(-0.04, 1), "0.0"),  # a rounded zero has no sign
        (fmt.fixed(0.04, 1, sign=True), "+0.0"),
        (fmt.fixed(-1.25, 1, sign=True), "-1.3"),
        (fmt.grade(3.125), "3.13"),
        (fmt.grade(3.25), "3.25"),
        (fmt.grade(4.0), "4"),
        (fmt.coverage(0.875), "88%"),
        (fmt.coverage(0.996), "99.6%"),
        (fmt.coverage(0.9995), "99.95%"),  # 99.95 rounds to 100.0 with one decimal
        (fmt.coverage(1.0), "100%"),
        (fmt.interval(59.25, 61.35), "59.3 – 61.4"),
        (fmt.pct_pair(0.0225, 0.0226), ("2.25%", "2.26%")),  # both read 2.3% with one decimal
    ],
)
def test_half_up_on_the_decimal_digits(text: object, expected: object) -> None:
    assert text == expected


def test_every_sample_share_reads_the_same_in_text_and_in_a_table() -> None:
    """All 10,001 P(first) values of a 10,000-sample run, whole and with one decimal (integer arithmetic)."""
    for k in range(10_001):
        share = k / 10_000  # k / 100 percent
        whole, tenths = (k + 50) // 100, (k + 5) // 10
        assert fmt.pct(share, 0) == f"{whole}%"
        assert fmt.pct(share, 1) == f"{tenths // 10}.{tenths % 10}%"
        assert browser_text("%.0f%%", fmt.percent(share, 0)) == f"{whole}%"
        assert browser_text("%.1f%%", fmt.percent(share, 1)) == f"{tenths // 10}.{tenths % 10}%"


def test_every_quarter_hundredth_score_reads_the_same_in_text_and_in_a_table() -> None:
    """Scores k / 400 on 0..100 (every tie at one and two decimals), as text and as a table prints them."""
    for k in range(40_001):
        value = k / 400
        tenths, hundredths = (k + 20) // 40, (k + 2) // 4
        assert fmt.fixed(value, 1) == f"{tenths // 10}.{tenths % 10}"
        assert fmt.fixed(value, 2) == f"{hundredths // 100}.{hundredths % 100:02d}"
        assert browser_text("%.1f", fmt.rounded(value, 1)) == fmt.fixed(value, 1)
        assert browser_text("%+.2f", fmt.rounded(value, 2)) == "+" + fmt.fixed(value, 2)
        assert browser_text("%g", fmt.rounded(value / 20, 2)) == fmt.grade(value / 20)


# --- one text everywhere ----------------------------------------------------------------------------------

WEIGHTS = {"small": "2.3%", "eighth": "12.5%", "tiny": "0.1%", "rest": "85.2%"}
EFFECTIVE = {"small": "2.25%", "eighth": "12.50%", "tiny": "0.05%", "rest": "85.20%"}


def test_cli_weights_print_the_shared_percentages(formats: Path) -> None:
    code, out, err = invoke(["weights", "-w", formats])
    assert code == 0, err
    for criterion, share in WEIGHTS.items():
        line = next(line for line in out.splitlines() if line.strip().startswith(criterion))
        assert line.split()[-2:] == [share, EFFECTIVE[criterion]], line


def test_report_prints_the_shared_percentages(formats: Path) -> None:
    ev = evaluate(load_workspace(formats), None, samples=200)
    markdown, html = render_markdown(ev), render_html(ev)
    for criterion, share in WEIGHTS.items():
        name = criterion.capitalize()
        assert f"| {name} | {criterion} | " in markdown
        row = next(line for line in markdown.splitlines() if line.startswith(f"| {name} | {criterion} | "))
        assert f"| {share} | {share} |" in row, row
        assert share in html


def test_dashboard_tables_print_the_shared_percentages(formats: Path) -> None:
    ev = evaluate(load_workspace(formats), None, samples=200)
    result, segment = ev.result, ev.result.segments[0]
    frame, _ = frames.comparison(result, segment, ["acme", "beta"])
    config = table_style.comparison_config(frame)
    assert shown(frame, config, "Weight") == list(WEIGHTS.values())
    evidence = frames.evidence_rows(result, result.vendor("acme"))
    assert shown(evidence, table_style.EVIDENCE_CONFIG, "Weight") == list(WEIGHTS.values())


def test_compare_page_prints_the_shared_percentages(formats: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("EVALTOOL_WORKSPACE", str(formats))
    at = AppTest.from_file(str(APP), default_timeout=60)
    at.run()
    at.switch_page("views/compare.py").run()
    assert not at.exception, [e.value for e in at.exception]
    element = next(e for e in at.dataframe if "Weight" in e.value.columns)
    config = json.loads(element.proto.columns)
    assert shown(element.value, config, "Weight") == list(WEIGHTS.values())


def test_a_tied_score_reads_the_same_in_cli_report_and_dashboard(formats: Path) -> None:
    code, out, err = invoke(["score", "-w", formats, "--profile", "halves"])
    assert code == 0, err
    assert re.search(r"^\s*1\s+Acme \(acme\)\s+61\.3\s", out, re.MULTILINE), out
    ws = load_workspace(formats)
    ev = evaluate(ws, ws.profiles["halves"], samples=200)
    assert ev.result.vendor("acme").score == 61.25
    assert "| 1 | Acme | 61.3 |" in render_markdown(ev)
    frame, config = frames.leaderboard(ev, ev.result.segments[0]), table_style.leaderboard_config(ev.result)
    assert shown(frame, config, "Score")[0] == "61.3"
    assert "**61.3**" in ui.headline(ev, ev.result.segments[0])


def _with_p_top(ev: Evaluation, vendor_id: str, p_top: float) -> Evaluation:
    stability = dataclasses.replace(ev.sensitivity.vendors[vendor_id], p_top=p_top)
    vendors = {**ev.sensitivity.vendors, vendor_id: stability}
    return dataclasses.replace(ev, sensitivity=dataclasses.replace(ev.sensitivity, vendors=vendors))


def test_p_first_reads_the_same_in_the_headline_and_the_leaderboard(formats: Path) -> None:
    """1,250 of 10,000 samples: 12.5%, which the headline and the table both show as 13%."""
    ev = _with_p_top(evaluate(load_workspace(formats), None, samples=200), "acme", 0.125)
    segment = ev.result.segments[0]
    assert "first in **13%** of weight samples" in ui.headline(ev, segment)
    frame, config = frames.leaderboard(ev, segment), table_style.leaderboard_config(ev.result)
    assert shown(frame, config, "P(first)")[0] == "13%"
    stability = frames.stability_table(ev, segment)
    stability_config = table_style.stability_config(ev.result)
    assert shown(stability, stability_config, "P(first)")[0] == "13%"


def test_a_grade_reads_the_same_in_the_comparison_and_the_report(formats: Path) -> None:
    """A metric graded 3.125 (value 3.125 on a 0..5 grading) reads 3.13 wherever a grade is shown."""
    ev = evaluate(load_workspace(formats), None, samples=200)
    frame, differences = frames.comparison(ev.result, ev.result.segments[0], ["acme", "beta"])
    config = table_style.comparison_config(frame)
    row = list(frame["Criterion"]).index("Eighth")
    assert shown(frame, config, "Acme · grade")[row] == "3.13"
    assert any("(grades: Acme 3.13; Beta 1)" in line for line in differences), differences
    evidence = frames.evidence_rows(ev.result, ev.result.vendor("acme"))
    assert shown(evidence, table_style.EVIDENCE_CONFIG, "Grade")[row] == "3.13"
    assert "| Eighth (eighth) | 12.5% | 3.125 | 3.13 |" in render_markdown(ev)


def test_a_metric_value_reads_the_same_in_the_comparison_and_the_report() -> None:
    """vendors/cindermoor.yaml: a 3-year TCO of 1100000 USD, graded between 150000 and 1500000 USD."""
    ev = evaluate(load_workspace(REPO), None, segments=["MLOps platform"], samples=100)
    segment = ev.result.segments[0]
    frame, _ = frames.comparison(ev.result, segment, [v.id for v in segment.vendors])
    row = frame[frame["Criterion"] == "3-year total cost of ownership"].iloc[0]
    assert row["Cindermoor Model Hub · evidence"].startswith("1,100,000 USD · ")
    tco = next(k for k in ev.result.criteria if k.id == "com-tco")
    assert (
        frames.rubric_text(tco, 1_100_000, "MLOps platform") == "graded linearly: 150,000 → 5, 1,500,000 → 0"
    )
    assert "| 3-year total cost of ownership (com-tco) | 2.9% | 1,100,000 USD |" in render_markdown(ev)


def test_whatif_sliders_start_at_the_weights_the_tables_show(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Categories weighing 1225 and 8775: shares of 12.25% and 87.75%, which read 12.3% and 87.8%."""
    catalog = CATALOG.replace(
        "    criteria:\n      - {id: small", "    weight: 1225\n    criteria:\n      - {id: small"
    )
    catalog += (
        "  - id: other\n    name: Other\n    weight: 8775\n    criteria:\n      - {id: more, name: More}\n"
    )
    (tmp_path / "criteria").mkdir()
    (tmp_path / "vendors").mkdir()
    (tmp_path / "criteria" / "catalog.yaml").write_text(catalog, encoding="utf-8")
    for vendor_id, text in VENDORS.items():
        (tmp_path / "vendors" / f"{vendor_id}.yaml").write_text(text, encoding="utf-8")
    monkeypatch.setenv("EVALTOOL_WORKSPACE", str(tmp_path))
    at = AppTest.from_file(str(APP), default_timeout=60)
    at.run()
    at.switch_page("views/what_if.py").run()
    assert not at.exception, [e.value for e in at.exception]
    assert at.slider(key="wi-0-catalog-cat-all").value == 12.3
    assert at.slider(key="wi-0-catalog-cat-other").value == 87.8
    weights = next(e for e in at.dataframe if "What-if" in e.value.columns)
    assert shown(weights.value, json.loads(weights.proto.columns), "Profile") == ["12.3%", "87.8%"]
