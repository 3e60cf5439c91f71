"""Benchmark of `evaltool diff` and history over 50 commits of the bundled workspace.

Run as a plain script: ``python benchmarks/bench_history.py [--repeats N] [--commits N] [--page]``.

A temporary git repository holds the bundled criteria/ and vendors/ and 49 more commits, each moving one
short-form rubric score of one vendor by a point (vendors in turn). Measured, in interleaved rounds:

- diff: ``evaltool diff FIRST LAST`` as the command does it (both revisions read from git, loaded, scored
  and compared), against the reference: ``git archive`` of the same two revisions, extracted with tar and
  loaded the normal way (no scoring);
- history (scores): every commit read from git, loaded and scored, against ``git archive`` + load of every
  commit;
- history (page values): :func:`evaltool.history.snapshot` of every commit, which the History page caches
  per commit: scoring plus the 10,000-sample Monte Carlo that the suggested rings need (one round);
- with ``--page``: the History page in Streamlit's AppTest over all the commits, cold (nothing cached) and
  warm (a rerun, as when a widget changes): the warm rerun is what keeps the page interactive.
"""

from __future__ import annotations

import argparse
import io
import os
import re
import shutil
import statistics
import subprocess
import sys
import tarfile
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from timing import interleaved

from evaltool import history
from evaltool.diff import compare
from evaltool.scoring import score
from evaltool.workspace import Workspace, load_workspace

ROOT = Path(__file__).resolve().parents[1]
SHORT_SCORE = re.compile(r"^(\s+[a-z]+-[a-z0-9-]+: )([0-5])\s*$", re.M)
ENV = {**os.environ, "GIT_AUTHOR_NAME": "Bench", "GIT_AUTHOR_EMAIL": "bench@example.com",
       "GIT_COMMITTER_NAME": "Bench", "GIT_COMMITTER_EMAIL": "bench@example.com"}  # fmt: skip


def _git(repo: Path, *args: str) -> bytes:
    return subprocess.run(["git", *args], cwd=repo, env=ENV, capture_output=True, check=True).stdout


def build(repo: Path, commits: int) -> None:
    """The bundled workspace, then commits - 1 edits of one score each."""
    shutil.copytree(ROOT / "criteria", repo / "criteria")
    shutil.copytree(ROOT / "vendors", repo / "vendors")
    _git(repo, "init", "-q", "-b", "main")
    _git(repo, "add", "-A")
    _git(repo, "commit", "-q", "-m", "bundled workspace")
    files = sorted((repo / "vendors").glob("*.yaml"))
    for i in range(commits - 1):
        path = files[i % len(files)]
        text = path.read_text(encoding="utf-8")
        hits = list(SHORT_SCORE.finditer(text))
        hit = hits[(i // len(files)) % len(hits)]
        new = str((int(hit.group(2)) + 1) % 6)
        path.write_text(text[: hit.start(2)] + new + text[hit.end(2) :], encoding="utf-8")
        _git(repo, "commit", "-q", "-am", f"{path.stem}: {hit.group(1).strip()} {new}")


def _archive_load(repo: Path, sha: str) -> Workspace:
    data = _git(repo, "archive", "--format=tar", sha, "criteria", "vendors")
    with tempfile.TemporaryDirectory() as folder:
        with tarfile.open(fileobj=io.BytesIO(data)) as tar:
            tar.extractall(folder, filter="data")
        return load_workspace(Path(folder))


def _scored(r: history.Repo, sha: str) -> object:
    ws = history.load_revision(r, sha, None, None).workspace
    return score(ws.catalog, ws.vendors, None, as_of=ws.as_of)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--commits", type=int, default=50)
    parser.add_argument("--page", action="store_true", help="also time the History page in AppTest")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        repo = Path(folder) / "repo"
        repo.mkdir()
        build(repo, args.commits)
        r = history.find_repo(repo)
        shas = [c.sha for c in reversed(history.commits(r, args.commits))]
        assert len(shas) == args.commits, len(shas)
        first, last = shas[0], shas[-1]
        found = compare(_scored(r, first), _scored(r, last))  # type: ignore[arg-type]
        moved = sum(1 for v in found.vendors if v.changes)
        print(f"{args.commits} commits of the bundled workspace; first -> last: {moved} vendors changed")
        times = interleaved(
            {
                "diff": lambda: compare(_scored(r, first), _scored(r, last)),  # type: ignore[arg-type]
                "diff reference": lambda: [_archive_load(repo, s) for s in (first, last)],
                "history": lambda: [_scored(r, s) for s in shas],
                "history reference": lambda: [_archive_load(repo, s) for s in shas],
            },
            args.repeats,
        )
        for name in ("diff", "history"):
            ours, ref = times[name][0], times[f"{name} reference"][0]
            print(f"{name:<8} {ours * 1000:8.1f} ms   git archive + load {ref * 1000:8.1f} ms   "
                  f"ratio {ours / ref:4.2f}")  # fmt: skip
        start = time.perf_counter()
        for s in shas:
            history.snapshot(r, s, None, "wsm", None)
        spent = time.perf_counter() - start
        each = spent / len(shas) * 1000
        print(f"history page values (10,000 samples each): {spent:.1f} s, {each:.0f} ms a commit")
        if args.page:
            _page(repo, args.commits)


def _page(repo: Path, commits: int) -> None:
    from streamlit.testing.v1 import AppTest

    os.environ["EVALTOOL_WORKSPACE"] = str(repo)
    at = AppTest.from_file(str(ROOT / "evaltool" / "dashboard" / "app.py"), default_timeout=600)
    at.run()
    start = time.perf_counter()
    at.switch_page("views/history.py").run()
    first = time.perf_counter() - start
    start = time.perf_counter()
    at.number_input(key="history-commits").set_value(commits).run()
    rest = time.perf_counter() - start
    warm = []
    for _ in range(3):
        start = time.perf_counter()
        at.run()
        warm.append(time.perf_counter() - start)
    assert not at.exception, [e.value for e in at.exception]
    rerun = statistics.median(warm)
    print(f"History page: first visit ({history.DEFAULT_COMMITS} commits, nothing cached) {first:.1f} s; "
          f"{commits} commits (the rest read) {rest:.1f} s; warm rerun {rerun:.2f} s")  # fmt: skip


if __name__ == "__main__":
    main()
