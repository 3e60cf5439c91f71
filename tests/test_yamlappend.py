"""Appending an assessment to a vendor file keeps every other byte of it (evaltool.yamlappend)."""

from __future__ import annotations

import datetime as dt

import pytest
import yaml

from evaltool.errors import OutputError
from evaltool.yamlappend import append_assessment, new_vendor_text

NEW = {"assessor": "k.lee", "date": dt.date(2026, 11, 20), "scores": {"sec-encryption": 4}}
ITEM = '- assessor: "k.lee"\n  date: 2026-11-20\n  scores:\n    sec-encryption: 4\n'


def indented(pad: int, newline: str = "\n") -> str:
    return "".join(" " * pad + line + newline for line in ITEM.splitlines())


HEAD = "# notes\nid: a\nname: A  # display\nsegment: S\n"
CASES = {
    "dash at column 2, a key after": (
        HEAD + "assessments:\n  - assessor: j\n    date: 2026-01-02\n"
        + "    # trailing note\npoc: {status: planned}\n",
        HEAD + "assessments:\n  - assessor: j\n    date: 2026-01-02\n" + indented(2)
        + "    # trailing note\npoc: {status: planned}\n",
    ),
    "dash at column 0, no newline at the end": (
        HEAD + "assessments:\n- assessor: j\n  date: 2026-01-02",
        HEAD + "assessments:\n- assessor: j\n  date: 2026-01-02\n" + indented(0),
    ),
    "CRLF line ends": (
        HEAD.replace("\n", "\r\n") + "assessments:\r\n  - assessor: j\r\n    date: 2026-01-02\r\n",
        HEAD.replace("\n", "\r\n") + "assessments:\r\n  - assessor: j\r\n    date: 2026-01-02\r\n"
        + indented(2, "\r\n"),
    ),
    "an empty list": (
        HEAD + "assessments:  # none yet\nfacts: {}\n",
        HEAD + "assessments:  # none yet\n" + indented(2) + "facts: {}\n",
    ),
    "no assessments key": (HEAD, HEAD + "assessments:\n" + indented(2)),
}  # fmt: skip


@pytest.mark.parametrize(("before", "after"), CASES.values(), ids=CASES.keys())
def test_append_inserts_the_assessment_and_nothing_else(before: str, after: str) -> None:
    text, added = append_assessment(before, NEW, "vendors/a.yaml")
    assert text == after
    assert after.replace(added, "", 1) in (before, before + "\n")  # the text added, and only it


@pytest.mark.parametrize("inline", ["[]", "[{assessor: j, date: 2026-01-02}]"])
def test_inline_list_is_refused(inline: str) -> None:
    with pytest.raises(OutputError) as caught:
        append_assessment(HEAD + f"assessments: {inline}\n", NEW, "vendors/a.yaml")
    assert str(caught.value) == (
        "vendors/a.yaml: 'assessments' is written inline ([...]); write it as a block list "
        "(one '- assessor:' per assessment) before importing into it"
    )


@pytest.mark.parametrize(
    "text", ["yes", "1:20", "null", "2026-01-01", 'a "quoted" # text', "=1+1", "line\nbreak"]
)
def test_every_text_reads_back_as_the_same_text(text: str) -> None:
    entry = {"score": 3, "evidence": text}
    written = new_vendor_text("a", text, text, NEW | {"scores": {"sec-logging": entry}})
    data = yaml.safe_load(written)
    assert (data["name"], data["segment"]) == (text, text)
    assert data["assessments"][0]["scores"]["sec-logging"] == entry


@pytest.mark.parametrize("number", [1e20, 5e-324, 1.5e-7, 0.1, -2.5e300])
def test_every_number_reads_back_as_the_same_number(number: float) -> None:
    written = new_vendor_text("a", "A", "S", NEW | {"scores": {"com-tco": {"value": number}}})
    assert yaml.safe_load(written)["assessments"][0]["scores"]["com-tco"]["value"] == number
