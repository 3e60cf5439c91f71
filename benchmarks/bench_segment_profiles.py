"""Benchmark of one profile per segment: what a run without --profile costs when profiles name segments.

Run as a plain script: ``python benchmarks/bench_segment_profiles.py [--repeats N] [--copies N]``.

Headline: ``evaluate`` (score, Monte Carlo and flip points, recommendations) as ``evaltool recommend``
runs it without --profile on the bundled sample, whose profiles name four of its five segments, with every
vendor copied N times (default 40: 600 vendors, 120 per segment). Each segment is then analysed around its
own weights, one Monte Carlo per distinct setup. The reference is the same workspace under one profile for
every segment (``--profile data-platform``), where one vectorised Monte Carlo covers all segments: what
the work would cost if segments did not have their own weights. Both use 10,000 samples and the seed 42.

The machine is small (2 cores) and shared, so the two runs are interleaved round by round and the
report gives median wall and CPU seconds and their ratio (docs/index.md#benchmarks).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from timing import interleaved  # noqa: E402

from evaltool.evaluation import evaluate  # noqa: E402
from evaltool.workspace import Workspace, load_workspace  # noqa: E402


def copied(workspace: Workspace, copies: int) -> Workspace:
    """The workspace with every vendor repeated `copies` times under new ids (same scores and segment)."""
    from dataclasses import replace

    vendors = tuple(
        v.model_copy(update={"id": f"{v.id}-{i}", "name": f"{v.name} {i}"})
        for v in workspace.vendors
        for i in range(copies)
    )
    return replace(workspace, vendors=vendors, vendor_paths={v.id: f"vendors/{v.id}.yaml" for v in vendors})


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--copies", type=int, default=40)
    args = parser.parse_args()
    workspace = copied(load_workspace(REPO), args.copies)
    own = workspace.segment_profiles()
    one = workspace.profile("data-platform")
    per_segment = evaluate(workspace, segment_profiles=own)
    assert not per_segment.result.uniform
    used = sorted({p for _, p in per_segment.provenance.profiles}, key=str)
    print(f"{len(workspace.vendors)} vendors, {len(workspace.segments())} segments, profiles used: {used}")
    times = interleaved(
        {
            "each segment's own profile": lambda: evaluate(workspace, segment_profiles=own),
            "one profile for every segment": lambda: evaluate(workspace, one),
        },
        args.repeats,
    )
    reference = times["one profile for every segment"]
    for name, (wall, cpu) in times.items():
        print(f"{name:32s} wall {wall:6.2f} s  cpu {cpu:6.2f} s  ratio {wall / reference[0]:.2f}x")


if __name__ == "__main__":
    main()
