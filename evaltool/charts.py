"""Plotly figures built from results, shared by the dashboard and the HTML report. Pure: no I/O.

Every figure is built here once; the dashboard shows it with st.plotly_chart and the report embeds it
with one copy of plotly.js for the whole file. Plotly renders a subset of HTML in labels, titles and hover
text, so every text that comes from a YAML file goes through :func:`esc` here, and callers pass raw text.
"""

from __future__ import annotations

import html
import math
import textwrap
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

import plotly.graph_objects as go

from evaltool import fmt, wording
from evaltool.models import Method
from evaltool.scoring import ScoreResult, SegmentResult, VendorResult

if TYPE_CHECKING:
    from evaltool.history import Snapshot
    from evaltool.recommend import Ring

PALETTE = ("#1f4e79", "#2e86c1", "#48c9b0", "#f4d03f", "#e67e22", "#c0392b", "#8e44ad", "#7f8c8d", "#27ae60",
           "#d35400", "#2c3e50", "#a93226", "#117a65", "#b7950b", "#6c3483")  # fmt: skip
RINGS: tuple[Ring, ...] = ("adopt", "trial", "assess", "hold")
FONT = {"family": "Segoe UI, Helvetica, Arial, sans-serif", "size": 12}


def _layout(fig: go.Figure, title: str, height: int = 420) -> go.Figure:
    fig.update_layout(
        title={"text": title, "x": 0, "xanchor": "left", "y": 0.99, "yanchor": "top", "yref": "container"},
        font=FONT,
        height=height,
        margin={"l": 10, "r": 10, "t": 80, "b": 10},
        template="plotly_white",
        legend={"orientation": "h", "yanchor": "bottom", "y": 1.0, "x": 0},
    )
    return fig


def esc(text: str) -> str:
    """Text from the files, shown literally by plotly (no markup, no links)."""
    return html.escape(str(text), quote=False)


def wrap(text: str, width: int = 18) -> str:
    """Escaped text broken into lines of about `width` characters (plotly never wraps a label itself)."""
    return "<br>".join(esc(line) for line in textwrap.wrap(str(text), width)) or esc(text)


def percent_ticks(values: Sequence[float], most: int = 8) -> dict[str, object]:
    """A share axis whose tick labels are all different: a round tick step (1, 2 or 5 x a power of ten)
    giving at most `most` ticks over the values, and as many decimals as that step needs ("1.5%", not
    "2%" twice)."""
    lo, hi = min(values, default=0.0), max(values, default=1.0)
    span = hi - lo if hi - lo > 1e-9 else max(abs(hi), 1e-6)
    exponent = math.floor(math.log10(span / most))
    step = next(m * 10.0**exponent for m in (1, 2, 5, 10) if span / (m * 10.0**exponent) <= most)
    decimals = max(0, math.ceil(-math.log10(step * 100) - 1e-9)) if step * 100 < 1 else 0
    return {"tickformat": f".{decimals}%", "dtick": step, "tick0": 0}


def _label(v: VendorResult) -> str:
    if v.ranked:
        return esc(v.name)
    return f"{esc(v.name)} (not assessed)" if not v.assessed else f"{esc(v.name)} (not eligible)"


def ranking_chart(result: ScoreResult, segment: SegmentResult) -> go.Figure:
    """Horizontal bars of the score: under WSM the total stacked by each category's contribution; under
    TOPSIS the closeness itself (it does not add up by category)."""
    vendors = list(reversed(segment.vendors))
    labels = [_label(v) for v in vendors]
    fig = go.Figure()
    if result.method == "topsis":
        fig.add_bar(
            y=labels, x=[v.score for v in vendors], orientation="h", marker_color=PALETTE[0],
            name="TOPSIS closeness", hovertemplate="%{y}: %{x:.3f}<extra></extra>",
        )  # fmt: skip
        fig.update_layout(xaxis={"title": "TOPSIS closeness (0-1)", "range": [0, 1]}, showlegend=False)
        return _layout(fig, f"{esc(segment.name)}: score", height=max(260, 60 + 38 * len(vendors)))
    for i, category in enumerate(result.catalog.categories):
        share = fmt.pct(result.weights.categories[category.id], 0)
        points = [sum(v.cells[k.id].contribution for k in category.criteria) for v in vendors]
        fig.add_bar(
            y=labels,
            x=points,
            name=esc(category.name),
            orientation="h",
            marker_color=PALETTE[i % len(PALETTE)],
            hovertemplate=f"{esc(category.name)} ({share})<br>%{{x:.1f}} points<extra>%{{y}}</extra>",
        )
    fig.update_layout(barmode="stack", xaxis={"title": "WSM score (0-100)", "range": [0, 100]})
    return _layout(fig, f"{esc(segment.name)}: score by category", height=max(260, 60 + 38 * len(vendors)))


def radar_chart(
    result: ScoreResult, segment: SegmentResult, vendor_ids: Sequence[str] | None = None
) -> go.Figure:
    """Category sub-scores (0-100) of the chosen vendors (default: the top three) on a radar."""
    chosen = [v for v in segment.vendors if vendor_ids is None or v.id in vendor_ids]
    if vendor_ids is None:
        chosen = chosen[:3]
    names = [wrap(c.name) for c in result.catalog.categories]
    fig = go.Figure()
    scale = 100.0 if result.method == "wsm" else 1.0
    for i, v in enumerate(chosen):
        values = [v.categories[c.id] * (100.0 / scale) for c in result.catalog.categories]
        fig.add_scatterpolar(
            r=[*values, values[0]],
            theta=[*names, names[0]],
            name=_label(v),
            line_color=PALETTE[i % len(PALETTE)],
            fill="toself",
            opacity=0.55,
        )
    fig.update_layout(polar={"radialaxis": {"range": [0, 100], "tickfont": {"size": 10}}})
    fig = _layout(fig, f"{esc(segment.name)}: category profile", height=500)
    # room around the polar area for the wrapped category names (plotly does not reserve it)
    fig.update_layout(margin={"l": 90, "r": 90, "t": 100, "b": 40})
    return fig


def category_bars(result: ScoreResult, segment: SegmentResult, vendor_ids: Sequence[str]) -> go.Figure:
    """Side-by-side category sub-scores of a few vendors."""
    fig = go.Figure()
    names = [esc(c.name) for c in result.catalog.categories]
    for i, v in enumerate(v for v in segment.vendors if v.id in vendor_ids):
        fig.add_bar(
            x=names, y=[v.categories[c.id] for c in result.catalog.categories], name=esc(v.name),
            marker_color=PALETTE[i % len(PALETTE)],
        )  # fmt: skip
    top = 100 if result.method == "wsm" else 1
    fig.update_layout(barmode="group", yaxis={"range": [0, top], "title": "category score"})
    return _layout(fig, "Category scores side by side")


def heatmap(result: ScoreResult, segment: SegmentResult) -> go.Figure:
    """Criteria x vendors grades (0-5), labelled with the criteria's and vendors' names; blank where not
    scored. Criteria run down the side, where a long name has room, vendors across the top."""
    criteria = list(result.criteria)
    vendors = list(segment.vendors)
    z = [[v.cells[k.id].grade for v in vendors] for k in criteria]
    hover = [
        [
            f"{esc(k.name)}<br>grade {_fmt(v.cells[k.id].grade)}; raw {_fmt(v.cells[k.id].raw)}"
            f"{' ' + k.unit if k.unit else ''}<br>weight {fmt.pct(result.weights.criteria[k.id])}"
            for v in vendors
        ]
        for k in criteria
    ]
    fig = go.Figure(
        go.Heatmap(
            z=z, x=[wrap(_label(v), 22) for v in vendors], y=[esc(k.name) for k in criteria],
            zmin=0, zmax=5, colorscale="RdYlGn", text=hover, hovertemplate="%{x}<br>%{text}<extra></extra>",
            colorbar={"title": {"text": "grade"}, "len": 0.5}, xgap=1, ygap=1,
        )
    )  # fmt: skip
    fig.update_layout(
        yaxis={"autorange": "reversed", "automargin": True, "tickfont": {"size": 10}},
        xaxis={"side": "top", "automargin": True},
    )
    height = max(300, 120 + 17 * len(criteria))
    return _layout(fig, f"{esc(segment.name)}: grades by criterion", height=height)


def heatmap_all(result: ScoreResult, segments: Sequence[SegmentResult]) -> go.Figure:
    """The grades of every vendor of several segments in one heatmap: criteria down the side once, vendors
    across grouped under their segment, so a report on every segment prints its grades on one page."""
    criteria = list(result.criteria)
    vendors = [v for s in segments for v in s.vendors]
    z = [[v.cells[k.id].grade for v in vendors] for k in criteria]
    hover = [
        [
            f"{esc(v.segment)}<br>{esc(k.name)}<br>grade {_fmt(v.cells[k.id].grade)}; raw "
            f"{_fmt(v.cells[k.id].raw)}{' ' + esc(k.unit) if k.unit else ''}"
            for v in vendors
        ]
        for k in criteria
    ]
    x = [[wrap(v.segment, 12) for v in vendors], [_label(v) for v in vendors]]
    fig = go.Figure(
        go.Heatmap(
            z=z, x=x, y=[esc(k.name) for k in criteria], zmin=0, zmax=5, colorscale="RdYlGn", text=hover,
            hovertemplate="%{text}<extra></extra>", colorbar={"title": {"text": "grade"}, "len": 0.5},
            xgap=1, ygap=1,
        )
    )  # fmt: skip
    fig.update_layout(
        yaxis={"autorange": "reversed", "automargin": True, "tickfont": {"size": 9}},
        xaxis={"side": "top", "automargin": True, "tickfont": {"size": 9}, "tickangle": -90},
    )
    height = max(300, 220 + 15 * len(criteria))
    return _layout(fig, "Grades by criterion, every segment", height=height)


def _fmt(value: float | None) -> str:
    return "-" if value is None else f"{value:.4g}"


def rank_probability_chart(segment: SegmentResult, probabilities: Mapping[str, Sequence[float]]) -> go.Figure:
    """Stacked bars: for each eligible vendor, the probability of each rank over the weight samples."""
    vendors = [v for v in segment.vendors if v.id in probabilities]
    ranks = max((len(probabilities[v.id]) for v in vendors), default=0)
    fig = go.Figure()
    for r in range(ranks):
        fig.add_bar(
            x=[esc(v.name) for v in vendors],
            y=[probabilities[v.id][r] if r < len(probabilities[v.id]) else 0 for v in vendors],
            name=f"rank {r + 1}",
            marker_color=PALETTE[r % len(PALETTE)],
            hovertemplate=f"rank {r + 1}: %{{y:.1%}}<extra>%{{x}}</extra>",
        )
    fig.update_layout(barmode="stack", yaxis={"tickformat": ".0%", "range": [0, 1], "title": "probability"})
    return _layout(fig, f"{esc(segment.name)}: how likely each rank is when weights vary")


def interval_chart(
    segment: SegmentResult, intervals: Mapping[str, tuple[float, float]], method: Method = "wsm"
) -> go.Figure:
    """Each vendor's score with its 90% interval over the weight samples, on the method's own scale."""
    vendors = [v for v in segment.vendors if v.id in intervals]
    centre = [v.score for v in vendors]
    unit = "WSM score (0-100)" if method == "wsm" else "TOPSIS closeness (0-1)"
    digits = ".1f" if method == "wsm" else ".3f"
    fig = go.Figure(
        go.Scatter(
            x=centre, y=[_label(v) for v in vendors], mode="markers", name="score",
            marker={"size": 11, "color": PALETTE[0]},
            error_x={
                "type": "data", "symmetric": False,
                "array": [intervals[v.id][1] - c for v, c in zip(vendors, centre, strict=True)],
                "arrayminus": [c - intervals[v.id][0] for v, c in zip(vendors, centre, strict=True)],
            },
            hovertemplate=f"%{{y}}: %{{x:{digits}}}<extra></extra>",
        )
    )  # fmt: skip
    fig.update_layout(yaxis={"autorange": "reversed"}, xaxis={"title": unit})
    title = f"{esc(segment.name)}: score and its 90% interval over the weight samples"
    return _layout(fig, title, height=max(260, 80 + 34 * len(vendors)))


def weights_chart(result: ScoreResult) -> go.Figure:
    """Effective weights as a sunburst: categories, then their criteria."""
    ids, parents, values, labels = [], [], [], []
    for category in result.catalog.categories:
        ids.append(category.id)
        parents.append("")
        values.append(result.weights.categories[category.id])
        labels.append(esc(category.name))
        for k in category.criteria:
            ids.append(k.id)
            parents.append(category.id)
            values.append(result.weights.criteria[k.id])
            labels.append(esc(k.name))
    fig = go.Figure(
        go.Sunburst(
            ids=ids, parents=parents, values=values, labels=labels, branchvalues="total",
            hovertemplate="%{label}<br>%{value:.1%} of the total<extra></extra>",
        )
    )  # fmt: skip
    title = f"Effective weights ({result.profile_id or 'catalog weights'})"
    return _layout(fig, title, height=480)


def weights_bars(result: ScoreResult) -> go.Figure:
    """Effective weights as horizontal bars, one per criterion under its category, coloured by category:
    every name readable on paper, where a sunburst's slices are too thin to label."""
    fig = go.Figure()
    for i, category in enumerate(result.catalog.categories):
        share = fmt.pct(result.weights.categories[category.id], 0)
        fig.add_bar(
            y=[esc(k.name) for k in category.criteria],
            x=[result.weights.criteria[k.id] for k in category.criteria],
            orientation="h", name=f"{esc(category.name)} ({share})", marker_color=PALETTE[i % len(PALETTE)],
            hovertemplate="%{y}: %{x:.1%}<extra></extra>",
        )  # fmt: skip
    values = [result.weights.criteria[k.id] for k in result.criteria]
    fig.update_layout(
        xaxis={**percent_ticks([0.0, *values]), "title": "effective weight"},
        yaxis={"autorange": "reversed", "automargin": True, "tickfont": {"size": 10}},
        bargap=0.25,
    )
    title = f"Effective weights ({result.profile_id or 'catalog weights'})"
    fig = _layout(fig, title, height=max(300, 160 + 15 * len(values)))
    fig.update_layout(legend={"font": {"size": 10}})
    return fig


def technology_radar(points: Sequence[tuple[str, str, str, str]]) -> go.Figure:
    """Adopt / trial / assess / hold rings; points are (name, segment, ring, hover markup).

    Names and segments are escaped here; the hover markup is the caller's, who escapes what it inserts.
    """
    segments = sorted({esc(p[1]) for p in points})
    fig = go.Figure()
    width = 360 / max(1, len(segments))
    for s_index, seg in enumerate(segments):
        members = [p for p in points if esc(p[1]) == seg]
        r_values, theta, text, names, places = [], [], [], [], []
        for ring in RINGS:
            in_ring = [p for p in members if p[2] == ring]
            for j, p in enumerate(in_ring):
                r_values.append(RINGS.index(ring) + 0.5)
                theta.append(s_index * width + width * (j + 1) / (len(in_ring) + 1))
                text.append(p[3])
                names.append(esc(p[0]))
                # neighbours in a ring alternate above and below their point, so their names do not overlap
                places.append("top center" if j % 2 == 0 else "bottom center")
        fig.add_scatterpolar(
            r=r_values, theta=theta, mode="markers+text", text=names, textposition=places,
            name=seg, marker={"size": 12, "color": PALETTE[s_index % len(PALETTE)]},
            hovertext=text, hoverinfo="text",
        )  # fmt: skip
    fig.update_layout(
        polar={
            "radialaxis": {
                "range": [0, 4],
                "tickvals": [0.5, 1.5, 2.5, 3.5],
                "ticktext": [wording.ring_text(r) for r in RINGS],
            },
            "angularaxis": {"showticklabels": False, "tickvals": [i * width for i in range(len(segments))]},
        }
    )
    return _layout(fig, "Technology radar (suggested rings)", height=560)


def flip_chart(rows: Sequence[tuple[str, float, float | None]]) -> go.Figure:
    """Current weight and the weight at which the leader changes, per criterion or category."""
    shown = [r for r in rows if r[2] is not None]
    shown.sort(key=lambda r: abs((r[2] or 0) - r[1]))
    fig = go.Figure()
    fig.add_scatter(
        x=[r[1] for r in shown], y=[esc(r[0]) for r in shown], mode="markers", name="current weight",
        marker={"size": 10, "color": PALETTE[0]},
    )  # fmt: skip
    fig.add_scatter(
        x=[r[2] for r in shown], y=[esc(r[0]) for r in shown], mode="markers", name="leader changes at",
        marker={"size": 10, "symbol": "x", "color": PALETTE[5]},
    )  # fmt: skip
    ticks = percent_ticks([r[1] for r in shown] + [r[2] or 0.0 for r in shown])
    fig.update_layout(xaxis={**ticks, "title": "weight"}, yaxis={"autorange": "reversed"})
    return _layout(fig, "Flip points: how far a weight must move before the leader changes",
                   height=max(260, 80 + 26 * len(shown)))  # fmt: skip


def no_data(title: str) -> go.Figure:
    """An empty figure that says why there is nothing to show."""
    fig = go.Figure()
    # the title repeated inside: a page that prints its own caption drops the figure's title
    fig.add_annotation(text=esc(title), showarrow=False, x=0.5, y=0.5, xref="paper", yref="paper")
    return _layout(fig, title, height=200)


def score_change_chart(before: SegmentResult, after: SegmentResult, wsm: bool = True) -> go.Figure:
    """Each vendor's score under the profile and under adjusted weights (the dashboard's what-if)."""
    old = {v.id: v.score for v in before.vendors}
    vendors = [v for v in after.vendors if v.id in old]
    labels = [_label(v) for v in vendors]
    digits = ".1f" if wsm else ".3f"
    fig = go.Figure()
    fig.add_bar(
        y=labels, x=[old[v.id] for v in vendors], name="profile weights", orientation="h",
        marker_color="#b3b6b7", hovertemplate=f"%{{y}}: %{{x:{digits}}} (profile)<extra></extra>",
    )  # fmt: skip
    fig.add_bar(
        y=labels, x=[v.score for v in vendors], name="what-if weights", orientation="h",
        marker_color=PALETTE[0], hovertemplate=f"%{{y}}: %{{x:{digits}}} (what-if)<extra></extra>",
    )  # fmt: skip
    title, top = ("WSM score (0-100)", 100) if wsm else ("TOPSIS closeness (0-1)", 1)
    axis = {"title": title, "range": [0, top]}
    fig.update_layout(barmode="group", yaxis={"autorange": "reversed"}, xaxis=axis)
    fig = _layout(fig, f"{esc(after.name)}: profile vs what-if", height=max(260, 110 + 48 * len(vendors)))
    fig.update_layout(legend={"orientation": "h", "yanchor": "bottom", "y": 1.02, "xanchor": "right", "x": 1})
    return fig


def history_chart(snapshots: Sequence[Snapshot], segment: str, value: str, method: Method) -> go.Figure:
    """One line per vendor of a segment over the commits, oldest first: its score, or its rank
    (`value` "score" or "rank"); hovering a point gives the commit's date and message."""
    ticks = [s.commit.short for s in snapshots]
    lines: dict[str, list[tuple[str, float, str]]] = {}
    names: dict[str, str] = {}
    for snap in snapshots:
        for p in snap.points:
            y = p.score if value == "score" else p.rank
            if p.segment != segment or y is None:
                continue
            names[p.vendor] = p.name
            rank = "not ranked" if p.rank is None else f"rank {p.rank}"
            hover = (
                f"<b>{esc(p.name)}</b><br>{snap.commit.short} · {snap.commit.date.date().isoformat()}<br>"
                f"{wrap(snap.commit.subject, 48)}<br>score {fmt.score(p.score, method)}, {rank}, "
                f"{wording.ring_text(p.ring)}"
            )
            lines.setdefault(p.vendor, []).append((snap.commit.short, float(y), hover))
    fig = go.Figure()
    for i, (vendor, pts) in enumerate(lines.items()):
        fig.add_scatter(
            x=[x for x, _, _ in pts], y=[y for _, y, _ in pts], hovertext=[h for _, _, h in pts],
            hoverinfo="text", mode="lines+markers", name=esc(names[vendor]),
            line={"color": PALETTE[i % len(PALETTE)]},
        )  # fmt: skip
    fig.update_xaxes(type="category", categoryorder="array", categoryarray=ticks, title="commit")
    if value == "rank":
        fig.update_yaxes(autorange="reversed", dtick=1, title="rank (eligible vendors)")
        return _layout(fig, f"{esc(segment)}: rank over the commits", height=340)
    fig.update_yaxes(title=wording.score_unit(method))
    return _layout(fig, f"{esc(segment)}: score over the commits", height=400)
