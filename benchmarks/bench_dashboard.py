"""Benchmark the dashboard: cold start to a visible leaderboard, and the server-side cost of a what-if.

Run: python benchmarks/bench_dashboard.py [--starts 3] [--repeats 15] [--vendors 200] [--no-browser]

1. Start-up: the time from launching `evaltool dashboard --port N` to the Overview leaderboard being visible
   in headless Chromium (/usr/bin/chromium; the browser itself is launched beforehand), median of --starts.
2. What-if: `evaltool.dashboard.whatif.rerank`, the function the What-if page calls (through a cache) on
   every slider move, uncached: re-score plus the Monte Carlo with the Overview's settings (10,000
   samples) and the recommendations. On the bundled workspace and on a generated one of --vendors vendors
   (copies of the bundled ones with jittered scores, spread over the five segments), for all segments and
   for one; median of --repeat runs, each with a different slider position. Also the cold load and the
   first full evaluation (10,000 samples) the Overview needs. No timing is asserted anywhere
   (docs/index.md#benchmarks).
"""

from __future__ import annotations

import argparse
import contextlib
import os
import random
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml

REPO = Path(__file__).resolve().parent.parent
CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run"]  # fmt: skip


def _median(run: Callable[[int], object], repeat: int) -> float:
    times = []
    for i in range(repeat):
        start = time.perf_counter()
        run(i)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


# --- a generated workspace -----------------------------------------------------------------------------


def _jitter(scores: dict[str, Any], metrics: set[str], rng: random.Random) -> None:
    """Move rubric scores by up to a point and metric values by up to 20 %, in place."""
    for key, cell in scores.items():
        field = ("value" if key in metrics else "score") if isinstance(cell, dict) else None
        value = cell.get(field) if isinstance(cell, dict) and field else cell
        if not isinstance(value, int | float) or isinstance(value, bool):
            continue
        if key in metrics:
            new = round(value * rng.uniform(0.8, 1.2), 2)
        else:
            new = min(5.0, max(0.0, value + rng.choice((-1, -0.5, 0, 0.5, 1))))
        if isinstance(cell, dict) and field:
            cell[field] = new
        else:
            scores[key] = new


def generate(target: Path, n_vendors: int, seed: int = 7) -> Path:
    """The bundled catalog and profiles with n_vendors jittered copies of the bundled vendors."""
    from evaltool.workspace import check_workspace, load_workspace

    rng = random.Random(seed)
    metrics = {k.id for k in load_workspace(REPO).catalog.criteria() if k.is_metric}
    shutil.copytree(REPO / "criteria", target / "criteria")
    (target / "vendors").mkdir(parents=True)
    originals = sorted((REPO / "vendors").glob("*.yaml"))
    for i in range(n_vendors):
        data = yaml.safe_load(originals[i % len(originals)].read_text(encoding="utf-8"))
        data["id"] = f"{data['id']}-{i:03d}"
        data["name"] = f"{data['name']} {i:03d}"
        for assessment in data.get("assessments") or []:
            _jitter(assessment.get("scores") or {}, metrics, rng)
        _jitter(data.get("scores") or {}, metrics, rng)
        (target / "vendors" / f"{data['id']}.yaml").write_text(yaml.safe_dump(data, sort_keys=False))
    workspace, problems = check_workspace(target)
    errors = [str(p) for p in problems if not p.warning]
    if workspace is None:
        raise SystemExit("generated workspace is invalid:\n" + "\n".join(errors[:20]))
    return target


# --- what-if -------------------------------------------------------------------------------------------


def bench_whatif(root: Path, label: str, repeat: int) -> None:
    from evaltool.dashboard import whatif
    from evaltool.evaluation import evaluate
    from evaltool.scoring import effective_weights
    from evaltool.workspace import check_workspace

    start = time.perf_counter()
    workspace, _ = check_workspace(root)
    load = time.perf_counter() - start
    assert workspace is not None
    start = time.perf_counter()
    evaluate(workspace, None)
    first = time.perf_counter() - start
    base = effective_weights(workspace.catalog, None)
    defaults = whatif.baseline(base).categories

    def move(i: int) -> whatif.Adjustment:
        categories = dict(defaults)
        categories["exit"] = defaults["exit"] + 0.5 + 0.1 * i  # a different slider position each run
        return whatif.Adjustment(categories)

    segment = workspace.segments()[-1]
    every = _median(lambda i: whatif.rerank(workspace, None, move(i)), repeat)
    one = _median(lambda i: whatif.rerank(workspace, None, move(i), segments=[segment]), repeat)
    print(
        f"{label:<28} {len(workspace.vendors):>4} vendors  load {load:6.3f} s  overview evaluation "
        f"{first:6.3f} s  what-if re-rank: all segments {every:6.3f} s, one segment {one:6.3f} s"
    )


# --- start-up in a browser -----------------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _start_once(browser: Any, workspace: Path) -> float:
    port = _free_port()
    binary = Path(sys.executable).parent / "evaltool"
    command = [str(binary)] if binary.exists() else [sys.executable, "-m", "evaltool"]
    started = time.perf_counter()
    process = subprocess.Popen(
        [*command, "dashboard", "--workspace", str(workspace), "--port", str(port)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
    )  # fmt: skip
    try:
        page = browser.new_page()
        while True:
            try:
                page.goto(f"http://127.0.0.1:{port}/", timeout=5_000)
                break
            except Exception:
                if process.poll() is not None or time.perf_counter() - started > 120:
                    raise
                time.sleep(0.05)
        page.locator("[data-testid='stDataFrame']").first.wait_for(state="visible", timeout=120_000)
        elapsed = time.perf_counter() - started
        page.close()
        return elapsed
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(process.pid, signal.SIGKILL)


def bench_startup(workspace: Path, label: str, starts: int) -> None:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=ARGS)
        try:
            times = [_start_once(browser, workspace) for _ in range(starts)]
        finally:
            browser.close()
    shown = ", ".join(f"{t:.2f}" for t in times)
    print(f"{label:<28} start to leaderboard visible: median {statistics.median(times):.2f} s  ({shown})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--starts", type=int, default=3)
    parser.add_argument("--repeats", type=int, default=15, help="what-if runs (median reported)")
    parser.add_argument("--vendors", type=int, default=200)
    parser.add_argument("--no-browser", action="store_true", help="skip the start-up measurement")
    options = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="evaltool-bench-dashboard-") as tmp:
        generated = generate(Path(tmp) / "generated", options.vendors)
        print("what-if re-rank, server side (evaltool.dashboard.whatif.rerank, uncached), median:")
        bench_whatif(REPO, "bundled workspace", options.repeats)
        bench_whatif(generated, "generated workspace", options.repeats)
        if options.no_browser:
            return
        if not CHROMIUM.exists():
            print("start-up: skipped, /usr/bin/chromium is not installed")
            return
        print(f"start-up in headless Chromium, median of {options.starts}:")
        bench_startup(REPO, "bundled workspace", options.starts)
        bench_startup(generated, "generated workspace", options.starts)


if __name__ == "__main__":
    main()
