"""The sheets procurement opens: Procurement summary (one page: recommendation, score, TCO, contract dates,
open points) and Commercial (one row per vendor: pricing, TCO by year and component, contract terms).

Amounts are the vendor file's own numbers, stored as numbers; dates as dates. Nothing is recomputed but
the sums and the notice deadline that evaltool.commercial defines (docs/formats.md#commercial-keys).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from evaltool import wording
from evaltool.commercial import COMPONENTS, Commercial, Contract, component_totals
from evaltool.reports.scorecard.workbook import Book, Column, Sheet

if TYPE_CHECKING:
    from evaltool.evaluation import Evaluation
    from evaltool.scoring import VendorResult

OPEN_WIDTH = 64  # characters of the open points on one printed line
NOTES_WIDTH = 38  # characters of a vendor's notes on one line


def _block(v: VendorResult) -> Commercial | None:
    return v.vendor.commercial


def _contract(v: VendorResult) -> Contract | None:
    block = v.vendor.commercial
    return None if block is None else block.contract


def _of_block(part: Callable[[Commercial], Any]) -> Callable[[VendorResult], Any]:
    return lambda v: None if (block := _block(v)) is None else part(block)


def _of_contract(part: Callable[[Contract], Any]) -> Callable[[VendorResult], Any]:
    return lambda v: None if (contract := _contract(v)) is None else part(contract)


def _year(year: int) -> Callable[[Commercial], float | None]:
    return lambda block: next((y.total for y in block.tco if y.year == year), None)


def _component(name: str) -> Callable[[Commercial], float | None]:
    return lambda block: component_totals(block).get(name)


def _others(block: Commercial) -> float | None:
    totals = component_totals(block)
    others = [amount for name, amount in totals.items() if name not in COMPONENTS]
    return sum(others) if others else None


def _cap_fmt(v: VendorResult) -> str:
    contract = _contract(v)
    return "money" if contract is not None and not isinstance(contract.liability_cap, str) else "text"


def _identity() -> list[Column]:
    return [
        Column("Segment", lambda v: v.segment),
        Column("Vendor", lambda v: v.name),
        Column("Vendor id", lambda v: v.id),
    ]


def commercial_sheet(book: Book, ev: Evaluation) -> None:
    """Commercial: one row per vendor; a vendor without a commercial block has its row, left blank."""
    vendors = ev.result.vendors()
    years = sorted({y.year for v in vendors if (b := _block(v)) is not None for y in b.tco})
    columns = [
        *_identity(),
        Column("Supplier id", _of_block(lambda b: b.supplier_id)),
        Column("Currency", _of_block(lambda b: b.currency)),
        Column("Pricing model", _of_block(lambda b: b.pricing_model)),
        *(Column(f"TCO year {year}", _of_block(_year(year)), "money") for year in years),
        Column("TCO total", _of_block(lambda b: b.tco_total), "money"),
        *(
            Column(f"{name.capitalize()} (all years)", _of_block(_component(name)), "money")
            for name in COMPONENTS
        ),
        Column("Other (all years)", _of_block(_others), "money"),
        Column("Contract start", _of_contract(lambda c: c.start), "date"),
        Column("Term (months)", _of_contract(lambda c: c.term_months), "integer"),
        Column("Renewal", _of_contract(lambda c: c.renewal_date), "date"),
        Column("Notice (days)", _of_contract(lambda c: c.notice_days), "integer"),
        Column("Notice deadline", _of_contract(lambda c: c.notice_deadline), "date"),
        Column("Liability cap", _of_contract(lambda c: c.liability_cap), _cap_fmt),
        Column("Indemnities", _of_contract(lambda c: wording.indemnities_text(c.indemnities))),
        Column("Discount (%)", _of_contract(lambda c: c.discount_pct), "number"),
        Column("Notes", _of_block(lambda b: b.notes), "wrap", NOTES_WIDTH + 2),
    ]
    sheet = Sheet(book, "Commercial")
    sheet.table(0, columns, vendors).frame(freeze_through="Vendor id")
    _fit_rows(sheet, [(b.notes or "") if (b := _block(v)) else "" for v in vendors], NOTES_WIDTH)
    sheet.finish()


def procurement_summary_sheet(book: Book, ev: Evaluation) -> None:
    """Procurement summary: what was decided, at what score and cost, under which contract dates, and
    what is still open; printed on one page across."""
    result, advice = ev.result, ev.recommendations

    def open_points(v: VendorResult) -> str:
        failed = [wording.failed_gate_point(g.criterion, g.reason) for g in v.gates if not g.passed]
        return "\n".join([*failed, *advice[v.id].gaps])

    columns = [
        Column("Segment", lambda v: v.segment),
        Column("Vendor", lambda v: v.name),
        Column("Recommendation", lambda v: advice[v.id].decision_text),
        Column("Rank", lambda v: v.rank, "integer"),
        Column("Score", lambda v: v.score, "points" if result.method == "wsm" else "topsis"),
        Column("TCO total", _of_block(lambda b: b.tco_total), "money"),
        Column("Currency", _of_block(lambda b: b.currency)),
        Column("Contract start", _of_contract(lambda c: c.start), "date"),
        Column("Renewal", _of_contract(lambda c: c.renewal_date), "date"),
        Column("Notice deadline", _of_contract(lambda c: c.notice_deadline), "date"),
        Column("Open points", open_points, "wrap", OPEN_WIDTH + 2),
    ]
    sheet = Sheet(book, "Procurement summary")
    sheet.table(0, columns, result.vendors()).frame(freeze_through="Vendor")
    _fit_rows(sheet, [open_points(v) for v in result.vendors()], OPEN_WIDTH)
    sheet.finish()


def _fit_rows(sheet: Sheet, texts: list[str], width: int) -> None:
    """Rows 1.. tall enough for their wrapped text of ``width`` characters a line, on screen and in print
    (not every spreadsheet sizes a row for wrapped text by itself)."""
    for row, text in enumerate(texts, start=1):
        lines = sum(max(1, math.ceil(len(line) / width)) for line in text.splitlines())
        if lines > 1:
            sheet.ws.set_row(row, 15 * lines)
