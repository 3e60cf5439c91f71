"""Tests of evaltool.yamlio: safe loading, the refusals of docs/formats.md#safe-yaml and their lines.

The first half drives `load_text`/`decode`/`read_bytes` directly; the second checks that each refusal
reaches `evaltool validate` as one `path:line: message` with exit code 1.
"""

from __future__ import annotations

import datetime as dt
import os
import random
import threading

import pytest

from evaltool import yamlio
from evaltool.yamlio import (
    MAX_BYTES,
    MAX_NODES,
    LineList,
    LineMap,
    YamlError,
    decode,
    load_file,
    load_text,
    read_bytes,
)

BETA = "vendors/beta-vector.yaml"


def refusal(text: str) -> tuple[int, str]:
    with pytest.raises(YamlError) as info:
        load_text(text)
    return info.value.line, info.value.message


# --- values and lines -----------------------------------------------------------------------------------


def test_mappings_and_lists_remember_their_lines():
    data = load_text("a: 1\nb:\n  - x\n  -\n    c: 2\n    d: [3, 4]\n")
    assert isinstance(data, LineMap)
    assert data == {"a": 1, "b": ["x", {"c": 2, "d": [3, 4]}]}
    assert (data.line, data.key_lines) == (1, {"a": 1, "b": 2})
    items = data["b"]
    assert isinstance(items, LineList)
    assert (items.line, items.item_lines) == (3, [3, 5])
    assert data["b"][1].key_lines == {"c": 5, "d": 6}
    assert data["b"][1]["d"].item_lines == [6, 6]


def test_plain_values_and_standard_tags_are_accepted():
    text = "a: !!int 3\nb: !!float 1\nc: !!null ''\nd: !!bool yes\ne: !!str 2026-01-01\nf: 2026-01-01\ng: ~\n"
    assert load_text(text) == {
        "a": 3,
        "b": 1.0,
        "c": None,
        "d": True,
        "e": "2026-01-01",
        "f": dt.date(2026, 1, 1),
        "g": None,
    }


def test_an_impossible_date_stays_a_string_for_validation_to_report():
    assert load_text("a: 2026-02-30\nb: 2026-02-28\n") == {"a": "2026-02-30", "b": dt.date(2026, 2, 28)}


@pytest.mark.parametrize("text", ["", "# only a comment\n", "---\n", "---\n...\n"])
def test_an_empty_document_is_none(text):
    assert load_text(text) is None


def test_one_document_with_explicit_start_and_end_markers_is_fine():
    assert load_text("---\na: 1\n...\n") == {"a": 1}


def test_nan_and_infinity_are_loaded_as_floats_for_the_models_to_refuse():
    data = load_text("a: .nan\nb: .inf\nc: -.inf\n")
    assert data["a"] != data["a"]
    assert (data["b"], data["c"]) == (float("inf"), float("-inf"))


# --- refusals -------------------------------------------------------------------------------------------

REFUSED = [
    pytest.param("a: 1\nb: 2\na: 3\n", 3, "duplicate key 'a' (first defined at line 1)", id="duplicate-key"),
    pytest.param(
        "x:\n  a: 1\n  a: 1\n", 3, "duplicate key 'a' (first defined at line 2)", id="duplicate-nested-key"
    ),
    pytest.param("1: a\n1: b\n", 2, "duplicate key 1 (first defined at line 1)", id="duplicate-number-key"),
    pytest.param("a: &x 1\nb: *x\n", 1, "anchors and aliases are not allowed", id="anchor-and-alias"),
    pytest.param("a: 1\nb: &x 2\n", 2, "anchors and aliases are not allowed", id="anchor-alone"),
    pytest.param("a: 1\nb: *x\n", 2, "anchors and aliases are not allowed", id="alias-alone"),
    pytest.param("a: 1\n<<: {b: 2}\n", 2, "merge keys ('<<') are not allowed", id="merge-key"),
    pytest.param(
        "a: !!python/object:os.system {}\n",
        1,
        "tag '!!python/object:os.system' is not allowed; only plain YAML values are accepted",
        id="python-object-tag",
    ),
    pytest.param(
        "a: 1\nb: !!python/object/apply:os.system [echo hi]\n",
        2,
        "tag '!!python/object/apply:os.system' is not allowed; only plain YAML values are accepted",
        id="python-apply-tag",
    ),
    pytest.param(
        "a: !!python/name:os.system ''\n",
        1,
        "tag '!!python/name:os.system' is not allowed; only plain YAML values are accepted",
        id="python-name-tag",
    ),
    pytest.param(
        "a: !custom x\n",
        1,
        "tag '!custom' is not allowed; only plain YAML values are accepted",
        id="local-tag",
    ),
    pytest.param(
        "a: !!binary aGk=\n",
        1,
        "tag '!!binary' is not allowed; only plain YAML values are accepted",
        id="binary",
    ),
    pytest.param(
        "a: !!set {x: null}\n", 1, "tag '!!set' is not allowed; only plain YAML values are accepted", id="set"
    ),
    pytest.param(
        "a: !!omap [{x: 1}]\n",
        1,
        "tag '!!omap' is not allowed; only plain YAML values are accepted",
        id="omap",
    ),
    pytest.param(
        "? [a, b]\n: 1\n", 1, "a mapping key must be a plain value, not a list or mapping", id="list-as-key"
    ),
    pytest.param(
        "a: 1\n---\nb: 2\n",
        2,
        "only one YAML document is allowed per file (a second one starts here)",
        id="two-documents",
    ),
    pytest.param(
        "a:\n\t- 1\n",
        2,
        "invalid YAML: while scanning for the next token: found character that cannot start any token "
        "(a tab: YAML indents with spaces)",
        id="tab-indent",
    ),
    pytest.param(
        "a: [1, 2\nb: 3\n",
        2,
        "invalid YAML: while parsing a flow sequence: did not find expected ',' or ']'",
        id="unclosed-flow",
    ),
    pytest.param("a: x\x00\n", 0, "this is a binary file, not YAML text", id="nul-byte"),
    pytest.param(
        "a: " + "[" * 2000 + "]" * 2000 + "\n",
        1,
        "invalid YAML: while increasing flow level: exceeded maximum nesting depth",
        id="deep-nesting",
    ),
]


@pytest.mark.parametrize(("text", "line", "message"), REFUSED)
def test_refused_yaml_names_the_line_and_the_reason(text, line, message):
    assert refusal(text) == (line, message)


def test_a_document_over_the_node_limit_is_refused():
    # The root mapping, its key and the list make three nodes, so this many items is one too many.
    items = ", ".join(["1"] * (MAX_NODES - 2))
    assert refusal(f"a: [{items}]\n") == (1, "the document has more than 100,000 nodes")
    items = ", ".join(["1"] * (MAX_NODES - 3))
    assert len(load_text(f"a: [{items}]\n")["a"]) == MAX_NODES - 3


def test_a_big_file_is_scanned_for_anchors_and_tags_anywhere():
    # Beyond 256 KiB the event stream is walked first; the refusal keeps its line.
    filler = "".join(f"k{i}: {'v' * 40}\n" for i in range(6000))
    assert refusal(filler + "x: &a 1\n") == (6001, "anchors and aliases are not allowed")
    assert refusal(filler + "x: !!python/object:os.system {}\n") == (
        6001,
        "tag '!!python/object:os.system' is not allowed; only plain YAML values are accepted",
    )
    assert len(load_text(filler)) == 6000


def test_a_str_tag_makes_text_of_a_scalar_and_is_refused_on_a_collection():
    assert load_text("a: !!str 5\nb: !!str\nc: !!str 2026-01-01\n") == {"a": "5", "b": "", "c": "2026-01-01"}
    found_sequence = "invalid YAML: expected a scalar node, but found sequence"
    assert refusal("x: 1\na: !!str [1, 2]\n") == (2, found_sequence)
    assert refusal("a: !!str {b: 1}\n") == (1, "invalid YAML: expected a scalar node, but found mapping")


def test_the_quick_anchor_check_agrees_with_the_full_expression():
    # The check that decides whether a small file is walked for anchors first looks at each '&' and '*'
    # on its own; it must flag exactly what the expression flags, with few marks and with many.
    rng = random.Random(5)
    pieces = [*"ab &*:-#'\"x1,[]{}\t\n\r", "\r\n", "  ", "&a", "*b", "\u00a0", "\u2028", "\x85", "R&D"]
    for _ in range(20_000):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 14)))
        assert yamlio._anchor_like(text) == bool(yamlio._ANCHOR_LIKE.search(text)), repr(text)
    prose = "R&D and S&P, a & b, 5 * 3 " * (yamlio._FEW_MARKS // 4 + 1)
    for text in (prose, prose + "x: *a", prose + "\n&a y", "*a " + prose):
        assert text.count("&") + text.count("*") > yamlio._FEW_MARKS
        assert yamlio._anchor_like(text) == bool(yamlio._ANCHOR_LIKE.search(text))


def test_anchors_after_prose_ampersands_are_still_refused():
    assert load_text("name: R&D & Co *\nsegment: Lakehouse & warehouse\n")["name"] == "R&D & Co *"
    assert refusal("name: R&D & Co\nx: [1, *ref]\n") == (2, "anchors and aliases are not allowed")


def test_nothing_in_a_file_is_executed(tmp_path):
    marker = tmp_path / "marker"
    with pytest.raises(YamlError):
        load_text(f"a: !!python/object/apply:os.system ['touch {marker}']\n")
    assert not marker.exists()


# --- bytes and files ------------------------------------------------------------------------------------


def test_decode_accepts_a_bom_and_keeps_crlf_line_endings():
    assert decode(b"\xef\xbb\xbfa: 1\r\nb: 2\r\n") == "a: 1\r\nb: 2\r\n"
    data = load_text(decode(b"\xef\xbb\xbfa: 1\r\nb:\r\n  - x\r\n"))
    assert (data, data.key_lines, data["b"].item_lines) == ({"a": 1, "b": ["x"]}, {"a": 1, "b": 2}, [3])


def test_decode_reports_the_line_of_the_first_invalid_byte():
    with pytest.raises(YamlError) as info:
        decode(b"a: 1\nb: caf\xe9\n")
    assert (info.value.line, info.value.message) == (2, "not valid UTF-8 text (byte 11)")


def test_decode_calls_utf16_a_binary_file():
    with pytest.raises(YamlError) as info:
        decode("a: 1\n".encode("utf-16"))
    assert (info.value.line, info.value.message) == (0, "this is a binary file, not YAML text")


def test_read_bytes_takes_exactly_one_mib_and_refuses_more(tmp_path):
    path = tmp_path / "f.yaml"
    path.write_bytes(b"#" * MAX_BYTES)
    assert len(read_bytes(path)) == MAX_BYTES
    path.write_bytes(b"#" * (MAX_BYTES + 1))
    with pytest.raises(YamlError) as info:
        read_bytes(path)
    assert (info.value.line, info.value.message) == (0, "is larger than 1 MiB")


def test_read_bytes_refuses_a_folder(tmp_path):
    with pytest.raises(YamlError) as info:
        read_bytes(tmp_path)
    assert (info.value.line, info.value.message) == (0, "is not a regular file")


def test_read_bytes_reports_a_missing_file(tmp_path):
    with pytest.raises(YamlError) as info:
        read_bytes(tmp_path / "missing.yaml")
    assert (info.value.line, info.value.message) == (0, "cannot be read: No such file or directory")


def test_read_bytes_does_not_block_on_a_named_pipe(tmp_path):
    # A FIFO named like a YAML file must be refused, not waited on: `validate` would hang forever.
    fifo = tmp_path / "pipe.yaml"
    os.mkfifo(fifo)
    outcome: list[BaseException | bytes] = []

    def read() -> None:
        try:
            outcome.append(read_bytes(fifo))
        except YamlError as exc:
            outcome.append(exc)

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    reader.join(timeout=5)
    blocked = reader.is_alive()
    if blocked:  # unblock the reader so that the test run can go on
        os.close(os.open(fifo, os.O_WRONLY | os.O_NONBLOCK))
        reader.join(timeout=5)
    assert not blocked, "read_bytes waited for a writer on a named pipe"
    assert len(outcome) == 1
    assert isinstance(outcome[0], YamlError)
    assert (outcome[0].line, outcome[0].message) == (0, "is not a regular file")


def test_load_file_reads_decodes_and_parses(tmp_path):
    path = tmp_path / "f.yaml"
    path.write_bytes(b"\xef\xbb\xbfid: x\r\n")
    assert load_file(path) == {"id": "x"}


# --- through `evaltool validate` ------------------------------------------------------------------------

BETA_TEXT_EDITS = [
    pytest.param(
        ("kind: open-source", "kind: open-source\nname: Again"),
        "5: duplicate key 'name' (first defined at line 2)",
        id="duplicate-key",
    ),
    pytest.param(
        ("sec-logging: 4", "sec-logging: 4\n  sec-encryption: 1"),
        "8: duplicate key 'sec-encryption' (first defined at line 6)",
        id="duplicate-nested-key",
    ),
    pytest.param(
        ("sec-encryption: 2\n  sec-logging: 4", "sec-encryption: &two 2\n  sec-logging: *two"),
        "6: anchors and aliases are not allowed",
        id="anchor-and-alias",
    ),
    pytest.param(
        ("scores:\n", "scores:\n  <<: {com-support: 1}\n"),
        "6: merge keys ('<<') are not allowed",
        id="merge-key",
    ),
    pytest.param(
        ("kind: open-source", "kind: !!python/object:os.system {}"),
        "4: tag '!!python/object:os.system' is not allowed; only plain YAML values are accepted",
        id="python-object-tag",
    ),
    pytest.param(
        ("com-latency: 20\n", "com-latency: 20\n---\nid: other\n"),
        "11: only one YAML document is allowed per file (a second one starts here)",
        id="two-documents",
    ),
    pytest.param(
        ("  sec-logging: 4", "\tsec-logging: 4"),
        "7: invalid YAML: while scanning a plain scalar: found a tab character that violates indentation",
        id="tab-in-block",
    ),
    pytest.param(
        ("kind: open-source", "\tkind: open-source"),
        "4: invalid YAML: while scanning a plain scalar: found a tab character that violates indentation",
        id="tab-at-line-start",
    ),
]


@pytest.mark.parametrize(("edit", "expected"), BETA_TEXT_EDITS)
def test_refused_yaml_is_one_problem_line_in_validate(workspace, validate, edit, expected):
    result = validate(workspace.edited(("vendors/beta-vector", *edit)))
    assert result.code == 1
    assert result.errors == [f"{BETA}:{expected}"]


BYTE_CASES = [
    pytest.param(
        lambda text: text.replace("Beta Vector", "B\xe9ta Vector").encode("latin-1"),
        [f"{BETA}:2: not valid UTF-8 text (byte 23)"],
        id="invalid-utf8",
    ),
    pytest.param(
        lambda text: (text + "facts:\n" + "".join(f"  k{i}: {'x' * 60}\n" for i in range(17_000))).encode(),
        [f"{BETA}: is larger than 1 MiB"],
        id="over-1-mib",
    ),
    pytest.param(
        lambda text: (text + "facts:\n  many: [" + ", ".join(["1"] * MAX_NODES) + "]\n").encode(),
        [f"{BETA}:12: the document has more than 100,000 nodes"],
        id="over-100000-nodes",
    ),
    pytest.param(
        lambda text: b"\x00\x01\x02\x03", [f"{BETA}: this is a binary file, not YAML text"], id="binary"
    ),
    pytest.param(
        lambda text: b"\xef\xbb\xbf" + text.replace("\n", "\r\n").encode(), [], id="bom-and-crlf-valid"
    ),
    pytest.param(
        lambda text: (
            b"\xef\xbb\xbf" + text.replace("\n", "\r\n").replace("sec-logging: 4", "sec-logging: 9").encode()
        ),
        [f"{BETA}:7: scores.sec-logging: score 9 is outside the rubric scale 0..5"],
        id="bom-and-crlf-lines-count",
    ),
    pytest.param(lambda text: text.replace("\n", "\r").encode(), [], id="cr-only-line-ends-valid"),
]


@pytest.mark.parametrize(("transform", "expected"), BYTE_CASES)
def test_file_bytes_through_validate(workspace, validate, transform, expected):
    data = transform(workspace.VENDORS["beta-vector"])
    result = validate(workspace(vendors={"beta-vector": None}, files={BETA: data}))
    assert result.errors == expected
    assert result.code == (1 if expected else 0)


def test_a_refused_file_is_reported_once_and_the_rest_still_checked(workspace, validate):
    root = workspace.edited(
        ("vendors/beta-vector", "kind: open-source", "kind: !!python/object:os.system {}"),
        ("vendors/gamma-llm", "sec-encryption: 5", "sec-encryption: 6"),
    )
    result = validate(root)
    assert result.code == 1
    assert result.errors == [
        f"{BETA}:4: tag '!!python/object:os.system' is not allowed; only plain YAML values are accepted",
        "vendors/gamma-llm.yaml:6: scores.sec-encryption: score 6 is outside the rubric scale 0..5",
    ]


def test_a_symlink_out_of_the_workspace_is_refused(workspace, validate, tmp_path):
    outside = tmp_path / "outside.yaml"
    outside.write_text(workspace.VENDORS["beta-vector"].replace("beta-vector", "link"))
    root = workspace()
    (root / "vendors" / "link.yaml").symlink_to(outside)
    result = validate(root)
    assert result.code == 1
    assert result.errors == ["vendors/link.yaml: is a symbolic link to a file outside the workspace; refused"]
