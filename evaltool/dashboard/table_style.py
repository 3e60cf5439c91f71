"""How the dashboard's tables look: Streamlit column settings, colours, and the one call that shows a frame.

The frames come from :mod:`evaltool.dashboard.frames`. Colours key on the codes the frames carry in their
hidden code columns (a decision, a row's weightiest flag, places gained), never on the words shown, so a
change of wording cannot lose a colour. The printf formats match the digits the frames are rounded to.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from typing import Any

import pandas as pd
import streamlit as st

from evaltool import fmt
from evaltool.dashboard.frames import (
    CODE_COLUMNS,
    DECISION_CODE,
    DECISION_COLUMN,
    FLAG_CODE,
    PLACES,
    category_columns,
)
from evaltool.scoring import ScoreResult

Config = dict[str, Any]
DECISION_FILL = {
    "proceed": "#d5f5e3", "conditional": "#fdebd0", "do-not-proceed": "#fadbd8", "not-assessed": "#eaecee",
}  # fmt: skip
FLAG_FILL = {
    "fails-gate": "#f5b7b1", "expired": "#fdebd0", "disagree": "#fadbd8", "not-scored": "#eaecee",
    "relative": "#fef9e7",
}  # fmt: skip
BEST, WORST = "background-color: #d5f5e3; font-weight: 600", "background-color: #fadbd8"
GAINED, LOST = "color: #1e8449; font-weight: 700", "color: #c0392b; font-weight: 700"


def score_format(result: ScoreResult, sign: str = "") -> str:
    """The printf format of a score column: WSM points with one decimal, TOPSIS closeness with three."""
    return f"%{sign}.{fmt.score_digits(result.method)}f"


def score_column(result: ScoreResult, title: str = "Score") -> Any:
    """A progress bar 0-100 (WSM) or 0-1 (TOPSIS) with the number printed (values from frames.score_value)."""
    top = 100 if result.method == "wsm" else 1
    return st.column_config.ProgressColumn(title, min_value=0, max_value=top, format=score_format(result))


def percent_column(title: str, help: str | None = None) -> Any:
    """A 0-100 % progress bar for values from frames.share_value."""
    return st.column_config.ProgressColumn(title, min_value=0, max_value=100, format="%.0f%%", help=help)


def leaderboard_config(result: ScoreResult, frame: pd.DataFrame | None = None) -> Config:
    """The leaderboard's columns (frames.leaderboard); given the frame, its text columns as wide as their
    text, so that no decision, eligibility or flag is cut however many vendors there are."""
    digits = score_format(result)
    fitted = {
        column: st.column_config.TextColumn(column, width=fit_width(frame, column))
        for column in (DECISION_COLUMN, "Ring", "Flags")
        if frame is not None and column in frame.columns
    }
    return {
        **fitted,
        "Rank": st.column_config.TextColumn("Rank", width="small", pinned=True),
        "Vendor": st.column_config.TextColumn("Vendor", pinned=True),
        "Score": score_column(result),
        # no fixed width: the grid sizes each column to its header, so a long category name is not cut
        **{n: st.column_config.NumberColumn(n, format=digits) for n in category_columns(result).values()},
        "P(first)": percent_column(
            "P(first)",
            "Share of the weight samples in which the vendor ranks first (scored with the ranking's method)",
        ),
        "Coverage": st.column_config.NumberColumn(
            "Coverage", format="%g%%", help="Weight share of the criteria that have a score"
        ),
        "Eligibility": st.column_config.TextColumn(
            "Eligibility",
            help="Failed gates are named",
            width=fit_width(frame, "Eligibility") if frame is not None else None,
        ),
    }


# The grid sizes a column to the rows it has drawn so far, so a long text further down is cut. These widths
# hold the widest text of the column: 8.5 px a character is above the grid's 14 px Source Sans average,
# plus its 8 px cell padding on each side (tests/test_dashboard_browser.py measures the result in Chromium).
CHAR_PX, CELL_PADDING_PX = 8.5, 16


def fit_width(frame: pd.DataFrame, column: str) -> int:
    """A column width in pixels that holds the column's title and its longest text."""
    longest = max([len(column), *(len(str(x)) for x in frame[column])])
    return math.ceil(CHAR_PX * longest) + CELL_PADDING_PX


def radar_config(frame: pd.DataFrame) -> Config:
    """The radar table's columns (frames.radar_table), each as wide as its text."""
    return {
        column: st.column_config.TextColumn(column, width=fit_width(frame, column))
        for column in frame.columns
        if column not in CODE_COLUMNS
    }


def comparison_config(frame: pd.DataFrame) -> Config:
    """The comparison's columns (frames.comparison): a grade and a points column per vendor."""
    config: Config = {
        "Criterion": st.column_config.TextColumn("Criterion", pinned=True),
        "Weight": st.column_config.NumberColumn(
            "Weight", format="%.1f%%", help="Effective weight in the total"
        ),
        "Gap (points)": st.column_config.NumberColumn("Gap (points)", format="%.2f"),
        "Spread": None,
    }
    for column in frame.columns:
        if column.endswith(" · grade"):
            config[column] = st.column_config.NumberColumn(column, format="%g")
        elif column.endswith(" · points"):
            config[column] = st.column_config.NumberColumn(column, format="%.2f")
    return config


def whatif_config(result: ScoreResult) -> Config:
    """The what-if ranking's columns (frames.whatif_table)."""
    return {
        "Rank": st.column_config.TextColumn("Rank", width="small"),
        "Move": st.column_config.TextColumn("Move", width="small", help="Places gained (▲) or lost (▼)"),
        "Score": st.column_config.NumberColumn("Score", format=score_format(result)),
        "Change": st.column_config.NumberColumn(
            "Change", format=score_format(result, "+"), help="Score change vs the profile"
        ),
        "Was": st.column_config.TextColumn("Was", help="Rank (score) under the profile's own weights"),
        "P(first)": percent_column(
            "P(first)", "Share of weight samples around the what-if weights in which the vendor ranks first"
        ),
    }


WEIGHTS_CONFIG: Config = {
    "Profile": st.column_config.NumberColumn("Profile", format="%.1f%%"),
    "What-if": st.column_config.NumberColumn("What-if", format="%.1f%%"),
    "Change": st.column_config.NumberColumn("Change", format="%+.1f%%"),
}


def stability_config(result: ScoreResult) -> Config:
    """The rank-stability table's columns (frames.stability_table)."""
    return {
        "Score": score_column(result),
        "P(first)": percent_column("P(first)"),
        "P(top two)": percent_column("P(top two)"),
        "90% interval": st.column_config.TextColumn(
            "90% interval", help="5th to 95th percentile of the score over the weight samples"
        ),
    }


EVIDENCE_CONFIG: Config = {
    "Criterion": st.column_config.TextColumn("Criterion", pinned=True),
    "Weight": st.column_config.NumberColumn("Weight", format="%.1f%%", help="Effective weight in the total"),
    "Score": st.column_config.NumberColumn(
        "Score", format="%.6g", help="This assessor's score (metric: the value measured)"
    ),
    "Median": st.column_config.NumberColumn(
        "Median", format="%.6g", help="Median over the assessors; the grade and points follow from it"
    ),
    "Grade": st.column_config.NumberColumn("Grade", format="%.2f", help="0-5 grade used by WSM"),
    "Points": st.column_config.NumberColumn("Points", format="%.2f", help="Contribution to the WSM total"),
    "Rubric": st.column_config.TextColumn("Rubric (level of the score)", width="large"),
    "Evidence": st.column_config.TextColumn("Evidence", width="large"),
    "Source": st.column_config.TextColumn("Source", width="medium"),
}


def css_grid(frame: pd.DataFrame, cells: Mapping[tuple[int, str], str]) -> pd.DataFrame:
    """A frame of CSS strings the shape of `frame`, with the given (row position, column) cells set."""
    out = pd.DataFrame("", index=frame.index, columns=frame.columns)
    for (row, column), css in cells.items():
        out.iloc[row, list(frame.columns).index(column)] = css
    return out


def decision_fills(frame: pd.DataFrame) -> pd.DataFrame:
    """Each decision cell filled with its decision's colour, read from the hidden decision code."""
    cells = {
        (position, DECISION_COLUMN): f"background-color: {DECISION_FILL[code]}"
        for position, code in enumerate(frame[DECISION_CODE])
    }
    return css_grid(frame, cells)


def grade_highlight(frame: pd.DataFrame) -> pd.DataFrame:
    """Per criterion of a comparison, the best grade green and the worst red where they differ."""
    grade_columns = [c for c in frame.columns if c.endswith(" · grade")]
    cells: dict[tuple[int, str], str] = {}
    for position in range(len(frame)):
        values = {c: frame.iloc[position][c] for c in grade_columns}
        known = {c: float(x) for c, x in values.items() if pd.notna(x)}
        if len(known) < 2 or max(known.values()) == min(known.values()):
            continue
        best, worst = max(known.values()), min(known.values())
        for column, value in known.items():
            if value == best:
                cells[(position, column)] = BEST
            elif value == worst:
                cells[(position, column)] = WORST
    return css_grid(frame, cells)


def move_colours(frame: pd.DataFrame) -> pd.DataFrame:
    """Green for places gained, red for places lost (from the hidden places-gained column)."""
    cells: dict[tuple[int, str], str] = {}
    for position, places in enumerate(frame[PLACES]):
        if places:
            cells[(position, "Move")] = GAINED if places > 0 else LOST
    return css_grid(frame, cells)


def flag_rows(frame: pd.DataFrame) -> pd.DataFrame:
    """Red for a failed gate, amber for expired evidence, pink for disagreement, grey for unscored rows,
    pale yellow for grades relative to the segment's vendors (the row's weightiest flag code)."""
    cells: dict[tuple[int, str], str] = {}
    for position, code in enumerate(frame[FLAG_CODE]):
        if code:
            for column in ("Criterion", "Evidence", "Expires", "Flags"):
                cells[(position, column)] = f"background-color: {FLAG_FILL[code]}"
    return css_grid(frame, cells)


def show_table(
    frame: pd.DataFrame,
    config: Config | None = None,
    *,
    key: str,
    highlight: Callable[[pd.DataFrame], pd.DataFrame] | None = None,
    height: int | None = None,
) -> None:
    """Show a frame: decisions coloured, an optional highlight (a frame of CSS strings), no index, and the
    code columns hidden."""
    styler = frame.style
    if DECISION_CODE in frame.columns:
        styler = styler.apply(decision_fills, axis=None)
    if highlight is not None:
        styler = styler.apply(highlight, axis=None)
    hidden = {column: None for column in CODE_COLUMNS if column in frame.columns}
    st.dataframe(
        styler,
        column_config={**(config or {}), **hidden},
        hide_index=True,
        key=key,
        height=height if height else "auto",
    )
