"""Scorecard exports (evaltool.reports.scorecard and `evaltool export`): the same numbers, to the last digit.

Numbers are compared with ``==``: the XLSX, CSV and JSON must hold exactly the Evaluation's doubles.
Workspaces are written into tmp_path by the helpers below.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import os
import re
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import openpyxl
import pandas as pd
import pytest
import yaml
from cli_runner import invoke, unboxed
from openpyxl.utils import range_boundaries

from evaltool.evaluation import Evaluation, evaluate
from evaltool.reports import scorecard as export
from evaltool.serialize import FORMULA_START
from evaltool.workspace import load_workspace

REPO = Path(__file__).resolve().parent.parent
AS_OF = dt.date(2026, 11, 26)
NOW = dt.datetime(2026, 11, 26, 9, 30, tzinfo=dt.UTC)
SHEETS = ["Procurement summary", "Summary", "Scores", "Commercial", "Evidence", "Gates", "Findings",
          "Weights", "Sensitivity", "Flip points", "Recommendations", "Rules", "Provenance",
          "Traceability"]  # fmt: skip

CATALOG = """\
catalog: Export test catalog
version: "1.0"
missing: zero
categories:
  - id: security
    name: Security
    weight: 3
    criteria:
      - id: sec-encryption
        name: Encryption
        weight: 2
        gate: 2
      - id: sec-logging
        name: Audit logging
  - id: commercial
    name: Commercials
    weight: 1
    criteria:
      - id: com-tco
        name: 3-year TCO
        type: metric
        unit: USD
        direction: lower
        grading: {best: 100000, worst: 1000000}
      - id: com-latency
        name: p95 latency
        type: metric
        unit: ms
        direction: lower
        gate: 100
"""

PROFILE_AHP = """\
id: pairwise
name: Pairwise
ahp:
  items: [security, commercial]
  matrix:
    - [1, 3]
    - ["1/3", 1]
"""

VENDORS = {
    "alpha": """\
id: alpha
name: Alpha Vector
segment: Vector database
kind: startup
radar: trial
assessments:
  - assessor: j.doe
    date: 2026-10-12
    scores:
      sec-encryption:
        {score: 4, evidence: "Key design review", level: verified, source: doc-1, expires: 2027-01-31}
      sec-logging: {score: 1, evidence: "Old pen test", level: claimed, expires: 2026-01-31}
      com-tco: {value: 240000, evidence: "Quote Q-1", level: documented}
      com-latency: 35
  - assessor: a.smith
    date: 2026-10-14
    scores:
      sec-encryption: 3
      sec-logging: 4
      com-latency: null
poc:
  status: planned
  owner: j.doe
  timebox_weeks: 4
  success_criteria:
    - {metric: Recall at 10, target: ">= 0.9", method: Offline eval}
""",
    "beta": """\
id: beta
name: Beta Vector
segment: Vector database
scores:
  sec-encryption: 2.5
  sec-logging: 3.5
  com-tco: 700000
  com-latency: 20
""",
    "gamma": """\
id: gamma
name: Gamma Vector
segment: Vector database
scores:
  sec-encryption: 1
  sec-logging: 5
  com-tco: 150000
  com-latency: 60
""",
    "delta": """\
id: delta
name: Delta LLM
segment: LLM platform
""",
}

# com-tco graded on its own scale in LLM platform.
SEGMENTS = CATALOG.replace(
    "grading: {best: 100000, worst: 1000000}",
    "grading: {best: 100000, worst: 1000000, segments: {LLM platform: {best: 300000, worst: 3000000}}}",
).replace("missing: zero\n", "missing: zero\nsegments: [Vector database, LLM platform]\n")

# OWASP CSV injection: every text that could start a formula.
EVIL_NAME = '=HYPERLINK("http://x","y")'
EVIL_TEXTS = ["+SUM(A1)", "-2+3", "@cmd", "\tx", "\rx", "=1+1"]
EVIL_VENDOR = """\
id: evil
name: '=HYPERLINK("http://x","y")'
segment: Vector database
scores:
  sec-encryption: {score: 3, evidence: "+SUM(A1)", source: "-2+3"}
  sec-logging: {score: 3, evidence: "@cmd"}
  com-tco: {value: 300000, evidence: "\\tx"}
  com-latency: {value: 30, evidence: "\\rx", source: "=1+1"}
"""


def make_workspace(root: Path, vendors: dict[str, str] | None = None, catalog: str = CATALOG) -> Path:
    """A small valid workspace: the catalog, one AHP profile and the vendors given (default VENDORS)."""
    (root / "criteria" / "profiles").mkdir(parents=True)
    (root / "vendors").mkdir()
    (root / "criteria" / "catalog.yaml").write_text(catalog, encoding="utf-8")
    (root / "criteria" / "profiles" / "pairwise.yaml").write_text(PROFILE_AHP, encoding="utf-8")
    for vendor_id, text in (VENDORS if vendors is None else vendors).items():
        (root / "vendors" / f"{vendor_id}.yaml").write_text(text, encoding="utf-8")
    return root


def evaluation_of(root: Path, profile: str | None = None, **options: Any) -> Evaluation:
    ws = load_workspace(root, AS_OF)
    options.setdefault("samples", 2_000)
    return evaluate(ws, ws.profile(profile), now=NOW, **options)


def read_xlsx(data: bytes) -> openpyxl.Workbook:
    return openpyxl.load_workbook(io.BytesIO(data))


def read_csv(text: str) -> list[dict[str, str]]:
    assert text.startswith("\ufeff")
    return list(csv.DictReader(io.StringIO(text[1:], newline="")))


def rows_of(sheet: Any, header_row: int = 1) -> list[dict[str, Any]]:
    """The table under a sheet's header row, as dicts (stops at the first empty row)."""
    header = [c.value for c in sheet[header_row]]
    out = []
    for row in sheet.iter_rows(min_row=header_row + 1):
        values = [c.value for c in row]
        if all(v is None for v in values):
            break
        out.append(dict(zip(header, values, strict=False)))
    return out


def ooxml_text(value: Any) -> Any:
    """A string as Excel reads it: openpyxl leaves OOXML escapes such as _x000D_ (a carriage return)."""
    if not isinstance(value, str):
        return value
    return re.sub(r"_x([0-9A-Fa-f]{4})_", lambda m: chr(int(m.group(1), 16)), value)


def number(text: str) -> float | None:
    return None if text == "" else float(text)


@pytest.fixture(scope="module")
def bundled() -> Evaluation:
    """The bundled sample workspace (the repository root), profile balanced."""
    return evaluation_of(REPO, "balanced", samples=10_000)


@pytest.fixture(scope="module")
def bundled_xlsx(bundled: Evaluation) -> bytes:
    return export.to_xlsx(bundled)


@pytest.fixture(scope="module")
def bundled_book(bundled_xlsx: bytes) -> openpyxl.Workbook:
    return read_xlsx(bundled_xlsx)


@pytest.fixture
def small(tmp_path: Path) -> Path:
    return make_workspace(tmp_path / "ws")


# --- JSON ----------------------------------------------------------------------------------------------


def test_json_reads_back_as_export_data_exactly(bundled: Evaluation) -> None:
    assert json.loads(export.to_json(bundled)) == export.export_data(bundled)


def test_json_numbers_are_the_evaluations(bundled: Evaluation) -> None:
    data = json.loads(export.to_json(bundled))
    result, sens = bundled.result, bundled.sensitivity
    assert [v["id"] for v in data["vendors"]] == [v.id for v in result.vendors()]
    for got, v in zip(data["vendors"], result.vendors(), strict=True):
        assert (got["rank"], got["score"], got["coverage"], got["eligible"]) == (
            v.rank, v.score, v.coverage, v.eligible,
        )  # fmt: skip
        assert got["categories"] == v.categories
        for k, cell in v.cells.items():
            c = got["cells"][k]
            assert (c["raw"], c["grade"], c["contribution"], c["spread"], c["assessors"]) == (
                cell.raw, cell.grade, cell.contribution, cell.spread, cell.assessors,
            )  # fmt: skip
            assert [e["given"] for e in c["evidence"]] == [e.given for e in cell.evidence]
            assert [e["expires"] for e in c["evidence"]] == [
                None if e.expires is None else e.expires.isoformat() for e in cell.evidence
            ]
    assert data["weights"]["criteria"] == result.weights.criteria
    assert data["weights"]["categories"] == result.weights.categories
    assert data["weights"]["within_category"] == result.weights.within
    assert data["weights"]["gates"] == result.gates
    for got in data["sensitivity"]["vendors"]:
        s = sens.vendors[got["id"]]
        assert got["p_top"] == s.p_top
        assert got["rank_probabilities"] == list(s.rank_probabilities)
        assert got["score_interval"] == list(s.score_interval)
        assert got["mean_score"] == s.mean_score
    flips = data["sensitivity"]["flip_points"] + data["sensitivity"]["category_flip_points"]
    assert len(flips) == len(sens.flips)
    for got, f in zip(flips, [f for f in sens.flips if f.kind == "criterion"]
                      + [f for f in sens.flips if f.kind == "category"], strict=True):  # fmt: skip
        assert (got["segment"], got[f.kind], got["weight"]) == (f.segment, f.id, f.weight)
        assert (got["leader_changes_at"], got["new_leader"]) == (f.leader_changes_at, f.new_leader)


def test_json_has_the_design_contract_keys(bundled: Evaluation) -> None:
    data = export.export_data(bundled)
    assert {"profile", "method", "vendors"} <= set(data)
    assert (data["profile"], data["method"], data["missing"]) == ("balanced", "wsm", "zero")
    for v in data["vendors"]:
        assert {"id", "name", "segment", "rank", "score", "eligible", "failed_gates", "coverage",
                "categories"} <= set(v)  # fmt: skip
    assert {"profile", "categories", "criteria", "ahp"} <= set(data["weights"])
    sens = data["sensitivity"]
    assert {"samples", "seed", "concentration", "vendors", "flip_points", "category_flip_points"} <= set(sens)
    assert {"id", "segment", "p_top", "rank_probabilities", "score_interval"} <= set(sens["vendors"][0])
    flip_keys = {"segment", "weight", "leader_changes_at", "new_leader"}
    assert set(sens["flip_points"][0]) >= flip_keys | {"criterion"}
    assert set(sens["category_flip_points"][0]) >= flip_keys | {"category"}
    rec = data["recommendations"][0]
    assert {"decision", "reasons", "gaps", "ring", "ring_reason", "poc_plan"} <= set(rec)
    assert {"tool_version", "generated_at", "profile", "method", "input_sha256"} <= set(data["provenance"])


def test_json_vendors_extend_score_json(bundled: Evaluation) -> None:
    from evaltool.serialize import score_json

    plain = score_json(bundled.result)
    for mine, theirs in zip(export.export_data(bundled)["vendors"], plain["vendors"], strict=True):
        assert {k: mine[k] for k in theirs if k != "gate_results"} == {
            k: v for k, v in theirs.items() if k != "gate_results"
        }


def _paths(value: Any, path: str = "") -> Iterator[str]:
    """Every key path of a document, in the notation of export.FIELDS."""
    if isinstance(value, dict):
        for key, item in value.items():
            child = f"{path}.{key}" if path else key
            if f"{child}{{}}" in export.FIELDS:  # a map keyed by ids: document its values once
                yield f"{child}{{}}"
                for entry in item.values():
                    yield from _paths(entry, f"{child}{{}}")
            else:
                yield child
                yield from _paths(item, child)
    elif isinstance(value, list):
        for item in value:
            if isinstance(item, dict):
                yield from _paths(item, f"{path}[]")


def test_every_json_key_is_documented_and_occurs(bundled: Evaluation, small: Path, tmp_path: Path) -> None:
    found = set(_paths(export.export_data(bundled)))
    found |= set(_paths(export.export_data(evaluation_of(small, "pairwise"))))
    found |= set(_paths(export.export_data(evaluation_of(make_workspace(tmp_path / "s", catalog=SEGMENTS)))))
    assert found - set(export.FIELDS) == set(), "undocumented keys"
    assert set(export.FIELDS) - found == set(), "documented keys that never occur"
    assert all(text.strip() for text in export.FIELDS.values())


# --- CSV -----------------------------------------------------------------------------------------------


def test_csv_is_one_tidy_row_per_vendor_and_criterion_with_exact_numbers(bundled: Evaluation) -> None:
    text = export.to_csv(bundled)
    rows = read_csv(text)
    result = bundled.result
    assert list(rows[0]) == list(export.CSV_COLUMNS)
    assert len(rows) == len(result.vendors()) * len(result.criteria)
    assert text.count("\r\n") >= len(rows) + 1  # RFC 4180 line ends
    it = iter(rows)
    for v in result.vendors():
        for k in result.criteria:
            row, cell = next(it), v.cells[k.id]
            assert (row["segment"], row["vendor_id"], row["vendor_name"], row["criterion_id"]) == (
                v.segment, v.id, v.name, k.id,
            )  # fmt: skip
            assert row["rank"] == ("" if v.rank is None else str(v.rank))
            assert row["eligible"] == str(v.eligible)
            assert float(row["score"]) == v.score
            assert float(row["coverage"]) == v.coverage
            assert float(row["weight"]) == result.weights.criteria[k.id]
            assert number(row["raw"]) == cell.raw
            assert number(row["grade"]) == cell.grade
            assert float(row["contribution"]) == cell.contribution
            assert float(row["spread"]) == cell.spread
            assert int(row["assessors"]) == cell.assessors
            assert row["stale"] == str(cell.stale)
            assert number(row["gate"]) == result.gates.get(k.id)
            assert row["profile"] == "balanced"
            assert row["input_sha256"] == bundled.provenance.input_sha256


def test_csv_reads_back_unchanged_with_pandas(bundled: Evaluation) -> None:
    frame = pd.read_csv(io.BytesIO(export.to_csv(bundled).encode("utf-8")))
    assert list(frame.columns) == list(export.CSV_COLUMNS)
    result = bundled.result
    expected = [(v, k) for v in result.vendors() for k in result.criteria]
    assert len(frame) == len(expected)
    assert frame["score"].tolist() == [v.score for v, _ in expected]
    assert frame["contribution"].tolist() == [v.cells[k.id].contribution for v, k in expected]
    assert frame["weight"].tolist() == [result.weights.criteria[k.id] for _, k in expected]
    raw = [v.cells[k.id].raw for v, k in expected]
    assert [None if pd.isna(x) else x for x in frame["raw"]] == raw
    assert frame["eligible"].tolist() == [v.eligible for v, _ in expected]
    assert frame["vendor_name"].tolist() == [v.name for v, _ in expected]
    evidence = [export.csv_rows(bundled)[i]["evidence"] for i in range(len(expected))]
    assert [("" if pd.isna(x) else x) for x in frame["evidence"]] == evidence


def test_csv_quotes_text_with_separators_and_line_breaks(small: Path) -> None:
    tco = 'com-tco: {value: 700000, evidence: "a, \\"b\\"\\nc"}'
    vendor = VENDORS["beta"].replace("com-tco: 700000", tco)
    make_workspace(small.parent / "q", vendors={"beta": vendor})
    rows = read_csv(export.to_csv(evaluation_of(small.parent / "q")))
    assert [r["evidence"] for r in rows if r["criterion_id"] == "com-tco"] == ['a, "b"\nc']


# --- XLSX ----------------------------------------------------------------------------------------------


def test_xlsx_sheets_frozen_filtered_and_formula_free(bundled_xlsx: bytes, bundled_book: Any) -> None:
    assert bundled_book.sheetnames == SHEETS
    for sheet in bundled_book.worksheets:
        assert sheet.freeze_panes is not None, sheet.title
        assert sheet.auto_filter.ref, sheet.title
        for row in sheet.iter_rows():
            for c in row:
                assert c.data_type != "f", (sheet.title, c.coordinate, c.value)
    with zipfile.ZipFile(io.BytesIO(bundled_xlsx)) as archive:
        for name in archive.namelist():
            if name.startswith("xl/worksheets/"):
                assert b"<f>" not in archive.read(name) and b"<f " not in archive.read(name)


def test_xlsx_layout_formats_and_widths(bundled_book: Any) -> None:
    summary = bundled_book["Summary"]
    assert summary.freeze_panes == "D2"
    header = [c.value for c in summary[1]]
    assert header[:6] == ["Segment", "Rank", "Vendor", "Vendor id", "Score", "Eligible"]
    formats = {h: summary.cell(row=2, column=i + 1).number_format for i, h in enumerate(header)}
    assert (formats["Score"], formats["Coverage"], formats["P(first)"]) == ("0.0", "0.0%", "0.0%")
    assert formats["Security & data protection"] == "0.0"
    assert summary.column_dimensions["C"].width > 8
    assert len(summary.conditional_formatting) >= 2
    assert bundled_book["Scores"].freeze_panes == "E2"
    assert len(bundled_book["Scores"].conditional_formatting) >= 2
    items = [r["Item"] for r in rows_of(bundled_book["Provenance"])]
    assert "Input SHA-256" in items and "Input file" in items


def shaded(sheet: Any, header_row: int = 1) -> list[tuple[list[str], str, int]]:
    """Each colour scale or data bar: the headers of the columns it covers, its type, how many rows."""
    found = []
    for cf in sheet.conditional_formatting:
        headers, rows = [], set()
        # openpyxl keeps a rule's ranges unordered: read them left to right
        for cells in sorted(cf.sqref.ranges, key=lambda r: range_boundaries(r.coord)[0]):
            first_col, first_row, last_col, last_row = range_boundaries(cells.coord)
            assert first_row == header_row + 1, (sheet.title, cells.coord)
            headers += [sheet.cell(row=header_row, column=c).value for c in range(first_col, last_col + 1)]
            rows.add(last_row - header_row)
        (count,) = rows  # every range of one rule covers the same rows
        found += [(headers, rule.type, count) for rule in cf.rules]
    return sorted(found)


def test_xlsx_colour_scales_and_bars_sit_on_their_columns(bundled: Evaluation, bundled_book: Any) -> None:
    result = bundled.result
    vendors, criteria = len(result.vendors()), [k.id for k in result.criteria]
    categories = [c.name for c in result.catalog.categories]
    ranks = max(len(s.rank_probabilities) for s in bundled.sensitivity.vendors.values())
    assert shaded(bundled_book["Summary"]) == sorted(
        [(["Score"], "colorScale", vendors), (["P(first)"], "dataBar", vendors),
         (categories, "colorScale", vendors)]
    )  # fmt: skip
    assert shaded(bundled_book["Scores"]) == sorted(
        [(["Score"], "colorScale", vendors), (criteria, "colorScale", vendors)]
    )
    assert shaded(bundled_book["Weights"]) == [(["Effective weight"], "dataBar", len(criteria))]
    p_ranks = ["P(first)", *(f"P(rank {i})" for i in range(2, ranks + 1))]
    assert ranks > 1 and shaded(bundled_book["Sensitivity"]) == [(p_ranks, "dataBar", vendors)]


def test_xlsx_category_named_like_another_column(tmp_path: Path) -> None:
    catalog = CATALOG.replace("name: Commercials", "name: Coverage")
    ev = evaluation_of(make_workspace(tmp_path / "ws", catalog=catalog))
    summary = read_xlsx(export.to_xlsx(ev))["Summary"]
    header = [c.value for c in summary[1]]
    assert header[-2:] == ["Security", "Coverage"] and header.count("Coverage") == 2
    vendors = len(ev.result.vendors())
    assert shaded(summary) == sorted(
        [(["Score"], "colorScale", vendors), (["P(first)"], "dataBar", vendors),
         (["Security", "Coverage"], "colorScale", vendors)]
    )  # fmt: skip
    coverage, commercial = header.index("Coverage") + 1, len(header)
    for row, v in enumerate(ev.result.vendors(), start=2):
        assert summary.cell(row=row, column=coverage).value == v.coverage
        assert summary.cell(row=row, column=commercial).value == v.categories["commercial"]


def test_xlsx_summary_numbers_are_exact(bundled: Evaluation, bundled_book: Any) -> None:
    rows = {r["Vendor id"]: r for r in rows_of(bundled_book["Summary"])}
    assert list(rows) == [v.id for v in bundled.result.vendors()]
    needs_17_digits = 0
    for v in bundled.result.vendors():
        row, s = rows[v.id], bundled.sensitivity.vendors[v.id]
        advice = bundled.recommendations[v.id]
        assert (row["Segment"], row["Vendor"], row["Rank"]) == (v.segment, v.name, v.rank)
        assert row["Eligible"] is v.eligible
        assert (row["Score"], row["Coverage"], row["P(first)"]) == (v.score, v.coverage, s.p_top)
        assert (row["90% interval low"], row["90% interval high"]) == s.score_interval
        assert (row["Decision"], row["Ring"]) == (advice.decision_text, advice.ring)
        assert row["Failed gates"] == (", ".join(v.failed_gates) or None)
        for c in bundled.result.catalog.categories:
            assert row[c.name] == v.categories[c.id]
        numbers = [*v.categories.values(), *s.score_interval]
        needs_17_digits += sum(float(f"{x:.16G}") != x for x in numbers)
    # xlsxwriter alone writes 16 significant digits; these numbers prove the workbook holds all 17.
    assert needs_17_digits > 0


def test_xlsx_scores_weights_and_gates_are_exact(bundled: Evaluation, bundled_book: Any) -> None:
    result = bundled.result
    scores = bundled_book["Scores"]
    rows = {r["Vendor id"]: r for r in rows_of(scores)}
    for v in result.vendors():
        assert rows[v.id]["Score"] == v.score
        for k in result.criteria:
            assert rows[v.id][k.id] == v.cells[k.id].grade
            if k.is_metric:
                assert (
                    rows[v.id][f"{k.id} measured" + (f" ({k.unit})" if k.unit else "")] == v.cells[k.id].raw
                )
    for row in rows_of(bundled_book["Weights"]):
        assert row["Effective weight"] == result.weights.criteria[row["Criterion id"]]
        assert row["Within category"] == result.weights.within[row["Criterion id"]]
        assert row["Category share"] == result.weights.categories[row["Category id"]]
        assert row["Gate"] == result.gates.get(row["Criterion id"])
    gates = rows_of(bundled_book["Gates"])
    expected = [(v, g) for v in result.vendors() for g in v.gates]
    assert len(gates) == len(expected)
    for row, (v, g) in zip(gates, expected, strict=True):
        assert (row["Vendor id"], row["Criterion id"], row["Threshold"], row["Actual"]) == (
            v.id, g.criterion, g.threshold, g.actual,
        )  # fmt: skip
        assert (row["Passed"], row["Margin"], row["Reason"]) == (g.passed, g.margin, g.reason)


def test_xlsx_evidence_has_a_row_per_assessor(bundled: Evaluation, bundled_book: Any) -> None:
    rows = rows_of(bundled_book["Evidence"])
    expected = [
        (v, k, e)
        for v in bundled.result.vendors()
        for k in bundled.result.criteria
        for e in (v.cells[k.id].evidence or (None,))
    ]
    assert len(rows) == len(expected)
    for row, (v, k, e) in zip(rows, expected, strict=True):
        assert (row["Vendor id"], row["Criterion id"]) == (v.id, k.id)
        if e is None:
            continue
        assert (row["Assessor"] or "", row["Given"], row["Evidence"]) == (e.assessor, e.given, e.evidence)
        assert (row["Level"], row["Source"], row["Stale"]) == (e.level, e.source, e.stale)
        assert row["Expires"] == (None if e.expires is None else dt.datetime.combine(e.expires, dt.time()))


def test_xlsx_sensitivity_and_recommendations_are_exact(bundled: Evaluation, bundled_book: Any) -> None:
    sheet = bundled_book["Sensitivity"]
    rows = rows_of(sheet)
    for row in rows:
        s = bundled.sensitivity.vendors[row["Vendor id"]]
        later = [row[f"P(rank {i})"] for i in range(2, len(s.rank_probabilities) + 1)]
        assert [row["P(first)"], *later] == list(s.rank_probabilities) or not s.rank_probabilities
        assert row["P(first)"] == s.p_top
        assert (row["90% interval low (WSM)"], row["90% interval high (WSM)"]) == s.score_interval
        assert row["Mean score (WSM)"] == s.mean_score
    flips = rows_of(bundled_book["Flip points"])
    assert len(flips) == len(bundled.sensitivity.flips)
    for row, f in zip(flips, bundled.sensitivity.flips, strict=True):
        assert (row["Segment"], row["Kind"], row["Id"]) == (f.segment, f.kind, f.id)
        assert (row["Weight"], row["Leader changes at"]) == (f.weight, f.leader_changes_at)
    recs = rows_of(bundled_book["Recommendations"])
    for row in recs:
        r = bundled.recommendations[row["Vendor id"]]
        assert (row["Decision"], row["Ring"], row["Ring reason"]) == (r.decision_text, r.ring, r.ring_reason)
        assert (row["Reasons"] or "") == "\n".join(r.reasons)
        assert (row["Gaps to close"] or "") == "\n".join(r.gaps)
        assert row["Timebox (weeks)"] == (None if r.plan is None else r.plan.timebox_weeks)


def test_xlsx_recommendations_carry_each_poc_as_the_vendor_file_records_it(
    bundled_book: openpyxl.Workbook,
) -> None:
    """Procurement sees each PoC's stage, cost, environment, data classification, decision date and
    outcome beside the decision, read here from the vendor files themselves."""
    recs = {r["Vendor id"]: r for r in rows_of(bundled_book["Recommendations"])}
    for path in sorted((REPO / "vendors").glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        row, poc = recs[data["id"]], data.get("poc")
        if poc is None:
            assert (row["PoC stage"], row["PoC cost"], row["PoC outcome"]) == (None, None, None)
            continue
        assert row["PoC cost"] == poc.get("cost")
        assert row["PoC environment"] == poc.get("environment")
        assert row["Data classification"] == poc.get("data_classification")
        decided = row["PoC decision date"]
        assert (decided.date() if decided else None) == poc.get("decision_date")
        assert row["PoC stage"].split(",")[0] in ("planned", "running", "overrun", "done", "stopped")
        outcome = (row["PoC outcome"] or "").splitlines()
        assert outcome[0] == f"PoC {row['PoC stage']}"
        for criterion in poc.get("success_criteria", []):  # every success criterion, with its target
            said = f"target {criterion['target']} ("
            assert any(line.startswith(f"{criterion['metric']}: ") and said in line for line in outcome)


def test_xlsx_is_reproducible(bundled: Evaluation, bundled_xlsx: bytes) -> None:
    assert export.to_xlsx(bundled) == bundled_xlsx


def test_xlsx_topsis_scores_are_exact_with_three_decimals(small: Path) -> None:
    ev = evaluation_of(small, method="topsis")
    book = read_xlsx(export.to_xlsx(ev))
    summary = book["Summary"]
    rows = {r["Vendor id"]: r for r in rows_of(summary)}
    for v in ev.result.vendors():
        assert rows[v.id]["Score"] == v.score
        assert rows[v.id]["Security"] == v.categories["security"]
    assert summary["E2"].number_format == "0.000"
    assert "P(first)" in rows[ev.result.vendors()[0].id]


def test_xlsx_topsis_sensitivity_is_labelled_and_shown_as_topsis(small: Path) -> None:
    """The Monte Carlo runs with the ranking's method: under TOPSIS its intervals are closeness (0..1)."""
    ev = evaluation_of(small, method="topsis")
    book = read_xlsx(export.to_xlsx(ev))
    sheet = book["Sensitivity"]
    header = [c.value for c in sheet[1]]
    assert header[-3:] == ["90% interval low (TOPSIS)", "90% interval high (TOPSIS)", "Mean score (TOPSIS)"]
    for row, v in enumerate(ev.result.vendors(), start=2):
        s = ev.sensitivity.vendors[v.id]
        values = [sheet.cell(row=row, column=len(header) - i).value for i in (2, 1, 0)]
        assert values == [*s.score_interval, s.mean_score] and all(0 <= x <= 1 for x in values)
        assert {sheet.cell(row=row, column=len(header) - i).number_format for i in (2, 1, 0)} == {"0.000"}
    summary = book["Summary"]
    header = [c.value for c in summary[1]]
    assert "P(first) (WSM)" not in header and "90% interval low (WSM)" not in header
    low = header.index("90% interval low") + 1
    assert summary.cell(row=2, column=low).number_format == "0.000"
    labels = [r["Item"] for r in rows_of(book["Provenance"])]
    assert "Monte Carlo samples (TOPSIS)" in labels and "Monte Carlo samples (WSM)" not in labels


def test_xlsx_weights_sheet_shows_ahp_consistency(small: Path) -> None:
    ev = evaluation_of(small, "pairwise")
    book = read_xlsx(export.to_xlsx(ev))
    assert book.sheetnames == [*SHEETS[:8], "AHP consistency", *SHEETS[8:]]
    values = {r["Measure"]: r["Value"] for r in rows_of(book["AHP consistency"])}
    ahp = ev.result.weights.ahp
    assert ahp is not None
    assert (values["lambda max"], values["CI"], values["CR"]) == (ahp.lambda_max, ahp.ci, ahp.cr)
    assert values["Consistent (CR <= 0.10)"] is ahp.consistent
    assert "AHP consistency" not in read_xlsx(export.to_xlsx(evaluation_of(small))).sheetnames


def test_xlsx_small_workspace_edge_cases(small: Path) -> None:
    ev = evaluation_of(small)
    book = read_xlsx(export.to_xlsx(ev))
    summary = {r["Vendor id"]: r for r in rows_of(book["Summary"])}
    assert summary["gamma"]["Rank"] is None and summary["gamma"]["Eligible"] is False
    assert summary["delta"]["Coverage"] == 0 and summary["delta"]["Eligible"] is False
    evidence = [r for r in rows_of(book["Evidence"]) if r["Vendor id"] == "delta"]
    assert len(evidence) == 4 and all(r["Assessor"] is None for r in evidence)
    null_entry = [r for r in rows_of(book["Evidence"]) if r["Assessor"] == "a.smith"]
    assert [r["Given"] for r in null_entry] == [3, 4, None]


ZERO_PROFILE = """\
id: zeros
name: Zeros
weights: {com-latency: 0}
gates: {com-support: 0}
"""


def _number_as_text(value: Any) -> bool:
    if not isinstance(value, str):
        return False
    try:
        float(value.replace(",", ""))
    except ValueError:
        return False
    return True


def test_xlsx_zeros_are_numbers(workspace: Any) -> None:
    """beta-vector scores 0 on three criteria and measures 0 USD; the profile weighs com-latency 0 and
    sets a com-support gate of 0: every one of these zeros reads back from the workbook as a number."""
    beta = workspace.text("vendors/beta-vector")
    for criterion, before in (("sec-encryption", "2"), ("sec-logging", "4"), ("com-support", "4.5"),
                              ("com-tco", "500000")):  # fmt: skip
        beta = beta.replace(f"{criterion}: {before}\n", f"{criterion}: 0\n")
    root = workspace(profiles={"zeros": ZERO_PROFILE}, vendors={"beta-vector": beta})
    book = read_xlsx(export.to_xlsx(evaluation_of(root, "zeros", samples=500)))
    texts = [(s.title, c.coordinate, c.value) for s in book.worksheets for r in s.iter_rows() for c in r]
    assert [t for t in texts if _number_as_text(t[2])] == []

    def is_zero(value: Any) -> bool:
        return type(value) in (int, float) and value == 0

    summary = {r["Vendor id"]: r for r in rows_of(book["Summary"])}
    assert is_zero(summary["beta-vector"]["P(first)"])
    scores = {r["Vendor id"]: r for r in rows_of(book["Scores"])}
    row = scores["beta-vector"]
    assert all(
        is_zero(row[k]) for k in ("sec-encryption", "sec-logging", "com-support", "com-tco measured (USD)")
    )
    given = {
        r["Criterion id"]: r["Given"] for r in rows_of(book["Evidence"]) if r["Vendor id"] == "beta-vector"
    }
    assert all(is_zero(given[k]) for k in ("sec-encryption", "sec-logging", "com-support", "com-tco"))
    gates = {(r["Vendor id"], r["Criterion id"]): r for r in rows_of(book["Gates"])}
    support = gates[("beta-vector", "com-support")]
    assert is_zero(support["Threshold"]) and is_zero(support["Actual"]) and is_zero(support["Margin"])
    assert is_zero(gates[("beta-vector", "sec-encryption")]["Actual"])
    weights = {r["Criterion id"]: r for r in rows_of(book["Weights"])}
    assert is_zero(weights["com-latency"]["Effective weight"]) and is_zero(weights["com-support"]["Gate"])


# --- relative grading ----------------------------------------------------------------------------------

# com-latency has no grading: alpha, beta and gamma's values are graded min-max within Vector database;
# delta has no value to grade. com-tco has a fixed grading.
RELATIVE = {"alpha": ["com-latency"], "beta": ["com-latency"], "gamma": ["com-latency"], "delta": []}
RELATIVE_NOTE = (
    "* Graded relative to the other vendors of the segment: adding or removing a vendor moves this score."
)
LATENCY_GRADED = CATALOG.replace(
    "        gate: 100\n", "        gate: 100\n        grading: {best: 10, worst: 500}\n"
)


def test_relative_grades_are_named_in_the_json(small: Path) -> None:
    data = export.export_data(evaluation_of(small))
    assert {v["id"]: v["relative_grading"] for v in data["vendors"]} == RELATIVE


def test_relative_grades_are_flagged_in_the_csv(small: Path) -> None:
    rows = read_csv(export.to_csv(evaluation_of(small)))
    # new columns come after the ones before them: no existing column moves
    assert list(rows[0])[-14:] == ["relative_grading", *list(export.CSV_COLUMNS)[-13:]]
    assert list(export.CSV_COLUMNS)[-13] == "supplier_id"
    flagged = {(r["vendor_id"], r["criterion_id"]) for r in rows if r["relative_grading"] == "True"}
    assert flagged == {(v, "com-latency") for v in ("alpha", "beta", "gamma")}
    assert {r["relative_grading"] for r in rows} == {"True", "False"}


def test_relative_grades_are_marked_in_the_xlsx(small: Path) -> None:
    ev = evaluation_of(small)
    book = read_xlsx(export.to_xlsx(ev))
    scores = book["Scores"]
    ids = [c.value for c in scores[1]]
    rows = {r["Vendor id"]: r for r in rows_of(scores)}
    for position, row in enumerate(scores.iter_rows(min_row=2, max_row=1 + len(rows))):
        vendor = row[ids.index("Vendor id")].value
        latency, tco = row[ids.index("com-latency")], row[ids.index("com-tco")]
        assert latency.value == ev.result.vendor(vendor).cells["com-latency"].grade, position
        if vendor != "delta":  # delta's cells are blank: nothing to format
            assert latency.number_format == ('0.0"*"' if RELATIVE[vendor] else "0.0")
            assert tco.number_format == "0.0"
    # the header's note of a criterion graded relative to the segment says so; the table has no note below
    assert RELATIVE_NOTE in scores.cell(row=1, column=ids.index("com-latency") + 1).comment.text
    assert RELATIVE_NOTE not in scores.cell(row=1, column=ids.index("com-tco") + 1).comment.text
    assert scores.max_row == 1 + len(rows)
    summary = {r["Vendor id"]: r for r in rows_of(book["Summary"])}
    assert {v: r["Graded relative to the segment"] for v, r in summary.items()} == {
        v: ", ".join(names) or None for v, names in RELATIVE.items()
    }


def test_absolute_grading_leaves_no_relative_marker(tmp_path: Path) -> None:
    ev = evaluation_of(make_workspace(tmp_path / "graded", catalog=LATENCY_GRADED))
    assert all(v["relative_grading"] == [] for v in export.export_data(ev)["vendors"])
    assert {r["relative_grading"] for r in read_csv(export.to_csv(ev))} == {"False"}
    book = read_xlsx(export.to_xlsx(ev))
    scores = book["Scores"]
    assert all('"*"' not in c.number_format for row in scores.iter_rows() for c in row)
    assert RELATIVE_NOTE not in [c.value for row in scores.iter_rows() for c in row]
    assert all(r["Graded relative to the segment"] is None for r in rows_of(book["Summary"]))


def test_json_names_each_segments_own_grading(tmp_path: Path) -> None:
    data = export.export_data(evaluation_of(make_workspace(tmp_path / "seg", catalog=SEGMENTS)))
    tco = next(k for k in data["criteria"] if k["id"] == "com-tco")
    assert tco["grading"] == {
        "best": 100000, "worst": 1000000, "segments": {"LLM platform": {"best": 300000, "worst": 3000000}},
    }  # fmt: skip


# --- injection -----------------------------------------------------------------------------------------


@pytest.fixture
def evil(tmp_path: Path) -> Evaluation:
    catalog = CATALOG.replace("name: Audit logging", "name: '@logging'")
    return evaluation_of(make_workspace(tmp_path / "evil", {**VENDORS, "evil": EVIL_VENDOR}, catalog))


def test_csv_neutralises_formula_text(evil: Evaluation) -> None:
    rows = read_csv(export.to_csv(evil))
    mine = [r for r in rows if r["vendor_id"] == "evil"]
    assert {r["vendor_name"] for r in mine} == {"'" + EVIL_NAME}
    by_criterion = {r["criterion_id"]: r for r in mine}
    assert by_criterion["sec-encryption"]["evidence"] == "'+SUM(A1)"
    assert by_criterion["sec-encryption"]["sources"] == "'-2+3"
    assert by_criterion["sec-logging"]["evidence"] == "'@cmd"
    assert by_criterion["sec-logging"]["criterion_name"] == "'@logging"
    assert by_criterion["com-tco"]["evidence"] == "'\tx"
    assert by_criterion["com-latency"]["evidence"] == "'\rx"
    assert by_criterion["com-latency"]["sources"] == "'=1+1"
    for row in rows:
        for column, value in row.items():
            if value.startswith(FORMULA_START):
                float(value)  # only numbers (a negative value) may start with '-'
                assert column in ("score", "raw", "grade", "contribution", "spread", "gate"), column


def test_xlsx_writes_formula_text_as_strings(evil: Evaluation) -> None:
    data = export.to_xlsx(evil)
    book = read_xlsx(data)
    seen: set[str] = set()
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for c in row:
                assert c.data_type != "f", (sheet.title, c.coordinate)
                text = ooxml_text(c.value)
                if isinstance(text, str) and text.startswith(FORMULA_START):
                    assert c.data_type == "s" and c.quotePrefix, (sheet.title, c.coordinate, text)
                    seen.add(text)
    assert {EVIL_NAME, "@logging", *EVIL_TEXTS} <= seen
    summary = {r["Vendor id"]: r for r in rows_of(book["Summary"])}
    assert summary["evil"]["Vendor"] == EVIL_NAME


def test_json_keeps_formula_text_as_is(evil: Evaluation) -> None:
    data = json.loads(export.to_json(evil))
    vendor = next(v for v in data["vendors"] if v["id"] == "evil")
    assert vendor["name"] == EVIL_NAME
    texts = [e["evidence"] for c in vendor["cells"].values() for e in c["evidence"]]
    assert texts == ["+SUM(A1)", "@cmd", "\tx", "\rx"]


# --- the command ---------------------------------------------------------------------------------------


def run(args: list[Any], cwd: Path | None = None) -> tuple[int, str, str]:
    """`evaltool ARGS` in-process: (exit code, stdout, stderr)."""
    return invoke(args, cwd)


FAST = ["--as-of", "2026-11-26", "--samples", "300"]


@pytest.mark.parametrize("fmt", ["xlsx", "csv", "json"])
def test_export_writes_the_default_path(small: Path, fmt: str) -> None:
    code, out, err = run(["export", "--workspace", small, "--format", fmt, *FAST])
    assert code == 0, err
    target = small / "reports" / f"all-segments-catalog-2026-11-26-scorecard.{fmt}"
    assert out.strip() == str(target.resolve())
    data = target.read_bytes()
    if fmt == "xlsx":
        assert read_xlsx(data).sheetnames == SHEETS
    elif fmt == "csv":
        assert len(read_csv(data.decode("utf-8"))) == 4 * 4
    else:
        assert json.loads(data)["provenance"]["as_of"] == "2026-11-26"
    assert sorted(p.name for p in target.parent.iterdir()) == [target.name]  # no temporary file left


def test_export_default_path_names_segment_and_profile(small: Path) -> None:
    code, out, err = run(["export", "-w", small, "-p", "pairwise", "-s", "Vector database", *FAST])
    assert code == 0, err
    target = small / "reports" / "vector-database-pairwise-2026-11-26-scorecard.xlsx"
    assert out.strip() == str(target.resolve())
    summary = rows_of(read_xlsx(target.read_bytes())["Summary"])
    assert {r["Segment"] for r in summary} == {"Vector database"}


def test_export_out_and_format_from_extension(small: Path, tmp_path: Path) -> None:
    target = tmp_path / "out" / "card.csv"
    code, out, err = run(["export", "-w", small, "--out", target, *FAST])
    assert code == 0, err
    assert out.strip() == str(target.resolve())
    assert [r["vendor_id"] for r in read_csv(target.read_text(encoding="utf-8"))][::4] == [
        "delta", "alpha", "beta", "gamma",
    ]  # fmt: skip


def test_export_numbers_match_the_evaluation(small: Path, tmp_path: Path) -> None:
    target = tmp_path / "card.json"
    code, _, err = run(["export", "-w", small, "-o", target, "--seed", "7", *FAST])
    assert code == 0, err
    data = json.loads(target.read_text(encoding="utf-8"))
    ev = evaluation_of(small, samples=300, seed=7)
    mine = export.export_data(ev)
    for key in ("vendors", "weights", "sensitivity", "recommendations"):
        assert data[key] == mine[key]


@pytest.mark.parametrize("inside", ["vendors/alpha.yaml", "vendors/new.xlsx", "criteria/catalog.yaml"])
def test_export_refuses_inputs(small: Path, inside: str) -> None:
    target = small / inside
    before = target.read_bytes() if target.exists() else None
    code, out, err = run(["export", "-w", small, "--format", "xlsx", "--out", target, *FAST])
    assert code == 1
    assert "refused" in err and out == ""
    assert (target.read_bytes() if target.exists() else None) == before


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--profile", "nope"], "unknown profile 'nope'"),
        (
            ["--format", "pdf"],
            "Invalid value for '--format' / '-f': Value error, 'pdf' is not one of 'xlsx', 'csv', 'json'.",
        ),
        (["--format", "csv", "--out", "x.json"], "does not match"),
        (["--segment", "Nope"], "unknown segment 'Nope'"),
        (["--method", "ahp"], "--method must be one of"),
        (["--samples", "0"], ""),
    ],
)
def test_export_usage_errors(small: Path, args: list[str], message: str) -> None:
    code, _, err = run(["export", "-w", small, *args, "--as-of", "2026-11-26"], cwd=small)
    assert code == 2, err
    assert message in unboxed(err)
    assert not (small / "reports").exists()


def test_failed_write_keeps_the_previous_file(small: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    code, out, _ = run(["export", "-w", small, "--format", "json", *FAST])
    assert code == 0
    target = Path(out.strip())
    before = target.read_bytes()

    def refuse(*args: Any, **kwargs: Any) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", refuse)
    code, out, err = run(["export", "-w", small, "--format", "json", "--seed", "1", *FAST])
    assert code == 1
    assert "cannot write" in err and "No space left on device" in err
    assert target.read_bytes() == before
    assert sorted(p.name for p in target.parent.iterdir()) == [target.name]


def test_export_help_lists_the_options() -> None:
    code, out, _ = run(["export", "--help"])
    assert code == 0
    for option in ("--workspace", "--profile", "--segment", "--method", "--format", "--out", "--samples",
                   "--seed", "--as-of"):  # fmt: skip
        assert option in out
