"""`evaltool weights`: the effective weights a profile produces."""

from __future__ import annotations

import typer

from evaltool.commands.options import ProfileOpt, SegmentOpt, TableFormat, TableFormatOpt, WorkspaceOpt


def run(
    workspace: WorkspaceOpt = None,
    profile: ProfileOpt = None,
    segment: SegmentOpt = None,
    output_format: TableFormatOpt = TableFormat.table,
) -> None:
    """Show effective weights: category share x criterion share within its category (they sum to 1).

    With an AHP profile, also the consistency ratio (Saaty; above 0.10 is inconsistent). Without
    --profile, --segment S shows the weights S is scored with (the profile naming it, else the catalog's).
    """
    from evaltool import fmt, wording
    from evaltool.commands.common import emit_json, emit_table, emit_wrapped, load
    from evaltool.scoring import effective_gates, effective_weights
    from evaltool.serialize import weights_json

    ws = load(workspace, segment=segment, profile=profile)
    own, given = ws.segment_profiles(profile), ws.profile(profile)  # own is empty when --profile is given
    chosen = given if segment is None else own.get(segment, given)
    weights = effective_weights(ws.catalog, chosen)
    gates = effective_gates(ws.catalog, chosen)
    used = {s: p.id if (p := own.get(s, given)) else None for s in ws.segments()}
    if output_format is TableFormat.json:
        emit_json(weights_json(chosen, weights, gates) | {"profiles": used})
        return
    rows = []
    for category in ws.catalog.categories:
        rows.append([category.id, category.name, fmt.pct(weights.categories[category.id]), "", ""])
        for k in category.criteria:
            gate = (
                ""
                if k.id not in gates
                else f"{'<=' if k.is_metric and not k.higher_is_better else '>='} {gates[k.id]:g}"
            )
            rows.append(
                [f"  {k.id}", k.name, fmt.pct(weights.within[k.id]), fmt.pct(weights.criteria[k.id], 2), gate]
            )
    title = f"Effective weights: {chosen.id if chosen else 'catalog weights'}"
    emit_table(title, ["id", "name", "share", "effective", "gate"], rows, right={2, 3}, keep={0, 4})
    if weights.ahp is not None:
        a = weights.ahp
        verdict = "consistent" if a.consistent else "INCONSISTENT (CR > 0.10)"
        typer.echo(f"AHP: lambda_max {a.lambda_max:.4f}, CI {a.ci:.4f}, CR {a.cr:.4f}: {verdict}")
    if own and segment is None:
        emit_wrapped(wording.segment_profiles_note(used))
