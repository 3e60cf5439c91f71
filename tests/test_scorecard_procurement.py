"""The scorecard procurement opens: the Commercial and Procurement summary sheets, the same fields in the
CSV and JSON, one table per sheet for pandas, metric amounts with their unit and references beside scores.

The workspace is conftest's, with com-tco computed from gamma-llm's commercial block (tests/test_commercial.py
GAMMA): every expected amount and date is worked out by hand there and below.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from pathlib import Path
from typing import Any

import openpyxl
import pandas as pd
import pytest
from test_commercial import COMPUTED, GAMMA_TOTAL, gamma

from evaltool.evaluation import Evaluation, evaluate
from evaltool.reports import scorecard as export
from evaltool.workspace import load_workspace

AS_OF = dt.date(2026, 12, 1)
NOW = dt.datetime(2026, 12, 1, 9, 0, tzinfo=dt.UTC)
REFERENCES = (
    "catalog",
    "        gate: 2\n",
    "        gate: 2\n        references: [DORA Art. 30(2)(c), ISO/IEC 27001:2022 A.8.24]\n",
)


def day(text: str) -> dt.datetime:
    """A date as openpyxl reads a date cell back."""
    return dt.datetime.combine(dt.date.fromisoformat(text), dt.time())


@pytest.fixture
def ev(workspace: Any) -> Evaluation:
    root: Path = workspace.edited(COMPUTED, REFERENCES, gamma("", ""))
    return evaluate(load_workspace(root, AS_OF), samples=300, now=NOW)


@pytest.fixture
def book(ev: Evaluation) -> openpyxl.Workbook:
    return openpyxl.load_workbook(io.BytesIO(export.to_xlsx(ev)))


def rows(sheet: Any) -> dict[str, dict[str, Any]]:
    header = [c.value for c in sheet[1]]
    found = [dict(zip(header, (c.value for c in row), strict=True)) for row in sheet.iter_rows(min_row=2)]
    return {row.get("Vendor id") or row["Vendor"]: row for row in found}


def test_commercial_sheet_holds_amounts_and_dates_as_numbers(book: openpyxl.Workbook) -> None:
    sheet = book["Commercial"]
    by_vendor = rows(sheet)
    assert sorted(by_vendor) == ["acme-vector", "beta-vector", "gamma-llm"]  # every vendor has its row
    g = by_vendor["gamma-llm"]
    assert (g["Supplier id"], g["Currency"], g["Pricing model"]) == ("SUP-104233", "USD", "consumption")
    # years 290000, 240000 and 270000 (tests/test_commercial.py); licence 200000 + 210000 + 220000.5
    assert [g["TCO year 1"], g["TCO year 2"], g["TCO year 3"], g["TCO total"]] == [
        290000,
        240000,
        270000,
        800000,
    ]
    components = ("License", "Infrastructure", "Services", "Internal", "Other")
    assert [g[f"{c} (all years)"] for c in components] == [630000.5, None, 50000, 100000, 19999.5]
    # start 2027-01-01 + 36 months = 2030-01-01; minus 90 days = 2029-10-03
    assert (g["Contract start"], g["Renewal"], g["Notice deadline"]) == (
        day("2027-01-01"), day("2030-01-01"), day("2029-10-03"),
    )  # fmt: skip
    assert (g["Term (months)"], g["Notice (days)"], g["Liability cap"]) == (36, 90, 1000000)
    assert (g["Indemnities"], g["Discount (%)"]) == ("ip, ai-output", 12.5)
    header = [c.value for c in sheet[1]]
    cells = {h: sheet.cell(row=4, column=i + 1) for i, h in enumerate(header)}
    for name in ("TCO year 1", "TCO total", "Liability cap", "Discount (%)", "Term (months)"):
        assert cells[name].data_type == "n", name  # a number, not text
    assert cells["TCO total"].number_format == "#,##0"
    assert cells["Notice deadline"].is_date
    blank = by_vendor["acme-vector"]
    assert all(blank[h] is None for h in header[3:])


def test_procurement_summary_is_one_printable_page_across(book: openpyxl.Workbook, ev: Evaluation) -> None:
    sheet = book["Procurement summary"]
    assert book.sheetnames[0] == "Procurement summary"
    header = [c.value for c in sheet[1]]
    assert header == ["Segment", "Vendor", "Recommendation", "Rank", "Score", "TCO total", "Currency",
                      "Contract start", "Renewal", "Notice deadline", "Open points"]  # fmt: skip
    g = rows(sheet)["Gamma LLM"]
    # 40% x grade 5 (sec-encryption) + 40%/3 x 10/9 (com-tco), over 5, in points: 20 x 58/27 = 1160/27
    assert g["Score"] == pytest.approx(1160 / 27, abs=1e-12)
    assert g["Score"] == ev.result.vendor("gamma-llm").score  # the full double, not the 43.0 shown
    assert sheet.cell(row=4, column=5).number_format == "0.0"
    assert (g["TCO total"], g["Currency"], g["Notice deadline"]) == (GAMMA_TOTAL, "USD", day("2029-10-03"))
    assert g["Recommendation"] == ev.recommendations["gamma-llm"].decision_text
    assert g["Open points"] is None  # below the score floor: nothing to close before a PoC
    # beta-vector's sec-encryption is 2 against a gate of 2: passed by less than half a point
    assert rows(sheet)["Beta Vector"]["Open points"] == "borderline gate sec-encryption: 2 meets gate >= 2"
    assert rows(sheet)["Acme Vector"]["TCO total"] is None
    setup = sheet.page_setup
    assert setup.orientation == "landscape"
    assert sheet.sheet_properties.pageSetUpPr.fitToPage is True
    assert setup.fitToWidth in (None, 1) and setup.fitToHeight == 0  # one page wide, as long as it takes
    assert sheet.print_title_rows == "$1:$1"  # the header repeats on every printed page
    assert book["Commercial"].print_title_rows == "$1:$1"
    assert book["Commercial"].page_setup.orientation == "landscape"


# Each sheet's header, read by pandas with its first row as the header and nothing else on the sheet.
HEADERS = {
    "Procurement summary": 11,
    "Commercial": 24,
    "Evidence": [
        "Segment",
        "Vendor",
        "Vendor id",
        "Criterion id",
        "Criterion",
        "Assessor",
        "Given",
        "Unit",
        "Evidence",
        "Level",
        "Source",
        "Expires",
        "Stale",
        "References",
    ],
    "Flip points": ["Segment", "Kind", "Id", "Name", "Weight", "Leader changes at", "Leader", "New leader"],
    "Rules": ["Recommendation rules"],
    "Provenance": ["Item", "Value", "Detail"],
}


def test_every_sheet_is_one_table_under_one_header_row(ev: Evaluation) -> None:
    data = io.BytesIO(export.to_xlsx(ev))
    frames = pd.read_excel(data, sheet_name=None)
    vendors = len(ev.result.vendors())
    for name, frame in frames.items():
        columns = list(frame.columns)
        assert not [c for c in columns if str(c).startswith("Unnamed")], name
        assert not frame.isna().all(axis=1).any(), f"{name}: an empty row inside the table"
        expected = HEADERS.get(name)
        if isinstance(expected, list):
            assert columns == expected, name
        elif expected is not None:
            assert len(columns) == expected, name
    per_vendor = ["Procurement summary", "Summary", "Scores", "Commercial", "Sensitivity", "Recommendations"]
    assert {name: len(frames[name]) for name in per_vendor} == dict.fromkeys(per_vendor, vendors)
    # one row per assessor's entry, one per cell nobody assessed: acme 2 + 1 + 2 + 1 + 1 (two assessors
    # on sec-encryption and com-support), beta 5, gamma 5 (two entries, three cells unassessed)
    assert len(frames["Evidence"]) == 17
    assert len(frames["Flip points"]) == len(ev.sensitivity.flips)
    assert len(frames["Rules"]) == 1
    provenance = frames["Provenance"]
    assert provenance["Item"].tolist().count("Input file") == len(ev.provenance.files)


def test_scores_show_one_decimal_and_keep_every_digit(book: openpyxl.Workbook, ev: Evaluation) -> None:
    sheet = book["Scores"]
    header = [c.value for c in sheet[1]]
    by_vendor = rows(sheet)
    for row_number, v in enumerate(ev.result.vendors(), start=2):
        assert by_vendor[v.id]["Score"] == v.score
        assert sheet.cell(row=row_number, column=header.index("Score") + 1).number_format == "0.0"
        for k in ("sec-encryption", "com-tco"):
            cell = sheet.cell(row=row_number, column=header.index(k) + 1)
            assert cell.value == v.cells[k].grade
            assert cell.value is None or cell.number_format == "0.0"
    assert by_vendor["gamma-llm"]["com-tco"] == pytest.approx(10 / 9, abs=1e-15)


def test_a_metric_shows_its_measured_amount_and_unit_beside_its_grade(book: openpyxl.Workbook) -> None:
    sheet = book["Scores"]
    header = [c.value for c in sheet[1]]
    for k, unit in (("com-tco", "USD"), ("com-latency", "ms")):
        assert header[header.index(k) + 1] == f"{k} measured ({unit})"
    assert "sec-encryption measured" not in " ".join(header)
    g = rows(sheet)["gamma-llm"]
    assert g["com-tco measured (USD)"] == GAMMA_TOTAL
    assert sheet.cell(row=4, column=header.index("com-tco measured (USD)") + 1).number_format == "#,##0"
    assert rows(sheet)["acme-vector"]["com-latency measured (ms)"] == 35
    evidence = [r for r in _table(book["Evidence"]) if r["Vendor id"] == "gamma-llm"]
    units = {r["Criterion id"]: r["Unit"] for r in evidence}
    assert units == {"sec-encryption": "0-5", "sec-logging": "0-5", "com-support": "0-5",
                     "com-tco": "USD", "com-latency": "ms"}  # fmt: skip
    assert next(r["Given"] for r in evidence if r["Criterion id"] == "com-tco") == GAMMA_TOTAL


def _table(sheet: Any) -> list[dict[str, Any]]:
    header = [c.value for c in sheet[1]]
    return [dict(zip(header, (c.value for c in row), strict=True)) for row in sheet.iter_rows(min_row=2)]


def test_references_show_on_scores_evidence_and_weights(book: openpyxl.Workbook) -> None:
    shown = "DORA Art. 30(2)(c); ISO/IEC 27001:2022 A.8.24"
    evidence = _table(book["Evidence"])
    assert {r["References"] for r in evidence if r["Criterion id"] == "sec-encryption"} == {shown}
    assert {r["References"] for r in evidence if r["Criterion id"] != "sec-encryption"} == {None}
    scores = book["Scores"]
    header = [c.value for c in scores[1]]
    note = scores.cell(row=1, column=header.index("sec-encryption") + 1).comment.text
    assert note.splitlines() == [
        "Encryption and key management",
        "Category: Security",
        "Effective weight: 40.0%",  # security 60% x 2/3 within the category
        "Grade 0-5",
        f"References: {shown}",
    ]
    assert "References" not in scores.cell(row=1, column=header.index("sec-logging") + 1).comment.text
    weights = {r["Criterion id"]: r["References"] for r in _table(book["Weights"])}
    assert weights["sec-encryption"] == shown and weights["com-tco"] is None


def test_csv_carries_the_commercial_fields_on_each_row(ev: Evaluation) -> None:
    text = export.to_csv(ev)
    table = list(csv.DictReader(io.StringIO(text[1:], newline="")))
    mine = [r for r in table if r["vendor_id"] == "gamma-llm"]
    assert len(mine) == 5
    for r in mine:
        assert (r["supplier_id"], r["currency"], r["pricing_model"]) == ("SUP-104233", "USD", "consumption")
        assert r["tco_by_year"] == "1: 290000.0 | 2: 240000.0 | 3: 270000.0"
        assert float(r["tco_total"]) == GAMMA_TOTAL
        assert (r["contract_start"], r["term_months"], r["renewal"]) == ("2027-01-01", "36", "2030-01-01")
        assert (r["notice_days"], r["notice_deadline"]) == ("90", "2029-10-03")
        assert (r["liability_cap"], r["indemnities"], r["discount_pct"]) == (
            "1000000.0",
            "ip;ai-output",
            "12.5",
        )
    other = [r for r in table if r["vendor_id"] == "acme-vector"]
    assert {r["tco_total"] + r["supplier_id"] + r["notice_deadline"] for r in other} == {""}


def test_json_carries_the_commercial_block_with_its_totals(ev: Evaluation) -> None:
    vendors = {v["id"]: v for v in export.export_data(ev)["vendors"]}
    assert vendors["acme-vector"]["commercial"] is None
    assert vendors["gamma-llm"]["commercial"] == {
        "supplier_id": "SUP-104233",
        "currency": "USD",
        "pricing_model": "consumption",
        "tco": [
            {
                "year": 1,
                "components": {"license": 200000, "services": 50000, "internal": 40000},
                "total": 290000,
            },
            {"year": 2, "components": {"license": 210000, "internal": 30000}, "total": 240000},
            {
                "year": 3,
                "components": {"license": 220000.5, "internal": 30000, "gpu-reservation": 19999.5},
                "total": 270000,
            },
        ],
        "tco_total": 800000,
        "contract": {
            "start": "2027-01-01",
            "term_months": 36,
            "renewal": "2030-01-01",
            "notice_days": 90,
            "notice_deadline": "2029-10-03",
            "liability_cap": 1000000,
            "indemnities": ["ip", "ai-output"],
            "discount_pct": 12.5,
        },
        "notes": None,
    }


def test_commercial_text_never_becomes_a_formula(workspace: Any) -> None:
    edits = gamma("  supplier_id: SUP-104233\n", '  supplier_id: "=HYPERLINK(1)"\n  notes: "@SUM(1)"\n')
    root = workspace.edited(COMPUTED, edits)
    ev = evaluate(load_workspace(root, AS_OF), samples=300, now=NOW)
    sheet = openpyxl.load_workbook(io.BytesIO(export.to_xlsx(ev)))["Commercial"]
    header = [c.value for c in sheet[1]]
    for name, text in (("Supplier id", "=HYPERLINK(1)"), ("Notes", "@SUM(1)")):
        cell = sheet.cell(row=4, column=header.index(name) + 1)
        assert (cell.value, cell.data_type, cell.quotePrefix) == (text, "s", True)
    table = list(csv.DictReader(io.StringIO(export.to_csv(ev)[1:], newline="")))
    assert {r["supplier_id"] for r in table if r["vendor_id"] == "gamma-llm"} == {"'=HYPERLINK(1)"}


def test_a_failed_gate_is_an_open_point_naming_the_criterion(workspace: Any) -> None:
    root = workspace.edited(COMPUTED, gamma("  sec-encryption: 5\n", "  sec-encryption: 1\n"))
    ev = evaluate(load_workspace(root, AS_OF), samples=300, now=NOW)
    sheet = openpyxl.load_workbook(io.BytesIO(export.to_xlsx(ev)))["Procurement summary"]
    gamma_row = rows(sheet)["Gamma LLM"]
    assert gamma_row["Open points"] == "failed gate sec-encryption: 1 below gate >= 2"
    assert gamma_row["Recommendation"] == "do not proceed"
