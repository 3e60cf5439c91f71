"""`evaltool validate`: check every file of a workspace."""

from __future__ import annotations

import typer

from evaltool.commands.options import AsOfOpt, WorkspaceOpt, parse_as_of


def run(workspace: WorkspaceOpt = None, as_of: AsOfOpt = None) -> None:
    """Check the catalog, profiles and vendor files; list every problem as path:line: key: message.

    Exit 0 when valid (warnings, such as expired evidence or a schemas/ folder older than the catalog,
    are listed but do not fail), 1 when invalid.
    """
    from evaltool.commands.schema import stale_schemas
    from evaltool.reading import resolve_root
    from evaltool.workspace import check_workspace

    root = resolve_root(workspace)
    loaded, problems = check_workspace(root, parse_as_of(as_of))
    if loaded is not None:
        problems = sorted([*problems, *stale_schemas(root, loaded.catalog)])
    if problems:  # one write: a workspace can have thousands of warnings, and echo flushes every call
        typer.echo("\n".join(map(str, problems)))
    errors = sum(not p.warning for p in problems)
    warnings = len(problems) - errors
    if loaded is None:
        typer.echo(f"invalid: {errors} error(s), {warnings} warning(s)", err=True)
        raise typer.Exit(1)
    typer.echo(
        f"valid: 1 catalog ({len(loaded.catalog.criteria())} criteria), {len(loaded.profiles)} profile(s), "
        f"{len(loaded.vendors)} vendor(s); {warnings} warning(s)",
        err=True,
    )
