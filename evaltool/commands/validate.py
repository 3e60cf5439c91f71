"""`evaltool validate`: check every file of a workspace."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from evaltool.commands.options import AsOfOpt, WorkspaceOpt, parse_as_of

if TYPE_CHECKING:
    from evaltool.workspace import Workspace

QuietWarningsOpt = Annotated[
    bool, typer.Option("--quiet-warnings", help="List only the errors; the summary still counts warnings.")
]
StrictOpt = Annotated[bool, typer.Option("--strict", help="Exit 1 when there is any warning (for CI).")]


def run(
    workspace: WorkspaceOpt = None,
    as_of: AsOfOpt = None,
    quiet_warnings: QuietWarningsOpt = False,
    strict: StrictOpt = False,
) -> None:
    """Check the catalog, profiles and vendor files; list every problem as path:line: key: message.

    Errors first, then warnings, each sorted by file and line, then a summary line, all on standard
    output. Exit 0 when valid (warnings, such as expired evidence or a schemas/ folder that no longer
    matches the catalog, are listed but do not fail; with --strict they do), 1 when invalid.
    """
    from evaltool.commands.schema import stale_schemas
    from evaltool.problems import report_order
    from evaltool.reading import resolve_root
    from evaltool.workspace import check_workspace

    root = resolve_root(workspace)
    loaded, problems = check_workspace(root, parse_as_of(as_of))
    if loaded is not None:
        problems = [*problems, *stale_schemas(root, loaded.catalog)]
    problems.sort(key=report_order)
    errors = sum(not p.warning for p in problems)
    warnings = len(problems) - errors
    shown = [p for p in problems if not (quiet_warnings and p.warning)]
    failed = loaded is None or (strict and warnings > 0)
    summary = _summary(loaded, failed, errors, warnings)
    if quiet_warnings and warnings:
        summary += " (warnings not listed: --quiet-warnings)"
    # one write: a workspace can have thousands of warnings, and echo flushes every call
    typer.echo("\n".join([*map(str, shown), summary]))
    if failed:
        raise typer.Exit(1)


def _summary(loaded: Workspace | None, failed: bool, errors: int, warnings: int) -> str:
    """One line: valid or not (and why, under --strict), what was read, how many errors and warnings."""
    counts = f"{_count(errors, 'error')}, {_count(warnings, 'warning')}"
    if loaded is None:
        return f"invalid: {counts}"
    if failed:
        return f"invalid (--strict fails on warnings): {counts}"
    criteria = len(loaded.catalog.criteria())
    read = f"{_count(len(loaded.profiles), 'profile')}, {_count(len(loaded.vendors), 'vendor')}"
    if loaded.decisions:
        read += f", {_count(len(loaded.decisions), 'decision')}"
    return f"valid: 1 catalog ({criteria} criteria), {read}; {counts}"


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"
