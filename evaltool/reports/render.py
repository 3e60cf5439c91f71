"""Render an Evaluation as the PoC recommendation report: Markdown or one self-contained HTML file.

Renderers return strings; writing them is the caller's business (``evaltool.output.write_atomic``).
Templates are package data under ``evaltool/reports/templates``. HTML autoescapes everything; Markdown
passes every value through :func:`evaltool.reports.fmt.md`. Neither imports streamlit or typer.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping
from typing import TYPE_CHECKING

import jinja2
from markupsafe import Markup, escape

from evaltool.reports import context, fmt

if TYPE_CHECKING:
    from evaltool.diff import ChangesView
    from evaltool.evaluation import Evaluation

_EMPHASIS = re.compile(r"\*([^*<>]+)\*")
PLOTLY_CONFIG = {"displaylogo": False, "responsive": True, "modeBarButtonsToRemove": ["sendDataToCloud"]}


@functools.cache
def _environment(kind: str) -> jinja2.Environment:
    html = kind == "html"
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("evaltool.reports", "templates"),
        autoescape=jinja2.select_autoescape(("html",), default=True) if html else False,
        finalize=None if html else fmt.md,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=not html,
    )
    env.filters["trusted"] = Markup  # text evaltool wrote itself (Markdown emphasis kept)
    env.filters["emphasis"] = emphasis
    return env


def emphasis(text: str) -> Markup:
    """Escaped HTML of a text evaltool wrote in Markdown style, with its *emphasis* kept."""
    return Markup(_EMPHASIS.sub(r"<em>\1</em>", str(escape(text))))


def render_markdown(
    evaluation: Evaluation, segment: str | None = None, changes: ChangesView | None = None
) -> str:
    """The report as Markdown (GitHub/GitLab flavour): the HTML's content with tables instead of charts."""
    report = context.build(evaluation, segment, changes)
    text = _environment("md").get_template("report.md").render(r=report)
    return _tidy(text)


def render_html(
    evaluation: Evaluation,
    segment: str | None = None,
    changes: ChangesView | None = None,
    pages: Mapping[str, int] | None = None,
) -> str:
    """The report as one HTML file that works offline: plotly.js inlined once, no network request.

    ``pages`` maps the contents' anchors to the page each starts on in print (the PDF's second pass);
    without it the contents list has no page numbers.
    """
    import json

    from plotly.offline import get_plotlyjs

    from evaltool.reports import figures

    report = context.build(evaluation, segment, changes)
    chosen = [evaluation.result.segment(s.name) for s in report.segments]
    weights_charts, segment_charts, grades_chart, payload = figures.build(
        evaluation, chosen, together=report.portfolio is not None,
        weightings=[w.segments for w in report.weightings],
    )  # fmt: skip
    return (
        _environment("html")
        .get_template("report.html")
        .render(
            r=report,
            weights_charts=weights_charts,
            segment_charts=segment_charts,
            grades_chart=grades_chart,
            figures_json=Markup(payload),
            plotly_js=Markup(get_plotlyjs()),
            plotly_config=Markup(json.dumps(PLOTLY_CONFIG)),
            pages=dict(pages or {}),
        )
    )


def _tidy(text: str) -> str:
    """At most one blank line in a row, and one newline at the end."""
    lines: list[str] = []
    for line in text.splitlines():
        line = line.rstrip()
        if line or (lines and lines[-1]):
            lines.append(line)
    return "\n".join(lines).strip() + "\n"


def render_changes_markdown(changes: ChangesView) -> str:
    """The "Changes since REV" section alone, as Markdown (`evaltool diff --format md`)."""
    from types import SimpleNamespace

    text = _environment("md").get_template("changes.md").render(r=SimpleNamespace(changes=changes))
    return _tidy(text)
