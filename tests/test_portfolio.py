"""The all-segments report sized for reading: Appendix C without the evidence tables, Appendix F with
counts and only the clauses with stale or missing evidence; a one-segment report keeps everything.

Expected values are read from each segment's own report (the full tables, a different rendering path)
and compared with what the all-segments report prints in their place.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml
from test_reports import needs_chromium

from evaltool.evaluation import Evaluation, evaluate
from evaltool.reports import fmt, render_html, render_markdown
from evaltool.workspace import load_workspace

REPO = Path(__file__).resolve().parent.parent
AS_OF = dt.date(2026, 12, 1)
NOW = dt.datetime(2026, 12, 1, 9, 0, tzinfo=dt.UTC)
NO_GAP = "No clause has stale or missing evidence for any vendor of this segment."


@pytest.fixture(scope="module")
def sample() -> Evaluation:
    ws = load_workspace(REPO, AS_OF)
    return evaluate(ws, ws.profile("balanced"), samples=1000, now=NOW)


@pytest.fixture(scope="module")
def everything(sample: Evaluation) -> str:
    return render_markdown(sample)


@pytest.fixture(scope="module")
def per_segment(sample: Evaluation) -> dict[str, str]:
    return {s.name: render_markdown(sample, s.name) for s in sample.result.segments}


def cells(line: str) -> list[str]:
    """The cells of a Markdown table row (no cell of these tables holds an escaped pipe)."""
    return [c.strip() for c in line.strip().strip("|").split("|")]


def section(md: str, heading: str) -> str:
    """The text under a ### heading, up to the next heading."""
    return re.split(r"\n#{2,3} ", md.split(f"\n### {heading}\n", 1)[1], maxsplit=1)[0]


def tables(text: str) -> list[list[list[str]]]:
    """Every Markdown table of a text: its rows (header first, separator dropped) as cells."""
    found: list[list[list[str]]] = []
    current: list[list[str]] = []
    for line in [*text.splitlines(), ""]:
        if line.startswith("|"):
            if not re.fullmatch(r"\|[-:|]+\|", line):
                current.append(cells(line))
        elif current:
            found.append(current)
            current = []
    return found


def test_evidence_tables_only_in_each_segments_report(sample: Evaluation, everything: str) -> None:
    appendix = everything.split("## Appendix C. Evidence", 1)[1].split("## Appendix D.", 1)[0]
    assert "### Regulatory references by criterion" in appendix
    for s in sample.result.segments:
        own = render_markdown(sample, s.name).split("## Appendix C. Evidence", 1)[1]
        for v in s.vendors:
            heading = f"### {fmt.md(v.name)} ({fmt.md(s.name)}, score {fmt.score(v.score, 'wsm')})"
            assert heading in own  # the forum's record of the segment keeps every vendor's table
            assert heading not in appendix
        assert f'`evaltool report --segment "{s.name}"`' in appendix
    assert "the Evidence sheet of the scorecard (`evaltool export`)" in appendix


def test_html_points_to_the_same_commands(sample: Evaluation) -> None:
    html = render_html(sample)
    assert '<table class="evidence">' not in html
    assert "<code>evaltool report --segment &#34;Data catalog&#34;</code>" in html
    assert "<code>evaltool export</code>" in html and "<code>evaltool trace</code>" in html
    one = render_html(sample, "Data catalog")
    assert one.count('<table class="evidence">') == len(sample.result.segment("Data catalog").vendors)
    assert "evaltool export" not in one  # a one-segment report has nothing to point to


def test_grades_are_those_of_each_segments_evidence_tables(
    sample: Evaluation, everything: str, per_segment: dict[str, str]
) -> None:
    for s in sample.result.segments:
        grades = tables(section(everything, f"{s.name}: grades by criterion (0-5)"))[0]
        assert len(grades[0]) == 1 + len(s.vendors)
        own = per_segment[s.name].split("## Appendix C. Evidence", 1)[1]
        for column, v in enumerate(s.vendors, start=1):
            evidence = section(own, f"{fmt.md(v.name)} ({fmt.md(s.name)}, score {fmt.score(v.score, 'wsm')})")
            stated = {
                row[0].split(" (FAILS GATE")[0].split(" (assessors")[0]: row[3].removesuffix(" (relative)")
                for row in tables(evidence)[0][1:]
                if row[0]
            }
            shown = {row[0]: row[column] for row in grades[1:]}
            assert shown == stated


def test_traceability_counts_and_lists_only_stale_or_missing(
    sample: Evaluation, everything: str, per_segment: dict[str, str]
) -> None:
    appendix = everything.split("## Appendix F. Regulatory traceability", 1)[1]
    assert "lists only the clauses where some vendor's evidence is stale or missing" in appendix
    for i, s in enumerate(sample.result.segments, start=1):
        full = tables(section(per_segment[s.name], f"F.1 {s.name}"))[0]
        header, rows = full[0], full[1:]
        short = section(appendix, f"F.{i} {s.name}")
        assert f"Clauses at each status, of {len(rows)}:" in short
        counts, *gaps = tables(short)
        assert counts[0] == ["Status", *header[3:]]
        for column in range(3, len(header)):
            tally = Counter(row[column] for row in rows)
            assert {row[0]: int(row[column - 2]) for row in counts[1:]} == {
                label: tally[label]
                for label in ("PoC", "verified", "documented", "claimed", "stale", "missing")
            }
        expected = [row for row in rows if {"stale", "missing"} & set(row[3:])]
        if expected:
            assert gaps == [[header, *expected]]
        else:
            assert gaps == [] and NO_GAP in short


def test_one_segment_report_keeps_the_full_matrix(per_segment: dict[str, str]) -> None:
    md = per_segment["Vector database"]
    assert "lists only the clauses" not in md and "Clauses at each status" not in md
    # every distinct clause the catalog cites, counted from the file itself
    catalog = yaml.safe_load((Path(__file__).resolve().parent.parent / "criteria/catalog.yaml").read_text())
    clauses = {
        (r["framework"], r["clause"])
        for category in catalog["categories"]
        for criterion in category["criteria"]
        for r in criterion.get("references", [])
    }
    assert len(tables(section(md, "F.1 Vector database"))[0]) == 1 + len(clauses)


@needs_chromium
def test_all_segments_pdf_is_sized_for_reading(
    run_cli: Callable[..., Any], sample: Evaluation, tmp_path: Path
) -> None:
    """The sample's all-segments PDF is at most 60 pages (114 with every evidence table and the full
    matrix); a one-segment PDF still prints every vendor's evidence table."""
    import pypdf

    common = ["report", "-w", REPO, "--profile", "balanced", "-f", "pdf", "--as-of", "2026-12-01"]
    code, _, err = run_cli([*common, "--out", tmp_path / "all.pdf"])
    assert code == 0, err
    assert len(pypdf.PdfReader(tmp_path / "all.pdf").pages) <= 60
    code, _, err = run_cli([*common, "--segment", "Vector database", "--out", tmp_path / "one.pdf"])
    assert code == 0, err
    text = " ".join(" ".join(p.extract_text().split()) for p in pypdf.PdfReader(tmp_path / "one.pdf").pages)
    for v in sample.result.segment("Vector database").vendors:
        assert f"{v.name} (Vector database, score " in text
