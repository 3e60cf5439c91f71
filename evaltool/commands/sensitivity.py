"""`evaltool sensitivity`: how sure are we: rank probabilities under varied weights, and flip points."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

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


def _flip_lines(evaluation: Evaluation, segment: str, flips: int) -> list[str]:
    """The nearest flip points of a segment (criteria, then categories) in the words of every output."""
    from evaltool import wording

    s, result = evaluation.sensitivity, evaluation.result
    nearest = s.segment_flips(segment)[:flips] + s.segment_flips(segment, "category")[:flips]
    if not nearest:
        members = result.segment(segment)
        leader = members.leader.name if members.leader else None
        return [wording.no_flip_sentence(sum(v.ranked for v in members.vendors), leader)]
    return [wording.flip_text(f, result) for f in nearest]


def run(
    workspace: WorkspaceOpt = None,
    profile: ProfileOpt = None,
    method: MethodOpt = DEFAULT_METHOD,
    samples: SamplesOpt = DEFAULT_SAMPLES,
    seed: SeedOpt = DEFAULT_SEED,
    concentration: ConcentrationOpt = DEFAULT_CONCENTRATION,
    segment: SegmentOpt = None,
    flips: Annotated[int, typer.Option("--flips", help="Flip points shown per segment in the table.")] = 5,
    perturb_scores: Annotated[
        bool,
        typer.Option(
            "--perturb-scores",
            help="Also draw each rubric score uniformly between its assessors' lowest and highest score.",
        ),
    ] = False,
    output_format: TableFormatOpt = TableFormat.table,
    as_of: AsOfOpt = None,
) -> None:
    """How stable is each segment's ranking when the weights vary? (Monte Carlo over weights.)

    Weights are drawn from a Dirichlet distribution centred on the effective weights; for every vendor
    the probability of each rank and a 90% interval of its score. Flip points: for each criterion and
    category, the weight at which the leader would change, with the other weights scaled to match.
    Samples are scored with --method (WSM by default, or TOPSIS), the method of the ranking.
    """
    from evaltool import fmt
    from evaltool.commands.common import emit_json, emit_table, emit_wrapped, load_evaluation
    from evaltool.errors import UsageError
    from evaltool.serialize import sensitivity_json

    if perturb_scores and method != "wsm":
        raise UsageError("--perturb-scores works with --method wsm only")
    evaluation = load_evaluation(
        workspace, profile, method, segment, as_of,
        samples=samples, seed=seed, concentration=concentration, perturb_scores=perturb_scores,
    )  # fmt: skip
    if output_format is TableFormat.json:
        emit_json(sensitivity_json(evaluation))
        return
    from evaltool.diligence import tier_of
    from evaltool.wording import headline, scored_with, status_label

    s, m = evaluation.sensitivity, evaluation.result.method
    for seg in evaluation.result.segments:
        rows = []
        for v in seg.vendors:
            st = s.vendors[v.id]
            probs = " ".join(fmt.pct(p, 0) for p in st.rank_probabilities) if v.ranked else status_label(v)
            rows.append([
                str(v.rank or "-"), f"{v.name} ({v.id})", fmt.score(v.score, m), fmt.pct(st.p_top),
                fmt.interval(*st.score_interval, m), probs,
            ])  # fmt: skip
        tier = tier_of(evaluation.result, seg.name)
        title = f"{seg.name}: {m.upper()}, {scored_with(seg.setup.profile_id, tier.name if tier else None)}"
        settings = f"{s.samples:,} weight samples, seed {s.seed}, concentration {s.concentration:g}"
        if s.perturb_scores:
            settings += ", scores drawn within the assessors' spread"
        emit_wrapped(headline(evaluation, seg.name))
        emit_wrapped(settings)
        emit_table(title, ["rank", "vendor", "score", "P(first)", "90% interval", "P(rank 1, 2, ...)"], rows,
                   right={0, 2, 3}, keep={1, 4})  # fmt: skip
        for line in _flip_lines(evaluation, seg.name, flips):
            emit_wrapped(line, "  ")
        typer.echo("")
