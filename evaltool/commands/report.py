"""`evaltool report`: the PoC recommendation report (HTML, Markdown or PDF) for the governance forum."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from evaltool.commands.options import (
    AnonymizeOpt,
    AnonymizeSeedOpt,
    AsOfOpt,
    ConcentrationOpt,
    HideCategoryOpt,
    KeyOutOpt,
    MethodOpt,
    OutOpt,
    ProfileOpt,
    ReportFormat,
    ReportFormatOpt,
    SamplesOpt,
    SeedOpt,
    SegmentOpt,
    WorkspaceOpt,
)
from evaltool.defaults import DEFAULT_CONCENTRATION, DEFAULT_METHOD, DEFAULT_SAMPLES, DEFAULT_SEED

if TYPE_CHECKING:
    from evaltool.diff import ChangesView
    from evaltool.evaluation import Evaluation


def default_path(root: Path, evaluation: Evaluation, segment: str | None, extension: str) -> Path:
    """reports/<segment-slug or all-segments>-<profile id or catalog>-<as-of date>.<ext> in the workspace."""
    from evaltool.reports.fmt import output_name

    p = evaluation.provenance
    return root / "reports" / output_name(segment, p.profile_tag, p.as_of, extension, scorecard=False)


def run(
    workspace: WorkspaceOpt = None,
    profile: ProfileOpt = None,
    segment: SegmentOpt = None,
    method: MethodOpt = DEFAULT_METHOD,
    output_format: ReportFormatOpt = ReportFormat.html,
    out: OutOpt = None,
    samples: SamplesOpt = DEFAULT_SAMPLES,
    seed: SeedOpt = DEFAULT_SEED,
    concentration: ConcentrationOpt = DEFAULT_CONCENTRATION,
    as_of: AsOfOpt = None,
    anonymize: AnonymizeOpt = False,
    anonymize_seed: AnonymizeSeedOpt = 1,
    key_out: KeyOutOpt = None,
    hide_category: HideCategoryOpt = None,
    since: Annotated[
        str | None,
        typer.Option(
            "--since", help="Add a section on what changed since this git revision (see `evaltool diff`)."
        ),
    ] = None,
) -> None:
    """Write the PoC recommendation report: an architecture decision record for the governance forum.

    Context, options, method and weights, results with rank stability and flip points, gates and risks,
    the recommendation with a PoC plan, the evidence behind every score, and provenance. A report on
    every segment is sized for reading: it points to each segment's report (--segment) for the evidence
    tables and the full traceability matrix. HTML works offline (plotly.js embedded once); PDF needs
    Chromium (EVALTOOL_CHROMIUM or /usr/bin/chromium).
    """
    from evaltool.commands.common import blind_name, blind_request, load_evaluation
    from evaltool.errors import UsageError

    if since is not None and (anonymize or hide_category):
        # The changes are read from git with the real files: they would name the vendors and the
        # hidden categories.
        raise UsageError("--since cannot be combined with --anonymize or --hide-category")
    from evaltool.output import write_atomic
    from evaltool.reading import resolve_root

    evaluation = load_evaluation(
        workspace, profile, method, segment, as_of,
        samples=samples, seed=seed, concentration=concentration, out=out,
        blind=blind_request(anonymize, anonymize_seed, key_out, hide_category),
    )  # fmt: skip
    root = resolve_root(workspace)
    named = default_path(root, evaluation, segment, output_format.value)
    changes = None
    if since is not None:
        from evaltool.commands.diff import since_view

        changes = since_view(root, since, evaluation.result, segment)
    target = out if out is not None else blind_name(named, evaluation)
    write_atomic(target, _render(evaluation, output_format, segment, changes), workspace=root)
    typer.echo(str(target))


def _render(
    evaluation: Evaluation, output_format: ReportFormat, segment: str | None, changes: ChangesView | None
) -> str | bytes:
    from evaltool.reports import render_html, render_markdown

    if output_format is ReportFormat.md:
        return render_markdown(evaluation, segment, changes)
    if output_format is ReportFormat.html:
        return render_html(evaluation, segment, changes)
    from evaltool.reports.pdf import print_report
    from evaltool.reports.render import render_html as render_paged

    return print_report(lambda pages: render_paged(evaluation, segment, changes, pages))
