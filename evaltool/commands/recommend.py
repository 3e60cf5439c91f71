"""`evaltool recommend`: what to take to the forum, per segment."""

from __future__ import annotations

from typing import TYPE_CHECKING

import typer

from evaltool.commands.options import (
    AsOfOpt,
    ConcentrationOpt,
    MethodOpt,
    ProfileOpt,
    SamplesOpt,
    SeedOpt,
    SegmentOpt,
    TableFormat,
    TableFormatOpt,
    WorkspaceOpt,
)
from evaltool.defaults import DEFAULT_CONCENTRATION, DEFAULT_METHOD, DEFAULT_SAMPLES, DEFAULT_SEED

if TYPE_CHECKING:
    from evaltool.evaluation import Evaluation


def _print(evaluation: Evaluation) -> None:
    from evaltool import fmt
    from evaltool.commands.common import emit_table, emit_wrapped
    from evaltool.diligence import diligence_lines, tier_of
    from evaltool.wording import decision_label, headline, ring_text, scored_with

    method = evaluation.result.method
    for seg in evaluation.result.segments:
        tier_line, accepted = diligence_lines(evaluation.result, seg)
        rows = []
        for v in seg.vendors:
            r = evaluation.recommendations[v.id]
            why = "; ".join(r.reasons + r.gaps)
            label, ring = decision_label(r.decision), ring_text(r.ring)
            rows.append([str(v.rank or "-"), v.name, fmt.score(v.score, method), label, ring, why])
        tier = tier_of(evaluation.result, seg.name)
        title = (
            f"{seg.name}: {method.upper()}, {scored_with(seg.setup.profile_id, tier.name if tier else None)}"
        )
        emit_wrapped(headline(evaluation, seg.name))
        if tier_line:
            emit_wrapped(tier_line)
        for line in accepted:
            emit_wrapped(line)
        headers = ["rank", "vendor", "score", "decision", "ring", "why"]
        emit_table(title, headers, rows, right={0, 2}, keep={1, 3, 4})
        for v in seg.vendors:
            plan = evaluation.recommendations[v.id].plan
            if plan is None:
                continue
            emit_wrapped(f"PoC plan for {v.name}: {plan.timebox_weeks} weeks", "  ")
            for c in plan.checks:
                emit_wrapped(f"- {c.metric}: {c.target}" + (f" ({c.method})" if c.method else ""), "    ")
            emit_wrapped("throughout the PoC: " + "; ".join(plan.exit_gates), "    ")
        for v in seg.vendors:
            notes = evaluation.recommendations[v.id].poc_notes
            if notes:  # which PoC results moved the scores and the decision
                emit_wrapped(f"PoC of {v.name}:", "  ")
                for note in notes:
                    emit_wrapped(f"- {note}", "    ")
        typer.echo("")


def run(
    workspace: WorkspaceOpt = None,
    profile: ProfileOpt = None,
    method: MethodOpt = DEFAULT_METHOD,
    segment: SegmentOpt = None,
    samples: SamplesOpt = DEFAULT_SAMPLES,
    seed: SeedOpt = DEFAULT_SEED,
    concentration: ConcentrationOpt = DEFAULT_CONCENTRATION,
    output_format: TableFormatOpt = TableFormat.table,
    as_of: AsOfOpt = None,
) -> None:
    """Per segment: proceed to PoC, conditional (gaps to close first) or do not proceed, with a radar ring.

    The rules are printed with `--format json` under "rules" and in the README.
    """
    from evaltool.commands.common import emit_json, load_evaluation
    from evaltool.recommend import rules_text
    from evaltool.serialize import profile_keys, recommendation_json, segments_json

    evaluation = load_evaluation(
        workspace, profile, method, segment, as_of, samples=samples, seed=seed, concentration=concentration
    )
    if output_format is TableFormat.json:
        recs = [recommendation_json(evaluation.recommendations[v.id]) for v in evaluation.result.vendors()]
        result = evaluation.result
        emit_json({
            **profile_keys(result), "method": result.method, "rules": rules_text(),
            "segments": segments_json(evaluation), "recommendations": recs,
        })  # fmt: skip
    else:
        _print(evaluation)
