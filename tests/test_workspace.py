"""Tests of evaltool.workspace through `evaltool validate`: every problem as `path:line: key.path: message`.

Each bad input is one edit of the default workspace written by conftest's `workspace` factory; the line
numbers refer to the default texts there. Every case asserts the complete list of errors, so a problem
reported twice, or at the wrong line, fails as surely as a missing one.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from evaltool.errors import Problem
from evaltool.problems import printable
from evaltool.reading import resolve_root
from evaltool.workspace import check_workspace, load_workspace

CAT = "criteria/catalog.yaml"
SEC = "criteria/profiles/security-first.yaml"
AHP = "criteria/profiles/pairwise.yaml"
ACME = "vendors/acme-vector.yaml"
BETA = "vendors/beta-vector.yaml"

# A third category appended to the default catalog (lines 40-44).
EXTRA_CATEGORY = """\
  - id: {category}
    name: Extra
    criteria:
      - id: {criterion}
        name: Extra criterion
"""
PAIRWISE_ROWS = '    - [1, 3]\n    - ["1/3", 1]\n'
# com-tco's grading (line 34) written out with a per-segment grading (lines 34-38).
TCO_GRADING = "        grading: {best: 100000, worst: 1000000}\n"
TCO_SEGMENT = "categories[1].criteria[1].grading"


def segment_grading(scale: str, segment: str = "Vector database", default: str = "best: 100000") -> str:
    return (
        f"        grading:\n          {default}\n          worst: 1000000\n          segments:\n"
        f"            {segment}: {scale}\n"
    )


BAD_INPUT = [
    # --- scores against the catalog
    pytest.param(
        [("vendors/beta-vector", "sec-logging: 4", "sec-loging: 4")],
        [f"{BETA}:7: scores.sec-loging: unknown criterion 'sec-loging' (did you mean 'sec-logging'?)"],
        id="unknown-criterion-short",
    ),
    pytest.param(
        [("vendors/acme-vector", "      sec-logging:\n", "      sec-loggin:\n")],
        [
            f"{ACME}:14: assessments[0].scores.sec-loggin: unknown criterion 'sec-loggin' "
            "(did you mean 'sec-logging'?)"
        ],
        id="unknown-criterion-long",
    ),
    pytest.param(
        [("vendors/beta-vector", "sec-logging: 4", "firewall: 4")],
        [f"{BETA}:7: scores.firewall: unknown criterion 'firewall'"],
        id="unknown-criterion-no-suggestion",
    ),
    pytest.param(
        [("vendors/beta-vector", "sec-logging: 4", "sec-logging: 7")],
        [f"{BETA}:7: scores.sec-logging: score 7 is outside the rubric scale 0..5"],
        id="score-above-5-short",
    ),
    pytest.param(
        [("vendors/beta-vector", "sec-logging: 4", "sec-logging: -1")],
        [f"{BETA}:7: scores.sec-logging: score -1 is outside the rubric scale 0..5"],
        id="score-below-0-short",
    ),
    pytest.param(
        [("vendors/acme-vector", "score: 3.5", "score: 5.5")],
        [f"{ACME}:15: assessments[0].scores.sec-logging.score: score 5.5 is outside the rubric scale 0..5"],
        id="score-above-5-long",
    ),
    pytest.param(
        [("vendors/acme-vector", "score: 3.5", "score: -0.5")],
        [f"{ACME}:15: assessments[0].scores.sec-logging.score: score -0.5 is outside the rubric scale 0..5"],
        id="score-below-0-long",
    ),
    pytest.param(
        [("vendors/beta-vector", "sec-logging: 4", "sec-logging: four")],
        [f"{BETA}:7: scores.sec-logging: must be a number, not 'four'"],
        id="score-string",
    ),
    pytest.param(
        [("vendors/beta-vector", "sec-logging: 4", 'sec-logging: "4"')],
        [f"{BETA}:7: scores.sec-logging: must be a number, not '4'"],
        id="score-quoted-number",
    ),
    pytest.param(
        [("vendors/beta-vector", "sec-logging: 4", "sec-logging: true")],
        [f"{BETA}:7: scores.sec-logging: must be a number, not true"],
        id="score-boolean",
    ),
    pytest.param(
        [("vendors/beta-vector", "sec-logging: 4", "sec-logging: .nan")],
        [f"{BETA}:7: scores.sec-logging: must be a finite number, not nan"],
        id="score-nan",
    ),
    pytest.param(
        [("vendors/beta-vector", "sec-logging: 4", "sec-logging: .inf")],
        [f"{BETA}:7: scores.sec-logging: must be a finite number, not inf"],
        id="score-inf",
    ),
    pytest.param(
        [("vendors/beta-vector", "sec-logging: 4", "sec-logging: -.inf")],
        [f"{BETA}:7: scores.sec-logging: must be a finite number, not -inf"],
        id="score-minus-inf",
    ),
    pytest.param(
        [("vendors/acme-vector", "score: 3.5", "score: high")],
        [f"{ACME}:15: assessments[0].scores.sec-logging.score: must be a number, not 'high'"],
        id="score-string-long",
    ),
    pytest.param(
        [("vendors/acme-vector", "score: 3.5", "score: true")],
        [f"{ACME}:15: assessments[0].scores.sec-logging.score: must be a number, not true"],
        id="score-boolean-long",
    ),
    pytest.param(
        [("vendors/acme-vector", "score: 3.5", "score: .nan")],
        [f"{ACME}:15: assessments[0].scores.sec-logging.score: must be a finite number, not nan"],
        id="score-nan-long",
    ),
    pytest.param(
        [("vendors/acme-vector", "value: 240000", "value: .inf")],
        [f"{ACME}:22: assessments[0].scores.com-tco.value: must be a finite number, not inf"],
        id="value-inf-long",
    ),
    pytest.param(
        [("vendors/acme-vector", "value: 240000", "score: 4")],
        [
            f"{ACME}:22: assessments[0].scores.com-tco.score: 'com-tco' is a metric criterion: "
            "give its measured 'value', not a 'score'"
        ],
        id="metric-given-score",
    ),
    pytest.param(
        [("vendors/acme-vector", "score: 3.5", "value: 3.5")],
        [
            f"{ACME}:15: assessments[0].scores.sec-logging.value: 'sec-logging' is a rubric criterion: "
            "give a 'score' 0..5, not a 'value'"
        ],
        id="rubric-given-value",
    ),
    pytest.param(
        [("vendors/acme-vector", "score: 3.5", "score: 3.5\n        value: 3")],
        [
            f"{ACME}:14: assessments[0].scores.sec-logging: give either 'score' (rubric) or 'value' "
            "(metric), not both",
            f"{ACME}:16: assessments[0].scores.sec-logging.value: 'sec-logging' is a rubric criterion: "
            "give a 'score' 0..5, not a 'value'",
        ],
        id="score-and-value",
    ),
    # --- gates
    pytest.param(
        [("catalog", "gate: 2", "gate: 6")],
        [f"{CAT}:13: categories[0].criteria[0].gate: gate 6 is outside the rubric scale 0..5"],
        id="catalog-gate-above-scale",
    ),
    pytest.param(
        [("catalog", "gate: 2", "gate: -1")],
        [f"{CAT}:13: categories[0].criteria[0].gate: gate -1 is outside the rubric scale 0..5"],
        id="catalog-gate-below-scale",
    ),
    pytest.param(
        [("profiles/security-first", "  sec-logging: 2", "  sec-logging: 7")],
        [f"{SEC}:8: gates.sec-logging: gate 7 is outside the rubric scale 0..5"],
        id="profile-gate-outside-scale",
    ),
    # --- profiles against the catalog
    pytest.param(
        [("profiles/security-first", "sec-logging: 3", "sec-loging: 3")],
        [
            f"{SEC}:6: weights.sec-loging: unknown category or criterion id 'sec-loging' "
            "(did you mean 'sec-logging'?)"
        ],
        id="profile-unknown-weight-id",
    ),
    pytest.param(
        [("profiles/security-first", "  sec-logging: 2", "  sec-loging: 2")],
        [f"{SEC}:8: gates.sec-loging: unknown criterion id 'sec-loging' (did you mean 'sec-logging'?)"],
        id="profile-unknown-gate-id",
    ),
    pytest.param(
        [("profiles/security-first", "  sec-logging: 2", "  security: 2")],
        [
            f"{SEC}:8: gates.security: unknown criterion id 'security' "
            "(gates apply to criteria, not categories)"
        ],
        id="profile-gate-on-category",
    ),
    pytest.param(
        [("profiles/security-first", "security: 80", "security: -80")],
        [f"{SEC}:5: weights.security: must be >= 0, not -80"],
        id="profile-negative-weight",
    ),
    pytest.param(
        [("profiles/security-first", "security: 80", "security: 0\n  commercial: 0")],
        [f"{SEC}:4: weights: every category ends up with weight 0; at least one must be positive"],
        id="profile-all-categories-zero",
    ),
    pytest.param(
        [("profiles/security-first", "id: security-first", "id: sec-first")],
        [f"{SEC}:1: id: id 'sec-first' must equal the file name 'security-first'"],
        id="profile-id-not-file-name",
    ),
    pytest.param(
        [("profiles/security-first", "gates:", "gate:")],
        [f"{SEC}:7: gate: unknown key 'gate' (did you mean 'gates'?)"],
        id="profile-unknown-key",
    ),
    # --- AHP
    pytest.param(
        [("profiles/pairwise", '- ["1/3", 1]', '- ["1/3"]')],
        [f"{AHP}:5: ahp.matrix: matrix must be 2x2 to match the 2 items (its rows have 2, 1 entries)"],
        id="ahp-not-square",
    ),
    pytest.param(
        [("profiles/pairwise", '"1/3"', "0.33")],
        [
            f"{AHP}:5: ahp.matrix: matrix is not reciprocal at [0][1] = 3 and [1][0] = 0.33: "
            '[1][0] should be "1/3"'
        ],
        id="ahp-not-reciprocal",
    ),
    pytest.param(
        [("profiles/pairwise", "[1, 3]", "[2, 3]")],
        [f"{AHP}:5: ahp.matrix: matrix[0][0] must be 1 (an item compared with itself)"],
        id="ahp-diagonal-not-1",
    ),
    pytest.param(
        [("profiles/pairwise", "[1, 3]", "[1, 10]"), ("profiles/pairwise", '"1/3"', '"1/10"')],
        [
            f"{AHP}:6: ahp.matrix[0][1]: 10 is outside Saaty's scale 1/9..9",
            f"{AHP}:7: ahp.matrix[1][0]: '1/10' is outside Saaty's scale 1/9..9",
        ],
        id="ahp-entry-outside-scale",
    ),
    pytest.param(
        [("profiles/pairwise", '"1/3"', '"one third"')],
        [f"{AHP}:7: ahp.matrix[1][0]: 'one third' is not a number or a fraction such as \"1/3\""],
        id="ahp-entry-not-a-number",
    ),
    pytest.param(
        [
            ("profiles/pairwise", "[security, commercial]", "[security]"),
            ("profiles/pairwise", PAIRWISE_ROWS, "    - [1]\n"),
        ],
        [f"{AHP}:4: ahp.items: must list every category exactly once; missing: commercial"],
        id="ahp-category-missing",
    ),
    pytest.param(
        [("profiles/pairwise", "[security, commercial]", "[security, security]")],
        [f"{AHP}:4: ahp.items: items lists a category more than once"],
        id="ahp-category-twice",
    ),
    pytest.param(
        [("profiles/pairwise", "", "weights:\n  security: 5\n  sec-logging: 2\n")],
        [
            f"{AHP}:9: weights.security: 'security' is a category: "
            "with 'ahp', category weights come from the matrix"
        ],
        id="ahp-and-category-weight",
    ),
    # --- catalog
    pytest.param(
        [
            ("catalog", "", EXTRA_CATEGORY.format(category="extra", criterion="sec-logging")),
            ("profiles/pairwise", None, None),
        ],
        [f"{CAT}:43: categories[2].criteria[0].id: id 'sec-logging' is used twice (first at line 18)"],
        id="duplicate-criterion-id",
    ),
    pytest.param(
        [
            ("catalog", "", EXTRA_CATEGORY.format(category="com-tco", criterion="extra-one")),
            ("profiles/pairwise", None, None),
        ],
        [f"{CAT}:40: categories[2].id: id 'com-tco' is used twice (first at line 29)"],
        id="category-id-equals-criterion-id",
    ),
    pytest.param(
        [("catalog", "weight: 60", "weight: -1")],
        [f"{CAT}:8: categories[0].weight: must be >= 0, not -1"],
        id="negative-category-weight",
    ),
    pytest.param(
        [("catalog", "weight: 2", "weight: -2")],
        [f"{CAT}:12: categories[0].criteria[0].weight: must be >= 0, not -2"],
        id="negative-criterion-weight",
    ),
    pytest.param(
        [("catalog", "weight: 60", "weight: 0"), ("catalog", "weight: 40", "weight: 0")],
        [f"{CAT}:5: categories: every category has weight 0; at least one must be positive"],
        id="all-category-weights-zero",
    ),
    pytest.param(
        [("catalog", 'version: "2026.11"', "version: 2026.11")],
        [
            f"{CAT}:2: version: must be a string, not the number 2026.11: quote it as written, "
            'e.g. version: "2026.11"'
        ],
        id="version-unquoted",
    ),
    pytest.param(
        [("catalog", 'version: "2026.11"\n', "")],
        [f"{CAT}:1: missing required key 'version'"],
        id="catalog-missing-version",
    ),
    pytest.param(
        [("catalog", "        name: Support quality\n", "")],
        [f"{CAT}:27: categories[1].criteria[0]: missing required key 'name'"],
        id="criterion-missing-name",
    ),
    pytest.param(
        [("catalog", "        rubric:\n          0: No audit", "        rubrik:\n          0: No audit")],
        [f"{CAT}:20: categories[0].criteria[1].rubrik: unknown key 'rubrik' (did you mean 'rubric'?)"],
        id="catalog-unknown-key",
    ),
    pytest.param(
        [("catalog", None, "")],
        [f"{CAT}:1: the file is empty"],
        id="catalog-empty",
    ),
    # --- vendor files
    pytest.param(
        [("vendors/beta-vector", None, "")],
        [f"{BETA}:1: the file is empty"],
        id="empty-file",
    ),
    pytest.param(
        [("vendors/beta-vector", None, "# nothing here yet\n")],
        [f"{BETA}:1: the file is empty"],
        id="comments-only-file",
    ),
    pytest.param(
        [("vendors/beta-vector", None, "- id: beta-vector\n- name: Beta Vector\n")],
        [f"{BETA}:1: the file must hold a mapping of keys to values, not a list"],
        id="file-holds-a-list",
    ),
    pytest.param(
        [("vendors/acme-vector", "date: 2026-10-12", "date: 2026-02-30")],
        [f"{ACME}:11: assessments[0].date: '2026-02-30' is not a real date"],
        id="impossible-date-unquoted",
    ),
    pytest.param(
        [("vendors/acme-vector", 'date: "2026-10-14"', 'date: "2026-02-30"')],
        [f"{ACME}:28: assessments[1].date: '2026-02-30' is not a real date"],
        id="impossible-date-quoted",
    ),
    pytest.param(
        [
            (
                "vendors/acme-vector",
                "expires: 2099-06-30\n      com-support",
                "expires: 2026-02-30\n      com-support",
            )
        ],
        [f"{ACME}:19: assessments[0].scores.sec-logging.expires: '2026-02-30' is not a real date"],
        id="impossible-expiry-date",
    ),
    pytest.param(
        [("vendors/acme-vector", "date: 2026-10-12", "date: October 12")],
        [f"{ACME}:11: assessments[0].date: must be a date YYYY-MM-DD, not 'October 12'"],
        id="date-not-iso",
    ),
    pytest.param(
        [("vendors/acme-vector", "summary:", "sumary:")],
        [f"{ACME}:6: sumary: unknown key 'sumary' (did you mean 'summary'?)"],
        id="unknown-key-top-level",
    ),
    pytest.param(
        [("vendors/acme-vector", "evidence: Logging", "evidense: Logging")],
        [
            f"{ACME}:16: assessments[0].scores.sec-logging.evidense: unknown key 'evidense' "
            "(did you mean 'evidence'?)"
        ],
        id="unknown-key-nested",
    ),
    pytest.param(
        [("vendors/beta-vector", "", "zzz: 1\n")],
        [f"{BETA}:11: zzz: unknown key 'zzz'"],
        id="unknown-key-no-suggestion",
    ),
    pytest.param(
        [("vendors/acme-vector", "facts: {founded: 2021, hq: Austin TX}", "facts: {anything: [1, 2]}")],
        [],
        id="any-key-inside-facts",
    ),
    pytest.param(
        [("vendors/beta-vector", "name: Beta Vector\n", "")],
        [f"{BETA}:1: missing required key 'name'"],
        id="vendor-missing-name",
    ),
    pytest.param(
        [("vendors/beta-vector", "segment: Vector database\n", "")],
        [f"{BETA}:1: missing required key 'segment'"],
        id="vendor-missing-segment",
    ),
    pytest.param(
        [("vendors/acme-vector", "  - assessor: a.smith\n    date:", "  - date:")],
        [f"{ACME}:27: assessments[1]: missing required key 'assessor'"],
        id="assessment-missing-assessor",
    ),
    pytest.param(
        [("vendors/acme-vector", "    date: 2026-10-12\n", "")],
        [f"{ACME}:10: assessments[0]: missing required key 'date'"],
        id="assessment-missing-date",
    ),
    pytest.param(
        [("vendors/beta-vector", "name: Beta Vector", "name:")],
        [f"{BETA}:2: name: must be text, not null"],
        id="name-null",
    ),
    pytest.param(
        [("vendors/beta-vector", "id: beta-vector", "id: beta")],
        [f"{BETA}:1: id: id 'beta' must equal the file name 'beta-vector'"],
        id="id-not-file-name",
    ),
    pytest.param(
        [("vendors/beta-vector", "segment: Vector database", "segment: Vector DB")],
        [
            f"{BETA}:3: segment: 'Vector DB' is not one of the catalog's segments: "
            "Vector database, LLM platform"
        ],
        id="segment-not-in-catalog",
    ),
    # --- per-segment grading
    pytest.param(
        [("catalog", TCO_GRADING, segment_grading("{best: 50000, worst: 500000}", "Vector databse"))],
        [
            f"{CAT}:38: {TCO_SEGMENT}.segments.Vector databse: 'Vector databse' is not one of the catalog's "
            "segments: Vector database, LLM platform (did you mean 'Vector database'?)"
        ],
        id="grading-segment-not-in-catalog",
    ),
    pytest.param(
        [
            ("catalog", TCO_GRADING, segment_grading("{best: 50000, worst: 500000}")),
            ("catalog", "segments: [Vector database, LLM platform]\n", ""),
        ],
        [
            f"{CAT}:37: {TCO_SEGMENT}.segments.Vector database: grading for segment 'Vector database' needs "
            "the catalog's 'segments' list naming it"
        ],
        id="grading-segment-without-catalog-segments",
    ),
    pytest.param(
        [("catalog", TCO_GRADING, segment_grading("{best: 50000, worst: 50000}"))],
        [f"{CAT}:38: {TCO_SEGMENT}.segments.Vector database: best and worst must differ"],
        id="grading-segment-best-equals-worst",
    ),
    pytest.param(
        [("catalog", TCO_GRADING, segment_grading("{best: 50000}"))],
        [f"{CAT}:38: {TCO_SEGMENT}.segments.Vector database: missing required key 'worst'"],
        id="grading-segment-without-worst",
    ),
    pytest.param(
        [("catalog", TCO_GRADING, segment_grading("{best: 50000, worst: 500000}", default="# no best"))],
        [f"{CAT}:34: {TCO_SEGMENT}: missing required key 'best'"],
        id="grading-without-default-best",
    ),
    pytest.param(
        [("catalog", TCO_GRADING, segment_grading("{best: 500000, worst: 50000}"))],
        [
            f"{CAT}:37: {TCO_SEGMENT}.segments: 'Vector database': best 500000 and worst 50000 mean higher "
            "is better, unlike the default best 100000 and worst 1000000 (lower is better)"
        ],
        id="grading-segment-contradicts-the-default",
    ),
    pytest.param(
        [("vendors/acme-vector", "", "scores:\n  sec-encryption: 3\n")],
        [f"{ACME}:1: use either 'assessments' or top-level 'scores', not both"],
        id="assessments-and-scores",
    ),
    pytest.param(
        [("vendors/acme-vector", "assessor: a.smith", "assessor: j.doe")],
        [
            f"{ACME}:27: assessments[1].assessor: assessor 'j.doe' appears twice (also at line 10); "
            "keep one assessment per assessor, history lives in git"
        ],
        id="same-assessor-twice",
    ),
    pytest.param(
        [("vendors/beta-vector", "kind: open-source", "kind: opensource")],
        [
            f"{BETA}:4: kind: must be one of 'startup', 'scaleup', 'enterprise' or 'open-source', "
            "not 'opensource'"
        ],
        id="invalid-kind",
    ),
    pytest.param(
        [("vendors/acme-vector", "status: planned", "status: planed")],
        [f"{ACME}:33: poc.status: must be one of 'planned', 'running', 'done' or 'stopped', not 'planed'"],
        id="invalid-poc-status",
    ),
]


@pytest.mark.parametrize(("edits", "expected"), BAD_INPUT)
def test_bad_input_is_reported_with_file_line_and_key(workspace, validate, edits, expected):
    result = validate(workspace.edited(*edits))
    assert result.errors == expected
    assert result.code == (1 if expected else 0)
    if expected:
        assert result.summary.startswith(f"invalid: {len(expected)} error")


def test_default_workspace_is_valid_with_two_warnings(workspace, validate):
    result = validate(workspace())
    assert (result.code, result.errors, result.stderr) == (0, [], "")
    assert result.warnings == [workspace.LATENCY_WARNING, workspace.UNSCORED_WARNING]
    assert result.summary == "valid: 1 catalog (5 criteria), 2 profiles, 3 vendors; 0 errors, 2 warnings"


def test_duplicate_vendor_id_across_yaml_and_yml_names_both_files(workspace, validate):
    one = "id: same\nname: One\nsegment: LLM platform\n"
    two = "id: same\nname: Two\nsegment: LLM platform\n"
    result = validate(workspace(files={"vendors/same.yaml": one, "vendors/same.yml": two}))
    assert result.code == 1
    assert result.errors == ["vendors/same.yml:1: id: vendor id 'same' is also used by vendors/same.yaml"]


def test_duplicate_profile_id_across_yaml_and_yml_names_both_files(workspace, validate):
    copy = workspace.PROFILES["security-first"]
    result = validate(workspace(files={"criteria/profiles/security-first.yml": copy}))
    assert result.code == 1
    assert result.errors == [
        "criteria/profiles/security-first.yml:1: id: profile id 'security-first' is also used by "
        "criteria/profiles/security-first.yaml"
    ]


def test_catalog_yaml_and_yml_side_by_side_is_an_error(workspace, validate):
    # Only one catalog can count; silently ignoring the other would hide the edits made to it.
    result = validate(workspace(files={"criteria/catalog.yml": workspace.CATALOG}))
    assert result.code == 1
    assert len(result.errors) == 1
    assert result.errors[0].startswith("criteria/catalog.yml")
    assert "criteria/catalog.yaml" in result.errors[0]


def test_missing_catalog_is_reported(workspace, validate):
    root = workspace()
    (root / "criteria" / "catalog.yaml").unlink()
    result = validate(root)
    assert result.code == 1
    assert result.errors == ["criteria/catalog.yaml: not found: a workspace needs criteria/catalog.yaml"]


def test_catalog_that_is_a_folder_is_reported_not_a_crash(workspace, validate):
    root = workspace()
    (root / "criteria" / "catalog.yaml").unlink()
    (root / "criteria" / "catalog.yaml").mkdir()
    result = validate(root)
    assert result.code == 1
    assert result.errors == ["criteria/catalog.yaml: is not a regular file"]


def test_problems_in_several_files_are_all_listed_sorted_by_path_and_line(workspace, validate):
    root = workspace.edited(
        ("profiles/security-first", "  sec-logging: 2", "  sec-loging: 2"),
        ("vendors/beta-vector", "kind: open-source", "kind: opensource"),
        ("vendors/beta-vector", "com-support: 4.5", "com-support: 9"),
        ("vendors/beta-vector", "sec-encryption: 2", "sec-encryption: high"),
        ("vendors/acme-vector", "date: 2026-10-12", "date: 2026-02-30"),
        ("vendors/acme-vector", "summary:", "sumary:"),
    )
    result = validate(root)
    assert result.code == 1
    assert result.errors == [
        f"{SEC}:8: gates.sec-loging: unknown criterion id 'sec-loging' (did you mean 'sec-logging'?)",
        f"{ACME}:6: sumary: unknown key 'sumary' (did you mean 'summary'?)",
        f"{ACME}:11: assessments[0].date: '2026-02-30' is not a real date",
        f"{BETA}:4: kind: must be one of 'startup', 'scaleup', 'enterprise' or 'open-source', "
        "not 'opensource'",
        f"{BETA}:6: scores.sec-encryption: must be a number, not 'high'",
        f"{BETA}:8: scores.com-support: score 9 is outside the rubric scale 0..5",
    ]
    assert result.warnings == [workspace.LATENCY_WARNING, workspace.UNSCORED_WARNING]
    assert result.summary == "invalid: 6 errors, 2 warnings"


def test_unparseable_file_is_reported_once_and_other_files_still_checked(workspace, validate):
    root = workspace.edited(
        ("vendors/beta-vector", "kind: open-source", "kind: [open-source"),
        ("vendors/acme-vector", "summary:", "sumary:"),
    )
    result = validate(root)
    assert result.code == 1
    assert result.errors == [
        f"{ACME}:6: sumary: unknown key 'sumary' (did you mean 'summary'?)",
        f"{BETA}:5: invalid YAML: while parsing a flow sequence: did not find expected ',' or ']'",
    ]


def test_unparseable_file_is_left_out_of_duplicate_id_checks(workspace, validate):
    # beta-vector.yml cannot be parsed, so it neither clashes with beta-vector.yaml nor hides it.
    root = workspace(files={"vendors/beta-vector.yml": "id: beta-vector\nname: [Beta\n"})
    result = validate(root)
    assert result.code == 1
    assert len(result.errors) == 1
    assert result.errors[0].startswith("vendors/beta-vector.yml:3: invalid YAML:")


def test_unparseable_catalog_is_reported_and_vendor_files_still_checked(workspace, validate):
    root = workspace.edited(
        ("catalog", "weight: 60", "weight: [60"), ("vendors/acme-vector", "summary:", "sumary:")
    )
    result = validate(root)
    assert result.code == 1
    assert result.errors == [
        f"{CAT}:9: invalid YAML: while parsing a flow sequence: did not find expected ',' or ']'",
        f"{ACME}:6: sumary: unknown key 'sumary' (did you mean 'summary'?)",
    ]


# --- warnings -------------------------------------------------------------------------------------------

EXPIRED = (
    "vendors/acme-vector",
    "expires: 2099-06-30\n      com-support",
    "expires: 2026-01-31\n      com-support",
)
EXPIRED_WARNING = (
    f"{ACME}:19: assessments[0].scores.sec-logging.expires: warning: evidence for 'sec-logging' expired on "
    "2026-01-31 (as of {as_of})"
)


def test_expired_evidence_is_a_warning_naming_file_line_criterion_and_date(workspace, validate):
    result = validate(workspace.edited(EXPIRED), "--as-of", "2026-11-30")
    assert (result.code, result.errors) == (0, [])
    assert result.warnings == [
        workspace.LATENCY_WARNING,
        EXPIRED_WARNING.format(as_of="2026-11-30"),
        workspace.UNSCORED_WARNING,
    ]
    assert result.summary.endswith("; 0 errors, 3 warnings")


def test_expiry_is_checked_against_today_by_default(workspace, validate):
    result = validate(workspace.edited(EXPIRED))
    today = dt.date.today().isoformat()
    assert result.code == 0
    assert EXPIRED_WARNING.format(as_of=today) in result.warnings


def test_as_of_before_the_expiry_date_gives_no_warning(workspace, validate):
    result = validate(workspace.edited(EXPIRED), "--as-of", "2026-01-31")
    assert (result.code, result.errors) == (0, [])
    assert result.warnings == [workspace.LATENCY_WARNING, workspace.UNSCORED_WARNING]


def test_as_of_moves_every_expiry_check(workspace, validate):
    result = validate(workspace(), "--as-of", "2099-07-01")
    assert result.code == 0
    assert result.warnings == [
        workspace.LATENCY_WARNING,
        f"{ACME}:19: assessments[0].scores.sec-logging.expires: warning: evidence for 'sec-logging' "
        "expired on 2099-06-30 (as of 2099-07-01)",
        f"{ACME}:25: assessments[0].scores.com-tco.expires: warning: evidence for 'com-tco' "
        "expired on 2099-06-30 (as of 2099-07-01)",
        workspace.UNSCORED_WARNING,
    ]


def test_quoted_expiry_date_is_checked_like_an_unquoted_one(workspace, validate):
    root = workspace.edited(("vendors/acme-vector", EXPIRED[1], 'expires: "2026-01-31"\n      com-support'))
    result = validate(root, "--as-of", "2026-11-30")
    assert result.code == 0
    assert EXPIRED_WARNING.format(as_of="2026-11-30") in result.warnings


@pytest.mark.parametrize("as_of", ["2026-02-30", "30/11/2026", "tomorrow"])
def test_invalid_as_of_is_a_usage_error(workspace, run_cli, as_of):
    code, out, err = run_cli(["validate", "--workspace", workspace(), "--as-of", as_of])
    assert (code, out) == (2, "")
    assert err == f"--as-of '{as_of}' is not a date YYYY-MM-DD\n"


def test_metric_criterion_without_grading_is_a_warning(workspace, validate):
    result = validate(workspace.edited(("catalog", "        grading: {best: 100000, worst: 1000000}\n", "")))
    assert (result.code, result.errors) == (0, [])
    assert result.warnings == [
        f"{CAT}:29: categories[1].criteria[1].id: warning: metric criterion 'com-tco' has no grading: its "
        "grades are min-max across the compared vendors, so they change with the vendors compared",
        workspace.LATENCY_WARNING.replace(":35:", ":34:"),
        workspace.UNSCORED_WARNING,
    ]


def test_metric_criterion_with_grading_gives_no_warning(workspace, validate):
    # Appended to the catalog, the line becomes com-latency's grading.
    result = validate(workspace.edited(("catalog", "", "        grading: {best: 10, worst: 500}\n")))
    assert (result.code, result.errors, result.warnings) == (0, [], [workspace.UNSCORED_WARNING])


def test_per_segment_grading_is_valid(workspace, validate):
    root = workspace.edited(("catalog", TCO_GRADING, segment_grading("{best: 50000, worst: 500000}")))
    assert (validate(root).code, validate(root).errors) == (0, [])
    tco = load_workspace(root).catalog.criterion_map()["com-tco"]
    own, default = tco.grading_for("Vector database"), tco.grading_for("LLM platform")
    assert (own.best, own.worst, default.best, default.worst) == (50000, 500000, 100000, 1000000)  # type: ignore[union-attr]


def test_empty_vendors_folder_is_a_warning(workspace, validate):
    root = workspace(vendors=dict.fromkeys(workspace.VENDORS))
    result = validate(root)
    assert (result.code, result.errors) == (0, [])
    assert result.warnings == [
        workspace.LATENCY_WARNING,
        "vendors: warning: no vendor files yet: add vendors/<id>.yaml",
    ]
    assert result.summary == "valid: 1 catalog (5 criteria), 2 profiles, 0 vendors; 0 errors, 2 warnings"


def test_inconsistent_ahp_matrix_is_a_warning(workspace, validate):
    catalog = workspace.CATALOG + EXTRA_CATEGORY.format(category="extra", criterion="extra-one")
    profile = (
        "id: pairwise\nname: Pairwise\nahp:\n  items: [security, commercial, extra]\n  matrix:\n"
        '    - [1, 9, "1/9"]\n    - ["1/9", 1, 9]\n    - [9, "1/9", 1]\n'
    )
    result = validate(workspace(catalog=catalog, profiles={"pairwise": profile}))
    assert (result.code, result.errors) == (0, [])
    assert len(result.warnings) == 3
    assert result.warnings[0] == workspace.LATENCY_WARNING
    assert result.warnings[1].startswith(
        f"{AHP}:5: ahp.matrix: warning: the pairwise judgements are inconsistent: consistency ratio "
    )
    assert result.warnings[1].endswith(" > 0.10 (Saaty); revisit the comparisons")
    # with the extra category (weight 1 of 101) gamma-llm's scored share is 53.3% x 100/101 = 52.8%
    assert result.warnings[2] == workspace.UNSCORED_WARNING


# --- the library API ------------------------------------------------------------------------------------


def test_load_workspace_returns_models_sorted_by_id(workspace):
    root = workspace()
    ws = load_workspace(root, dt.date(2026, 11, 30))
    assert [v.id for v in ws.vendors] == ["acme-vector", "beta-vector", "gamma-llm"]
    assert sorted(ws.profiles) == ["pairwise", "security-first"]
    assert ws.vendor_paths["gamma-llm"] == "vendors/gamma-llm.yaml"
    assert ws.segments() == ["Vector database", "LLM platform"]
    assert ws.as_of == dt.date(2026, 11, 30)
    assert [f.path for f in sorted(ws.files, key=lambda f: f.path)] == [
        "criteria/catalog.yaml",
        "criteria/profiles/pairwise.yaml",
        "criteria/profiles/security-first.yaml",
        *(f"vendors/{v}.yaml" for v in ("acme-vector", "beta-vector", "gamma-llm")),
    ]


def test_input_hash_changes_with_any_input_byte(workspace):
    first = load_workspace(workspace()).input_hash()
    assert first == load_workspace(workspace()).input_hash()
    changed = workspace.edited(("vendors/gamma-llm", "name: Gamma LLM", "name: Gamma LLM!"))
    assert load_workspace(changed).input_hash() != first


def test_check_workspace_returns_none_and_the_problems_when_invalid(workspace):
    ws, problems = check_workspace(
        workspace.edited(("vendors/beta-vector", "sec-logging: 4", "sec-logging: 7"))
    )
    assert ws is None
    assert [str(p) for p in problems if not p.warning] == [
        f"{BETA}:7: scores.sec-logging: score 7 is outside the rubric scale 0..5"
    ]


def test_unknown_profile_is_a_usage_error(workspace):
    from evaltool.errors import UsageError

    ws = load_workspace(workspace())
    assert ws.profile(None) is None
    assert ws.profile("pairwise").id == "pairwise"
    with pytest.raises(UsageError, match=r"^unknown profile 'nope' \(profiles: pairwise, security-first\)$"):
        ws.profile("nope")


def test_resolve_root_prefers_argument_then_environment_then_cwd(tmp_path, monkeypatch):
    (tmp_path / "arg").mkdir()
    (tmp_path / "env").mkdir()
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("EVALTOOL_WORKSPACE", str(tmp_path / "env"))
    assert resolve_root(tmp_path / "arg") == tmp_path / "arg"
    assert resolve_root(None) == tmp_path / "env"
    monkeypatch.delenv("EVALTOOL_WORKSPACE")
    assert resolve_root(None) == Path.cwd()


# --- kinds of problem -----------------------------------------------------------------------------------

INCONSISTENT_AHP = (
    "id: pairwise\nname: Pairwise\nahp:\n  items: [security, commercial, extra]\n  matrix:\n"
    '    - [1, 9, "1/9"]\n    - ["1/9", 1, 9]\n    - [9, "1/9", 1]\n'
)


def test_every_problem_carries_the_code_of_its_kind(workspace):
    """One problem of each kind, each with the code its kind has (errors.ProblemCode), whatever it says."""
    catalog = workspace.CATALOG + EXTRA_CATEGORY.format(category="extra", criterion="extra-one")
    acme = workspace.text("vendors/acme-vector").replace(*EXPIRED[1:])
    files = {"criteria/catalog.yml": catalog, "vendors/broken.yaml": "id: [broken\n"}
    root = workspace(
        catalog=catalog,
        profiles={"pairwise": INCONSISTENT_AHP},
        vendors={
            "acme-vector": acme,
            "beta-vector": workspace.text("vendors/beta-vector").replace("kind: open-source", "kin: x"),
            "gamma-llm": workspace.text("vendors/gamma-llm").replace("sec-encryption", "sec-encryptoin"),
        },
        files=files,
    )
    _, problems = check_workspace(root, dt.date(2026, 11, 30))
    assert [(p.path, p.line, p.code, p.warning) for p in problems] == [
        (CAT, 35, "relative-grading", True),  # com-latency has no grading
        ("criteria/catalog.yml", 0, "layout", False),  # a second catalog
        (AHP, 5, "ahp-inconsistent", True),
        (ACME, 19, "expired-evidence", True),
        (BETA, 4, "schema", False),  # unknown key 'kin'
        ("vendors/broken.yaml", 2, "unreadable", False),  # the flow sequence never closes
        ("vendors/gamma-llm.yaml", 1, "unscored-vendor", True),  # only com-tco is a known criterion
        ("vendors/gamma-llm.yaml", 6, "invalid", False),  # unknown criterion 'sec-encryptoin'
    ]


@pytest.mark.parametrize(
    ("message", "shown"),
    [
        ("evidence for 'sec-c01' expired on 2026-05-01", "evidence for 'sec-c01' expired on 2026-05-01"),
        ("red \x1b[31malert\x1b[0m", "red \\x1b[31malert\\x1b[0m"),
        ("two\nlines\ttabbed", "two\\nlines\\ttabbed"),
        ("abc\u202edcba", "abc\\u202edcba"),
        ("zero\u200bwidth", "zero\\u200bwidth"),
        ("x" * 1000, "x" * 1000),
        ("x" * 1001, "x" * 997 + "..."),
        ("\u00e9t\u00e9 " * 300, ("\u00e9t\u00e9 " * 300)[:997] + "..."),
    ],
)
def test_problems_are_printed_on_one_safe_line(message, shown):
    problem = Problem("vendors/a.yaml", 3, "scores.x", message, warning=True)
    assert printable(problem) == Problem("vendors/a.yaml", 3, "scores.x", shown, warning=True)
    assert printable(Problem(message, 1, message, "m")) == Problem(shown, 1, shown, "m")
