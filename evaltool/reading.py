"""Find the workspace folder, read its files safely and check them, collecting every problem.

Reading checks each file on its own (YAML, then the pydantic model), then across files (scores against
the catalog, profiles against the catalog, duplicate ids). Every problem that can be found is collected
before anything is reported. A file that cannot be read or parsed is reported once and left out of the
cross-file checks (docs/formats.md#problems-and-warnings); a symbolic link is followed only while it
stays inside the workspace (docs/formats.md#safe-yaml).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import gc
import hashlib
import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel

from evaltool.commercial import check_commercial
from evaltool.crossfile import (
    check_catalog,
    check_catalog_ids,
    check_duplicate_ids,
    check_profile,
    check_profile_segments,
    check_vendor,
)
from evaltool.decisions import FOLDER as DECISIONS_FOLDER
from evaltool.decisions import Decision, check_decisions
from evaltool.defaults import resolve_as_of
from evaltool.diligence import check_acceptances, check_tiers
from evaltool.errors import Problem, UsageError
from evaltool.models import Catalog, Profile, Vendor
from evaltool.poc import check_poc
from evaltool.problems import Collector, printable, printable_text, report_order, validate_model
from evaltool.trace import check_references
from evaltool.yamlio import YamlError, decode, load_text, read_bytes

ENV_VAR = "EVALTOOL_WORKSPACE"
YAML_SUFFIXES = (".yaml", ".yml")
CATALOG_NAMES = ("criteria/catalog.yaml", "criteria/catalog.yml")
M = TypeVar("M", bound=BaseModel)


def resolve_root(workspace: Path | None) -> Path:
    """--workspace, else $EVALTOOL_WORKSPACE, else the current directory."""
    if workspace is None:
        env = os.environ.get(ENV_VAR)
        workspace = Path(env) if env else Path.cwd()
    if not workspace.is_dir():
        raise UsageError(f"workspace {workspace} is not a folder")
    return workspace


@dataclass
class Loaded:
    """One file as read: relative path, parsed data (None if unreadable) and its hash."""

    path: str
    data: Any
    sha256: str
    ok: bool


def _inside(resolved: Path, root: Path) -> bool:
    try:
        resolved.relative_to(root.resolve())
    except (ValueError, OSError, RuntimeError):  # RuntimeError: a symbolic link loop (Python < 3.13)
        return False
    return True


def _outside(path: Path, root: Path) -> str | None:
    """Why a file is refused as lying outside the workspace (through a symbolic link), or None."""
    try:
        resolved = path.resolve()  # once: every file of the workspace passes here
    except (OSError, RuntimeError):
        return "is a symbolic link that loops; refused"
    if _inside(resolved, root):
        return None
    if path.is_symlink():
        return "is a symbolic link to a file outside the workspace; refused"
    return "lies outside the workspace (a folder on its path is a symbolic link); refused"


def read_yaml(root: Path, relative: str, problems: list[Problem]) -> Loaded:
    """Read and parse one file; a problem is recorded (once) if it cannot be."""
    path = root / relative
    refused = _outside(path, root)
    if refused is not None:
        problems.append(Problem(relative, 0, "", refused, code="unreadable"))
        return Loaded(relative, None, "", False)
    try:
        raw = read_bytes(path.resolve() if path.is_symlink() else path)
        data = load_text(decode(raw))
    except YamlError as exc:
        problems.append(Problem(relative, exc.line, "", exc.message, code="unreadable"))
        return Loaded(relative, None, "", False)
    return Loaded(relative, data, hashlib.sha256(raw).hexdigest(), True)


def _yaml_files(folder: Path) -> list[Path]:
    if not folder.is_dir():
        return []
    # A folder named like a YAML file is kept, so that it is reported rather than silently skipped.
    return sorted(p for p in folder.iterdir() if p.suffix in YAML_SUFFIXES and not p.name.startswith("."))


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


def input_sha256(files: Iterable[tuple[str, str]]) -> str:
    """SHA-256 over the (relative path, SHA-256) of every input file, in path order."""
    digest = hashlib.sha256()
    for path, sha256 in sorted(files):
        digest.update(f"{path}\0{sha256}\n".encode())
    return digest.hexdigest()


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
    # decision records are read and checked, but are not inputs: files() leaves them out of the hash
    decision_files: tuple[Loaded, ...] = ()
    decisions: tuple[tuple[str, Decision], ...] = ()

    def problems_by_file(self) -> dict[str, list[Problem]]:
        """The problems (errors and warnings) of each file read that has any, by the file's path."""
        found: dict[str, list[Problem]] = {}
        for problem in self.problems:
            found.setdefault(problem.path, []).append(problem)
        paths = [f.path for f in (*self.files(), *self.decision_files)]
        return {path: found[printable_text(path)] for path in paths if printable_text(path) in found}

    def files(self) -> list[Loaded]:
        """Every file read, the catalog first, then the profiles and the vendors."""
        return [f for f in (self.catalog_file, *self.profile_files, *self.vendor_files) if f is not None]


def check_profile_text(catalog: Catalog, path: str, text: str) -> list[Problem]:
    """What `evaltool validate` would report for a profile file at `path` holding `text`, warnings included.

    A profile about to be written (the dashboard's "save as profile") is checked before the file exists.
    """
    problems: list[Problem] = []
    try:
        data = load_text(text)
    except YamlError as exc:
        problems.append(Problem(path, exc.line, "", exc.message, code="unreadable"))
    else:
        collector = Collector(path, data, problems)
        profile = validate_model(Profile, data, collector)
        if profile is not None:
            check_profile(profile, catalog, Path(path).stem, collector)
    return sorted(map(printable, problems), key=report_order)


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
            Problem(
                extra,
                0,
                "",
                f"a second catalog beside {present[0]}: keep one and remove the other",
                code="layout",
            )
        )
    if catalog_name is None:
        problems.append(
            Problem(
                CATALOG_NAMES[0], 0, "", "not found: a workspace needs criteria/catalog.yaml", code="layout"
            )
        )
    profile_files = [read_yaml(root, p.relative_to(root).as_posix(), problems)
                     for p in _yaml_files(root / "criteria" / "profiles")]  # fmt: skip
    vendor_files = [
        read_yaml(root, p.relative_to(root).as_posix(), problems) for p in _yaml_files(root / "vendors")
    ]
    decision_files = [read_yaml(root, p.relative_to(root).as_posix(), problems)
                      for p in _yaml_files(root / DECISIONS_FOLDER)]  # fmt: skip
    catalog_file = read_yaml(root, catalog_name, problems) if catalog_name else None
    catalogs = _load_models([catalog_file] if catalog_file else [], Catalog, problems)
    profiles = _load_models(profile_files, Profile, problems)
    vendors = _load_models(vendor_files, Vendor, problems)
    decisions = _load_models(decision_files, Decision, problems)
    if not vendor_files:
        empty = "no vendor files yet: add vendors/<id>.yaml"
        problems.append(Problem("vendors", 0, "", empty, warning=True, code="no-vendors"))
    if catalog_file is not None and catalog_file.ok:
        check_catalog_ids(Collector(catalog_file.path, catalog_file.data, problems))
    catalog = catalogs[0][1] if catalogs else None
    if catalog is not None:
        check_catalog(catalog, catalogs[0][2])
        check_tiers(catalog, catalogs[0][2])
        check_references(catalog, catalogs[0][2])
        for loaded, profile, collector in profiles:
            check_profile(profile, catalog, Path(loaded.path).stem, collector)
        check_duplicate_ids([(p, c) for _, p, c in profiles], "profile")
        check_profile_segments([(p, c) for _, p, c in profiles], catalog, [v.segment for _, v, _ in vendors])
        for loaded in vendor_files:
            if loaded.ok:
                check_vendor(
                    catalog, Path(loaded.path).stem, as_of, Collector(loaded.path, loaded.data, problems)
                )
        check_duplicate_ids([(v, c) for _, v, c in vendors], "vendor")
        inputs = [(f.path, f.sha256) for f in (catalog_file, *profile_files, *vendor_files) if f is not None]
        models = [v for _, v, _ in vendors]
        found = [(d, c) for _, d, c in decisions]
        check_decisions(found, catalog, models, as_of, input_sha256(inputs))
        for _, vendor, collector in vendors:
            check_commercial(catalog, vendor, as_of, collector)
            check_acceptances(vendor, catalog, as_of, collector)
            check_poc(vendor, catalog, as_of, collector)
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
        decision_files=tuple(decision_files),
        decisions=tuple((loaded.path, d) for loaded, d, _ in decisions),
    )
