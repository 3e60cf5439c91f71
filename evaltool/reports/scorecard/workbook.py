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
from collections.abc import Callable, Iterable, Iterator, Sequence
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
    # What the sheet code calls the column, when the header is the user's text (a category name) that
    # could repeat another header; otherwise the header itself.
    key: str | None = None

    @property
    def name(self) -> str:
        """The name the column is addressed by: its key, else its header."""
        return self.header if self.key is None else self.key


class Columns:
    """A table's columns, left to right; formats, frozen panes and shading address them by name."""

    def __init__(self, columns: Iterable[Column]) -> None:
        self.columns = tuple(columns)
        self._index: dict[str, int] = {}
        for position, column in enumerate(self.columns):
            if column.name in self._index:
                raise ValueError(f"two columns of one table are named {column.name!r}")
            self._index[column.name] = position

    def __iter__(self) -> Iterator[Column]:
        return iter(self.columns)

    def __len__(self) -> int:
        return len(self.columns)

    def index(self, name: str) -> int:
        """The position of the named column, 0 for the first."""
        if name not in self._index:
            raise ValueError(f"the table has no column named {name!r}")
        return self._index[name]

    def runs(self, names: Iterable[str]) -> list[tuple[int, int]]:
        """The positions of the named columns as runs of neighbours: (first, last) each, left to right."""
        runs: list[tuple[int, int]] = []
        for position in sorted({self.index(name) for name in names}):
            if runs and runs[-1][1] == position - 1:
                runs[-1] = (runs[-1][0], position)
            else:
                runs.append((position, position))
        return runs


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

    def table(self, row: int, columns: Iterable[Column], items: Iterable[Any]) -> Table:
        """A header row at ``row``, then one row per item."""
        layout = columns if isinstance(columns, Columns) else Columns(columns)
        self.headers[row] = [(col, column.header) for col, column in enumerate(layout)]
        for col, column in enumerate(layout):
            quoted = column.header.startswith(FORMULA_START)  # a header can be a name from the files
            self.ws.write_string(row, col, column.header, self.book.format("header", quoted=quoted))
            self.widths[col] = max(self.widths.get(col, 0), min(len(column.header), 12))
            if column.width is not None:
                self.fixed[col] = column.width
        plan = [(col, column.get, column.fmt) for col, column in enumerate(layout)]
        cell, header_row = self.cell, row
        for row, item in enumerate(items, start=row + 1):  # noqa: B020 - the header row, then the items
            for col, get, fmt in plan:
                cell(row, col, get(item), fmt if type(fmt) is str else fmt(item))  # type: ignore[operator]
        return Table(self, layout, header_row, row)

    def finish(self) -> None:
        """Set every column's width from what was written (fixed widths for wrapped text), and make
        each header row tall enough for its wrapped labels."""
        widths = {col: self.fixed.get(col, min(width, MAX_WIDTH) + 2) for col, width in self.widths.items()}
        for col, width in widths.items():
            self.ws.set_column(col, col, width)
        for row, labels in self.headers.items():
            lines = max(math.ceil(len(label) / max(widths.get(col, 10) - 2, 1)) for col, label in labels)
            self.ws.set_row(row, 15 * min(max(lines, 1), 4))


@dataclass(frozen=True)
class Table:
    """A table written on a sheet: its columns, its header row and its last row (the header's, if empty)."""

    sheet: Sheet
    columns: Columns
    header_row: int
    last_row: int

    def frame(self, freeze_through: str) -> None:
        """Panes frozen below the header and right of the named column, an autofilter over the table,
        landscape print with the rows down to the header repeated on every page."""
        ws = self.sheet.ws
        ws.freeze_panes(self.header_row + 1, self.columns.index(freeze_through) + 1)
        ws.autofilter(self.header_row, 0, max(self.header_row, self.last_row), len(self.columns) - 1)
        ws.repeat_rows(0, self.header_row)
        ws.set_landscape()
        ws.fit_to_pages(1, 0)

    def shade(self, rule: dict[str, Any], *names: str) -> None:
        """A colour scale or data bar over the rows of the named columns, all compared as one block
        (wherever the columns stand); nothing when the table has no rows or no column is named."""
        first_row, last_row = self.header_row + 1, self.last_row
        runs = self.columns.runs(names)
        if last_row < first_row or not runs:
            return
        (first_col, _), (_, last_col) = runs[0], runs[-1]
        if len(runs) > 1:  # columns apart: one rule over several ranges
            from xlsxwriter.utility import xl_range

            ranges = (xl_range(first_row, a, last_row, b) for a, b in runs)
            rule = rule | {"multi_range": " ".join(ranges)}
        self.sheet.ws.conditional_format(first_row, first_col, last_row, last_col, rule)
