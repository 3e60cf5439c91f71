"""The scorecard workbook and CSV when each segment is scored with the profile that names it.

Expected weights and gates are worked out here from the YAML files themselves (raw weights normalised,
the AHP matrix's principal eigenvector with numpy, the catalog's gates raised by the tier's), never read
back from the scoring code. The run without --profile is the one the CLI makes: every segment with the
profile whose `segments` names it (Workspace.segment_profiles), any other with the catalog's weights.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections.abc import Callable
from fractions import Fraction
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import yaml
from openpyxl import load_workbook

from evaltool.evaluation import Evaluation, evaluate
from evaltool.reports import scorecard
from evaltool.workspace import load_workspace

AS_OF = dt.date(2026, 11, 30)
NOW = dt.datetime(2026, 11, 30, 12, tzinfo=dt.UTC)
DATA_PLATFORM = ["Vector database", "Data catalog", "Lakehouse & warehouse"]


# --- the expected figures, from the YAML ------------------------------------------------------------------


def _yaml(root: Path, relative: str) -> dict[str, Any]:
    data = yaml.safe_load((root / relative).read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


def _normalised(raw: dict[str, float]) -> dict[str, float]:
    total = sum(raw.values())
    return {key: value / total for key, value in raw.items()}


def _principal(matrix: list[list[Any]]) -> list[float]:
    """The principal eigenvector of a pairwise matrix, normalised to sum 1 (Saaty)."""
    values = np.array([[float(Fraction(str(a))) for a in row] for row in matrix])
    eigenvalues, vectors = np.linalg.eig(values)
    vector = np.abs(np.real(vectors[:, int(np.argmax(np.real(eigenvalues)))]))
    return list(vector / vector.sum())


def expected_weights(root: Path, profile_id: str | None) -> dict[str, tuple[float, float, float]]:
    """Criterion id -> (category share, share within its category, effective weight)."""
    catalog = _yaml(root, "criteria/catalog.yaml")
    profile = _yaml(root, f"criteria/profiles/{profile_id}.yaml") if profile_id else {}
    overrides = profile.get("weights", {})
    if "ahp" in profile:
        items = profile["ahp"]["items"]
        categories = dict(zip(items, _principal(profile["ahp"]["matrix"]), strict=True))
    else:
        categories = _normalised(
            {c["id"]: overrides.get(c["id"], c.get("weight", 1)) for c in catalog["categories"]}
        )
    out = {}
    for category in catalog["categories"]:
        within = _normalised(
            {k["id"]: overrides.get(k["id"], k.get("weight", 1)) for k in category["criteria"]}
        )
        for key, share in within.items():
            out[key] = (categories[category["id"]], share, categories[category["id"]] * share)
    return out


def expected_gates(root: Path, profile_id: str | None, tier_id: str) -> dict[str, float]:
    """The catalog's gates, the profile's changes, then the tier's gates where stricter (all are
    higher-is-better in the sample's gated criteria)."""
    catalog = _yaml(root, "criteria/catalog.yaml")
    gates = {k["id"]: k["gate"] for c in catalog["categories"] for k in c["criteria"] if "gate" in k}
    profile = _yaml(root, f"criteria/profiles/{profile_id}.yaml") if profile_id else {}
    for key, value in profile.get("gates", {}).items():
        if value is None:
            gates.pop(key, None)
        else:
            gates[key] = value
    tier = next(t for t in catalog["due_diligence"]["tiers"] if t["id"] == tier_id)
    for key, value in tier.get("gates", {}).items():
        gates[key] = max(gates.get(key, value), value)
    return gates


def segment_profile(root: Path, segment: str) -> str | None:
    """The profile whose `segments` names the segment, read from the profile files."""
    named = [
        path.stem
        for path in sorted((root / "criteria" / "profiles").glob("*.yaml"))
        if segment in (_yaml(root, f"criteria/profiles/{path.name}").get("segments") or [])
    ]
    assert len(named) <= 1, named
    return named[0] if named else None


def vendor_segments(root: Path) -> dict[str, str]:
    return {
        p.stem: _yaml(root, f"vendors/{p.name}")["segment"] for p in sorted((root / "vendors").glob("*.yaml"))
    }


# --- the workbook as written ------------------------------------------------------------------------------


def each_segments_own(root: Path) -> Evaluation:
    """The evaluation `evaltool export` makes without --profile."""
    ws = load_workspace(root, AS_OF)
    return evaluate(ws, None, samples=200, now=NOW, segment_profiles=ws.segment_profiles())


def rows_of(book: Any, sheet: str) -> list[dict[str, Any]]:
    values = list(book[sheet].iter_rows(values_only=True))
    return [dict(zip(values[0], row, strict=True)) for row in values[1:]]


def header(book: Any, sheet: str) -> list[Any]:
    return [cell.value for cell in book[sheet][1]]


@pytest.fixture
def mixed_book(sample: Path, tmp_path: Path) -> Any:
    path = tmp_path / "each-segment.xlsx"
    path.write_bytes(scorecard.to_xlsx(each_segments_own(sample)))
    return load_workbook(path)


def test_weights_sheet_has_each_profiles_weights_and_gates(sample: Path, mixed_book: Any) -> None:
    rows = rows_of(mixed_book, "Weights")
    assert header(mixed_book, "Weights")[:3] == ["Profile", "Segments", "Category id"]
    by_profile: dict[str, list[dict[str, Any]]] = {}
    for row in rows:
        by_profile.setdefault(row["Profile"], []).append(row)
    assert list(by_profile) == ["data-platform", "llm-platform", "catalog weights"]
    tiers = {"data-platform": "critical", "llm-platform": "standard", "catalog weights": "low"}
    segments = {"data-platform": ", ".join(DATA_PLATFORM), "llm-platform": "LLM platform",
                "catalog weights": "MLOps platform"}  # fmt: skip
    for label, block in by_profile.items():
        profile_id = None if label == "catalog weights" else label
        weights = expected_weights(sample, profile_id)
        gates = expected_gates(sample, profile_id, tiers[label])
        assert [r["Criterion id"] for r in block] == list(weights), "every criterion once per profile"
        assert {r["Segments"] for r in block} == {segments[label]}
        for r in block:
            share, within, effective = weights[r["Criterion id"]]
            assert (r["Category share"], r["Within category"], r["Effective weight"]) == pytest.approx(
                (share, within, effective), rel=1e-9
            ), (label, r["Criterion id"])
            assert r["Gate"] == gates.get(r["Criterion id"]), (label, r["Criterion id"])
        assert sum(r["Effective weight"] for r in block) == pytest.approx(1.0)
    # the Critical tier raises ops-resilience to 3 for the data platform only
    resilience = {r["Profile"]: r["Gate"] for r in rows if r["Criterion id"] == "ops-resilience"}
    assert resilience["data-platform"] == 3


def test_data_platform_weights_follow_its_ahp_judgements(sample: Path, mixed_book: Any) -> None:
    """The profile file states its eigenvector weights in a comment: the sheet carries them."""
    stated = {"regulatory": 0.1159, "security": 0.1547, "ai-governance": 0.0511, "architecture": 0.1858,
              "functional": 0.1858, "operations": 0.1159, "viability": 0.0585, "exit": 0.0738,
              "commercial": 0.0585}  # fmt: skip
    shares = {r["Category id"]: r["Category share"] for r in rows_of(mixed_book, "Weights")
              if r["Profile"] == "data-platform"}  # fmt: skip
    assert shares == pytest.approx(stated, abs=5e-5)
    ahp = rows_of(mixed_book, "AHP consistency")
    assert {r["Profile"] for r in ahp} == {"data-platform"}
    assert next(r["Value"] for r in ahp if r["Measure"] == "CR") == pytest.approx(0.0096, abs=5e-5)


def _note_weight(note: str, profile: str) -> float:
    """The percentage a Scores header note gives for one profile: "2.9% with data-platform (...)"."""
    found = re.search(rf"^([\d.]+)% with {re.escape(profile)} \(", note, re.MULTILINE)
    assert found is not None, note
    return float(found.group(1)) / 100


def test_scores_sheet_reads_the_vendors_segments_profile(sample: Path, mixed_book: Any) -> None:
    sheet = mixed_book["Scores"]
    names = header(mixed_book, "Scores")
    assert names[:3] == ["Segment", "Profile", "Rank"]
    segments = vendor_segments(sample)
    rows = rows_of(mixed_book, "Scores")
    assert {r["Vendor id"]: r["Segment"] for r in rows} == segments
    for r in rows:
        assert r["Profile"] == (segment_profile(sample, r["Segment"]) or "catalog weights")
    llm = next(r for r in rows if r["Segment"] == "LLM platform")
    assert llm["Profile"] == "llm-platform"
    for criterion in ("ai-guardrails", "reg-assurance", "com-tco"):
        note = sheet.cell(1, names.index(criterion) + 1).comment.text
        for profile in ("llm-platform", "data-platform", None):
            expected = expected_weights(sample, profile)[criterion][2]
            shown = _note_weight(note, profile or "catalog weights")
            assert shown == pytest.approx(expected, abs=0.0005 + 1e-12), (criterion, profile)
        assert "(LLM platform)" in note and f"({', '.join(DATA_PLATFORM)})" in note


def test_summary_and_provenance_name_each_segments_profile_and_tier(mixed_book: Any) -> None:
    summary = rows_of(mixed_book, "Summary")
    tiers = {r["Segment"]: (r["Profile"], r["Tier"]) for r in summary}
    assert tiers == {
        "Vector database": ("data-platform", "Critical"),
        "Data catalog": ("data-platform", "Critical"),
        "Lakehouse & warehouse": ("data-platform", "Critical"),
        "LLM platform": ("llm-platform", "Standard"),
        "MLOps platform": ("catalog weights", "Low"),
    }
    provenance = {(r["Item"], r["Value"]): r["Detail"] for r in rows_of(mixed_book, "Provenance")}
    assert provenance[("Segment", "LLM platform")] == (
        "llm-platform: LLM platform for internal assistants; Standard due-diligence tier"
    )
    assert provenance[("Segment", "MLOps platform")] == "catalog weights; Low due-diligence tier"
    assert "LLM platform: llm-platform" in mixed_book.properties.subject
    assert "MLOps platform: catalog weights" in mixed_book.properties.subject
    custom = {p.name: p.value for p in mixed_book.custom_doc_props.props}
    assert "Vector database: data-platform" in custom["profiles"]


def test_csv_rows_carry_their_segments_profile_and_weight(sample: Path) -> None:
    text = scorecard.to_csv(each_segments_own(sample), bom=False)
    rows = list(csv.DictReader(io.StringIO(text)))
    segments = vendor_segments(sample)
    weights = {p: expected_weights(sample, p) for p in ("data-platform", "llm-platform", None)}
    for vendor_id, segment in segments.items():
        mine = [r for r in rows if r["vendor_id"] == vendor_id]
        profile = segment_profile(sample, segment)
        assert {r["profile"] for r in mine} == {profile or ""}, vendor_id
        for r in mine:
            assert float(r["weight"]) == pytest.approx(weights[profile][r["criterion_id"]][2], rel=1e-9)
        # the score is the weighted sum of the grades with these weights (WSM, unscored counts as 0)
        total = 20 * sum(float(r["weight"]) * float(r["grade"] or 0) for r in mine)
        assert float(mine[0]["score"]) == pytest.approx(total, rel=1e-9), vendor_id


# --- a run with one profile: the workbook as it always was ------------------------------------------------

UNIFORM_SHEETS = [
    "Procurement summary", "Summary", "Scores", "Commercial", "Evidence", "Gates", "Findings", "Weights",
    "Sensitivity", "Flip points", "Recommendations", "Rules", "Provenance", "Traceability",
]  # fmt: skip
WEIGHTS_HEADER = [
    "Category id", "Category", "Category share", "Criterion id", "Criterion", "Type", "Unit", "Direction",
    "Within category", "Effective weight", "Gate", "References",
]  # fmt: skip


def test_one_profile_keeps_the_workbook_layout(
    sample: Path, tmp_path: Path, run_cli: Callable[..., tuple[int, str, str]]
) -> None:
    out = tmp_path / "balanced.xlsx"
    code, _, err = run_cli(["export", "--workspace", sample, "--profile", "balanced", "--samples", "200",
                            "--as-of", AS_OF.isoformat(), "--format", "xlsx", "--out", out])  # fmt: skip
    assert code == 0, err
    book = load_workbook(out)
    assert book.sheetnames == UNIFORM_SHEETS
    assert header(book, "Weights") == WEIGHTS_HEADER
    weights = expected_weights(sample, "balanced")
    gates = expected_gates(sample, "balanced", "low")
    rows = rows_of(book, "Weights")
    assert [r["Criterion id"] for r in rows] == list(weights)
    for r in rows:
        assert (r["Category share"], r["Within category"], r["Effective weight"]) == pytest.approx(
            weights[r["Criterion id"]], rel=1e-12
        )
        assert r["Gate"] == gates.get(r["Criterion id"])
    assert header(book, "Summary")[:3] == ["Segment", "Rank", "Vendor"]
    assert header(book, "Scores")[:3] == ["Segment", "Rank", "Vendor"]
    note = book["Scores"].cell(1, header(book, "Scores").index("reg-assurance") + 1).comment.text
    assert f"Effective weight: {100 * weights['reg-assurance'][2]:.1f}%" in note.splitlines()
    provenance = rows_of(book, "Provenance")
    assert [r["Value"] for r in provenance if r["Item"] == "Profile"] == [
        "balanced: Balanced enterprise evaluation"
    ]
    assert not [r for r in provenance if r["Item"] == "Segment"]
    assert book.properties.subject == f"profile balanced, method wsm, as of {AS_OF.isoformat()}"
    assert "profiles" not in {p.name for p in book.custom_doc_props.props}


def test_one_profile_csv_names_it_on_every_row(sample: Path) -> None:
    ws = load_workspace(sample, AS_OF)
    evaluation = evaluate(ws, ws.profiles["balanced"], samples=200, now=NOW)
    rows = list(csv.DictReader(io.StringIO(scorecard.to_csv(evaluation, bom=False))))
    weights = expected_weights(sample, "balanced")
    assert {r["profile"] for r in rows} == {"balanced"}
    for r in rows:
        assert float(r["weight"]) == pytest.approx(weights[r["criterion_id"]][2], rel=1e-12)
