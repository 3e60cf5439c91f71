"""Hostile input: every case gets a clear `path:line: message` and exit 1 from `evaltool validate`.

Each case in CASES builds a small workspace of its own (a two-criterion catalog, one profile, two vendors)
and then breaks it: bombs, deep nesting, huge scalars, node floods, executable tags, binary text, odd keys,
NaN and infinities, hostile ids and file names, symbolic links, named pipes. Most run in-process through
`evaltool.cli.main`; a few, marked in SUBPROCESS, run the installed script in a real process (a hang or a
runaway allocation there would show as a timeout or a crash, not as a stuck test run).

Every case also checks what must hold for all input: no traceback, exit code 0 or 1, one problem per line
and no line beyond ~1,000 characters, nothing executed, nothing in the workspace created or changed.
Time and peak memory of these same cases are measured by benchmarks/bench_hostile.py, not here.
"""

from __future__ import annotations

import contextlib
import csv
import itertools
import json
import os
import random
import re
import string
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from cli_runner import invoke

from evaltool.cli import app

EVALTOOL = Path(sys.executable).parent / "evaltool"
H = "vendors/hostile.yaml"

CATALOG = """\
catalog: Hostile-input test catalog
version: "1"
segments: [Vector database]
categories:
  - id: security
    name: Security
    weight: 2
    criteria:
      - id: sec-encryption
        name: Encryption
        gate: 1
  - id: commercial
    name: Commercials
    criteria:
      - id: com-tco
        name: Total cost
        type: metric
        unit: USD
        direction: lower
        grading: {best: 100, worst: 1000}
"""

PROFILE = """\
id: balanced
name: Balanced
weights:
  security: 1
  commercial: 1
"""

# Line numbers below refer to this text.
VENDOR = """\
id: hostile
name: Hostile Vendor
segment: Vector database
kind: startup
summary: A fictional vendor for hostile-input tests.
scores:
  sec-encryption: 3
  com-tco:
    value: 500
    evidence: Vendor quote
"""

OTHER = """\
id: other
name: Other Vendor
segment: Vector database
scores:
  sec-encryption: 4
  com-tco: 300
"""

DEFAULT_FILES = {
    "criteria/catalog.yaml": CATALOG,
    "criteria/profiles/balanced.yaml": PROFILE,
    H: VENDOR,
    "vendors/other.yaml": OTHER,
}

Build = Callable[[Path], None]


def make_workspace(base: Path, build: Build | None = None) -> Path:
    """The small valid workspace in base/ws (base/outside exists for links that leave it), then build()."""
    root = base / "ws"
    (base / "outside").mkdir(parents=True, exist_ok=True)
    for relative, text in DEFAULT_FILES.items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    if build is not None:
        build(root)
    return root


def write(relative: str, content: str | bytes) -> Build:
    """Write one file (text as UTF-8, bytes as they are)."""

    def build(root: Path) -> None:
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content.encode("utf-8") if isinstance(content, str) else content)

    return build


def vendor(content: str | bytes) -> Build:
    """Replace vendors/hostile.yaml."""
    return write(H, content)


def edit(old: str, new: str, relative: str = H) -> Build:
    """Replace one occurrence of old in one of the default files."""

    def build(root: Path) -> None:
        text = DEFAULT_FILES[relative]
        assert text.count(old) == 1, old
        (root / relative).write_text(text.replace(old, new), encoding="utf-8")

    return build


def rename(new_name: str, text: str = VENDOR) -> Build:
    """Move vendors/hostile.yaml to another file name (with the given text)."""

    def build(root: Path) -> None:
        (root / H).unlink()
        (root / "vendors" / new_name).write_bytes(text.encode("utf-8"))

    return build


def steps(*builds: Build) -> Build:
    def build(root: Path) -> None:
        for step in builds:
            step(root)

    return build


# --- the hostile texts ----------------------------------------------------------------------------------


def billion_laughs() -> str:
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for prev, name in itertools.pairwise("abcdefghij"):
        lines.append(f"{name}: &{name} [{','.join([f'*{prev}'] * 9)}]")
    return "\n".join(lines) + "\n"


def many_keys(count: int = 200_000) -> str:
    """count distinct three-character keys in one block mapping: about 5 bytes a key, under 1 MiB."""
    alphabet = string.ascii_letters + string.digits
    keys = ("".join(t) for t in itertools.islice(itertools.product(alphabet, repeat=3), count))
    return "".join(f"{key}:\n" for key in keys)


def deep_block_mapping(levels: int) -> str:
    return (
        "id: hostile\nname:\n" + "".join(" " * i + "a:\n" for i in range(1, levels)) + " " * levels + "a: 1\n"
    )


def python_apply(marker: Path) -> str:
    return VENDOR.replace("kind: startup", f"kind: !!python/object/apply:os.system ['touch {marker}']")


def apply_tag(root: Path) -> None:
    vendor(python_apply(root.parent / "executed"))(root)


BIG = "x" * (900 << 10)  # a 0.9 MiB scalar: within the 1 MiB file limit
RANDOM_BYTES = random.Random(7).randbytes(4096) + b"\x00"
TAG = "is not allowed; only plain YAML values are accepted"
BAD_ID = "is not a valid id: use 1-64 lowercase letters, digits and '-', starting with a letter or digit"
LONG_ID = "a" * 65


def link(name: str, target: Callable[[Path], Path | str]) -> Build:
    def build(root: Path) -> None:
        (root / "vendors" / name).symlink_to(target(root))

    return build


def outside_file(root: Path) -> Path:
    secret = root.parent / "outside" / "secret.yaml"
    secret.write_text("password: hunter2\n")
    return secret


def vendors_folder_outside(root: Path) -> None:
    elsewhere = root.parent / "outside" / "vendors"
    (root / "vendors").rename(elsewhere)
    (root / "vendors").symlink_to(elsewhere)


def link_inside(root: Path) -> None:
    # vendors/hostile.yaml -> ../library/hostile.yaml: a link that stays in the workspace is followed.
    (root / "library").mkdir()
    (root / H).rename(root / "library" / "hostile.yaml")
    (root / H).symlink_to(Path("..") / "library" / "hostile.yaml")


def fifo(relative: str) -> Build:
    def build(root: Path) -> None:
        path = root / relative
        path.unlink(missing_ok=True)
        os.mkfifo(path)

    return build


def folder(relative: str) -> Build:
    return lambda root: (root / relative).mkdir()


@dataclass(frozen=True)
class Case:
    """A hostile input and the exact error lines `validate` must print for it (none: it is accepted)."""

    id: str
    build: Build
    errors: tuple[str | re.Pattern[str], ...]

    @property
    def code(self) -> int:
        return 1 if self.errors else 0


def case(case_id: str, build: Build, *errors: str | re.Pattern[str]) -> Case:
    return Case(case_id, build, errors)


CASES = [
    # bombs and floods
    case("billion-laughs", vendor(billion_laughs()), f"{H}:1: anchors and aliases are not allowed"),
    case(
        "anchor-in-a-valid-file",
        edit("  sec-encryption: 3", "  sec-encryption: &s 3\n  x: *s"),
        f"{H}:7: anchors and aliases are not allowed",
    ),
    case(
        "merge-key",
        edit("scores:\n", "scores:\n  <<: {sec-encryption: 1}\n"),
        f"{H}:7: merge keys ('<<') are not allowed",
    ),
    case(
        "nesting-10000-[",
        vendor("id: hostile\nname: " + "[" * 10_000 + "]" * 10_000 + "\n"),
        f"{H}:2: invalid YAML: while increasing flow level: exceeded maximum nesting depth",
    ),
    case(
        "nesting-10000-{",
        vendor("id: hostile\nname: " + "{a: " * 10_000 + "1" + "}" * 10_000 + "\n"),
        f"{H}:2: invalid YAML: while increasing flow level: exceeded maximum nesting depth",
    ),
    case(
        "nesting-10000-block-list",
        vendor("id: hostile\nname:\n" + "- " * 10_000 + "x\n"),
        f"{H}:3: invalid YAML: while increasing block level: exceeded maximum nesting depth",
    ),
    case(
        "nesting-1400-block-mapping",
        vendor(deep_block_mapping(1400)),
        f"{H}:1001: invalid YAML: while increasing block level: exceeded maximum nesting depth",
    ),
    case(
        "nesting-990-block-mapping",  # within libyaml's limit: once crashed the message builder (repr)
        vendor(deep_block_mapping(990)),
        f"{H}:34: the document is nested more than 32 levels deep",
    ),
    case(
        "nesting-33-levels-in-facts",  # facts take any value: deep ones once crashed the report
        edit("kind: startup", "kind: startup\nfacts: {deep: " + "[" * 31 + "]" * 31 + "}"),
        f"{H}:5: the document is nested more than 32 levels deep",
    ),
    case(
        "nesting-32-levels-accepted",
        edit("kind: startup", "kind: startup\nfacts: {deep: " + "[" * 30 + "]" * 30 + "}"),
    ),
    case("scalar-0.9MiB-summary-accepted", edit("summary: A fictional", f"summary: {BIG} A fictional")),
    case(
        "scalar-0.9MiB-id-refused-message-capped",
        rename("hostile.yaml", VENDOR.replace("id: hostile", f"id: {BIG}")),
        f"{H}:1: id: 'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx... {BAD_ID}",
        re.compile(re.escape(f"{H}:1: id: id 'x") + "x{900,1000}\\.\\.\\."),
    ),
    case("file-2MiB", vendor(VENDOR + "#" * (2 << 20)), f"{H}: is larger than 1 MiB"),
    case(
        "millions-of-keys-in-10MiB",
        vendor("".join(f"k{i}: 1\n" for i in range(1_400_000))),
        f"{H}: is larger than 1 MiB",
    ),
    case(
        "node-cap-200k-keys-under-1MiB",
        vendor(many_keys()),
        f"{H}:50000: the document has more than 100,000 nodes",
    ),
    case(
        "number-5000-digits",
        edit("sec-encryption: 3", "sec-encryption: " + "9" * 5000),
        f"{H}:7: the number is too large",
    ),
    case(
        "number-beyond-float-range",
        edit("value: 500", "value: " + "9" * 400),
        f"{H}:9: the number is too large",
    ),
    # tags: nothing is ever constructed from a tag, let alone executed
    case("python-object-apply-os-system", apply_tag, f"{H}:4: tag '!!python/object/apply:os.system' {TAG}"),
    case(
        "python-name",
        edit("kind: startup", "kind: !!python/name:os.system ''"),
        f"{H}:4: tag '!!python/name:os.system' {TAG}",
    ),
    case(
        "python-object-new",
        edit("kind: startup", "kind: !!python/object/new:subprocess.Popen [[id]]"),
        f"{H}:4: tag '!!python/object/new:subprocess.Popen' {TAG}",
    ),
    case("local-tag", edit("kind: startup", "kind: !vendor startup"), f"{H}:4: tag '!vendor' {TAG}"),
    case(
        "verbatim-tag",
        edit("kind: startup", "kind: !<tag:example.com,2026:x> startup"),
        f"{H}:4: tag 'tag:example.com,2026:x' {TAG}",
    ),
    case(
        "tag-on-the-document", vendor("!!python/object:x\n" + VENDOR), f"{H}:1: tag '!!python/object:x' {TAG}"
    ),
    case("binary-tag", edit("kind: startup", "kind: !!binary c3RhcnR1cA=="), f"{H}:4: tag '!!binary' {TAG}"),
    case("set-tag", edit("kind: startup", "kind: !!set {a: null}"), f"{H}:4: tag '!!set' {TAG}"),
    # bytes and text
    case("binary-file", vendor(RANDOM_BYTES), f"{H}: this is a binary file, not YAML text"),
    case(
        "png-file",
        vendor(b"\x89PNG\r\n\x1a\n" + RANDOM_BYTES[:64].replace(b"\x00", b"")),
        f"{H}:1: not valid UTF-8 text (byte 0)",
    ),
    case(
        "invalid-utf8",
        vendor(VENDOR.replace("Hostile Vendor", "Hostile V\xe9ndor").encode("latin-1")),
        f"{H}:2: not valid UTF-8 text (byte 27)",
    ),
    case("utf16-file", vendor(VENDOR.encode("utf-16")), f"{H}: this is a binary file, not YAML text"),
    case(
        "null-byte", edit("Hostile Vendor", "Hostile\x00Vendor"), f"{H}: this is a binary file, not YAML text"
    ),
    case(
        "escaped-null-byte",
        edit("name: Hostile Vendor", 'name: "Hostile\\0Vendor"'),
        f"{H}:2: invalid YAML: control character #x00 is not allowed",
    ),
    case(
        "escaped-terminal-escape",
        edit("name: Hostile Vendor", 'name: "\\e[2J\\e]0;owned\\a"'),
        f"{H}:2: invalid YAML: control character #x1b is not allowed",
    ),
    case(
        "raw-terminal-escape",
        edit("Hostile Vendor", "Hostile \x1b[31mVendor"),
        f"{H}:2: invalid YAML: control character #x1b is not allowed",
    ),
    case("bom-accepted", vendor(b"\xef\xbb\xbf" + VENDOR.encode())),
    case("crlf-accepted", vendor(VENDOR.replace("\n", "\r\n").encode())),
    case("cr-only-accepted", vendor(VENDOR.replace("\n", "\r").encode())),
    case(
        "bom-and-crlf-lines-still-count",
        vendor(b"\xef\xbb\xbf" + VENDOR.replace("\n", "\r\n").replace(": 3", ": 9").encode()),
        f"{H}:7: scores.sec-encryption: score 9 is outside the rubric scale 0..5",
    ),
    case(
        "tab-indent",
        edit("  sec-encryption", "\tsec-encryption"),
        f"{H}:7: invalid YAML: while scanning for the next token: found character that cannot start any "
        "token (a tab: YAML indents with spaces)",
    ),
    case("tab-inside-a-value-accepted", edit("Hostile Vendor", "Hostile\tVendor")),
    case(
        "two-documents",
        vendor(VENDOR + "---\nid: second\n"),
        f"{H}:11: only one YAML document is allowed per file (a second one starts here)",
    ),
    case("empty-file", vendor(""), f"{H}:1: the file is empty"),
    case(
        "list-document",
        vendor("- a\n- b\n"),
        f"{H}:1: the file must hold a mapping of keys to values, not a list",
    ),
    # keys that are not text
    case(
        "int-key",
        edit("kind: startup", "kind: startup\n123: x"),
        f"{H}:5: 123: a key must be text, not 123 (quote it)",
    ),
    case(
        "date-key",
        edit("kind: startup", "kind: startup\n2026-01-01: x"),
        f"{H}:5: 2026-01-01: a key must be text, not 2026-01-01 (quote it)",
    ),
    case(
        "list-key",
        edit("kind: startup", "kind: startup\n? [a, b]\n: x"),
        f"{H}:5: a mapping key must be a plain value, not a list or mapping",
    ),
    case(
        "mapping-key",
        edit("kind: startup", "kind: startup\n{a: 1}: x"),
        f"{H}:5: a mapping key must be a plain value, not a list or mapping",
    ),
    case(
        "int-key-in-scores",
        edit("  sec-encryption: 3", "  sec-encryption: 3\n  42: 1"),
        f"{H}:8: scores.42: must be a string id, not 42",
        f"{H}:8: scores.42: unknown criterion '42'",
    ),
    case(
        "null-key-in-scores",
        edit("  sec-encryption: 3", "  sec-encryption: 3\n  ~: 1"),
        f"{H}:8: scores.None: must be a string id, not null",
        f"{H}:8: scores.None: unknown criterion 'None'",
    ),
    # NaN and infinities, wherever a number goes
    case(
        "nan-score",
        edit("sec-encryption: 3", "sec-encryption: .nan"),
        f"{H}:7: scores.sec-encryption: must be a finite number, not nan",
    ),
    case(
        "inf-score-long-form",
        edit("  sec-encryption: 3", "  sec-encryption: {score: .inf}"),
        f"{H}:7: scores.sec-encryption.score: must be a finite number, not inf",
    ),
    case(
        "minus-inf-score",
        edit("sec-encryption: 3", "sec-encryption: -.Inf"),
        f"{H}:7: scores.sec-encryption: must be a finite number, not -inf",
    ),
    case(
        "nan-metric-value",
        edit("value: 500", "value: .NaN"),
        f"{H}:9: scores.com-tco.value: must be a finite number, not nan",
    ),
    case(
        "inf-profile-weight",
        edit("security: 1", "security: .inf", "criteria/profiles/balanced.yaml"),
        "criteria/profiles/balanced.yaml:4: weights.security: must be a finite number, not inf",
    ),
    case(
        "nan-gate",
        edit("gate: 1", "gate: .nan", "criteria/catalog.yaml"),
        "criteria/catalog.yaml:11: categories[0].criteria[0].gate: must be a finite number, not nan",
    ),
    case(
        "inf-grading",
        edit("best: 100,", "best: .inf,", "criteria/catalog.yaml"),
        "criteria/catalog.yaml:20: categories[1].criteria[0].grading.best: must be a finite number, not inf",
    ),
    # ids: too long, path separators, shell characters
    case(
        "vendor-id-65-chars",
        rename(f"{LONG_ID}.yaml", VENDOR.replace("id: hostile", f"id: {LONG_ID}")),
        f"vendors/{LONG_ID}.yaml:1: id: 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa... {BAD_ID}",
    ),
    case(
        "criterion-id-65-chars",
        steps(
            edit("id: sec-encryption", f"id: {LONG_ID}", "criteria/catalog.yaml"),
            write(H, VENDOR.replace("  sec-encryption: 3\n", "")),
            write("vendors/other.yaml", OTHER.replace("  sec-encryption: 4\n", "")),
        ),
        f"criteria/catalog.yaml:9: categories[0].criteria[0].id: '{'a' * 36}... {BAD_ID}",
    ),
    *[
        case(
            f"vendor-id-{name}",
            edit("id: hostile", f"id: '{bad}'"),
            f"{H}:1: id: {shown} {BAD_ID}",
            f"{H}:1: id: id '{bad}' must equal the file name 'hostile'",
        )
        for name, bad, shown in [
            ("dot-dot-slash", "../x", "'../x'"),
            ("slash", "a/b", "'a/b'"),
            ("command-substitution", "$(rm -rf /)", "'$(rm -rf /)'"),
            ("semicolon", ";", "';'"),
            ("backticks", "`id`", "'`id`'"),
        ]
    ],
    case(
        "score-key-with-path-separator",
        edit("  sec-encryption: 3", "  sec-encryption: 3\n  ../../etc/passwd: 1"),
        f"{H}:8: scores.../../etc/passwd: '../../etc/passwd' {BAD_ID}",
        f"{H}:8: scores.../../etc/passwd: unknown criterion '../../etc/passwd'",
    ),
    case(
        "profile-weight-key-with-shell-characters",
        edit("security: 1", "security: 1\n  $(rm -rf /): 1", "criteria/profiles/balanced.yaml"),
        f"criteria/profiles/balanced.yaml:5: weights.$(rm -rf /): '$(rm -rf /)' {BAD_ID}",
    ),
    # file names
    case(
        "file-name-with-spaces",
        rename("hostile vendor.yaml"),
        "vendors/hostile vendor.yaml:1: id: id 'hostile' must equal the file name 'hostile vendor'",
    ),
    case(
        "file-name-unicode",
        rename("höstile.yaml", VENDOR.replace("id: hostile", "id: höstile")),
        f"vendors/höstile.yaml:1: id: 'höstile' {BAD_ID}",
    ),
    case(
        "file-name-with-newline-and-escape",
        rename("x\nvendors\x1b[2J.yaml"),
        "vendors/x\\nvendors\\x1b[2J.yaml:1: id: id 'hostile' must equal the file name 'x\\nvendors\\x1b[2J'",
    ),
    case(
        "text-that-forges-a-problem-line",
        edit("segment: Vector database", 'segment: "Vector\\nvendors/other.yaml:1: forged"'),
        f"{H}:3: segment: 'Vector\\nvendors/other.yaml:1: forged' is not one of the catalog's segments: "
        "Vector database",
    ),
    # links, pipes and folders where a file should be
    case(
        "symlink-out-of-the-workspace",
        link("leak.yaml", outside_file),
        "vendors/leak.yaml: is a symbolic link to a file outside the workspace; refused",
    ),
    case(
        "symlink-to-dev-zero",
        link("zero.yaml", lambda root: "/dev/zero"),
        "vendors/zero.yaml: is a symbolic link to a file outside the workspace; refused",
    ),
    case(
        "symlink-loop",
        link("loop.yaml", lambda root: root / "vendors" / "loop.yaml"),
        "vendors/loop.yaml: is a symbolic link that loops; refused",
    ),
    case(
        "vendors-folder-linked-out-of-the-workspace",
        vendors_folder_outside,
        "vendors/hostile.yaml: lies outside the workspace (a folder on its path is a symbolic link); refused",
        "vendors/other.yaml: lies outside the workspace (a folder on its path is a symbolic link); refused",
    ),
    case("symlink-inside-the-workspace-accepted", link_inside),
    case("fifo-named-yaml", fifo("vendors/pipe.yaml"), "vendors/pipe.yaml: is not a regular file"),
    case("fifo-as-catalog", fifo("criteria/catalog.yaml"), "criteria/catalog.yaml: is not a regular file"),
    case("folder-named-yaml", folder("vendors/x.yaml"), "vendors/x.yaml: is not a regular file"),
]

# These run the installed script in a real process: the worst cases for memory and time, and the pipe.
SUBPROCESS = {
    "billion-laughs",
    "nesting-10000-[",
    "node-cap-200k-keys-under-1MiB",
    "python-object-apply-os-system",
    "fifo-named-yaml",
}


def snapshot(root: Path) -> dict[str, bytes]:
    """Every regular file under root (links not followed) and its bytes."""
    out = {}
    for folder_path, _, names in os.walk(root):
        for name in names:
            path = Path(folder_path, name)
            if path.is_file() and not path.is_symlink():
                out[str(path.relative_to(root))] = path.read_bytes()
    return out


def run_in_process(args: list[str]) -> tuple[int, str, str]:
    return invoke(args)


def run_process(args: list[str], timeout: float = 120) -> tuple[int, str, str]:
    command = [str(EVALTOOL)] if EVALTOOL.exists() else [sys.executable, "-m", "evaltool"]
    env = {k: v for k, v in os.environ.items() if k != "EVALTOOL_WORKSPACE"}
    done = subprocess.run(
        [*command, *args], capture_output=True, text=True, timeout=timeout, env={**env, "COLUMNS": "200"}
    )
    return done.returncode, done.stdout, done.stderr


def matches(line: str, expected: str | re.Pattern[str]) -> bool:
    return bool(expected.fullmatch(line)) if isinstance(expected, re.Pattern) else line == expected


@pytest.fixture(autouse=True)
def _plain_environment(monkeypatch):
    monkeypatch.setenv("COLUMNS", "200")
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.delenv("EVALTOOL_WORKSPACE", raising=False)


@pytest.mark.parametrize("hostile", CASES, ids=[c.id for c in CASES])
def test_hostile_input_gets_a_clear_message_and_exit_1(hostile: Case, tmp_path):
    root = make_workspace(tmp_path, hostile.build)
    before = snapshot(tmp_path)
    args = ["validate", "--workspace", str(root)]
    code, out, err = run_process(args) if hostile.id in SUBPROCESS else run_in_process(args)

    assert "Traceback" not in out + err
    assert code == hostile.code, out + err
    *problems, summary = out.splitlines()
    errors = [line for line in problems if ": warning: " not in line]
    assert len(errors) == len(hostile.errors), errors
    for line, expected in zip(errors, hostile.errors, strict=True):
        assert matches(line, expected), line[:300]
        assert len(line) < 1100
    assert summary.startswith("invalid: " if hostile.errors else "valid: ")
    assert snapshot(tmp_path) == before, "validate must not create or change any file"
    assert not (tmp_path / "executed").exists()


def test_the_executable_tag_is_refused_without_running_anything(tmp_path):
    # The same file, given straight to the loader and to a real process: the marker is never created.
    marker = tmp_path / "executed"
    root = make_workspace(tmp_path, vendor(python_apply(marker)))
    from evaltool.yamlio import YamlError, load_file

    with pytest.raises(YamlError):
        load_file(root / H)
    assert run_process(["validate", "--workspace", str(root)])[0] == 1
    assert not marker.exists()


def test_a_bomb_and_a_node_flood_stay_within_bounded_memory(tmp_path):
    # Peak memory of a real `evaltool validate` on the worst inputs; expanding the bomb would need gigabytes.
    # A generous bound, not a benchmark: benchmarks/bench_hostile.py reports the actual numbers.
    for index, text in enumerate([billion_laughs(), many_keys()]):
        root = make_workspace(tmp_path / str(index), vendor(text))
        code, peak_mib = validate_with_peak_memory(root)
        assert code == 1
        assert peak_mib < 400, f"peak RSS {peak_mib:.0f} MiB"


def validate_with_peak_memory(root: Path) -> tuple[int, float]:
    """Exit code and peak RSS (MiB) of `evaltool validate` run as the only child of a fresh interpreter."""
    probe = (
        "import resource, subprocess, sys\n"
        "done = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)\n"
        "print(done.returncode, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)\n"
    )
    command = [str(EVALTOOL)] if EVALTOOL.exists() else [sys.executable, "-m", "evaltool"]
    done = subprocess.run(
        [sys.executable, "-c", probe, *command, "validate", "--workspace", str(root)],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    code, kib = done.stdout.split()
    return int(code), int(kib) / 1024  # ru_maxrss is in KiB on Linux


# --- hostile text in valid files reaches every writer as text -------------------------------------------

HOSTILE_TEXT = {
    "name": "<script>alert(1)</script> =1+1",
    "summary": '=HYPERLINK("http://evil.example/x","click") <img src=x onerror=alert(1)> '
    "[link](http://evil.example) ![img](http://evil.example/t.png)",
    "evidence": "=1+1 <b>bold</b> | pipe | `code` *em*",
    "metric_evidence": "+cmd|' /C calc'!A0",
    "source": "javascript:alert(1)",
    "hq": "@SUM(A1:A9)",
}


def hostile_but_valid(root: Path) -> None:
    t = {key: json.dumps(value) for key, value in HOSTILE_TEXT.items()}  # JSON strings are YAML strings
    (root / H).write_text(
        f"id: hostile\nname: {t['name']}\nsegment: Vector database\nkind: startup\n"
        f"summary: {t['summary']}\nwebsite: {t['source']}\nfacts: {{hq: {t['hq']}, neg: '-2+3'}}\n"
        f"scores:\n  sec-encryption: {{score: 3, evidence: {t['evidence']}, source: {t['source']}}}\n"
        f"  com-tco: {{value: 500, evidence: {t['metric_evidence']}}}\n",
        encoding="utf-8",
    )


def registered(command: str) -> bool:
    """Every writer command must exist: a missing one fails here rather than quietly dropping its cases."""
    assert any(c.name == command for c in app.registered_commands), f"no '{command}' command"
    return True


FORMULA = ("=", "+", "-", "@", "\t", "\r")


def _spreadsheet_safe(cell: str) -> bool:
    if not cell.startswith(FORMULA):
        return True
    with contextlib.suppress(ValueError):
        float(cell)  # a negative number is a number, not a formula
        return True
    return False


@pytest.mark.parametrize("fmt", ["html", "md"])
def test_hostile_text_in_the_report_is_escaped(tmp_path, fmt):
    root = make_workspace(tmp_path, hostile_but_valid)
    out = tmp_path / f"report.{fmt}"
    code, _, err = run_in_process(["report", "-w", str(root), "-f", fmt, "-o", str(out), "--samples", "200"])
    assert code == 0, err
    text = out.read_text(encoding="utf-8")
    markup = ["<script>alert", "<img src=x", "<b>bold", 'href="javascript:']
    if fmt == "md":
        markup += ["[link](http", "![img](http"]  # Markdown links would be live in a Markdown viewer
    for raw in markup:
        assert raw not in text  # shown as text, never a tag or a link
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in text or "&lt;script\\>alert(1)&lt;/script\\>" in text
    if fmt == "html":
        loads = re.findall(
            r"""<(?:img|script|iframe|link)\b[^>]*\b(?:src|href)\s*=\s*["']?(?:https?:)?//""", text
        )
        assert not loads, "the HTML must not load anything from the network"


def test_hostile_text_in_the_csv_export_is_never_a_formula(tmp_path):
    root = make_workspace(tmp_path, hostile_but_valid)
    out = tmp_path / "scorecard.csv"
    code, _, err = run_in_process(
        ["export", "-w", str(root), "-f", "csv", "-o", str(out), "--samples", "200"]
    )
    assert code == 0, err
    with out.open(encoding="utf-8", newline="") as handle:
        cells = [cell for row in csv.reader(handle) for cell in row]
    assert not [cell for cell in cells if not _spreadsheet_safe(cell)]
    assert "'" + HOSTILE_TEXT["evidence"] in cells


def test_hostile_text_in_the_xlsx_export_is_never_a_formula(tmp_path):
    openpyxl = pytest.importorskip("openpyxl")
    root = make_workspace(tmp_path, hostile_but_valid)
    out = tmp_path / "scorecard.xlsx"
    code, _, err = run_in_process(
        ["export", "-w", str(root), "-f", "xlsx", "-o", str(out), "--samples", "200"]
    )
    assert code == 0, err
    book = openpyxl.load_workbook(out)
    cells = [cell for sheet in book for row in sheet.iter_rows() for cell in row]
    assert not [c.coordinate for c in cells if c.data_type == "f"], "no cell may hold a formula"
    texts = [c.value for c in cells if isinstance(c.value, str)]
    assert any(HOSTILE_TEXT["evidence"] in value for value in texts)


def test_case_ids_are_unique():
    # benchmarks/bench_hostile.py imports CASES and prints one row per id.
    assert len({c.id for c in CASES}) == len(CASES)
    assert {c.id for c in CASES} >= SUBPROCESS


def test_a_segment_name_with_path_characters_cannot_steer_the_default_output_path(tmp_path):
    # Default output names are built from the segment; "../" in it must not leave reports/.
    segment = "../../outside/$(id);Vector database"

    def build(root: Path) -> None:
        for relative in ("criteria/catalog.yaml", H, "vendors/other.yaml"):
            text = (root / relative).read_text(encoding="utf-8")
            (root / relative).write_text(
                text.replace("Vector database", json.dumps(segment)), encoding="utf-8"
            )

    root = make_workspace(tmp_path, build)
    written = []
    for args in (["report", "-f", "md"], ["export", "-f", "json"]):
        code, out, err = run_in_process([*args, "-w", str(root), "--samples", "100", "-s", segment])
        assert code == 0, err
        written.append(Path(out.strip()))
    for path in written:
        assert path.parent == root / "reports", path
        assert path.name.startswith("outside-id-vector-database-"), path.name
    assert sorted(p.name for p in (tmp_path / "outside").iterdir()) == []
