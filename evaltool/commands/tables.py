"""Tables and long lines that fit the width of the output (docs/cli.md, "Tables and line width").

On a terminal, rich draws the table and wraps its text columns to the terminal's width. Piped, the same
table is plain aligned columns, two spaces apart, wrapped to `$COLUMNS` or else 100 characters. Numbers
never wrap; a wrapped cell continues on the next lines of its column, the other cells left blank.
"""

from __future__ import annotations

import os
import shutil
import sys
import textwrap
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from rich.table import Table

PIPED_WIDTH = 100  # when piped and $COLUMNS is unset: fits a review comment or a CI log (docs/cli.md)
GAP = 2  # spaces between two columns of a piped table
MIN_TEXT = 10  # a text column is not cut narrower than this to fit, even if its words must be cut


@dataclass(frozen=True)
class TableSpec:
    """A table to print: `right` columns are numbers (right-aligned, never wrapped), `keep` columns are
    text kept on one line (the vendor or criterion a row is about); the others wrap."""

    title: str
    headers: list[str]
    rows: list[list[str]]
    right: set[int] = field(default_factory=set)
    keep: set[int] = field(default_factory=set)

    def wraps(self, column: int) -> bool:
        """Whether a column's cells may wrap over several lines."""
        return column not in self.right | self.keep


def output_width() -> int:
    """The width to fit: the terminal's on a terminal, else `$COLUMNS`, else 100."""
    if sys.stdout.isatty():
        return shutil.get_terminal_size((PIPED_WIDTH, 24)).columns
    columns = os.environ.get("COLUMNS", "")
    return int(columns) if columns.isdigit() and int(columns) > 0 else PIPED_WIDTH


def wrap_line(text: str, width: int, indent: str = "", *, hang: str = "  ") -> list[str]:
    """A line of prose wrapped to `width`; lines after the first are indented by `hang` more."""
    return textwrap.wrap(
        text, width, initial_indent=indent, subsequent_indent=indent + hang,
        break_long_words=False, break_on_hyphens=False,
    ) or [indent]  # fmt: skip


def rich_table(spec: TableSpec) -> Table:
    """The table for a terminal: numbers and kept columns never wrap, the rest wrap at spaces."""
    from rich.table import Table

    table = Table(title=spec.title, title_justify="left")
    for i, header in enumerate(spec.headers):
        natural = max(len(header), *(len(row[i]) for row in spec.rows)) if spec.rows else len(header)
        table.add_column(
            header,
            justify="right" if i in spec.right else "left",
            no_wrap=not spec.wraps(i),
            min_width=None if spec.wraps(i) else natural,
        )
    for row in spec.rows:
        table.add_row(*row)
    return table


def column_widths(spec: TableSpec, width: int) -> list[int]:
    """Widths that fit `width` if they can: the widest wrapping columns give way first, down to their
    longest word, then, if that is not enough, down to `MIN_TEXT` (a longer word is then cut); columns
    that do not wrap keep their full width."""
    cells = [[spec.headers[i], *(row[i] for row in spec.rows)] for i in range(len(spec.headers))]
    natural = [max(len(c) for c in column) for column in cells]
    longest_word = [max(len(word) for c in column for word in (c.split() or [""])) for column in cells]
    room = width - GAP * (len(natural) - 1)
    widths = list(natural)
    for floor in (
        [w if spec.wraps(i) else natural[i] for i, w in enumerate(longest_word)],
        [min(MIN_TEXT, w) if spec.wraps(i) else natural[i] for i, w in enumerate(longest_word)],
    ):
        _shrink(widths, floor, room)
    return widths


def _shrink(widths: list[int], floor: list[int], room: int) -> None:
    """Narrow the widest column above its floor, one character at a time, until the widths fit `room`."""
    while sum(widths) > room:
        shrinkable = [i for i, w in enumerate(widths) if w > floor[i]]
        if not shrinkable:
            return
        widths[max(shrinkable, key=lambda i: widths[i])] -= 1


def plain_lines(spec: TableSpec, width: int) -> list[str]:
    """The piped table: title, header, then each row over as many lines as its longest wrapped cell."""
    widths = column_widths(spec, width)

    def row_lines(cells: list[str]) -> list[str]:
        parts = [
            textwrap.wrap(c, w, break_on_hyphens=False) or [""] if spec.wraps(i) else [c]
            for i, (c, w) in enumerate(zip(cells, widths, strict=True))
        ]
        depth = max(len(p) for p in parts)
        lines = []
        for n in range(depth):
            texts = [p[n] if n < len(p) else "" for p in parts]
            pairs = enumerate(zip(texts, widths, strict=True))
            aligned = [t.rjust(w) if i in spec.right else t.ljust(w) for i, (t, w) in pairs]
            lines.append((" " * GAP).join(aligned).rstrip())
        return lines

    out = [spec.title, *row_lines(spec.headers)]
    for row in spec.rows:
        out.extend(row_lines(row))
    return out
