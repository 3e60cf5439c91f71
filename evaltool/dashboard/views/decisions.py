"""Decisions: the forum's decision log per segment, the record in force first, its conditions and dates."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import streamlit as st

from evaltool.dashboard import ui
from evaltool.decisions import SegmentDecision, decision_log

ctx = ui.context()
st.title("Decisions")
ui.subtitle(ctx)
st.caption(
    "The forum's decision records (decisions/*.yaml), newest first. A record is current while the inputs "
    "still hash to what the forum saw; `evaltool new decision --segment S` writes one bound to them."
)

if not ctx.segments:
    st.info("This workspace has no vendors yet: add vendors/<id>.yaml files.")
    st.stop()

prov = ctx.evaluation.provenance
as_of = dt.date.fromisoformat(prov.as_of)
names = {v.id: v.name for v in ctx.result.vendors()}


def _show(entry: SegmentDecision, key: str) -> None:
    status = ui.md(entry.status)
    if not entry.in_force:
        st.caption(f"Superseded: {status}")
    elif entry.current:
        st.success(f"In force: {status}", icon=":material/gavel:")
    else:
        st.warning(
            f"In force: {status}. The figures shown are not those the forum saw: `evaltool diff` shows what "
            "moved.",
            icon=":material/warning:",
        )
    details = [f"Decision {ui.md(entry.id)} of the {ui.md(entry.forum)}"]
    if entry.vendor:
        details.append(f"on {ui.md(entry.vendor)}")
    if entry.approvers:
        details.append("approved by " + ", ".join(ui.md(a) for a in entry.approvers))
    if entry.next_review:
        details.append(f"next review {entry.next_review}")
    st.markdown("; ".join(details) + ".")
    if entry.notes:
        st.markdown(ui.md(entry.notes))
    if entry.conditions:
        table = pd.DataFrame(
            [
                {
                    "Condition": c.text,
                    "Owner": c.owner,
                    "Due": c.due,
                    "State": "⚠ overdue" if c.overdue else c.state,
                }
                for c in entry.conditions
            ]
        )
        st.dataframe(table, hide_index=True, key=key, width="stretch")


for segment, holder in ui.segment_tabs(list(ctx.segments), key="decisions-tabs"):
    with holder:
        log = decision_log(ctx.workspace.decisions, segment.name, prov.input_sha256, as_of, names)
        if not log:
            st.info(f"{ui.md(segment.name)}: Proposed. The forum has no decision on record for this segment.")
        for i, entry in enumerate(log):
            _show(entry, key=f"decision-{segment.name}-{i}")
