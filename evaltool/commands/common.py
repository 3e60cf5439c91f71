"""Options and helpers shared by the commands."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Annotated

import typer

from evaltool.errors import Problem, UsageError

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
