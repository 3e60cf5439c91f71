"""Due diligence in proportion to risk: tier selection, findings, risk acceptances, concentration, tier
gates, the outputs that carry them, and bad input at file:line (docs/scoring.md#due-diligence).

The small workspace of conftest.py, with the tiers below appended to its catalog. By hand (catalog
weights: sec-encryption 40%, sec-logging 20%, com-support, com-tco and com-latency 13.3% each):
Acme Vector scores sec-encryption 3.5 (median of 4 and 3, short forms: no evidence level), sec-logging
3.5 (documented), com-support 3, com-tco 240,000 USD (grade 4.22), com-latency 35 ms (the worst of the
segment, grade 0 min-max): 61.3 points. Beta Vector: 2, 4, 4.5, 500,000 USD (grade 2.78), 20 ms (grade
5): 64.7 points, with its encryption gate met by 0 points (borderline).
"""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml
from conftest import REPO, CliResult, Validation, WorkspaceFactory

from evaltool import diligence
from evaltool.models import Catalog, Profile
from evaltool.risk import DueDiligence, Risk, Tier

AS_OF = "2026-11-30"
TIERS = """\
due_diligence:
  tiers:
    - id: critical
      name: Critical
      when: {criticality: [critical], critical_function: [true]}
      evidence: {security: documented, sec-encryption: verified}
      floor: 3.5
      gates: {com-tco: 400000}
      concentration: {critical_uses: 2, criterion: sec-encryption}
    - id: low
      name: Low
"""
CRITICAL = "id: critical-use\nname: Critical use\nrisk:\n  criticality: critical\n"
EXPLORE = "id: explore\nname: Exploration\nrisk:\n  criticality: low\n  critical_function: false\n"


def acceptance(criterion: str, expires: str, date: str = "2026-11-01") -> str:
    return (
        f"  - criterion: {criterion}\n    by: C. Risk, CRO delegate\n    date: {date}\n"
        f"    reason: Compensating control in place\n    expires: {expires}\n"
    )


@pytest.fixture
def tiered(workspace: WorkspaceFactory) -> Callable[..., Path]:
    """The small workspace with tiers, a critical and an exploratory profile; `acme` appends to Acme."""

    def make(acme: str = "", catalog_extra: str = TIERS) -> Path:
        edits: list[tuple[str, str | None, str | None]] = [("catalog", "", catalog_extra)]
        if acme:
            edits.append(("vendors/acme-vector", "", acme))
        root = workspace.edited(*edits)
        (root / "criteria/profiles/critical-use.yaml").write_text(CRITICAL)
        (root / "criteria/profiles/explore.yaml").write_text(EXPLORE)
        return root

    return make


def run_json(run_cli: Callable[..., CliResult], *args: Any) -> dict[str, Any]:
    code, out, err = run_cli([*args, "--as-of", AS_OF, "--format", "json"])
    assert code == 0, err
    data: dict[str, Any] = json.loads(out)
    return data


def recs(run_cli: Callable[..., CliResult], root: Path, *args: str) -> dict[str, dict[str, Any]]:
    data = run_json(run_cli, "recommend", "--workspace", root, "--segment", "Vector database", *args)
    return {r["vendor"]: r for r in data["recommendations"]}


def vendors(run_cli: Callable[..., CliResult], root: Path, *args: str) -> dict[str, dict[str, Any]]:
    data = run_json(run_cli, "score", "--workspace", root, *args)
    return {v["id"]: v for v in data["vendors"]}


# --- which tier ------------------------------------------------------------------------------------------


def _catalog(*tiers: dict[str, Any]) -> Catalog:
    base = {"catalog": "c", "version": "1", "categories": [{"id": "a", "name": "A", "criteria": [
        {"id": "k", "name": "K"}]}]}  # fmt: skip
    if tiers:
        base["due_diligence"] = {"tiers": list(tiers)}
    return Catalog.model_validate(base)


def _profile(**risk: Any) -> Profile:
    return Profile(id="p", name="P", risk=Risk(**risk) if risk else None)


HIGH = {"id": "high", "name": "High", "when": {"criticality": ["critical", "high"], "model_tier": [1]}}
MID = {"id": "mid", "name": "Mid", "when": {"data": ["confidential"]}}
ALL = {"id": "all", "name": "All"}


@pytest.mark.parametrize(
    ("tiers", "risk", "expected"),
    [
        ((HIGH, MID, ALL), {"criticality": "high", "data": "confidential"}, "high"),  # first match wins
        ((MID, HIGH, ALL), {"criticality": "high", "data": "confidential"}, "mid"),  # order decides
        ((HIGH, MID, ALL), {"model_tier": 1}, "high"),  # any listed attribute is enough
        ((HIGH, MID, ALL), {"criticality": "low", "data": "public"}, "all"),  # no `when`: every use
        ((HIGH, MID, ALL), {}, "all"),  # a profile without risk
        ((HIGH, MID), {"criticality": "low"}, None),  # nothing applies
        ((), {"criticality": "critical"}, None),  # no due_diligence block
    ],
)
def test_the_first_tier_whose_when_matches_applies(
    tiers: tuple[dict[str, Any], ...], risk: dict[str, Any], expected: str | None
) -> None:
    choice = diligence.tier_for(_catalog(*tiers), _profile(**risk))
    assert (choice.id if choice else None) == expected


def test_without_a_profile_only_a_tier_without_when_applies() -> None:
    assert diligence.tier_for(_catalog(HIGH, MID), None) is None
    choice = diligence.tier_for(_catalog(HIGH, ALL), None)
    assert choice is not None and choice.id == "all"
    assert choice.why == "no profile, so no declared risk: the tier for every use case"


def test_the_tier_says_which_risk_attributes_matched() -> None:
    choice = diligence.tier_for(_catalog(HIGH), _profile(criticality="high", model_tier=1, data="public"))
    assert choice is not None and choice.why == "the profile declares criticality high, model_tier 1"


def test_due_diligence_tier_ids_and_levels_are_checked_by_the_model() -> None:
    tier = Tier.model_validate({"id": "t", "name": "T", "evidence": {"security": "poc"}, "floor": 2})
    assert DueDiligence(tiers=[tier]).tiers[0].evidence == {"security": "poc"}


# --- findings and decisions ------------------------------------------------------------------------------


def test_a_vendor_that_proceeds_under_a_low_risk_profile_is_conditional_under_a_critical_one(
    tiered: Callable[..., Path], run_cli: Callable[..., CliResult]
) -> None:
    root = tiered()
    low = recs(run_cli, root, "--profile", "explore")
    assert low["acme-vector"]["decision"] == "proceed"
    assert vendors(run_cli, root, "--profile", "explore")["acme-vector"]["findings"] == []

    critical = recs(run_cli, root, "--profile", "critical-use")
    acme = critical["acme-vector"]
    assert acme["decision"] == "conditional"
    assert acme["gaps"] == [
        "verify the evidence for encryption and key management before the PoC",
        "Support quality (com-support): scores 3, below the Critical tier's floor of 3.5: remediate or "
        "record a risk acceptance",
    ]
    found = vendors(run_cli, root, "--profile", "critical-use")["acme-vector"]
    assert found["tier"] == {
        "id": "critical",
        "name": "Critical",
        "why": "the profile declares criticality critical",
    }
    # sec-logging is documented (the category asks for documented): no finding; com-latency grades 0 but
    # is graded min-max, so the floor leaves it out
    assert found["findings"] == [
        {
            "kind": "evidence-level",
            "criterion": "sec-encryption",
            "message": "Encryption and key management (sec-encryption): no evidence level recorded, the "
            "Critical tier asks for verified",
        },
        {
            "kind": "floor",
            "criterion": "com-support",
            "message": "Support quality (com-support): scores 3, below the Critical tier's floor of 3.5",
        },
    ]


def test_a_tier_gate_makes_a_vendor_ineligible_like_any_gate(
    tiered: Callable[..., Path], run_cli: Callable[..., CliResult]
) -> None:
    root = tiered()
    beta = vendors(run_cli, root, "--profile", "critical-use")["beta-vector"]
    assert beta["eligible"] is False and beta["failed_gates"] == ["com-tco"]
    assert beta["gate_results"][-1]["reason"] == "500,000 USD above gate <= 400,000 USD"
    rec = recs(run_cli, root, "--profile", "critical-use")
    assert rec["beta-vector"]["decision"] == "do-not-proceed"
    # Exit gates list only gates at risk: with its quote only claimed, acme's TCO is low-confidence, and the
    # tier's gate is listed like any gate.
    quote = root / "vendors/acme-vector.yaml"
    text = quote.read_text()
    quote.write_text(
        text.replace(
            "Vendor quote Q-2026-114\n        level: documented",
            "Vendor quote Q-2026-114\n        level: claimed",
        )
    )
    rec = recs(run_cli, root, "--profile", "critical-use")
    assert (
        "keep 3-year total cost of ownership <= 400,000 USD (now 240,000 USD; low confidence)"
        in (rec["acme-vector"]["poc_plan"]["exit_gates"])
    )
    code, out, _ = run_cli(["weights", "--workspace", root, "--profile", "critical-use", "--format", "json"])
    assert code == 0 and json.loads(out)["gates"] == {"sec-encryption": 2.0, "com-tco": 400000.0}
    assert vendors(run_cli, root, "--profile", "explore")["beta-vector"]["eligible"] is True


def test_a_tier_never_relaxes_a_stricter_gate(
    tiered: Callable[..., Path], run_cli: Callable[..., CliResult]
) -> None:
    root = tiered(catalog_extra=TIERS.replace("gates: {com-tco: 400000}", "gates: {sec-encryption: 1}"))
    code, out, _ = run_cli(["weights", "--workspace", root, "--profile", "critical-use", "--format", "json"])
    assert code == 0 and json.loads(out)["gates"] == {"sec-encryption": 2.0}


def test_a_valid_acceptance_turns_a_floor_finding_into_accepted(
    tiered: Callable[..., Path], run_cli: Callable[..., CliResult]
) -> None:
    root = tiered("risk_acceptances:\n" + acceptance("com-support", "2027-05-31"))
    found = vendors(run_cli, root, "--profile", "critical-use")["acme-vector"]["findings"]
    assert [f["kind"] for f in found] == ["evidence-level", "accepted"]
    assert found[1] == {
        "kind": "accepted",
        "criterion": "com-support",
        "message": "Support quality (com-support): scores 3, below the Critical tier's floor of 3.5; risk "
        "accepted by C. Risk, CRO delegate on 2026-11-01 until 2027-05-31: Compensating control in place",
    }
    acme = recs(run_cli, root, "--profile", "critical-use")["acme-vector"]
    assert acme["decision"] == "conditional"  # the evidence finding is still open
    assert acme["gaps"] == ["verify the evidence for encryption and key management before the PoC"]


def test_findings_all_accepted_let_the_vendor_proceed(
    tiered: Callable[..., Path], run_cli: Callable[..., CliResult]
) -> None:
    root = tiered(
        "risk_acceptances:\n" + acceptance("com-support", "2027-05-31") + acceptance("sec-encryption", AS_OF)
    )
    acme = recs(run_cli, root, "--profile", "critical-use")["acme-vector"]
    assert (acme["decision"], acme["gaps"]) == ("proceed", [])  # expiring on the as-of day still holds


@pytest.mark.parametrize(
    ("expires", "date"),
    [("2026-11-29", "2026-11-01"), ("2027-05-31", "2026-12-01")],
    ids=["expired the day before", "not yet in force"],
)
def test_an_acceptance_out_of_force_leaves_the_finding_open(
    tiered: Callable[..., Path], run_cli: Callable[..., CliResult], expires: str, date: str
) -> None:
    root = tiered("risk_acceptances:\n" + acceptance("com-support", expires, date))
    found = vendors(run_cli, root, "--profile", "critical-use")["acme-vector"]["findings"]
    assert [(f["kind"], f["criterion"]) for f in found] == [
        ("evidence-level", "sec-encryption"),
        ("floor", "com-support"),
    ]


def test_validate_warns_about_an_expired_acceptance_at_its_line(
    tiered: Callable[..., Path], validate: Callable[..., Validation]
) -> None:
    root = tiered("risk_acceptances:\n" + acceptance("com-support", "2026-10-31", date="2026-05-01"))
    result = validate(root, "--as-of", AS_OF)
    assert result.code == 0
    assert result.warnings[-2] == (
        "vendors/acme-vector.yaml:44: risk_acceptances[0].expires: warning: risk acceptance of 'com-support' "
        "by C. Risk, CRO delegate expired on 2026-10-31 (as of 2026-11-30): its findings are open again"
    )
    assert validate(root, "--as-of", AS_OF, "--strict").code == 1


@pytest.mark.parametrize(("uses", "flagged"), [(1, False), (2, True), (3, True)])
def test_a_vendor_behind_enough_critical_uses_gets_a_concentration_finding(
    tiered: Callable[..., Path], run_cli: Callable[..., CliResult], uses: int, flagged: bool
) -> None:
    root = tiered(f"relationship: {{critical_uses: {uses}, annual_spend: 250000}}\n")
    found = vendors(run_cli, root, "--profile", "critical-use")["acme-vector"]["findings"]
    concentration = [f for f in found if f["kind"] == "concentration"]
    expected = {
        "kind": "concentration",
        "criterion": "sec-encryption",
        "message": f"already behind {uses} critical uses at the bank; the Critical tier flags 2 or more",
    }
    assert concentration == ([expected] if flagged else [])
    assert vendors(run_cli, root, "--profile", "explore")["acme-vector"]["findings"] == []


def test_a_vendor_not_assessed_gets_no_findings(
    tiered: Callable[..., Path], run_cli: Callable[..., CliResult]
) -> None:
    root = tiered()
    gamma = vendors(run_cli, root, "--profile", "critical-use", "--segment", "LLM platform")["gamma-llm"]
    # 53% scored, so assessed: sec-encryption has no level; com-tco (900,000 USD, fixed grading) grades
    # 5 x 100,000 / 900,000 = 0.56, below the floor of 3.5; its claimed level is asked for by no tier
    assert gamma["assessed"] is True
    assert [(f["kind"], f["criterion"]) for f in gamma["findings"]] == [
        ("evidence-level", "sec-encryption"),
        ("floor", "com-tco"),
    ]
    thin = tiered().parent / "thin"
    shutil.copytree(root, thin)
    (thin / "vendors/gamma-llm.yaml").write_text(
        "id: gamma-llm\nname: Gamma LLM\nsegment: LLM platform\nscores:\n  com-support: 0\n"
    )
    gamma = vendors(run_cli, thin, "--profile", "critical-use", "--segment", "LLM platform")["gamma-llm"]
    assert (gamma["assessed"], gamma["findings"]) == (False, [])


@pytest.mark.parametrize("method", ["wsm", "topsis"])
@pytest.mark.parametrize("missing", ["zero", "exclude"])
@pytest.mark.parametrize("segment", [None, "Vector database"])
def test_findings_are_the_same_for_both_methods_both_policies_and_one_segment(
    tiered: Callable[..., Path],
    run_cli: Callable[..., CliResult],
    method: str,
    missing: str,
    segment: str | None,
) -> None:
    root = tiered()
    catalog = root / "criteria/catalog.yaml"
    catalog.write_text(catalog.read_text().replace("missing: zero", f"missing: {missing}"))
    args = ["--profile", "critical-use", "--method", method, *(["--segment", segment] if segment else [])]
    acme = vendors(run_cli, root, *args)["acme-vector"]
    assert [(f["kind"], f["criterion"]) for f in acme["findings"]] == [
        ("evidence-level", "sec-encryption"),
        ("floor", "com-support"),
    ]
    assert recs(run_cli, root, *args)["acme-vector"]["decision"] == "conditional"


# --- outputs ---------------------------------------------------------------------------------------------


def test_recommend_names_the_tier_and_who_accepted_what(
    tiered: Callable[..., Path], run_cli: Callable[..., CliResult]
) -> None:
    root = tiered("risk_acceptances:\n" + acceptance("com-support", "2027-05-31"))
    code, out, _ = run_cli(
        [
            "recommend",
            "-w",
            root,
            "--profile",
            "critical-use",
            "--segment",
            "Vector database",
            "--as-of",
            AS_OF,
        ]
    )
    text = re.sub(r"\s+", " ", out)
    assert code == 0
    assert (
        "Examined under the Critical tier (the profile declares criticality critical) with profile "
        "critical-use." in text
    )
    assert (
        "Risk accepted for Acme Vector: Support quality (com-support): scores 3, below the Critical tier's "
        "floor of 3.5; risk accepted by C. Risk, CRO delegate on 2026-11-01 until 2027-05-31" in text
    )
    data = run_json(run_cli, "recommend", "-w", root, "--profile", "critical-use")
    assert data["segments"][0]["tier"]["id"] == "critical"


def test_report_has_a_due_diligence_part_per_segment(
    tiered: Callable[..., Path], run_cli: Callable[..., CliResult], tmp_path: Path
) -> None:
    root = tiered("risk_acceptances:\n" + acceptance("com-support", "2027-05-31"))
    out = tmp_path / "r.md"
    args = [
        "report",
        "-w",
        root,
        "--profile",
        "critical-use",
        "--format",
        "md",
        "--out",
        out,
        "--as-of",
        AS_OF,
    ]
    code, _, err = run_cli(args)
    assert code == 0, err
    text = out.read_text()
    assert text.count("#### Due diligence") == 2  # both segments
    assert "| Acme Vector | Risk accepted | Support quality (com-support): scores 3" in text
    assert (
        "| Acme Vector | com-support | C. Risk, CRO delegate | 2026-11-01 to 2027-05-31 | in force |" in text
    )
    assert (
        "| 3-year total cost of ownership (com-tco) | &lt;= 400,000 USD | added by the Critical "
        "due-diligence tier |" in text
    )


def test_scorecard_has_a_findings_sheet(
    tiered: Callable[..., Path], run_cli: Callable[..., CliResult], tmp_path: Path
) -> None:
    import openpyxl

    root = tiered("risk_acceptances:\n" + acceptance("com-support", "2027-05-31"))
    out = tmp_path / "s.xlsx"
    args = [
        "export",
        "-w",
        root,
        "--profile",
        "critical-use",
        "--format",
        "xlsx",
        "--out",
        out,
        "--as-of",
        AS_OF,
    ]
    assert run_cli(args)[0] == 0
    sheet = openpyxl.load_workbook(out)["Findings"]
    rows = [[c.value for c in row] for row in sheet.iter_rows()]
    assert rows[0] == ["Segment", "Vendor", "Vendor id", "Tier", "Kind", "Finding", "Criterion id", "Message",
                       "Accepted by", "Accepted date", "Accepted expires"]  # fmt: skip
    # by segment then rank; Beta Vector (not eligible) has short-form scores (no level) and grades 2 on
    # sec-encryption and 2.78 on com-tco, below the floor of 3.5
    assert [r[2:7] for r in rows[1:]] == [
        ["acme-vector", "Critical", "evidence-level", "Evidence below the tier's level", "sec-encryption"],
        ["acme-vector", "Critical", "accepted", "Below the tier's floor", "com-support"],
        ["beta-vector", "Critical", "evidence-level", "Evidence below the tier's level", "sec-encryption"],
        ["beta-vector", "Critical", "floor", "Below the tier's floor", "sec-encryption"],
        ["beta-vector", "Critical", "evidence-level", "Evidence below the tier's level", "sec-logging"],
        ["beta-vector", "Critical", "floor", "Below the tier's floor", "com-tco"],
        ["gamma-llm", "Critical", "evidence-level", "Evidence below the tier's level", "sec-encryption"],
        ["gamma-llm", "Critical", "floor", "Below the tier's floor", "com-tco"],
    ]
    assert rows[2][8:] == ["C. Risk, CRO delegate", dt.datetime(2026, 11, 1), dt.datetime(2027, 5, 31)]


# --- bad input -------------------------------------------------------------------------------------------


def test_bad_risk_and_tier_values_are_errors_at_their_lines(
    tiered: Callable[..., Path], validate: Callable[..., Validation]
) -> None:
    root = tiered(catalog_extra=TIERS.replace("critical_function: [true]}", "riskiness: [high]}").replace(
        "evidence: {security: documented,", "evidence: {security: certified,"))  # fmt: skip
    (root / "criteria/profiles/critical-use.yaml").write_text(
        CRITICAL.replace(
            "critical\n", "extreme\n  model_tier: 4\n  critical_function: 'yes'\n  criticallity: high\n"
        )
    )
    result = validate(root)
    assert result.code == 1
    assert result.errors == [
        "criteria/catalog.yaml:44: due_diligence.tiers[0].when.riskiness: unknown key 'riskiness'",
        "criteria/catalog.yaml:45: due_diligence.tiers[0].evidence.security: must be one of 'claimed', "
        "'documented', 'verified' or 'poc', not 'certified'",
        "criteria/profiles/critical-use.yaml:4: risk.criticality: must be one of 'critical', 'high', "
        "'moderate' or 'low', not 'extreme'",
        "criteria/profiles/critical-use.yaml:5: risk.model_tier: must be one of 1, 2 or 3, not 4",
        "criteria/profiles/critical-use.yaml:6: risk.critical_function: must be true or false, not 'yes'",
        "criteria/profiles/critical-use.yaml:7: risk.criticallity: unknown key 'criticallity' (did you mean "
        "'criticality'?)",
    ]


def test_unknown_ids_in_tiers_and_acceptances_are_errors_at_their_lines(
    tiered: Callable[..., Path], validate: Callable[..., Validation], run_cli: Callable[..., CliResult]
) -> None:
    extra = (
        TIERS.replace("sec-encryption: verified}", "sec-encryptoin: verified}")
        .replace("gates: {com-tco: 400000}", "gates: {com-tco: 400000, sec-loging: 3, sec-logging: 7}")
        .replace("    - id: low\n", "    - id: critical\n")
    )
    root = tiered("risk_acceptances:\n" + acceptance("com-suport", "2026-10-01"), catalog_extra=extra)
    result = validate(root)
    assert result.code == 1
    assert result.errors == [
        "criteria/catalog.yaml:45: due_diligence.tiers[0].evidence.sec-encryptoin: unknown category or "
        "criterion id 'sec-encryptoin' (did you mean 'sec-encryption'?)",
        "criteria/catalog.yaml:47: due_diligence.tiers[0].gates.sec-logging: gate 7 is outside the rubric "
        "scale 0..5",
        "criteria/catalog.yaml:47: due_diligence.tiers[0].gates.sec-loging: unknown criterion id "
        "'sec-loging' (did you mean 'sec-logging'?)",
        "criteria/catalog.yaml:49: due_diligence.tiers[1].id: tier id 'critical' is used twice (first at "
        "line 42)",
        "vendors/acme-vector.yaml:40: risk_acceptances[0].criterion: unknown criterion 'com-suport' (did you "
        "mean 'com-support'?)",
        "vendors/acme-vector.yaml:44: risk_acceptances[0].expires: expires 2026-10-01 before it was accepted "
        "on 2026-11-01",
    ]
    code, _, err = run_cli(["recommend", "-w", root, "--profile", "critical-use"])
    assert code == 1 and "tier id 'critical' is used twice" in err


# --- the sample ------------------------------------------------------------------------------------------


def test_without_a_due_diligence_block_the_sample_decides_exactly_as_before(
    sample: Path, tmp_path: Path, run_cli: Callable[..., CliResult]
) -> None:
    """Without tiers, the risk a profile declares and the relationships and acceptances of the vendors
    change nothing: the sample with its tiers removed decides exactly as the same sample with none of
    those keys, i.e. as a workspace written before due diligence existed."""
    catalog = sample / "criteria/catalog.yaml"
    text = catalog.read_text()
    catalog.write_text(re.sub(r"\ndue_diligence:\n.*?\ncategories:\n", "\ncategories:\n", text, flags=re.S))
    bare = tmp_path / "bare"
    shutil.copytree(sample, bare)
    for path, keys in [
        *((p, ("risk",)) for p in (bare / "criteria/profiles").glob("*.yaml")),
        *((p, ("relationship", "risk_acceptances")) for p in (bare / "vendors").glob("*.yaml")),
    ]:
        data = yaml.safe_load(path.read_text())
        if any(k in data for k in keys):
            path.write_text(yaml.safe_dump({k: v for k, v in data.items() if k not in keys}, sort_keys=False))
    for args in (["--profile", "data-platform"], ["--profile", "balanced", "--method", "topsis"], []):
        got = run_json(run_cli, "recommend", "-w", sample, *args)["recommendations"]
        assert got == run_json(run_cli, "recommend", "-w", bare, *args)["recommendations"], args
        scored = run_json(run_cli, "score", "-w", sample, *args)["vendors"]
        before = run_json(run_cli, "score", "-w", bare, *args)["vendors"]
        assert all(v["tier"] is None and v["findings"] == [] for v in scored + before)
        assert scored == before


def test_sample_leaders_concentration_is_a_finding_and_one_is_accepted_by_name(
    sample: Path, run_cli: Callable[..., CliResult]
) -> None:
    llm = vendors(run_cli, sample, "--profile", "llm-platform")
    assert llm["halcyra"]["tier"]["id"] == "standard"
    assert [(f["kind"], f["criterion"]) for f in llm["halcyra"]["findings"]] == [
        ("accepted", "ext-concentration")
    ]
    assert "risk accepted by M. Ortiz, Head of Third-Party Risk" in llm["halcyra"]["findings"][0]["message"]
    data = vendors(run_cli, sample, "--profile", "data-platform")
    assert data["basaltine"]["tier"]["id"] == "critical"
    assert ("concentration", "ext-concentration") in [
        (f["kind"], f["criterion"]) for f in data["basaltine"]["findings"]
    ]
    rec = run_json(run_cli, "recommend", "-w", sample, "--profile", "data-platform")["recommendations"]
    basaltine = next(r for r in rec if r["vendor"] == "basaltine")
    assert (basaltine["decision"], basaltine["ring"]) == ("conditional", "trial")  # declared adopt
    assert any(g.startswith("concentration: already behind 2 critical uses") for g in basaltine["gaps"])


def test_what_if_keeps_the_base_profiles_risk_so_its_tier(sample: Path) -> None:
    """Moving a slider must not lighten the examination: the what-if profile, and the file it saves,
    keep the base profile's risk and so its tier."""
    import yaml

    from evaltool.dashboard.whatif import Adjustment, profile_yaml, rerank
    from evaltool.workspace import load_workspace

    ws = load_workspace(sample, dt.date(2026, 11, 30))
    base = ws.profile("data-platform")
    moved = Adjustment({c.id: 10.0 for c in ws.catalog.categories})
    evaluation = rerank(ws, base, moved, samples=200)
    assert evaluation.result.profile is not None and evaluation.result.profile.id != "data-platform"
    choice = diligence.tier_for(ws.catalog, evaluation.result.profile)
    assert choice is not None and choice.id == "critical"
    saved = yaml.safe_load(profile_yaml(evaluation.result.profile))
    assert saved["risk"] == {"criticality": "critical", "data": "restricted", "ai_act": "none",
                             "critical_function": True}  # fmt: skip
    assert list(saved)[:4] == ["id", "name", "description", "risk"]


# --- dashboard -------------------------------------------------------------------------------------------


def test_dashboard_shows_the_tier_in_the_sidebar_and_findings_on_overview_and_vendor_detail(
    sample: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from streamlit.testing.v1 import AppTest

    monkeypatch.setenv("EVALTOOL_WORKSPACE", str(sample))
    at = AppTest.from_file(str(REPO / "evaltool/dashboard/app.py"), default_timeout=60).run()
    at.selectbox(key="profile").set_value("data-platform").run()
    at.selectbox(key="segment").set_value("Lakehouse & warehouse").run()
    assert not at.exception
    sidebar = " ".join(str(c.value) for c in at.sidebar.caption).replace("\\", "")
    assert "Examined under the Critical tier (the profile declares criticality critical" in sidebar
    frames = [e.value for e in at.dataframe if "Finding" in e.value.columns]
    assert len(frames) == 1
    overview = frames[0]
    basaltine = overview[overview["Vendor"] == "Basaltine Warehouse"]
    assert list(basaltine["Finding"]) == [
        "Evidence below the tier's level",
        "Below the tier's floor",
        "Concentration",
    ]
    at.switch_page("views/vendor.py").run()
    at.selectbox(key="vendor-detail").set_value("basaltine").run()
    assert not at.exception
    frames = [e.value for e in at.dataframe if "Finding" in e.value.columns]
    assert len(frames) == 1 and list(frames[0]["Criterion"]) == [
        "sec-encryption",
        "ext-concentration",
        "ext-concentration",
    ]
