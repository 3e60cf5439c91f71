"""Technology radar: adopt / trial / assess / hold, by segment, each vendor in its suggested ring."""

from __future__ import annotations

import streamlit as st

from evaltool import charts, fmt, wording
from evaltool.dashboard import ui
from evaltool.dashboard.frames import radar_table
from evaltool.dashboard.table_style import radar_config, show_table

ctx = ui.context()
st.title("Technology radar")
ui.subtitle(ctx)
st.caption(
    "Each vendor sits in the ring the recommendation rules suggest; one slice per segment. Hover a point for "
    "its score, decision and the ring declared in its file."
)

points = []
for v in ctx.result.vendors():
    rec = ui.rec_of(ctx.evaluation, v.id)
    declared = wording.ring_text(v.vendor.radar) if v.vendor.radar else "none"
    hover = (
        f"<b>{ui.plain(v.name)}</b><br>{ui.plain(v.segment)}<br>score {fmt.score(v.score, ctx.result.method)}"
        f"<br>{wording.decision_text(rec.decision)}<br>suggested: {wording.ring_text(rec.ring)} "
        f"({ui.plain(rec.ring_reason)})<br>declared: {declared}"
    )
    points.append((v.name, v.segment, rec.ring, hover))

if not points:
    st.info("This workspace has no vendors yet: add vendors/<id>.yaml files.")
    st.stop()
st.plotly_chart(charts.technology_radar(points), key="radar-chart")
rings = [ctx.evaluation.recommendations[v.id].ring for v in ctx.result.vendors()]
cols = st.columns(4)
for col, ring in zip(cols, charts.RINGS, strict=True):
    col.metric(wording.ring_label(ring), rings.count(ring))
table = radar_table(ctx.evaluation)
show_table(table, radar_config(table), key="radar-table", height=min(700, 38 + 35 * len(table)))
