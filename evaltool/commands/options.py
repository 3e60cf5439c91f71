"""The command-line options the commands share, each declared once, and the checks of their values.

--format is an Enum per command, holding the formats that command writes: typer refuses any other value
(a usage error, exit 2, naming the choices) and --help lists them. The other values are checked here, with
one message each wherever the option appears; a bad value is a usage error (exit 2).
"""

from __future__ import annotations

import datetime as dt
import math
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from evaltool.defaults import MAX_SAMPLES, resolve_as_of
from evaltool.errors import UsageError

if TYPE_CHECKING:
    from evaltool.models import Method


class TableFormat(StrEnum):
    """What weights, sensitivity and recommend print."""

    table = "table"
    json = "json"


class ScoreFormat(StrEnum):
    """What score prints."""

    table = "table"
    json = "json"
    csv = "csv"


class ReportFormat(StrEnum):
    """The report's file formats."""

    html = "html"
    md = "md"
    pdf = "pdf"


class ScorecardFormat(StrEnum):
    """The scorecard's file formats."""

    xlsx = "xlsx"
    csv = "csv"
    json = "json"


def _format(text: str) -> typer.models.OptionInfo:
    """The --format option, the same flags for every command; its choices come from the Enum it types."""
    return typer.Option("--format", "-f", help=text)


TableFormatOpt = Annotated[TableFormat, _format("A table to read, or JSON for other programs.")]
ScoreFormatOpt = Annotated[ScoreFormat, _format("A table to read, JSON for other programs, or CSV.")]
ReportFormatOpt = Annotated[ReportFormat, _format("HTML (self-contained, works offline), Markdown or PDF.")]
ScorecardFormatOpt = Annotated[
    ScorecardFormat | None, _format("Default: from the --out file's extension, else xlsx.")
]

WorkspaceOpt = Annotated[
    Path | None,
    typer.Option(
        "--workspace",
        "-w",
        help="Workspace folder (default: $EVALTOOL_WORKSPACE, else the current folder).",
        show_default=False,
    ),
]
AsOfOpt = Annotated[
    str | None,
    typer.Option(
        "--as-of", help="Date (YYYY-MM-DD) against which evidence expiry is checked; default today."
    ),
]
ProfileOpt = Annotated[
    str | None,
    typer.Option(
        "--profile",
        "-p",
        help="Profile id (criteria/profiles/ID.yaml) for every segment, or 'catalog' for the catalog's own "
        "weights; default: each segment's own profile (the one whose `segments` names it), else the "
        "catalog's.",
    ),
]
MethodOpt = Annotated[str, typer.Option("--method", "-m", help="wsm (weighted sum, 0..100) | topsis (0..1)")]
SegmentOpt = Annotated[
    str | None,
    typer.Option("--segment", "-s", help="Only this segment (default: every segment, each on its own)."),
]
SamplesOpt = Annotated[
    int, typer.Option("--samples", "-n", help=f"Number of weight samples, 1 to {MAX_SAMPLES:,}.")
]
SeedOpt = Annotated[int, typer.Option("--seed", help="Random seed: the same seed gives the same answer.")]
ConcentrationOpt = Annotated[
    float,
    typer.Option(
        "--concentration",
        "-k",
        help="How tightly sampled weights stay around the chosen ones: with K=100 a 10% weight typically "
        "moves by about +/-3 points; K=25 about +/-6; larger K, smaller moves.",
    ),
]
OutOpt = Annotated[
    Path | None,
    typer.Option(
        "--out",
        "-o",
        help="File to write (default: under reports/ in the workspace, named after the segment, profile "
        "and as-of date). Never a file under criteria/ or vendors/.",
    ),
]


def parse_as_of(value: str | None) -> dt.date:
    """The --as-of date, or today."""
    if value is None:
        return resolve_as_of(None)
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise UsageError(f"--as-of {value!r} is not a date YYYY-MM-DD") from None


def parse_method(value: str) -> Method:
    """The --method value as one of the scoring methods."""
    from evaltool.scoring import METHODS

    for method in METHODS:
        if value == method:
            return method
    raise UsageError(f"--method must be one of {', '.join(METHODS)}, not {value!r}")


def check_sampling(samples: int, seed: int, concentration: float) -> None:
    """Refuse Monte Carlo settings the sampler cannot run with."""
    if samples < 1:
        raise UsageError(f"--samples must be at least 1, not {samples}")
    if samples > MAX_SAMPLES:
        raise UsageError(f"--samples must be at most {MAX_SAMPLES:,}, not {samples:,}")
    if seed < 0:
        raise UsageError(f"--seed must be 0 or more, not {seed}")
    if not concentration > 0:
        raise UsageError(f"--concentration must be positive, not {concentration:g}")
    if not math.isfinite(concentration):
        raise UsageError(f"--concentration must be a finite number, not {concentration:g}")


# --- blind views (evaltool.anonymize; docs/security.md, "Blind panels") --------------------------------

AnonymizeOpt = Annotated[
    bool,
    typer.Option(
        "--anonymize",
        help="Blind view: vendors become Vendor A, B, C… in a seeded random order; names, ids, websites, "
        "summaries and any text naming a vendor are withheld.",
    ),
]
AnonymizeSeedOpt = Annotated[
    int,
    typer.Option("--anonymize-seed", help="Seed of the blind labels' order: the same seed, the same labels."),
]
KeyOutOpt = Annotated[
    Path | None,
    typer.Option(
        "--key-out",
        help="With --anonymize: also write the key (label -> vendor) to this .csv or .json file; without "
        "it no key is written anywhere.",
    ),
]
HideCategoryOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--hide-category",
        help="Leave a category out of the evaluation (repeatable), e.g. commercial for a technical-only "
        "panel: its criteria, weights, gates and the vendors' commercial terms.",
    ),
]
