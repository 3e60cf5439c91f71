"""Benchmark of blind views: `--anonymize` on a workspace of many vendors.

Run as a plain script: ``python benchmarks/bench_anonymize.py [--vendors N] [--criteria N] [--rounds N]``.

A synthetic workspace of ``--vendors`` vendors (five segments, ``--criteria`` criteria, every score with an
evidence text and a source URL on the vendor's site, one text in ten naming another vendor) is made in
memory. Measured: `evaltool.anonymize.anonymize` as `score`, `report` and `export --anonymize` run it (the
preliminary ranking, relabelling, and every text checked for every vendor's identifying words), against
two references a competent Python user would write for the text check alone: one regular expression that
alternates every identifying word, searched in each text; and the text's words looked up in a set (whole
words only, so a lower bound). Medians of interleaved rounds, with the ratios.
"""

from __future__ import annotations

import argparse
import datetime as dt
import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from timing import interleaved

from evaltool.anonymize import anonymize, tokens
from evaltool.models import Catalog, Vendor
from evaltool.workspace import Workspace

SEGMENTS = ["Segment one", "Segment two", "Segment three", "Segment four", "Segment five"]
SYLLABLES = ["lum", "ten", "vor", "qua", "bel", "mir", "sta", "kor", "del", "fin", "gar", "hol"]


def _name(i: int) -> str:
    a, b, c = SYLLABLES[i % 12], SYLLABLES[(i // 12) % 12], SYLLABLES[(i // 144) % 12]
    return f"{a}{b}{c}{i}".capitalize()


def _workspace(vendors: int, criteria: int) -> Workspace:
    catalog = Catalog.model_validate(
        {
            "catalog": "Synthetic", "version": "1", "segments": SEGMENTS,
            "categories": [
                {"id": "core", "name": "Core", "criteria": [
                    {"id": f"c{j}", "name": f"Criterion {j}"} for j in range(criteria)
                ]}
            ],
        }
    )  # fmt: skip
    names = [_name(i) for i in range(vendors)]
    models = []
    for i, name in enumerate(names):
        vid = name.lower()
        scores = {
            f"c{j}": {
                "score": (i + j) % 6,
                "evidence": f"Tested on the reference workload, run {j}"
                + (f"; faster than {names[(i + 1) % vendors]}" if j % 10 == 0 else ""),
                "level": "documented",
                "source": f"https://example.com/{vid}/docs/{j}",
            }
            for j in range(criteria)
        }
        models.append(
            Vendor.model_validate(
                {"id": vid, "name": f"{name} Cloud", "segment": SEGMENTS[i % 5],
                 "website": f"https://example.com/{vid}", "summary": f"{name} does vector search.",
                 "assessments": [{"assessor": "a.b", "date": "2026-11-01", "scores": scores}]}
            )
        )  # fmt: skip
    return Workspace(
        root=Path("."), catalog=catalog, profiles={}, vendors=tuple(models), files=(),
        vendor_paths={v.id: f"vendors/{v.id}.yaml" for v in models}, warnings=(), as_of=dt.date(2026, 11, 30),
    )  # fmt: skip


def _reference(workspace: Workspace) -> int:
    words = sorted({w for v in workspace.vendors for w in tokens(v)}, key=len, reverse=True)
    pattern = re.compile("|".join(map(re.escape, words)), re.IGNORECASE)
    found = 0
    for vendor in workspace.vendors:
        for _, scores in vendor.all_assessments():
            for cell in scores.values():
                for text in (getattr(cell, "evidence", None), getattr(cell, "source", None)):
                    found += bool(text and pattern.search(text))
    return found


def _word_set(workspace: Workspace) -> int:
    """The fastest plain check: the text's words (split at anything not a letter or digit) against a set of
    the one-word tokens; it finds a name only as a whole word, so it is a lower bound on the cost."""
    words = {w.lower() for v in workspace.vendors for w in tokens(v) if re.fullmatch(r"[A-Za-z0-9]+", w)}
    split = re.compile(r"[^a-z0-9]+")
    found = 0
    for vendor in workspace.vendors:
        for _, scores in vendor.all_assessments():
            for cell in scores.values():
                for text in (getattr(cell, "evidence", None), getattr(cell, "source", None)):
                    found += bool(text and not words.isdisjoint(split.split(text.lower())))
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--vendors", type=int, default=300)
    parser.add_argument("--criteria", type=int, default=50)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    workspace = _workspace(args.vendors, args.criteria)
    texts = 2 * args.vendors * args.criteria
    print(f"{args.vendors} vendors x {args.criteria} criteria: {texts:,} evidence texts and sources")
    timings = interleaved(
        {
            "anonymize": lambda: anonymize(workspace),
            "reference (alternation regex)": lambda: _reference(workspace),
            "reference (word set)": lambda: _word_set(workspace),
        },
        args.rounds,
    )
    for label, (wall, cpu) in timings.items():
        print(f"  {label:32s} median wall {wall:7.2f} s   cpu {cpu:7.2f} s")
    for reference in ("reference (alternation regex)", "reference (word set)"):
        ratio = timings["anonymize"][0] / timings[reference][0]
        print(f"  ratio anonymize / {reference}: {ratio:.2f}x (the references check the texts only)")


if __name__ == "__main__":
    main()
