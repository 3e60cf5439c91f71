"""Problems found in one file: where they are (line and key path) and how they read.

A pydantic error becomes ``path:line: key.path: message`` in plain words, with a "did you mean" when a
close spelling exists; text taken from the files is made safe to print. The rules of placement and
printing are stated in docs/formats.md#problems-and-warnings.
"""

from __future__ import annotations

import dataclasses
import difflib
import re
from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from evaltool.errors import Problem, ProblemCode
from evaltool.yamlio import LineList, LineMap

M = TypeVar("M", bound=BaseModel)
# Union tags that pydantic puts into error locations; they are not keys of the file.
_UNION_TAGS = {"short", "entry"}

# Characters that would break a problem over lines, drive the terminal (escape sequences), reorder the text
# on screen (bidirectional controls), or cannot be printed (undecodable bytes of a file name).
_UNPRINTABLE = re.compile(r"[\x00-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202e\u2066-\u2069\ud800-\udfff]")
_MAX_TEXT = 1000


def printable_text(text: str) -> str:
    """Text from the files made safe to print: one line, no control characters, capped."""
    text = _UNPRINTABLE.sub(lambda m: repr(m.group())[1:-1], text)
    return text if len(text) <= _MAX_TEXT else text[: _MAX_TEXT - 3] + "..."


def _plain(text: str) -> bool:
    """Text that printable_text leaves as it is: printable ASCII, short enough."""
    return text.isascii() and text.isprintable() and len(text) <= _MAX_TEXT


def printable(problem: Problem) -> Problem:
    """The problem with text from the files made safe to print: one line, no control characters, capped."""
    if _plain(problem.path) and _plain(problem.key) and _plain(problem.message):
        return problem  # the common case; a workspace can have thousands of warnings
    return dataclasses.replace(
        problem,
        path=printable_text(problem.path),
        key=printable_text(problem.key),
        message=printable_text(problem.message),
    )


def report_order(problem: Problem) -> tuple[bool, str, int, str, str]:
    """How `evaltool validate` lists problems: errors before warnings; within each, by file and line."""
    return (problem.warning, problem.path, problem.line, problem.key, problem.message)


def _key_text(key: Hashable) -> str:
    return str(key)


def locate(root: Any, loc: Iterable[Any]) -> tuple[int, str]:
    """Line and dotted key path of a location (a tuple of keys and indexes) in a loaded document."""
    node = root
    line = getattr(root, "line", 1)
    path = ""
    for part in loc:
        if isinstance(node, LineMap) and part not in node:
            # pydantic names a key that is not text (a date, null, 1.5) by its repr
            part = next((k for k in node if not isinstance(k, str) and repr(k) == part), part)
        if isinstance(node, LineMap) and part in node:
            line = node.key_lines.get(part, line)
            path += ("." if path else "") + _key_text(part)
            node = node[part]
        elif isinstance(node, LineList) and isinstance(part, int) and 0 <= part < len(node):
            line = node.item_lines[part]
            path += f"[{part}]"
            node = node[part]
        elif part in _UNION_TAGS or part == "[key]":
            continue
        else:
            path += ("." if path else "") + _key_text(part)
            node = None
    return line, path


@dataclass
class Collector:
    """Collects problems for one file and knows how to place them."""

    path: str
    data: Any
    problems: list[Problem] = field(default_factory=list)

    def add(
        self, loc: Iterable[Any], message: str, *, warning: bool = False, code: ProblemCode = "invalid"
    ) -> None:
        """Record a problem at a location in this file's data."""
        line, key = locate(self.data, loc)
        self.problems.append(Problem(self.path, line, key, message, warning, code))


def _known_keys(model: type[BaseModel]) -> set[str]:
    keys: set[str] = set()
    pending: list[type[BaseModel]] = [model]
    seen: set[type[BaseModel]] = set()
    while pending:
        current = pending.pop()
        if current in seen:
            continue
        seen.add(current)
        keys.update(current.model_fields)
        for info in current.model_fields.values():
            pending.extend(_models_in(info.annotation))
    return keys


def _models_in(annotation: Any) -> list[type[BaseModel]]:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return [annotation]
    return [m for arg in getattr(annotation, "__args__", ()) for m in _models_in(arg)]


def suggest(word: str, options: Iterable[str]) -> str:
    """' (did you mean 'x'?)' when a close option exists."""
    close = difflib.get_close_matches(word, list(options), n=1, cutoff=0.6)
    return f" (did you mean '{close[0]}'?)" if close else ""


def _shown(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, Mapping):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    text = repr(value) if isinstance(value, str) else str(value)
    return text if len(text) <= 40 else text[:37] + "..."


def _message(error: Any, model: type[BaseModel]) -> tuple[tuple[Any, ...], str]:
    """Location and plain-words message of one pydantic error."""
    kind, loc, ctx, value = error["type"], tuple(error["loc"]), error.get("ctx") or {}, error.get("input")
    if kind == "evaltool":
        return loc, str(error["msg"])
    if kind == "missing":
        return loc[:-1], f"missing required key '{loc[-1]}'"
    if kind == "invalid_key":
        return loc, f"a key must be text, not {_shown(value)} (quote it)"
    if kind == "extra_forbidden":
        return loc, f"unknown key '{loc[-1]}'" + suggest(str(loc[-1]), _known_keys(model))
    if kind == "literal_error":
        return loc, f"must be one of {ctx.get('expected')}, not {_shown(value)}"
    if kind in ("greater_than_equal", "less_than_equal", "greater_than", "less_than"):
        bound = {"greater_than_equal": ">=", "less_than_equal": "<=", "greater_than": ">", "less_than": "<"}
        limit = next(iter(ctx.values()))
        return loc, f"must be {bound[kind]} {limit:g}, not {_shown(value)}"
    if kind in ("too_short", "too_long"):
        return loc, "must not be empty" if kind == "too_short" else "has too many items"
    if kind == "list_type":
        return loc, f"must be a list, not {_shown(value)}"
    if kind in ("dict_type", "model_type", "model_attributes_type"):
        return loc, f"must be a mapping of keys to values, not {_shown(value)}"
    if kind in ("string_type",):
        return loc, f"must be text, not {_shown(value)}"
    if kind.startswith("int_"):
        return loc, f"must be a whole number, not {_shown(value)}"
    return loc, str(error["msg"])


def validate_model(model: type[M], data: Any, collector: Collector) -> M | None:
    """Validate one document; on failure record every error and return None."""
    if data is None:
        collector.add((), "the file is empty", code="schema")
        return None
    if not isinstance(data, Mapping):
        collector.add(
            (), f"the file must hold a mapping of keys to values, not {_shown(data)}", code="schema"
        )
        return None
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        for error in exc.errors(include_url=False):
            loc, message = _message(error, model)
            collector.add(loc, message, code="schema")
        return None
