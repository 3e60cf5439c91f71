"""The workspace as it was at a git revision, read with git itself.

A workspace kept in git (at the repository's root or in a subfolder of it) can be read at any commit:
the files of ``criteria/`` and ``vendors/`` at that commit are copied out of git's object store
(``git ls-tree`` and ``git cat-file``) into a temporary folder, loaded like any workspace, and the folder
is removed. Neither the working tree nor the index is touched, and no git command here takes a lock
(docs/cli.md#evaltool-diff). Every git call is an argument list, never a shell line.
"""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import tempfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING

from evaltool.defaults import DEFAULT_CONCENTRATION, DEFAULT_SAMPLES, DEFAULT_SEED
from evaltool.errors import EvalToolError, InputError, UsageError
from evaltool.evaluation import Evaluation, evaluate
from evaltool.reading import read_workspace
from evaltool.scope import in_use, load_segment
from evaltool.workspace import Workspace, from_reading, load_workspace

if TYPE_CHECKING:
    from evaltool.models import Method
    from evaltool.recommend import Ring

INPUT_FOLDERS = ("criteria", "vendors")
DEFAULT_COMMITS = 20  # how many commits the History page shows unless told otherwise


class RevisionError(EvalToolError):
    """No git, a workspace outside any git repository, or a revision git does not know: one line, exit 1."""

    exit_code = 1


@dataclass(frozen=True)
class Repo:
    """The git repository holding a workspace, and the workspace's folder inside it."""

    top: Path
    prefix: str  # "" when the workspace is the repository's root, else "sub/dir/"

    def inputs(self) -> list[str]:
        """The input folders as paths from the repository's root."""
        return [f"{self.prefix}{folder}" for folder in INPUT_FOLDERS]


@dataclass(frozen=True)
class Commit:
    """One commit: its full id, its committer date and the first line of its message."""

    sha: str
    date: dt.datetime
    subject: str

    @property
    def short(self) -> str:
        """The first 7 characters of the commit id, as git shows it."""
        return self.sha[:7]


def _git(cwd: Path, args: Sequence[str], stdin: bytes | None = None) -> subprocess.CompletedProcess[bytes]:
    # GIT_OPTIONAL_LOCKS=0: read-only commands never refresh (and so never lock or write) the index
    env = {**os.environ, "GIT_OPTIONAL_LOCKS": "0", "LC_ALL": "C", "GIT_TERMINAL_PROMPT": "0"}
    try:
        return subprocess.run(
            ["git", "-C", str(cwd), *args], input=stdin, capture_output=True, check=False, env=env
        )
    except FileNotFoundError:
        raise RevisionError("git is not installed: reading a revision needs the git command") from None


def find_repo(root: Path) -> Repo:
    """The repository holding the workspace folder `root`; RevisionError when it is not in one."""
    done = _git(root, ["rev-parse", "--show-toplevel", "--show-prefix"])
    lines = done.stdout.decode("utf-8", "replace").splitlines()
    if done.returncode != 0 or not lines:
        raise RevisionError(f"workspace {root} is not in a git repository")
    return Repo(Path(lines[0]), lines[1] if len(lines) > 1 else "")


def resolve(repo: Repo, revision: str) -> str:
    """The full commit id a revision names (a sha, tag, branch, HEAD~2...); RevisionError when none."""
    done = None
    if revision and not revision.startswith("-"):
        done = _git(repo.top, ["rev-parse", "--verify", "--quiet", f"{revision}^{{commit}}"])
    if done is None or done.returncode != 0:
        raise RevisionError(f"unknown revision '{revision}' in the git repository at {repo.top}")
    return done.stdout.decode().strip()


def _commits(output: bytes) -> list[Commit]:
    found = []
    for record in output.decode("utf-8", "replace").split("\x1e"):
        parts = record.strip("\n").split("\x00")
        if len(parts) == 3:
            found.append(Commit(parts[0], dt.datetime.fromisoformat(parts[1]), parts[2]))
    return found


COMMIT_FORMAT = "--format=%H%x00%cI%x00%s%x1e"


def commit(repo: Repo, sha: str) -> Commit:
    """One commit's id, date and subject."""
    done = _git(repo.top, ["show", "-s", COMMIT_FORMAT, sha, "--"])
    return _commits(done.stdout)[0]


def commits(repo: Repo, limit: int = DEFAULT_COMMITS, until: str = "HEAD") -> list[Commit]:
    """The last `limit` commits up to `until` that touched criteria/ or vendors/, newest first.

    A repository without any commit yet has none.
    """
    if _git(repo.top, ["rev-parse", "--verify", "--quiet", "HEAD"]).returncode != 0:
        return []
    head = resolve(repo, until)
    done = _git(repo.top, ["log", f"-n{int(limit)}", COMMIT_FORMAT, head, "--", *repo.inputs()])
    return _commits(done.stdout)


def _blobs(repo: Repo, sha: str) -> list[tuple[str, str]]:
    """(path inside the workspace, blob id) of every regular file under the input folders at `sha`."""
    done = _git(repo.top, ["ls-tree", "-r", "-z", "--full-tree", sha, "--", *repo.inputs()])
    found = []
    for entry in done.stdout.decode("utf-8", "surrogateescape").split("\x00"):
        meta, _, path = entry.partition("\t")
        fields = meta.split()
        # regular files only: a symbolic link's target, a submodule, is not an input file
        if len(fields) == 3 and fields[1] == "blob" and fields[0] in ("100644", "100755"):
            found.append((path[len(repo.prefix) :], fields[2]))
    return found


def _contents(repo: Repo, ids: list[str]) -> list[bytes]:
    """The bytes of each blob, in order, from one `git cat-file --batch`."""
    done = _git(repo.top, ["cat-file", "--batch"], stdin="".join(f"{i}\n" for i in ids).encode())
    data, at, out = done.stdout, 0, []
    for _ in ids:
        header_end = data.index(b"\n", at)
        size = int(data[at:header_end].split()[2])
        out.append(data[header_end + 1 : header_end + 1 + size])
        at = header_end + 1 + size + 1
    return out


def materialise(repo: Repo, sha: str, dest: Path) -> None:
    """Write the workspace's input files as they were at commit `sha` into the folder `dest`."""
    files = _blobs(repo, sha)
    for (path, _), content in zip(files, _contents(repo, [b for _, b in files]), strict=True):
        relative = PurePosixPath(path)
        if relative.is_absolute() or ".." in relative.parts:
            continue  # git never records such a path; refuse it all the same
        target = dest.joinpath(*relative.parts)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(content)


@contextmanager
def checkout(repo: Repo, sha: str) -> Iterator[Path]:
    """A temporary workspace folder holding the inputs at `sha`, removed afterwards."""
    with tempfile.TemporaryDirectory(prefix=f"evaltool-{sha[:7]}-") as folder:
        materialise(repo, sha, Path(folder))
        yield Path(folder)


# --- a workspace at a revision ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Side:
    """One side of a comparison: a commit, or the working tree (commit None), loaded."""

    revision: str | None  # as the user named it; None for the working tree
    commit: Commit | None
    workspace: Workspace

    @property
    def label(self) -> str:
        """How the side is named in words: "HEAD~1 (1a2b3c4)" or "the working tree"."""
        if self.commit is None:
            return "the working tree"
        return f"{self.revision} ({self.commit.short})" if self.revision else self.commit.short


def load_folder(root: Path, as_of: dt.date, segment: str | None, profile: str | None) -> Workspace:
    """The workspace in `root`; with a segment, only that segment's files need be valid (evaltool.scope).

    A segment without any vendor here gives the workspace without vendors, so that its vendors show as
    added or removed, rather than an error.
    """
    if segment is None:
        return load_workspace(root, as_of)
    try:
        return load_segment(root, as_of, segment, profile)[0]
    except UsageError:
        reading = read_workspace(root, as_of)
        others = [f.path for f in reading.profile_files if not in_use(f, segment, profile)]
        workspace = from_reading(reading, [*(f.path for f in reading.vendor_files), *others])
        if workspace is None:
            raise InputError([p for p in reading.problems if not p.warning]) from None
        return workspace


def load_revision(
    repo: Repo, revision: str, segment: str | None, profile: str | None, as_of: dt.date | None = None
) -> Side:
    """The workspace at `revision`, its evidence judged as of the commit's date unless `as_of` is given.

    Errors in its files are reported as ``REVISION:path:line: ...``.
    """
    sha = resolve(repo, revision)
    found = commit(repo, sha)
    with checkout(repo, sha) as folder:
        try:
            workspace = load_folder(folder, as_of or found.date.date(), segment, profile)
        except InputError as exc:
            raise InputError([replace(p, path=f"{revision}:{p.path}") for p in exc.problems]) from None
    return Side(revision, found, workspace)


# --- history: the scores, ranks and rings at each commit ---------------------------------------------------


@dataclass(frozen=True)
class Point:
    """One vendor at one commit."""

    vendor: str
    name: str
    segment: str
    score: float
    rank: int | None
    ring: Ring


@dataclass(frozen=True)
class Snapshot:
    """The vendors at one commit; `problem` says why none could be scored there (else None)."""

    commit: Commit
    points: tuple[Point, ...]
    problem: str | None = None


def points(evaluation: Evaluation) -> tuple[Point, ...]:
    """Every vendor of an evaluation as a point: score, rank and suggested ring."""
    recs = evaluation.recommendations
    return tuple(
        Point(v.id, v.name, v.segment, v.score, v.rank, recs[v.id].ring) for v in evaluation.result.vendors()
    )


def snapshot(
    repo: Repo, sha: str, profile: str | None, method: Method, segment: str | None, *,
    samples: int = DEFAULT_SAMPLES, seed: int = DEFAULT_SEED, concentration: float = DEFAULT_CONCENTRATION,
) -> Snapshot:  # fmt: skip
    """The vendors at commit `sha`, evaluated with these settings, evidence judged as of its date.

    A commit whose files have errors, or that lacks the profile or the segment, gives no points and says
    why in one line.
    """
    found = commit(repo, sha)
    try:
        ws = load_revision(repo, sha, segment, profile).workspace
        evaluation = evaluate(
            ws, ws.profile(profile), method=method, segments=None if segment is None else [segment],
            samples=samples, seed=seed, concentration=concentration,
            segment_profiles=ws.segment_profiles(profile),
        )  # fmt: skip
    except EvalToolError as exc:
        return Snapshot(found, (), str(exc).splitlines()[0] if str(exc) else type(exc).__name__)
    return Snapshot(found, points(evaluation))


def moved_rings(then: Snapshot, now: Sequence[Point]) -> list[tuple[Point, Ring | None]]:
    """The vendors of `now` whose suggested ring differs from the one at `then` (None: not there then)."""
    before = {p.vendor: p.ring for p in then.points}
    return [(p, before.get(p.vendor)) for p in now if before.get(p.vendor) != p.ring]
