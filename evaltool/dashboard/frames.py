"""Tables the pages show, as DataFrames with their column settings; st.dataframe shows text as text.

Builders are plain pandas so that tests can check the numbers; :func:`show_table` adds the colours
(decision cells, differences) and hands the frame to Streamlit.

The browser prints the numbers with the columns' printf formats, which round differently from Python.
So every number shown with a fixed count of decimals is put in the frame already rounded by
:mod:`evaltool.fmt` to exactly those decimals (``%g`` where the count varies): the browser then prints
the same text as the report and the CLI.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import pandas as pd
import streamlit as st

from evaltool import fmt
from evaltool.dashboard import ui
from evaltool.evaluation import Evaluation
from evaltool.models import Criterion
from evaltool.scoring import ScoreResult, SegmentResult, VendorResult
from evaltool.serialize import RELATIVE_GRADING, relative_grading
from evaltool.wording import DECISION_TEXT

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


def score_value(result: ScoreResult, value: float) -> float:
    """A score as its column shows it: rounded to the method's decimals (see :func:`score_column`)."""
    return fmt.rounded(value, fmt.score_digits(result.method))


def score_format(result: ScoreResult, sign: str = "") -> str:
    """The printf format of a score column: WSM points with one decimal, TOPSIS closeness with three."""
    return f"%{sign}.{fmt.score_digits(result.method)}f"


def score_column(result: ScoreResult, title: str = "Score") -> Any:
    """A progress bar 0-100 (WSM) or 0-1 (TOPSIS) with the number printed (values from score_value)."""
    top = 100 if result.method == "wsm" else 1
    return st.column_config.ProgressColumn(title, min_value=0, max_value=top, format=score_format(result))


def share_value(share: float | None) -> float | None:
    """A share (0..1) as its whole-percent column shows it (see :func:`percent_column`)."""
    return None if share is None else fmt.percent(share, 0)


def percent_column(title: str, help: str | None = None) -> Any:
    """A 0-100 % progress bar for values from :func:`share_value`."""
    return st.column_config.ProgressColumn(title, min_value=0, max_value=100, format="%.0f%%", help=help)


def weight_value(share: float) -> float:
    """A weight (0..1) as its column shows it: a percentage with one decimal (format "%.1f%%")."""
    return fmt.percent(share, 1)


def coverage_value(share: float) -> float:
    """Coverage as its column shows it ("%g%%"): the digits of :func:`evaltool.fmt.coverage`."""
    return fmt.percent(share, fmt.coverage_digits(share))


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
                "Score": score_value(result, v.score),
                "P(first)": share_value(stability.p_top if v.ranked else None),
                DECISION_COLUMN: rec.decision_text,
                "Ring": ring,
                "Eligibility": ui.eligibility(v),
                "Coverage": coverage_value(v.coverage),
                "Flags": flags(v, result.criteria),
                **{columns[c]: score_value(result, v.categories[c]) for c in columns},
            }
        )
    digits = score_format(result)
    config: Config = {
        "Rank": st.column_config.TextColumn("Rank", width="small", pinned=True),
        "Vendor": st.column_config.TextColumn("Vendor", pinned=True),
        "Score": score_column(result),
        **{n: st.column_config.NumberColumn(n, format=digits, width="small") for n in columns.values()},
        "P(first)": percent_column(
            "P(first)", "Share of the weight samples in which the vendor ranks first (WSM)"
        ),
        "Coverage": st.column_config.NumberColumn(
            "Coverage", format="%g%%", help="Weight share of the criteria that have a score"
        ),
        "Eligibility": st.column_config.TextColumn("Eligibility", help="Failed gates are named"),
    }  # fmt: skip
    return pd.DataFrame(rows), config


def _decision_fill(value: object) -> str:
    for decision, text in DECISION_TEXT.items():
        if value == text:
            return f"background-color: {ui.DECISION_FILL[decision]}"
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
        parts.append(fmt.number(cell.raw, criterion.unit))
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
        row: dict[str, Any] = {"Criterion": k.name, "Weight": weight_value(result.weights.criteria[k.id])}
        row.update({f"{label} · grade": _grade_value(g) for label, g in zip(labels, grades, strict=True)})
        row.update({f"{label} · points": fmt.rounded(p, 2) for label, p in zip(labels, points, strict=True)})
        row["Gap (points)"] = fmt.rounded(max(points) - min(points), 2)
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
        config[f"{label} · grade"] = st.column_config.NumberColumn(f"{label} · grade", format="%g")
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
            f"**{ui.md(k.name)}** ({fmt.pct(result.weights.criteria[k.id])} of the weight): "
            f"{ui.md(top_label)} gains **{fmt.points(gap)}** points over {ui.md(low_label)} (grades: {grade})"
        )
    return lines


def _grade(value: float | None) -> str:
    return "not scored" if value is None else fmt.grade(value)


def _grade_value(value: float | None) -> float | None:
    """A 0..5 grade as its column ("%g") shows it: up to two decimals, as :func:`evaltool.fmt.grade`."""
    return None if value is None else fmt.rounded(value, 2)


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
                "Score": score_value(new.result, v.score),
                "Change": score_value(new.result, v.score - old.score),
                "P(first)": share_value(new.sensitivity.vendors[v.id].p_top if v.ranked else None),
                DECISION_COLUMN: new.recommendations[v.id].decision_text,
                "Was": f"{old.rank or '–'} ({ui.score_text(base.result, old.score)})",
            }
        )
    config: Config = {
        "Rank": st.column_config.TextColumn("Rank", width="small"),
        "Move": st.column_config.TextColumn("Move", width="small", help="Places gained (▲) or lost (▼)"),
        "Score": st.column_config.NumberColumn("Score", format=score_format(new.result)),
        "Change": st.column_config.NumberColumn(
            "Change", format=score_format(new.result, "+"), help="Score change vs the profile"
        ),
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


def weights_table(result: ScoreResult, new: ScoreResult) -> tuple[pd.DataFrame, Config]:
    """Category shares of the total under the profile and under the what-if."""
    rows = [
        {
            "Category": c.name,
            "Profile": weight_value(result.weights.categories[c.id]),
            "What-if": weight_value(new.weights.categories[c.id]),
            "Change": weight_value(new.weights.categories[c.id] - result.weights.categories[c.id]),
        }
        for c in result.catalog.categories
    ]
    config: Config = {
        "Profile": st.column_config.NumberColumn("Profile", format="%.1f%%"),
        "What-if": st.column_config.NumberColumn("What-if", format="%.1f%%"),
        "Change": st.column_config.NumberColumn("Change", format="%+.1f%%"),
    }
    return pd.DataFrame(rows), config


def stability_table(evaluation: Evaluation, segment: SegmentResult) -> tuple[pd.DataFrame, Config]:
    """Per vendor: score, P(first), P(top two) and the 90% score interval over the weight samples."""
    rows = []
    for v in segment.vendors:
        s = evaluation.sensitivity.vendors[v.id]
        rows.append(
            {
                "Rank": str(v.rank) if v.rank is not None else "–",
                "Vendor": ui.vendor_label(v),
                "Score": score_value(evaluation.result, v.score),
                "P(first)": share_value(s.p_top if v.ranked else None),
                "P(top two)": share_value(sum(s.rank_probabilities[:2]) if v.ranked else None),
                "90% interval": fmt.interval(*s.score_interval, evaluation.result.method),
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
            now, then = fmt.pct_pair(flip.weight, flip.leader_changes_at)
            verb = "rises" if flip.leader_changes_at > flip.weight else "falls"
            out[kind].append(
                f"**{ui.md(vendors[flip.leader])}** stays ahead unless the weight of "
                f"**{ui.md(names[flip.id])}** {verb} from {now} to {then}, "
                f"then {ui.md(vendors[flip.new_leader])} leads"
            )
    return out["criterion"], out["category"], steady


def rubric_text(criterion: Criterion, score: float | None, segment: str) -> str:
    """The rubric anchor(s) for a score; for a metric, how its value is graded in the segment."""
    if score is None:
        return ""
    if criterion.is_metric:
        g = criterion.grading_for(segment)
        if g is not None:
            return f"graded linearly: {fmt.number(g.best)} → 5, {fmt.number(g.worst)} → 0"
        return f"min-max: {RELATIVE_GRADING}"
    rubric = criterion.rubric or {}
    levels = sorted({math.floor(score), math.ceil(score)})
    texts = [f"{level}: {rubric[level]}" for level in levels if level in rubric]
    return " / ".join(texts) if texts else "no rubric text for this level"


def evidence_rows(result: ScoreResult, v: VendorResult) -> pd.DataFrame:
    """Every score of a vendor, one row per assessor entry: that assessor's own score and its rubric
    text, evidence and flags, beside the cell's median and the grade and points that follow from it."""
    category_of = {k.id: c.name for c in result.catalog.categories for k in c.criteria}
    failed = {g.criterion: f"✖ fails gate ({g.reason})" for g in v.gates if not g.passed}
    relative = relative_grading(result.criteria, v)
    rows = []
    for k in result.criteria:
        cell = v.cells[k.id]
        gate = [failed[k.id]] if k.id in failed else []
        shared = {
            "Unit": (k.unit or "") if k.is_metric else "of 5",
            "Median": cell.raw,
            "Grade": None if cell.grade is None else fmt.rounded(cell.grade, 2),
            "Points": fmt.rounded(cell.contribution, 2),
            "Weight": weight_value(result.weights.criteria[k.id]),
        }
        entries = cell.evidence or ()
        if not entries:
            rows.append({"Criterion": k.name, "Assessor": "", "Score": None, **shared, "Rubric": "",
                         "Evidence": "not scored", "Level": "", "Source": "", "Expires": "",
                         "Flags": "; ".join([*gate, "not scored"]),
                         "Category": category_of[k.id]})  # fmt: skip
        for e in entries:
            flags = list(gate)
            if e.stale:
                flags.append("⚠ expired")
            if cell.disagreement:
                flags.append(f"⚠ assessors disagree (spread {cell.spread:g})")
            if k.id in relative:
                flags.append("⚠ graded relative to the segment")
            rows.append(
                {
                    "Criterion": k.name,
                    "Assessor": e.assessor or "(single)",
                    "Score": e.given,
                    **shared,
                    "Rubric": rubric_text(k, e.given, v.segment),
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


def flag_rows(frame: pd.DataFrame) -> pd.DataFrame:
    """Red for a failed gate, amber for expired evidence, pink for disagreement, grey for unscored rows,
    pale yellow for grades relative to the segment's vendors."""
    cells: dict[tuple[int, str], str] = {}
    for position, flag in enumerate(frame["Flags"]):
        text = str(flag)
        colour = "#f5b7b1" if "fails gate" in text else "#fdebd0" if "expired" in text else ""
        colour = colour or ("#fadbd8" if "disagree" in text else "")
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
