"""The report's charts: figures from charts.py, serialised once as JSON data for one plotly.js bundle.

Each figure becomes ``{"data", "layout"}``; the plotly template they share is stored once, so the HTML
grows by the data of a chart, not by a copy of plotly.js or of its styling per chart. The JSON goes into a
``<script type="application/json">`` block; plotly's encoder escapes ``<``, ``>`` and ``/``, so no text
from the YAML can close that block.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from evaltool import charts
from evaltool.evaluation import Evaluation
from evaltool.scoring import ScoreResult, SegmentResult

FLIP_ROWS = 12  # the flip chart shows the nearest flip points; the appendix table lists them all


@dataclass(frozen=True)
class Chart:
    """A placeholder for one figure in the page."""

    id: str
    title: str
    height: int


def _segment_figures(evaluation: Evaluation, segment: SegmentResult, prefix: str) -> list[tuple[Chart, Any]]:
    result, sens = evaluation.result.for_segment(segment.name), evaluation.sensitivity  # its own weights
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
    name = segment.name
    figures = [
        ("ranking", f"{name}: {ranking.lower()}", charts.ranking_chart(result, segment)),
        ("radar", f"{name}: category profile of the leading vendors",
            charts.radar_chart(result, segment).update_layout(height=440)),
        ("heatmap", f"{name}: grades by criterion (0-5)", charts.heatmap(result, segment)),
        ("ranks", f"{name}: how likely each rank is when the weights vary",
            charts.rank_probability_chart(segment, probabilities).update_layout(height=340)
            if eligible else charts.no_data(f"{name}: no eligible vendor")),
        ("intervals", f"{name}: score range in 90 of 100 plausible weightings", interval),
        ("flips", f"{name}: how far a weight must move before the leader changes",
            charts.flip_chart(flips) if flips
            else charts.no_data(f"{name}: no weight change alone changes the leader")),
    ]  # fmt: skip
    return [(_chart(f"{prefix}-{key}", title, fig), fig) for key, title, fig in figures]


WIDTH = 700  # CSS pixels, within the printable width of a Letter or A4 page: a chart prints as laid out


def _chart(ident: str, title: str, fig: Any) -> Chart:
    """The placeholder of a figure whose title the page prints above it. The figure's own title is
    dropped, so it can never sit over the legend; the legend goes under the plot, and the
    figure grows by the rows it takes. The width is fixed, so printing lays nothing out again."""
    entries = sum(1 for trace in fig.data if trace.showlegend is not False and trace.name)
    shown = fig.layout.showlegend is not False and entries > 1 and not _polar(fig)
    rows = -(-entries // 2) if shown else 0
    bottom = 60 + 20 * rows if shown else 50
    height = int(fig.layout.height or 420) - 80 + 24 + bottom - 10
    fig.update_layout(title=None, width=WIDTH, height=height, margin={"t": 24, "b": bottom, "r": 24})
    if shown:
        fig.update_layout(
            legend={"orientation": "h", "yref": "container", "y": 0, "yanchor": "bottom",
                    "xref": "container", "x": 0, "font": {"size": 10}},
        )  # fmt: skip
    return Chart(ident, title, height)


def _polar(fig: Any) -> bool:
    return any(trace.type == "scatterpolar" for trace in fig.data)


def _weights_figures(result: ScoreResult, weightings: Sequence[Sequence[str]]) -> list[tuple[Chart, Any]]:
    """One effective-weights chart per weighting (the segments it serves): "fig-weights" alone, else
    "fig-weights-1", "fig-weights-2", ..."""
    parts = [result.for_segment(names[0]) for names in weightings if names] or [result]
    out = []
    for i, part in enumerate(parts):
        fig = charts.weights_bars(part)
        title = f"Effective weights ({part.profile_id or 'catalog weights'})"
        out.append((_chart("fig-weights" if len(parts) == 1 else f"fig-weights-{i + 1}", title, fig), fig))
    return out


def build(
    evaluation: Evaluation,
    segments: list[SegmentResult],
    *,
    together: bool = False,
    weightings: Sequence[Sequence[str]] = (),
) -> tuple[list[Chart], list[dict[str, Chart]], Chart | None, str]:
    """The weights chart of each weighting (the names of the segments it serves; none: the result's own),
    the charts of each segment by name, the heatmap of every segment's grades (``together``, the
    all-segments report: then no segment has its own) and the JSON of every figure.

    The JSON is ``{"template": {...}, "figures": {id: {"data": [...], "layout": {...}}}}``.
    """
    from plotly.io.json import to_json_plotly

    pairs = _weights_figures(evaluation.result, weightings)
    weights = [chart for chart, _ in pairs]
    per_segment = []
    for i, segment in enumerate(segments):
        figures = [
            (chart, fig)
            for chart, fig in _segment_figures(evaluation, segment, f"fig-s{i + 1}")
            if not (together and chart.id.endswith("-heatmap"))
        ]
        per_segment.append({chart.id.rsplit("-", 1)[1]: chart for chart, _ in figures})
        pairs += figures
    grades = None
    if together:
        heatmap = charts.heatmap_all(evaluation.result, segments)
        grades = _chart("fig-grades", "Grades by criterion (0-5), every segment", heatmap)
        pairs.append((grades, heatmap))
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
    return weights, per_segment, grades, payload
