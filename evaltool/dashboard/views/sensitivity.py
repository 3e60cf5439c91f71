"""Sensitivity: how likely each rank is when weights vary, and which single weight would change the leader."""

from __future__ import annotations

import math

import streamlit as st

from evaltool import charts, fmt, wording
from evaltool.dashboard import data, ui
from evaltool.dashboard.frames import flip_sentences, stability_table
from evaltool.dashboard.table_style import stability_config
from evaltool.defaults import DEFAULT_CONCENTRATION, DEFAULT_SAMPLES, DEFAULT_SEED

ctx = ui.context()
st.title("How sure are we?")
ui.subtitle(ctx)

with st.expander("Sampling settings", expanded=True, icon=":material/settings:"):
    a, b, c = st.columns(3)
    samples = a.number_input(
        "Weight samples", min_value=1_000, max_value=100_000, value=DEFAULT_SAMPLES, step=1_000,
        key="sens-samples", persist_state="session",
    )  # fmt: skip
    seed = b.number_input(
        "Random seed", min_value=0, max_value=2**31 - 1, value=DEFAULT_SEED, step=1, key="sens-seed",
        persist_state="session", help="The same seed gives the same numbers, run after run.",
    )  # fmt: skip
    concentration = c.number_input(
        "Concentration", min_value=1.0, max_value=10_000.0, value=DEFAULT_CONCENTRATION, step=10.0,
        key="sens-concentration", persist_state="session",
    )  # fmt: skip
    spread = 100 * math.sqrt(0.1 * 0.9 / (concentration + 1))
    st.markdown(
        "**Concentration** says how much we doubt the weights. Each sample draws a new set of weights "
        f"scattered around the chosen ones: at {concentration:,.0f}, a criterion weighing 10% typically "
        f"lands between {fmt.fixed(10 - spread, 1)}% and {fmt.fixed(10 + spread, 1)}% "
        f"(±{fmt.fixed(spread, 1)} points). A lower "
        "number means more doubt and wider scatter; a higher one keeps the samples close to the chosen "
        f"weights. The default, {DEFAULT_CONCENTRATION:.0f}, suits weights agreed in a workshop."
    )

evaluation = data.evaluation(
    ctx.loaded, ctx.selection, samples=samples, seed=seed, concentration=concentration
)
method_name = "the weighted sum (WSM)" if ctx.selection.method == "wsm" else "TOPSIS closeness"
st.caption(
    f"{evaluation.sensitivity.samples:,} weight samples, seed {evaluation.sensitivity.seed}, concentration "
    f"{evaluation.sensitivity.concentration:g}, each scored with {method_name}, the method of the ranking; "
    "only assessed, eligible vendors can rank."
)
if not evaluation.result.segments:
    st.info("This workspace has no vendors yet.")
    st.stop()

segments = list(evaluation.result.segments)
for segment, holder in ui.segment_tabs(segments, key="sensitivity-tabs"):
    with holder:
        st.markdown(ui.headline(evaluation, segment))
        eligible = {v.id: evaluation.sensitivity.vendors[v.id].rank_probabilities
                    for v in segment.vendors if v.ranked}  # fmt: skip
        intervals = {v.id: evaluation.sensitivity.vendors[v.id].score_interval for v in segment.vendors}
        left, right = st.columns(2)
        with left:
            st.plotly_chart(charts.rank_probability_chart(segment, eligible), key=f"ranks-{segment.name}")
        with right:
            st.plotly_chart(
                charts.interval_chart(segment, intervals, evaluation.result.method),
                key=f"intervals-{segment.name}",
            )
        frame = stability_table(evaluation, segment)
        st.dataframe(
            frame, column_config=stability_config(evaluation.result), hide_index=True,
            key=f"stability-{segment.name}",
        )  # fmt: skip

        st.subheader("What would change the leader")
        criteria, categories, steady = flip_sentences(evaluation, segment)
        if not criteria and not categories:
            leader = segment.leader.name if segment.leader else None
            st.markdown(wording.no_flip_sentence(len(eligible), leader, esc=ui.md))
        else:
            if categories:
                st.markdown("**Category weights**\n" + "\n".join(f"- {line}" for line in categories))
            if criteria:
                st.markdown(
                    "**Criterion weights** (nearest first)\n" + "\n".join(f"- {line}" for line in criteria)
                )
            if steady:
                st.caption(f"{steady} criteria cannot change the leader on their own, whatever their weight.")
            rows = [
                (name, f.weight, f.leader_changes_at)
                for f, name in (
                    (f, ui.criterion_names(evaluation.result)[f.id])
                    for f in evaluation.sensitivity.segment_flips(segment.name)[:15]
                )
            ]
            st.plotly_chart(charts.flip_chart(rows), key=f"flips-{segment.name}")
