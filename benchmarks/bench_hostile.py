"""Time and peak memory of `evaltool validate` on every hostile input of tests/test_hostile.py.

    python benchmarks/bench_hostile.py [--only SUBSTRING] [--repeats N]

Each case is built in a temporary folder exactly as the test builds it, then validated twice:

- in a fresh process (`evaltool validate`), run as the only child of a small probe interpreter so that
  resource.getrusage(RUSAGE_CHILDREN).ru_maxrss is that process's peak RSS alone; the wall time includes
  the interpreter's start and imports, which the "valid workspace" row shows on its own;
- in this process, timing check_workspace() alone (best of --repeats, default 3), which is the cost of the
  input itself.

Also measured: vendors/ with 10,000 small files. Prints one row per case, then the worst by time and by
memory. CPU time is printed beside wall time because the shared machine is often busy.
"""

from __future__ import annotations

import argparse
import datetime as dt
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "tests"))

import test_hostile  # noqa: E402

from evaltool.workspace import check_workspace  # noqa: E402

EVALTOOL = Path(sys.executable).parent / "evaltool"
PROBE = """\
import resource, subprocess, sys, time
start = time.perf_counter()
done = subprocess.run(sys.argv[1:], capture_output=True, text=True)
wall = time.perf_counter() - start
usage = resource.getrusage(resource.RUSAGE_CHILDREN)
first = next((l for l in done.stdout.splitlines() if ": warning: " not in l), "")
print(done.returncode, wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss)
errors = done.stderr.strip().splitlines()
print(first or (errors[-1] if errors else ""))
"""


def in_a_process(root: Path) -> tuple[int, float, float, float, str]:
    """Exit code, wall seconds, CPU seconds, peak RSS (MiB) and first problem of a real validate run."""
    command = [str(EVALTOOL)] if EVALTOOL.exists() else [sys.executable, "-m", "evaltool"]
    done = subprocess.run(
        [sys.executable, "-c", PROBE, *command, "validate", "--workspace", str(root)],
        capture_output=True,
        text=True,
        timeout=600,
        check=True,
    )
    head, _, first = done.stdout.partition("\n")
    code, wall, cpu, kib = head.split()
    return int(code), float(wall), float(cpu), int(kib) / 1024, first.strip()


def in_this_process(root: Path, repeats: int) -> float:
    """Best of `repeats`: seconds for check_workspace alone."""
    best = float("inf")
    for _ in range(repeats):
        start = time.perf_counter()
        check_workspace(root, dt.date(2026, 11, 30))
        best = min(best, time.perf_counter() - start)
    return best


def many_small_vendors(count: int) -> Callable[[Path], None]:
    def build(root: Path) -> None:
        for i in range(count):
            vendor_id = f"bulk-{i:05d}"
            text = test_hostile.VENDOR.replace("id: hostile", f"id: {vendor_id}")
            (root / "vendors" / f"{vendor_id}.yaml").write_text(text, encoding="utf-8")

    return build


def cases() -> list[tuple[str, Callable[[Path], None] | None]]:
    rows: list[tuple[str, Callable[[Path], None] | None]] = [("valid workspace (baseline)", None)]
    rows += [(case.id, case.build) for case in test_hostile.CASES]
    rows.append(("vendors-folder-10000-small-files", many_small_vendors(10_000)))
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", default="", help="run only the cases whose id contains this")
    parser.add_argument("--repeats", type=int, default=3, help="in-process runs per case (best reported)")
    args = parser.parse_args()
    rows = [(name, build) for name, build in cases() if args.only in name]
    print(f"evaltool validate on {len(rows)} inputs (Python {sys.version.split()[0]})\n")
    header = f"{'case':44} {'exit':>4} {'process s':>9} {'cpu s':>6} {'peak MiB':>8} {'check s':>8}  output"
    print(header)
    print("-" * len(header))
    results = []
    for name, build in rows:
        with tempfile.TemporaryDirectory(prefix="evaltool-hostile-") as folder:
            root = test_hostile.make_workspace(Path(folder), build)
            code, wall, cpu, peak, first = in_a_process(root)
            check = in_this_process(root, args.repeats)
            shutil.rmtree(folder, ignore_errors=True)
        results.append((name, code, wall, cpu, peak, check))
        shown = first if len(first) <= 70 else first[:67] + "..."
        print(f"{name:44} {code:>4} {wall:>9.2f} {cpu:>6.2f} {peak:>8.1f} {check:>8.3f}  {shown}")
    summarise(results)


def summarise(results: list[tuple[str, int, float, float, float, float]]) -> None:
    """Exit codes, the worst single hostile file, the worst input overall, and the baseline."""
    hostile = [r for r in results if not r[0].startswith("valid workspace")]
    codes = sorted({r[1] for r in hostile})
    print(
        f"\n{len(hostile)} inputs; exit codes: "
        + ", ".join(f"{c}: {sum(r[1] == c for r in hostile)}" for c in codes)
    )
    files = [r for r in hostile if not r[0].startswith("vendors-folder-10000")]  # one hostile file each
    for label, group in (("one hostile file", files), ("all inputs", hostile)):
        if group:
            slow, big = max(group, key=lambda r: r[5]), max(group, key=lambda r: r[4])
            print(
                f"worst of {label}: slowest {slow[0]} ({slow[5]:.3f} s in-process, {slow[2]:.2f} s process)"
            )
            print(f"worst of {label}: most memory {big[0]} ({big[4]:.1f} MiB peak RSS)")
    base = next((r for r in results if r[0].startswith("valid workspace")), None)
    if base is not None:
        print(f"baseline (valid workspace): {base[2]:.2f} s as a process, {base[4]:.1f} MiB peak RSS")


if __name__ == "__main__":
    main()
