"""`evaltool recommend`: what to take to the forum, per segment."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from evaltool.commands.common import AsOfOpt, ProfileOpt, WorkspaceOpt
from evaltool.commands.score import MethodOpt
from evaltool.commands.sensitivity import ConcentrationOpt, SamplesOpt, SeedOpt

if TYPE_CHECKING:
    from evaltool.evaluation import Evaluation


def _print(evaluation: Evaluation) -> None:
    from evaltool import fmt
    from evaltool.commands.common import emit_table
    from evaltool.wording import decision_label, headline, ring_text

    method = evaluation.result.method
    for seg in evaluation.result.segments:
        rows = []
        for v in seg.vendors:
            r = evaluation.recommendations[v.id]
            why = "; ".join(r.reasons + r.gaps)
            label, ring = decision_label(r.decision), ring_text(r.ring)
            rows.append([str(v.rank or "-"), v.name, fmt.score(v.score, method), label, ring, why])
        title = f"{seg.name}: {method.upper()}, {evaluation.result.profile_id or 'catalog weights'}"
        typer.echo(headline(evaluation, seg.name))
        emit_table(title, ["rank", "vendor", "score", "decision", "ring", "why"], rows, right={0, 2})
        for v in seg.vendors:
            plan = evaluation.recommendations[v.id].plan
            if plan is None:
                continue
            typer.echo(f"  PoC plan for {v.name}: {plan.timebox_weeks} weeks")
            for c in plan.checks:
                typer.echo(f"    - {c.metric}: {c.target}" + (f" ({c.method})" if c.method else ""))
            typer.echo("    throughout the PoC: " + "; ".join(plan.exit_gates))
        typer.echo("")


def run(
    workspace: WorkspaceOpt = None,
    profile: ProfileOpt = None,
    method: MethodOpt = "wsm",
    segment: Annotated[str | None, typer.Option("--segment", "-s", help="Only this segment.")] = None,
    samples: SamplesOpt = 10_000,
    seed: SeedOpt = 42,
    concentration: ConcentrationOpt = 100.0,
    output_format: Annotated[str, typer.Option("--format", "-f", help="table | json")] = "table",
    as_of: AsOfOpt = None,
) -> None:
    """Per segment: proceed to PoC, conditional (gaps to close first) or do not proceed, with a radar ring.

    The rules are printed with `--format json` under "rules" and in the README.
    """
    from evaltool.commands.common import emit_json
    from evaltool.commands.score import load_evaluation
    from evaltool.errors import UsageError
    from evaltool.recommend import rules_text
    from evaltool.serialize import recommendation_json, segments_json

    if output_format not in ("table", "json"):
        raise UsageError(f"--format must be table or json, not {output_format!r}")
    evaluation = load_evaluation(
        workspace, profile, method, segment, as_of, samples=samples, seed=seed, concentration=concentration
    )
    if output_format == "json":
        recs = [recommendation_json(evaluation.recommendations[v.id]) for v in evaluation.result.vendors()]
        result = evaluation.result
        emit_json({
            "profile": result.profile_id, "method": result.method, "rules": rules_text(),
            "segments": segments_json(evaluation), "recommendations": recs,
        })  # fmt: skip
    else:
        _print(evaluation)
