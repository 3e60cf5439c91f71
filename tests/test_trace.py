"""Regulatory traceability: frameworks and references in the catalog, `evaltool trace`, the report's
appendix, the scorecard's Traceability sheet and the dashboard's Traceability page.

Expected statuses are worked out by hand from the small workspace below (as of 2026-11-30): each
criterion's status is the weakest level among the assessors who scored it, each clause's the weakest
over the criteria citing it.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path

import openpyxl
import pytest
from conftest import REPO, CliResult, Validation
from streamlit.testing.v1 import AppTest

from evaltool.reading import read_workspace

AS_OF = "2026-11-30"

# Line numbers matter: tests refer to them.
CATALOG = """\
catalog: Trace test
version: "1"
frameworks:
  - {id: DORA, name: Digital operational resilience, url: https://example.com/dora}
  - {id: OCC 2023-17, name: Third-party risk guidance}
segments: [Vector database]
categories:
  - id: security
    name: Security
    criteria:
      - id: enc
        name: Encryption
        references:
          - {framework: DORA, clause: Art. 30(2)(c)}
          - {framework: OCC 2023-17, clause: information security}
      - id: logs
        name: Logging
        references:
          - {framework: OCC 2023-17, clause: information security}
      - id: notice
        name: Incident notice
        references: [{framework: DORA, clause: Art. 30(3)(b)}]
      - id: exit
        name: Exit plan
        references: [{framework: DORA, clause: Art. 28(8)}]
      - id: audit
        name: Audit rights
        references: [{framework: DORA, clause: Art. 30(3)(e)}]
      - id: bench
        name: Benchmark
        references: [{framework: DORA, clause: Art. 9}]
"""

# alpha: enc poc (a.one) and verified (b.two) -> verified; logs documented but expired -> stale;
# notice short form, no level -> claimed; exit unscored -> missing; audit documented (b.two left it
# null, which does not count) -> documented; bench poc -> poc.
ALPHA = """\
id: alpha
name: Alpha Vector
segment: Vector database
assessments:
  - assessor: a.one
    date: 2026-10-01
    scores:
      enc: {score: 4, level: poc}
      logs: {score: 3, level: documented, expires: 2026-06-30}
      notice: 3
      audit: {score: 4, level: documented}
      bench: {score: 5, level: poc}
  - assessor: b.two
    date: 2026-10-02
    scores:
      enc: {score: 3, level: verified, expires: 2099-06-30}
      audit: null
"""

# beta: enc documented, logs verified -> OCC information security documented; notice scored 1 on a PoC
# measurement -> poc (a status is about the evidence, not the score); the rest missing.
BETA = """\
id: beta
name: Beta Vector
segment: Vector database
scores:
  enc: {score: 2, level: documented}
  logs: {score: 5, level: verified}
  notice: {score: 1, level: poc}
"""

ROWS = [
    ("DORA", "Art. 9", ["bench"], {"alpha": "poc", "beta": "missing"}),
    ("DORA", "Art. 28(8)", ["exit"], {"alpha": "missing", "beta": "missing"}),
    ("DORA", "Art. 30(2)(c)", ["enc"], {"alpha": "verified", "beta": "documented"}),
    ("DORA", "Art. 30(3)(b)", ["notice"], {"alpha": "claimed", "beta": "poc"}),
    ("DORA", "Art. 30(3)(e)", ["audit"], {"alpha": "documented", "beta": "missing"}),
    ("OCC 2023-17", "information security", ["enc", "logs"], {"alpha": "stale", "beta": "documented"}),
]


def _write(root: Path, catalog: str = CATALOG, vendors: dict[str, str] | None = None) -> Path:
    (root / "criteria").mkdir(parents=True)
    (root / "vendors").mkdir()
    (root / "criteria" / "catalog.yaml").write_text(catalog, encoding="utf-8")
    for name, text in (vendors or {"alpha": ALPHA, "beta": BETA}).items():
        (root / "vendors" / f"{name}.yaml").write_text(text, encoding="utf-8")
    return root


@pytest.fixture
def ws(tmp_path: Path) -> Path:
    return _write(tmp_path / "ws")


def _trace(run_cli: Callable[..., CliResult], root: Path, *args: str) -> CliResult:
    return run_cli(["trace", "--workspace", root, "--as-of", AS_OF, *args])


# --- the matrix ------------------------------------------------------------------------------------------


def test_json_gives_each_clause_the_weakest_evidence_over_its_criteria_and_assessors(
    run_cli: Callable[..., CliResult], ws: Path
) -> None:
    import json

    code, out, err = _trace(run_cli, ws, "--format", "json")
    assert code == 0, err
    data = json.loads(out)
    got = [(r["framework"], r["clause"], r["criteria"], r["vendors"]) for r in data["rows"]]
    assert got == ROWS
    assert data["statuses"] == ["poc", "verified", "documented", "claimed", "stale", "missing"]
    assert data["frameworks"] == [
        {"id": "DORA", "name": "Digital operational resilience", "url": "https://example.com/dora"},
        {"id": "OCC 2023-17", "name": "Third-party risk guidance", "url": None},
    ]
    assert [v["id"] for v in data["vendors"]] == ["alpha", "beta"]


def test_evidence_is_stale_only_after_its_expiry_date(run_cli: Callable[..., CliResult], ws: Path) -> None:
    import json

    # on its expiry date (2026-06-30) alpha's logging evidence still counts as documented: the OCC row is
    # then the weakest of enc (verified) and logs (documented)
    code, out, _ = run_cli(["trace", "--workspace", ws, "--as-of", "2026-06-30", "--format", "json"])
    assert code == 0
    assert json.loads(out)["rows"][-1]["vendors"] == {"alpha": "documented", "beta": "documented"}


def test_csv_has_a_column_per_vendor(run_cli: Callable[..., CliResult], ws: Path) -> None:
    code, out, err = _trace(run_cli, ws, "--format", "csv")
    assert code == 0, err
    assert out.splitlines() == [
        "framework,clause,criteria,alpha,beta",
        "DORA,Art. 9,bench,poc,missing",
        "DORA,Art. 28(8),exit,missing,missing",
        "DORA,Art. 30(2)(c),enc,verified,documented",
        "DORA,Art. 30(3)(b),notice,claimed,poc",
        "DORA,Art. 30(3)(e),audit,documented,missing",
        "OCC 2023-17,information security,enc logs,stale,documented",
    ]


def test_table_shows_one_block_per_segment_and_a_framework_filter(
    run_cli: Callable[..., CliResult], ws: Path
) -> None:
    code, out, err = _trace(run_cli, ws, "--framework", "OCC 2023-17")
    assert code == 0, err
    assert out.splitlines() == [
        "Vector database: regulatory traceability",
        "framework    clause                criteria  alpha  beta",
        "OCC 2023-17  information security  enc logs  stale  documented",
        "",
    ]


def test_an_unknown_framework_option_is_a_usage_error_naming_the_closest(
    run_cli: Callable[..., CliResult], ws: Path
) -> None:
    code, out, err = _trace(run_cli, ws, "--framework", "dora")
    assert (code, out) == (2, "")
    assert err.splitlines()[-1] == (
        "unknown framework 'dora' (did you mean 'DORA'?) (frameworks: DORA, OCC 2023-17)"
    )


# --- validation ------------------------------------------------------------------------------------------


def test_a_reference_to_an_undeclared_framework_is_an_error_at_its_line(
    validate: Callable[..., Validation], tmp_path: Path
) -> None:
    catalog = CATALOG.replace(
        "{framework: DORA, clause: Art. 30(3)(b)}", "{framework: DROA, clause: Art. 30(3)(b)}"
    )
    result = validate(_write(tmp_path / "ws", catalog))
    assert result.code == 1
    assert result.errors == [
        "criteria/catalog.yaml:22: categories[0].criteria[2].references[0].framework: framework 'DROA' is "
        "not one of the catalog's frameworks: DORA, OCC 2023-17 (did you mean 'DORA'?)"
    ]


def test_a_catalog_without_frameworks_says_to_declare_them(
    validate: Callable[..., Validation], tmp_path: Path
) -> None:
    catalog = CATALOG.replace(
        "frameworks:\n  - {id: DORA, name: Digital operational resilience, url: https://example.com/dora}\n"
        "  - {id: OCC 2023-17, name: Third-party risk guidance}\n",
        "",
    )
    result = validate(_write(tmp_path / "ws", catalog))
    assert result.code == 1
    assert result.errors[0] == (
        "criteria/catalog.yaml:11: categories[0].criteria[0].references[0].framework: framework 'DORA' is "
        "not declared: list it under the catalog's 'frameworks' (id, name, url)"
    )
    assert len(result.errors) == 7  # every traced reference of the catalog


def test_a_plain_text_reference_is_read_and_warned_about(
    validate: Callable[..., Validation], run_cli: Callable[..., CliResult], tmp_path: Path
) -> None:
    import json

    catalog = CATALOG.replace("[{framework: DORA, clause: Art. 9}]", "[ISO 25010 performance]")
    root = _write(tmp_path / "ws", catalog)
    result = validate(root)
    assert result.code == 0
    assert [w for w in result.warnings if w.startswith("criteria/")] == [
        "criteria/catalog.yaml:31: categories[0].criteria[5].references[0]: warning: plain-text reference "
        "'ISO 25010 performance' is not traced: write it as {framework: ID, clause: ...} with ID one of the "
        "catalog's frameworks"
    ]
    code, out, _ = _trace(run_cli, root, "--format", "json")
    assert code == 0
    assert "Art. 9" not in [row["clause"] for row in json.loads(out)["rows"]]


@pytest.mark.parametrize(
    ("old", "new", "line"),
    [
        (
            "  - {id: OCC 2023-17, name: Third-party risk guidance}",
            "  - {id: DORA, name: Third-party risk guidance}",
            "criteria/catalog.yaml:5: frameworks[1].id: framework 'DORA' is declared twice",
        ),
        (
            "{framework: DORA, clause: Art. 9}",
            "{clause: Art. 9}",
            "criteria/catalog.yaml:31: categories[0].criteria[5].references[0]: needs 'framework': the id of "
            "one of the catalog's frameworks",
        ),
        (
            "  - {id: OCC 2023-17, name: Third-party risk guidance}",
            "  - {id: ' OCC', name: Third-party risk guidance}",
            "criteria/catalog.yaml:5: frameworks[1].id: ' OCC' is not a framework id: use one line of at "
            "most 40 characters, without leading or trailing spaces (e.g. DORA, OCC 2023-17)",
        ),
    ],
    ids=["duplicate", "no-framework", "spaces"],
)
def test_bad_frameworks_and_references_are_errors_at_their_line(
    validate: Callable[..., Validation], tmp_path: Path, old: str, new: str, line: str
) -> None:
    result = validate(_write(tmp_path / "ws", CATALOG.replace(old, new)))
    assert result.code == 1
    assert line in result.errors


# --- the bundled catalog ---------------------------------------------------------------------------------


def _bundled() -> dict[str, list[str]]:
    catalog = read_workspace(REPO).catalog
    assert catalog is not None
    return {k.id: [f"{r.framework} {r.clause}" for r in k.references] for k in catalog.criteria()}


def test_every_reference_of_the_bundled_catalog_names_a_declared_framework() -> None:
    reading = read_workspace(REPO)
    assert reading.catalog is not None
    declared = {f.id for f in reading.catalog.frameworks}
    cited = {r.framework for k in reading.catalog.criteria() for r in k.references}
    assert None not in cited and cited <= declared
    assert cited == declared  # no framework declared for nothing
    assert [
        p for p in reading.problems if p.path == "criteria/catalog.yaml" and p.code != "relative-grading"
    ] == []


def test_the_bundled_catalog_cites_the_reviewed_clauses() -> None:
    refs = _bundled()
    # incident notice is Art. 30(3)(b); Art. 30(2)(f) is assistance when an incident occurs; TLPT 30(3)(d)
    assert {"DORA Art. 30(3)(b)", "DORA Art. 30(2)(f)", "DORA Art. 30(3)(d)"} <= set(
        refs["sec-incident-notice"]
    )
    # EU AI Act Art. 26 (deployers' obligations) says nothing of where data is located
    assert [r for r in refs["reg-data-location"] if r.startswith("EU AI Act")] == []
    assert "DORA Art. 28(3)" in refs["reg-subprocessors"]  # register of information
    assert "DORA Art. 30(2)(h)" in refs["ext-continuity"]  # termination rights and notice periods
    assert "DORA Art. 31" in refs["ext-concentration"]  # critical ICT third-party providers
    assert "EU AI Act Art. 25(1)(b)-(c)" in refs["ai-transparency"]  # the bank becoming a provider
    # 12 CFR 30 appendix B is cited at section III.D (service providers), the level its text was checked at
    assert {"GLBA 15 U.S.C. 6801(b)", "12 CFR 30 App. B III.D", "23 NYCRR 500 500.11(b)(2)"} <= set(
        refs["sec-encryption"]
    )
    # SR 26-2 / OCC Bulletin 2026-13 replaced SR 11-7 on 17 April 2026: nothing cites the rescinded letter
    assert [r for rs in refs.values() for r in rs if r.startswith("SR 11-7")] == []
    assert "SR 26-2 model validation and monitoring" in refs["ai-evaluation"]
    assert "SR 26-2 vendor and other third-party products" in refs["ai-transparency"]
    # the interagency guidance's due-diligence heading is the company principals', not "key personnel"
    principals = "OCC 2023-17 due diligence: qualifications and backgrounds of company principals"
    assert refs["ven-key-person"] == [principals]


# --- report, scorecard, dashboard ------------------------------------------------------------------------


def test_the_report_has_a_traceability_appendix(run_cli: Callable[..., CliResult], ws: Path) -> None:
    out_file = ws / "reports" / "r.md"
    code, _, err = run_cli(
        [
            "report",
            "--workspace",
            ws,
            "--as-of",
            AS_OF,
            "--format",
            "md",
            "--samples",
            "200",
            "--out",
            out_file,
        ]
    )
    assert code == 0, err
    text = out_file.read_text(encoding="utf-8")
    appendix = text[text.index("## Appendix F. Regulatory traceability") :]
    assert "- DORA: Digital operational resilience (https://example.com/dora)" in appendix
    assert "| Framework | Clause | Criteria | Alpha Vector | Beta Vector |" in appendix
    assert "| DORA | Art. 30(3)(b) | notice | claimed | PoC |" in appendix
    assert "| OCC 2023-17 | information security | enc, logs | stale | documented |" in appendix


def test_the_scorecard_has_a_traceability_sheet(run_cli: Callable[..., CliResult], ws: Path) -> None:
    out_file = ws / "reports" / "s.xlsx"
    code, _, err = run_cli(
        ["export", "--workspace", ws, "--as-of", AS_OF, "--samples", "200", "--out", out_file]
    )
    assert code == 0, err
    sheet = openpyxl.load_workbook(io.BytesIO(out_file.read_bytes()))["Traceability"]
    rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert rows[0] == ["Framework", "Framework name", "Clause", "Criteria", "Alpha Vector", "Beta Vector"]
    names = {"DORA": "Digital operational resilience", "OCC 2023-17": "Third-party risk guidance"}
    shown = {"poc": "PoC"}  # the other statuses read as their codes
    assert rows[1:] == [
        [fw, names[fw], clause, ", ".join(criteria), *(shown.get(s, s) for s in statuses.values())]
        for fw, clause, criteria, statuses in ROWS
    ]


def test_the_dashboard_page_filters_by_framework(monkeypatch: pytest.MonkeyPatch, ws: Path) -> None:
    monkeypatch.setenv("EVALTOOL_WORKSPACE", str(ws))
    at = AppTest.from_file(str(REPO / "evaltool" / "dashboard" / "app.py"), default_timeout=60)
    at.run()
    at.switch_page("views/traceability.py").run()
    assert not at.exception
    assert at.selectbox(key="trace-framework").value == "DORA"
    table = at.dataframe[0].value
    assert list(table["Clause"]) == [
        "Art. 9",
        "Art. 28(8)",
        "Art. 30(2)(c)",
        "Art. 30(3)(b)",
        "Art. 30(3)(e)",
    ]
    assert list(table["Alpha Vector"]) == ["PoC", "missing", "verified", "claimed", "documented"]
    # documented or stronger: alpha 3 of 5 (poc, verified, documented), beta 2 (documented, poc)
    assert [(m.label, m.value) for m in at.metric] == [("Alpha Vector", "3 of 5"), ("Beta Vector", "2 of 5")]
    at.selectbox(key="trace-framework").set_value("OCC 2023-17").run()
    table = at.dataframe[0].value
    record = {"Clause": "information security", "Criteria": "enc, logs", "Alpha Vector": "stale"}
    assert table.to_dict("records") == [record | {"Beta Vector": "documented"}]


def test_the_html_report_links_only_web_addresses(run_cli: Callable[..., CliResult], tmp_path: Path) -> None:
    catalog = CATALOG.replace(
        "{id: OCC 2023-17, name: Third-party risk guidance}",
        '{id: OCC 2023-17, name: Third-party risk guidance, url: "javascript:alert(1)"}',
    )
    root = _write(tmp_path / "ws", catalog)
    out_file = root / "reports" / "r.html"
    code, _, err = run_cli(
        ["report", "--workspace", root, "--as-of", AS_OF, "--samples", "200", "--out", out_file]
    )
    assert code == 0, err
    html = out_file.read_text(encoding="utf-8")
    assert '<a href="https://example.com/dora">Digital operational resilience</a>' in html
    assert "<strong>OCC 2023-17</strong>: Third-party risk guidance (javascript:alert(1))" in html
    assert 'href="javascript:' not in html
