"""The plain values every file model is made of: numbers, text, dates and ids, checked with the messages
users read at file:line (docs/formats.md#rules-for-every-file).

One module, so that models.py and the idea modules it imports (commercial, poc, risk, trace) share one
check per kind of value without importing one another.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field
from pydantic_core import PydanticCustomError

ID_PATTERN = r"^[a-z0-9][a-z0-9-]{0,63}$"
_ID_RE = re.compile(ID_PATTERN)


def problem(message: str) -> PydanticCustomError:
    """A validation error whose message is shown to the user exactly as written."""
    return PydanticCustomError("evaltool", message)


def describe(value: Any) -> str:
    """A value as the file wrote it, for a message: 'text' quoted, true/false/null as in YAML, shortened."""
    if value is None:
        return "null"
    text = (
        repr(value)
        if isinstance(value, str)
        else str(value).lower()
        if isinstance(value, bool)
        else str(value)
    )
    return text if len(text) <= 40 else text[:37] + "..."


def plain(number: float) -> str:
    """A number as written in the file: 1000000, not 1e+06."""
    return str(int(number)) if number.is_integer() else f"{number:.12g}"


def number(value: Any) -> float:
    """A finite number (true and false are not numbers)."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise problem(f"must be a number, not {describe(value)}")
    if not math.isfinite(value):
        raise problem(f"must be a finite number, not {describe(value)}")
    return float(value)


def check_id(value: Any) -> str:
    """An id: 1-64 lowercase letters, digits and '-'."""
    if not isinstance(value, str):
        raise problem(f"must be a string id, not {describe(value)}")
    if not _ID_RE.match(value):
        raise problem(
            f"{describe(value)} is not a valid id: use 1-64 lowercase letters, digits and '-', "
            "starting with a letter or digit"
        )
    return value


def text(value: Any) -> str:
    """Text (a number or a date where text belongs is an error, not silently converted)."""
    if not isinstance(value, str):
        raise problem(f"must be text, not {describe(value)}")
    return value


def date(value: Any) -> dt.date:
    """A calendar date YYYY-MM-DD that exists, without a time."""
    if isinstance(value, dt.datetime):
        raise problem(f"must be a date YYYY-MM-DD without a time, not {value.isoformat()}")
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            raise problem(f"{value!r} is not a real date") from None
    raise problem(f"must be a date YYYY-MM-DD, not {describe(value)}")


def rubric_score(value: Any) -> float:
    """A score on the rubric scale 0..5."""
    found = number(value)
    if not 0 <= found <= 5:
        raise problem(f"score {found:g} is outside the rubric scale 0..5")
    return found


# Constraints come before the validator so that they reach the JSON Schema as pattern/minimum/maximum.
Id = Annotated[str, Field(pattern=ID_PATTERN), BeforeValidator(check_id)]
Text = Annotated[str, BeforeValidator(text)]
Number = Annotated[float, BeforeValidator(number)]
Weight = Annotated[float, Field(ge=0), BeforeValidator(number)]
Date = Annotated[dt.date, BeforeValidator(date)]


class Strict(BaseModel):
    """Base for every file model: unknown keys are errors, instances are immutable."""

    model_config = ConfigDict(extra="forbid", frozen=True)
