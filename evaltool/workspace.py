"""Find and load a workspace; turn every problem into ``path:line: key.path: message``.

Loading checks each file on its own (YAML, then the pydantic model), then across files (scores against
the catalog, profiles against the catalog, duplicate ids). Every problem that can be found is collected
before anything is reported. A file that cannot be read or parsed is reported once and left out of the
cross-file checks.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import gc
import hashlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel

from evaltool.crossfile import check_catalog, check_catalog_ids, check_profile, check_vendor
from evaltool.defaults import resolve_as_of
from evaltool.errors import InputError, Problem, UsageError
from evaltool.models import Catalog, Profile, Vendor
from evaltool.problems import Collector, _printable, printable, validate_model
from evaltool.reading import CATALOG_NAMES, Loaded, _yaml_files, read_yaml

M = TypeVar("M", bound=BaseModel)


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

    def input_hash(self) -> str:
        """SHA-256 over the relative paths and contents of every input file, in path order."""
        digest = hashlib.sha256()
        for source in sorted(self.files, key=lambda f: f.path):
            digest.update(f"{source.path}\0{source.sha256}\n".encode())
        return digest.hexdigest()

    def profile(self, profile_id: str | None) -> Profile | None:
        """The named profile (None for the catalog's own weights); unknown ids are a usage error."""
        if profile_id is None:
            return None
        if profile_id not in self.profiles:
            known = ", ".join(sorted(self.profiles)) or "none"
            raise UsageError(f"unknown profile '{profile_id}' (profiles: {known})")
        return self.profiles[profile_id]

    def segments(self) -> list[str]:
        """Segments with at least one vendor, in the catalog's order, then alphabetically."""
        present = {vendor.segment for vendor in self.vendors}
        declared = [s for s in self.catalog.segments or [] if s in present]
        return declared + sorted(present - set(declared))


# --- the loader ----------------------------------------------------------------------------------------


def _load_models(
    files: list[Loaded], model: type[M], problems: list[Problem]
) -> list[tuple[Loaded, M, Collector]]:
    out = []
    for loaded in files:
        collector = Collector(loaded.path, loaded.data, problems)
        if loaded.ok:
            instance = validate_model(model, loaded.data, collector)
            if instance is not None:
                out.append((loaded, instance, collector))
    return out


def _check_duplicate_ids(models: list[tuple[Loaded, Any, Collector]], kind: str) -> None:
    seen: dict[str, str] = {}
    for loaded, model, collector in models:
        if model.id in seen:
            collector.add(("id",), f"{kind} id '{model.id}' is also used by {seen[model.id]}")
        seen.setdefault(model.id, loaded.path)


@contextlib.contextmanager
def _collector_paused() -> Iterator[None]:
    """Loading builds many small objects and no cycles; the cyclic collector would only rescan them."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


@dataclass(frozen=True)
class Reading:
    """Every file of a workspace as read and checked, with every problem found, before a file is left out."""

    root: Path
    as_of: dt.date
    catalog_file: Loaded | None
    catalog: Catalog | None
    profile_files: tuple[Loaded, ...]
    vendor_files: tuple[Loaded, ...]
    profiles: tuple[tuple[str, Profile], ...]  # (path, model) of each file whose model is valid
    vendors: tuple[tuple[str, Vendor], ...]
    problems: tuple[Problem, ...]  # sorted and printable

    def problems_by_file(self) -> dict[str, list[Problem]]:
        """The problems (errors and warnings) of each file read that has any, by the file's path."""
        found: dict[str, list[Problem]] = {}
        for problem in self.problems:
            found.setdefault(problem.path, []).append(problem)
        paths = [f.path for f in self._files()]
        return {path: found[_printable(path)] for path in paths if _printable(path) in found}

    def _files(self) -> list[Loaded]:
        return [f for f in (self.catalog_file, *self.profile_files, *self.vendor_files) if f is not None]

    def workspace(self, leave_out: Iterable[str] = ()) -> Workspace | None:
        """The workspace without the files in `leave_out`; None if any other file has an error."""
        hidden = set(leave_out)
        shown = {_printable(path) for path in hidden}
        warnings = tuple(p for p in self.problems if p.path not in shown)
        if self.catalog is None or any(not p.warning for p in warnings):
            return None
        vendors = [(path, v) for path, v in self.vendors if path not in hidden]
        return Workspace(
            root=self.root,
            catalog=self.catalog,
            profiles={p.id: p for path, p in self.profiles if path not in hidden},
            vendors=tuple(sorted((v for _, v in vendors), key=lambda v: v.id)),
            files=tuple(SourceFile(f.path, f.sha256) for f in self._files() if f.path not in hidden),
            vendor_paths={v.id: path for path, v in vendors},
            warnings=warnings,
            as_of=self.as_of,
        )


def check_workspace(root: Path, as_of: dt.date | None = None) -> tuple[Workspace | None, list[Problem]]:
    """Load everything; return the workspace (None if any error) and every problem, warnings included."""
    reading = read_workspace(root, as_of)
    return reading.workspace(), list(reading.problems)


def read_workspace(root: Path, as_of: dt.date | None = None) -> Reading:
    """Read and check every file of the workspace, collecting every problem."""
    with _collector_paused():
        return _read_workspace(root, resolve_as_of(as_of))


def _read_workspace(root: Path, as_of: dt.date) -> Reading:
    problems: list[Problem] = []
    present = [n for n in CATALOG_NAMES if (root / n).exists() or (root / n).is_symlink()]
    catalog_name = present[0] if present else None
    for extra in present[1:]:
        problems.append(
            Problem(extra, 0, "", f"a second catalog beside {present[0]}: keep one and remove the other")
        )
    if catalog_name is None:
        problems.append(
            Problem(CATALOG_NAMES[0], 0, "", "not found: a workspace needs criteria/catalog.yaml")
        )
    profile_files = [read_yaml(root, p.relative_to(root).as_posix(), problems)
                     for p in _yaml_files(root / "criteria" / "profiles")]  # fmt: skip
    vendor_files = [
        read_yaml(root, p.relative_to(root).as_posix(), problems) for p in _yaml_files(root / "vendors")
    ]
    catalog_file = read_yaml(root, catalog_name, problems) if catalog_name else None
    catalogs = _load_models([catalog_file] if catalog_file else [], Catalog, problems)
    profiles = _load_models(profile_files, Profile, problems)
    vendors = _load_models(vendor_files, Vendor, problems)
    if not vendor_files:
        problems.append(Problem("vendors", 0, "", "no vendor files yet: add vendors/<id>.yaml", warning=True))
    if catalog_file is not None and catalog_file.ok:
        check_catalog_ids(Collector(catalog_file.path, catalog_file.data, problems))
    catalog = catalogs[0][1] if catalogs else None
    if catalog is not None:
        check_catalog(catalog, catalogs[0][2])
        for loaded, profile, collector in profiles:
            check_profile(profile, catalog, Path(loaded.path).stem, collector)
        _check_duplicate_ids(profiles, "profile")
        for loaded in vendor_files:
            if loaded.ok:
                check_vendor(
                    catalog, Path(loaded.path).stem, as_of, Collector(loaded.path, loaded.data, problems)
                )
        _check_duplicate_ids(vendors, "vendor")
    return Reading(
        root=root,
        as_of=as_of,
        catalog_file=catalog_file,
        catalog=catalog,
        profile_files=tuple(profile_files),
        vendor_files=tuple(vendor_files),
        profiles=tuple((loaded.path, p) for loaded, p, _ in profiles),
        vendors=tuple((loaded.path, v) for loaded, v, _ in vendors),
        problems=tuple(sorted(map(printable, problems))),
    )


def load_workspace(root: Path, as_of: dt.date | None = None) -> Workspace:
    """Load a valid workspace or raise :class:`InputError` listing every problem."""
    workspace, problems = check_workspace(root, as_of)
    if workspace is None:
        raise InputError(problems)
    return workspace
