"""`evaltool template`: the scoring workbook an assessor fills in with Excel (docs/formats.md)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from evaltool.commands.options import WorkspaceOpt

if TYPE_CHECKING:
    from evaltool.workbook_template import VendorSheet
    from evaltool.workspace import Workspace

VendorOpt = Annotated[
    str | None,
    typer.Option("--vendor", "-v", help="Vendor id: one sheet for it (a new id needs --segment)."),
]
TemplateSegmentOpt = Annotated[
    str | None,
    typer.Option(
        "--segment", "-s", help="Segment: without --vendor, one sheet per vendor of the segment; with a new "
        "--vendor, the new vendor's segment.",
    ),
]  # fmt: skip
AssessorOpt = Annotated[
    str | None, typer.Option("--assessor", help="Fill in the assessor's name (default: left blank).")
]
TemplateOutOpt = Annotated[
    Path | None,
    typer.Option(
        "--out", "-o", help="File to write (default: reports/<vendor or segment>-scoring.xlsx in the "
        "workspace). Never a file under criteria/ or vendors/.",
    ),
]  # fmt: skip


def run(
    vendor: VendorOpt = None,
    segment: TemplateSegmentOpt = None,
    assessor: AssessorOpt = None,
    out: TemplateOutOpt = None,
    workspace: WorkspaceOpt = None,
) -> None:
    """Write a scoring workbook: instructions, then per vendor one row per criterion to fill in.

    Rubric criteria get a 0..5 dropdown, metric criteria a number cell with their unit, the evidence level a
    dropdown and the expiry a date cell; the descriptive cells are locked. `evaltool import` reads it back.
    """
    from evaltool.commands.common import load
    from evaltool.output import write_atomic
    from evaltool.workbook_template import template_bytes

    if out is not None and out.suffix.lower() != ".xlsx":
        from evaltool.errors import UsageError

        raise UsageError(f"--out must name an .xlsx file, not '{out}'")
    ws = load(workspace)
    sheets = _sheets(ws, vendor, segment, assessor or "")
    target = (
        out if out is not None else ws.root / "reports" / f"{_slug(vendor or segment or '')}-scoring.xlsx"
    )
    written = write_atomic(target, template_bytes(ws.catalog, sheets), workspace=ws.root)
    shown = written.relative_to(ws.root.resolve()) if written.is_relative_to(ws.root.resolve()) else written
    count = len(sheets)
    typer.echo(
        f"wrote {shown}: {count} vendor sheet{'s' if count != 1 else ''}, "
        f"{len(ws.catalog.criteria())} criteria each"
    )


def _slug(text: str) -> str:
    import re

    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "vendors"


def _sheets(ws: Workspace, vendor: str | None, segment: str | None, assessor: str) -> list[VendorSheet]:
    """The vendors to write a sheet for; a usage error when the options do not name any."""
    import re

    from evaltool.errors import UsageError
    from evaltool.models import ID_PATTERN
    from evaltool.workbook_template import VendorSheet

    if segment is not None:
        known = ws.catalog.segments or ws.segments()
        if segment not in known:
            raise UsageError(f"--segment '{segment}' is not one of the segments: {', '.join(known)}")
    by_id = {v.id: v for v in ws.vendors}
    if vendor is None:
        if segment is None:
            raise UsageError("give --vendor ID (one vendor) or --segment S (every vendor of S)")
        chosen = [v for v in ws.vendors if v.segment == segment]
        if not chosen:
            raise UsageError(f"no vendor in segment '{segment}' yet: give --vendor ID to start one")
        return [VendorSheet(v.id, v.name, v.segment, assessor, new=False) for v in chosen]
    if vendor in by_id:
        found = by_id[vendor]
        if segment is not None and segment != found.segment:
            raise UsageError(f"vendor '{vendor}' is in segment '{found.segment}', not '{segment}'")
        return [VendorSheet(found.id, found.name, found.segment, assessor, new=False)]
    if not re.match(ID_PATTERN, vendor):
        raise UsageError(f"'{vendor}' is not a valid id: use 1-64 lowercase letters, digits and '-'")
    if segment is None:
        raise UsageError(f"vendor '{vendor}' is not in the workspace: give --segment S to start a new vendor")
    return [VendorSheet(vendor, vendor.replace("-", " ").title(), segment, assessor, new=True)]
