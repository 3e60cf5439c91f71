"""`evaltool new vendor ID`: scaffold a vendor file."""

from __future__ import annotations

import getpass
from typing import Annotated, cast

import typer

from evaltool.commands.options import ProfileOpt, WorkspaceOpt

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


@app.command("decision")
def decision(
    segment: Annotated[str, typer.Option("--segment", "-s", help="The segment the forum decided on.")],
    outcome: Annotated[
        str,
        typer.Option(
            "--outcome", help="approved | approved-with-conditions | rejected | deferred (default: approved)."
        ),
    ] = "approved",
    vendor: Annotated[
        str | None, typer.Option("--vendor", help="The vendor decided on (default: the segment's leader).")
    ] = None,
    forum: Annotated[
        str, typer.Option("--forum", help="The forum that decided.")
    ] = "Architecture governance forum",
    decision_id: Annotated[
        str | None, typer.Option("--id", help="Decision id (default: <segment>-<today>).")
    ] = None,
    profile: ProfileOpt = None,
    workspace: WorkspaceOpt = None,
) -> None:
    """Write decisions/ID.yaml bound to the current inputs: their SHA-256, today's date, the leader.

    The leader is the segment's first-ranked vendor under --profile (default: the segment's own profile,
    else the catalog's weights).
    Refuses to overwrite an existing record.
    """
    import re

    from evaltool.commands.common import load
    from evaltool.decisions import FOLDER, OUTCOMES, Outcome, decision_template, default_id
    from evaltool.defaults import today
    from evaltool.errors import OutputError, UsageError
    from evaltool.models import ID_PATTERN
    from evaltool.output import create_new
    from evaltool.reading import resolve_root
    from evaltool.scoring import score

    if outcome not in OUTCOMES:
        raise UsageError(f"--outcome '{outcome}' must be one of {', '.join(OUTCOMES)}")
    if decision_id is not None and not re.match(ID_PATTERN, decision_id):
        raise UsageError(f"'{decision_id}' is not a valid id: use 1-64 lowercase letters, digits and '-'")
    root = resolve_root(workspace)
    ws = load(root, segment=segment, profile=profile)
    chosen = ws.profile(profile)
    date = today()
    scored = score(
        ws.catalog,
        ws.vendors,
        chosen,
        segments=[segment],
        as_of=ws.as_of,
        segment_profiles=ws.segment_profiles(profile),
    )
    leader = scored.segment(segment).leader
    members = sorted(v.id for v in ws.vendors if v.segment == segment)
    if vendor is not None and vendor not in members:
        raise UsageError(
            f"--vendor '{vendor}' is not a vendor of '{segment}' (vendors: {', '.join(members)})"
        )
    used = scored.setup_of(segment).profile
    weights = f"profile {used.id}" if used is not None else "the catalog's weights"
    if vendor is not None:
        note = "given with --vendor"
    elif leader is not None:
        note = f"the leader under {weights} on {date.isoformat()}"
    else:
        note = f"no vendor of the segment is eligible under {weights}"
    ident = decision_id or default_id(segment, date)
    text = decision_template(
        ident, segment, date, forum=forum, outcome=cast("Outcome", outcome),
        vendor=vendor or (leader.id if leader is not None else None), vendor_note=note,
        input_sha256=ws.input_hash(),
    )  # fmt: skip
    taken = next((d for d in ws.decisions if d.id == ident), None)
    existing = [f"{FOLDER}/{ident}{x}" for x in (".yaml", ".yml") if (root / FOLDER / f"{ident}{x}").exists()]
    if taken is not None or existing:
        where = existing[0] if existing else f"{FOLDER}/{ident}.yaml"
        raise OutputError(f"{where}: decision '{ident}' already exists; refusing to overwrite it")
    path = create_new(root / FOLDER / f"{ident}.yaml", text)
    typer.echo(f"created {path.relative_to(root)}: bound to inputs SHA-256 {ws.input_hash()[:12]}")
