"""A vendor's commercial block: validated at file:line, its TCO feeding `computed: tco_total`, and the
contract's notice deadline warned about by `evaltool validate`.

Expected totals, grades and dates are worked out by hand in the comments beside them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from evaltool.commercial import add_months
from evaltool.scoring import score
from evaltool.workspace import load_workspace

COMPUTED = ("catalog", "        grading: {best: 100000, worst: 1000000}\n",
            "        grading: {best: 100000, worst: 1000000}\n        computed: tco_total\n")  # fmt: skip

# Line numbers matter: the tests below refer to them.
GAMMA = """\
id: gamma-llm
name: Gamma LLM
segment: LLM platform
kind: enterprise
summary: Fictional LLM platform.
commercial:
  currency: USD
  pricing_model: consumption
  tco:
    - {year: 1, license: 200000, services: 50000, internal: 40000}
    - {year: 2, license: 210000, internal: 30000}
    - {year: 3, license: 220000.5, internal: 30000, other: {gpu-reservation: 19999.5}}
  contract:
    start: 2027-01-01
    term_months: 36
    notice_days: 90
    liability_cap: 1000000
    indemnities: [ip, ai-output]
    discount_pct: 12.5
  supplier_id: SUP-104233
scores:
  sec-encryption: 5
  com-tco: {evidence: Vendor quote GL-7, level: documented}
"""
# Year 1: 200000 + 50000 + 40000 = 290000; year 2: 210000 + 30000 = 240000;
# year 3: 220000.5 + 30000 + 19999.5 = 270000. Total 800000.
GAMMA_TOTAL = 800_000.0


def gamma(old: str, new: str) -> tuple[str, str | None, str | None]:
    return ("vendors/gamma-llm", None, GAMMA.replace(old, new) if old else GAMMA)


@pytest.fixture
def computed(workspace: Any) -> Path:
    root: Path = workspace.edited(COMPUTED, gamma("", ""))
    return root


def test_a_computed_criterion_takes_the_sum_of_the_tco(computed: Path) -> None:
    ws = load_workspace(computed, dt.date(2026, 12, 1))
    result = score(ws.catalog, ws.vendors, None)
    cell = result.vendor("gamma-llm").cells["com-tco"]
    assert cell.raw == GAMMA_TOTAL
    # graded linearly from best 100000 (5) to worst 1000000 (0): 5 x (1000000 - 800000) / 900000 = 10/9
    assert cell.grade == pytest.approx(10 / 9, abs=1e-12)
    # the assessor's evidence stays with the computed number
    assert [(e.given, e.evidence, e.level) for e in cell.evidence] == [
        (GAMMA_TOTAL, "Vendor quote GL-7", "documented")
    ]
    commercial = next(v for v in ws.vendors if v.id == "gamma-llm").commercial
    assert commercial is not None and [y.total for y in commercial.tco] == [290000, 240000, 270000]


def test_a_computed_value_with_no_entry_stands_alone(workspace: Any) -> None:
    root = workspace.edited(
        COMPUTED, gamma("  com-tco: {evidence: Vendor quote GL-7, level: documented}\n", "")
    )
    ws = load_workspace(root, dt.date(2026, 12, 1))
    cell = score(ws.catalog, ws.vendors, None).vendor("gamma-llm").cells["com-tco"]
    assert (cell.raw, cell.assessors) == (GAMMA_TOTAL, 1)
    assert [(e.assessor, e.evidence) for e in cell.evidence] == [
        ("", "Sum of commercial.tco: 3 years by component in USD")
    ]


def test_a_vendor_without_tco_or_value_is_unscored_on_it(workspace: Any) -> None:
    root = workspace.edited(
        COMPUTED, ("vendors/gamma-llm", "  com-tco: {value: 900000, level: claimed}\n", "")
    )
    ws = load_workspace(root, dt.date(2026, 12, 1))
    result = score(ws.catalog, ws.vendors, None)
    assert result.vendor("gamma-llm").cells["com-tco"].raw is None
    assert "com-tco" in result.vendor("gamma-llm").unscored
    # a vendor without a commercial block keeps the value it gives
    assert result.vendor("beta-vector").cells["com-tco"].raw == 500000


def test_a_value_equal_to_the_computed_one_is_accepted(workspace: Any, validate: Callable[..., Any]) -> None:
    root = workspace.edited(COMPUTED, gamma("{evidence: Vendor quote GL-7,", "{value: 800000, evidence: x,"))
    assert validate(root, "--as-of", "2026-12-01").errors == []


ERRORS = {
    "value differs": (
        ("{evidence: Vendor quote GL-7,", "{value: 790000, evidence: x,"),
        "vendors/gamma-llm.yaml:23: scores.com-tco.value: 'com-tco' is computed as the sum of "
        "commercial.tco, 800000; the value 790000 given here differs: remove it (or make it equal)",
    ),
    "short form differs": (
        ("  com-tco: {evidence: Vendor quote GL-7, level: documented}", "  com-tco: 800001"),
        "vendors/gamma-llm.yaml:23: scores.com-tco: 'com-tco' is computed as the sum of commercial.tco, "
        "800000; the value 800001 given here differs: remove it (or make it equal)",
    ),
    "currency": (
        ("currency: USD", "currency: usd"),
        "vendors/gamma-llm.yaml:7: commercial.currency: must be a three-letter ISO 4217 currency code such "
        "as 'USD', not 'usd'",
    ),
    "other currency than the unit": (
        ("currency: USD", "currency: EUR"),
        "vendors/gamma-llm.yaml:7: commercial.currency: 'com-tco' is computed from commercial.tco in USD, "
        "but the amounts here are in EUR; convert them to USD",
    ),
    "negative amount": (
        ("license: 210000", "license: -5"),
        "vendors/gamma-llm.yaml:11: commercial.tco[1].license: must be a finite amount of 0 or more, not -5",
    ),
    "misspelt component": (
        ("{year: 2, license:", "{year: 2, licence:"),
        "vendors/gamma-llm.yaml:11: commercial.tco[1].licence: unknown key 'licence' (did you mean "
        "'license'?)",
    ),
    "text amount": (
        ("gpu-reservation: 19999.5", "gpu-reservation: lots"),
        "vendors/gamma-llm.yaml:12: commercial.tco[2].other.gpu-reservation: must be an amount (a number), "
        "not 'lots'",
    ),
    "year twice": (
        ("{year: 3,", "{year: 2,"),
        "vendors/gamma-llm.yaml:9: commercial.tco: year 2 appears more than once",
    ),
    "renewal before start": (
        ("    term_months: 36\n", "    renewal: 2026-12-31\n"),
        "vendors/gamma-llm.yaml:13: commercial.contract: renewal 2026-12-31 must come after start 2027-01-01",
    ),
    "impossible date": (
        ("start: 2027-01-01", "start: 2027-02-30"),
        "vendors/gamma-llm.yaml:14: commercial.contract.start: '2027-02-30' is not a real date",
    ),
    "discount": (
        ("discount_pct: 12.5", "discount_pct: 120"),
        "vendors/gamma-llm.yaml:19: commercial.contract.discount_pct: must be <= 100, not 120",
    ),
    "indemnity twice": (
        ("[ip, ai-output]", "[ip, ip]"),
        "vendors/gamma-llm.yaml:18: commercial.contract.indemnities: lists ip more than once",
    ),
    "pricing model": (
        ("pricing_model: consumption", "pricing_model: leasing"),
        "vendors/gamma-llm.yaml:8: commercial.pricing_model: must be one of 'subscription', 'consumption', "
        "'capacity', 'per-seat', 'perpetual', 'support' or 'hybrid', not 'leasing'",
    ),
}


@pytest.mark.parametrize(("edit", "expected"), ERRORS.values(), ids=list(ERRORS))
def test_commercial_errors_at_file_and_line(
    workspace: Any, validate: Callable[..., Any], edit: tuple[str, str], expected: str
) -> None:
    outcome = validate(workspace.edited(COMPUTED, gamma(*edit)), "--as-of", "2026-12-01")
    assert (outcome.code, outcome.errors) == (1, [expected])


def test_computed_only_on_a_metric_criterion(workspace: Any, validate: Callable[..., Any]) -> None:
    edit = (
        "catalog",
        "        name: Support quality\n",
        "        name: Support quality\n        computed: tco_total\n",
    )
    outcome = validate(workspace.edited(edit), "--as-of", "2026-12-01")
    expected = (
        "criteria/catalog.yaml:29: categories[1].criteria[0].computed: 'computed' is only allowed on a "
        "metric criterion (type: metric)"
    )
    assert (outcome.code, outcome.errors) == (1, [expected])


# start 2027-01-01 + 36 months = renewal 2030-01-01; minus 90 days = 2029-10-03 (31 days back to
# 2029-12-01, 61 to 2029-11-01, 91 to 2029-10-02, so 90 to 2029-10-03). 90 days before that is 2029-07-05.
NOTICE = {
    "beyond 90 days": ("2029-07-04", None),
    "exactly 90 days": (
        "2029-07-05",
        "is 2029-10-03, in 90 days (renewal 2030-01-01 minus 90 days' notice; as of 2029-07-05)",
    ),
    "one day": (
        "2029-10-02",
        "is 2029-10-03, in 1 day (renewal 2030-01-01 minus 90 days' notice; as of 2029-10-02)",
    ),
    "today": (
        "2029-10-03",
        "is today, 2029-10-03 (renewal 2030-01-01 minus 90 days' notice; as of 2029-10-03)",
    ),
    "past": (
        "2029-10-04",
        "passed on 2029-10-03 (renewal 2030-01-01 minus 90 days' notice; as of 2029-10-04)",
    ),
}


@pytest.mark.parametrize(("as_of", "when"), NOTICE.values(), ids=list(NOTICE))
def test_validate_warns_of_a_near_or_past_notice_deadline(
    computed: Path, validate: Callable[..., Any], as_of: str, when: str | None
) -> None:
    outcome = validate(computed, "--as-of", as_of)
    notices = [w for w in outcome.warnings if "notice deadline" in w]
    expected = [] if when is None else [
        f"vendors/gamma-llm.yaml:16: commercial.contract.notice_days: warning: the notice deadline {when}"
    ]  # fmt: skip
    assert (outcome.code, notices) == (0, expected)


def test_strict_validation_fails_on_a_notice_warning(computed: Path, validate: Callable[..., Any]) -> None:
    assert validate(computed, "--as-of", "2029-10-04").code == 0
    outcome = validate(computed, "--as-of", "2029-10-04", "--strict")
    assert (outcome.code, outcome.errors) == (1, [])


def test_an_explicit_renewal_date_sets_the_deadline(workspace: Any, validate: Callable[..., Any]) -> None:
    root = workspace.edited(COMPUTED, gamma("    term_months: 36\n", "    renewal: 2027-06-30\n"))
    # 2027-06-30 minus 90 days: 30 back to 2027-05-31, 61 to 2027-04-30, 91 to 2027-03-31: 2027-04-01
    outcome = validate(root, "--as-of", "2027-04-01")
    assert [w for w in outcome.warnings if "notice" in w] == [
        "vendors/gamma-llm.yaml:16: commercial.contract.notice_days: warning: the notice deadline is today, "
        "2027-04-01 (renewal 2027-06-30 minus 90 days' notice; as of 2027-04-01)"
    ]


@pytest.mark.parametrize(
    ("start", "months", "end"),
    [
        (dt.date(2027, 1, 31), 1, dt.date(2027, 2, 28)),
        (dt.date(2028, 1, 31), 1, dt.date(2028, 2, 29)),
        (dt.date(2026, 11, 15), 36, dt.date(2029, 11, 15)),
        (dt.date(2026, 12, 1), 13, dt.date(2028, 1, 1)),
    ],
)
def test_a_term_in_months_ends_on_the_same_day_or_the_months_last(
    start: dt.date, months: int, end: dt.date
) -> None:
    assert add_months(start, months) == end


def test_the_sample_tco_blocks_sum_to_the_values_they_replace() -> None:
    # The values com-tco had before the commercial blocks, from the vendors' written quotes.
    before = {"basaltine": 1480000, "cairnline": 310000, "cindermoor": 1100000, "ferrovane": 540000,
              "glyphwell": 960000, "halcyra": 1350000, "loomwright": 470000, "lumenvec": 420000,
              "marrowfield": 240000, "mosswright": 780000, "openshale": 520000, "quillfern": 180000,
              "skerry-compute": 690000, "tessaloom": 260000, "veldtrace": 210000}  # fmt: skip
    ws = load_workspace(Path(__file__).resolve().parents[1], dt.date(2026, 12, 1))
    result = score(ws.catalog, ws.vendors, None)
    assert {v.id: v.cells["com-tco"].raw for v in result.vendors()} == before
    assert {v.id: (v.commercial.tco_total if v.commercial else None) for v in ws.vendors} == before


def test_a_new_vendor_file_says_which_value_is_computed(computed: Path, run_cli: Callable[..., Any]) -> None:
    code, _, err = run_cli(["new", "vendor", "delta-db", "--workspace", computed])
    assert (code, err) == (0, "")
    lines = (computed / "vendors" / "delta-db.yaml").read_text().splitlines()
    at = lines.index("      com-tco: null")
    assert lines[at - 1] == (
        "      #   computed: the sum of commercial.tco; leave the value out, give the evidence"
    )
    assert lines[lines.index("      com-latency: null") - 1].startswith("      #   long form: {value: 0,")
