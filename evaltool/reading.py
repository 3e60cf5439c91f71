"""Find the workspace folder and read its files safely, each reported once if it cannot be read."""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from evaltool.errors import Problem, UsageError
from evaltool.yamlio import YamlError, decode, load_text, read_bytes

ENV_VAR = "EVALTOOL_WORKSPACE"
YAML_SUFFIXES = (".yaml", ".yml")
CATALOG_NAMES = ("criteria/catalog.yaml", "criteria/catalog.yml")


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


def _inside(path: Path, root: Path) -> bool:
    try:
        path.resolve().relative_to(root.resolve())
    except (ValueError, OSError, RuntimeError):  # RuntimeError: a symbolic link loop (Python < 3.13)
        return False
    return True


def _outside(path: Path, root: Path) -> str | None:
    """Why a file is refused as lying outside the workspace (through a symbolic link), or None."""
    try:
        path.resolve()
    except (OSError, RuntimeError):
        return "is a symbolic link that loops; refused"
    if _inside(path, root):
        return None
    if path.is_symlink():
        return "is a symbolic link to a file outside the workspace; refused"
    return "lies outside the workspace (a folder on its path is a symbolic link); refused"


def read_yaml(root: Path, relative: str, problems: list[Problem]) -> Loaded:
    """Read and parse one file; a problem is recorded (once) if it cannot be."""
    path = root / relative
    refused = _outside(path, root)
    if refused is not None:
        problems.append(Problem(relative, 0, "", refused))
        return Loaded(relative, None, "", False)
    try:
        raw = read_bytes(path.resolve() if path.is_symlink() else path)
        data = load_text(decode(raw))
    except YamlError as exc:
        problems.append(Problem(relative, exc.line, "", exc.message))
        return Loaded(relative, None, "", False)
    return Loaded(relative, data, hashlib.sha256(raw).hexdigest(), True)


def _yaml_files(folder: Path) -> list[Path]:
    if not folder.is_dir():
        return []
    # A folder named like a YAML file is kept, so that it is reported rather than silently skipped.
    return sorted(p for p in folder.iterdir() if p.suffix in YAML_SUFFIXES and not p.name.startswith("."))
