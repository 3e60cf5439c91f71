"""Benchmark evaltool.scoring.score against a plain Python + numpy WSM scorer working from the same models.

Run: python benchmarks/bench_scoring.py [--vendors 200,1000] [--criteria 50] [--assessors 2] [--repeats 5]

Builds a catalog of M criteria in 5 categories (a fifth of them metrics, half of those without grading so
they are min-max graded) and N vendors in one segment, each scored by A assessors with about 3 % of cells
left null and a tenth in the long form with evidence and an expiry date.

The reference is what `evaltool score` computes for the ranking, written as a competent user would from
the same loaded models: effective weights, the median over the assessors of every cell, metric values
graded (linearly, or min-max across the vendors), the weighted sum; its scores are checked against
score()'s to 1e-9. score() does more for the same numbers (evidence, spreads and disagreement, coverage,
stale evidence, gates, ranks, result objects): the ratio is the cost of that. Medians of R interleaved
runs, wall and CPU; score() with TOPSIS for context. No timing is asserted anywhere
(docs/index.md#benchmarks).
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import statistics
from typing import Any

import numpy as np
from timing import interleaved  # benchmarks/timing.py: the folder of the script is on the path

from evaltool.models import Catalog, ScoreEntry, Vendor
from evaltool.scoring import score

CATEGORIES = 5
AS_OF = dt.date(2026, 6, 1)


def make_catalog(n_criteria: int, rng: random.Random) -> Catalog:
    """n_criteria criteria spread over CATEGORIES categories; every fifth a metric."""
    categories: list[dict[str, Any]] = [
        {"id": f"cat{c}", "name": f"Category {c}", "weight": rng.randint(1, 5), "criteria": []}
        for c in range(CATEGORIES)
    ]
    for k in range(n_criteria):
        criterion: dict[str, Any] = {"id": f"k{k}", "name": f"Criterion {k}", "weight": rng.randint(1, 10)}
        if k % 5 == 4:
            criterion.update(type="metric", unit="ms", direction="lower")
            if k % 10 == 4:
                criterion["grading"] = {"best": 10, "worst": 1000}
        elif k % 7 == 0:
            criterion["gate"] = 1
        categories[k % CATEGORIES]["criteria"].append(criterion)
    return Catalog.model_validate({"catalog": "Bench", "version": "1", "categories": categories})


def make_vendors(catalog: Catalog, n_vendors: int, n_assessors: int, rng: random.Random) -> list[Vendor]:
    """Vendors with n_assessors assessments each; some null cells, some long-form entries."""
    criteria = catalog.criteria()
    vendors = []
    for i in range(n_vendors):
        assessments = []
        for a in range(n_assessors):
            scores: dict[str, Any] = {}
            for k in criteria:
                if rng.random() < 0.03:
                    scores[k.id] = None
                    continue
                value: float = rng.uniform(5, 1200) if k.is_metric else rng.randint(0, 10) / 2
                if rng.random() < 0.1:
                    key = "value" if k.is_metric else "score"
                    expires = "2026-03-01" if rng.random() < 0.5 else "2027-03-01"
                    scores[k.id] = {key: value, "evidence": "doc", "level": "documented", "expires": expires}
                else:
                    scores[k.id] = value
            assessments.append({"assessor": f"assessor{a}", "date": "2026-01-15", "scores": scores})
        vendors.append(
            Vendor.model_validate(
                {"id": f"v{i:05d}", "name": f"Vendor {i}", "segment": "S", "assessments": assessments}
            )
        )
    return vendors


def reference_wsm(catalog: Catalog, vendors: list[Vendor]) -> np.ndarray:
    """WSM scores (0..100) of one segment, straight from the models, missing cells counting 0."""
    criteria = catalog.criteria()
    category_total = sum(c.weight for c in catalog.categories)
    weights = np.array(
        [c.weight / category_total * k.weight / sum(x.weight for x in c.criteria)
         for c in catalog.categories for k in c.criteria]
    )  # fmt: skip
    raw = np.full((len(vendors), len(criteria)), np.nan)
    for i, vendor in enumerate(vendors):
        given: list[list[float]] = [[] for _ in criteria]
        for _, scores in vendor.all_assessments():
            for j, k in enumerate(criteria):
                cell = scores.get(k.id)
                value = cell.given if isinstance(cell, ScoreEntry) else cell
                if value is not None:
                    given[j].append(value)
        raw[i] = [statistics.median(values) if values else np.nan for values in given]
    grades = raw.copy()
    for j, k in enumerate(criteria):
        if k.grading is not None:
            grades[:, j] = np.clip(
                5.0 * (raw[:, j] - k.grading.worst) / (k.grading.best - k.grading.worst), 0, 5
            )
        elif k.is_metric:
            lo, hi = np.nanmin(raw[:, j]), np.nanmax(raw[:, j])
            span = (raw[:, j] - lo if k.higher_is_better else hi - raw[:, j]) / (hi - lo) if hi > lo else 0.5
            grades[:, j] = np.where(np.isnan(raw[:, j]), np.nan, 5.0 * span)
    return 20.0 * (np.fmax(grades, 0.0) @ weights)


def bench(n_vendors: int, n_criteria: int, n_assessors: int, repeat: int, seed: int) -> None:
    rng = random.Random(seed)
    catalog = make_catalog(n_criteria, rng)
    vendors = make_vendors(catalog, n_vendors, n_assessors, rng)
    result = score(catalog, vendors, as_of=AS_OF)
    by_id = {v.id: v.wsm for v in result.vendors()}
    expected = np.array([by_id[v.id] for v in vendors])
    difference = float(np.abs(reference_wsm(catalog, vendors) - expected).max())
    if not difference <= 1e-9:
        raise SystemExit(f"the reference scores differ from score()'s by {difference:.1e}")
    times = interleaved(
        {
            "reference": lambda: reference_wsm(catalog, vendors),
            "score() WSM": lambda: score(catalog, vendors, as_of=AS_OF),
            "score() TOPSIS": lambda: score(catalog, vendors, method="topsis", as_of=AS_OF),
        },
        repeat,
    )
    ref_wall, ref_cpu = times["reference"]
    print(
        f"{n_vendors:,} vendors x {n_criteria} criteria x {n_assessors} assessors (|diff| {difference:.1e}):"
    )
    for name, (wall, cpu) in times.items():
        print(
            f"  {name:15} median {wall * 1e3:8.1f} ms wall {cpu * 1e3:8.1f} ms CPU  "
            f"{wall / ref_wall:5.2f}x  {cpu / ref_cpu:5.2f}x CPU  "
            f"({wall / (n_vendors * n_criteria) * 1e6:.2f} us per cell)"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--vendors", default="200,1000", help="comma-separated vendor counts")
    parser.add_argument("--criteria", type=int, default=50)
    parser.add_argument("--assessors", type=int, default=2)
    parser.add_argument("--repeats", type=int, default=5, help="interleaved rounds (medians reported)")
    parser.add_argument("--seed", type=int, default=42)
    args = parser.parse_args()
    print(f"median of {args.repeats} interleaved runs after a warm-up; ratios to the plain reference scorer")
    for n in (int(x) for x in args.vendors.split(",")):
        bench(n, args.criteria, args.assessors, args.repeats, args.seed)


if __name__ == "__main__":
    main()
