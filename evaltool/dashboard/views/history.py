"""History: scores, ranks and suggested rings over the commits that touched criteria/ or vendors/.

Each commit is read with git (never touching the working tree) and evaluated once per profile, method,
segment and sampling settings: the result is cached on the commit id, which names its content for good.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import streamlit as st

from evaltool import charts, history, wording
from evaltool.dashboard import ui
from evaltool.models import Method


@st.cache_data(max_entries=2000, show_spinner=False)
def _snapshot(
    top: str, prefix: str, sha: str, profile: str | None, method: Method, segment: str | None,
    samples: int, seed: int, concentration: float,
) -> history.Snapshot:  # fmt: skip
    repo = history.Repo(Path(top), prefix)
    return history.snapshot(
        repo, sha, profile, method, segment, samples=samples, seed=seed, concentration=concentration
    )


def _label(c: history.Commit) -> str:
    return f"{c.short} · {c.date.date().isoformat()} · {c.subject}"


ctx = ui.context()
st.title("History")
ui.subtitle(ctx)
st.caption(
    "Scores, ranks and suggested rings at each commit that changed criteria/ or vendors/, oldest first, "
    "with the weights, method and segment chosen in the sidebar. Hover a point for the commit's date and "
    "message. Each commit is read from git; the working tree is not touched."
)
source, _ = ctx.loaded.valid()
try:
    repo = history.find_repo(Path(source.root))
except history.RevisionError as exc:
    st.info(f"No history to show: {ui.md(str(exc))}.")
    st.stop()

limit = st.number_input(
    "Commits to show (the most recent)", min_value=2, max_value=500, value=history.DEFAULT_COMMITS,
    key="history-commits",
)  # fmt: skip
commits = list(reversed(history.commits(repo, int(limit))))
if not commits:
    st.info("No commit has changed criteria/ or vendors/ yet.")
    st.stop()

chosen, settings = ctx.selection, ctx.evaluation.sensitivity
snapshots = []
progress = st.progress(0.0, text="Reading the commits…")
for i, c in enumerate(commits):
    snap = _snapshot(
        str(repo.top), repo.prefix, c.sha, chosen.profile, chosen.method, chosen.segment,
        int(settings.samples), int(settings.seed), float(settings.concentration),
    )  # fmt: skip
    snapshots.append(snap)
    progress.progress((i + 1) / len(commits), text=f"Read {i + 1} of {len(commits)} commits")
progress.empty()
for snap in snapshots:
    if snap.problem is not None:
        st.caption(f"{snap.commit.short}: not scored, {ui.md(snap.problem)}")

now = history.points(ctx.evaluation)
names = list(dict.fromkeys([p.segment for p in now] + [p.segment for s in snapshots for p in s.points]))
if not names:
    st.info("No vendor at any of these commits.")
    st.stop()
segment = names[0] if len(names) == 1 else st.selectbox("Segment", names, key="history-segment")
method = ctx.result.method
st.plotly_chart(charts.history_chart(snapshots, segment, "score", method), key="history-scores")
st.plotly_chart(charts.history_chart(snapshots, segment, "rank", method), key="history-ranks")

st.subheader("Suggested ring at each commit")
rings: dict[str, dict[str, str]] = {}
for snap in snapshots:
    for p in snap.points:
        if p.segment == segment:
            rings.setdefault(p.name, {})[snap.commit.short] = wording.ring_text(p.ring)
table = pd.DataFrame.from_dict(rings, orient="index").reindex(columns=[s.commit.short for s in snapshots])
st.dataframe(table.fillna(""), key="history-rings")

st.subheader("Moved ring since a revision")
since = st.selectbox(
    "Since", list(range(len(commits))), format_func=lambda i: _label(commits[i]), index=0, key="history-since"
)
moved = history.moved_rings(snapshots[since], [p for p in now if p.segment == segment])
if snapshots[since].problem is not None:
    st.warning(f"{commits[since].short} could not be scored: {ui.md(snapshots[since].problem or '')}")
elif not moved:
    st.success(f"No vendor of {ui.md(segment)} moved ring since {commits[since].short}.")
else:
    rows = [
        {"Vendor": p.name, "Ring then": wording.ring_text(then) if then else "not there",
         "Ring now": wording.ring_text(p.ring)}
        for p, then in moved
    ]  # fmt: skip
    st.dataframe(pd.DataFrame(rows), hide_index=True, key="history-moved")
