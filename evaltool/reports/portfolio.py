"""The all-segments report sized for reading (docs/cli.md#evaltool-report).

A report on more than one segment is a portfolio document: Appendix C keeps each criterion's references
and each segment's grades, and says where every score's evidence is instead of printing it; Appendix F
counts the clauses each vendor has at each traceability status and lists only the clauses where some
vendor's evidence is stale or missing. The forum's record of one segment (``report --segment S``) keeps
everything. Nothing here recomputes a grade or a status: grades are the ScoreResult's, statuses those of
the traceability matrix, only formatted and counted.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from markupsafe import Markup, escape

from evaltool import trace, wording
from evaltool.reports import fmt
from evaltool.scoring import ScoreResult
from evaltool.trace import STATUSES, TraceStatus

GAPS: tuple[TraceStatus, ...] = ("stale", "missing")
"""The statuses whose clauses the all-segments report still lists: no current evidence at all. "Below
verified" would keep over nine in ten of the sample's clauses, so it would not shorten the report."""


@dataclass(frozen=True)
class GradeTable:
    """One segment's grades, criteria down, vendors across (the heatmap as a table, for Markdown)."""

    segment: str
    vendors: tuple[str, ...]
    rows: tuple[tuple[str, str, tuple[str, ...]], ...]  # criterion name, id, grade per vendor


@dataclass(frozen=True)
class TraceDigest:
    """One segment's traceability in short: clauses per status and vendor, then the clauses with a gap."""

    segment: str
    vendors: tuple[str, ...]
    clauses: int  # clauses in the segment's matrix
    counts: tuple[tuple[str, str, tuple[int, ...]], ...]  # status code, label, clauses per vendor
    rows: tuple[tuple[str, str, str, tuple[tuple[str, str], ...]], ...]  # as trace.ReportTable.rows
    no_gap: str  # the line shown when no clause is listed


@dataclass(frozen=True)
class Portfolio:
    """What the all-segments report shows in place of the evidence tables and the full matrix."""

    evidence_md: Markup
    evidence_html: Markup
    trace_md: Markup
    trace_html: Markup
    grades: tuple[GradeTable, ...]
    trace: tuple[TraceDigest, ...]


def _md_code(text: str) -> str:
    return f"`{text}`"


def _html_code(text: str) -> str:
    return f"<code>{escape(text)}</code>"


def _html_text(text: str) -> str:
    return str(escape(text))


def view(result: ScoreResult, segment: str | None, names: Sequence[str]) -> Portfolio | None:
    """The portfolio view of a report on every segment, or None for a report on one segment (asked for
    with ``--segment``, or the only segment of the workspace), which keeps every table."""
    if segment is not None or len(names) < 2:
        return None
    return Portfolio(
        evidence_md=Markup(wording.portfolio_evidence_note(names, _md_code, fmt.md)),
        evidence_html=Markup(wording.portfolio_evidence_note(names, _html_code, _html_text)),
        trace_md=Markup(wording.portfolio_trace_note(GAPS, _md_code, fmt.md)),
        trace_html=Markup(wording.portfolio_trace_note(GAPS, _html_code, _html_text)),
        grades=tuple(_grades(result, name) for name in names),
        trace=tuple(_digest(table) for table in trace.report_section(result, names).tables),
    )


def _grades(result: ScoreResult, name: str) -> GradeTable:
    vendors = result.segment(name).vendors
    return GradeTable(
        segment=name,
        vendors=tuple(wording.vendor_label(v) for v in vendors),
        rows=tuple(
            (k.name, k.id, tuple(fmt.grade(v.cells[k.id].grade) for v in vendors)) for k in result.criteria
        ),
    )


def _digest(table: trace.ReportTable) -> TraceDigest:
    codes = [tuple(code for code, _ in cells) for *_, cells in table.rows]
    counts = tuple(
        (
            status,
            wording.trace_status_text(status),
            tuple(sum(1 for row in codes if row[i] == status) for i in range(len(table.vendors))),
        )
        for status in STATUSES
    )
    return TraceDigest(
        segment=table.segment,
        vendors=table.vendors,
        clauses=len(table.rows),
        counts=counts,
        rows=tuple(
            row for row, row_codes in zip(table.rows, codes, strict=True) if set(row_codes) & set(GAPS)
        ),
        no_gap=wording.portfolio_no_gap(GAPS),
    )
