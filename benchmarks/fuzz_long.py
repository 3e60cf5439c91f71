"""The long fuzz run (`make fuzz`): tests/test_fuzz.py's strategies and property on fresh random examples.

    python benchmarks/fuzz_long.py [--examples 20000] [--seed N]

No example database is read or written, so every run explores new inputs. Prints how many examples ran,
how many of the mutated workspaces were still valid, the most frequent problems, and every failure with
the input that caused it (Hypothesis shrinks it first). Exit 0 when nothing failed, 1 otherwise.
"""

from __future__ import annotations

import argparse
import collections
import os
import sys
import tempfile
import time
import traceback
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "tests"))

import test_fuzz  # noqa: E402
from hypothesis import HealthCheck, Phase, given, seed, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--examples", type=int, default=20_000)
    parser.add_argument("--seed", type=int, default=None, help="default: random (printed)")
    args = parser.parse_args()
    chosen_seed = args.seed if args.seed is not None else int.from_bytes(os.urandom(4), "big")
    os.environ.pop("EVALTOOL_WORKSPACE", None)
    os.environ["COLUMNS"] = "200"

    ran = valid = 0
    messages: collections.Counter[str] = collections.Counter()
    with tempfile.TemporaryDirectory(prefix="evaltool-fuzz-") as folder:
        root = Path(folder) / "ws"

        @seed(chosen_seed)
        @settings(
            max_examples=args.examples,
            deadline=None,
            database=None,
            phases=[Phase.generate, Phase.shrink],
            suppress_health_check=list(HealthCheck),
        )
        @given(data=st.data())
        def fuzz(data: st.DataObject) -> None:
            nonlocal ran, valid
            ran += 1
            errors = [p for p in test_fuzz.check(root, data) if not p.warning]
            valid += not errors
            messages.update(_kind(p.message) for p in errors)

        started = time.perf_counter()
        failed = False
        try:
            fuzz()
        except Exception as exc:  # Hypothesis re-raises the (shrunk) failures after the run
            failed = True
            failures = exc.exceptions if isinstance(exc, BaseExceptionGroup) else [exc]
            print(f"FAILED: {len(failures)} distinct failure(s)\n")
            for failure in failures:
                print("".join(traceback.format_exception(failure)))
        elapsed = time.perf_counter() - started

    each = elapsed / max(ran, 1) * 1000
    print(f"seed {chosen_seed}: {ran:,} examples run in {elapsed:,.0f} s ({each:.0f} ms each)")
    outcome = "FAILURES: see above" if failed else "no failure"
    print(f"  {valid:,} mutated workspaces still valid, {ran - valid:,} invalid; {outcome}")
    print("  most frequent problems (first words):")
    for kind, count in messages.most_common(15):
        print(f"    {count:7,}  {kind}")
    return 1 if failed else 0


def _kind(message: str) -> str:
    """The first words of a problem's message, for grouping."""
    return " ".join(message.split()[:5])[:70]


if __name__ == "__main__":
    sys.exit(main())
