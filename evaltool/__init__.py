"""evaltool: evaluate emerging technologies, vendors and startups against weighted enterprise criteria."""

from __future__ import annotations

__version__ = "0.1.0"
