"""Downloads: the report and the scorecard for the current profile, segment and method, as the CLI writes."""

from __future__ import annotations

from collections.abc import Callable

import streamlit as st

from evaltool.dashboard import data, exports, ui
from evaltool.defaults import DEFAULT_CONCENTRATION, DEFAULT_SAMPLES, DEFAULT_SEED
from evaltool.evaluation import Evaluation

ctx = ui.context()
st.title("Downloads")
ui.subtitle(ctx)

samples = int(st.session_state.get("sens-samples", DEFAULT_SAMPLES))
seed = int(st.session_state.get("sens-seed", DEFAULT_SEED))
concentration = float(st.session_state.get("sens-concentration", DEFAULT_CONCENTRATION))
evaluation = data.evaluation(
    ctx.loaded, ctx.selection, samples=samples, seed=seed, concentration=concentration
)
segment = ctx.selection.segment
st.caption(
    f"For {ui.md(segment) if segment else 'every segment'}, with {samples:,} weight samples (seed {seed}, "
    f"concentration {concentration:g}). Each file is built when you click, from the numbers on screen; it is "
    "the same file the command shown writes (only the generation time differs)."
)


def _builder(evaluation: Evaluation, segment: str | None, key: str) -> Callable[[], bytes]:
    return lambda: exports.content(evaluation, segment, key)


for fmt in exports.FORMATS:
    with st.container(border=True):
        text, button = st.columns([3, 1], vertical_alignment="center")
        with text:
            st.markdown(f"**{fmt.title}** · {fmt.about}")
            command = exports.cli_command(evaluation, segment, fmt.key, ctx.selection.profile)
            st.code(command, language=None, wrap_lines=True)
        name = exports.file_name(evaluation, segment, fmt.key)
        button.download_button(
            f"Download .{fmt.key}",
            data=_builder(evaluation, segment, fmt.key),
            file_name=name,
            mime=fmt.mime,
            on_click="ignore",
            key=f"download-{fmt.key}",
            icon=":material/download:",
            type="primary" if fmt.key in ("html", "xlsx") else "secondary",
            width="stretch",
        )
        button.caption(name)
