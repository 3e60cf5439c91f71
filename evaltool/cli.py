"""Command-line entry point: builds the typer app and maps errors to exit codes.

Each command lives in ``evaltool/commands/<verb>.py``; this module only registers them. Heavy libraries
(numpy, pandas, plotly, streamlit) are imported inside the commands that need them.
"""

from __future__ import annotations

import datetime as dt
import os
import sys
import tempfile
import traceback
from pathlib import Path

import typer

from evaltool import __version__
from evaltool.commands import (
    dashboard,
    diff,
    export,
    import_,
    new,
    recommend,
    report,
    schema,
    score,
    sensitivity,
    template,
    trace,
    validate,
    weights,
)
from evaltool.errors import EvalToolError

app = typer.Typer(
    name="evaltool",
    help="Evaluate emerging technologies, vendors and startups against weighted enterprise criteria.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"evaltool {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: bool = typer.Option(
        False, "--version", callback=_version, is_eager=True, help="Print the version."
    ),
) -> None:
    """Evaluate emerging technologies, vendors and startups against weighted enterprise criteria."""


app.command("validate")(validate.run)
app.command("score")(score.run)
app.command("weights")(weights.run)
app.command("sensitivity")(sensitivity.run)
app.command("recommend")(recommend.run)
app.command("report")(report.run)
app.command("export")(export.run)
app.command("dashboard")(dashboard.run)
app.command("diff")(diff.run)
app.command("schema")(schema.run)
app.command("template")(template.run)
app.command("import")(import_.run)
app.command("trace")(trace.run)
app.add_typer(new.app, name="new")


def _crash_log() -> Path:
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    fd, name = tempfile.mkstemp(prefix=f"evaltool-crash-{stamp}-", suffix=".log")
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(f"evaltool {__version__}\nargv: {sys.argv!r}\n\n")
        traceback.print_exc(file=handle)
    return Path(name)


def main(argv: list[str] | None = None) -> None:
    """Run the CLI; exit 0 ok, 1 invalid input, 2 usage error, 3 internal error, 130 interrupted."""
    try:
        app(args=argv, prog_name="evaltool")
    except EvalToolError as exc:
        typer.echo(str(exc), err=True)
        sys.exit(exc.exit_code)
    except KeyboardInterrupt:
        typer.echo("interrupted", err=True)
        sys.exit(130)
    except Exception as exc:
        try:
            where = f"details written to {_crash_log()}"
        except OSError as log_error:  # no writable temporary folder: still one line, still exit 3
            where = f"the details could not be written ({log_error.strerror or log_error})"
        typer.echo(f"evaltool: internal error ({type(exc).__name__}); {where}", err=True)
        sys.exit(3)
