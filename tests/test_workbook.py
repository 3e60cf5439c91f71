"""The scorecard's workbook helpers: colour scales and frozen panes follow a column's header, not its place.

Each test writes a small table with evaltool.reports.scorecard.workbook, reads the file back with openpyxl
and checks where the shading and the panes landed, cell references worked out by hand.
"""

from __future__ import annotations

import io
from typing import Any

import openpyxl
import pytest

from evaltool.reports.scorecard.styles import BAR, SCALE
from evaltool.reports.scorecard.workbook import Book, Column, Sheet

VENDORS = [("acme", 71.5, 0.9), ("bolt", 64.0, 1.0), ("crux", 58.25, 0.5)]
COLUMNS = {
    "Vendor": Column("Vendor", lambda row: row[0]),
    "Score": Column("Score", lambda row: row[1], "points"),
    "Coverage": Column("Coverage", lambda row: row[2], "pct"),
}


def write(order: list[str], shade: Any, rows: list[tuple[str, float, float]] = VENDORS) -> Any:
    """A one-sheet workbook with the columns in ``order``; ``shade(table)`` adds the shading."""
    stream = io.BytesIO()
    book = Book(stream)
    sheet = Sheet(book, "Table")
    table = sheet.table(0, [COLUMNS[name] for name in order], rows)
    table.frame(freeze_through="Vendor")
    shade(table)
    sheet.finish()
    book.workbook.close()
    return openpyxl.load_workbook(io.BytesIO(stream.getvalue()))["Table"]


def shading(sheet: Any) -> list[tuple[str, list[str]]]:
    """Each conditional format as (cell ranges, rule types)."""
    return [(str(cf.sqref), [rule.type for rule in cf.rules]) for cf in sheet.conditional_formatting]


@pytest.mark.parametrize(
    ("order", "scale", "panes"),
    [
        (["Vendor", "Score", "Coverage"], "B2:B4", "B2"),
        (["Score", "Coverage", "Vendor"], "A2:A4", "D2"),
        (["Coverage", "Vendor", "Score"], "C2:C4", "C2"),
    ],
)
def test_the_colour_scale_follows_the_column_named(order: list[str], scale: str, panes: str) -> None:
    sheet = write(order, lambda table: table.shade(SCALE, "Score"))
    assert shading(sheet) == [(scale, ["colorScale"])]
    assert [c.value for c in sheet[scale.split(":")[0][0]]] == ["Score", 71.5, 64.0, 58.25]
    assert sheet.freeze_panes == panes  # right of "Vendor", below the header


def test_columns_side_by_side_are_shaded_as_one_block() -> None:
    sheet = write(["Vendor", "Score", "Coverage"], lambda table: table.shade(BAR, "Coverage", "Score"))
    assert shading(sheet) == [("B2:C4", ["dataBar"])]


def test_columns_apart_share_one_rule_over_their_ranges() -> None:
    sheet = write(["Score", "Vendor", "Coverage"], lambda table: table.shade(SCALE, "Score", "Coverage"))
    assert shading(sheet) == [("A2:A4 C2:C4", ["colorScale"])]


def test_a_table_without_rows_is_not_shaded() -> None:
    sheet = write(["Vendor", "Score"], lambda table: table.shade(SCALE, "Score"), rows=[])
    assert shading(sheet) == []
    assert sheet.auto_filter.ref == "A1:B1"


def test_a_column_is_addressed_by_its_key_when_it_has_one() -> None:
    renamed = Column("Score", lambda row: row[2], "pct", key="category score")
    stream = io.BytesIO()
    book = Book(stream)
    sheet = Sheet(book, "Table")
    table = sheet.table(0, [COLUMNS["Vendor"], COLUMNS["Score"], renamed], VENDORS)
    table.shade(SCALE, "category score")
    sheet.finish()
    book.workbook.close()
    read = openpyxl.load_workbook(io.BytesIO(stream.getvalue()))["Table"]
    assert [c.value for c in read[1]] == ["Vendor", "Score", "Score"]
    assert shading(read) == [("C2:C4", ["colorScale"])]


def test_an_unknown_column_name_is_an_error() -> None:
    book = Book(io.BytesIO())
    table = Sheet(book, "Table").table(0, [COLUMNS["Vendor"], COLUMNS["Score"]], VENDORS)
    with pytest.raises(ValueError, match=r"^the table has no column named 'Scroe'$"):
        table.shade(SCALE, "Scroe")
    with pytest.raises(ValueError, match=r"^the table has no column named 'Vendor name'$"):
        table.frame(freeze_through="Vendor name")
    book.workbook.close()


def test_two_columns_of_one_table_cannot_share_a_name() -> None:
    book = Book(io.BytesIO())
    sheet = Sheet(book, "Table")
    with pytest.raises(ValueError, match=r"^two columns of one table are named 'Score'$"):
        sheet.table(0, [COLUMNS["Score"], Column("Score", lambda row: row[2])], VENDORS)
    book.workbook.close()
