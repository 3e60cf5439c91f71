"""How the scorecard workbook looks: named cell formats, colour scales, data bars and column widths."""

from __future__ import annotations

from typing import Any

FORMATS: dict[str, dict[str, Any]] = {
    "text": {"valign": "top"},
    "wrap": {"valign": "top", "text_wrap": True},
    "header": {
        "bold": True,
        "text_wrap": True,
        "valign": "top",
        "font_color": "#FFFFFF",
        "bg_color": "#1F3864",
        "border": 1,
        "border_color": "#8EA9DB",
    },
    "label": {"bold": True, "valign": "top"},
    "title": {"bold": True, "font_size": 12},
    "points": {"num_format": "0.0", "valign": "top"},
    "topsis": {"num_format": "0.000", "valign": "top"},
    "pct": {"num_format": "0.0%", "valign": "top"},
    "grade": {"num_format": "0.0", "valign": "top"},
    # the number stays a number; the asterisk only shows that it is graded relative to the segment
    "grade_relative": {"num_format": '0.0"*"', "valign": "top", "italic": True},
    "number": {"num_format": "General", "valign": "top"},
    "integer": {"num_format": "0", "valign": "top"},
    # an amount of money: thousands separated, no cents shown (the cell keeps them)
    "money": {"num_format": "#,##0", "valign": "top"},
    # Excel shows a boolean as TRUE/FALSE whatever the format; LibreOffice needs to be told.
    "bool": {"num_format": '"TRUE";"TRUE";"FALSE"', "valign": "top", "align": "center"},
    "date": {"num_format": "yyyy-mm-dd", "valign": "top", "align": "left"},
}
SCALE = {"type": "3_color_scale", "min_color": "#F8696B", "mid_color": "#FFEB84", "max_color": "#63BE7B"}
GRADE_SCALE = SCALE | {  # grades are on a fixed 0..5 scale, whatever the vendors compared
    "min_type": "num",
    "min_value": 0,
    "mid_type": "num",
    "mid_value": 2.5,
    "max_type": "num",
    "max_value": 5,
}
BAR = {"type": "data_bar", "bar_color": "#8EA9DB"}
MAX_WIDTH, WRAP_WIDTH = 50, 60
NUMBER_WIDTH = {"points": 6, "topsis": 6, "pct": 7, "grade": 4, "grade_relative": 5, "money": 11}
