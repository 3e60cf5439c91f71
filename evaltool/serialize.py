"""Plain-data views of results, for JSON and CSV output. The key names are a stable contract (DESIGN §6)."""

from __future__ import annotations

from typing import Any

from evaltool.models import Profile
from evaltool.scoring import ScoreResult, VendorResult, Weights

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(value: Any) -> Any:
    """A text cell that a spreadsheet would run as a formula is prefixed with ' (OWASP CSV injection)."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def vendor_summary(v: VendorResult) -> dict[str, Any]:
    """One vendor as in `evaltool score --format json`."""
    return {
        "id": v.id,
        "name": v.name,
        "segment": v.segment,
        "rank": v.rank,
        "score": v.score,
        "eligible": v.eligible,
        "failed_gates": v.failed_gates,
        "coverage": v.coverage,
        "categories": dict(v.categories),
        "gate_results": [
            {
                "criterion": g.criterion,
                "gate": g.threshold,
                "actual": g.actual,
                "passed": g.passed,
                "reason": g.reason,
            }
            for g in v.gates
        ],
        "stale": [c.criterion for c in v.stale],
        "disagreements": [c.criterion for c in v.disagreements],
    }


def score_json(result: ScoreResult) -> dict[str, Any]:
    """`evaltool score --format json`: vendors ordered by segment, then rank."""
    return {
        "profile": result.profile_id,
        "method": result.method,
        "missing": result.missing,
        "as_of": result.as_of.isoformat(),
        "vendors": [vendor_summary(v) for v in result.vendors()],
    }


def weights_json(profile: Profile | None, weights: Weights, gates: dict[str, float]) -> dict[str, Any]:
    """`evaltool weights --format json`: effective shares summing to 1."""
    ahp = weights.ahp
    return {
        "profile": None if profile is None else profile.id,
        "categories": dict(weights.categories),
        "criteria": dict(weights.criteria),
        "within_category": dict(weights.within),
        "ahp": None
        if ahp is None
        else {"lambda_max": ahp.lambda_max, "ci": ahp.ci, "cr": ahp.cr, "consistent": ahp.consistent},
        "gates": dict(gates),
    }


def score_rows(result: ScoreResult) -> list[dict[str, Any]]:
    """`evaltool score --format csv`: one row per vendor, a column per category."""
    rows = []
    for v in result.vendors():
        row: dict[str, Any] = {
            "segment": v.segment,
            "rank": "" if v.rank is None else v.rank,
            "id": v.id,
            "name": v.name,
            "score": v.score,
            "eligible": v.eligible,
            "failed_gates": ";".join(v.failed_gates),
            "coverage": v.coverage,
        }
        row.update({f"category:{k}": s for k, s in v.categories.items()})
        rows.append(row)
    return rows
