"""Benchmark of the PoC recommendation report: render_html and render_markdown at 50 vendors x 40 criteria.

Run as a plain script: ``python benchmarks/bench_report.py [--repeats N] [--keep DIR]``.

A synthetic workspace (8 categories x 5 criteria, 3 of them metrics, 4 gates; 5 segments x 10 vendors, two
assessors each with long-form evidence) is written to a temporary folder and loaded the normal way. The
evaluation (scoring, 10,000-sample Monte Carlo, flip points) runs once; then each renderer runs
``--repeats`` times and the median is reported. Sizes are printed for the whole report (5 segments, 31
charts) and for one segment (7 charts): the HTML should stay near one embedded plotly.js, whatever the
number of charts, because plotly.js is inlined once and the charts are JSON data sharing one template.
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

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from evaltool.evaluation import evaluate
from evaltool.reports import render_html, render_markdown
from evaltool.workspace import load_workspace

CATEGORIES, PER_CATEGORY, SEGMENTS, PER_SEGMENT = 8, 5, 5, 10
AS_OF = dt.date(2026, 12, 1)


def _criterion(c: int, k: int) -> dict[str, object]:
    ident = f"c{c}-k{k}"
    if k == 4 and c < 3:  # three metrics: two graded, one graded min-max across the vendors compared
        metric: dict[str, object] = {"id": ident, "name": f"Metric {c}", "type": "metric", "unit": "ms",
                                     "direction": "lower", "weight": 2}  # fmt: skip
        if c < 2:
            metric["grading"] = {"best": 100, "worst": 3000}
        return metric
    rubric = {level: f"Level {level} of criterion {ident}: what the evidence must show" for level in range(6)}
    gate = {"gate": 2} if k == 0 and c < 4 else {}
    return {"id": ident, "name": f"Criterion {c}.{k}", "weight": 1 + k, "rubric": rubric, **gate}


def _catalog() -> dict[str, object]:
    return {
        "catalog": "Benchmark catalog",
        "version": "1",
        "segments": [f"Segment {s}" for s in range(SEGMENTS)],
        "categories": [
            {
                "id": f"c{c}",
                "name": f"Category {c}",
                "weight": 10 + c,
                "criteria": [_criterion(c, k) for k in range(PER_CATEGORY)],
            }
            for c in range(CATEGORIES)
        ],
    }


def _scores(v: int, assessor: int) -> dict[str, object]:
    scores: dict[str, object] = {}
    for c in range(CATEGORIES):
        for k in range(PER_CATEGORY):
            ident = f"c{c}-k{k}"
            if k == 4 and c < 3:
                scores[ident] = {"value": 200 + (v * 37 + c * 11) % 2500, "evidence": "Load test report",
                                 "level": "verified", "source": "https://example.com/bench.pdf"}  # fmt: skip
            else:
                scores[ident] = {
                    "score": 2 + (v + c + k + assessor) % 4 * 0.5 + (k % 2),
                    "evidence": f"Assessor {assessor} reviewed the documentation and a demo for {ident}.",
                    "level": ("claimed", "documented", "verified", "poc")[(v + k) % 4],
                    "source": f"https://example.com/vendor-{v}/{ident}",
                    "expires": "2027-06-30" if (v + c) % 7 else "2026-06-30",
                }
    return scores


def _vendor(v: int) -> dict[str, object]:
    return {
        "id": f"vendor-{v:02d}",
        "name": f"Vendor {v:02d}",
        "segment": f"Segment {v % SEGMENTS}",
        "kind": ("startup", "scaleup", "enterprise", "open-source")[v % 4],
        "summary": f"Synthetic vendor {v} for the report benchmark.",
        "facts": {"founded": 2000 + v % 20, "hq": "Somewhere"},
        "assessments": [
            {"assessor": f"assessor-{a}", "date": "2026-10-01", "scores": _scores(v, a)} for a in range(2)
        ],
    }


def build_workspace(root: Path) -> Path:
    """Write the synthetic workspace; return its root."""
    (root / "criteria").mkdir(parents=True)
    (root / "vendors").mkdir()
    (root / "criteria" / "catalog.yaml").write_text(yaml.safe_dump(_catalog(), sort_keys=False))
    for v in range(SEGMENTS * PER_SEGMENT):
        vendor = _vendor(v)
        (root / "vendors" / f"{vendor['id']}.yaml").write_text(yaml.safe_dump(vendor, sort_keys=False))
    return root


def _median(fn: Callable[[], str], repeats: int) -> tuple[float, str]:
    times, out = [], ""
    for _ in range(repeats):
        start = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times), out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--keep", type=Path, help="also write the reports into this folder")
    args = parser.parse_args()
    from plotly.offline import get_plotlyjs

    with tempfile.TemporaryDirectory(prefix="evaltool-bench-") as tmp:
        root = build_workspace(Path(tmp) / "ws")
        start = time.perf_counter()
        ws = load_workspace(root, AS_OF)
        evaluation = evaluate(ws, None)
        setup = time.perf_counter() - start
    vendors, criteria = len(evaluation.result.vendors()), len(evaluation.result.criteria)
    first = evaluation.result.segments[0].name
    print(f"workspace: {vendors} vendors x {criteria} criteria in {len(evaluation.result.segments)} segments")
    print(f"load + evaluate (10,000 samples): {setup:.2f} s")
    html_time, html = _median(lambda: render_html(evaluation), args.repeats)
    md_time, md = _median(lambda: render_markdown(evaluation), args.repeats)
    one_time, one = _median(lambda: render_html(evaluation, first), args.repeats)
    plotly_size = len(get_plotlyjs().encode("utf-8"))
    html_size, one_size = len(html.encode("utf-8")), len(one.encode("utf-8"))
    print(f"render_html   (5 segments): median {html_time * 1000:7.0f} ms of {args.repeats}")
    print(f"render_html   (1 segment):  median {one_time * 1000:7.0f} ms of {args.repeats}")
    print(f"render_markdown (5 segments): median {md_time * 1000:5.0f} ms of {args.repeats}")
    print(f"plotly.js embedded once:      {plotly_size / 1e6:6.2f} MB")
    for label, size in (("5 segments (31 charts)", html_size), ("1 segment  (7 charts) ", one_size)):
        print(f"HTML, {label}: {size / 1e6:6.2f} MB  (+{(size - plotly_size) / 1e6:.2f} MB beyond plotly.js)")
    print(f"Markdown, 5 segments:         {len(md.encode('utf-8')) / 1e6:6.2f} MB")
    if args.keep:
        args.keep.mkdir(parents=True, exist_ok=True)
        (args.keep / "bench-report.html").write_text(html, encoding="utf-8")
        (args.keep / "bench-report.md").write_text(md, encoding="utf-8")


if __name__ == "__main__":
    main()
