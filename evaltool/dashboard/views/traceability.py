"""Traceability: which vendor has evidenced which clause of one framework (docs/scoring.md#traceability)."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from evaltool import trace, wording
from evaltool.dashboard import ui

# cell colours by status, strongest (green) to weakest (red); a status is read from its code, not its words
FILLS = {
    "poc": "#63BE7B",
    "verified": "#A9D08E",
    "documented": "#E2EFDA",
    "claimed": "#FFEB84",
    "stale": "#F4B183",
    "missing": "#F8696B",
}
EVIDENCED = ("poc", "verified", "documented")

ctx = ui.context()
st.title("Traceability")
ui.subtitle(ctx)
st.caption(
    "For each clause of the framework: the criteria that cite it and how strongly each vendor has evidenced "
    "it, the weakest over those criteria and their assessors. From strongest to weakest: "
    + ", ".join(wording.trace_status_text(s) for s in trace.STATUSES)
    + "."
)

frameworks = {f.id: f for f in ctx.result.catalog.frameworks}
if not frameworks:
    st.info("The catalog declares no frameworks: list them under `frameworks` and cite them in `references`.")
    st.stop()
chosen = st.selectbox(
    "Framework", list(frameworks), format_func=lambda i: f"{i}: {frameworks[i].name}", key="trace-framework"
)
url = frameworks[chosen].url
if url is not None and trace.is_web_address(url):
    st.link_button(f"Official text of {ui.md(chosen)}", url)
segment = ui.pick_segment(ctx, "trace-segment")
if segment is None:
    st.stop()

matrix = trace.build(ctx.result, [segment.name], chosen)
if not matrix.rows:
    st.info(f"No criterion of the catalog cites {ui.md(chosen)}.")
    st.stop()
columns = st.columns(min(len(matrix.vendors), 4) or 1)
for i, vendor in enumerate(matrix.vendors):
    evidenced = sum(row.vendors[vendor.id] in EVIDENCED for row in matrix.rows)
    columns[i % len(columns)].metric(
        vendor.name, f"{evidenced} of {len(matrix.rows)}", help="Clauses documented, verified or PoC-proven"
    )
codes = pd.DataFrame([{v.name: row.vendors[v.id] for v in matrix.vendors} for row in matrix.rows])
frame = pd.DataFrame(
    [
        {"Clause": row.clause, "Criteria": ", ".join(row.criteria)}
        | {v.name: wording.trace_status_text(row.vendors[v.id]) for v in matrix.vendors}
        for row in matrix.rows
    ]
)


def _fills(shown: pd.DataFrame) -> pd.DataFrame:
    css = pd.DataFrame("", index=shown.index, columns=shown.columns)
    for name in codes.columns:
        css[name] = [f"background-color: {FILLS[code]}" for code in codes[name]]
    return css


st.dataframe(
    frame.style.apply(_fills, axis=None),
    hide_index=True,
    key="trace-table",
    height=min(700, 38 + 35 * len(frame)),
)
