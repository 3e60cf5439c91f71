"""A loaded, valid workspace, and the entry points that load one.

`check_workspace` returns the workspace (None when any file has an error) with every problem found;
`load_workspace` returns it or raises :class:`InputError` listing them. Reading and checking the files is
`evaltool.reading`'s work.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from evaltool.crossfile import catalog_shares, check_coverage
from evaltool.decisions import Decision
from evaltool.defaults import CATALOG_WEIGHTS
from evaltool.errors import InputError, Problem, UsageError
from evaltool.models import Catalog, Profile, Vendor
from evaltool.problems import printable, printable_text
from evaltool.reading import Reading, input_sha256, read_workspace

if TYPE_CHECKING:
    from evaltool.anonymize import Blind


@dataclass(frozen=True)
class SourceFile:
    """One input file: its path relative to the workspace and the SHA-256 of its bytes."""

    path: str
    sha256: str


@dataclass(frozen=True)
class Workspace:
    """A loaded, valid workspace."""

    root: Path
    catalog: Catalog
    profiles: dict[str, Profile]
    vendors: tuple[Vendor, ...]
    files: tuple[SourceFile, ...]
    vendor_paths: dict[str, str]
    warnings: tuple[Problem, ...]
    as_of: dt.date
    decisions: tuple[Decision, ...] = ()  # the forum's records; not inputs, so not in input_hash
    # A blind view (evaltool.anonymize) keeps the hash of the real files, and says what it withholds.
    input_sha256: str | None = None
    blind: Blind | None = None

    def input_hash(self) -> str:
        """SHA-256 over the relative paths and contents of every input file, in path order."""
        if self.input_sha256 is not None:
            return self.input_sha256
        return input_sha256((f.path, f.sha256) for f in self.files)

    def profile(self, profile_id: str | None) -> Profile | None:
        """The named profile (None for the catalog's own weights: no id, or the reserved id `catalog`);
        unknown ids are a usage error."""
        if profile_id is None or profile_id == CATALOG_WEIGHTS:
            return None
        if profile_id not in self.profiles:
            known = ", ".join(sorted(self.profiles)) or "none"
            raise UsageError(f"unknown profile '{profile_id}' (profiles: {known})")
        return self.profiles[profile_id]

    def segment_profiles(self, profile_id: str | None = None) -> dict[str, Profile]:
        """Segment name -> the profile whose `segments` names it: what a run without --profile scores each
        segment with (a segment no profile names takes the catalog's weights). Empty when `profile_id`
        names one profile for every segment, or `catalog` (docs/scoring.md#one-profile-per-segment)."""
        if profile_id is not None:
            return {}
        return {name: p for p in self.profiles.values() for name in p.segments}

    def segments(self) -> list[str]:
        """Segments with at least one vendor, in the catalog's order, then alphabetically."""
        present = {vendor.segment for vendor in self.vendors}
        declared = [s for s in self.catalog.segments or [] if s in present]
        return declared + sorted(present - set(declared))


def from_reading(reading: Reading, leave_out: Iterable[str] = ()) -> Workspace | None:
    """The workspace without the files in `leave_out`; None if any other file has an error."""
    hidden = set(leave_out)
    shown = {printable_text(path) for path in hidden}
    warnings = tuple(p for p in reading.problems if p.path not in shown)
    if reading.catalog is None or any(not p.warning for p in warnings):
        return None
    vendors = [(path, v) for path, v in reading.vendors if path not in hidden]
    return Workspace(
        root=reading.root,
        catalog=reading.catalog,
        profiles={p.id: p for path, p in reading.profiles if path not in hidden},
        vendors=tuple(sorted((v for _, v in vendors), key=lambda v: v.id)),
        files=tuple(SourceFile(f.path, f.sha256) for f in reading.files() if f.path not in hidden),
        vendor_paths={v.id: path for path, v in vendors},
        warnings=warnings,
        as_of=reading.as_of,
        decisions=tuple(d for path, d in reading.decisions if path not in hidden),
    )


def check_workspace(root: Path, as_of: dt.date | None = None) -> tuple[Workspace | None, list[Problem]]:
    """Load everything; return the workspace (None if any error) and every problem, warnings included.

    Besides the problems of each file, a vendor that leaves much of the catalog's weight unscored is a
    warning here (docs/cli.md#evaltool-validate): it is not wrong, but it would score low for want of scores.
    """
    reading = read_workspace(root, as_of)
    return from_reading(reading), sorted([*reading.problems, *_coverage_warnings(reading)])


def _coverage_warnings(reading: Reading) -> list[Problem]:
    if reading.catalog is None:
        return []
    shares = catalog_shares(reading.catalog)
    found = (check_coverage(reading.catalog, vendor, path, shares) for path, vendor in reading.vendors)
    return [printable(problem) for problem in found if problem is not None]


def load_workspace(root: Path, as_of: dt.date | None = None) -> Workspace:
    """Load a valid workspace or raise :class:`InputError` listing every problem."""
    workspace, problems = check_workspace(root, as_of)
    if workspace is None:
        raise InputError(problems)
    return workspace
