"""`evaltool new vendor ID`: scaffold a vendor file."""

from __future__ import annotations

import getpass
from typing import Annotated

import typer

from evaltool.commands.options import WorkspaceOpt

app = typer.Typer(help="Create a new file from the catalog (never overwrites).", no_args_is_help=True)


@app.command("vendor")
def vendor(
    vendor_id: Annotated[
        str, typer.Argument(metavar="ID", help="Vendor id: lowercase letters, digits, '-'.")
    ],
    name: Annotated[str | None, typer.Option("--name", help="Display name (default: from the id).")] = None,
    segment: Annotated[
        str | None, typer.Option("--segment", help="Segment (default: the catalog's first segment).")
    ] = None,
    workspace: WorkspaceOpt = None,
) -> None:
    """Write vendors/ID.yaml listing every criterion of the catalog, with its rubric as comments.

    Refuses to overwrite an existing file. The new file validates as written (every score null).
    """
    import re

    from evaltool.defaults import today
    from evaltool.errors import OutputError, UsageError
    from evaltool.models import ID_PATTERN
    from evaltool.output import create_new
    from evaltool.reading import resolve_root
    from evaltool.scaffold import vendor_template
    from evaltool.workspace import load_workspace

    if not re.match(ID_PATTERN, vendor_id):
        raise UsageError(f"'{vendor_id}' is not a valid id: use 1-64 lowercase letters, digits and '-'")
    root = resolve_root(workspace)
    ws = load_workspace(root)
    segments = ws.catalog.segments or []
    if segment is not None and segments and segment not in segments:
        raise UsageError(f"--segment '{segment}' is not one of the catalog's segments: {', '.join(segments)}")
    chosen = segment or (segments[0] if segments else "Unassigned")
    display = name or vendor_id.replace("-", " ").title()
    try:
        assessor = getpass.getuser()
    except (KeyError, OSError):
        assessor = "assessor"
    text = vendor_template(ws.catalog, vendor_id, display, chosen, assessor, today())
    taken = ws.vendor_paths.get(vendor_id) or next(
        (
            f"vendors/{vendor_id}{suffix}"
            for suffix in (".yaml", ".yml")
            if (root / "vendors" / f"{vendor_id}{suffix}").exists()
        ),
        None,
    )
    if taken is not None:
        raise OutputError(f"{taken}: vendor '{vendor_id}' already exists; refusing to overwrite it")
    path = create_new(root / "vendors" / f"{vendor_id}.yaml", text)
    typer.echo(f"created {path.relative_to(root)}: {len(ws.catalog.criteria())} criteria to score")
