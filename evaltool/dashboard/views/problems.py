"""Shown instead of every other page when the workspace has errors: each problem as `file:line: message`."""

from __future__ import annotations

import streamlit as st

from evaltool.dashboard import data
from evaltool.dashboard.ui import md

loaded = data.load()
errors = [p for p in loaded.problems if not p.warning]
warnings = [p for p in loaded.problems if p.warning]
where = loaded.source.root if loaded.source is not None else "the workspace"

st.title("The workspace has problems")
st.error(
    f"{len(errors)} problem{'s' if len(errors) != 1 else ''} must be fixed before the evaluation can be "
    "shown. Fix the files, then reload this page.",
    icon=":material/error:",
)
if data.forced_blind():  # the problems quote vendor files: a blind panel gets the count only
    st.caption("This dashboard serves a blind panel; `evaltool validate` lists the problems in a terminal.")
    st.stop()
st.caption(f"Workspace: {md(where)}. The same list comes from `evaltool validate` in a terminal.")
st.code("\n".join(str(p) for p in errors), language=None, wrap_lines=True)
if warnings:
    st.subheader("Warnings")
    st.code("\n".join(str(p) for p in warnings), language=None, wrap_lines=True)
