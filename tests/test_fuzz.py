"""Fuzzing the loader and `validate` with structure-aware mutations of the bundled files.

Each example takes one of the repository's own files (the catalog, a profile or a vendor), parses it,
applies a few mutations to the data (delete, duplicate or rename a key, swap a value's type, insert
unicode and control characters, flip a number to a string, NaN, a negative or a huge value, nest a value
deeper), writes it back as YAML, may then damage the text (truncate it, inject tags, anchors, aliases,
merge keys, a second document, tabs, a BOM, NUL bytes, duplicate or drop a line), and puts it in a small
workspace beside unmodified bundled files. Then:

- `check_workspace` never raises: every problem comes back as a Problem, printable on one line;
- `evaltool validate` exits 0 or 1 (never 3), and 1 exactly when there is an error;
- a workspace that validates also scores (`evaltool score --format json` exits 0).

The suite runs a fast, derandomised profile (the same 150 examples every time, so `make test` is stable);
benchmarks/fuzz_long.py runs the same strategies on fresh random examples (`make fuzz`, 20,000 by default).
"""

from __future__ import annotations

import datetime as dt
import math
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml
from cli_runner import invoke
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from evaltool.errors import Problem
from evaltool.workspace import check_workspace

REPO = Path(__file__).resolve().parent.parent
AS_OF = dt.date(2026, 11, 30)
CATALOG = "criteria/catalog.yaml"
PROFILES = sorted(p.relative_to(REPO).as_posix() for p in (REPO / "criteria" / "profiles").glob("*.yaml"))
VENDORS = sorted(p.relative_to(REPO).as_posix() for p in (REPO / "vendors").glob("*.yaml"))
TARGETS = [CATALOG, *PROFILES, *VENDORS]
TEXTS = {name: (REPO / name).read_text(encoding="utf-8") for name in TARGETS}
FAST = settings(
    max_examples=150,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

# --- values ---------------------------------------------------------------------------------------------

NASTY_CHARS = st.sampled_from(
    ["\x00", "\x07", "\x1b[2J", "\x85", "\u2028", "\u202e", "\ufeff", "\ud800", "\t", "\r", "\n", "'", '"',
     "\\", ":", "#", "&a", "*a", "!!", "{", "[", "- ", "é", "日本", "🙂", "\U0010ffff"]
)  # fmt: skip
NASTY_TEXT = st.lists(st.one_of(NASTY_CHARS, st.text(max_size=6)), min_size=1, max_size=4).map("".join)
NUMBERS = st.one_of(
    st.integers(-(10**6), 10**6),
    st.sampled_from([0, -1, -0.0, 5.5, 1e308, -1e308, 10**20, 10**400, math.nan, math.inf, -math.inf]),
    st.floats(allow_nan=True, allow_infinity=True),
)
SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    NUMBERS,
    NASTY_TEXT,
    st.dates(min_value=dt.date(1, 1, 1)),
    st.sampled_from(["", "yes", "null", "2026-02-30", "1/3", "0x1F", "1e3", ".nan", "~", "<<"]),
)
VALUES = st.recursive(
    SCALARS,
    lambda inner: st.one_of(
        st.lists(inner, max_size=3), st.dictionaries(st.one_of(NASTY_TEXT, SCALARS), inner, max_size=3)
    ),
    max_leaves=6,
)

# --- mutations of the data ------------------------------------------------------------------------------

Slot = tuple[Any, Any]  # (container, key or index) of one value in the document


def slots(node: Any) -> list[Slot]:
    """Every (container, key) pair in the document, depth first."""
    out: list[Slot] = []
    pending = [node]
    while pending:
        current = pending.pop()
        items = current.items() if isinstance(current, dict) else enumerate(current)
        for key, value in list(items):
            out.append((current, key))
            if isinstance(value, dict | list) and value:
                pending.append(value)
    return out


def _delete(data: st.DataObject, container: Any, key: Any) -> None:
    del container[key]


def _rename(data: st.DataObject, container: Any, key: Any) -> None:
    if isinstance(container, dict):
        new = data.draw(
            st.one_of(
                NASTY_TEXT,
                SCALARS.filter(lambda k: not isinstance(k, float) or not math.isnan(k)),
                st.just(str(key).upper()),
                st.just(f"{key}x"),
            )
        )
        container[new] = container.pop(key)


def _duplicate(data: st.DataObject, container: Any, key: Any) -> None:
    if isinstance(container, list):
        container.insert(key, container[key])
    else:  # a dict cannot hold the same key twice: the text mutations duplicate lines instead
        container[f"{key}-copy"] = container[key]


def _swap_type(data: st.DataObject, container: Any, key: Any) -> None:
    container[key] = data.draw(VALUES)


def _insert_chars(data: st.DataObject, container: Any, key: Any) -> None:
    value = container[key]
    text = value if isinstance(value, str) else str(value)
    at = data.draw(st.integers(0, len(text)))
    container[key] = text[:at] + data.draw(NASTY_TEXT) + text[at:]


def _flip_number(data: st.DataObject, container: Any, key: Any) -> None:
    value = container[key]
    if isinstance(value, int | float) and not isinstance(value, bool):
        container[key] = data.draw(
            st.sampled_from(
                [str(value), -value, value * 10**6, math.nan, math.inf, 10**400, f"{value}%", None]
            )
        )
    else:
        container[key] = data.draw(NUMBERS)


def _nest(data: st.DataObject, container: Any, key: Any) -> None:
    value = container[key]
    for _ in range(data.draw(st.integers(1, 40))):
        value = data.draw(st.sampled_from([[value], {"x": value}]))
    container[key] = value


DATA_MUTATIONS: list[Callable[[st.DataObject, Any, Any], None]] = [
    _delete, _rename, _duplicate, _swap_type, _insert_chars, _flip_number, _nest,
]  # fmt: skip


def mutate_data(data: st.DataObject, document: Any) -> Any:
    """Apply 1-3 data mutations, each at a drawn place; the document itself may be replaced."""
    for _ in range(data.draw(st.integers(1, 3), label="data mutations")):
        places = slots(document) if isinstance(document, dict | list) else []
        if not places:
            return data.draw(VALUES)
        container, key = data.draw(st.sampled_from(places), label="place")
        data.draw(st.sampled_from(DATA_MUTATIONS), label="mutation")(data, container, key)
    return document


# --- mutations of the text ------------------------------------------------------------------------------

SNIPPETS = st.sampled_from([
    "!!python/object/apply:os.system ['echo pwned'] ", "!!python/name:os.system ", "!custom ", "!<tag:x> ",
    "!!binary ", "!!set ", "&anchor ", "*anchor", "<<: {a: 1}\n", "---\n", "...\n", "%YAML 1.1\n---\n",
    "\t", "\ufeff", "\x00", "\r\n", "\r", "? [a, b]\n: c\n", "{", "}", "[", "]", "'", '"', "|\n", ">-\n",
    "key: value\n", ": ", "- ", "# comment\n", "@", "`", "\x1b[31m", "\u2028", "\\", "a: &x 1\nb: *x\n",
])  # fmt: skip


def mutate_text(data: st.DataObject, text: str) -> str:
    """Apply 0-2 text mutations: insert a snippet, duplicate, drop or swap lines, indent with a tab, cut."""
    for _ in range(data.draw(st.integers(0, 2), label="text mutations")):
        lines = text.splitlines(keepends=True) or [""]
        kind = data.draw(st.sampled_from(["insert", "duplicate", "drop", "swap", "tab", "truncate"]))
        i = data.draw(st.integers(0, len(lines) - 1))
        if kind == "insert":
            at = data.draw(st.integers(0, len(text)))
            text = text[:at] + data.draw(SNIPPETS) + text[at:]
        elif kind == "duplicate":
            text = "".join(lines[: i + 1] + lines[i:])
        elif kind == "drop":
            text = "".join(lines[:i] + lines[i + 1 :])
        elif kind == "swap":
            j = data.draw(st.integers(0, len(lines) - 1))
            lines[i], lines[j] = lines[j], lines[i]
            text = "".join(lines)
        elif kind == "tab":
            lines[i] = "\t" + lines[i].lstrip(" ")
            text = "".join(lines)
        else:
            text = text[: data.draw(st.integers(0, len(text)))]
    return text


def dump(document: Any) -> str:
    try:
        return yaml.safe_dump(document, allow_unicode=True, sort_keys=False, width=200)
    except yaml.YAMLError:  # a value PyYAML cannot represent: keep a plain string of it
        return yaml.safe_dump(repr(document), allow_unicode=True)


def mutated_file(data: st.DataObject) -> tuple[str, bytes]:
    """One bundled file, mutated: (its workspace path, the bytes to write)."""
    target = data.draw(st.sampled_from(TARGETS), label="file")
    text = TEXTS[target]
    if data.draw(st.booleans(), label="mutate the data"):
        text = dump(mutate_data(data, yaml.safe_load(text)))
    text = mutate_text(data, text)
    return target, text.encode("utf-8", errors="surrogatepass")


# --- the property ---------------------------------------------------------------------------------------


def companions(target: str) -> list[str]:
    """Unmodified files placed beside the mutated one: the catalog, a profile, a vendor or two."""
    return [CATALOG, PROFILES[0], *VENDORS[:2], target]


def write_workspace(root: Path, target: str, content: bytes) -> None:
    if root.exists():
        shutil.rmtree(root)
    (root / "criteria" / "profiles").mkdir(parents=True)
    (root / "vendors").mkdir()
    for name in companions(target):
        (root / name).write_bytes(content if name == target else TEXTS[name].encode("utf-8"))


def run_cli(*args: str) -> tuple[int, str, str]:
    return invoke(args)


def check(root: Path, data: st.DataObject) -> list[Problem]:
    """The property for one example; returns the problems found (for the long run's statistics)."""
    target, content = mutated_file(data)
    write_workspace(root, target, content)

    workspace, problems = check_workspace(root, AS_OF)  # must not raise
    assert all(isinstance(p, Problem) for p in problems)
    for problem in problems:
        text = str(problem)
        assert "\n" not in text and "\r" not in text and "\x1b" not in text, text
    has_errors = any(not p.warning for p in problems)
    assert (workspace is None) == has_errors

    code, _, err = run_cli("validate", "-w", str(root), "--as-of", AS_OF.isoformat())
    assert code in (0, 1), err
    assert code == (1 if has_errors else 0), err
    if workspace is not None:
        code, _, err = run_cli("score", "-w", str(root), "--as-of", AS_OF.isoformat(), "--format", "json")
        assert code == 0, err
    return problems


@pytest.fixture(scope="module")
def fuzz_root(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("fuzz") / "ws"


@pytest.fixture(autouse=True)
def _plain_environment(monkeypatch):
    monkeypatch.setenv("COLUMNS", "200")
    monkeypatch.delenv("EVALTOOL_WORKSPACE", raising=False)


@FAST
@given(data=st.data())
def test_mutated_bundled_files_never_crash_validate(fuzz_root, data):
    check(fuzz_root, data)


def test_the_unmutated_companions_are_valid(fuzz_root):
    # The property is only meaningful if a workspace of unmodified files validates.
    write_workspace(fuzz_root, VENDORS[2], TEXTS[VENDORS[2]].encode())
    workspace, problems = check_workspace(fuzz_root, AS_OF)
    assert workspace is not None, [str(p) for p in problems if not p.warning]
