"""`evaltool export`: the procurement scorecard as XLSX, CSV or JSON, with exactly the report's numbers."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from evaltool.commands.common import AsOfOpt, ProfileOpt, WorkspaceOpt
from evaltool.commands.score import MethodOpt, SegmentOpt
from evaltool.commands.sensitivity import ConcentrationOpt, SamplesOpt, SeedOpt

if TYPE_CHECKING:
    from evaltool.evaluation import Evaluation

FORMATS = ("xlsx", "csv", "json")


def default_path(root: Path, segment: str | None, profile: str | None, as_of: str, fmt: str) -> Path:
    """<workspace>/reports/<segment slug or all-segments>-<profile or catalog>-<as-of>-scorecard.<ext>."""
    from evaltool.reports.fmt import output_name

    return root / "reports" / output_name(segment, profile, as_of, fmt, scorecard=True)


def _choose_format(given: str | None, out: Path | None) -> str:
    """--format, else the --out file's extension when it is one of ours, else xlsx; a clash is an error."""
    from evaltool.errors import UsageError

    suffix = out.suffix.lower().lstrip(".") if out is not None else ""
    if given is None:
        return suffix if suffix in FORMATS else "xlsx"
    if given not in FORMATS:
        raise UsageError(f"--format must be xlsx, csv or json, not {given!r}")
    if suffix in FORMATS and suffix != given:
        raise UsageError(f"--format {given} does not match the --out file's extension .{suffix}")
    return given


def run(
    workspace: WorkspaceOpt = None,
    profile: ProfileOpt = None,
    segment: SegmentOpt = None,
    method: MethodOpt = "wsm",
    output_format: Annotated[
        str | None,
        typer.Option(
            "--format", "-f", help="xlsx | csv | json (default: from the --out extension, else xlsx)."
        ),
    ] = None,
    out: Annotated[
        Path | None,
        typer.Option(
            "--out",
            "-o",
            help="File to write (default: reports/<segment>-<profile>-<as-of>-scorecard.<ext> in the "
            "workspace). Never a file under criteria/ or vendors/.",
        ),
    ] = None,
    samples: SamplesOpt = 10_000,
    seed: SeedOpt = 42,
    concentration: ConcentrationOpt = 100.0,
    as_of: AsOfOpt = None,
) -> None:
    """Export the scorecard for procurement: XLSX (formatted sheets), a tidy CSV, or JSON with everything.

    The same numbers as score, sensitivity, recommend and the report, to the last digit.

    Text that a spreadsheet would run as a formula is neutralised. Prints the path written.
    """
    from evaltool.commands.score import load_evaluation
    from evaltool.output import check_target, write_atomic
    from evaltool.reports import scorecard
    from evaltool.workspace import resolve_root

    fmt = _choose_format(output_format, out)
    root = resolve_root(workspace)
    if out is not None:
        check_target(out, root)  # refuse before the work, not after
    evaluation = load_evaluation(
        root, profile, method, segment, as_of, samples=samples, seed=seed, concentration=concentration
    )
    renderers: dict[str, Callable[[Evaluation], str | bytes]] = {
        "xlsx": scorecard.to_xlsx,
        "csv": scorecard.to_csv,
        "json": scorecard.to_json,
    }
    content = renderers[fmt](evaluation)
    as_of_date, profile_id = evaluation.provenance.as_of, evaluation.result.profile_id
    target = out or default_path(root, segment, profile_id, as_of_date, fmt)
    typer.echo(str(write_atomic(target, content, workspace=root)))
