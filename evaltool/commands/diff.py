"""`evaltool diff OLD [NEW]`: what changed between two git revisions of the workspace, and why."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from evaltool.commands.options import AsOfOpt, MethodOpt, ProfileOpt, SegmentOpt, WorkspaceOpt
from evaltool.defaults import DEFAULT_METHOD

if TYPE_CHECKING:
    from evaltool.diff import ChangesView, Diff
    from evaltool.history import Repo, Side
    from evaltool.models import Method
    from evaltool.scoring import ScoreResult


class DiffFormat(StrEnum):
    """What diff prints."""

    table = "table"
    json = "json"
    md = "md"


def _score(side: Side, profile: str | None, method: Method, segment: str | None) -> ScoreResult:
    from evaltool.scoring import score

    ws = side.workspace
    chosen = [segment] if segment is not None else None
    return score(
        ws.catalog, ws.vendors, ws.profile(profile), method=method, segments=chosen, as_of=ws.as_of,
        segment_profiles=ws.segment_profiles(profile),
    )  # fmt: skip


def compare_since(
    repo: Repo, revision: str, new_result: ScoreResult, segment: str | None
) -> tuple[Diff, Side]:
    """The diff from `revision` to an already scored side, with the profile and method of its result."""
    from evaltool.diff import compare
    from evaltool.history import load_revision

    profile = new_result.profile_id if new_result.uniform else None  # else: each segment's own profile
    old = load_revision(repo, revision, segment, profile)
    return compare(_score(old, profile, new_result.method, segment), new_result), old


def since_view(root: Path, revision: str, new_result: ScoreResult, segment: str | None) -> ChangesView:
    """The "Changes since REV" section of `report --since REV`: the working tree against REV."""
    from evaltool.diff import changes_view
    from evaltool.history import Side, find_repo, load_folder

    repo = find_repo(root.resolve())
    # the new side is only named in words here: its workspace is the one already scored
    profile = new_result.profile_id if new_result.uniform else None
    new = Side(None, None, load_folder(root, new_result.as_of, segment, profile))
    found, old = compare_since(repo, revision, new_result, segment)
    return changes_view(found, old, new)


def _check_segment(old: Side, new: Side, segment: str | None) -> None:
    from evaltool.errors import UsageError

    if segment is None:
        return
    known = {*new.workspace.segments(), *old.workspace.segments()}
    if segment not in known:
        raise UsageError(f"no vendor in segment '{segment}' on either side")


def _print_table(view: ChangesView) -> None:
    from evaltool.commands.common import emit_table, emit_wrapped

    emit_wrapped(f"Changes from {view.old} to {view.new}")
    for line in view.catalog or ("no weight or gate changed",):
        emit_wrapped(f"- {line}", "  ")
    for s in view.segments:
        typer.echo("")
        if s.rows:
            right = {1, 2, 5, 6} if view.attribution else {1, 2}
            emit_table(s.name, list(view.header), [list(r) for r in s.rows], right=right, keep={0, 3, 4})
        else:
            emit_wrapped(s.name)
        if s.unchanged:
            emit_wrapped("unchanged: " + ", ".join(s.unchanged), "  ")
        for label, items in (("added", s.added), ("removed", s.removed)):
            for item in items:
                emit_wrapped(f"{label}: {item}", "  ")
    if view.attribution:
        typer.echo("")
        emit_wrapped(view.rule)


def run(
    old: Annotated[
        str, typer.Argument(metavar="OLD", help="The earlier git revision: a commit, tag, branch, HEAD~1...")
    ],
    new: Annotated[
        str | None,
        typer.Argument(
            metavar="NEW",
            help="The later revision; default the working tree as it is now.",
            show_default=False,
        ),
    ] = None,
    workspace: WorkspaceOpt = None,
    profile: ProfileOpt = None,
    method: MethodOpt = DEFAULT_METHOD,
    segment: SegmentOpt = None,
    output_format: Annotated[
        DiffFormat,
        typer.Option("--format", "-f", help="A table to read, JSON for other programs, or Markdown."),
    ] = DiffFormat.table,
    as_of: AsOfOpt = None,
) -> None:
    """What changed between two git revisions of the workspace, per vendor, and why.

    Scores, ranks and eligibility before and after; the causes (scores, assessors, evidence, gates);
    vendors added and removed; weights and gates changed, and how much of each score change they explain.
    Revisions are read with git, never touching the working tree or the index.
    """
    from evaltool.commands.common import emit_json
    from evaltool.commands.options import parse_as_of, parse_method
    from evaltool.diff import changes_view, compare, diff_json
    from evaltool.history import Side, find_repo, load_folder, load_revision
    from evaltool.reading import resolve_root

    chosen = parse_method(method)
    date = parse_as_of(as_of) if as_of is not None else None
    root = resolve_root(workspace)
    repo = find_repo(root.resolve())
    before = load_revision(repo, old, segment, profile, date)
    if new is None:
        after = Side(None, None, load_folder(root, parse_as_of(as_of), segment, profile))
    else:
        after = load_revision(repo, new, segment, profile, date)
    _check_segment(before, after, segment)
    found = compare(_score(before, profile, chosen, segment), _score(after, profile, chosen, segment))
    if output_format is DiffFormat.json:
        emit_json(diff_json(found, before, after, profile))
        return
    view = changes_view(found, before, after)
    if output_format is DiffFormat.md:
        from evaltool.reports.render import render_changes_markdown

        typer.echo(render_changes_markdown(view), nl=False)
    else:
        _print_table(view)
