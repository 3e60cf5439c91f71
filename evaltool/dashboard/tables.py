"""Tables the pages show, as DataFrames with their column settings; st.dataframe shows text as text.

Builders are plain pandas so that tests can check the numbers; :func:`show_table` adds the colours
(decision cells, differences) and hands the frame to Streamlit.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import pandas as pd
import streamlit as st

from evaltool.dashboard import ui
from evaltool.evaluation import Evaluation
from evaltool.models import Criterion
from evaltool.scoring import Cell, ScoreResult, SegmentResult, VendorResult
from evaltool.serialize import RELATIVE_GRADING, relative_grading

Config = dict[str, Any]
DECISION_COLUMN = "Decision"


def _unique(names: Sequence[str]) -> list[str]:
    seen: dict[str, int] = {}
    out = []
    for name in names:
        seen[name] = seen.get(name, 0) + 1
        out.append(name if seen[name] == 1 else f"{name} ({seen[name]})")
    return out


def category_columns(result: ScoreResult) -> dict[str, str]:
    """Category id -> column title (the category's name, made unique)."""
    ids = [c.id for c in result.catalog.categories]
    return dict(zip(ids, _unique([c.name for c in result.catalog.categories]), strict=True))


def score_column(result: ScoreResult, title: str = "Score") -> Any:
    """A progress bar 0-100 (WSM) or 0-1 (TOPSIS) with the number printed."""
    if result.method == "wsm":
        return st.column_config.ProgressColumn(title, min_value=0, max_value=100, format="%.1f")
    return st.column_config.ProgressColumn(title, min_value=0, max_value=1, format="%.3f")


def percent_column(title: str, help: str | None = None) -> Any:
    """A 0-100 % progress bar."""
    return st.column_config.ProgressColumn(title, min_value=0, max_value=100, format="%.0f%%", help=help)


def flags(v: VendorResult, criteria: Sequence[Criterion]) -> str:
    """Stale evidence, assessor disagreement and grades relative to the segment's vendors, in words."""
    out = []
    if v.stale:
        out.append(f"⚠ expired evidence ×{len(v.stale)}")
    if v.disagreements:
        out.append(f"⚠ assessors disagree ×{len(v.disagreements)}")
    relative = relative_grading(criteria, v)
    if relative:
        out.append(f"⚠ graded relative to the segment ×{len(relative)}")
    return "; ".join(out)


def leaderboard(evaluation: Evaluation, segment: SegmentResult) -> tuple[pd.DataFrame, Config]:
    """A row per vendor: rank, score, P(first), decision, ring, eligibility, coverage, category scores."""
    result = evaluation.result
    columns = category_columns(result)
    rows = []
    for v in segment.vendors:
        rec = evaluation.recommendations[v.id]
        stability = evaluation.sensitivity.vendors[v.id]
        ring = ui.RING_TEXT[rec.ring]
        if v.vendor.radar and v.vendor.radar != rec.ring:
            ring += f" (declared {v.vendor.radar})"
        rows.append(
            {
                "Rank": str(v.rank) if v.rank is not None else "–",
                "Vendor": v.name,
                "Score": v.score,
                "P(first)": 100.0 * stability.p_top if v.eligible else None,
                DECISION_COLUMN: rec.decision_text,
                "Ring": ring,
                "Eligibility": ui.eligibility(v),
                "Coverage": 100.0 * v.coverage,
                "Flags": flags(v, result.criteria),
                **{columns[c]: v.categories[c] for c in columns},
            }
        )
    digits = "%.1f" if result.method == "wsm" else "%.3f"
    config: Config = {
        "Rank": st.column_config.TextColumn("Rank", width="small", pinned=True),
        "Vendor": st.column_config.TextColumn("Vendor", pinned=True),
        "Score": score_column(result),
        **{n: st.column_config.NumberColumn(n, format=digits, width="small") for n in columns.values()},
        "P(first)": percent_column(
            "P(first)", "Share of the weight samples in which the vendor ranks first (WSM)"
        ),
        "Coverage": st.column_config.NumberColumn(
            "Coverage", format="%.0f%%", help="Weight share of the criteria that have a score"
        ),
        "Eligibility": st.column_config.TextColumn("Eligibility", help="Failed gates are named"),
    }  # fmt: skip
    return pd.DataFrame(rows), config


def _decision_fill(value: object) -> str:
    for decision, text in (("proceed", "proceed to PoC"), ("conditional", "conditional")):
        if value == text:
            return f"background-color: {ui.DECISION_FILL[decision]}"
    if value == "do not proceed":
        return f"background-color: {ui.DECISION_FILL['do-not-proceed']}"
    return ""


def show_table(
    frame: pd.DataFrame,
    config: Config | None = None,
    *,
    key: str,
    highlight: Callable[[pd.DataFrame], pd.DataFrame] | None = None,
    height: int | None = None,
) -> None:
    """Show a frame: decisions coloured, an optional highlight (a frame of CSS strings), no index."""
    styler = frame.style
    if DECISION_COLUMN in frame.columns:
        styler = styler.map(_decision_fill, subset=[DECISION_COLUMN])
    if highlight is not None:
        styler = styler.apply(highlight, axis=None)
    st.dataframe(
        styler, column_config=config or {}, hide_index=True, key=key, height=height if height else "auto"
    )


def css_grid(frame: pd.DataFrame, cells: Mapping[tuple[int, str], str]) -> pd.DataFrame:
    """A frame of CSS strings the shape of `frame`, with the given (row position, column) cells set."""
    out = pd.DataFrame("", index=frame.index, columns=frame.columns)
    for (row, column), css in cells.items():
        out.iloc[row, list(frame.columns).index(column)] = css
    return out


def evidence_text(result: ScoreResult, v: VendorResult, criterion_id: str) -> str:
    """A cell's value (metric), evidence and level in one line, every assessor's entry."""
    cell = v.cells[criterion_id]
    criterion = next(k for k in result.criteria if k.id == criterion_id)
    parts = []
    if criterion.is_metric and cell.raw is not None:
        parts.append(f"{cell.raw:,.6g} {criterion.unit or ''}".strip())
    for e in cell.evidence:
        if e.evidence or e.level:
            text = e.evidence or ""
            if e.level:
                text += f" ({e.level})" if text else e.level
            parts.append(("⚠ expired: " if e.stale else "") + text)
    if cell.raw is None:
        parts.append("not scored")
    return " · ".join(parts)


def comparison(
    result: ScoreResult, segment: SegmentResult, vendor_ids: Sequence[str]
) -> tuple[pd.DataFrame, Config, Callable[[pd.DataFrame], pd.DataFrame], list[str]]:
    """The criterion table of a few vendors, its highlighter, and the biggest differences in words."""
    vendors = [v for v in segment.vendors if v.id in vendor_ids]
    labels = _unique([v.name for v in vendors])
    category_of = {k.id: c.name for c in result.catalog.categories for k in c.criteria}
    rows = []
    for k in result.criteria:
        grades = [v.cells[k.id].grade for v in vendors]
        points = [v.cells[k.id].contribution for v in vendors]
        known = [g for g in grades if g is not None]
        row: dict[str, Any] = {"Criterion": k.name, "Weight": 100.0 * result.weights.criteria[k.id]}
        row.update({f"{label} · grade": g for label, g in zip(labels, grades, strict=True)})
        row.update({f"{label} · points": p for label, p in zip(labels, points, strict=True)})
        row["Gap (points)"] = max(points) - min(points)
        row["Spread"] = (max(known) - min(known)) if len(known) > 1 else 0.0
        row.update(
            {
                f"{label} · evidence": evidence_text(result, v, k.id)
                for label, v in zip(labels, vendors, strict=True)
            }
        )
        row["Category"] = category_of[k.id]
        rows.append(row)
    frame = pd.DataFrame(rows)
    config: Config = {
        "Criterion": st.column_config.TextColumn("Criterion", pinned=True),
        "Weight": st.column_config.NumberColumn(
            "Weight", format="%.1f%%", help="Effective weight in the total"
        ),
        "Gap (points)": st.column_config.NumberColumn("Gap (points)", format="%.2f"),
        "Spread": None,
    }
    for label in labels:
        config[f"{label} · grade"] = st.column_config.NumberColumn(f"{label} · grade", format="%.2g")
        config[f"{label} · points"] = st.column_config.NumberColumn(f"{label} · points", format="%.2f")
    grade_columns = [f"{label} · grade" for label in labels]

    def highlight(shown: pd.DataFrame) -> pd.DataFrame:
        cells: dict[tuple[int, str], str] = {}
        for position in range(len(shown)):
            values = {c: shown.iloc[position][c] for c in grade_columns}
            known = {c: float(x) for c, x in values.items() if pd.notna(x)}
            if len(known) < 2 or max(known.values()) == min(known.values()):
                continue
            best, worst = max(known.values()), min(known.values())
            for column, value in known.items():
                if value == best:
                    cells[(position, column)] = "background-color: #d5f5e3; font-weight: 600"
                elif value == worst:
                    cells[(position, column)] = "background-color: #fadbd8"
        return css_grid(shown, cells)

    return frame, config, highlight, _differences(result, vendors, labels)


def _differences(result: ScoreResult, vendors: Sequence[VendorResult], labels: Sequence[str]) -> list[str]:
    """The five criteria that separate the vendors most, in points of the total (escaped Markdown)."""
    lines = []
    ranked = sorted(
        result.criteria,
        key=lambda k: -(max(v.cells[k.id].contribution for v in vendors)
                        - min(v.cells[k.id].contribution for v in vendors)),
    )  # fmt: skip
    for k in ranked[:5]:
        by_points = sorted(zip(vendors, labels, strict=True), key=lambda p: -p[0].cells[k.id].contribution)
        (top, top_label), (low, low_label) = by_points[0], by_points[-1]
        gap = top.cells[k.id].contribution - low.cells[k.id].contribution
        if gap < 0.05:
            break
        grade = "; ".join(
            f"{ui.md(label)} {_grade(v.cells[k.id].grade)}" for v, label in zip(vendors, labels, strict=True)
        )
        lines.append(
            f"**{ui.md(k.name)}** ({result.weights.criteria[k.id]:.1%} of the weight): {ui.md(top_label)} "
            f"gains **{gap:.1f}** points over {ui.md(low_label)} (grades: {grade})"
        )
    return lines


def _grade(value: float | None) -> str:
    return "not scored" if value is None else f"{value:.2g}"


def _move(before: int | None, after: int | None) -> str:
    if before is None or after is None:
        return "—" if before == after else ("new" if before is None else "out")
    if after < before:
        return f"▲ {before - after}"
    if after > before:
        return f"▼ {after - before}"
    return "="


def whatif_table(base: Evaluation, new: Evaluation, segment: str) -> tuple[pd.DataFrame, Config]:
    """The what-if ranking of one segment with moves and score changes against the profile's ranking."""
    before = {v.id: v for v in base.result.segment(segment).vendors}
    rows = []
    for v in new.result.segment(segment).vendors:
        old = before[v.id]
        rows.append(
            {
                "Rank": str(v.rank) if v.rank is not None else "–",
                "Move": _move(old.rank, v.rank),
                "Vendor": v.name,
                "Score": v.score,
                "Change": v.score - old.score,
                "P(first)": 100.0 * new.sensitivity.vendors[v.id].p_top if v.eligible else None,
                DECISION_COLUMN: new.recommendations[v.id].decision_text,
                "Was": f"{old.rank or '–'} ({ui.score_text(base.result, old.score)})",
            }
        )
    digits = "%+.1f" if new.result.method == "wsm" else "%+.3f"
    config: Config = {
        "Rank": st.column_config.TextColumn("Rank", width="small"),
        "Move": st.column_config.TextColumn("Move", width="small", help="Places gained (▲) or lost (▼)"),
        "Score": st.column_config.NumberColumn("Score", format=digits.replace("+", "")),
        "Change": st.column_config.NumberColumn("Change", format=digits, help="Score change vs the profile"),
        "Was": st.column_config.TextColumn("Was", help="Rank (score) under the profile's own weights"),
        "P(first)": percent_column(
            "P(first)", "Share of weight samples around the what-if weights in which the vendor ranks first"
        ),
    }  # fmt: skip
    return pd.DataFrame(rows), config


def move_colours(frame: pd.DataFrame) -> pd.DataFrame:
    """Green for places gained, red for places lost."""
    cells: dict[tuple[int, str], str] = {}
    for position, move in enumerate(frame["Move"]):
        if str(move).startswith("▲"):
            cells[(position, "Move")] = "color: #1e8449; font-weight: 700"
        elif str(move).startswith("▼"):
            cells[(position, "Move")] = "color: #c0392b; font-weight: 700"
    return css_grid(frame, cells)


def weights_table(result: ScoreResult, new: ScoreResult) -> pd.DataFrame:
    """Category shares of the total under the profile and under the what-if."""
    rows = [
        {
            "Category": c.name,
            "Profile": 100.0 * result.weights.categories[c.id],
            "What-if": 100.0 * new.weights.categories[c.id],
            "Change": 100.0 * (new.weights.categories[c.id] - result.weights.categories[c.id]),
        }
        for c in result.catalog.categories
    ]
    return pd.DataFrame(rows)


def stability_table(evaluation: Evaluation, segment: SegmentResult) -> tuple[pd.DataFrame, Config]:
    """Per vendor: score, P(first), P(top two) and the 90% score interval over the weight samples."""
    rows = []
    for v in segment.vendors:
        s = evaluation.sensitivity.vendors[v.id]
        rows.append(
            {
                "Rank": str(v.rank) if v.rank is not None else "–",
                "Vendor": ui.vendor_label(v),
                "Score": v.score,
                "P(first)": 100.0 * s.p_top if v.eligible else None,
                "P(top two)": 100.0 * sum(s.rank_probabilities[:2]) if v.eligible else None,
                "90% interval": f"{s.score_interval[0]:.1f} – {s.score_interval[1]:.1f}",
            }
        )
    config: Config = {
        "Score": score_column(evaluation.result),
        "P(first)": percent_column("P(first)"),
        "P(top two)": percent_column("P(top two)"),
        "90% interval": st.column_config.TextColumn(
            "90% interval", help="5th to 95th percentile of the WSM score over the weight samples"
        ),
    }
    return pd.DataFrame(rows), config


def _share_pair(a: float, b: float) -> tuple[str, str]:
    """Two weights as percentages with just enough decimals to tell them apart."""
    for digits in (1, 2, 3):
        x, y = f"{a:.{digits}%}", f"{b:.{digits}%}"
        if x != y:
            return x, y
    return f"{a:.4%}", f"{b:.4%}"


def flip_sentences(
    evaluation: Evaluation, segment: SegmentResult, limit: int = 5
) -> tuple[list[str], list[str], int]:
    """Flip points in plain words (criteria nearest first, then categories), and how many never flip."""
    result = evaluation.result
    names = ui.criterion_names(result)
    vendors = {v.id: v.name for v in result.vendors()}
    out: dict[str, list[str]] = {"criterion": [], "category": []}
    steady = 0
    for kind in ("criterion", "category"):
        for flip in evaluation.sensitivity.segment_flips(segment.name, kind):
            if flip.leader_changes_at is None or flip.new_leader is None:
                steady += kind == "criterion"
                continue
            if len(out[kind]) >= limit:
                continue
            now, then = _share_pair(flip.weight, flip.leader_changes_at)
            verb = "rises" if flip.leader_changes_at > flip.weight else "falls"
            out[kind].append(
                f"**{ui.md(vendors[flip.leader])}** stays ahead unless the weight of "
                f"**{ui.md(names[flip.id])}** {verb} from {now} to {then}, "
                f"then {ui.md(vendors[flip.new_leader])} leads"
            )
    return out["criterion"], out["category"], steady


def rubric_text(criterion: Criterion, cell: Cell, segment: str) -> str:
    """The rubric anchor(s) for a cell's median score; for a metric, how its value was graded."""
    if cell.raw is None:
        return ""
    if criterion.is_metric:
        g = criterion.grading_for(segment)
        if g is not None:
            return f"graded linearly: {g.best:,.10g} → 5, {g.worst:,.10g} → 0"
        return f"min-max: {RELATIVE_GRADING}"
    rubric = criterion.rubric or {}
    levels = sorted({math.floor(cell.raw), math.ceil(cell.raw)})
    texts = [f"{level}: {rubric[level]}" for level in levels if level in rubric]
    return " / ".join(texts) if texts else "no rubric text for this level"


def evidence_rows(result: ScoreResult, v: VendorResult) -> pd.DataFrame:
    """Every score of a vendor, one row per assessor entry, with rubric text, evidence and flags."""
    category_of = {k.id: c.name for c in result.catalog.categories for k in c.criteria}
    relative = relative_grading(result.criteria, v)
    rows = []
    for k in result.criteria:
        cell = v.cells[k.id]
        shared = {
            "Criterion": k.name,
            "Score": cell.raw,
            "Unit": (k.unit or "") if k.is_metric else "of 5",
            "Grade": cell.grade,
            "Points": cell.contribution,
            "Weight": 100.0 * result.weights.criteria[k.id],
            "Rubric": rubric_text(k, cell, v.segment),
        }
        entries = cell.evidence or ()
        if not entries:
            rows.append({**shared, "Assessor": "", "Given": None, "Evidence": "not scored", "Level": "",
                         "Source": "", "Expires": "", "Flags": "not scored",
                         "Category": category_of[k.id]})  # fmt: skip
        for e in entries:
            flags = []
            if e.stale:
                flags.append("⚠ expired")
            if cell.disagreement:
                flags.append(f"⚠ assessors disagree (spread {cell.spread:g})")
            if k.id in relative:
                flags.append("⚠ graded relative to the segment")
            rows.append(
                {
                    **shared,
                    "Assessor": e.assessor or "(single)",
                    "Given": e.given,
                    "Evidence": e.evidence or ("not scored" if e.given is None else ""),
                    "Level": e.level or "",
                    "Source": e.source or "",
                    "Expires": e.expires.isoformat() if e.expires else "",
                    "Flags": "; ".join(flags),
                    "Category": category_of[k.id],
                }
            )
    return pd.DataFrame(rows)


EVIDENCE_CONFIG: Config = {
    "Criterion": st.column_config.TextColumn("Criterion", pinned=True),
    "Weight": st.column_config.NumberColumn("Weight", format="%.1f%%", help="Effective weight in the total"),
    "Score": st.column_config.NumberColumn(
        "Score", format="%.6g", help="Median over assessors (metric: value)"
    ),
    "Grade": st.column_config.NumberColumn("Grade", format="%.2f", help="0-5 grade used by WSM"),
    "Points": st.column_config.NumberColumn("Points", format="%.2f", help="Contribution to the WSM total"),
    "Rubric": st.column_config.TextColumn("Rubric (level of the score)", width="large"),
    "Given": st.column_config.NumberColumn("Given", format="%.6g", help="This assessor's score or value"),
    "Evidence": st.column_config.TextColumn("Evidence", width="large"),
    "Source": st.column_config.TextColumn("Source", width="medium"),
}


def flag_rows(frame: pd.DataFrame) -> pd.DataFrame:
    """Amber for expired evidence, pink for assessor disagreement, grey for unscored rows, pale yellow for
    grades relative to the segment's vendors."""
    cells: dict[tuple[int, str], str] = {}
    for position, flag in enumerate(frame["Flags"]):
        text = str(flag)
        colour = "#fdebd0" if "expired" in text else "#fadbd8" if "disagree" in text else ""
        colour = colour or ("#eaecee" if "not scored" in text else "#fef9e7" if "relative" in text else "")
        if colour:
            for column in ("Criterion", "Evidence", "Expires", "Flags"):
                cells[(position, column)] = f"background-color: {colour}"
    return css_grid(frame, cells)


def gates_table(result: ScoreResult, v: VendorResult) -> pd.DataFrame:
    """The vendor's gates: threshold, actual value and verdict."""
    names = ui.criterion_names(result)
    return pd.DataFrame(
        [
            {
                "Gate": names[g.criterion],
                "Result": "passed" if g.passed else "FAILED",
                "Detail": g.reason,
            }
            for g in v.gates
        ]
    )


def fact_text(value: object) -> str:
    """A free-form fact as text: lists joined, mappings as key: value."""
    if isinstance(value, list | tuple):
        return ", ".join(fact_text(x) for x in value)
    if isinstance(value, dict):
        return "; ".join(f"{k}: {fact_text(x)}" for k, x in value.items())
    return str(value)
