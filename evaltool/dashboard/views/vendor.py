"""Vendor detail: facts, recommendation and PoC plan, and every score with its rubric text and evidence."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from evaltool import fmt, wording
from evaltool.dashboard import ui
from evaltool.dashboard.findings import show_findings
from evaltool.dashboard.frames import FLAG_CODE, evidence_rows, gates_table, unscored_text
from evaltool.dashboard.table_style import EVIDENCE_CONFIG, flag_rows, show_table
from evaltool.serialize import relative_grading, relative_sentence

ctx = ui.context()
st.title("Vendor detail")
ui.subtitle(ctx)

vendors = ctx.result.vendors()
if not vendors:
    st.info("This workspace has no vendors yet: add vendors/<id>.yaml files.")
    st.stop()
labels = {v.id: f"{v.name} · {v.segment}" for v in vendors}
vendor_id = st.selectbox("Vendor", list(labels), format_func=labels.__getitem__, key="vendor-detail")
v = ctx.result.vendor(vendor_id)
rec = ui.rec_of(ctx.evaluation, v.id)
stability = ctx.evaluation.sensitivity.vendors[v.id]
segment = ctx.result.segment(v.segment)
facts = v.vendor

st.header(ui.md(v.name))
kind = f" · {facts.kind}" if facts.kind else ""
website = f" · {ui.md(facts.website)}" if facts.website else ""
st.caption(f"{ui.md(v.segment)}{kind}{website}")
if facts.summary:
    st.markdown(ui.md(facts.summary))

eligible_count = sum(x.ranked for x in segment.vendors)
cols = st.columns(5)
cols[0].metric("Rank", f"{v.rank} of {eligible_count}" if v.rank is not None else "not ranked")
cols[1].metric("Score", fmt.score(v.score, ctx.result.method))
cols[2].metric("First in", fmt.pct(stability.p_top, 0) if v.ranked else "—", help="Share of weight samples")
cols[3].metric("Coverage", fmt.coverage(v.coverage), help="Weight share of the criteria that have a score")
cols[4].metric("Eligible", "yes" if v.eligible else "no", help=ui.md(wording.status_text(v)))
if unscored_text(v.coverage):
    st.caption(f'{unscored_text(v.coverage).capitalize()}: the criteria marked "not scored" below.')

# --- recommendation ------------------------------------------------------------------------------------
st.subheader("Recommendation")
box = {"proceed": st.success, "conditional": st.warning, "do-not-proceed": st.error, "not-assessed": st.info}[
    rec.decision
]
lines = [f"**{wording.decision_label(rec.decision)}**: " + ui.md("; ".join(rec.reasons))]
if rec.gaps:
    lines.append("To close first:\n" + "\n".join(f"- {ui.md(g)}" for g in rec.gaps))
box("\n\n".join(lines))
declared = f" Ring declared in the file: {wording.ring_label(facts.radar)}." if facts.radar else ""
st.markdown(f"Suggested radar ring: **{wording.ring_label(rec.ring)}** ({ui.md(rec.ring_reason)}).{declared}")
show_findings(ctx.result, [v], key="vendor-findings")

if v.stale:
    st.warning(
        "Expired evidence: "
        + "; ".join(
            f"{ui.md(ui.criterion_names(ctx.result)[c.criterion])} (expired "
            + ", ".join(e.expires.isoformat() for e in c.evidence if e.stale and e.expires)
            + ")"
            for c in v.stale
        ),
        icon=":material/schedule:",
    )
if v.disagreements:
    st.warning(
        "Assessors disagree by 2 points or more: "
        + "; ".join(
            f"{ui.md(ui.criterion_names(ctx.result)[c.criterion])} ("
            + ", ".join(f"{ui.md(e.assessor)} {e.given:g}" for e in c.evidence if e.given is not None)
            + ")"
            for c in v.disagreements
        ),
        icon=":material/groups:",
    )

relative = relative_grading(ctx.result.criteria, v)
if relative:
    st.warning(
        ui.md(relative_sentence([k for k in ctx.result.criteria if k.id in relative])),
        icon=":material/compare_arrows:",
    )

st.subheader("PoC plan")
plan = rec.plan
if plan is None:
    st.write("No PoC proposed for this vendor.")
else:
    status = f" · PoC {wording.poc_stage(plan.stage)}" if plan.stage else ""
    owner = f" · owner {ui.md(plan.owner)}" if plan.owner else ""
    st.markdown(f"Timebox **{plan.timebox_weeks} weeks**{status}{owner}")
    st.dataframe(
        pd.DataFrame(
            [{"Success criterion": c.metric, "Target": c.target, "How measured": c.method, "From": c.source,
              "Result": c.result or "", "Outcome": c.outcome}
             for c in plan.checks]
        ),
        hide_index=True, key="vendor-poc",
        column_config={"Target": st.column_config.TextColumn("Target", width="large")},
    )  # fmt: skip
    with st.expander("Conditions to keep throughout the PoC"):
        st.markdown("\n".join(f"- {ui.md(g)}" for g in plan.exit_gates))
if rec.poc_notes:  # which PoC results moved the scores and the decision
    st.markdown("**What the PoC measured**\n\n" + "\n".join(f"- {ui.md(n)}" for n in rec.poc_notes))

left, right = st.columns([1, 1], gap="large")
with left:
    st.subheader("Facts")
    if facts.facts:
        st.dataframe(
            pd.DataFrame({"Fact": list(facts.facts), "Value": [fmt.fact(x) for x in facts.facts.values()]}),
            hide_index=True, key="vendor-facts",
        )  # fmt: skip
    else:
        st.write("No facts recorded.")
with right:
    st.subheader("Gates")
    if v.gates:
        st.dataframe(gates_table(ctx.result, v), hide_index=True, key="vendor-gates")
    else:
        st.write("No gates apply under this profile.")

st.subheader("Every score and its evidence")
by_category = ", ".join(f"{ui.md(c.name)} {fmt.score(v.categories[c.id], ctx.result.method)}"
                        for c in ctx.result.catalog.categories)  # fmt: skip
st.caption(f"Category scores: {by_category}")
frame = evidence_rows(ctx.result, v)
if st.toggle("Only flagged scores (failing a gate, expired, disagreeing, not scored)", key="vendor-flagged"):
    frame = frame[frame[FLAG_CODE] != ""].reset_index(drop=True)
    if frame.empty:
        st.success(
            "Nothing flagged: no failed gate, expired evidence, disagreement or missing score.",
            icon=":material/check_circle:",
        )
if not frame.empty:
    show_table(frame, EVIDENCE_CONFIG, key="vendor-evidence", highlight=flag_rows, height=600)
