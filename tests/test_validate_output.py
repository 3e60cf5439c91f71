"""`evaltool validate`'s output (docs/cli.md#evaltool-validate): errors first, then warnings, each sorted by
file and line; one summary line last on the same stream; --strict and --quiet-warnings; the warning for a
vendor that leaves much of the catalog's weight unscored.

Weights of the test catalog (tests/conftest.py), by hand: security 60 and commercial 40 of 100; within
security sec-encryption 2 and sec-logging 1 of 3, within commercial three criteria of weight 1. So
sec-encryption is 40% of the weight, sec-logging 20%, com-support, com-tco and com-latency 13.3% each.
"""

from __future__ import annotations

import pytest

ACME = "vendors/acme-vector.yaml"
BETA = "vendors/beta-vector.yaml"
GAMMA = "vendors/gamma-llm.yaml"
GRADED_LATENCY = (
    "catalog",
    "",
    "        grading: {best: 10, worst: 500}\n",
)  # appended: com-latency's grading


def gamma(scores: str) -> tuple[str, str | None, str]:
    """gamma-llm with the given `scores:` block (lines 5 onwards)."""
    head = "id: gamma-llm\nname: Gamma LLM\nsegment: LLM platform\nkind: enterprise\nscores:\n"
    return ("vendors/gamma-llm", None, head + scores)


def test_errors_come_first_then_warnings_each_by_file_and_line_then_the_summary(workspace, run_cli):
    root = workspace.edited(
        ("vendors/beta-vector", "sec-logging: 4", "sec-logging: 7"),
        ("vendors/acme-vector", "com-support: 3", "com-suport: 3"),
        (
            "vendors/acme-vector",
            "logging.pdf\n        expires: 2099-06-30",
            "logging.pdf\n        expires: 2026-01-31",
        ),
    )
    code, out, err = run_cli(["validate", "--workspace", root, "--as-of", "2026-11-30"])
    assert (code, err) == (1, "")
    assert out.splitlines() == [
        f"{ACME}:20: assessments[0].scores.com-suport: unknown criterion 'com-suport' "
        "(did you mean 'com-support'?)",
        f"{BETA}:7: scores.sec-logging: score 7 is outside the rubric scale 0..5",
        workspace.LATENCY_WARNING,
        f"{ACME}:19: assessments[0].scores.sec-logging.expires: warning: evidence for 'sec-logging' "
        "expired on 2026-01-31 (as of 2026-11-30)",
        workspace.UNSCORED_WARNING,
        "invalid: 2 errors, 3 warnings",
    ]


def test_a_valid_workspace_ends_with_what_was_read_and_the_counts(workspace, run_cli):
    code, out, err = run_cli(["validate", "--workspace", workspace()])
    assert (code, err) == (0, "")
    assert (
        out.splitlines()[-1] == "valid: 1 catalog (5 criteria), 2 profiles, 3 vendors; 0 errors, 2 warnings"
    )


def test_one_of_each_reads_in_the_singular(workspace, run_cli):
    root = workspace.edited(
        GRADED_LATENCY, ("profiles/pairwise", None, None), ("vendors/beta-vector", None, None)
    )
    root_out = run_cli(["validate", "--workspace", root])[1]
    assert root_out.splitlines()[-1] == (
        "valid: 1 catalog (5 criteria), 1 profile, 2 vendors; 0 errors, 1 warning"
    )


# --- --strict and --quiet-warnings ----------------------------------------------------------------------


def test_strict_fails_on_a_warning(workspace, run_cli):
    code, out, err = run_cli(["validate", "--workspace", workspace(), "--strict"])
    assert (code, err) == (1, "")
    assert out.splitlines() == [
        workspace.LATENCY_WARNING,
        workspace.UNSCORED_WARNING,
        "invalid (--strict fails on warnings): 0 errors, 2 warnings",
    ]


def test_strict_passes_a_workspace_without_warnings(workspace, run_cli):
    root = workspace.edited(GRADED_LATENCY, ("vendors/gamma-llm", None, None))
    code, out, err = run_cli(["validate", "--workspace", root, "--strict"])
    assert (code, out, err) == (
        0,
        "valid: 1 catalog (5 criteria), 2 profiles, 2 vendors; 0 errors, 0 warnings\n",
        "",
    )


def test_strict_in_a_real_process_for_ci(workspace, run_process):
    assert run_process(["validate", "--workspace", workspace(), "--strict"])[0] == 1
    assert run_process(["validate", "--workspace", workspace()])[0] == 0


def test_quiet_warnings_lists_only_the_errors_and_the_summary_still_counts_warnings(workspace, run_cli):
    root = workspace.edited(("vendors/beta-vector", "sec-logging: 4", "sec-logging: 7"))
    code, out, err = run_cli(["validate", "--workspace", root, "--quiet-warnings"])
    assert (code, err) == (1, "")
    assert out.splitlines() == [
        f"{BETA}:7: scores.sec-logging: score 7 is outside the rubric scale 0..5",
        "invalid: 1 error, 2 warnings (warnings not listed: --quiet-warnings)",
    ]


def test_quiet_warnings_on_a_valid_workspace_prints_the_summary_only(workspace, run_cli):
    code, out, _ = run_cli(["validate", "--workspace", workspace(), "--quiet-warnings"])
    assert (code, out) == (
        0,
        "valid: 1 catalog (5 criteria), 2 profiles, 3 vendors; 0 errors, 2 warnings "
        "(warnings not listed: --quiet-warnings)\n",
    )


def test_quiet_warnings_with_strict_still_fails_and_says_why(workspace, run_cli):
    code, out, _ = run_cli(["validate", "--workspace", workspace(), "--quiet-warnings", "--strict"])
    assert (code, out) == (
        1,
        "invalid (--strict fails on warnings): 0 errors, 2 warnings "
        "(warnings not listed: --quiet-warnings)\n",
    )


# --- a vendor with much of the weight unscored ----------------------------------------------------------


@pytest.mark.parametrize(
    ("scores", "expected"),
    [
        # 40 + 20 + 13.3 + 13.3 = 86.7% scored: at least the 80% a PoC needs, no warning
        ("  sec-encryption: 5\n  sec-logging: 4\n  com-support: 3\n  com-tco: 500000\n", None),
        # 40 + 20 + 13.3 = 73.3% scored, 26.7% not
        (
            "  sec-encryption: 5\n  sec-logging: 4\n  com-support: 3\n",
            "gamma-llm: 27% of the weight is unscored and counts as 0",
        ),
        # a null and a long form without a number are not scores: 40 + 13.3 = 53.3% scored
        (
            "  sec-encryption: 5\n  sec-logging: null\n  com-support: {evidence: call notes}\n  com-tco: 1\n",
            "gamma-llm: 47% of the weight is unscored and counts as 0",
        ),
        # 13.3% scored: below the 50% needed to be ranked at all
        (
            "  com-tco: 500000\n",
            "gamma-llm: 87% of the weight is unscored and counts as 0; under 50% scored it is not assessed "
            "and not ranked",
        ),
    ],
    ids=["87-scored", "73-scored", "null-and-evidence-only", "13-scored"],
)
def test_unscored_weight_is_a_warning_on_line_1(workspace, validate, scores, expected):
    result = validate(workspace.edited(GRADED_LATENCY, gamma(scores)))
    assert (result.code, result.errors) == (0, [])
    assert result.warnings == ([f"{GAMMA}:1: warning: {expected}"] if expected else [])


def test_under_missing_exclude_the_unscored_weight_is_left_out(workspace, validate):
    root = workspace.edited(GRADED_LATENCY, ("catalog", "missing: zero", "missing: exclude"))
    assert validate(root).warnings == [
        f"{GAMMA}:1: warning: gamma-llm: 47% of the weight is unscored and is left out, the rest reweighted"
    ]


def test_exactly_the_poc_coverage_is_no_warning(workspace, validate):
    # security 80 of 100: a vendor scoring both security criteria has exactly 80% of the weight scored
    root = workspace.edited(
        GRADED_LATENCY,
        ("catalog", "weight: 60", "weight: 80"),
        ("catalog", "weight: 40", "weight: 20"),
        gamma("  sec-encryption: 5\n  sec-logging: 4\n"),
    )
    assert validate(root).warnings == []


def test_a_scaffolded_vendor_is_reported_as_not_assessed(workspace, run_cli, validate):
    root = workspace.edited(GRADED_LATENCY, ("vendors/gamma-llm", None, None))
    assert run_cli(["new", "vendor", "delta-db", "--workspace", root])[0] == 0
    result = validate(root)
    assert (result.code, result.errors) == (0, [])
    assert result.warnings == [
        "vendors/delta-db.yaml:1: warning: delta-db: 100% of the weight is unscored and counts as 0; "
        "under 50% scored it is not assessed and not ranked"
    ]


def test_the_warning_agrees_with_the_scorer(workspace):
    """Whatever validate says about assessment, `score` does the same: 13.3% scored is not assessed."""
    from evaltool.scoring import score
    from evaltool.workspace import load_workspace

    ws = load_workspace(workspace.edited(GRADED_LATENCY, gamma("  com-tco: 500000\n")))
    gamma_result = score(ws.catalog, list(ws.vendors), as_of=ws.as_of).vendor("gamma-llm")
    assert gamma_result.status == "not-assessed"
    assert gamma_result.coverage == pytest.approx(0.4 / 3)
