"""Benchmark of the assessors' workbook: `evaltool template` and `evaltool import` on a segment's workbook.

Run as a plain script: ``python benchmarks/bench_workbook.py [--repeats N] [--vendors N] [--criteria N]``.

A synthetic workspace (10 categories, a fifth of the criteria metrics, one segment of ``--vendors``
vendors, each with one assessment) is written to a temporary folder. Measured, as the commands run them:
writing the segment's workbook (one sheet per vendor, one row per criterion), and reading back the same
workbook filled in on every row (score or value, evidence, level, source, expiry) up to the YAML it would
append to each vendor file, each checked as `validate` would. Absolute times and sizes: there is no plain
equivalent to compare with.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import io
import sys
import tempfile
from pathlib import Path
from typing import Any

import openpyxl
import yaml

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from timing import interleaved

from evaltool.cli import main as cli

CATEGORIES = 10
SEGMENT = "Synthetic segment"


def _catalog(criteria: int) -> dict[str, Any]:
    per = criteria // CATEGORIES

    def criterion(c: int, k: int) -> dict[str, Any]:
        ident = f"c{c}-k{k}"
        if k % 5 == 4:
            return {"id": ident, "name": f"Metric {ident}", "type": "metric", "unit": "ms",
                    "direction": "lower", "grading": {"best": 100, "worst": 3000}}  # fmt: skip
        rubric = {level: f"Level {level} of {ident}: a sentence of typical length for a rubric anchor"
                  for level in range(6)}  # fmt: skip
        return {"id": ident, "name": f"Criterion {ident}", "rubric": rubric}

    return {
        "catalog": "Benchmark catalog (synthetic)",
        "version": "1",
        "segments": [SEGMENT],
        "categories": [{"id": f"c{c}", "name": f"Category {c}",
                        "criteria": [criterion(c, k) for k in range(per)]} for c in range(CATEGORIES)],
    }  # fmt: skip


def _workspace(root: Path, vendors: int, criteria: int) -> Path:
    (root / "criteria").mkdir(parents=True)
    (root / "vendors").mkdir()
    catalog = _catalog(criteria)
    (root / "criteria" / "catalog.yaml").write_text(yaml.safe_dump(catalog, sort_keys=False))
    ids = [k["id"] for c in catalog["categories"] for k in c["criteria"]]
    for v in range(vendors):
        scores = {i: (500 if i.endswith(("4", "9")) else 3) for i in ids}
        vendor = {"id": f"vendor-{v:03d}", "name": f"Vendor {v:03d}", "segment": SEGMENT,
                  "assessments": [{"assessor": "first", "date": "2026-10-01", "scores": scores}]}  # fmt: skip
        (root / "vendors" / f"vendor-{v:03d}.yaml").write_text(yaml.safe_dump(vendor, sort_keys=False))
    return root


def _fill(path: Path, target: Path) -> None:
    book = openpyxl.load_workbook(path)
    for ws in book.worksheets[1:]:
        ws["B4"], ws["B5"] = "second", dt.date(2026, 11, 20)
        for row in range(9, ws.max_row + 1):
            metric = ws.cell(row, 7).value == "ms"
            ws.cell(row, 6 if metric else 5).value = 750.5 if metric else 3.5
            ws.cell(row, 8).value = f"Evidence for {ws.cell(row, 1).value}, reviewed in the panel session"
            ws.cell(row, 9).value = "documented"
            ws.cell(row, 10).value = "https://example.com/evidence"
            ws.cell(row, 11).value = dt.date(2027, 6, 30)
    book.save(target)


def _run(*args: str | Path) -> str:
    out = io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(io.StringIO()):
        try:
            cli([str(a) for a in args])
        except SystemExit as exc:
            assert not exc.code, exc.code
    return out.getvalue()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=3, help="rounds (median reported)")
    parser.add_argument("--vendors", type=int, default=20, help="vendors in the segment (sheets)")
    parser.add_argument("--criteria", type=int, default=200, help="criteria in the catalog (rows a sheet)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        root = _workspace(Path(folder) / "ws", args.vendors, args.criteria)
        blank, filled = Path(folder) / "blank.xlsx", Path(folder) / "filled.xlsx"
        _run("template", "-w", root, "--segment", SEGMENT, "--out", blank)
        _fill(blank, filled)
        times = interleaved(
            {
                "template": lambda: _run("template", "-w", root, "--segment", SEGMENT, "--out", blank),
                "import": lambda: _run("import", filled, "-w", root),
            },
            args.repeats,
        )
        cells = args.vendors * args.criteria
        print(f"{args.vendors} vendors x {args.criteria} criteria ({cells:,} rows), {args.repeats} rounds")
        sizes = {"template": blank.stat().st_size, "import": filled.stat().st_size}
        for name, (wall, cpu) in times.items():
            size = sizes[name] / 1e6
            print(f"  {name:8} median {wall:6.2f} s wall, {cpu:6.2f} s CPU   workbook {size:5.2f} MB")


if __name__ == "__main__":
    main()
