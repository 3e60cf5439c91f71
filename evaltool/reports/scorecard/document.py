"""The scorecard as one JSON document: everything in the Evaluation, each key described in FIELDS.

Floats are written with ``repr`` (the shortest text that reads back as the same double); nothing is
recomputed here.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from evaltool.commercial import commercial_json
from evaltool.decisions import decisions_json
from evaltool.diligence import vendor_json
from evaltool.recommend import rules_text
from evaltool.reports.scorecard.fields import FORMAT_NAME, FORMAT_VERSION
from evaltool.serialize import (
    cell_json,
    profile_keys,
    provenance_json,
    recommendation_json,
    segments_json,
    sensitivity_json,
    vendor_summary,
    weights_json,
)

if TYPE_CHECKING:
    from evaltool.evaluation import Evaluation
    from evaltool.models import Criterion
    from evaltool.scoring import ScoreResult, VendorResult


def _criteria_json(result: ScoreResult) -> list[dict[str, Any]]:
    weights, gates = result.overall.weights, result.overall.gates
    return [
        {
            "id": k.id,
            "name": k.name,
            "category": category.id,
            "type": k.type,
            "unit": k.unit,
            "direction": "higher" if k.higher_is_better else "lower",
            "grading": _grading_json(k),
            "gate": gates.get(k.id),
            "weight": weights.criteria[k.id],
            "within_category": weights.within[k.id],
            "references": [{"framework": r.framework, "clause": r.clause} for r in k.references],
        }
        for category in result.catalog.categories
        for k in category.criteria
    ]


def _grading_json(k: Criterion) -> dict[str, Any] | None:
    g = k.grading
    if g is None:
        return None
    segments = {name: {"best": s.best, "worst": s.worst} for name, s in g.segments.items()}
    return {"best": g.best, "worst": g.worst, "segments": segments}


def _vendor_json(v: VendorResult, result: ScoreResult) -> dict[str, Any]:
    data = vendor_summary(v, result.criteria) | vendor_json(v, result)
    for entry, gate in zip(data["gate_results"], v.gates, strict=True):
        entry["margin"] = gate.margin
    data["kind"] = v.vendor.kind
    data["declared_ring"] = v.vendor.radar
    data["cells"] = {criterion: cell_json(cell) for criterion, cell in v.cells.items()}
    data["commercial"] = commercial_json(v.vendor.commercial)
    return data


def export_data(evaluation: Evaluation) -> dict[str, Any]:
    """Everything in the Evaluation as plain JSON-able data; every key is described in :data:`FIELDS`.

    A superset of `evaltool score --format json` (``profile``, ``method``, ``vendors``), with the shapes
    of `evaltool weights` under ``weights`` and of `evaltool sensitivity` under ``sensitivity``.
    """
    result = evaluation.result
    return {
        "format": FORMAT_NAME,
        "format_version": FORMAT_VERSION,
        "provenance": provenance_json(evaluation.provenance),
        "catalog": {"name": result.catalog.catalog, "version": result.catalog.version},
        **profile_keys(result),
        "profile_name": None if not result.uniform or result.profile is None else result.profile.name,
        "method": result.method,
        "missing": result.missing,
        "as_of": result.as_of.isoformat(),
        "weights": weights_json(result.overall.profile, result.overall.weights, result.overall.gates),
        "categories": [
            {
                "id": c.id,
                "name": c.name,
                "weight": result.overall.weights.categories[c.id],
                "criteria": [k.id for k in c.criteria],
            }
            for c in result.catalog.categories
        ],
        "criteria": _criteria_json(result),
        "segments": segments_json(evaluation),
        "vendors": [_vendor_json(v, result) for v in result.vendors()],
        "sensitivity": sensitivity_json(evaluation),
        "recommendation_rules": rules_text(),
        "recommendations": [recommendation_json(evaluation.recommendations[v.id]) for v in result.vendors()],
        "warnings": [
            {"path": w.path, "line": w.line, "key": w.key, "message": w.message} for w in evaluation.warnings
        ],
        "decisions": decisions_json(evaluation),
    }


def to_json(evaluation: Evaluation) -> str:
    """The scorecard as indented UTF-8 JSON; floats written with repr, so they read back exactly."""
    return json.dumps(export_data(evaluation), indent=2, ensure_ascii=False, allow_nan=False) + "\n"
