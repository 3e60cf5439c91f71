"""Benchmark evaltool.scoring.score end to end, against the pure methods.wsm call on the same matrix.

Run: python benchmarks/bench_scoring.py [--vendors 200,1000] [--criteria 50] [--assessors 2] [--repeat 5]

Builds a catalog of M criteria in 5 categories (a fifth of them metrics, half of those without grading so
they are min-max graded) and N vendors in one segment, each scored by A assessors with about 3 % of cells
left null and a tenth in the long form with evidence and an expiry date. Reports the median of R runs of
`score()` (WSM and TOPSIS), and of `methods.wsm` on the graded matrix that `score()` produced: the
difference is the cost of building the decision matrix (medians, spreads, evidence, gates, ranks, result
objects). No timing is asserted anywhere (docs/index.md#benchmarks).
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import statistics
import time
from collections.abc import Callable
from typing import Any

import numpy as np

from evaltool import methods
from evaltool.models import Catalog, Vendor
from evaltool.scoring import ScoreResult, score

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


def median_seconds(func: Callable[[], object], repeat: int) -> float:
    """Median wall time of `repeat` calls after one warm-up call."""
    func()
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        func()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def graded_matrix(result: ScoreResult) -> tuple[np.ndarray, np.ndarray]:
    """The 0..5 grade matrix and weight vector that score() used, for the pure-method comparison."""
    ids = [k.id for k in result.criteria]
    rows = [[np.nan if v.cells[k].grade is None else v.cells[k].grade for k in ids] for v in result.vendors()]
    return np.array(rows, dtype=np.float64), np.array([result.weights.criteria[k] for k in ids])


def bench(n_vendors: int, n_criteria: int, n_assessors: int, repeat: int, seed: int) -> None:
    rng = random.Random(seed)
    catalog = make_catalog(n_criteria, rng)
    vendors = make_vendors(catalog, n_vendors, n_assessors, rng)
    result = score(catalog, vendors, as_of=AS_OF)
    grades, weights = graded_matrix(result)
    expected = np.array([v.score for v in result.vendors()])
    assert np.allclose(methods.wsm(grades, weights, catalog.missing), expected, atol=1e-9)

    wsm_total = median_seconds(lambda: score(catalog, vendors, as_of=AS_OF), repeat)
    topsis_total = median_seconds(lambda: score(catalog, vendors, method="topsis", as_of=AS_OF), repeat)
    pure = median_seconds(lambda: methods.wsm(grades, weights, catalog.missing), max(repeat, 20))
    label = f"{n_vendors:>5} vendors x {n_criteria} criteria x {n_assessors} assessors"
    print(
        f"{label}: score() WSM {wsm_total * 1e3:8.1f} ms | score() TOPSIS {topsis_total * 1e3:8.1f} ms | "
        f"methods.wsm {pure * 1e3:7.3f} ms | overhead {wsm_total / pure:,.0f}x "
        f"({wsm_total / (n_vendors * n_criteria) * 1e6:.2f} us per cell)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--vendors", default="200,1000", help="comma-separated vendor counts")
    parser.add_argument("--criteria", type=int, default=50)
    parser.add_argument("--assessors", type=int, default=2)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--seed", type=int, default=42)
    args = parser.parse_args()
    print(f"median of {args.repeat} runs after a warm-up; methods.wsm median of {max(args.repeat, 20)}")
    for n in (int(x) for x in args.vendors.split(",")):
        bench(n, args.criteria, args.assessors, args.repeat, args.seed)


if __name__ == "__main__":
    main()
