"""The long fuzz run (`make fuzz`): tests/test_fuzz.py's strategies and property on fresh random examples.

    python benchmarks/fuzz_long.py [--examples 20000] [--minutes 30] [--batch 100] [--seed N]

Every mutated workspace goes through validate; the valid ones through the whole path (score, sensitivity,
recommend, the Markdown and HTML report, the XLSX, CSV and JSON scorecard) with drawn settings, the
invalid ones through a drawn command that must refuse them. No example database is read or written, so
every run explores new inputs. Examples run in batches of `--batch`, each with its own seed, until
`--examples` have run or `--minutes` have passed; a failing batch is shrunk and reported, and the run goes
on with the next. Warnings are errors, as in the test suite. Prints how many examples ran, how many
mutated workspaces were still valid and under which settings they ran, the most frequent problems, and
every failure with the input that caused it. Exit 0 when nothing failed, 1 otherwise.
"""

from __future__ import annotations

import argparse
import collections
import os
import sys
import tempfile
import time
import traceback
import warnings
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "tests"))

import test_fuzz  # noqa: E402
from hypothesis import HealthCheck, Phase, given, seed, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402


class Tally:
    """What the examples gave."""

    def __init__(self) -> None:
        self.ran = self.valid = 0
        self.messages: collections.Counter[str] = collections.Counter()
        self.settings: collections.Counter[str] = collections.Counter()

    def add(self, outcome: test_fuzz.Outcome) -> None:
        self.ran += 1
        errors = [p for p in outcome.problems if not p.warning]
        self.messages.update(_kind(p.message) for p in errors)
        if outcome.run is not None:
            self.valid += 1
            r = outcome.run
            profile = "profile" if r.profile else "no profile"
            segment = "--segment" if r.segment else "all segments"
            self.settings[f"{r.method:6} {r.missing:7} {profile:10} {segment}"] += 1


def batch(root: Path, tally: Tally, examples: int, chosen_seed: int) -> list[BaseException]:
    """Run one batch; the failures Hypothesis found (shrunk), if any."""

    @seed(chosen_seed)
    @settings(
        max_examples=examples,
        deadline=None,
        database=None,
        phases=[Phase.generate, Phase.shrink],
        suppress_health_check=list(HealthCheck),
    )
    @given(data=st.data())
    def fuzz(data: st.DataObject) -> None:
        tally.add(test_fuzz.check(root, data))

    try:
        fuzz()
    except Exception as exc:  # Hypothesis re-raises the (shrunk) failures after the run
        return list(exc.exceptions) if isinstance(exc, BaseExceptionGroup) else [exc]
    return []


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--examples", type=int, default=20_000)
    parser.add_argument("--minutes", type=float, default=30.0, help="stop after this long")
    parser.add_argument("--batch", type=int, default=100, help="examples per seed")
    parser.add_argument("--seed", type=int, default=None, help="default: random (printed)")
    args = parser.parse_args()
    chosen_seed = args.seed if args.seed is not None else int.from_bytes(os.urandom(4), "big")
    os.environ.pop("EVALTOOL_WORKSPACE", None)
    os.environ["COLUMNS"] = "200"
    warnings.simplefilter("error")  # as pyproject's filterwarnings = error does for the suite
    deadline = time.monotonic() + args.minutes * 60

    tally, failures, batches = Tally(), [], 0
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="evaltool-fuzz-") as folder:
        tempfile.tempdir = folder  # crash logs of failing examples stay in the run's folder
        while tally.ran < args.examples and time.monotonic() < deadline:
            size = min(args.batch, args.examples - tally.ran)
            found = batch(Path(folder) / "ws", tally, size, chosen_seed + batches)
            if found:
                print(f"FAILED in batch {batches} (seed {chosen_seed + batches}): {len(found)} failure(s)\n")
                for failure in found:
                    print("".join(traceback.format_exception(failure)), flush=True)
            failures += found
            batches += 1
        tempfile.tempdir = None
    elapsed = time.perf_counter() - started
    report(tally, chosen_seed, batches, elapsed, len(failures))
    return 1 if failures else 0


def report(tally: Tally, chosen_seed: int, batches: int, elapsed: float, failures: int) -> None:
    each = elapsed / max(tally.ran, 1) * 1000
    seeds = f"seed {chosen_seed}" + (f" to {chosen_seed + batches - 1}" if batches > 1 else "")
    print(f"{seeds}: {tally.ran:,} examples run in {elapsed:,.0f} s ({each:.0f} ms each)")
    outcome = f"{failures} FAILURE(S): see above" if failures else "no failure"
    print(f"  {tally.valid:,} mutated workspaces still valid, {tally.ran - tally.valid:,} invalid; {outcome}")
    print("  the valid ones went through the whole path with:")
    for setting, count in sorted(tally.settings.items()):
        print(f"    {count:7,}  {setting}")
    print("  most frequent problems of the invalid ones (first words):")
    for kind, count in tally.messages.most_common(15):
        print(f"    {count:7,}  {kind}")


def _kind(message: str) -> str:
    """The first words of a problem's message, for grouping."""
    return " ".join(message.split()[:5])[:70]


if __name__ == "__main__":
    sys.exit(main())
