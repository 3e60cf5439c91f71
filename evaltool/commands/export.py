"""`evaltool export`: the procurement scorecard as XLSX, CSV or JSON, with exactly the report's numbers."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

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
    SamplesOpt,
    ScorecardFormat,
    ScorecardFormatOpt,
    SeedOpt,
    SegmentOpt,
    WorkspaceOpt,
)
from evaltool.defaults import DEFAULT_CONCENTRATION, DEFAULT_METHOD, DEFAULT_SAMPLES, DEFAULT_SEED

if TYPE_CHECKING:
    from evaltool.evaluation import Evaluation


def default_path(root: Path, segment: str | None, profile: str | None, as_of: str, fmt: str) -> Path:
    """<workspace>/reports/<segment slug or all-segments>-<profile or catalog>-<as-of>-scorecard.<ext>."""
    from evaltool.reports.fmt import output_name

    return root / "reports" / output_name(segment, profile, as_of, fmt, scorecard=True)


def _choose_format(given: ScorecardFormat | None, out: Path | None) -> ScorecardFormat:
    """--format, else the --out file's extension when it is one of ours, else xlsx; a clash is an error."""
    from evaltool.errors import UsageError

    suffix = out.suffix.lower().lstrip(".") if out is not None else ""
    implied = next((f for f in ScorecardFormat if f.value == suffix), None)
    if given is None:
        return implied or ScorecardFormat.xlsx
    if implied is not None and implied is not given:
        raise UsageError(f"--format {given.value} does not match the --out file's extension .{suffix}")
    return given


def run(
    workspace: WorkspaceOpt = None,
    profile: ProfileOpt = None,
    segment: SegmentOpt = None,
    method: MethodOpt = DEFAULT_METHOD,
    output_format: ScorecardFormatOpt = None,
    out: OutOpt = None,
    samples: SamplesOpt = DEFAULT_SAMPLES,
    seed: SeedOpt = DEFAULT_SEED,
    concentration: ConcentrationOpt = DEFAULT_CONCENTRATION,
    as_of: AsOfOpt = None,
    anonymize: AnonymizeOpt = False,
    anonymize_seed: AnonymizeSeedOpt = 1,
    key_out: KeyOutOpt = None,
    hide_category: HideCategoryOpt = None,
) -> None:
    """Export the scorecard for procurement: XLSX (formatted sheets), a tidy CSV, or JSON with everything.

    The same numbers as score, sensitivity, recommend and the report, to the last digit.

    Text that a spreadsheet would run as a formula is neutralised. Prints the path written.
    """
    from evaltool.commands.common import blind_name, blind_request, load_evaluation
    from evaltool.output import write_atomic
    from evaltool.reading import resolve_root
    from evaltool.reports import scorecard

    fmt = _choose_format(output_format, out)
    root = resolve_root(workspace)
    evaluation = load_evaluation(
        root, profile, method, segment, as_of,
        samples=samples, seed=seed, concentration=concentration, out=out,
        blind=blind_request(anonymize, anonymize_seed, key_out, hide_category),
    )  # fmt: skip
    renderers: dict[ScorecardFormat, Callable[[Evaluation], str | bytes]] = {
        ScorecardFormat.xlsx: scorecard.to_xlsx,
        ScorecardFormat.csv: scorecard.to_csv,
        ScorecardFormat.json: scorecard.to_json,
    }
    content = renderers[fmt](evaluation)
    as_of_date, profile_id = evaluation.provenance.as_of, evaluation.provenance.profile_tag
    target = out or blind_name(default_path(root, segment, profile_id, as_of_date, fmt.value), evaluation)
    typer.echo(str(write_atomic(target, content, workspace=root)))
