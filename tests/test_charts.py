"""Chart details a reader sees: tick labels that differ, category names that fit, one title per meaning.

Plotly draws in the browser, so these tests read the figure's settings and derive what it will print:
ticks sit at multiples of ``dtick`` from ``tick0`` and are printed with the d3 format ``tickformat``, which
for ``.N%`` prints like Python's ``format(value, ".N%")``.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from evaltool import charts
from evaltool.evaluation import evaluate
from evaltool.workspace import load_workspace

REPO = Path(__file__).resolve().parent.parent


def tick_labels(axis: object, low: float, high: float) -> list[str]:
    """The labels plotly prints on an axis between low and high (inclusive)."""
    step, start, form = axis.dtick, axis.tick0 or 0, axis.tickformat  # type: ignore[attr-defined]
    assert step, "a fixed tick step, so the labels can be derived"
    first = int((low - start) // step)
    values = [start + i * step for i in range(first, first + int((high - low) / step) + 3)]
    return [format(x, form) for x in values if low - 1e-12 <= x <= high + 1e-12]


@pytest.mark.parametrize(
    "rows",
    [
        # weights a little over 1% each: ".0%" printed "1% 2% 2% 2%" for 1.2%, 1.5%, 1.8%, 2.4%
        [("a", 0.012, 0.024), ("b", 0.015, 0.016), ("c", 0.018, 0.021)],
        [("a", 0.30, 0.31)],  # a narrow span far from 0
        [("a", 0.05, 0.40), ("b", 0.12, 0.02)],
        [("a", 0.0031, 0.0042)],
    ],
)
def test_flip_axis_tick_labels_are_all_different(rows: list[tuple[str, float, float]]) -> None:
    axis = charts.flip_chart(rows).layout.xaxis
    values = [r[1] for r in rows] + [r[2] for r in rows]
    labels = tick_labels(axis, min(values), max(values))
    assert len(labels) >= 2, labels
    assert len(set(labels)) == len(labels), labels


def test_flip_axis_prints_the_decimals_the_weights_need() -> None:
    axis = charts.flip_chart([("a", 0.012, 0.024), ("b", 0.015, 0.016)]).layout.xaxis
    assert tick_labels(axis, 0.012, 0.024) == ["1.2%", "1.4%", "1.6%", "1.8%", "2.0%", "2.2%", "2.4%"]


def test_radar_category_names_are_wrapped_to_fit() -> None:
    ws = load_workspace(REPO)
    ev = evaluate(ws, None, samples=50)
    (trace, *_) = charts.radar_chart(ev.result, ev.result.segments[0]).data
    exit_name = next(t for t in trace.theta if t.startswith("Exit"))
    assert exit_name == "Exit,<br>substitutability &amp;<br>concentration"
    assert all(len(line) <= 18 for t in trace.theta for line in t.replace("&amp;", "&").split("<br>"))


def test_interval_chart_names_the_scale_once() -> None:
    ws = load_workspace(REPO)
    ev = evaluate(ws, None, samples=50)
    segment = ev.result.segments[0]
    intervals = {v.id: ev.sensitivity.vendors[v.id].score_interval for v in segment.vendors}
    fig = charts.interval_chart(segment, intervals)
    assert fig.layout.xaxis.title.text == "WSM score (0-100)"
    words = f"{fig.layout.title.text} {fig.layout.xaxis.title.text}"
    assert words.count("90% interval") == 1 and words.count("score") == 2  # title's "score", axis's unit


def test_radar_neighbours_label_above_and_below() -> None:
    points = [(f"V{i}", "Seg", "trial", f"v{i}") for i in range(4)]
    (trace,) = charts.technology_radar(points).data
    assert list(trace.textposition) == ["top center", "bottom center", "top center", "bottom center"]
