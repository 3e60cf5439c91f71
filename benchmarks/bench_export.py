"""Benchmark of the scorecard exports: to_xlsx, to_csv and to_json at 50 and 1,000 vendors x 40 criteria.

Run as a plain script: ``python benchmarks/bench_export.py [--repeats N] [--samples N] [--keep DIR]``.

Synthetic workspaces (8 categories x 5 criteria, 8 of them metrics, 5 gates; 5 segments; two assessors
per vendor with long-form evidence, half of it expired or expiring) are written to a temporary folder and
loaded the normal way. The evaluation (scoring, Monte Carlo, flip points) runs once per workspace and is
timed for context; each export then runs ``--repeats`` times and the median is reported with the size
of its output. The workbook's Evidence sheet has one row per vendor x criterion x assessor (80,000 rows
at 1,000 vendors), which dominates its time.
"""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from evaltool.evaluation import evaluate
from evaltool.reports.scorecard import to_csv, to_json, to_xlsx
from evaltool.workspace import load_workspace

CATEGORIES, PER_CATEGORY, SEGMENTS = 8, 5, 5
AS_OF = dt.date(2026, 12, 1)


def _criterion(c: int, k: int) -> dict[str, Any]:
    ident = f"c{c}-k{k}"
    if k == 4:  # one metric per category: half graded, half min-max across the segment
        metric: dict[str, Any] = {"id": ident, "name": f"Metric {c}", "type": "metric", "unit": "ms",
                                  "direction": "lower", "weight": 2}  # fmt: skip
        if c % 2 == 0:
            metric["grading"] = {"best": 100, "worst": 3000}
        return metric
    gate = {"gate": 1} if k == 0 and c < 5 else {}
    rubric = {level: f"Level {level} of {ident}" for level in range(6)}
    return {"id": ident, "name": f"Criterion {c}.{k}", "weight": 1 + k, "rubric": rubric, **gate}


def _catalog() -> dict[str, Any]:
    return {
        "catalog": "Benchmark catalog (synthetic)",
        "version": "1",
        "segments": [f"Segment {s}" for s in range(SEGMENTS)],
        "categories": [
            {"id": f"c{c}", "name": f"Category {c}", "weight": 1 + c % 3,
             "criteria": [_criterion(c, k) for k in range(PER_CATEGORY)]}
            for c in range(CATEGORIES)
        ],
    }  # fmt: skip


def _entry(v: int, c: int, k: int, a: int) -> dict[str, Any]:
    seed = (v * 31 + c * 7 + k * 3 + a) % 11
    key = "value" if k == 4 else "score"
    given: float = 150 + 97 * seed if k == 4 else min(5.0, 0.5 * seed)
    entry: dict[str, Any] = {
        key: given,
        "evidence": f"Assessor {a} reviewed the documentation for c{c}-k{k}; see ticket ARCH-{v}-{c}{k}",
        "level": ("claimed", "documented", "verified", "poc")[seed % 4],
        "source": f"https://example.com/vendor-{v}/evidence/c{c}-k{k}",
    }
    if seed % 2:
        entry["expires"] = dt.date(2026, 6 + seed % 7, 1).isoformat()
    return entry


def _vendor(v: int) -> dict[str, Any]:
    criteria = [(c, k) for c in range(CATEGORIES) for k in range(PER_CATEGORY)]
    return {
        "id": f"vendor-{v:04d}",
        "name": f"Vendor {v:04d} (synthetic)",
        "segment": f"Segment {v % SEGMENTS}",
        "kind": "startup",
        "assessments": [
            {"assessor": f"assessor-{a}", "date": "2026-10-01",
             "scores": {f"c{c}-k{k}": _entry(v, c, k, a) for c, k in criteria}}
            for a in range(2)
        ],
    }  # fmt: skip


def write_workspace(root: Path, vendors: int) -> Path:
    """A synthetic workspace with ``vendors`` vendors x 40 criteria."""
    (root / "criteria" / "profiles").mkdir(parents=True)
    (root / "vendors").mkdir()
    (root / "criteria" / "catalog.yaml").write_text(yaml.safe_dump(_catalog(), sort_keys=False))
    for v in range(vendors):
        text = yaml.safe_dump(_vendor(v), sort_keys=False, width=200)
        (root / "vendors" / f"vendor-{v:04d}.yaml").write_text(text)
    return root


def _median(fn: Callable[[], object], repeats: int) -> tuple[float, float, object]:
    """Median wall time and median CPU time (steadier on a busy machine) of ``repeats`` runs."""
    wall, cpu, out = [], [], None
    for _ in range(repeats):
        start, start_cpu = time.perf_counter(), time.process_time()
        out = fn()
        wall.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
    return statistics.median(wall), statistics.median(cpu), out


def _size(content: object) -> int:
    return len(content.encode("utf-8")) if isinstance(content, str) else len(content)  # type: ignore[arg-type]


def bench(vendors: int, repeats: int, samples: int, folder: Path, keep: Path | None) -> None:
    root = write_workspace(folder / f"ws-{vendors}", vendors)
    start = time.perf_counter()
    ws = load_workspace(root, AS_OF)
    evaluation = evaluate(ws, None, samples=samples)
    setup = time.perf_counter() - start
    print(f"\n{vendors} vendors x 40 criteria ({samples} samples): load + evaluate {setup:.2f} s")
    for name, fn, ext in (
        ("to_xlsx", to_xlsx, "xlsx"),
        ("to_csv", to_csv, "csv"),
        ("to_json", to_json, "json"),
    ):
        wall, cpu, content = _median(lambda fn=fn: fn(evaluation), repeats)  # type: ignore[misc]
        size = _size(content) / 1e6
        print(f"  {name:8} median {wall:6.2f} s wall, {cpu:6.2f} s CPU over {repeats} runs   {size:6.2f} MB")
        if keep is not None:
            keep.mkdir(parents=True, exist_ok=True)
            target = keep / f"scorecard-{vendors}.{ext}"
            target.write_bytes(content if isinstance(content, bytes) else str(content).encode("utf-8"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=5, help="runs per export (median reported)")
    parser.add_argument("--samples", type=int, default=10_000, help="Monte Carlo samples of the evaluation")
    parser.add_argument("--keep", type=Path, help="also write the exports into this folder")
    parser.add_argument("--sizes", type=int, nargs="+", default=[50, 1000], help="vendor counts")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        for vendors in args.sizes:
            repeats = args.repeats if vendors <= 100 else max(1, min(args.repeats, 3))
            bench(vendors, repeats, args.samples, Path(folder), args.keep)


if __name__ == "__main__":
    main()
