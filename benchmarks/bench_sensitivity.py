"""Benchmark of evaltool.sensitivity: Monte Carlo against a plain numpy reference, and flip points.

Run as a plain script: ``python benchmarks/bench_sensitivity.py [--repeats N] [--quick]``.

Every measurement runs in its own subprocess, so that its peak memory (``ru_maxrss``) is its own; the
figure includes the interpreter, numpy and the input data (the "baseline" line shows how much that is).
The machine this runs on is small (2 cores) and noisy, so the Monte Carlo modes are interleaved round by
round -- each round runs every mode in a fresh process and times its second (warm) call -- and the
report gives the median over rounds and the median of the per-round ratios to the reference.

What is compared, at 10,000 weight samples x 1,000 vendors x 200 criteria, with one segment and with ten:

- ``reference``: the plain numpy computation of P(rank 1) only -- ``W = rng.dirichlet(K*w, size=S);
  scores = G @ W.T; leader = argmax(scores, axis=0); counts = bincount(leader)`` (per segment).
- ``monte_carlo``: the full result -- rank probabilities for every rank, 5th/95th percentile score
  intervals, mean scores.
- ``p_top path``: monte_carlo's own chunked draw-and-score loop followed by an argmax, i.e. what the
  reference computes, with monte_carlo's machinery (uses the module's private helpers).
- ``stages``: the time monte_carlo spends drawing and scoring, ranking, and taking percentiles.
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

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from evaltool import sensitivity as sens

VENDORS, CRITERIA, SAMPLES, K, SEED = 1_000, 200, 10_000, 100.0, 42


def _data(segments: int, vendors: int = VENDORS, criteria: int = CRITERIA) -> dict[str, Any]:
    """A synthetic decision matrix: half-point rubric grades, 5 % unscored, 5 % not eligible."""
    rng = np.random.default_rng(7)
    grades = np.round(rng.uniform(0.0, 5.0, (vendors, criteria)) * 2.0) / 2.0
    grades[rng.random((vendors, criteria)) < 0.05] = np.nan
    weights = rng.dirichlet(np.full(criteria, 2.0))
    return {
        "grades": grades,
        "weights": weights,
        "segment": np.arange(vendors) % segments,
        "eligible": rng.random(vendors) > 0.05,
    }


def _timed(fn: Callable[[], object], repeats: int) -> list[float]:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return times


def _reference(d: dict[str, Any], samples: int) -> np.ndarray:
    """The plain numpy P(rank 1) computation every mode is compared with (missing grades count 0)."""
    rng = np.random.default_rng(SEED)
    weights = rng.dirichlet(K * d["weights"], size=samples)
    scores = np.nan_to_num(d["grades"]) @ weights.T
    counts = np.zeros(len(d["grades"]), dtype=np.int64)
    for code in np.unique(d["segment"]):
        idx = np.flatnonzero((d["segment"] == code) & d["eligible"])
        leader = idx[np.argmax(scores[idx], axis=0)]
        counts += np.bincount(leader, minlength=len(counts))
    return counts / samples


def _p_top_path(d: dict[str, Any], samples: int) -> np.ndarray:
    """monte_carlo's chunked draw-and-score loop, then an argmax per segment instead of full ranks."""
    model = sens._model(d["grades"], d["weights"], "zero", K)
    members = list(sens._segment_members(d["segment"], d["eligible"]).values())
    chunk = sens._chunk_size(model, max(idx.size for idx in members), None)
    rng = np.random.default_rng(SEED)
    counts = np.zeros(len(d["grades"]), dtype=np.int64)
    block = np.empty((chunk, len(d["grades"])))
    for lo in range(0, samples, chunk):
        out = block[: min(chunk, samples - lo)]
        sens._score_block(model, rng.dirichlet(model.alpha, size=out.shape[0]), out, None, rng)
        for idx in members:
            counts += np.bincount(idx[np.argmax(out[:, idx], axis=1)], minlength=len(counts))
    return counts / samples


def _stages(d: dict[str, Any], samples: int, repeats: int) -> dict[str, float]:
    """Median seconds of monte_carlo's three stages, run separately on the same data."""
    model = sens._model(d["grades"], d["weights"], "zero", K)
    members = list(sens._segment_members(d["segment"], d["eligible"]).values())
    chunk = sens._chunk_size(model, max(idx.size for idx in members), None)
    scores = np.empty((samples, len(d["grades"])))

    def draw_and_score() -> None:
        rng = np.random.default_rng(SEED)
        for lo in range(0, samples, chunk):
            block = scores[lo : lo + chunk]
            sens._score_block(model, rng.dirichlet(model.alpha, size=block.shape[0]), block, None, rng)

    def rank() -> None:
        for lo in range(0, samples, chunk):
            for idx in members:
                sens._rank_counts(scores[lo : lo + chunk, idx])

    return {
        "draw + score": statistics.median(_timed(draw_and_score, repeats)),
        "ranks": statistics.median(_timed(rank, repeats)),
        "percentiles + mean": statistics.median(
            _timed(lambda: (sens._percentiles(scores), scores.mean(axis=0)), repeats)
        ),
        "chunk": float(chunk),
    }


def _flip_groups(d: dict[str, Any], categories: int = 20) -> np.ndarray:
    """Identity rows (one per criterion) plus one row of within-category shares per category."""
    weights = d["weights"]
    rows = [np.eye(len(weights))]
    for members in np.array_split(np.arange(len(weights)), categories):
        row = np.zeros(len(weights))
        row[members] = weights[members] / weights[members].sum()
        rows.append(row[None, :])
    return np.vstack(rows)


def _leaders(d: dict[str, Any], missing: sens.Missing) -> dict[int, int]:
    scores = sens.wsm_scores(d["grades"], d["weights"], missing=missing)
    members = sens._segment_members(d["segment"], d["eligible"])
    return {code: int(idx[np.argmax(scores[idx])]) for code, idx in members.items()}


def child(mode: str, segments: int, repeats: int, samples: int) -> dict[str, Any]:
    """Run one measurement in this process and return its figures."""
    d = _data(segments)
    jobs: dict[str, Callable[[], object]] = {
        "baseline": lambda: None,
        "reference": lambda: _reference(d, samples),
        "monte_carlo": lambda: sens.monte_carlo(**d, samples=samples, seed=SEED, concentration=K),
        "monte_carlo_exclude": lambda: sens.monte_carlo(
            **d, samples=samples, seed=SEED, concentration=K, missing="exclude"
        ),
        "monte_carlo_bounds": lambda: sens.monte_carlo(
            **d, samples=samples, seed=SEED, concentration=K, score_bounds=_bounds(d)
        ),
        "p_top_path": lambda: _p_top_path(d, samples),
    }
    result: dict[str, Any] = {}
    if mode == "stages":
        result["stages"] = _stages(d, samples, repeats)
    elif mode.startswith("flip_points"):
        missing: sens.Missing = "exclude" if mode.endswith("exclude") else "zero"
        groups, leaders = _flip_groups(d), _leaders(d, missing)
        run = lambda: sens.flip_points(  # noqa: E731
            d["grades"], d["weights"], groups, d["segment"], d["eligible"], leaders, missing=missing
        )
        result["times"] = _timed(run, repeats)
        result["groups"] = len(groups)
    else:
        result["times"] = _timed(jobs[mode], 1 if mode == "baseline" else repeats)
    if mode in ("reference", "p_top_path", "monte_carlo"):
        result["p_top"] = _p_tops(jobs[mode]())
    result["maxrss_mib"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return result


def _p_tops(value: object) -> list[float]:
    p_top = value.p_top if isinstance(value, sens.MonteCarloResult) else value
    return [float(x) for x in np.asarray(p_top)]


def _bounds(d: dict[str, Any]) -> tuple[np.ndarray, np.ndarray]:
    """Assessor ranges: a quarter of the cells have a spread of up to one point."""
    rng = np.random.default_rng(11)
    spread = np.where(rng.random(d["grades"].shape) < 0.25, rng.uniform(0.0, 1.0, d["grades"].shape), 0.0)
    lo = np.clip(d["grades"] - spread / 2.0, 0.0, 5.0)
    return lo, np.clip(lo + spread, 0.0, 5.0)


def _run(mode: str, segments: int, repeats: int, samples: int) -> dict[str, Any]:
    cmd = [sys.executable, __file__, "--child", mode, "--segments", str(segments)]
    cmd += ["--repeats", str(repeats), "--samples", str(samples)]
    out = subprocess.run(cmd, check=True, capture_output=True, text=True).stdout
    return json.loads(out)


MC_MODES = ("reference", "p_top_path", "monte_carlo", "monte_carlo_exclude")


def _report_monte_carlo(segments: int, repeats: int, samples: int) -> None:
    """Interleave the modes round by round (a fresh process each, timing its second, warm call), so that
    a burst of load on the machine hits all of them alike; report medians and per-round ratios."""
    print(
        f"\n== Monte Carlo: {samples:,} samples x {VENDORS:,} vendors x {CRITERIA} criteria, "
        f"{segments} segment(s); median of {repeats} rounds"
    )
    times: dict[str, list[float]] = {mode: [] for mode in MC_MODES}
    peaks: dict[str, float] = dict.fromkeys(MC_MODES, 0.0)
    figures: dict[str, dict[str, Any]] = {}
    for _ in range(repeats):
        for mode in MC_MODES:
            figures[mode] = _run(mode, segments, 2, samples)
            times[mode].append(figures[mode]["times"][-1])
            peaks[mode] = max(peaks[mode], figures[mode]["maxrss_mib"])
    baseline = _run("baseline", segments, 1, samples)["maxrss_mib"]
    print(f"  {'baseline (interpreter + numpy + data)':38s} {'':32s}peak {baseline:7.1f} MiB")
    for mode in MC_MODES:
        med = statistics.median(times[mode])
        ratio = statistics.median(t / r for t, r in zip(times[mode], times["reference"], strict=True))
        spread = ", ".join(f"{t:.3f}" for t in times[mode])
        print(
            f"  {mode:38s} median {med:6.3f} s  ratio x{ratio:4.2f}  peak {peaks[mode]:7.1f} MiB  [{spread}]"
        )
    agree = np.array_equal(figures["reference"]["p_top"], figures["monte_carlo"]["p_top"])
    print(f"  p_top of monte_carlo == reference (same seed, no ties at the top): {agree}")
    stages = _run("stages", segments, repeats, samples)["stages"]
    chunk = int(stages.pop("chunk"))
    print(
        f"  monte_carlo stages (chunk = {chunk} samples): "
        + ", ".join(f"{k} {v:.3f} s" for k, v in stages.items())
    )


def _report_rest(repeats: int, samples: int) -> None:
    print(
        f"\n== Monte Carlo with score_bounds (a quarter of the cells jittered), 1 segment, "
        f"{samples:,} samples"
    )
    fig = _run("monte_carlo_bounds", 1, 3, samples)
    print(f"  median of 3 {statistics.median(fig['times']):6.3f} s  peak {fig['maxrss_mib']:7.1f} MiB")
    for segments in (1, 10):
        for missing in ("zero", "exclude"):
            fig = _run(f"flip_points_{missing}", segments, repeats, samples)
            print(
                f"\n== flip_points: {VENDORS:,} vendors x {CRITERIA} criteria, {fig['groups']} groups "
                f"({CRITERIA} criteria + 20 categories), {segments} segment(s), missing={missing}\n"
                f"  median {statistics.median(fig['times']):6.3f} s  peak {fig['maxrss_mib']:7.1f} MiB"
            )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--samples", type=int, default=SAMPLES)
    parser.add_argument("--segments", type=int, default=1)
    parser.add_argument("--child", default=None, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(child(args.child, args.segments, args.repeats, args.samples)))
        return
    print(f"numpy {np.__version__}, python {sys.version.split()[0]}, repeats {args.repeats}")
    for segments in (1, 10):
        _report_monte_carlo(segments, args.repeats, args.samples)
    _report_rest(args.repeats, args.samples)


if __name__ == "__main__":
    main()
