"""Benchmark of evaltool.sensitivity: Monte Carlo as `evaltool sensitivity` runs it, against plain numpy.

Run as a plain script: ``python benchmarks/bench_sensitivity.py [--repeats N] [--samples N]``.

Headline: ``monte_carlo`` called with exactly the arguments ``evaltool.analysis.analyse`` passes (they
are recorded by running ``analyse`` on the bundled sample workspace and printed: full rank
probabilities, score intervals, means, P(first)), on synthetic decision matrices of 200 criteria and
10,000 samples: 30 vendors in one segment (goal: within 1.5x of the reference), 1,000 vendors in one
segment (goal: within 2x) and 1,000 vendors in ten segments.

The reference computes only P(first): Dirichlet draw + matrix product + argmax, written as fast as we
could in plain single-threaded numpy. Several versions run (one draw and one product for all samples;
chunks of samples in a reused buffer), all from the same seed, and the fastest median counts. It uses
float64 like evaltool (float32 products would be faster but could pick another leader on a near tie).

Every measurement runs in a fresh process, so that its peak memory (``ru_maxrss``) is its own (the
"baseline" line shows the interpreter, numpy and the data alone). The machine is small (2 cores) and
shared, so the modes are interleaved round by round -- each round runs every mode in a fresh process and
times its second, warm call -- and the report gives median wall and CPU seconds over the rounds and the
median of the per-round ratios to the reference. Then: where monte_carlo's time goes, the run with
``score_bounds`` (``evaltool sensitivity --perturb-scores``) and the exact flip points, for context.
"""

from __future__ import annotations

import argparse
import json
import resource
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from evaltool.sensitivity import flips, inputs, ranks, stability, wsm  # noqa: E402

CRITERIA, SAMPLES = 200, 10_000
SIZES = ((30, 1, 1.5), (1_000, 1, 2.0), (1_000, 10, None))  # vendors, segments, goal (ratio) or None
REFERENCE_CHUNKS = (504, 2_000)


# --- what `evaltool sensitivity` passes ------------------------------------------------------------------


def analyse_call() -> dict[str, Any]:
    """The keyword arguments analysis.analyse passes to monte_carlo, on the bundled sample workspace."""
    from evaltool import analysis
    from evaltool.scoring import score
    from evaltool.workspace import load_workspace

    workspace = load_workspace(REPO)
    result = score(workspace.catalog, workspace.vendors, as_of=workspace.as_of)
    seen: list[dict[str, Any]] = []
    real = stability.monte_carlo

    def spy(*args: Any, **kwargs: Any) -> stability.MonteCarloResult:
        seen.append(kwargs)
        return real(*args, **kwargs)

    analysis.monte_carlo = spy  # type: ignore[assignment]
    try:
        analysis.analyse(result)
    finally:
        analysis.monte_carlo = real  # type: ignore[assignment]
    kwargs = dict(seen[0])
    bounds = kwargs.pop("score_bounds", None)
    if bounds is not None:
        raise SystemExit("analyse now passes score_bounds by default: the headline must include them")
    return kwargs


# --- data and the plain numpy references ---------------------------------------------------------------


def _data(vendors: int, segments: int) -> dict[str, Any]:
    """A synthetic decision matrix: half-point rubric grades, 5 % unscored, 5 % not eligible."""
    rng = np.random.default_rng(7)
    grades = np.round(rng.uniform(0.0, 5.0, (vendors, CRITERIA)) * 2.0) / 2.0
    grades[rng.random((vendors, CRITERIA)) < 0.05] = np.nan
    return {
        "grades": grades,
        "weights": rng.dirichlet(np.full(CRITERIA, 2.0)),
        "segment": np.arange(vendors) % segments,
        "eligible": rng.random(vendors) > 0.05,
    }


def _reference_inputs(d: dict[str, Any], missing: str) -> tuple[np.ndarray, np.ndarray | None, list]:
    """Eligible vendors' points grouped by segment (contiguous), their scored mask under "exclude", and
    each segment's (start, stop, vendor indices)."""
    groups, rows, start = [], [], 0
    for code in np.unique(d["segment"][d["eligible"]]):
        idx = np.flatnonzero((d["segment"] == code) & d["eligible"])
        groups.append((start, start + idx.size, idx))
        rows.append(idx)
        start += idx.size
    grades = d["grades"][np.concatenate(rows)]
    points = np.fmax(grades, 0.0)  # NaN -> 0; the x20 scale cannot change a leader
    scored = None if missing == "zero" else (grades == grades).astype(np.float64)
    return points, scored, groups


def reference_whole(d: dict[str, Any], kw: dict[str, Any]) -> np.ndarray:
    """One Dirichlet draw for all samples, one product, one argmax per segment."""
    points, scored, groups = _reference_inputs(d, kw["missing"])
    rng = np.random.default_rng(kw["seed"])
    draws = rng.dirichlet(kw["concentration"] * d["weights"], size=kw["samples"])
    scores = draws @ points.T
    if scored is not None:
        np.divide(scores, draws @ scored.T, out=scores, where=scores > 0.0)
    counts = np.zeros(len(d["grades"]))
    for lo, hi, idx in groups:
        counts[idx] += np.bincount(scores[:, lo:hi].argmax(axis=1), minlength=hi - lo)
    return counts / kw["samples"]


def reference_chunked(d: dict[str, Any], kw: dict[str, Any], chunk: int) -> np.ndarray:
    """The same in chunks of samples scored into one reused buffer, which stays in the cache."""
    points, scored, groups = _reference_inputs(d, kw["missing"])
    rng = np.random.default_rng(kw["seed"])
    alpha, samples = kw["concentration"] * d["weights"], kw["samples"]
    buffer = np.empty((min(chunk, samples), len(points)))
    leaders = [np.empty(samples, dtype=np.intp) for _ in groups]
    for lo in range(0, samples, chunk):
        draws = rng.dirichlet(alpha, size=min(chunk, samples - lo))
        block = buffer[: len(draws)]
        np.matmul(draws, points.T, out=block)
        if scored is not None:
            np.divide(block, draws @ scored.T, out=block, where=block > 0.0)
        for (start, stop, _), leader in zip(groups, leaders, strict=True):
            block[:, start:stop].argmax(axis=1, out=leader[lo : lo + len(draws)])
    counts = np.zeros(len(d["grades"]))
    for (start, stop, idx), leader in zip(groups, leaders, strict=True):
        counts[idx] += np.bincount(leader, minlength=stop - start)
    return counts / samples


def references(d: dict[str, Any], kw: dict[str, Any]) -> dict[str, Callable[[], np.ndarray]]:
    refs: dict[str, Callable[[], np.ndarray]] = {"one draw, one product": lambda: reference_whole(d, kw)}
    for chunk in REFERENCE_CHUNKS:
        refs[f"chunks of {chunk}"] = lambda chunk=chunk: reference_chunked(d, kw, chunk)  # type: ignore[misc]
    return refs


# --- children: one measurement each --------------------------------------------------------------------


def _timed(fn: Callable[[], object]) -> tuple[float, float]:
    start, start_cpu = time.perf_counter(), time.process_time()
    fn()
    return time.perf_counter() - start, time.process_time() - start_cpu


def _stages(d: dict[str, Any], kw: dict[str, Any]) -> dict[str, float]:
    """Seconds monte_carlo spends in each stage, timed piecewise with its own helpers as _simulate
    calls them (draw and score a chunk, rank it a cache-sized slice at a time; then percentiles)."""
    model = stability._model(d["grades"], d["weights"], kw["missing"], kw["concentration"])
    members = list(inputs._segment_members(d["segment"], d["eligible"]).values())
    n, samples = len(d["grades"]), kw["samples"]
    chunk, rows = stability._chunk_size(model, None), ranks._rank_rows(n)
    depth = min(max(idx.size for idx in members), stability.RANK_DEPTH)
    rng = np.random.default_rng(kw["seed"])
    store = np.empty((n, ranks._unaliased(samples)))[:, :samples]
    ticks, spent = [time.perf_counter()], dict.fromkeys(("draw", "score", "rank"), 0.0)
    for lo in range(0, samples, chunk):
        block = store[:, lo : lo + chunk].T
        draws = rng.dirichlet(model.alpha, size=block.shape[0])
        ticks.append(time.perf_counter())
        stability._score_block(model, draws, block, None, rng)
        ticks.append(time.perf_counter())
        for start in range(0, block.shape[0], rows):
            part = block[start : start + rows]
            for idx in members:
                if 2 * idx.size > n:
                    ranks._rank_counts(part, depth, among=None if idx.size == n else idx)
                else:
                    ranks._rank_counts(np.take(part.T, idx, axis=0).T, depth)
        ticks.append(time.perf_counter())
        for key, seconds in zip(spent, np.diff(ticks[-4:]), strict=True):
            spent[key] += float(seconds)
        ticks.append(time.perf_counter())
    start = time.perf_counter()
    stability._percentiles(store.T, overwrite=True, means=np.empty(n))
    spent["percentiles + means"] = time.perf_counter() - start
    return spent | {"chunk": float(chunk), "rows": float(rows), "rank_depth": float(depth)}


def _flip_groups(weights: np.ndarray, categories: int = 20) -> np.ndarray:
    """Identity rows (one per criterion) plus one row of within-category shares per category."""
    rows = [np.eye(len(weights))]
    for members in np.array_split(np.arange(len(weights)), categories):
        row = np.zeros(len(weights))
        row[members] = weights[members] / weights[members].sum()
        rows.append(row[None, :])
    return np.vstack(rows)


def _bounds(d: dict[str, Any]) -> tuple[np.ndarray, np.ndarray]:
    """Assessor ranges: a quarter of the cells have a spread of up to one point."""
    rng = np.random.default_rng(11)
    spread = np.where(rng.random(d["grades"].shape) < 0.25, rng.uniform(0.0, 1.0, d["grades"].shape), 0.0)
    lo = np.clip(d["grades"] - spread / 2.0, 0.0, 5.0)
    return lo, np.clip(lo + spread, 0.0, 5.0)


def child(mode: str, vendors: int, segments: int, kw: dict[str, Any]) -> dict[str, Any]:
    """Run one measurement in this process: a warm-up call, then the timed call(s)."""
    d = _data(vendors, segments)
    args = (d["grades"], d["weights"], d["segment"], d["eligible"])
    result: dict[str, Any] = {}
    if mode == "monte_carlo":
        result["rank_depth"] = stability.monte_carlo(*args, **kw).rank_depth
        result["times"] = _timed(lambda: stability.monte_carlo(*args, **kw))
        result["p_top"] = stability.monte_carlo(*args, **kw).p_top.tolist()
    elif mode == "reference":
        refs = references(d, kw)
        for fn in refs.values():
            fn()
        result["variants"] = {name: _timed(fn) for name, fn in refs.items()}
        outputs = [fn().tolist() for fn in refs.values()]
        result["p_top"], result["variants_agree"] = outputs[0], all(o == outputs[0] for o in outputs)
    elif mode == "bounds":
        result["times"] = _timed(lambda: stability.monte_carlo(*args, **kw, score_bounds=_bounds(d)))
    elif mode == "stages":
        result["stages"] = _stages(d, kw)
    elif mode.startswith("flip_points"):
        missing = "exclude" if mode.endswith("exclude") else "zero"
        scores = wsm.wsm_scores(d["grades"], d["weights"], missing=missing)  # type: ignore[arg-type]
        members = inputs._segment_members(d["segment"], d["eligible"])
        leaders = {code: int(idx[np.argmax(scores[idx])]) for code, idx in members.items()}
        groups = _flip_groups(d["weights"])

        def flip() -> object:
            return flips.flip_points(*args[:2], groups, *args[2:], leaders, missing=missing)  # type: ignore[arg-type]

        flip()
        result["times"], result["groups"] = _timed(flip), len(groups)
    result["maxrss_mib"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return result


def _run(mode: str, vendors: int, segments: int, kw: dict[str, Any]) -> dict[str, Any]:
    cmd = [sys.executable, __file__, "--child", mode, "--vendors", str(vendors), "--segments", str(segments)]
    cmd += ["--call", json.dumps(kw)]
    return json.loads(subprocess.run(cmd, check=True, capture_output=True, text=True).stdout)


# --- reports -------------------------------------------------------------------------------------------


def _median(values: list[float]) -> float:
    return statistics.median(values)


def report_headline(vendors: int, segments: int, goal: float | None, kw: dict[str, Any], rounds: int) -> None:
    print(
        f"\n== {kw['samples']:,} samples x {vendors:,} vendors x {CRITERIA} criteria, {segments} segment(s)"
    )
    ours_wall, ours_cpu, peaks = [], [], {"monte_carlo": 0.0, "reference": 0.0}
    variants: dict[str, list[tuple[float, float]]] = {}
    last: dict[str, dict[str, Any]] = {}
    for _ in range(rounds):
        for mode in ("reference", "monte_carlo"):
            last[mode] = _run(mode, vendors, segments, kw)
            peaks[mode] = max(peaks[mode], last[mode]["maxrss_mib"])
        ours_wall.append(last["monte_carlo"]["times"][0])
        ours_cpu.append(last["monte_carlo"]["times"][1])
        for name, timing in last["reference"]["variants"].items():
            variants.setdefault(name, []).append(tuple(timing))
    fastest = min(variants, key=lambda name: _median([w for w, _ in variants[name]]))
    ref_wall = [w for w, _ in variants[fastest]]
    ref_cpu = [c for _, c in variants[fastest]]
    baseline = _run("baseline", vendors, segments, kw)["maxrss_mib"]
    print("  reference versions (median wall s): " + ", ".join(
        f"{name} {_median([w for w, _ in t]):.3f}" for name, t in variants.items()))  # fmt: skip
    ratio = _median([o / r for o, r in zip(ours_wall, ref_wall, strict=True)])
    ratio_cpu = _median([o / r for o, r in zip(ours_cpu, ref_cpu, strict=True)])
    print(
        f"  reference ({fastest:22}) median {_median(ref_wall):6.3f} s wall {_median(ref_cpu):6.3f} s CPU  "
        f"peak {peaks['reference']:6.1f} MiB"
    )
    print(
        f"  monte_carlo (as analyse calls it)     median {_median(ours_wall):6.3f} s wall "
        f"{_median(ours_cpu):6.3f} s CPU  peak {peaks['monte_carlo']:6.1f} MiB  "
        f"rank_depth {last['monte_carlo']['rank_depth']}"
    )
    verdict = "" if goal is None else f"  (goal <= {goal}x: {'met' if ratio <= goal else 'MISSED'})"
    print(f"  ratio to the reference: {ratio:.2f}x wall, {ratio_cpu:.2f}x CPU{verdict}")
    print(f"  rounds (wall s): ours [{', '.join(f'{t:.3f}' for t in ours_wall)}], "
          f"reference [{', '.join(f'{t:.3f}' for t in ref_wall)}]")  # fmt: skip
    agree = last["monte_carlo"]["p_top"] == last["reference"]["p_top"] and last["reference"]["variants_agree"]
    print(
        f"  P(first) of monte_carlo == every reference (same seed): {agree}; baseline peak {baseline:.1f} MiB"
    )
    if vendors >= 1_000 and segments == 1:
        stages = _run("stages", vendors, segments, kw)["stages"]
        chunk, rows, depth = (int(stages.pop(key)) for key in ("chunk", "rows", "rank_depth"))
        print(f"  where the time goes (chunks of {chunk}, ranked {rows} at a time, first {depth} ranks): "
              + ", ".join(f"{k} {v:.3f} s" for k, v in stages.items()))  # fmt: skip


def report_rest(kw: dict[str, Any]) -> None:
    fig = _run("bounds", 1_000, 1, kw)
    wall, cpu = fig["times"]
    print(
        f"\n== with score_bounds (--perturb-scores; a quarter of the cells jittered), 1,000 vendors, "
        f"1 segment: {wall:.3f} s wall, {cpu:.3f} s CPU, peak {fig['maxrss_mib']:.1f} MiB"
    )
    for segments in (1, 10):
        for missing in ("zero", "exclude"):
            fig = _run(f"flip_points_{missing}", 1_000, segments, kw)
            print(
                f"== flip_points, 1,000 vendors x {CRITERIA} criteria, {fig['groups']} groups, {segments} "
                f"segment(s), missing={missing}: {fig['times'][0]:.3f} s wall, "
                f"peak {fig['maxrss_mib']:.1f} MiB"
            )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=5, help="interleaved rounds (medians reported)")
    parser.add_argument("--samples", type=int, default=None, help="override analyse's sample count")
    parser.add_argument("--vendors", type=int, default=1_000, help=argparse.SUPPRESS)
    parser.add_argument("--segments", type=int, default=1, help=argparse.SUPPRESS)
    parser.add_argument("--call", default=None, help=argparse.SUPPRESS)
    parser.add_argument("--child", default=None, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(child(args.child, args.vendors, args.segments, json.loads(args.call))))
        return
    kw = analyse_call()
    if args.samples is not None:
        kw["samples"] = args.samples
    print(f"numpy {np.__version__}, python {sys.version.split()[0]}, {args.repeats} rounds")
    print(f"monte_carlo keyword arguments from analysis.analyse: {kw}")
    for vendors, segments, goal in SIZES:
        report_headline(vendors, segments, goal, kw, args.repeats)
    report_rest(kw)


if __name__ == "__main__":
    main()
