"""Markdown escaping, file names and the number formats of the report templates.

Every number in a report is a value of the Evaluation passed through one of the formats of
:mod:`evaltool.fmt` (re-exported here for the templates' context), the same ones the CLI and the dashboard
use, so the Markdown, the HTML, the terminal and the dashboard show the same digits.
"""

from __future__ import annotations

import re
from typing import Any

from markupsafe import Markup

from evaltool.fmt import coverage, fact, grade, interval, number, pct, pct_pair, points, score

__all__ = [
    "coverage",
    "fact",
    "grade",
    "interval",
    "md",
    "number",
    "output_name",
    "pct",
    "pct_pair",
    "points",
    "score",
    "slug",
]

_MD_ESCAPES = str.maketrans(
    {
        "\\": "\\\\",
        "|": "\\|",
        "`": "\\`",
        "*": "\\*",
        "_": "\\_",
        "[": "\\[",
        "]": "\\]",
        "~": "\\~",
        "$": "\\$",
        "<": "&lt;",
        ">": "\\>",
    }
)
_ENTITY = re.compile(r"&(?=#?[A-Za-z0-9]+;)")
# Every character str.splitlines() breaks a line at (YAML lets U+2028 and U+2029 through): left in a value,
# one would split its table row wherever the report's lines are handled as lines.
_NEWLINES = re.compile(r"\s*[\n\r\v\f\x1c-\x1e\x85\u2028\u2029]+\s*")


def md(value: Any) -> str:
    """Text that renders literally in Markdown, in a paragraph or a table cell (GitHub, GitLab).

    Characters that would start markup, break a table or open HTML are escaped; an ``&`` that would
    start an entity becomes ``&amp;``; ``<`` becomes ``&lt;`` so that no tag can open; line breaks
    (including U+2028 and U+2029) become spaces. ``None`` renders as an empty string.
    """
    if value is None:
        return ""
    if isinstance(value, Markup):  # text evaltool wrote itself, already Markdown
        return str(value)
    text = _ENTITY.sub("&amp;", str(value).strip("\r\n"))
    return _NEWLINES.sub(" ", text.translate(_MD_ESCAPES))


def slug(text: str) -> str:
    """Lowercase letters and digits joined by '-': for file names and HTML anchors."""
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "x"


def output_name(
    segment: str | None, profile: str | None, as_of: str, extension: str, *, scorecard: bool
) -> str:
    """Default report or scorecard file name: <segment or all-segments>-<profile>-<as-of>[-scorecard]."""
    scope = slug(segment) if segment is not None else "all-segments"
    suffix = "-scorecard" if scorecard else ""
    return f"{scope}-{profile or 'catalog'}-{as_of}{suffix}.{extension}"
