"""`evaltool schema`: write the JSON Schemas editors use to check YAML as it is typed."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from evaltool.commands.options import WorkspaceOpt


def run(
    out: Annotated[
        Path | None, typer.Option("--out", help="Folder to write into (default: the workspace's schemas/).")
    ] = None,
    workspace: WorkspaceOpt = None,
) -> None:
    """Write catalog.schema.json, profile.schema.json and vendor.schema.json (JSON Schema draft 7).

    The bundled YAML files start with `# yaml-language-server: $schema=...`, so VS Code's YAML extension
    checks them as you type.
    """
    from evaltool.output import write_atomic
    from evaltool.reading import resolve_root
    from evaltool.schemas import SCHEMAS, render

    root = resolve_root(workspace)
    folder = out if out is not None else root / "schemas"
    for name in SCHEMAS:
        path = write_atomic(folder / f"{name}.schema.json", render(name), workspace=root)
        typer.echo(str(path))
