"""`evaltool trace`: which vendor has evidenced which clause of the catalog's frameworks."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from evaltool.commands.options import (
    AsOfOpt,
    ProfileOpt,
    ScoreFormat,
    ScoreFormatOpt,
    SegmentOpt,
    WorkspaceOpt,
)

if TYPE_CHECKING:
    from evaltool.trace import Trace


def _print_table(trace: Trace, segments: list[str]) -> None:
    """Per segment, a row per framework clause and a column per vendor (docs/cli.md#evaltool-trace)."""
    from evaltool import wording
    from evaltool.commands.common import emit_table

    for segment in segments:
        vendors = trace.segment(segment)
        rows = [
            [row.framework, row.clause, " ".join(row.criteria)]
            + [wording.trace_status_text(row.vendors[v.id]) for v in vendors]
            for row in trace.rows
        ]
        headers = ["framework", "clause", "criteria", *(v.id for v in vendors)]
        emit_table(f"{segment}: regulatory traceability", headers, rows, keep={0})
        typer.echo("")


def run(
    workspace: WorkspaceOpt = None,
    profile: ProfileOpt = None,
    segment: SegmentOpt = None,
    framework: Annotated[
        str | None,
        typer.Option("--framework", help="Only this framework's clauses (a framework id of the catalog)."),
    ] = None,
    output_format: ScoreFormatOpt = ScoreFormat.table,
    as_of: AsOfOpt = None,
) -> None:
    """Show, per clause of the catalog's frameworks, how strongly each vendor has evidenced it.

    A status is the weakest over the criteria serving the clause: poc, verified, documented, claimed,
    stale (evidence past expiry) or missing (not scored).
    """
    from evaltool.commands.common import emit_csv, emit_json
    from evaltool.commands.score import compute
    from evaltool.errors import UsageError
    from evaltool.trace import build, suggest_framework, trace_json, trace_rows

    result = compute(workspace, profile, "wsm", segment, as_of)
    known = [f.id for f in result.catalog.frameworks]
    if framework is not None and framework not in known:
        hint = suggest_framework(framework, known)
        listed = ", ".join(known) or "none declared"
        raise UsageError(f"unknown framework '{framework}'{hint} (frameworks: {listed})")
    segments = [s.name for s in result.segments]
    trace = build(result, segments, framework)
    if output_format is ScoreFormat.json:
        emit_json(trace_json(trace))
    elif output_format is ScoreFormat.csv:
        emit_csv(trace_rows(trace))
    else:
        _print_table(trace, segments)
