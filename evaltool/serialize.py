"""Plain-data views of results, for JSON and CSV output. The key names are a stable contract: docs/json.md."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from evaltool import wording
from evaltool.diligence import tier_json, tier_of, vendor_json
from evaltool.models import Criterion, Profile
from evaltool.scoring import Cell, Evidence, ScoreResult, SegmentResult, VendorResult, Weights
from evaltool.wording import headline

if TYPE_CHECKING:
    from evaltool.analysis import FlipKind
    from evaltool.evaluation import Evaluation, Provenance
    from evaltool.recommend import Recommendation

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
# How every output words a grade that is min-max across the segment (README, "How scores are computed").
RELATIVE_GRADING = (
    "graded relative to the other vendors of the segment: adding or removing a vendor moves this score"
)


def spreadsheet_safe(value: Any) -> Any:
    """A text cell that a spreadsheet would run as a formula is prefixed with ' (OWASP CSV injection)."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def relative_grading(criteria: Sequence[Criterion], v: VendorResult) -> list[str]:
    """Ids of the vendor's metric values graded min-max across its segment (no fixed grading there)."""
    return [
        k.id
        for k in criteria
        if k.is_metric and k.grading_for(v.segment) is None and v.cells[k.id].raw is not None
    ]


def segment_relative_grading(criteria: Sequence[Criterion], segment: SegmentResult) -> list[Criterion]:
    """The criteria graded min-max for at least one vendor of the segment, in catalog order."""
    ids = {k for v in segment.vendors for k in relative_grading(criteria, v)}
    return [k for k in criteria if k.id in ids]


def relative_sentence(criteria: Sequence[Criterion]) -> str:
    """The sentence naming criteria graded relative to the segment's vendors; "" for none."""
    if not criteria:
        return ""
    names = ", ".join(f"{k.name} ({k.id})" for k in criteria)
    return f"{RELATIVE_GRADING[0].upper()}{RELATIVE_GRADING[1:]}: {names}."


def vendor_summary(v: VendorResult, criteria: Sequence[Criterion]) -> dict[str, Any]:
    """One vendor as in `evaltool score --format json`."""
    return {
        "id": v.id,
        "name": v.name,
        "segment": v.segment,
        "rank": v.rank,
        "score": v.score,
        "eligible": v.eligible,
        "status": v.status,
        "assessed": v.assessed,
        "failed_gates": v.failed_gates,
        "coverage": v.coverage,
        "unscored": v.unscored,
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
        "relative_grading": relative_grading(criteria, v),
    }


def profile_keys(result: ScoreResult) -> dict[str, Any]:
    """`profile` (the one every segment was scored with; null for the catalog's weights or when segments
    differ) and `profiles` (segment -> its profile id, null for the catalog's weights)."""
    return {
        "profile": result.profile_id if result.uniform else None,
        "profiles": {s.name: s.setup.profile_id for s in result.segments},
    }


def score_json(result: ScoreResult) -> dict[str, Any]:
    """`evaltool score --format json`: vendors ordered by segment, then rank."""
    return {
        **profile_keys(result),
        "method": result.method,
        "missing": result.missing,
        "as_of": result.as_of.isoformat(),
        "vendors": [
            {**vendor_summary(v, result.criteria), **vendor_json(v, result)} for v in result.vendors()
        ],
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
    """`evaltool score --format csv`: the JSON vendor summary flattened, a column per category, the
    ';'-separated ids of the criteria graded relative to the segment's vendors, then the profile and tier
    the vendor's segment was scored with."""
    columns = ("segment", "rank", "id", "name", "score", "eligible", "failed_gates", "coverage")
    rows = []
    for v in result.vendors():
        summary = vendor_summary(v, result.criteria)
        row = {key: summary[key] for key in columns}
        row["rank"] = "" if v.rank is None else v.rank
        row["failed_gates"] = ";".join(v.failed_gates)
        row.update({f"category:{k}": s for k, s in v.categories.items()})
        row["relative_grading"] = ";".join(summary["relative_grading"])
        tier = tier_of(result, v.segment)
        row["profile"] = result.setup_of(v.segment).profile_id or ""
        row["tier"] = tier.name if tier is not None else ""
        rows.append(row)
    return rows


# --- views of an Evaluation (exports, dashboard downloads) ----------------------------------------------


def evidence_json(e: Evidence) -> dict[str, Any]:
    """One assessor's entry for one cell; `assessor` is "" for a vendor's top-level `scores`."""
    return {
        "assessor": e.assessor,
        "given": e.given,
        "evidence": e.evidence,
        "level": e.level,
        "source": e.source,
        "expires": None if e.expires is None else e.expires.isoformat(),
        "stale": e.stale,
        "measured": None if e.measured is None else e.measured.isoformat(),
    }


def cell_json(c: Cell) -> dict[str, Any]:
    """One vendor x criterion cell of the decision matrix, with every assessor's evidence."""
    return {
        "criterion": c.criterion,
        "raw": c.raw,
        "grade": c.grade,
        "contribution": c.contribution,
        "spread": c.spread,
        "assessors": c.assessors,
        "disagreement": c.disagreement,
        "stale": c.stale,
        "evidence": [evidence_json(e) for e in c.evidence],
    }


def sensitivity_json(evaluation: Evaluation) -> dict[str, Any]:
    """`evaltool sensitivity --format json` (docs/json.md): rank stability by vendor, flip points by segment.

    Vendors by segment then rank; flip points in catalog order within each segment. `rank_probabilities`
    is empty for a vendor that is not ranked (not eligible or not assessed). Scores and intervals are on the
    evaluation's method's scale (WSM points or TOPSIS closeness).
    """
    s = evaluation.sensitivity

    def flips(kind: FlipKind) -> list[dict[str, Any]]:
        return [
            {
                "segment": f.segment,
                kind: f.id,
                "weight": f.weight,
                "leader": f.leader,
                "leader_changes_at": f.leader_changes_at,
                "new_leader": f.new_leader,
            }
            for f in s.flips
            if f.kind == kind
        ]

    return {
        **profile_keys(evaluation.result),
        "method": evaluation.result.method,
        "samples": s.samples,
        "seed": s.seed,
        "concentration": s.concentration,
        "perturb_scores": s.perturb_scores,
        "rank_depth": s.rank_depth,
        "vendors": [
            {
                "id": v.id,
                "segment": v.segment,
                "eligible": v.eligible,
                "ranked": v.ranked,
                "p_top": s.vendors[v.id].p_top,
                "rank_probabilities": list(s.vendors[v.id].rank_probabilities),
                "score_interval": list(s.vendors[v.id].score_interval),
                "mean_score": s.vendors[v.id].mean_score,
            }
            for v in evaluation.result.vendors()
        ],
        "flip_points": flips("criterion"),
        "category_flip_points": flips("category"),
    }


def segments_json(evaluation: Evaluation) -> list[dict[str, Any]]:
    """Per segment: leader, tie, state, the headline sentence and the vendors in order."""
    result = evaluation.result
    return [
        {
            "name": s.name,
            "leader": None if s.leader is None else s.leader.id,
            "tie": evaluation.verdicts[s.name].tie,
            "tied": list(evaluation.verdicts[s.name].tied),
            "state": evaluation.verdicts[s.name].state,
            "headline": headline(evaluation, s.name),
            "vendors": [v.id for v in s.vendors],
            "profile": s.setup.profile_id,
            "profile_name": None if s.setup.profile is None else s.setup.profile.name,
            "tier": tier_json(tier_of(result, s.name)),
            "weights": weights_json(s.setup.profile, s.setup.weights, s.setup.gates),
        }
        for s in result.segments
    ]


def recommendation_json(r: Recommendation) -> dict[str, Any]:
    """One vendor's recommendation, radar ring and PoC plan (None unless the vendor is a PoC candidate)."""
    plan = r.plan
    return {
        "vendor": r.vendor,
        "segment": r.segment,
        "decision": r.decision,
        "decision_text": r.decision_text,
        "reasons": list(r.reasons),
        "gaps": list(r.gaps),
        "ring": r.ring,
        "ring_reason": r.ring_reason,
        "poc_plan": None
        if plan is None
        else {
            "checks": [
                {
                    "metric": c.metric,
                    "target": c.target,
                    "method": c.method,
                    "source": c.source,
                    "criterion": c.criterion,
                    "result": c.result,
                    "outcome": c.outcome,
                }
                for c in plan.checks
            ],
            "timebox_weeks": plan.timebox_weeks,
            "exit_gates": list(plan.exit_gates),
            "status": plan.status,
            "owner": plan.owner,
            "stage": wording.poc_stage(plan.stage) if plan.stage is not None else None,
            "cost": plan.cost,
            "environment": plan.environment,
            "data_classification": plan.data_classification,
            "decision_date": None if plan.decision_date is None else plan.decision_date.isoformat(),
        },
        "poc": poc_json(r),
    }


def poc_json(r: Recommendation) -> dict[str, Any] | None:
    """What the vendor's PoC measured and how it weighed in the decision (docs/scoring.md#the-poc-loop)."""
    out = r.poc
    if out is None:
        return None
    return {
        "state": out.stage.state,
        "week": out.stage.week,
        "timebox_weeks": out.stage.weeks,
        "targets": [
            {"metric": c.metric, "target": c.target, "result": c.result, "outcome": c.outcome,
             "criterion": c.criterion, "gated": c.gated}
            for c in out.checks
        ],
        "measured": [
            {"criterion": m.criterion, "before": m.before, "after": m.after, "date": m.date.isoformat()}
            for m in out.moved
        ],
        "notes": list(r.poc_notes),
    }  # fmt: skip


def provenance_json(p: Provenance) -> dict[str, Any]:
    """What an output rested on: tool version, settings, time and the SHA-256 of the input files."""
    return {
        "tool": "evaltool",
        "tool_version": p.tool_version,
        "generated_at": p.generated_at,
        "as_of": p.as_of,
        "workspace": p.workspace,
        "profile": p.profile,
        "profiles": dict(p.profiles),
        "method": p.method,
        "missing": p.missing,
        "samples": p.samples,
        "seed": p.seed,
        "concentration": p.concentration,
        "input_sha256": p.input_sha256,
        "files": [{"path": f.path, "sha256": f.sha256} for f in p.files],
        "anonymized": p.blind is not None and p.blind.anonymized,
        "hidden_categories": list(p.blind.hidden) if p.blind is not None else [],
    }
