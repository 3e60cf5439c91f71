"""Adding an assessment to a vendor file without touching the rest of it (`evaltool import --write`).

The new assessment is rendered with ruamel.yaml and spliced into the file's text after the last line of
its `assessments:` list, so every other byte of the file (comments, layout, quoting) stays as it was. The
result is read back with the safe loader that reads every input (`evaltool.yamlio`) and compared with the
original: anything but the one added assessment, and nothing is written. ruamel.yaml is used only here.
"""

from __future__ import annotations

import io
from collections.abc import Mapping
from typing import Any

from evaltool.errors import OutputError
from evaltool.yamlio import YamlError, load_text

HEADER = (
    "# yaml-language-server: $schema=../schemas/vendor.schema.json\n"
    "# Vendor file created by `evaltool import` from a scoring workbook. Add kind, website, summary and\n"
    "# facts as docs/formats.md describes; `evaltool validate` checks the file.\n"
)


def _quoted(value: Any) -> Any:
    """Every text double-quoted: a plain `yes` or `1:20` would read back as a boolean or a number."""
    from ruamel.yaml.comments import CommentedMap
    from ruamel.yaml.scalarstring import DoubleQuotedScalarString

    if isinstance(value, str):
        return DoubleQuotedScalarString(value)
    if isinstance(value, Mapping):
        out = CommentedMap()
        for key, item in value.items():
            out[key] = _quoted(item)
        return out
    return value


def float_text(number: float) -> str:
    """A float that YAML 1.1 reads back as one: `1.0e+20` (the safe loader reads `1e+20` as text)."""
    text = repr(number)
    mantissa, e, exponent = text.partition("e")
    if e and "." not in mantissa:
        return f"{mantissa}.0e{exponent}"
    return text


def _dump(data: Any, *, sequence: int, offset: int) -> str:
    from ruamel.yaml import YAML

    yaml = YAML(typ="rt")
    yaml.representer.add_representer(
        float, lambda rep, value: rep.represent_scalar("tag:yaml.org,2002:float", float_text(value))
    )
    yaml.indent(mapping=2, sequence=sequence, offset=offset)
    yaml.width = 1_000_000  # never fold a long evidence text
    stream = io.StringIO()
    yaml.dump(data, stream)
    return stream.getvalue()


def assessment_block(assessment: Mapping[str, Any], indent: int, newline: str = "\n") -> str:
    """The assessment as one item of a block list whose dashes stand at column `indent`."""
    text = _dump([_quoted(assessment)], sequence=2, offset=0)
    pad = " " * indent
    return "".join(pad + line + newline for line in text.splitlines())


def new_vendor_text(vendor_id: str, name: str, segment: str, assessment: Mapping[str, Any]) -> str:
    """A new vendor file holding one assessment, under the header comments of a created file."""
    from ruamel.yaml.comments import CommentedMap

    head = CommentedMap()
    head["id"] = vendor_id
    head["name"] = name
    head["segment"] = segment
    body = _dump(_quoted(head), sequence=4, offset=2)
    return HEADER + body + "assessments:\n" + assessment_block(assessment, 2)


def _insertion(text: str, path: str) -> tuple[int, int]:
    """(line index to insert before, column of the list's dashes) for the file's `assessments:` list."""
    from ruamel.yaml import YAML
    from ruamel.yaml.comments import CommentedMap, CommentedSeq

    data = YAML(typ="rt").load(text)
    lines = text.splitlines(keepends=True)
    if not isinstance(data, CommentedMap) or "assessments" not in data:
        return len(lines), -1
    key_line = data.lc.key("assessments")[0]
    seq = data["assessments"]
    if seq is None:
        after_colon = lines[key_line].split(":", 1)[1].split("#", 1)[0].strip()
        if after_colon:
            raise OutputError(
                f"{path}: 'assessments: {after_colon}' cannot be appended to; write it as a list"
            )
        return key_line + 1, 2
    if not isinstance(seq, CommentedSeq) or not seq or seq.fa.flow_style():
        raise OutputError(
            f"{path}: 'assessments' is written inline ([...]); write it as a block list (one '- assessor:' "
            "per assessment) before importing into it"
        )
    later = [data.lc.key(k)[0] for k in data if data.lc.key(k)[0] > key_line]
    end = min(later, default=len(lines))
    last = max(
        (i for i in range(key_line + 1, end) if lines[i].strip() and not lines[i].lstrip().startswith("#")),
        default=key_line,
    )
    return last + 1, int(seq.lc.col)


def append_assessment(text: str, assessment: Mapping[str, Any], path: str) -> tuple[str, str]:
    """The vendor file's text with `assessment` added at the end of its `assessments:` list, and the
    text added.

    Every other line is kept byte for byte. OutputError when the file's list cannot take it safely.
    """
    newline = "\r\n" if "\r\n" in text else "\n"
    index, dash = _insertion(text, path)
    lines = text.splitlines(keepends=True)
    if lines and not lines[-1].endswith(("\n", "\r")):
        lines[-1] += newline
    if dash < 0:  # no assessments yet: a new key at the end of the file
        block = "assessments:" + newline + assessment_block(assessment, 2, newline)
    else:
        block = assessment_block(assessment, dash, newline)
    result = "".join([*lines[:index], block, *lines[index:]])
    _check_only_added(text, result, assessment, path)
    return result, block


def _check_only_added(before: str, after: str, assessment: Mapping[str, Any], path: str) -> None:
    try:
        old, new = load_text(before), load_text(after)
    except YamlError as exc:
        raise OutputError(f"{path}: the assessment could not be appended safely ({exc.message})") from None
    old_list = list(old.get("assessments") or [])
    same_rest = {k: v for k, v in old.items() if k != "assessments"} == {
        k: v for k, v in new.items() if k != "assessments"
    }
    if not same_rest or list(new.get("assessments") or []) != [*old_list, dict(assessment)]:
        raise OutputError(
            f"{path}: the assessment could not be appended without changing the rest of the file; "
            "add it by hand (run without --write to see it)"
        )
