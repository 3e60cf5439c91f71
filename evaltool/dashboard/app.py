"""Entry point of the dashboard (`evaltool dashboard` runs `streamlit run` on this file): navigation only.

Sign-in first when configured; an invalid workspace gets a single page listing its problems; otherwise the
sidebar (drawn here, in the entrypoint, so that its choices survive page switches) and the pages.

The pages live in `views/`, not `pages/`: a `pages/` folder beside the entrypoint switches Streamlit into its
legacy directory-based navigation on the first run of every session (and on every AppTest run), which wraps
this file in a second navigation and drops the sidebar's widgets.
"""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from evaltool.dashboard import data, ui

VIEWS = Path(__file__).resolve().parent / "views"

# a sidebar wide enough for a profile's full name and id in its select box
st.set_page_config(
    page_title="evaltool: technology evaluation", page_icon="📊", layout="wide", initial_sidebar_state=400
)

if not ui.signed_in():
    st.stop()


def _page(file: str, title: str, icon: str, url: str | None = None) -> st.Page:
    return st.Page(VIEWS / file, title=title, icon=f":material/{icon}:", url_path=url, default=url is None)


loaded = data.load()
if loaded.workspace is None:
    page = st.navigation([_page("problems.py", "Workspace problems", "error")], position="hidden")
else:
    ui.sidebar(loaded)
    page = st.navigation(
        {
            "Decide": [
                _page("overview.py", "Overview", "leaderboard"),
                _page("compare.py", "Compare", "compare_arrows", "compare"),
                _page("what_if.py", "What-if", "tune", "what-if"),
                _page("sensitivity.py", "Sensitivity", "ssid_chart", "sensitivity"),
            ],
            "Drill down": [
                _page("vendor.py", "Vendor detail", "storefront", "vendor"),
                _page("radar.py", "Technology radar", "radar", "radar"),
                _page("decisions.py", "Decisions", "gavel", "decisions"),
                _page("history.py", "History", "history", "history"),
                _page("traceability.py", "Traceability", "policy", "traceability"),
            ],
            "Share": [_page("downloads.py", "Downloads", "download", "downloads")],
        }
    )
page.run()
