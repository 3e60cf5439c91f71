"""`evaltool report`: the PoC recommendation report (HTML, Markdown or PDF) for the governance forum."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from evaltool.commands.common import AsOfOpt, ProfileOpt, WorkspaceOpt

if TYPE_CHECKING:
    from evaltool.evaluation import Evaluation

FORMATS = {"html": "html", "md": "md", "pdf": "pdf"}

FormatOpt = Annotated[str, typer.Option("--format", "-f", help="html (self-contained, offline) | md | pdf")]
OutOpt = Annotated[
    Path | None,
    typer.Option(
        "--out",
        "-o",
        help="File to write (default: reports/<segment>-<profile>-<as-of>.<ext> in the workspace).",
    ),
]
SegmentOpt = Annotated[
    str | None,
    typer.Option("--segment", "-s", help="Only this segment (default: one report on every segment)."),
]
MethodOpt = Annotated[str, typer.Option("--method", "-m", help="wsm (weighted sum, 0..100) | topsis (0..1)")]
SamplesOpt = Annotated[int, typer.Option("--samples", help="Monte Carlo weight samples for rank stability.")]
SeedOpt = Annotated[int, typer.Option("--seed", help="Random seed of the weight samples.")]
ConcentrationOpt = Annotated[
    float, typer.Option("--concentration", help="Dirichlet concentration K: larger means weights vary less.")
]


def default_path(root: Path, evaluation: Evaluation, segment: str | None, extension: str) -> Path:
    """reports/<segment-slug or all-segments>-<profile id or catalog>-<as-of date>.<ext> in the workspace."""
    from evaltool.reports.fmt import output_name

    p = evaluation.provenance
    return root / "reports" / output_name(segment, p.profile, p.as_of, extension, scorecard=False)


def run(
    workspace: WorkspaceOpt = None,
    profile: ProfileOpt = None,
    segment: SegmentOpt = None,
    method: MethodOpt = "wsm",
    output_format: FormatOpt = "html",
    out: OutOpt = None,
    samples: SamplesOpt = 10_000,
    seed: SeedOpt = 42,
    concentration: ConcentrationOpt = 100.0,
    as_of: AsOfOpt = None,
) -> None:
    """Write the PoC recommendation report: an architecture decision record for the governance forum.

    Context, options, method and weights, results with rank stability and flip points, gates and risks,
    the recommendation with a PoC plan, the evidence behind every score, and provenance. HTML works
    offline (plotly.js embedded once); PDF needs Chromium (EVALTOOL_CHROMIUM or /usr/bin/chromium).
    """
    from evaltool.commands.common import load
    from evaltool.errors import UsageError
    from evaltool.evaluation import evaluate
    from evaltool.output import check_target, write_atomic
    from evaltool.scoring import METHODS

    if output_format not in FORMATS:
        raise UsageError(f"--format must be html, md or pdf, not {output_format!r}")
    if method not in METHODS:
        raise UsageError(f"--method must be one of {', '.join(METHODS)}, not {method!r}")
    if samples < 1:
        raise UsageError(f"--samples must be at least 1, not {samples}")
    if not concentration > 0:
        raise UsageError(f"--concentration must be positive, not {concentration:g}")
    ws = load(workspace, as_of, segment=segment, profile=profile)
    chosen = ws.profile(profile)
    if out is not None:
        check_target(out, ws.root)  # refuse a protected path before the work, not after
    evaluation = evaluate(
        ws, chosen, method=method, segments=None if segment is None else [segment],
        samples=samples, seed=seed, concentration=concentration,
    )  # fmt: skip
    target = out if out is not None else default_path(ws.root, evaluation, segment, FORMATS[output_format])
    write_atomic(target, _render(evaluation, output_format, segment), workspace=ws.root)
    typer.echo(str(target))


def _render(evaluation: Evaluation, output_format: str, segment: str | None) -> str | bytes:
    from evaltool.reports import render_html, render_markdown

    if output_format == "md":
        return render_markdown(evaluation, segment)
    html = render_html(evaluation, segment)
    if output_format == "html":
        return html
    from evaltool.reports.pdf import html_to_pdf

    return html_to_pdf(html)
