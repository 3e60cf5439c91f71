"""Tests of evaltool.reading's check of a profile's text: the problems `evaltool validate` gives the file.

The dashboard checks a profile with it before writing the file, so each case writes the same text to disk
and asserts that `validate` reports exactly those lines for it. The expected lines are written out by hand
from the default texts of conftest (the profile below is `security-first`, lines 1-9).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import CATALOG, PROFILES

from evaltool.reading import check_profile_text, read_workspace

PATH = "criteria/profiles/security-first.yaml"
DEFAULT = PROFILES["security-first"]

# A third category with one criterion, appended to the catalog, so that AHP has a 3 x 3 matrix.
THIRD = (
    "  - id: extra\n    name: Extra\n    criteria:\n      - id: extra-one\n        name: Extra criterion\n"
)
# Each category 9 times as important as the next, and the last 9 times the first: every row sums to
# 1 + 9 + 1/9, so the principal eigenvalue is 91/9, CI = (91/9 - 3) / 2 = 32/9 and, with Saaty's
# random index 0.58 for n = 3, CR = 32 / (9 * 0.58) = 6.130.
CIRCULAR = """\
id: security-first
name: Security first
ahp:
  items: [security, commercial, extra]
  matrix:
    - [1, 9, "1/9"]
    - ["1/9", 1, 9]
    - [9, "1/9", 1]
weights:
  security: 50
"""


def edit(*pairs: tuple[str, str]) -> str:
    text = DEFAULT
    for old, new in pairs:
        assert text.count(old) == 1
        text = text.replace(old, new)
    return text


CASES = [
    pytest.param(
        edit(
            ("id: security-first", "id: sec-first"),
            ("  security: 80", "  securty: 80"),
            ("sec-logging: 2", "sec-logging: 7"),
        ),
        CATALOG,
        [
            f"{PATH}:1: id: id 'sec-first' must equal the file name 'security-first'",
            f"{PATH}:5: weights.securty: unknown category or criterion id 'securty' "
            "(did you mean 'security'?)",
            f"{PATH}:8: gates.sec-logging: gate 7 is outside the rubric scale 0..5",
        ],
        id="against-the-catalog",
    ),
    pytest.param(
        edit(("weights:", "weigths:")),
        CATALOG,
        [f"{PATH}:4: weigths: unknown key 'weigths' (did you mean 'weights'?)"],
        id="unknown-key",
    ),
    pytest.param(
        DEFAULT + '"gates\\u202e": {}\n',
        CATALOG,
        [f"{PATH}:10: gates\\u202e: unknown key 'gates\\u202e' (did you mean 'gates'?)"],
        id="right-to-left-override-shown-escaped",
    ),
    pytest.param(
        edit(("gates:", "gates: [")),
        CATALOG,
        # the flow list opened on line 7 holds one entry (line 8); line 9 lacks the ',' or ']' after it
        [f"{PATH}:9: invalid YAML: while parsing a flow sequence: did not find expected ',' or ']'"],
        id="not-yaml",
    ),
    pytest.param(
        CIRCULAR,
        CATALOG + THIRD,
        [
            f"{PATH}:10: weights.security: 'security' is a category: with 'ahp', category weights come from "
            "the matrix",
            f"{PATH}:5: ahp.matrix: warning: the pairwise judgements are inconsistent: consistency ratio "
            "6.130 > 0.10 (Saaty); revisit the comparisons",
        ],
        # as validate lists them: the error first, then the warning (docs/cli.md#evaltool-validate)
        id="warning-included-after-the-errors",
    ),
]


@pytest.mark.parametrize(("text", "catalog", "expected"), CASES)
def test_a_profile_text_gets_what_validate_says_of_the_same_file(
    workspace, validate, text: str, catalog: str, expected: list[str]
) -> None:
    root: Path = workspace(catalog=catalog, profiles={"security-first": text})
    catalog_model = read_workspace(root).catalog
    assert catalog_model is not None
    found = [str(p) for p in check_profile_text(catalog_model, PATH, text)]
    result = validate(root)
    on_disk = [line for line in result.stdout.splitlines() if line.startswith(PATH)]
    assert found == expected
    assert on_disk == expected
