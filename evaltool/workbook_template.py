"""The assessors' scoring workbook (`evaltool template`): instructions, then one sheet per vendor.

Each vendor sheet has a few header cells that `evaltool import` reads (vendor id, name, segment, assessor,
date), then a table with one row per criterion of the catalog, in catalog order. Only the cells an
assessor fills in are unlocked; the sheet is protected without a password (docs/formats.md, "The scoring
workbook"). Spreadsheet safety (SECURITY.md, "Spreadsheets"): every text is a string cell, never a
formula, and a text that begins like a formula carries Excel's quote prefix.
"""

from __future__ import annotations

import datetime as dt
import io
import math
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from evaltool.models import EVIDENCE_LEVELS, Catalog, Category, Criterion
from evaltool.serialize import FORMULA_START
from evaltool.wording import gate_condition

if TYPE_CHECKING:
    from xlsxwriter.format import Format
    from xlsxwriter.workbook import Workbook
    from xlsxwriter.worksheet import Worksheet

INSTRUCTIONS = "Instructions"
# The header cells, column A (label) and B (value), rows 1..6 as a spreadsheet numbers them.
LABELS = ("Vendor id", "Vendor name", "Segment", "Assessor", "Date", "Catalog version")
HEADER_ROW = 8  # the table's header row, 1-based; criteria follow from the next row
COLUMNS = (
    "Criterion id",
    "Criterion",
    "Category",
    "Rubric",
    "Score",
    "Value",
    "Unit",
    "Evidence",
    "Level",
    "Source",
    "Expires",
)
WIDTHS = (18, 30, 20, 50, 8, 12, 8, 45, 12, 30, 12)
# The scores the dropdown offers: the rubric's whole and half points (the loader accepts any 0..5).
SCORE_CHOICES = tuple(f"{step / 2:g}" for step in range(11))
MAX_SHEET_NAME = 31  # Excel's limit
INSTRUCTIONS_WIDTH = 110


@dataclass(frozen=True)
class VendorSheet:
    """What one vendor sheet is about: a vendor of the workspace, or a new one (`new`)."""

    vendor_id: str
    name: str
    segment: str
    assessor: str
    new: bool


def column(name: str) -> int:
    """0-based position of a table column."""
    return COLUMNS.index(name)


def sheet_names(sheets: list[VendorSheet]) -> list[str]:
    """A sheet name per vendor: its id, cut to Excel's 31 characters and made unique."""
    names: list[str] = []
    for sheet in sheets:
        base = sheet.vendor_id[:MAX_SHEET_NAME]
        name, n = base, 1
        while name in names or name == INSTRUCTIONS:
            n += 1
            name = f"{base[: MAX_SHEET_NAME - len(str(n)) - 1]}~{n}"
        names.append(name)
    return names


def rubric_text(criterion: Criterion) -> str:
    """What the Rubric column says: the anchors of a rubric criterion, or how a metric is measured."""
    if criterion.is_metric:
        unit = f" in {criterion.unit}" if criterion.unit else ""
        better = "higher" if criterion.higher_is_better else "lower"
        lines = [f"Measured value{unit}; {better} is better. Enter it under Value."]
    else:
        lines = [f"{level}: {text}" for level, text in sorted((criterion.rubric or {}).items())]
        lines = lines or ["Score 0..5."]
    if criterion.gate is not None:
        lines.append(f"Gate (knock-out): {gate_condition(criterion, criterion.gate)}")
    return "\n".join(lines)


def instruction_lines(catalog: Catalog) -> list[str]:
    """The instructions sheet, one line per row."""
    levels = ", ".join(EVIDENCE_LEVELS)
    return [
        f"Scoring workbook for the catalog '{catalog.catalog}' version {catalog.version}",
        "",
        "How to fill it in",
        "1. Each vendor has its own sheet. Enter your name under Assessor and the date of the assessment "
        "under Date (YYYY-MM-DD).",
        "2. One row per criterion. Rubric criteria: choose a Score from 0 to 5 (half points allowed); the "
        "Rubric column says what each level means.",
        "3. Metric criteria: enter the measured number under Value, in the unit shown; leave Score empty.",
        "4. Evidence: what the score rests on. Level: " + levels + ". Source: a URL or document reference. "
        "Expires: the date after which the evidence is stale.",
        "5. Leave a row empty when you have not assessed that criterion. Grey cells are locked: the sheet is "
        "protected without a password, so that the criterion ids stay as the catalog has them.",
        "",
        "The rubric scale",
        "0 = absent or unacceptable; 5 = the best the market offers; each criterion's Rubric column gives "
        "its own anchors. A gate is a knock-out: below it the vendor is not eligible.",
        "",
        "Evidence levels",
        "claimed: the vendor says so; documented: in a document the vendor supplied; verified: checked by "
        "the bank; poc: measured in a proof of concept.",
        "",
        "What happens on import",
        "The architect runs `evaltool import FILE.xlsx`: every problem is listed by cell "
        "(FILE.xlsx:Sheet!E12: message) and nothing is written until all are fixed. With --write the "
        "assessment is added to the vendor's file (a new file for a new vendor), beside the other "
        "assessors'. Cell contents are read as data: a formula is refused, a text is kept as text.",
    ]


class _Writer:
    """The workbook and its few formats."""

    def __init__(self, stream: io.BytesIO) -> None:
        from xlsxwriter.workbook import Workbook

        self.book: Workbook = Workbook(
            stream,
            {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False,
             "strings_to_numbers": False},
        )  # fmt: skip
        self.props: dict[str, dict[str, Any]] = {
            "text": {"valign": "top", "bg_color": "#F2F2F2"},
            "wrap": {"valign": "top", "text_wrap": True, "bg_color": "#F2F2F2"},
            "plain": {"valign": "top", "text_wrap": True},
            "label": {"bold": True, "valign": "top"},
            "title": {"bold": True, "font_size": 12},
            "header": {"bold": True, "text_wrap": True, "valign": "top", "font_color": "#FFFFFF",
                       "bg_color": "#1F3864", "border": 1},
            "input": {"valign": "top", "locked": False, "border": 1, "border_color": "#8EA9DB"},
            "input_wrap": {"valign": "top", "text_wrap": True, "locked": False, "border": 1,
                           "border_color": "#8EA9DB"},
            "input_date": {"valign": "top", "locked": False, "num_format": "yyyy-mm-dd", "align": "left",
                           "border": 1, "border_color": "#8EA9DB"},
            "input_number": {"valign": "top", "locked": False, "num_format": "General", "border": 1,
                             "border_color": "#8EA9DB"},
        }  # fmt: skip
        self.formats: dict[str, Format] = {k: self.book.add_format(v) for k, v in self.props.items()}
        self._quoted: dict[str, Format] = {}

    def text(self, ws: Worksheet, row: int, col: int, value: str, fmt: str = "text") -> None:
        """A string cell (never a formula); one that begins like a formula gets the quote prefix."""
        if not value:
            ws.write_blank(row, col, None, self.formats[fmt])
            return
        chosen = self.formats[fmt]
        if value.startswith(FORMULA_START):
            if fmt not in self._quoted:
                self._quoted[fmt] = self.book.add_format(self.props[fmt] | {"quote_prefix": True})
            chosen = self._quoted[fmt]
        ws.write_string(row, col, value, chosen)


def _height(texts: list[tuple[str, int]]) -> float:
    """A row tall enough for its wrapped texts (spreadsheets do not grow rows that a file sizes): 15 points
    a line, each text wrapped at about 1.2 characters per unit of its column's width."""
    lines = max(
        sum(max(1, math.ceil(len(line) / (width * 1.2))) for line in text.split("\n"))
        for text, width in texts
    )
    return float(min(15 * lines, 409))  # 409 points: the tallest row Excel allows


def _validation(kind: str, **extra: Any) -> dict[str, Any]:
    return {"validate": kind, "error_type": "stop", **extra}


def _protect(ws: Worksheet) -> None:
    # No password: the lock keeps criterion ids and texts from being edited by accident, not by intent.
    ws.protect(
        "",
        {"format_columns": True, "format_rows": True, "select_locked_cells": True,
         "select_unlocked_cells": True},
    )  # fmt: skip


def _write_header(w: _Writer, ws: Worksheet, sheet: VendorSheet, catalog: Catalog) -> None:
    values = (sheet.vendor_id, sheet.name, sheet.segment, sheet.assessor, "", catalog.version)
    for row, (label, value) in enumerate(zip(LABELS, values, strict=True)):
        w.text(ws, row, 0, label, "label")
        if label == "Date":
            ws.write_blank(row, 1, None, w.formats["input_date"])
            ws.data_validation(row, 1, row, 1, _date_rule("the date of the assessment"))
        elif label == "Assessor" or (label == "Vendor name" and sheet.new):
            w.text(ws, row, 1, value, "input")
        else:
            w.text(ws, row, 1, value)


def _date_rule(what: str) -> dict[str, Any]:
    return _validation(
        "date", criteria=">=", value=dt.datetime(1990, 1, 1), input_message=f"Enter {what} (YYYY-MM-DD).",
        error_message="Enter a date such as 2027-06-30.",
    )  # fmt: skip


def _write_row(w: _Writer, ws: Worksheet, row: int, category: Category, criterion: Criterion) -> None:
    w.text(ws, row, column("Criterion id"), criterion.id)
    w.text(ws, row, column("Criterion"), criterion.name, "wrap")
    w.text(ws, row, column("Category"), category.name, "wrap")
    w.text(ws, row, column("Rubric"), rubric_text(criterion), "wrap")
    wrapped = [(criterion.name, "Criterion"), (category.name, "Category"), (rubric_text(criterion), "Rubric")]
    ws.set_row(row, _height([(text, WIDTHS[column(name)]) for text, name in wrapped]))
    w.text(ws, row, column("Unit"), criterion.unit or "")
    score, value = column("Score"), column("Value")
    if criterion.is_metric:
        w.text(ws, row, score, "")
        ws.write_blank(row, value, None, w.formats["input_number"])
        rule = _validation("decimal", criteria="between", minimum=-1e300, maximum=1e300,
                           error_message="Enter a number in the unit shown.")  # fmt: skip
        ws.data_validation(row, value, row, value, rule)
    else:
        ws.write_blank(row, score, None, w.formats["input_number"])
        ws.data_validation(row, score, row, score, _validation("list", source=list(SCORE_CHOICES),
                           error_message="Choose a score from 0 to 5 (half points allowed)."))  # fmt: skip
        w.text(ws, row, value, "")
    for name in ("Evidence", "Source"):
        ws.write_blank(row, column(name), None, w.formats["input_wrap"])
    ws.write_blank(row, column("Level"), None, w.formats["input"])
    level = column("Level")
    ws.data_validation(row, level, row, level, _validation("list", source=list(EVIDENCE_LEVELS)))
    expires = column("Expires")
    ws.write_blank(row, expires, None, w.formats["input_date"])
    ws.data_validation(row, expires, row, expires, _date_rule("the date the evidence expires"))


def _write_vendor(w: _Writer, name: str, sheet: VendorSheet, catalog: Catalog) -> None:
    ws = w.book.add_worksheet(name)
    _write_header(w, ws, sheet, catalog)
    top = HEADER_ROW - 1
    for col, (header, width) in enumerate(zip(COLUMNS, WIDTHS, strict=True)):
        w.text(ws, top, col, header, "header")
        ws.set_column(col, col, width)
    row = top
    for category in catalog.categories:
        for criterion in category.criteria:
            row += 1
            _write_row(w, ws, row, category, criterion)
    ws.freeze_panes(HEADER_ROW, 2)
    ws.set_landscape()
    ws.fit_to_pages(1, 0)
    _protect(ws)


def template_bytes(catalog: Catalog, sheets: list[VendorSheet]) -> bytes:
    """The scoring workbook: the instructions sheet, then one sheet per vendor, in the order given."""
    stream = io.BytesIO()
    w = _Writer(stream)
    intro = w.book.add_worksheet(INSTRUCTIONS)
    intro.set_column(0, 0, INSTRUCTIONS_WIDTH)
    intro.fit_to_pages(1, 0)
    for row, line in enumerate(instruction_lines(catalog)):
        heading = row == 0 or line in ("How to fill it in", "The rubric scale", "Evidence levels",
                                       "What happens on import")  # fmt: skip
        w.text(intro, row, 0, line, "title" if heading else "plain")
        intro.set_row(row, 18 if heading else _height([(line, INSTRUCTIONS_WIDTH)]))
    for name, sheet in zip(sheet_names(sheets), sheets, strict=True):
        _write_vendor(w, name, sheet, catalog)
    w.book.close()
    return stream.getvalue()
