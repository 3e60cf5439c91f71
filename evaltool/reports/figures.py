"""The report's charts: figures from charts.py, serialised once as JSON data for one plotly.js bundle.

Each figure becomes ``{"data", "layout"}``; the plotly template they share is stored once, so the HTML
grows by the data of a chart, not by a copy of plotly.js or of its styling per chart. The JSON goes into a
``<script type="application/json">`` block; plotly's encoder escapes ``<``, ``>`` and ``/``, so no text
from the YAML can close that block.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from evaltool import charts
from evaltool.evaluation import Evaluation
from evaltool.scoring import SegmentResult

FLIP_ROWS = 12  # the flip chart shows the nearest flip points; the appendix table lists them all


@dataclass(frozen=True)
class Chart:
    """A placeholder for one figure in the page."""

    id: str
    title: str
    height: int


def _segment_figures(evaluation: Evaluation, segment: SegmentResult, prefix: str) -> list[tuple[Chart, Any]]:
    result, sens = evaluation.result, evaluation.sensitivity
    eligible = [v for v in segment.vendors if v.ranked]
    probabilities = {v.id: sens.vendors[v.id].rank_probabilities for v in eligible}
    intervals = {v.id: sens.vendors[v.id].score_interval for v in segment.vendors}
    names = {k.id: k.name for k in result.criteria}
    flips = [
        (names[f.id], f.weight, f.leader_changes_at)
        for f in sens.segment_flips(segment.name)
        if f.leader_changes_at is not None
    ][:FLIP_ROWS]
    interval = charts.interval_chart(segment, intervals, result.method)
    ranking = "Score by category" if result.method == "wsm" else "Score"
    figures = [
        ("ranking", ranking, charts.ranking_chart(result, segment)),
        ("radar", "Category profile of the leading vendors", charts.radar_chart(result, segment)),
        ("heatmap", "Grades by criterion", charts.heatmap(result, segment)),
        ("ranks", "Rank probabilities", charts.rank_probability_chart(segment, probabilities)
            if eligible else charts.no_data(f"{segment.name}: no eligible vendor")),
        ("intervals", "Score intervals", interval),
        ("flips", "Flip points", charts.flip_chart(flips) if flips
            else charts.no_data(f"{segment.name}: no weight change alone changes the leader")),
    ]  # fmt: skip
    return [(_chart(f"{prefix}-{key}", title, fig), fig) for key, title, fig in figures]


def _chart(ident: str, title: str, fig: Any) -> Chart:
    return Chart(ident, title, int(fig.layout.height or 420))


def build(evaluation: Evaluation, segments: list[SegmentResult]) -> tuple[Chart, list[list[Chart]], str]:
    """The weights chart, the charts of each segment, and the JSON of every figure.

    The JSON is ``{"template": {...}, "figures": {id: {"data": [...], "layout": {...}}}}``.
    """
    from plotly.io.json import to_json_plotly

    weights = charts.weights_chart(evaluation.result)
    pairs = [(_chart("fig-weights", "Effective weights", weights), weights)]
    per_segment = []
    for i, segment in enumerate(segments):
        figures = _segment_figures(evaluation, segment, f"fig-s{i + 1}")
        per_segment.append([chart for chart, _ in figures])
        pairs += figures
    template: Any = None
    specs: dict[str, Any] = {}
    for chart, fig in pairs:
        spec = fig.to_plotly_json()
        layout = dict(spec.get("layout", {}))
        own = layout.pop("template", None)
        if template is None:
            template = own
        if own is not None and own != template:
            layout["template"] = own  # a figure with other styling keeps its own
        specs[chart.id] = {"data": spec.get("data", []), "layout": layout}
    payload = to_json_plotly({"template": template, "figures": specs})
    return pairs[0][0], per_segment, payload
