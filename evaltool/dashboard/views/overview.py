"""Overview: who leads each segment, by how much, how sure we are, and what we recommend."""

from __future__ import annotations

import streamlit as st

from evaltool import charts, fmt, wording
from evaltool.dashboard import ui
from evaltool.dashboard.findings import show_findings
from evaltool.dashboard.frames import leaderboard
from evaltool.dashboard.table_style import leaderboard_config, show_table
from evaltool.diligence import tier_of
from evaltool.reports.summary import segment_summary, tco
from evaltool.serialize import relative_sentence, segment_relative_grading

ctx = ui.context()
st.title("Who leads")
ui.subtitle(ctx)

if not ctx.segments:
    st.info("This workspace has no vendors yet: add vendors/<id>.yaml files.")
    st.stop()

# the executive summary's sentences, word for word as the report opens with them (each segment read with
# its own profile)
parts = {s.name: ui.for_segment(ctx.evaluation, s.name) for s in ctx.segments}
st.markdown("\n".join(f"- {ui.md(segment_summary(parts[s.name], s).sentence)}" for s in ctx.segments))

segments = list(ctx.segments)
for segment, holder in ui.segment_tabs(segments, key="overview-tabs"):
    with holder:
        leader = segment.leader
        verdict = ctx.evaluation.verdicts[segment.name]
        tier = tier_of(ctx.result, segment.name)
        used = wording.segment_profile_sentence(
            segment.name, segment.setup.profile, None if tier is None else tier.name
        )
        st.caption(ui.md(used))
        cols = st.columns([3, 1, 1, 2])
        if leader is None:
            cols[0].metric("Leader", wording.leader_cell(verdict, segment.vendors, ctx.result.method))
        elif verdict.tie:
            tied = [v.name for v in segment.vendors if v.id in verdict.tied]
            # names, not a metric: a metric's large type cuts two long names off
            cols[0].markdown("Too close to call between  \n" + " and ".join(f"**{ui.md(n)}**" for n in tied))
            cols[1].metric("Score", fmt.score(leader.score, ctx.result.method), help="The first by score")
            cols[2].metric(
                "First in", wording.samples_pct(ctx.evaluation.sensitivity.vendors[leader.id].p_top)
            )
        else:
            stability = ctx.evaluation.sensitivity.vendors[leader.id]
            rec = ui.rec_of(ctx.evaluation, leader.id)
            samples = ctx.evaluation.sensitivity.samples
            cols[0].metric("Leader", ui.md(leader.name))
            cols[1].metric("Score", fmt.score(leader.score, ctx.result.method))
            cost = tco(ctx.evaluation, leader)
            if cost is not None:
                # under the leader's name: the narrow score column cuts "420,000 USD" off
                cols[0].metric("3-year TCO", cost, help="The vendor's 3-year total cost of ownership")
            cols[2].metric(
                "First in", wording.samples_pct(stability.p_top),
                help=f"Share of {samples:,} random weightings around the chosen ones in which it ranks first",
            )  # fmt: skip
            cols[3].metric(
                "Recommendation",
                wording.decision_text(rec.decision),
                help=ui.md("; ".join(rec.reasons + rec.gaps)),
            )
        st.markdown(ui.headline(ctx.evaluation, segment))  # the CLI's headline: the runner-up and the gap
        reason = ui.why(ctx.result, segment)
        if reason:
            st.markdown(reason)
        st.subheader(f"{ui.md(segment.name)}: leaderboard")
        board = leaderboard(ctx.evaluation, segment)
        show_table(board, leaderboard_config(ctx.result, board), key=f"overview-{segment.name}")
        show_findings(ctx.result, segment.vendors, key=f"overview-findings-{segment.name}")
        relative = relative_sentence(segment_relative_grading(ctx.result.criteria, segment))
        if relative:
            st.warning(ui.md(relative), icon=":material/compare_arrows:")
        figure = charts.ranking_chart(parts[segment.name].result, segment)
        st.plotly_chart(figure, key=f"ranking-{segment.name}")
