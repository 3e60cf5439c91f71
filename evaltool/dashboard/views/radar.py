"""Technology radar: adopt / trial / assess / hold, by segment, each vendor in its suggested ring."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from evaltool import charts
from evaltool.dashboard import ui
from evaltool.dashboard.frames import show_table

ctx = ui.context()
st.title("Technology radar")
ui.subtitle(ctx)
st.caption(
    "Each vendor sits in the ring the recommendation rules suggest; one slice per segment. Hover a point for "
    "its score, decision and the ring declared in its file."
)

points = []
rows = []
for v in ctx.result.vendors():
    rec = ui.rec_of(ctx.evaluation, v.id)
    declared = v.vendor.radar or "none"
    hover = (
        f"<b>{ui.plain(v.name)}</b><br>{ui.plain(v.segment)}<br>score {ui.score_text(ctx.result, v.score)}"
        f"<br>{rec.decision_text}<br>suggested: {rec.ring} ({ui.plain(rec.ring_reason)})"
        f"<br>declared: {declared}"
    )
    points.append((v.name, v.segment, rec.ring, hover))
    rows.append(
        {
            "Segment": v.segment,
            "Vendor": v.name,
            "Suggested ring": ui.RING_TEXT[rec.ring],
            "Declared ring": ui.RING_TEXT.get(v.vendor.radar or "", "—"),
            "Why": rec.ring_reason,
            "Decision": rec.decision_text,
        }
    )

if not points:
    st.info("This workspace has no vendors yet: add vendors/<id>.yaml files.")
    st.stop()
st.plotly_chart(charts.technology_radar(points), key="radar-chart")
counts = {ring: sum(r["Suggested ring"] == ui.RING_TEXT[ring] for r in rows) for ring in ui.RING_TEXT}
cols = st.columns(4)
for col, (ring, count) in zip(cols, counts.items(), strict=True):
    col.metric(ui.RING_TEXT[ring], count)
show_table(pd.DataFrame(rows), key="radar-table", height=min(700, 38 + 35 * len(rows)))
