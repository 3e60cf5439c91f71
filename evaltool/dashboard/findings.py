"""Due diligence on the dashboard: the tier in the sidebar, the findings on Overview and Vendor detail.

The tier and the findings come from :mod:`evaltool.diligence`, their words from :mod:`evaltool.wording`;
text from the files is escaped before a Markdown element shows it and shown as text in tables.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd
import streamlit as st

from evaltool import wording
from evaltool.dashboard.escape import md
from evaltool.diligence import findings, tier_for, tier_of
from evaltool.models import Catalog, Profile
from evaltool.scoring import ScoreResult, VendorResult
from evaltool.workspace import Workspace


def tier_caption(catalog: Catalog, profile: Profile | None) -> None:
    """The due-diligence tier of the chosen profile, and why, under the sidebar's choices."""
    choice = tier_for(catalog, profile)
    if catalog.due_diligence is None:
        return
    name = choice.name if choice is not None else None
    why = choice.why if choice is not None else None
    profile_id = profile.id if profile is not None else None
    st.caption(md(wording.tier_sentence(name, why, profile_id) + "."))


def segment_captions(workspace: Workspace, segments: Sequence[str]) -> None:
    """Which profile and due-diligence tier each segment uses when every segment takes its own profile."""
    own = workspace.segment_profiles()
    lines = []
    for segment in segments:
        profile = own.get(segment)
        tier = tier_for(workspace.catalog, profile)
        lines.append(wording.segment_profile_sentence(segment, profile, None if tier is None else tier.name))
    if lines:
        st.caption("  \n".join(md(line) + "." for line in lines))


def findings_frame(result: ScoreResult, vendors: Sequence[VendorResult]) -> pd.DataFrame:
    """One row per finding: vendor, finding, criterion, detail."""
    rows = [
        {
            "Vendor": v.name,
            "Finding": wording.finding_label(f.kind),
            "Criterion": f.criterion or "",
            "Detail": f.message,
        }
        for v in vendors
        for f in findings(v, result)
    ]
    return pd.DataFrame(rows, columns=["Vendor", "Finding", "Criterion", "Detail"])


def show_findings(result: ScoreResult, vendors: Sequence[VendorResult], key: str) -> None:
    """The due-diligence findings of these vendors as a table, or a line saying there are none."""
    if all(tier_of(result, s.name) is None for s in result.segments):
        return
    frame = findings_frame(result, vendors)
    st.markdown("**Due-diligence findings**")
    if frame.empty:
        st.caption("No due-diligence findings.")
    else:
        st.dataframe(frame, hide_index=True, key=key)
