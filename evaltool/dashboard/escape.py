"""Text from the files made safe for the dashboard's media: Markdown elements and plotly labels.

Anything that comes from a YAML file goes through :func:`md` before it reaches a Markdown-rendering
element (markdown, captions, headings, labels, tabs, expanders): every ASCII punctuation character is
backslash-escaped, so a vendor name holding Markdown, HTML, a link or an image shows as the text it is and
never makes the browser fetch anything. Tables (st.dataframe) show text as text.

Plain Python (no streamlit), so that the page data in :mod:`evaltool.dashboard.frames` can use it.
"""

from __future__ import annotations

import html
import string

_ESCAPES = str.maketrans({c: "\\" + c for c in string.punctuation})


def md(text: object) -> str:
    """Text from a file made safe for Markdown: shown literally, never rendered or fetched."""
    return " ".join(str(text).translate(_ESCAPES).split("\n"))


def plain(text: object) -> str:
    """Text for plotly labels and hover text (pseudo-HTML there): entities shown literally."""
    return html.escape(str(text), quote=False)


def strong(text: str) -> str:
    """Markdown emphasis for our own words and figures (text from files is escaped first)."""
    return f"**{text}**"
