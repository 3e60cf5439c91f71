"""`evaltool schema`: write the JSON Schemas editors use to check YAML as it is typed."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from evaltool.commands.options import WorkspaceOpt
from evaltool.errors import Problem
from evaltool.models import Catalog

FOLDER = "schemas"


def run(
    out: Annotated[
        Path | None, typer.Option("--out", help="Folder to write into (default: the workspace's schemas/).")
    ] = None,
    workspace: WorkspaceOpt = None,
) -> None:
    """Write the JSON Schemas (draft 7) of the catalog, profile, vendor and decision files.

    The vendor and profile schemas know the catalog: its criterion ids are the only score keys, each on
    its own scale. The bundled YAML files start with `# yaml-language-server: $schema=...`, so VS Code's
    YAML extension checks them as you type. Needs a valid catalog; vendor and profile files may have errors.
    """
    from evaltool.errors import InputError
    from evaltool.output import write_atomic
    from evaltool.reading import CATALOG_NAMES, read_workspace, resolve_root
    from evaltool.schemas import SCHEMAS, render

    root = resolve_root(workspace)
    reading = read_workspace(root)
    if reading.catalog is None:
        raise InputError([p for p in reading.problems if p.path in CATALOG_NAMES and not p.warning])
    folder = out if out is not None else root / FOLDER
    for name in SCHEMAS:
        path = write_atomic(folder / f"{name}.schema.json", render(name, reading.catalog), workspace=root)
        typer.echo(str(path))


def stale_schemas(root: Path, catalog: Catalog) -> list[Problem]:
    """A warning for each file of the workspace's schemas/ that `evaltool schema` would write differently.

    A workspace without schemas/ gets none: it does not use editor schemas.
    """
    from evaltool.schemas import SCHEMAS, render

    if not (root / FOLDER).is_dir():
        return []
    problems = []
    for name in SCHEMAS:
        relative = f"{FOLDER}/{name}.schema.json"
        try:
            text: str | None = (root / relative).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            text = None
        if text != render(name, catalog):
            what = (
                "missing" if text is None else "differs from what `evaltool schema` writes for this catalog"
            )
            message = (
                f"{what}, so the editor checks against old rules: run `evaltool schema` to regenerate it"
            )
            problems.append(Problem(relative, 0, "", message, warning=True, code="stale-schema"))
    return problems
