"""What the dashboard's pages show, as plain pandas frames and lists of lines (no streamlit here).

Tests and benchmarks call exactly these builders; :mod:`evaltool.dashboard.table_style` holds the column
settings and colours the pages add. Sentences and labels come from :mod:`evaltool.wording`; a row's
decision, flag and move also sit in a hidden code column, so that colours key on the code, never on the
words shown.

The browser prints the numbers with the columns' printf formats, which round differently from Python.
So every number shown with a fixed count of decimals is put in the frame already rounded by
:mod:`evaltool.fmt` to exactly those decimals (``%g`` where the count varies): the browser then prints
the same text as the report and the CLI.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pandas as pd

from evaltool import fmt, wording
from evaltool.dashboard.escape import md, strong
from evaltool.evaluation import Evaluation
from evaltool.models import Criterion
from evaltool.scoring import ScoreResult, SegmentResult, VendorResult
from evaltool.serialize import RELATIVE_GRADING, relative_grading

DECISION_COLUMN = "Decision"
DECISION_CODE = "decision code"  # hidden: the decision's code (recommend.Decision), for its colour
FLAG_CODE = "flag code"  # hidden: the weightiest flag of an evidence row (see FLAGS), for its colour
PLACES = "places gained"  # hidden: places gained (negative: lost) under the what-if weights
CODE_COLUMNS = (DECISION_CODE, FLAG_CODE, PLACES)
FLAGS = ("fails-gate", "expired", "disagree", "not-scored", "relative")  # weightiest first


def _unique(names: Sequence[str]) -> list[str]:
    seen: dict[str, int] = {}
    out = []
    for name in names:
        seen[name] = seen.get(name, 0) + 1
        out.append(name if seen[name] == 1 else f"{name} ({seen[name]})")
    return out


def criterion_names(result: ScoreResult) -> dict[str, str]:
    """Criterion and category id -> name."""
    names = {k.id: k.name for k in result.criteria}
    names.update({c.id: c.name for c in result.catalog.categories})
    return names


def category_columns(result: ScoreResult) -> dict[str, str]:
    """Category id -> column title (the category's name, made unique)."""
    ids = [c.id for c in result.catalog.categories]
    return dict(zip(ids, _unique([c.name for c in result.catalog.categories]), strict=True))


def score_value(result: ScoreResult, value: float) -> float:
    """A score as its column shows it: rounded to the method's decimals (see table_style.score_column)."""
    return fmt.rounded(value, fmt.score_digits(result.method))


def share_value(share: float | None) -> float | None:
    """A share (0..1) as its whole-percent column shows it (see table_style.percent_column)."""
    return None if share is None else fmt.percent(share, 0)


def weight_value(share: float) -> float:
    """A weight (0..1) as its column shows it: a percentage with one decimal (format "%.1f%%")."""
    return fmt.percent(share, 1)


def coverage_value(share: float) -> float:
    """Coverage as its column shows it ("%g%%"): the digits of :func:`evaltool.fmt.coverage`."""
    return fmt.percent(share, fmt.coverage_digits(share))


def unscored_text(coverage: float) -> str:
    """How much of the weight has no score, in the coverage column's digits but never "0%" for some:
    "12% of the weight unscored (counts as 0)"; empty when everything is scored."""
    unscored = 1.0 - coverage
    if unscored <= 1e-12:
        return ""
    digits = next((d for d in (0, 1, 2) if fmt.percent(unscored, d) > 0), 3)
    share = fmt.pct(unscored, max(digits, fmt.coverage_digits(coverage)))
    return f"{share} of the weight unscored (counts as 0)"


def flags(v: VendorResult, criteria: Sequence[Criterion]) -> str:
    """Unscored weight, stale evidence, assessor disagreement and grades relative to the segment's
    vendors, in words."""
    words = wording.vendor_flags(v, len(relative_grading(criteria, v)))
    unscored = unscored_text(v.coverage)
    return "; ".join(f"⚠ {flag}" for flag in ([unscored] if unscored else []) + words)


def leaderboard(evaluation: Evaluation, segment: SegmentResult) -> pd.DataFrame:
    """A row per vendor: rank, score, P(first), decision, ring, eligibility, coverage, category scores."""
    result = evaluation.result
    columns = category_columns(result)
    rows = []
    for v in segment.vendors:
        rec = evaluation.recommendations[v.id]
        stability = evaluation.sensitivity.vendors[v.id]
        ring = wording.ring_label(rec.ring)
        if v.vendor.radar and v.vendor.radar != rec.ring:
            ring += f" (declared {wording.ring_text(v.vendor.radar)})"
        rows.append(
            {
                "Rank": str(v.rank) if v.rank is not None else "–",
                "Vendor": v.name,
                "Score": score_value(result, v.score),
                "P(first)": share_value(stability.p_top if v.ranked else None),
                DECISION_COLUMN: wording.decision_text(rec.decision),
                "Ring": ring,
                "Eligibility": wording.status_text(v),
                "Coverage": coverage_value(v.coverage),
                "Flags": flags(v, result.criteria),
                **{columns[c]: score_value(result, v.categories[c]) for c in columns},
                DECISION_CODE: rec.decision,
            }
        )
    return pd.DataFrame(rows)


def radar_table(evaluation: Evaluation) -> pd.DataFrame:
    """Every vendor with its suggested and declared ring, why, and its decision."""
    rows = []
    for v in evaluation.result.vendors():
        rec = evaluation.recommendations[v.id]
        rows.append(
            {
                "Segment": v.segment,
                "Vendor": v.name,
                "Suggested ring": wording.ring_label(rec.ring),
                "Declared ring": wording.ring_label(v.vendor.radar) if v.vendor.radar else "—",
                "Why": rec.ring_reason,
                DECISION_COLUMN: wording.decision_text(rec.decision),
                DECISION_CODE: rec.decision,
            }
        )
    return pd.DataFrame(rows)


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
            level = e.level if e.measured is None else f"poc, {wording.measured_on(e.measured)}"
            if level:
                text += f" ({level})" if text else level
            parts.append(("⚠ expired: " if e.stale else "") + text)
    if cell.raw is None:
        parts.append("not scored")
    return " · ".join(parts)


def comparison(
    result: ScoreResult, segment: SegmentResult, vendor_ids: Sequence[str]
) -> tuple[pd.DataFrame, list[str]]:
    """The criterion table of a few vendors (grade, points and evidence of each), and the biggest
    differences in words (escaped Markdown)."""
    vendors = [v for v in segment.vendors if v.id in vendor_ids]
    labels = _unique([v.name for v in vendors])
    category_of = {k.id: c.name for c in result.catalog.categories for k in c.criteria}
    weights = result.setup_of(segment.name).weights  # the segment's own profile
    rows = []
    for k in result.criteria:
        grades = [v.cells[k.id].grade for v in vendors]
        points = [v.cells[k.id].contribution for v in vendors]
        known = [g for g in grades if g is not None]
        row: dict[str, Any] = {"Criterion": k.name, "Weight": weight_value(weights.criteria[k.id])}
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
    return pd.DataFrame(rows), _differences(result, vendors, labels)


def _differences(result: ScoreResult, vendors: Sequence[VendorResult], labels: Sequence[str]) -> list[str]:
    """The five criteria that separate the vendors most, in points of the total (escaped Markdown)."""
    lines: list[str] = []
    if not vendors:
        return lines
    weights = result.setup_of(vendors[0].segment).weights  # vendors of one segment: its own profile
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
        grades = [(label, v.cells[k.id].grade) for v, label in zip(vendors, labels, strict=True)]
        lines.append(
            wording.difference_sentence(
                k.name,
                weights.criteria[k.id],
                (top_label, low_label),
                gap,
                grades,
                strong=strong,
                esc=md,
            )
        )
    return lines


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


def whatif_table(base: Evaluation, new: Evaluation, segment: str) -> pd.DataFrame:
    """The what-if ranking of one segment with moves and score changes against the profile's ranking."""
    before = {v.id: v for v in base.result.segment(segment).vendors}
    rows = []
    for v in new.result.segment(segment).vendors:
        old = before[v.id]
        rec = new.recommendations[v.id]
        rows.append(
            {
                "Rank": str(v.rank) if v.rank is not None else "–",
                "Move": _move(old.rank, v.rank),
                "Vendor": v.name,
                "Score": score_value(new.result, v.score),
                "Change": score_value(new.result, v.score - old.score),
                "P(first)": share_value(new.sensitivity.vendors[v.id].p_top if v.ranked else None),
                DECISION_COLUMN: wording.decision_text(rec.decision),
                "Was": f"{old.rank or '–'} ({fmt.score(old.score, base.result.method)})",
                DECISION_CODE: rec.decision,
                PLACES: old.rank - v.rank if old.rank is not None and v.rank is not None else 0,
            }
        )
    return pd.DataFrame(rows)


def weights_table(result: ScoreResult, new: ScoreResult) -> pd.DataFrame:
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
    return pd.DataFrame(rows)


def stability_table(evaluation: Evaluation, segment: SegmentResult) -> pd.DataFrame:
    """Per vendor: score, P(first), P(top two) and the 90% score interval over the weight samples."""
    rows = []
    for v in segment.vendors:
        s = evaluation.sensitivity.vendors[v.id]
        rows.append(
            {
                "Rank": str(v.rank) if v.rank is not None else "–",
                "Vendor": wording.vendor_label(v),
                "Score": score_value(evaluation.result, v.score),
                "P(first)": share_value(s.p_top if v.ranked else None),
                "P(top two)": share_value(sum(s.rank_probabilities[:2]) if v.ranked else None),
                "90% interval": fmt.interval(*s.score_interval, evaluation.result.method),
            }
        )
    return pd.DataFrame(rows)


def flip_sentences(
    evaluation: Evaluation, segment: SegmentResult, limit: int = 5
) -> tuple[list[str], list[str], int]:
    """Flip points in the words of every output (criteria nearest first, then categories; escaped
    Markdown, the leader and the weight in bold), and how many criteria never flip."""
    result = evaluation.result
    out: dict[str, list[str]] = {"criterion": [], "category": []}
    steady = 0
    for kind in ("criterion", "category"):
        for flip in evaluation.sensitivity.segment_flips(segment.name, kind):
            if flip.leader_changes_at is None or flip.new_leader is None:
                steady += kind == "criterion"
                continue
            if len(out[kind]) < limit:
                out[kind].append(wording.flip_text(flip, result, strong=strong, esc=md))
    return out["criterion"], out["category"], steady


def rubric_text(criterion: Criterion, score: float | None, segment: str) -> str:
    """The rubric anchor a score reaches (:func:`evaltool.wording.rubric_anchor`); for a metric, how its
    value is graded in the segment."""
    if score is None or not criterion.is_metric:
        return wording.rubric_anchor(criterion, score)
    g = criterion.grading_for(segment)
    if g is not None:
        return f"graded linearly: {fmt.number(g.best)} → 5, {fmt.number(g.worst)} → 0"
    return f"min-max: {RELATIVE_GRADING}"


def _flag_code(flags: Sequence[str]) -> str:
    """The weightiest of a row's flags, as the code its colour keys on ("" when none)."""
    return next((code for code in FLAGS if code in flags), "")


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
            "Weight": weight_value(result.setup_of(v.segment).weights.criteria[k.id]),
        }
        entries = cell.evidence or ()
        if not entries:
            codes = ["fails-gate"] * bool(gate) + ["not-scored"]
            rows.append({"Criterion": k.name, "Assessor": "", "Score": None, **shared, "Rubric": "",
                         "Evidence": "not scored", "Level": "", "Source": "", "Expires": "",
                         "Flags": "; ".join([*gate, "not scored"]),
                         "Category": category_of[k.id], FLAG_CODE: _flag_code(codes)})  # fmt: skip
        for e in entries:
            flags, codes = list(gate), ["fails-gate"] * bool(gate)
            if e.stale:
                flags.append("⚠ expired")
                codes.append("expired")
            if cell.disagreement:
                flags.append(f"⚠ assessors disagree (spread {cell.spread:g})")
                codes.append("disagree")
            if k.id in relative:
                flags.append("⚠ graded relative to the segment")
                codes.append("relative")
            if cell.raw is None:  # `criterion: null` in the file: counts as 0 (docs/scoring.md)
                flags.append("not scored")
                codes.append("not-scored")
            rows.append(
                {
                    "Criterion": k.name,
                    "Assessor": e.assessor or "(single)",
                    "Score": e.given,
                    **shared,
                    "Rubric": rubric_text(k, e.given, v.segment),
                    "Evidence": e.evidence or ("not scored" if e.given is None else ""),
                    "Level": (e.level or "")
                    if e.measured is None
                    else f"poc, {wording.measured_on(e.measured)}",
                    "Source": e.source or "",
                    "Expires": e.expires.isoformat() if e.expires else "",
                    "Flags": "; ".join(flags),
                    "Category": category_of[k.id],
                    FLAG_CODE: _flag_code(codes),
                }
            )
    return pd.DataFrame(rows)


def gates_table(result: ScoreResult, v: VendorResult) -> pd.DataFrame:
    """The vendor's gates: threshold, actual value and verdict."""
    names = criterion_names(result)
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
