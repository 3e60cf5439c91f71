"""`evaltool template` and `evaltool import`: the assessors' Excel round trip (docs/formats.md, "The scoring
workbook"). Workbooks are filled in by the tests with openpyxl, as a spreadsheet program would."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import openpyxl
import pytest
import yaml
from cli_runner import invoke
from conftest import WorkspaceFactory

HEADERS = [
    "Criterion id", "Criterion", "Category", "Rubric", "Score", "Value", "Unit", "Evidence", "Level",
    "Source", "Expires",
]  # fmt: skip
CRITERIA = ["sec-encryption", "sec-logging", "com-support", "com-tco", "com-latency"]  # rows 9..13


def template(root: Path, *args: str) -> Path:
    out = root / "reports" / "scoring.xlsx"
    code, _, stderr = invoke(["template", "-w", root, "--out", out, *args])
    assert code == 0, stderr
    return out


def fill(path: Path, cells: dict[str, Any], sheet: str | None = None, formula: bool = False) -> Path:
    """Write cells as an assessor would; a text starting with '=' is typed as text unless `formula`."""
    book = openpyxl.load_workbook(path)
    ws = book[sheet] if sheet else book.worksheets[1]
    for ref, value in cells.items():
        ws[ref] = value
        if isinstance(value, str) and value.startswith("=") and not formula:
            ws[ref].data_type = "s"  # what a quote-prefixed text cell reads as
    filled = path.with_name("filled.xlsx")
    book.save(filled)
    return filled


# --- the template ----------------------------------------------------------------------------------------


def test_template_has_instructions_then_a_sheet_with_one_row_per_criterion(
    workspace: WorkspaceFactory,
) -> None:
    root = workspace()
    book = openpyxl.load_workbook(template(root, "--vendor", "acme-vector", "--assessor", "k.lee"))
    assert book.sheetnames == ["Instructions", "acme-vector"]
    ws = book["acme-vector"]
    head = [[ws.cell(r, c).value for c in (1, 2)] for r in range(1, 7)]
    assert head == [
        ["Vendor id", "acme-vector"], ["Vendor name", "Acme Vector"], ["Segment", "Vector database"],
        ["Assessor", "k.lee"], ["Date", None], ["Catalog version", "2026.11"],
    ]  # fmt: skip
    assert [ws.cell(8, c).value for c in range(1, 12)] == HEADERS
    assert [ws.cell(r, 1).value for r in range(9, 14)] == CRITERIA
    assert ws.max_row == 13
    assert ws["D9"].value == (
        "0: No encryption at rest\n3: Customer-managed keys\n5: Bank-held keys in an HSM\n"
        "Gate (knock-out): >= 2"
    )
    assert [ws[f"G{r}"].value for r in range(9, 14)] == [None, None, None, "USD", "ms"]
    # the template is blank: a new assessment, never the scores already on file
    assert all(ws.cell(r, c).value is None for r in range(9, 14) for c in range(5, 12) if c != 7)


def test_template_validates_and_locks_cells(workspace: WorkspaceFactory) -> None:
    ws = openpyxl.load_workbook(template(workspace(), "--vendor", "acme-vector"))["acme-vector"]
    rules = {str(v.sqref): (v.type, v.formula1) for v in ws.data_validations.dataValidation}
    assert rules["E9"] == ("list", '"0,0.5,1,1.5,2,2.5,3,3.5,4,4.5,5"')
    assert rules["E11"] == rules["E9"] and "E12" not in rules  # com-tco is a metric: no score
    assert rules["F12"][0] == "decimal" and "F9" not in rules
    assert rules["I9"] == ("list", '"claimed,documented,verified,poc"')
    assert rules["K9"][0] == "date" and rules["B5"][0] == "date"
    assert ws.protection.sheet is True and not ws.protection.password
    locked = {ref: ws[ref].protection.locked for ref in ("A9", "B9", "D9", "F9", "G12", "B1", "B3")}
    assert all(locked.values()), locked
    unlocked = ("E9", "F12", "H9", "I9", "J9", "K9", "B4", "B5")
    assert not any(ws[ref].protection.locked for ref in unlocked)
    assert ws["K9"].number_format == "yyyy-mm-dd"


def test_segment_without_vendor_writes_one_sheet_per_vendor_of_the_segment(
    workspace: WorkspaceFactory,
) -> None:
    book = openpyxl.load_workbook(template(workspace(), "--segment", "Vector database"))
    assert book.sheetnames == ["Instructions", "acme-vector", "beta-vector"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--vendor", "delta-llm"],
         "vendor 'delta-llm' is not in the workspace: give --segment S to start a new vendor"),
        (["--vendor", "acme-vector", "--segment", "LLM platform"],
         "vendor 'acme-vector' is in segment 'Vector database', not 'LLM platform'"),
        ([], "give --vendor ID (one vendor) or --segment S (every vendor of S)"),
        (["--segment", "Graph database"],
         "--segment 'Graph database' is not one of the segments: Vector database, LLM platform"),
        (["--vendor", "acme-vector", "--out", "scores.csv"],
         "--out must name an .xlsx file, not 'scores.csv'"),
    ],
)  # fmt: skip
def test_template_usage_errors(workspace: WorkspaceFactory, args: list[str], message: str) -> None:
    root = workspace()
    code, _, stderr = invoke(["template", "-w", root, *args])
    assert (code, stderr.splitlines()[-1]) == (2, message)
    assert not (root / "reports").exists()


def test_template_is_never_written_into_vendors(workspace: WorkspaceFactory) -> None:
    root = workspace()
    code, _, stderr = invoke(["template", "-w", root, "--vendor", "acme-vector", "--out", "vendors/x.xlsx"],
                             cwd=root)  # fmt: skip
    assert code == 1
    assert "vendors/x.xlsx: refused: outputs are never written into the workspace's vendors/ folder" in stderr


def test_text_that_looks_like_a_formula_is_written_as_text(workspace: WorkspaceFactory) -> None:
    root = workspace.edited(("vendors/acme-vector", "name: Acme Vector", 'name: "=HYPERLINK(\\"x\\")"'))
    cell = openpyxl.load_workbook(template(root, "--vendor", "acme-vector"))["acme-vector"]["B2"]
    assert (cell.value, cell.data_type, cell.quotePrefix) == ('=HYPERLINK("x")', "s", True)


# --- the round trip --------------------------------------------------------------------------------------


def test_round_trip_new_vendor_scores_as_computed_by_hand(workspace: WorkspaceFactory) -> None:
    root = workspace()
    path = template(root, "--vendor", "delta-llm", "--segment", "LLM platform", "--assessor", "k.lee")
    filled = fill(path, {
        "B5": dt.date(2026, 11, 20), "E9": 4, "E10": 3.5, "E11": 5, "F12": 325000,
        "H12": "Quote Q-77", "I12": "documented", "K12": dt.date(2099, 1, 31),
    })  # fmt: skip
    code, out, _ = invoke(["import", filled, "-w", root])
    assert code == 0
    assert not (root / "vendors" / "delta-llm.yaml").exists()  # without --write nothing is written
    assert out.startswith("# vendors/delta-llm.yaml: new file\n")
    code, out, stderr = invoke(["import", filled, "-w", root, "--write"])
    assert (code, out) == (
        0,
        "created vendors/delta-llm.yaml: assessment by 'k.lee' (4 criteria scored)\n",
    ), stderr
    data = yaml.safe_load((root / "vendors" / "delta-llm.yaml").read_text(encoding="utf-8"))
    assert data == {
        "id": "delta-llm", "name": "Delta Llm", "segment": "LLM platform",
        "assessments": [{"assessor": "k.lee", "date": dt.date(2026, 11, 20), "scores": {
            "sec-encryption": 4, "sec-logging": 3.5, "com-support": 5,
            "com-tco": {"value": 325000, "evidence": "Quote Q-77", "level": "documented",
                        "expires": dt.date(2099, 1, 31)},
        }}],
    }  # fmt: skip
    assert invoke(["validate", "-w", root])[0] == 0
    code, out, _ = invoke(["score", "-w", root, "--segment", "LLM platform", "--format", "json"])
    score = next(v["score"] for v in json.loads(out)["vendors"] if v["id"] == "delta-llm")
    # weights: sec-encryption 0.6 x 2/3 = 0.4, sec-logging 0.2, each commercial criterion 0.4/3;
    # com-tco 325,000 USD on best 100,000 / worst 1,000,000: 5 x 675/900 = 3.75; com-latency unscored: 0.
    # 100/5 x (0.4x4 + 0.2x3.5 + 0.4/3 x (5 + 3.75)) = 20 x 3.4666... = 69.333...
    assert score == pytest.approx(208 / 3, abs=1e-9)


def test_import_appends_and_keeps_every_other_byte(workspace: WorkspaceFactory) -> None:
    root = workspace.edited(
        ("vendors/acme-vector", "      com-support: null\n", "      com-support: null  # not yet\n# kept\n")
    )
    before = (root / "vendors" / "acme-vector.yaml").read_text(encoding="utf-8")
    filled = fill(template(root, "--vendor", "acme-vector", "--assessor", "k.lee"),
                  {"B5": "2026-11-20", "E9": 4, "H9": "=cmd|' /C calc'!A0"})  # fmt: skip
    code, out, _ = invoke(["import", filled, "-w", root, "--write"])
    assert code == 0, out
    block = (
        '  - assessor: "k.lee"\n'
        "    date: 2026-11-20\n"
        "    scores:\n"
        "      sec-encryption:\n"
        "        score: 4\n"
        "        evidence: \"=cmd|' /C calc'!A0\"\n"
    )
    after = (root / "vendors" / "acme-vector.yaml").read_text(encoding="utf-8")
    anchor = "      com-support: null  # not yet\n"
    assert after == before.replace(anchor, anchor + block)
    assert invoke(["validate", "-w", root])[0] == 0


def test_a_second_import_by_the_same_assessor_is_refused(workspace: WorkspaceFactory) -> None:
    root = workspace()
    filled = fill(
        template(root, "--vendor", "acme-vector", "--assessor", "k.lee"), {"B5": "2026-11-20", "E9": 4}
    )
    assert invoke(["import", filled, "-w", root, "--write"])[0] == 0
    after_first = (root / "vendors" / "acme-vector.yaml").read_bytes()
    code, out, stderr = invoke(["import", filled, "-w", root, "--write"])
    assert (code, out) == (1, "")
    assert stderr.splitlines()[-1] == (
        f"{filled}:acme-vector!B4: vendors/acme-vector.yaml already has an assessment by 'k.lee'; "
        "import never changes an existing assessment: edit that one in the file, or give another assessor"
    )
    assert (root / "vendors" / "acme-vector.yaml").read_bytes() == after_first


def test_a_vendor_file_with_top_level_scores_is_refused(workspace: WorkspaceFactory) -> None:
    root = workspace()
    filled = fill(
        template(root, "--vendor", "beta-vector", "--assessor", "k.lee"), {"B5": "2026-11-20", "E9": 4}
    )
    code, _, stderr = invoke(["import", filled, "-w", root, "--write"])
    assert code == 1
    assert stderr.splitlines()[-1] == (
        f"{filled}:beta-vector!B1: vendors/beta-vector.yaml keeps its scores under a top-level 'scores:'; "
        "move them under 'assessments:' (one entry per assessor) before importing another assessor's scores"
    )


# --- every problem, by cell ------------------------------------------------------------------------------

GOOD = {"B5": dt.date(2026, 11, 20), "E9": 4, "F12": 300000}
BAD = [
    ({"E9": 7}, "E9", "score 7 is outside the rubric scale 0..5"),
    ({"E9": "high"}, "E9", "score must be a number, not 'high'"),
    ({"F9": 3}, "F9", "'sec-encryption' is a rubric criterion: give a Score 0..5, not a Value"),
    ({"E12": 3}, "E12", "'com-tco' is a metric criterion: give its measured Value, not a Score"),
    ({"F12": "cheap"}, "F12", "value must be a number, not 'cheap'"),
    ({"A10": "sec-loging", "E10": 3}, "A10", "unknown criterion 'sec-loging' (did you mean 'sec-logging'?)"),
    ({"A10": "sec-encryption", "E10": 3}, "A10", "criterion 'sec-encryption' appears twice (also in row 9)"),
    ({"A10": None, "E10": 3}, "A10", "a row with entries needs its criterion id"),
    ({"B4": None}, "B4", "the assessor is missing"),
    ({"B5": None}, "B5", "the date of the assessment is missing"),
    ({"B5": "30/11/2026"}, "B5", "must be a date YYYY-MM-DD, not '30/11/2026'"),
    ({"B5": dt.datetime(2026, 11, 20, 9, 30)}, "B5",
     "must be a date without a time, not 2026-11-20 09:30:00"),
    ({"I9": "certain"}, "I9", "level 'certain' is not one of claimed, documented, verified, poc"),
    ({"K9": "2027-02-30"}, "K9", "'2027-02-30' is not a real date"),
    ({"A8": "Id"}, "A8", "expected 'Criterion id', found 'Id': the sheet's layout was changed"),
    ({"A1": "Vendor"}, "A1", "expected 'Vendor id': this is not a sheet written by `evaltool template`"),
    ({"B3": "LLM platform"}, "B3",
     "segment 'LLM platform' differs from vendors/acme-vector.yaml, which reads 'Vector database'"),
    ({"B1": "Acme!"}, "B1", "'Acme!' is not a valid vendor id"),
    ({"H9": "bad\x85text"}, "H9", "contains the control character U+0085; remove it"),
]  # fmt: skip


@pytest.mark.parametrize(("cells", "ref", "message"), BAD, ids=[f"{b[1]}-{b[2][:30]}" for b in BAD])
def test_every_problem_is_reported_by_cell_and_nothing_is_written(
    workspace: WorkspaceFactory, cells: dict[str, Any], ref: str, message: str
) -> None:
    root = workspace()
    before = (root / "vendors" / "acme-vector.yaml").read_bytes()
    filled = fill(template(root, "--vendor", "acme-vector", "--assessor", "k.lee"), GOOD | cells)
    code, out, stderr = invoke(["import", filled, "-w", root, "--write"])
    assert (code, out) == (1, "")
    assert stderr.splitlines()[1:] == [f"{filled}:acme-vector!{ref}: {message}"]
    assert (root / "vendors" / "acme-vector.yaml").read_bytes() == before


def test_a_formula_is_refused_and_every_problem_listed(workspace: WorkspaceFactory) -> None:
    root = workspace()
    path = template(root, "--vendor", "acme-vector", "--assessor", "k.lee")
    filled = fill(path, GOOD | {"E9": "=2+2", "E10": 9}, formula=True)
    code, _, stderr = invoke(["import", filled, "-w", root])
    assert code == 1
    assert stderr.splitlines()[1:] == [
        f"{filled}:acme-vector!E9: is a formula; enter the value itself "
        "(import reads values, never formulas)",
        f"{filled}:acme-vector!E10: score 9 is outside the rubric scale 0..5",
    ]


def test_two_sheets_for_one_vendor_are_refused(workspace: WorkspaceFactory) -> None:
    root = workspace()
    path = template(root, "--segment", "Vector database", "--assessor", "k.lee")
    filled = fill(path, {"B1": "acme-vector", "B5": "2026-11-20", "E9": 3}, sheet="beta-vector")
    filled = fill(filled, {"B5": "2026-11-20", "E9": 4}, sheet="acme-vector")
    code, _, stderr = invoke(["import", filled, "-w", root])
    assert code == 1
    assert stderr.splitlines()[1:] == [
        f"{filled}:beta-vector!B1: vendor 'acme-vector' is also on sheet 'acme-vector': one sheet per vendor"
    ]


def test_a_file_that_is_not_a_workbook(workspace: WorkspaceFactory) -> None:
    root = workspace()
    bogus = root / "scores.xlsx"
    bogus.write_text("id,score\n", encoding="utf-8")
    code, _, stderr = invoke(["import", bogus, "-w", root])
    assert code == 1
    assert stderr.splitlines()[-1] == (
        f"{bogus}: is not an Excel workbook (.xlsx) that can be read: File is not a zip file"
    )


def test_a_sheet_left_blank_is_left_out_and_said_so(workspace: WorkspaceFactory) -> None:
    root = workspace()
    path = template(root, "--segment", "Vector database", "--assessor", "k.lee")
    code, _, stderr = invoke(["import", path, "-w", root])
    assert (code, stderr.splitlines()[-1]) == (1, f"{path}: has nothing filled in")
    filled = fill(path, {"B5": "2026-11-20", "E9": 4}, sheet="acme-vector")
    code, out, stderr = invoke(["import", filled, "-w", root, "--write"])
    assert code == 0
    assert stderr.splitlines()[1:] == ["note: sheet 'beta-vector' has nothing filled in; left out"]
    assert out == "appended to vendors/acme-vector.yaml: assessment by 'k.lee' (1 criterion scored)\n"


def test_a_sheet_with_too_many_rows_is_refused_unread(workspace: WorkspaceFactory) -> None:
    root = workspace()
    filled = fill(
        template(root, "--vendor", "acme-vector", "--assessor", "k.lee"), {"B5": "2026-11-20", "H20009": "x"}
    )
    code, _, stderr = invoke(["import", filled, "-w", root])
    assert (code, stderr.splitlines()[1:]) == (
        1,
        [f"{filled}:acme-vector!A1: the sheet has 20,009 rows; a scoring sheet has one per criterion"],
    )


def test_a_zip_that_is_not_a_workbook(workspace: WorkspaceFactory) -> None:
    import zipfile

    root = workspace()
    bogus = root / "scores.xlsx"
    with zipfile.ZipFile(bogus, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types")
    code, _, stderr = invoke(["import", bogus, "-w", root])
    assert code == 1
    assert stderr.splitlines()[-1].startswith(f"{bogus}: is not an Excel workbook (.xlsx) that can be read: ")


def test_a_sheet_name_cannot_forge_a_problem_line(workspace: WorkspaceFactory) -> None:
    root = workspace()
    path = template(root, "--vendor", "acme-vector", "--assessor", "k.lee")
    book = openpyxl.load_workbook(path)
    book["acme-vector"].title = "x\u202ey"
    book["x\u202ey"]["E9"] = 9
    book["x\u202ey"]["B5"] = "2026-11-20"
    book.save(path)
    code, _, stderr = invoke(["import", path, "-w", root])
    assert code == 1
    assert stderr.splitlines()[1:] == [f"{path}:x\\u202ey!E9: score 9 is outside the rubric scale 0..5"]
