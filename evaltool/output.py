"""The one place that writes files: atomically (temporary file, then rename), never into inputs."""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path

from evaltool.errors import OutputError

PROTECTED = ("criteria", "vendors", "decisions")


def _is_within(path: Path, folder: Path) -> bool:
    try:
        path.relative_to(folder)
    except ValueError:
        return False
    return True


def _umask() -> int:
    # Linux shows the umask without changing it; os.umask() sets it process-wide, if only for a moment,
    # and the dashboard's server is multi-threaded.
    with (
        contextlib.suppress(OSError, ValueError, IndexError, StopIteration),
        open("/proc/self/status", encoding="ascii") as status,
    ):
        return int(next(line for line in status if line.startswith("Umask:")).split()[1], 8)
    mask = os.umask(0)
    os.umask(mask)
    return mask


def check_target(path: Path, workspace: Path | None) -> Path:
    """Refuse a target under the workspace's criteria/, vendors/ or decisions/ folders (inputs and the
    forum's records are never modified)."""
    # The folder is resolved, the file name is not: renaming over a symbolic link replaces the link, so a
    # link planted at an output's path (reports/x.html -> ~/.bashrc) cannot redirect the write.
    target = path.resolve() if path.name in ("", ".", "..") else path.parent.resolve() / path.name
    if workspace is not None:
        root = workspace.resolve()
        for name in PROTECTED:
            if _is_within(target, root / name):
                raise OutputError(
                    f"{path}: refused: outputs are never written into the workspace's {name}/ folder"
                )
    if target.is_dir():
        raise OutputError(f"{path}: is a folder; give a file name")
    return target


def write_atomic(path: Path, content: str | bytes, *, workspace: Path | None = None) -> Path:
    """Write to a temporary file beside the target, fsync, then rename over it; no partial file on error."""
    target = check_target(path, workspace)
    data = content.encode("utf-8") if isinstance(content, str) else content
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    except OSError as exc:
        raise OutputError(f"{path}: cannot write: {exc.strerror or exc}") from None
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, 0o666 & ~_umask())  # mkstemp makes 0600; outputs get the usual permissions
        os.replace(tmp, target)
    except OSError as exc:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise OutputError(f"{path}: cannot write: {exc.strerror or exc}") from None
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    return target


def create_new(path: Path, content: str) -> Path:
    """Create a file that must not exist yet (scaffolding); refuse to overwrite."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
    except FileExistsError:
        raise OutputError(f"{path}: already exists; refusing to overwrite it") from None
    except OSError as exc:
        raise OutputError(f"{path}: cannot create: {exc.strerror or exc}") from None
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(content)
    except OSError as exc:  # a full disk: leave no half-written file behind
        with contextlib.suppress(OSError):
            os.unlink(path)
        raise OutputError(f"{path}: cannot create: {exc.strerror or exc}") from None
    return path
