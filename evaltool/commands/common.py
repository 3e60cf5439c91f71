"""Options and helpers shared by the commands."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from evaltool.errors import Problem, UsageError

if TYPE_CHECKING:
    from evaltool.workspace import Workspace

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
        "--profile", "-p", help="Profile id (criteria/profiles/ID.yaml); default: the catalog's weights."
    ),
]


def parse_as_of(value: str | None) -> dt.date:
    """The --as-of date, or today."""
    if value is None:
        return dt.date.today()
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise UsageError(f"--as-of {value!r} is not a date YYYY-MM-DD") from None


def echo_problems(problems: list[Problem], *, err: bool = True) -> None:
    """Print problems one per line."""
    for problem in problems:
        typer.echo(str(problem), err=err)


def load(
    workspace: Path | None,
    as_of: str | None = None,
    *,
    segment: str | None = None,
    profile: str | None = None,
) -> Workspace:
    """Load the workspace (exit 1 listing every problem if invalid); print warnings to stderr.

    With a segment, only the catalog, the profile in use and that segment's vendor files must be valid:
    errors elsewhere are printed as warnings and those files left out (see `evaltool.scope`).
    """
    from evaltool.scope import load_segment, segment_warnings
    from evaltool.workspace import load_workspace, resolve_root

    root, date = resolve_root(workspace), parse_as_of(as_of)
    if segment is None:
        loaded = load_workspace(root, date)
    else:
        loaded, skipped = load_segment(root, date, segment, profile)
        for item in skipped:
            typer.echo(str(item), err=True)
    report_warnings(list(segment_warnings(loaded, None if segment is None else [segment])))
    return loaded


def report_warnings(warnings: list[Problem]) -> None:
    """AHP consistency warnings in full (they bear on every result); the rest as a count."""
    serious = [w for w in warnings if w.code == "ahp-inconsistent"]
    echo_problems(serious)
    rest = len(warnings) - len(serious)
    if rest:
        typer.echo(
            f"note: {rest} warning(s) such as expired evidence; `evaltool validate` lists them", err=True
        )


def emit_json(data: object) -> None:
    """Print JSON: indented, keys in the order given, UTF-8 kept."""
    import json

    typer.echo(json.dumps(data, indent=2, ensure_ascii=False, default=str))


def emit_csv(rows: list[dict[str, object]]) -> None:
    """Print rows as CSV with a header; text that could run as a spreadsheet formula is neutralised."""
    import csv
    import sys

    from evaltool.serialize import spreadsheet_safe

    if not rows:
        return
    writer = csv.DictWriter(sys.stdout, fieldnames=list(rows[0]), lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({k: spreadsheet_safe(v) for k, v in row.items()})


def emit_table(
    title: str, headers: list[str], rows: list[list[str]], *, right: set[int] | None = None
) -> None:
    """A rich table on a terminal; plain aligned columns when piped."""
    import sys

    right = right or set()
    if sys.stdout.isatty():
        from rich.console import Console
        from rich.table import Table

        table = Table(title=title, title_justify="left")
        for i, header in enumerate(headers):
            table.add_column(header, justify="right" if i in right else "left")
        for row in rows:
            table.add_row(*row)
        Console().print(table)
        return
    widths = [max(len(h), *(len(r[i]) for r in rows)) if rows else len(h) for i, h in enumerate(headers)]
    typer.echo(title)

    def line(cells: list[str]) -> str:
        out = [
            c.rjust(w) if i in right else c.ljust(w)
            for i, (c, w) in enumerate(zip(cells, widths, strict=True))
        ]
        return "  ".join(out).rstrip()

    typer.echo(line(headers))
    for row in rows:
        typer.echo(line(row))
