"""`evaltool score`: rank the vendors of each segment, and explain a score criterion by criterion."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from evaltool.commands.options import (
    AnonymizeOpt,
    AnonymizeSeedOpt,
    AsOfOpt,
    HideCategoryOpt,
    KeyOutOpt,
    MethodOpt,
    ProfileOpt,
    ScoreFormat,
    ScoreFormatOpt,
    SegmentOpt,
    WorkspaceOpt,
)
from evaltool.defaults import DEFAULT_METHOD

if TYPE_CHECKING:
    from pathlib import Path

    from evaltool.commands.common import BlindRequest
    from evaltool.scoring import ScoreResult, VendorResult


def compute(
    workspace: Path | None,
    profile: str | None,
    method: str,
    segment: str | None,
    as_of: str | None,
    blind: BlindRequest | None = None,
) -> ScoreResult:
    """Load the workspace and score it (score and --explain); a blind request relabels it first."""
    from evaltool.commands.common import load
    from evaltool.commands.options import parse_method
    from evaltool.scoring import score

    chosen_method = parse_method(method)
    ws = load(workspace, as_of, segment=segment, profile=profile, blind=blind, method=chosen_method)
    chosen = ws.profile(profile)
    return score(
        ws.catalog, ws.vendors, chosen, method=chosen_method,
        segments=None if segment is None else [segment], as_of=ws.as_of,
        segment_profiles=ws.segment_profiles(profile),
    )  # fmt: skip


def _flags(result: ScoreResult, v: VendorResult) -> str:
    from evaltool import wording
    from evaltool.serialize import relative_grading

    return "; ".join(wording.vendor_flags(v, len(relative_grading(result.criteria, v))))


def _print_table(result: ScoreResult) -> None:
    """Per segment, the ranking, then the category scores with a column per vendor (so that nine
    categories still fit a terminal: docs/cli.md, "Tables and line width")."""
    from evaltool import fmt, wording
    from evaltool.commands.common import emit_table
    from evaltool.diligence import tier_of

    for segment in result.segments:
        tier = tier_of(result, segment.name)
        profile = wording.scored_with(segment.setup.profile_id, tier.name if tier else None)
        rows = [
            [
                str(v.rank) if v.rank is not None else "-",
                f"{v.name} ({v.id})",
                fmt.score(v.score, result.method),
                fmt.pct(v.coverage, 0),
                wording.status_text(v),
                _flags(result, v),
            ]
            for v in segment.vendors
        ]
        headers = ["rank", "vendor", "score", "coverage", "status", "flags"]
        title = f"{segment.name}: {result.method.upper()}, {profile}"
        emit_table(title, headers, rows, right={0, 2, 3}, keep={1})
        typer.echo("")
        by_category = [
            [c.id, *(fmt.score(v.categories[c.id], result.method) for v in segment.vendors)]
            for c in result.catalog.categories
        ]
        vendors = range(1, len(segment.vendors) + 1)
        ids = [v.id for v in segment.vendors]
        emit_table(f"{segment.name}: score by category", ["category", *ids], by_category, right=set(vendors))
        typer.echo("")


def run(
    workspace: WorkspaceOpt = None,
    profile: ProfileOpt = None,
    method: MethodOpt = DEFAULT_METHOD,
    segment: SegmentOpt = None,
    output_format: ScoreFormatOpt = ScoreFormat.table,
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
    anonymize: AnonymizeOpt = False,
    anonymize_seed: AnonymizeSeedOpt = 1,
    key_out: KeyOutOpt = None,
    hide_category: HideCategoryOpt = None,
) -> None:
    """Score and rank the vendors of each segment (WSM by default, or TOPSIS).

    Vendors failing a gate are still scored but listed below the eligible ones, never ranked.
    """
    from evaltool.commands.common import blind_request, emit_csv, emit_json
    from evaltool.errors import UsageError
    from evaltool.serialize import score_json, score_rows

    if versus is not None and explain is None:
        raise UsageError("--versus needs --explain VENDOR")
    blind = blind_request(anonymize, anonymize_seed, key_out, hide_category)
    result = compute(workspace, profile, method, segment, as_of, blind)
    if explain is not None:
        from evaltool.commands.explain import explain_vendor

        explain_vendor(result, explain, versus, output_format)
        return
    if output_format is ScoreFormat.json:
        emit_json(score_json(result))
    elif output_format is ScoreFormat.csv:
        emit_csv(score_rows(result))
    else:
        _print_table(result)
