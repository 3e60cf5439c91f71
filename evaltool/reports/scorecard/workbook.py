"""Writing an XLSX workbook value by value: named formats, tables of columns, frames and shading.

Every number is stored as a full double (see :func:`_worksheet_class`); number formats only change what a
spreadsheet displays. Spreadsheet safety (SECURITY.md, "Spreadsheets"): every text is stored as a string
cell, never a formula, and a text that begins with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return
also carries Excel's quote prefix, so editing the cell does not turn it into a formula either.
"""

from __future__ import annotations

import datetime as dt
import io
import math
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from evaltool.reports.scorecard.styles import FORMATS, MAX_WIDTH, NUMBER_WIDTH
from evaltool.serialize import FORMULA_START

if TYPE_CHECKING:
    from xlsxwriter.format import Format
    from xlsxwriter.workbook import Workbook


@dataclass(frozen=True)
class Column:
    """One column of a sheet's table: header, how to get the value from a row item, its format."""

    header: str
    get: Callable[[Any], Any]
    fmt: str | Callable[[Any], str] = "text"
    width: int | None = None  # a fixed width, for wrapped text


def _worksheet_class() -> type:
    from xlsxwriter.worksheet import Worksheet

    class _ExactWorksheet(Worksheet):
        """A worksheet that stores every number as the shortest text that reads back as the same double.

        xlsxwriter writes numbers with 16 significant digits ("%.16G"), which changes the last bit of
        some doubles (0.1 + 0.2 reads back as 0.3); procurement must get exactly the report's numbers.
        """

        def _xml_number_element(self, number: float, attributes: Sequence[tuple[str, Any]] = ()) -> None:
            attr = "".join(f' {key}="{self._escape_attributes(value)}"' for key, value in attributes)
            self.fh.write(f"<c{attr}><v>{float(number)!r}</v></c>")

    return _ExactWorksheet


class Book:
    """The workbook with its named formats; a quote-prefixed twin of a format is made on demand."""

    def __init__(self, stream: io.BytesIO) -> None:
        from xlsxwriter.workbook import Workbook

        self.workbook: Workbook = Workbook(
            stream,
            {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False,
             "strings_to_numbers": False},
        )  # fmt: skip
        self.sheet_class = _worksheet_class()
        self._formats: dict[tuple[str, bool], Format] = {}

    def format(self, name: str, quoted: bool = False) -> Format:
        """The named format; ``quoted`` adds Excel's quote prefix (the cell stays text when edited)."""
        key = (name, quoted)
        if key not in self._formats:
            props = dict(FORMATS[name])
            if quoted:
                props["quote_prefix"] = True
            self._formats[key] = self.workbook.add_format(props)
        return self._formats[key]


class Sheet:
    """One worksheet written value by value (never a formula), remembering how wide each column gets."""

    def __init__(self, book: Book, name: str) -> None:
        self.book = book
        self.ws = book.workbook.add_worksheet(name, worksheet_class=book.sheet_class)
        self.widths: dict[int, int] = {}
        self.fixed: dict[int, int] = {}
        self.headers: dict[int, list[tuple[int, str]]] = {}

    def cell(self, row: int, col: int, value: Any, fmt: str = "text") -> None:
        """Write one value by its type: string, blank, boolean, number or date; never a formula."""
        if type(value) is not str:
            self._value(row, col, value, fmt)
            return
        if not value:
            self.ws.write_blank(row, col, None)
            return
        self.ws.write_string(row, col, value, self.book.format(fmt, quoted=value.startswith(FORMULA_START)))
        width = len(value)
        if width > self.widths.get(col, 0):
            if "\n" in value or "\r" in value:
                width = max(len(line) for line in value.splitlines())
            self.widths[col] = max(width, self.widths.get(col, 0))

    def _value(self, row: int, col: int, value: Any, fmt: str) -> None:
        ws, width = self.ws, 0
        if value is None:
            ws.write_blank(row, col, None)
        elif isinstance(value, bool):
            ws.write_boolean(row, col, value, self.book.format("bool"))
            width = 5
        elif isinstance(value, int | float) and math.isfinite(value):
            ws.write_number(row, col, value, self.book.format(fmt))
            width = NUMBER_WIDTH.get(fmt) or min(len(f"{value:,.10g}"), 14)
        elif isinstance(value, dt.date):
            ws.write_datetime(row, col, dt.datetime.combine(value, dt.time()), self.book.format("date"))
            width = 10
        else:  # a non-finite number or another type: its text, still never a formula
            self.cell(row, col, str(value), fmt)
        if width > self.widths.get(col, 0):
            self.widths[col] = width

    def note(self, row: int, col: int, text: str, fmt: str = "text") -> None:
        """A string cell that does not widen its column (titles and notes beside the tables overflow)."""
        self.ws.write_string(row, col, text, self.book.format(fmt, quoted=text.startswith(FORMULA_START)))

    def table(self, row: int, columns: Sequence[Column], items: Iterable[Any]) -> int:
        """A header row at ``row``, then one row per item; returns the last row written."""
        self.headers[row] = [(col, column.header) for col, column in enumerate(columns)]
        for col, column in enumerate(columns):
            self.ws.write_string(row, col, column.header, self.book.format("header"))
            self.widths[col] = max(self.widths.get(col, 0), min(len(column.header), 12))
            if column.width is not None:
                self.fixed[col] = column.width
        plan = [(col, column.get, column.fmt) for col, column in enumerate(columns)]
        cell = self.cell
        for row, item in enumerate(items, start=row + 1):  # noqa: B020 - the header row, then the items
            for col, get, fmt in plan:
                cell(row, col, get(item), fmt if type(fmt) is str else fmt(item))  # type: ignore[operator]
        return row

    def frame(self, header_row: int, last_row: int, last_col: int, freeze_cols: int) -> None:
        """Frozen panes below the header, an autofilter over the table, landscape print with the header."""
        self.ws.freeze_panes(header_row + 1, freeze_cols)
        self.ws.autofilter(header_row, 0, max(header_row, last_row), last_col)
        self.ws.repeat_rows(0, header_row)
        self.ws.set_landscape()
        self.ws.fit_to_pages(1, 0)

    def shade(self, first_row: int, cols: tuple[int, int], last_row: int, rule: dict[str, Any]) -> None:
        """A colour scale or data bar over a block of columns, if the block has rows."""
        if last_row >= first_row and cols[1] >= cols[0]:
            self.ws.conditional_format(first_row, cols[0], last_row, cols[1], rule)

    def finish(self) -> None:
        """Set every column's width from what was written (fixed widths for wrapped text), and make
        each header row tall enough for its wrapped labels."""
        widths = {col: self.fixed.get(col, min(width, MAX_WIDTH) + 2) for col, width in self.widths.items()}
        for col, width in widths.items():
            self.ws.set_column(col, col, width)
        for row, labels in self.headers.items():
            lines = max(math.ceil(len(label) / max(widths.get(col, 10) - 2, 1)) for col, label in labels)
            self.ws.set_row(row, 15 * min(max(lines, 1), 4))
