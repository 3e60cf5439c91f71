"""Reports: the PoC recommendation report as Markdown or self-contained HTML (and PDF via pdf.py).

``render_markdown`` and ``render_html`` take an :class:`~evaltool.evaluation.Evaluation` and return a
string; nothing here writes a file. The renderers are imported on first use, so importing a sibling module
(such as the exports) stays light.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from evaltool.diff import ChangesView
    from evaltool.evaluation import Evaluation

__all__ = ["render_html", "render_markdown"]


def render_markdown(
    evaluation: Evaluation, segment: str | None = None, changes: ChangesView | None = None
) -> str:
    """The report as Markdown; `segment` limits it to one segment of the evaluation; `changes` adds the
    "Changes since" section."""
    from evaltool.reports.render import render_markdown as render

    return render(evaluation, segment, changes)


def render_html(
    evaluation: Evaluation, segment: str | None = None, changes: ChangesView | None = None
) -> str:
    """The report as one offline HTML file; `segment` limits it to one segment of the evaluation;
    `changes` adds the "Changes since" section."""
    from evaltool.reports.render import render_html as render

    return render(evaluation, segment, changes)
