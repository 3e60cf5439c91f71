"""`evaltool import`: add the assessments of a filled-in scoring workbook to the vendor files."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from evaltool.commands.options import WorkspaceOpt

if TYPE_CHECKING:
    from evaltool.workbook_import import Imported
    from evaltool.workspace import Workspace

FileArg = Annotated[Path, typer.Argument(metavar="FILE.xlsx", help="A workbook from `evaltool template`.")]
WriteOpt = Annotated[
    bool,
    typer.Option(
        "--write",
        help="Write the vendor files (default: print the YAML that would be written, change nothing).",
    ),
]


def run(file: FileArg, write: WriteOpt = False, workspace: WorkspaceOpt = None) -> None:
    """Read a filled-in scoring workbook: one assessment per vendor sheet.

    Every problem is listed as FILE.xlsx:Sheet!CELL: message (exit 1, nothing written). Without --write the
    YAML is printed; with --write a new vendor gets a new file, an existing one the assessment appended to
    its `assessments:` list, every other line of the file kept as it was. An existing assessment is never
    changed: a second import by the same assessor is refused.
    """
    from evaltool.commands.common import load
    from evaltool.workbook_import import Known, read_scoring_workbook

    ws = load(workspace)
    known = {v.id: Known(ws.vendor_paths[v.id], v) for v in ws.vendors}
    reading = read_scoring_workbook(file, str(file), ws.catalog, known)
    for title in reading.blank:
        typer.echo(f"note: sheet '{title}' has nothing filled in; left out", err=True)
    imported = reading.imported
    planned = [(item, _new_text(ws, item)) for item in imported]
    for item, (_, shown) in planned:
        if not write:
            action = "new file" if item.new else "appended to its assessments"
            typer.echo(f"# {item.path}: {action}\n{shown}", nl=False)
    if write:
        for item, (text, _) in planned:
            _write(ws, item, text)


def _new_text(ws: Workspace, item: Imported) -> tuple[str, str]:
    """(the vendor file's new text, the part that is new), checked as `evaltool validate` would."""
    from evaltool.errors import InputError
    from evaltool.workbook_import import check_vendor_text
    from evaltool.yamlappend import append_assessment, new_vendor_text
    from evaltool.yamlio import decode, read_bytes

    if item.new:
        text = new_vendor_text(item.vendor_id, item.name, item.segment, item.assessment())
        shown = text
    else:
        text, shown = append_assessment(decode(read_bytes(ws.root / item.path)), item.assessment(), item.path)
    problems = check_vendor_text(ws.catalog, item.path, text, ws.as_of)
    if problems:
        raise InputError(problems)
    return text, shown


def _write(ws: Workspace, item: Imported, text: str) -> None:
    from evaltool.errors import OutputError
    from evaltool.output import write_atomic

    target = ws.root / item.path
    if item.new and target.exists():
        raise OutputError(f"{item.path}: appeared while importing; run the import again")
    write_atomic(target, text)
    count = len(item.scores)
    what = f"assessment by '{item.assessor}' ({count} criteri{'on' if count == 1 else 'a'} scored)"
    typer.echo(f"{'created' if item.new else 'appended to'} {item.path}: {what}")
