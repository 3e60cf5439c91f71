"""Number formats and Markdown escaping shared by the report templates.

Every number in a report is a value of the Evaluation passed through one of these formats, so the
Markdown and the HTML show the same digits.
"""

from __future__ import annotations

import re
from typing import Any

from markupsafe import Markup

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


def score(value: float, method: str) -> str:
    """A score as people read it: WSM points with one decimal, TOPSIS closeness with three."""
    return f"{value:.1f}" if method == "wsm" else f"{value:.3f}"


def points(value: float) -> str:
    """WSM points (0-100) with one decimal."""
    return f"{value:.1f}"


def pct(value: float, digits: int = 1) -> str:
    """A share as a percentage."""
    return f"{value:.{digits}%}"


def coverage(value: float) -> str:
    """Coverage as a whole percentage, with a decimal where rounding would show 100% for less."""
    text = pct(value, 0)
    return pct(value, 1) if text == "100%" and value < 1.0 else text


def interval(low: float, high: float) -> str:
    """A WSM score interval."""
    return f"{low:.1f} – {high:.1f}"


def pct_pair(before: float, after: float) -> tuple[str, str]:
    """Two weights as percentages, with as many decimals (up to 3) as it takes to tell them apart."""
    for digits in (1, 2, 3):
        a, b = pct(before, digits), pct(after, digits)
        if a != b:
            return a, b
    return a, b


def number(value: float | None, unit: str | None = None) -> str:
    """A raw value (rubric score or metric value) with thousands separators and its unit."""
    if value is None:
        return "—"
    text = f"{int(value):,}" if float(value).is_integer() and abs(value) < 1e15 else f"{value:,.6g}"
    return f"{text} {unit}" if unit else text


def grade(value: float | None) -> str:
    """A 0..5 grade with up to two decimals."""
    return "—" if value is None else f"{value:.2f}".rstrip("0").rstrip(".")


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
