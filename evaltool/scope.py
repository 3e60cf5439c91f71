"""Work on one segment while files outside it have problems.

With ``--segment S``, a command needs the catalog, the profile in use (the --profile given, else the one
naming S) and S's vendor files to be valid.
Any other file with an error is left out, and each of its errors is reported as a warning that says why
it was skipped. A vendor file belongs to S when its ``segment`` key reads S; a file whose segment cannot
be read (it does not parse, or has no ``segment`` text) cannot be shown to belong to S, so it is skipped
too, with a warning that says its segment could not be read.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from evaltool.errors import InputError, Problem, UsageError
from evaltool.reading import Loaded, Reading, read_workspace
from evaltool.workspace import Workspace, from_reading


@dataclass(frozen=True)
class Skipped:
    """An error in a file that was left out, and why the file could be left out."""

    reason: str
    problem: Problem

    def __str__(self) -> str:
        return f"warning: skipped, {self.reason}: {self.problem}"


def segment_of(loaded: Loaded) -> str | None:
    """The segment a vendor file declares, or None when it cannot be read."""
    data = loaded.data
    if loaded.ok and isinstance(data, Mapping) and isinstance(data.get("segment"), str):
        return str(data["segment"])
    return None


def in_use(loaded: Loaded, segment: str, profile: str | None) -> bool:
    """Whether a profile file is the one a run on `segment` uses: the --profile given, or without one the
    profile whose `segments` names it (docs/scoring.md#one-profile-per-segment)."""
    if profile is not None:
        return Path(loaded.path).stem == profile
    data = loaded.data
    named = data.get("segments") if loaded.ok and isinstance(data, Mapping) else None
    return isinstance(named, list) and segment in named


def _reasons(reading: Reading, segment: str, profile: str | None) -> dict[str, str]:
    """Why each file may be left out when it has errors (files that must be valid are absent)."""
    reasons: dict[str, str] = {}
    for loaded in reading.vendor_files:
        declared = segment_of(loaded)
        if declared is None:
            reasons[loaded.path] = f"segment unreadable, so not counted in '{segment}'"
        elif declared != segment:
            reasons[loaded.path] = f"not in segment '{segment}'"
    for loaded in reading.profile_files:
        if not in_use(loaded, segment, profile):
            reasons[loaded.path] = "profile not in use"
    for loaded in reading.decision_files:
        declared = segment_of(loaded)
        if declared is None:
            reasons[loaded.path] = f"decision's segment unreadable, so not counted in '{segment}'"
        elif declared != segment:
            reasons[loaded.path] = f"decision about another segment than '{segment}'"
    return reasons


def load_segment(
    root: Path, as_of: dt.date | None, segment: str, profile: str | None
) -> tuple[Workspace, list[Skipped]]:
    """The workspace without the files outside `segment` that have errors, and those errors.

    Raises :class:`InputError` listing the problems of the files that must be valid (the catalog, the
    profile in use and the segment's vendor files), then :class:`UsageError` if no vendor is in `segment`.
    """
    reading = read_workspace(root, as_of)
    found = reading.problems_by_file()
    reasons = _reasons(reading, segment, profile)
    errors = {path: [p for p in found.get(path, []) if not p.warning] for path in reasons}
    leave_out = {path: why for path, why in reasons.items() if errors[path]}
    workspace = from_reading(reading, leave_out)
    if workspace is None:
        outside = {p for path in reasons for p in found.get(path, [])}
        raise InputError([p for p in reading.problems if p not in outside])
    known = _segments(workspace, reading)
    if segment not in known:
        # the first error of a left-out file names it as it can be printed
        unread = [
            errors[f.path][0].path
            for f in reading.vendor_files
            if f.path in leave_out and segment_of(f) is None
        ]
        raise UsageError(_unknown(segment, known, unread))
    skipped = [Skipped(why, p) for path, why in leave_out.items() for p in errors[path]]
    return workspace, sorted(skipped, key=lambda s: s.problem)


def _segments(workspace: Workspace, reading: Reading) -> list[str]:
    """Segments named by a vendor file, left out or not: the catalog's order, then alphabetically."""
    present = {s for s in map(segment_of, reading.vendor_files) if s is not None}
    declared = [s for s in workspace.catalog.segments or [] if s in present]
    return declared + sorted(present - set(declared))


def _unknown(segment: str, known: list[str], unread: list[str]) -> str:
    message = f"unknown segment '{segment}' (segments: {', '.join(known)})"
    if unread:
        message += "; the segment of " + ", ".join(unread) + " cannot be read (`evaltool validate` says why)"
    return message


def segment_warnings(workspace: Workspace, segments: Iterable[str] | None) -> tuple[Problem, ...]:
    """The warnings that bear on these segments (None: all): those of other segments' files are left out."""
    if segments is None:
        return workspace.warnings
    chosen = set(segments)
    # a loaded vendor's path is vendors/<id>.yaml, with a plain id, so it reads the same in a problem
    elsewhere = {workspace.vendor_paths[v.id] for v in workspace.vendors if v.segment not in chosen}
    # a valid decision record's file is named by its id (decisions/<id>.yaml or .yml)
    elsewhere |= {f"decisions/{d.id}{x}" for d in workspace.decisions if d.segment not in chosen
                  for x in (".yaml", ".yml")}  # fmt: skip
    return tuple(w for w in workspace.warnings if w.path not in elsewhere)
