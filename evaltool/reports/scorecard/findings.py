"""The scorecard's Findings sheet: every due-diligence finding, one row each, under one header row.

The tier and the findings are the Evaluation's own (:mod:`evaltool.diligence`); nothing is recomputed.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from evaltool import wording
from evaltool.diligence import Finding, findings, tier_of
from evaltool.reports.scorecard.styles import WRAP_WIDTH
from evaltool.reports.scorecard.workbook import Book, Column, Sheet

if TYPE_CHECKING:
    from evaltool.evaluation import Evaluation
    from evaltool.scoring import VendorResult

Row = tuple["VendorResult", Finding]


def findings_sheet(book: Book, evaluation: Evaluation) -> None:
    """Segment, vendor, tier, kind, criterion, message and any risk acceptance, by segment then rank."""
    result = evaluation.result
    tiers = {s.name: tier_of(result, s.name) for s in result.segments}
    rows: list[Row] = [(v, f) for v in result.vendors() for f in findings(v, result)]

    def accepted(attribute: str) -> Column:
        def get(row: Row) -> object:
            acceptance = row[1].accepted
            return None if acceptance is None else getattr(acceptance, attribute)

        return Column(f"Accepted {attribute}" if attribute != "by" else "Accepted by", get,
                      "date" if attribute in ("date", "expires") else "text")  # fmt: skip

    columns = [
        Column("Segment", lambda row: row[0].segment),
        Column("Vendor", lambda row: row[0].name),
        Column("Vendor id", lambda row: row[0].id),
        Column("Tier", lambda row: "" if (t := tiers[row[0].segment]) is None else t.name),
        Column("Kind", lambda row: row[1].kind),
        Column("Finding", lambda row: wording.finding_label(row[1].was or row[1].kind)),
        Column("Criterion id", lambda row: row[1].criterion),
        Column("Message", lambda row: row[1].message, "wrap", WRAP_WIDTH),
        accepted("by"),
        accepted("date"),
        accepted("expires"),
    ]
    sheet = Sheet(book, "Findings")
    sheet.table(0, columns, rows).frame(freeze_through="Vendor id")
    sheet.finish()
