"""How numbers read, wherever evaltool shows them: CLI tables, the report and the dashboard.

One rule for every shown number: the value's shortest decimal form (``repr``, the digits a person would
write) is rounded half up, away from zero, to the digits shown. So a weight of 0.0225 reads "2.3%" in the
report, in `evaltool weights` and in the dashboard alike, where Python's own formatting (half-even on the
binary value) would print "2.2%" and the browser's (``toFixed``) "2.3%".

The dashboard's tables format numbers in the browser; they are given :func:`rounded` or :func:`percent`
values, already rounded to the digits their column prints, so the browser's rounding has nothing left to
decide and shows the same text as :func:`fixed` and :func:`pct`.
"""

from __future__ import annotations

import math
from decimal import ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from evaltool.models import Method

_EXACT_LIMIT = 1e15  # beyond it a float has no decimals worth rounding


def _shown(value: Decimal, digits: int) -> Decimal:
    """`value` rounded half up to `digits` decimals; a rounded zero carries no sign."""
    result = value.quantize(Decimal(1).scaleb(-digits), rounding=ROUND_HALF_UP)
    return result if result else abs(result)


def _decimal(value: float, scale: int = 0) -> Decimal | None:
    """The decimal a person reads in `value` (its repr), times 10**scale; None when not finite or huge."""
    number = float(value)
    if not math.isfinite(number) or abs(number) >= _EXACT_LIMIT:
        return None
    return Decimal(repr(number)).scaleb(scale)


def rounded(value: float, digits: int) -> float:
    """The number shown with `digits` decimals, as a float (for a table column that prints that many)."""
    exact = _decimal(value)
    return float(value) if exact is None else float(_shown(exact, digits))


def percent(share: float, digits: int = 1) -> float:
    """A share (0.0225) as the percentage shown with `digits` decimals (2.3), as a float."""
    exact = _decimal(share, 2)
    return 100.0 * float(share) if exact is None else float(_shown(exact, digits))


def fixed(value: float, digits: int, *, sign: bool = False) -> str:
    """`value` with exactly `digits` decimals, rounded half up ("+" in front of a positive with `sign`)."""
    exact = _decimal(value)
    if exact is None:
        return f"{value:{'+' if sign else ''}.{digits}f}"
    return format(_shown(exact, digits), "+f" if sign else "f")


def pct(share: float, digits: int = 1) -> str:
    """A share as a percentage: 0.0225 -> "2.3%"."""
    exact = _decimal(share, 2)
    if exact is None:
        return f"{share:.{digits}%}"
    return f"{format(_shown(exact, digits), 'f')}%"


def score_digits(method: Method) -> int:
    """Decimals of a score: WSM points with one, TOPSIS closeness with three."""
    return 1 if method == "wsm" else 3


def score(value: float, method: Method) -> str:
    """A score as people read it: WSM points with one decimal, TOPSIS closeness with three."""
    return fixed(value, score_digits(method))


def points(value: float) -> str:
    """WSM points (0-100) with one decimal."""
    return fixed(value, 1)


def coverage_digits(value: float) -> int:
    """Decimals of a coverage: none, or as many (up to 3) as keep a coverage below 1 from reading 100%."""
    for digits in (0, 1, 2):
        if value >= 1.0 or percent(value, digits) < 100.0:
            return digits
    return 3


def coverage(value: float) -> str:
    """Coverage as a whole percentage, with decimals where rounding would show 100% for less."""
    return pct(value, coverage_digits(value))


def interval(low: float, high: float, method: Method = "wsm") -> str:
    """A score interval on the method's scale."""
    return f"{score(low, method)} – {score(high, method)}"


def pct_pair(before: float, after: float) -> tuple[str, str]:
    """Two weights as percentages, with as many decimals (up to 3) as it takes to tell them apart."""
    for digits in (1, 2, 3):
        a, b = pct(before, digits), pct(after, digits)
        if a != b:
            return a, b
    return a, b


def grade(value: float | None) -> str:
    """A 0..5 grade with up to two decimals: "3.25", "3.5", "4"."""
    if value is None:
        return "—"
    text = fixed(value, 2)
    return text.rstrip("0").rstrip(".") if "." in text else text


def number(value: float | None, unit: str | None = None) -> str:
    """A raw value (rubric score or metric value) with thousands separators and its unit."""
    if value is None:
        return "—"
    text = f"{int(value):,}" if float(value).is_integer() and abs(value) < 1e15 else f"{value:,.6g}"
    return f"{text} {unit}" if unit else text


def fact(value: object) -> str:
    """A free-form vendor fact as text: yes/no for a boolean, lists joined, mappings as key: value."""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if value is None:
        return "—"
    if isinstance(value, list | tuple):
        return ", ".join(fact(x) for x in value)
    if isinstance(value, dict):
        return ", ".join(f"{k}: {fact(x)}" for k, x in value.items())
    return str(value)
