"""Safe YAML loading with line numbers.

Files are read with PyYAML's C safe loader through a constructor subclass that, in the same pass that
builds the values, refuses duplicate keys, aliases, merge keys and non-standard tags, counts nodes, and
records the line of every mapping key and list item. Nothing in a file is ever executed.
"""

from __future__ import annotations

import os
import re
import stat
from collections.abc import Hashable, Iterator
from pathlib import Path
from types import GeneratorType
from typing import Any

import yaml

MAX_BYTES = 1 << 20
MAX_NODES = 100_000
# No real file nests beyond about six levels; far deeper data only ever serves to exhaust a recursive
# consumer later (repr, templates, JSON), so it is refused here, with its line.
MAX_DEPTH = 32
# Above this size the event stream is walked first, so a hostile file is refused before it is composed.
_PRESCAN_BYTES = 256 << 10
_MERGE_TAG = "tag:yaml.org,2002:merge"
# Control characters other than tab and line ends. The reader refuses them in the raw text; this catches
# them written as escapes ("\e", "\0", "\x1b"), which would otherwise reach terminals and reports.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
# An anchor (&a) or alias (*a) starts a token; '&' or '*' in prose ("R&D", "a & b") needs no prescan.
_ANCHOR_LIKE = re.compile(r"(?:^|[\s\[{,])[&*][^\s\[\]{},]", re.MULTILINE)
# Up to this many '&' and '*' in a text, each is looked at in turn (see _anchor_like).
_FEW_MARKS = 64


class YamlError(Exception):
    """A file that cannot be read or parsed; ``line`` is 1-based (0 when it applies to the whole file)."""

    def __init__(self, line: int, message: str) -> None:
        super().__init__(message)
        self.line = line
        self.message = message


class LineMap(dict[Any, Any]):
    """A mapping that remembers its own line and the line of each key."""

    line: int
    key_lines: dict[Hashable, int]


class LineList(list[Any]):
    """A list that remembers its own line and the line of each item."""

    line: int
    item_lines: list[int]


def _tag(node: yaml.Node) -> str:
    return str(node.tag).replace("tag:yaml.org,2002:", "!!")


def _line(node: yaml.Node) -> int:
    return int(node.start_mark.line) + 1


class _Loader(yaml.CSafeLoader):
    """C safe loader whose constructors check and annotate while they build."""

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self._nodes = 0
        self._depths: dict[yaml.Node, int] = {}
        # Only an escape (or a raw NEL, which the reader lets through) can put a control character in a value.
        self._controls_possible = "\\" in stream or "\x85" in stream

    def construct_object(self, node: yaml.Node, deep: bool = False) -> Any:
        # PyYAML's BaseConstructor.construct_object, written out for this loader: it runs once per node,
        # and calling the original on top of the checks cost a sixth of the loading time. Here a node
        # met twice is an alias, refused (so no recursion bookkeeping), and every tag has a constructor
        # (unknown ones go to construct_undefined; no multi-constructors are registered).
        if node in self.constructed_objects:
            raise YamlError(_line(node), "anchors and aliases are not allowed")
        self._nodes += 1
        if self._nodes > MAX_NODES:
            raise YamlError(_line(node), f"the document has more than {MAX_NODES:,} nodes")
        if deep:
            old_deep, self.deep_construct = self.deep_construct, True
        constructor: Any = self.yaml_constructors.get(node.tag) or self.yaml_constructors[None]
        data = constructor(self, node)
        if isinstance(data, GeneratorType):
            generator = data
            data = next(generator)
            if self.deep_construct:
                for _ in generator:
                    pass
            else:
                self.state_generators.append(generator)
        self.constructed_objects[node] = data
        if deep:
            self.deep_construct = old_deep
        return data

    def construct_undefined(self, node: yaml.Node) -> Any:
        raise YamlError(
            _line(node), f"tag {_tag(node)!r} is not allowed; only plain YAML values are accepted"
        )

    def build_map(self, node: yaml.MappingNode) -> Iterator[LineMap]:
        data = LineMap()
        data.line = _line(node)
        data.key_lines = {}
        depth = self._depths.pop(node, 1) + 1
        yield data
        key_lines, construct = data.key_lines, self.construct_object  # the loop runs once per key
        for key_node, value_node in node.value:
            line = key_node.start_mark.line + 1
            if key_node.tag == _MERGE_TAG:
                raise YamlError(line, "merge keys ('<<') are not allowed")
            if not isinstance(key_node, yaml.ScalarNode):
                raise YamlError(line, "a mapping key must be a plain value, not a list or mapping")
            key = construct(key_node)
            if key in key_lines:
                raise YamlError(line, f"duplicate key {key!r} (first defined at line {key_lines[key]})")
            key_lines[key] = line
            if isinstance(value_node, yaml.CollectionNode):
                self._enter(value_node, depth)
            data[key] = construct(value_node)

    def build_seq(self, node: yaml.SequenceNode) -> Iterator[LineList]:
        data = LineList()
        data.line = _line(node)
        data.item_lines = [item.start_mark.line + 1 for item in node.value]
        depth = self._depths.pop(node, 1) + 1
        yield data
        for item in node.value:
            if isinstance(item, yaml.CollectionNode):
                self._enter(item, depth)
            data.append(self.construct_object(item))

    def _enter(self, node: yaml.Node, depth: int) -> None:
        if depth > MAX_DEPTH:
            raise YamlError(_line(node), f"the document is nested more than {MAX_DEPTH} levels deep")
        self._depths[node] = depth

    def build_str(self, node: yaml.ScalarNode) -> str:
        # A plain scalar node's value is the text (construct_scalar, two calls deep, returns just that;
        # it only matters for a '!!str' tag on a collection, which it refuses). Strings are half the nodes.
        value = node.value if type(node) is yaml.ScalarNode else str(self.construct_scalar(node))
        found = _CONTROL.search(value) if self._controls_possible else None
        if found:
            raise YamlError(
                _line(node), f"invalid YAML: control character #x{ord(found.group()):02x} is not allowed"
            )
        return value

    def build_int(self, node: yaml.ScalarNode) -> Any:
        # A whole number of more than 4,300 digits cannot be converted at all, and one beyond the float
        # range cannot be a score, weight or value: refuse both here, where the line is known.
        try:
            value = yaml.constructor.SafeConstructor.construct_yaml_int(self, node)
            float(value)
        except (ValueError, OverflowError):
            raise YamlError(_line(node), "the number is too large") from None
        return value

    def build_timestamp(self, node: yaml.ScalarNode) -> Any:
        # An impossible date (2026-02-30) stays a string, so validation reports it like any bad value.
        try:
            return yaml.constructor.SafeConstructor.construct_yaml_timestamp(self, node)
        except ValueError:
            return str(node.value)

    def refuse_tag(self, node: yaml.Node) -> Any:
        raise YamlError(
            _line(node), f"tag {_tag(node)!r} is not allowed; only plain YAML values are accepted"
        )


_Loader.add_constructor("tag:yaml.org,2002:map", _Loader.build_map)
_Loader.add_constructor("tag:yaml.org,2002:seq", _Loader.build_seq)
_Loader.add_constructor("tag:yaml.org,2002:str", _Loader.build_str)
_Loader.add_constructor("tag:yaml.org,2002:int", _Loader.build_int)
_Loader.add_constructor("tag:yaml.org,2002:timestamp", _Loader.build_timestamp)
for _name in ("binary", "set", "omap", "pairs"):
    _Loader.add_constructor(f"tag:yaml.org,2002:{_name}", _Loader.refuse_tag)
_Loader.add_constructor(None, _Loader.construct_undefined)


def _prescan(text: str) -> None:
    """Walk the event stream: refuse anchors before composing and count nodes of big files."""
    nodes = 0
    for event in yaml.parse(text, Loader=yaml.CSafeLoader):
        line = int(getattr(event.start_mark, "line", -1)) + 1
        if getattr(event, "anchor", None) is not None:
            raise YamlError(line, "anchors and aliases are not allowed")
        if isinstance(event, yaml.NodeEvent):
            nodes += 1
            if nodes > MAX_NODES:
                raise YamlError(line, f"the document has more than {MAX_NODES:,} nodes")


def _anchor_like(text: str) -> bool:
    """Whether ``text`` has anything like an anchor or alias (``_ANCHOR_LIKE``). Few '&' and '*' are
    found with str.find and checked one by one, many times faster than the expression, which tries
    every position; with many, the expression's single pass in C is the cheaper."""
    if text.count("&") + text.count("*") > _FEW_MARKS:
        return _ANCHOR_LIKE.search(text) is not None
    for mark in "&*":
        at = text.find(mark)
        while at >= 0:
            before, after = text[at - 1] if at else "\n", text[at + 1 : at + 2]
            opens = before.isspace() or before in "[{,"
            if opens and after and not after.isspace() and after not in "[]{},":
                return True
            at = text.find(mark, at + 1)
    return False


def _yaml_error(exc: yaml.YAMLError, text: str) -> YamlError:
    if isinstance(exc, yaml.reader.ReaderError) and isinstance(exc.character, int):
        # The reader reports a byte offset and a two-line message; give the line and one line instead.
        before = text.encode("utf-8")[: exc.position].decode("utf-8", "ignore")
        line = len(re.split(r"\r\n|\r|\n", before))
        return YamlError(line, f"invalid YAML: control character #x{exc.character:02x} is not allowed")
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    line = int(mark.line) + 1 if mark is not None else 0
    problem = getattr(exc, "problem", None) or str(exc)
    context = getattr(exc, "context", None)
    if "expected a single document" in f"{context} {problem}":
        return YamlError(line, "only one YAML document is allowed per file (a second one starts here)")
    message = f"{context}: {problem}" if context else problem
    if "cannot start any token" in problem and "\t" in _source_line(text, line):
        message += " (a tab: YAML indents with spaces)"
    return YamlError(line, f"invalid YAML: {message}")


def _source_line(text: str, line: int) -> str:
    lines = text.splitlines()
    return lines[line - 1] if 0 < line <= len(lines) else ""


def load_text(text: str) -> Any:
    """Parse one YAML document; raise :class:`YamlError` with a line for anything refused."""
    if "\x00" in text:
        raise YamlError(0, "this is a binary file, not YAML text")
    if len(text) > _PRESCAN_BYTES or _anchor_like(text):
        try:
            _prescan(text)
        except yaml.YAMLError as exc:
            raise _yaml_error(exc, text) from None
    loader = _Loader(text)
    try:
        return loader.get_single_data()
    except yaml.YAMLError as exc:
        raise _yaml_error(exc, text) from None
    except RecursionError:
        raise YamlError(0, "the document is nested too deeply") from None
    finally:
        loader.dispose()


def decode(raw: bytes) -> str:
    """Decode UTF-8 (a BOM is allowed); report the line of the first invalid byte."""
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        if b"\x00" in raw:
            raise YamlError(0, "this is a binary file, not YAML text") from None
        line = raw.count(b"\n", 0, exc.start) + 1
        raise YamlError(line, f"not valid UTF-8 text (byte {exc.start})") from None


def read_bytes(path: Path) -> bytes:
    """Read a regular file of at most MAX_BYTES; raise :class:`YamlError` otherwise."""
    # O_NONBLOCK: opening a named pipe must not wait for a writer (it is refused just below).
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOFOLLOW", 0)
    try:
        fd = os.open(path, flags)
    except OSError as exc:
        raise YamlError(0, f"cannot be read: {exc.strerror or exc}") from None
    if not stat.S_ISREG(os.fstat(fd).st_mode):
        os.close(fd)
        raise YamlError(0, "is not a regular file")
    try:
        with os.fdopen(fd, "rb") as handle:
            raw = handle.read(MAX_BYTES + 1)
    except OSError as exc:
        raise YamlError(0, f"cannot be read: {exc.strerror or exc}") from None
    if len(raw) > MAX_BYTES:
        raise YamlError(0, f"is larger than {MAX_BYTES // (1 << 20)} MiB")
    return raw


def load_file(path: Path) -> Any:
    """Read, decode and parse one YAML file."""
    return load_text(decode(read_bytes(path)))
