"""Compare 2-4 vendors of a segment: category profile, side-by-side scores, and criterion by criterion."""

from __future__ import annotations

import streamlit as st

from evaltool import charts, wording
from evaltool.dashboard import ui
from evaltool.dashboard.frames import comparison
from evaltool.dashboard.table_style import comparison_config, grade_highlight, show_table

ctx = ui.context()
st.title("Compare vendors")
ui.subtitle(ctx)

segment = ui.pick_segment(ctx, key="compare-segment")
if segment is None:
    st.stop()
if len(segment.vendors) < 2:
    only = segment.vendors[0]
    st.info(
        f"{ui.md(only.name)} is the only vendor assessed in {ui.md(segment.name)}: nothing to compare "
        "it with yet. Its scores are on the Vendor detail page."
    )
    st.stop()

names = {v.id: wording.vendor_label(v) for v in segment.vendors}
chosen = st.multiselect(
    "Vendors to compare (2 to 4)",
    list(names),
    default=[v.id for v in segment.vendors[: min(3, len(segment.vendors))]],
    format_func=names.__getitem__,
    max_selections=4,
    key=f"compare-vendors-{segment.name}",
)
if len(chosen) < 2:
    st.warning("Pick at least two vendors.")
    st.stop()

radar_tab, bars_tab = st.tabs(["Category profile", "Category scores side by side"])
with radar_tab:
    st.plotly_chart(charts.radar_chart(ctx.result, segment, chosen), key="compare-radar")
with bars_tab:
    st.plotly_chart(charts.category_bars(ctx.result, segment, chosen), key="compare-bars")

frame, gaps = comparison(ctx.result, segment, chosen)
config = comparison_config(frame)
st.subheader("Where they differ most")
if gaps:
    st.markdown("\n".join(f"- {line}" for line in gaps))
else:
    st.write("They score alike on every criterion.")

st.subheader("Criterion by criterion")
only_diff = st.toggle("Only criteria where the grades differ", key="compare-only-diff")
order = st.radio(
    "Order", ["catalog order", "biggest difference first"], horizontal=True, key="compare-order",
    label_visibility="collapsed",
)  # fmt: skip
if only_diff:
    frame = frame[frame["Spread"] > 0]
if order == "biggest difference first":
    frame = frame.sort_values("Gap (points)", ascending=False, kind="stable")
st.caption(
    "Grade 0-5 (metric values graded onto 0-5), points = contribution to the WSM total (weight × grade). "
    "Per criterion, the best grade is green and the worst red where they differ."
)
show_table(frame.reset_index(drop=True), config, key="compare-table", highlight=grade_highlight, height=560)
