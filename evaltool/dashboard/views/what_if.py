"""What-if: move the weights, see the ranking change live against the profile; save them as a profile."""

from __future__ import annotations

import math

import streamlit as st

from evaltool import charts, fmt, wording
from evaltool.dashboard import data, ui, whatif
from evaltool.dashboard.frames import weights_table, whatif_table
from evaltool.dashboard.table_style import WEIGHTS_CONFIG, move_colours, show_table, whatif_config
from evaltool.errors import OutputError

ctx = ui.context()
catalog = ctx.workspace.catalog
st.title("What if priorities change?")
ui.subtitle(ctx)
if ctx.result.uniform:  # one profile for every segment in view: the sliders start from it
    focus, start = ctx.selection.segment, ctx.result
else:  # each segment its own profile: the sliders start from the chosen segment's
    st.caption(wording.whatif_one_segment())
    picked = ui.pick_segment(ctx, key="whatif-segment")
    if picked is None:
        st.stop()
    focus, start = picked.name, ctx.result.for_segment(picked.name)
base = start.weights
base_profile = start.profile
defaults = whatif.baseline(base).categories
scope = base_profile.id if base_profile is not None else data.CATALOG
generation = st.session_state.setdefault("whatif-generation", 0)
prefix = f"wi-{generation}-{scope}"
pins_key = f"{prefix}-pins"
pins: dict[str, float] = st.session_state.setdefault(pins_key, {})


def _reset() -> None:
    """Forget every moved slider of this profile: new widget keys come back at the profile's weights."""
    old = f"wi-{st.session_state['whatif-generation']}-"
    for key in [k for k in st.session_state if str(k).startswith(old)]:
        del st.session_state[key]
    st.session_state["whatif-generation"] += 1


def _pin(criterion: str, key: str, default: float) -> None:
    """Remember a criterion slider that moved (only one category's sliders are on screen at a time)."""
    stored = st.session_state.setdefault(pins_key, {})
    value = st.session_state[key]
    if abs(value - default) < 1e-9:
        stored.pop(criterion, None)
    else:
        stored[criterion] = value / 100.0


st.caption(
    "Move a weight and the ranking is recomputed at once; arrows and changes are against the profile's own "
    "weights. Nothing is saved unless you ask for it below."
)

controls, results = st.columns([1, 2], gap="large")
with controls:
    st.subheader("Category weights")
    st.button("Reset to the profile's weights", on_click=_reset, key="whatif-reset", icon=":material/undo:")
    categories: dict[str, float] = {}
    top = float(min(100, max(50, 10 * math.ceil(1.5 * max(defaults.values()) / 10))))
    for category in catalog.categories:
        default = fmt.rounded(defaults[category.id], 1)
        value = st.slider(
            ui.md(category.name), min_value=0.0, max_value=top, value=default, step=0.1, format="%.1f",
            key=f"{prefix}-cat-{category.id}", persist_state="session",
        )  # fmt: skip
        categories[category.id] = defaults[category.id] if value == default else value
    st.caption("Relative weights: they are re-normalised so the categories add up to 100%.")

    with st.expander("Adjust a criterion within its category", expanded=bool(pins)):
        names = {c.id: c.name for c in catalog.categories}
        chosen = st.selectbox(
            "Category", list(names), format_func=names.__getitem__, key=f"{prefix}-crit-cat"
        )
        st.caption(
            "Share of the category; the category's other criteria share the rest in their proportions."
        )
        for k in next(c for c in catalog.categories if c.id == chosen).criteria:
            default = fmt.percent(base.within[k.id], 1)
            key = f"{prefix}-crit-{k.id}"
            st.slider(
                ui.md(k.name), min_value=0.0, max_value=100.0, value=default, step=0.5, format="%.1f%%",
                key=key, persist_state="session", on_change=_pin, args=(k.id, key, default),
            )  # fmt: skip
        if pins:
            criterion_names = ui.criterion_names(ctx.result)
            st.caption(
                "Adjusted: "
                + "; ".join(
                    f"{ui.md(criterion_names[k])} {fmt.pct(s)} of its category" for k, s in pins.items()
                )
            )

adjustment = whatif.Adjustment(categories, dict(pins))
with results:
    try:
        new = data.whatif_evaluation(
            ctx.loaded, ctx.selection, adjustment, ctx.evaluation, start=scope, segment=focus
        )
    except ValueError as exc:
        st.error(f"These weights cannot be scored: {exc}.")
        st.stop()
    st.subheader("Leaders under these weights")
    changed, kept = [], []
    for segment in new.result.segments:
        old_leader, leader = ctx.result.segment(segment.name).leader, segment.leader
        name = ui.md(segment.name)
        if leader is None:
            changed.append(f"{name}: no eligible vendor")
        elif old_leader is None or old_leader.id != leader.id:
            was = ui.md(old_leader.name) if old_leader is not None else "nobody"
            score = fmt.score(leader.score, new.result.method)
            changed.append(f"{name}: **{ui.md(leader.name)}** now leads with {score} (was {was})")
        else:
            kept.append(f"{name}: {ui.md(leader.name)} ({fmt.score(leader.score, new.result.method)})")
    if changed:
        st.warning("\n".join(f"- {line}" for line in changed), icon=":material/swap_vert:")
    if kept:
        box = st.info if changed else st.success
        box("Still leading: " + "; ".join(kept) + ".", icon=":material/check_circle:")
    segments = list(new.result.segments)
    for segment, holder in ui.segment_tabs(segments, key="whatif-tabs"):
        with holder:
            frame = whatif_table(ctx.evaluation, new, segment.name)
            show_table(frame, whatif_config(new.result), key=f"whatif-{segment.name}", highlight=move_colours)
            before = ctx.result.segment(segment.name)
            figure = charts.score_change_chart(before, segment, wsm=new.result.method == "wsm")
            st.plotly_chart(figure, key=f"whatif-chart-{segment.name}")
    st.caption(f"P(first) under the what-if weights rests on {new.sensitivity.samples:,} weight samples.")
    with st.expander("Category weights: profile and what-if"):
        weights = weights_table(start, new.result)
        st.dataframe(weights, hide_index=True, key="whatif-weights", column_config=WEIGHTS_CONFIG)

st.divider()
st.subheader("Save these weights as a new profile")
st.caption(
    "Writes `criteria/profiles/<id>.yaml`, a new file next to the other profiles (an existing one is never "
    "overwritten). Gates are those of the current profile. Weights you did not move keep the values the "
    "profile wrote; moved ones are written on the same scale. Review it in git like any other change."
)
id_col, name_col, button_col = st.columns([1, 2, 1], vertical_alignment="bottom")
new_id = id_col.text_input("Profile id", placeholder="e.g. exit-heavy", key="whatif-save-id")
new_name = name_col.text_input("Name", placeholder="e.g. Exit and lock-in first", key="whatif-save-name")
hiding = bool(ctx.selection.hidden)  # a profile saved from a view without some categories would lose them
if hiding:
    st.caption("Saving is off while categories are hidden (sidebar): the profile would lose their weights.")
if button_col.button(
    "Save as profile", type="primary", key="whatif-save", icon=":material/save:", disabled=hiding
):
    try:
        path = whatif.save_profile(ctx.workspace, base_profile, adjustment, new_id, new_name)
    except OutputError as exc:
        st.error(f"Not saved: {ui.md(exc)}")
    else:
        relative = path.relative_to(ctx.workspace.root).as_posix()
        st.success(f"Saved {relative}. Choose it in the sidebar's Profile list.", icon=":material/task_alt:")
