"""`evaltool score`: rank the vendors of each segment, and explain a score criterion by criterion."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any

import typer

from evaltool.commands.common import AsOfOpt, ProfileOpt, WorkspaceOpt

if TYPE_CHECKING:
    from evaltool.evaluation import Evaluation
    from evaltool.models import Profile
    from evaltool.scoring import ScoreResult, VendorResult
    from evaltool.workspace import Workspace

FormatOpt = Annotated[str, typer.Option("--format", "-f", help="table | json | csv")]
MethodOpt = Annotated[str, typer.Option("--method", "-m", help="wsm (weighted sum, 0..100) | topsis (0..1)")]
SegmentOpt = Annotated[
    str | None,
    typer.Option("--segment", "-s", help="Only this segment (default: every segment, each on its own)."),
]


def _prepare(
    workspace: WorkspaceOpt, profile: str | None, method: str, segment: str | None, as_of: str | None
) -> tuple[Workspace, Profile | None]:
    from evaltool.commands.common import load
    from evaltool.errors import UsageError
    from evaltool.scoring import METHODS

    if method not in METHODS:
        raise UsageError(f"--method must be one of {', '.join(METHODS)}, not {method!r}")
    ws = load(workspace, as_of, segment=segment, profile=profile)
    chosen = ws.profile(profile)
    return ws, chosen


def load_evaluation(
    workspace: WorkspaceOpt, profile: str | None, method: str, segment: str | None, as_of: str | None,
    **settings: Any,
) -> Evaluation:  # fmt: skip
    """Load, score, analyse and recommend (shared by sensitivity, recommend, report and export)."""
    from evaltool.evaluation import evaluate

    ws, chosen = _prepare(workspace, profile, method, segment, as_of)
    segments = None if segment is None else [segment]
    return evaluate(ws, chosen, method=method, segments=segments, **settings)  # type: ignore[arg-type]


def compute(
    workspace: WorkspaceOpt, profile: str | None, method: str, segment: str | None, as_of: str | None
) -> ScoreResult:
    """Load the workspace and score it (shared by score, explain and other commands)."""
    from evaltool.scoring import score

    ws, chosen = _prepare(workspace, profile, method, segment, as_of)
    return score(
        ws.catalog, ws.vendors, chosen, method=method,  # type: ignore[arg-type]
        segments=None if segment is None else [segment], as_of=ws.as_of,
    )  # fmt: skip


def _flags(v: VendorResult) -> str:
    flags = []
    if v.stale:
        flags.append(f"stale evidence x{len(v.stale)}")
    if v.disagreements:
        flags.append(f"assessors disagree x{len(v.disagreements)}")
    return "; ".join(flags)


def _print_table(result: ScoreResult) -> None:
    from evaltool import fmt, wording
    from evaltool.commands.common import emit_table

    categories = [c.id for c in result.catalog.categories]
    headers = ["rank", "vendor", "score", "coverage", *categories, "status", "flags"]
    numeric = set(range(0, 4 + len(categories))) - {1}
    for segment in result.segments:
        rows = [
            [
                str(v.rank) if v.rank is not None else "-",
                f"{v.name} ({v.id})",
                fmt.score(v.score, result.method),
                fmt.pct(v.coverage, 0),
                *(fmt.score(v.categories[c], result.method) for c in categories),
                wording.status_text(v),
                _flags(v),
            ]
            for v in segment.vendors
        ]
        profile = result.profile_id or "catalog weights"
        emit_table(f"{segment.name}: {result.method.upper()}, {profile}", headers, rows, right=numeric)
        typer.echo("")


def run(
    workspace: WorkspaceOpt = None,
    profile: ProfileOpt = None,
    method: MethodOpt = "wsm",
    segment: SegmentOpt = None,
    output_format: FormatOpt = "table",
    explain: Annotated[
        str | None,
        typer.Option("--explain", help="Vendor id: show each criterion's weight, score and contribution."),
    ] = None,
    versus: Annotated[
        str | None,
        typer.Option(
            "--versus", help="With --explain: break the gap to this vendor (same segment) down by criterion."
        ),
    ] = None,
    as_of: AsOfOpt = None,
) -> None:
    """Score and rank the vendors of each segment (WSM by default, or TOPSIS).

    Vendors failing a gate are still scored but listed below the eligible ones, never ranked.
    """
    from evaltool.commands.common import emit_csv, emit_json
    from evaltool.errors import UsageError
    from evaltool.serialize import score_json, score_rows

    if output_format not in ("table", "json", "csv"):
        raise UsageError(f"--format must be table, json or csv, not {output_format!r}")
    if versus is not None and explain is None:
        raise UsageError("--versus needs --explain VENDOR")
    result = compute(workspace, profile, method, segment, as_of)
    if explain is not None:
        from evaltool.commands.explain import explain_vendor

        explain_vendor(result, explain, versus, output_format)
        return
    if output_format == "json":
        emit_json(score_json(result))
    elif output_format == "csv":
        emit_csv(score_rows(result))
    else:
        _print_table(result)
