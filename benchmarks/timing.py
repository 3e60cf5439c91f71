"""Timing shared by the benchmarks: interleaved rounds, so that a burst of load on this shared machine
hits every measured function alike (docs/index.md#benchmarks)."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable


def interleaved(funcs: dict[str, Callable[[], object]], rounds: int) -> dict[str, tuple[float, float]]:
    """Median wall and CPU seconds of each function, all run once per round in turn after a warm-up."""
    for func in funcs.values():
        func()
    wall: dict[str, list[float]] = {name: [] for name in funcs}
    cpu: dict[str, list[float]] = {name: [] for name in funcs}
    for _ in range(rounds):
        for name, func in funcs.items():
            start, start_cpu = time.perf_counter(), time.process_time()
            func()
            wall[name].append(time.perf_counter() - start)
            cpu[name].append(time.process_time() - start_cpu)
    return {name: (statistics.median(wall[name]), statistics.median(cpu[name])) for name in funcs}
