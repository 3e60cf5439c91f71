"""The scorecard's Traceability sheet: a row per framework clause, a column per vendor, each cell the
status `evaltool trace` gives (docs/scoring.md#traceability); one table with one header row."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from evaltool import trace, wording
from evaltool.reports.scorecard.styles import WRAP_WIDTH
from evaltool.reports.scorecard.workbook import Book, Column, Sheet

if TYPE_CHECKING:
    from evaltool.scoring import ScoreResult


def _status(vendor_id: str) -> Any:
    return lambda row: wording.trace_status_text(row.vendors[vendor_id])


def write_sheet(book: Book, result: ScoreResult) -> None:
    """Framework, framework name, clause, criteria, then one column per vendor (headed by its name)."""
    matrix = trace.build(result)
    names = {f.id: f.name for f in matrix.frameworks}
    columns = [
        Column("Framework", lambda row: row.framework),
        Column("Framework name", lambda row: names[row.framework], "wrap", WRAP_WIDTH // 2),
        Column("Clause", lambda row: row.clause, "wrap", WRAP_WIDTH // 2),
        Column("Criteria", lambda row: ", ".join(row.criteria), "wrap", WRAP_WIDTH // 3),
        *(Column(v.name, _status(v.id), key=f"vendor:{v.id}") for v in matrix.vendors),
    ]
    sheet = Sheet(book, "Traceability")
    sheet.table(0, columns, matrix.rows).frame(freeze_through="Clause")
    sheet.finish()
