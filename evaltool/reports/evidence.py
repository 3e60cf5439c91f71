"""The evidence appendix: for each vendor, every criterion with its score, grade, rubric and evidence."""

from __future__ import annotations

from dataclasses import dataclass

from evaltool import wording
from evaltool.models import Criterion
from evaltool.reports import fmt
from evaltool.scoring import Cell, Evidence, GateResult, ScoreResult, VendorResult
from evaltool.serialize import relative_grading, relative_sentence


@dataclass(frozen=True)
class Entry:
    """One assessor's entry behind a cell."""

    assessor: str
    given: str
    evidence: str
    level: str
    source: str
    source_url: bool  # an http(s) address that may be shown as a link
    expires: str
    stale: bool


@dataclass(frozen=True)
class EvidenceRow:
    """One criterion of one vendor."""

    category: str
    criterion: str
    name: str
    weight: str
    value: str
    grade: str
    relative: bool  # graded min-max across the segment's vendors
    rubric: str
    entries: tuple[Entry, ...]
    stale: bool
    disagreement: str
    failed_gate: str = ""  # why the vendor fails this criterion's gate ("" when it passes or has none)
    references: tuple[str, ...] = ()  # the regulations and standards the criterion serves


@dataclass(frozen=True)
class VendorEvidence:
    """The evidence appendix of one vendor."""

    name: str
    id: str
    anchor: str
    segment: str
    score: str
    relative: str  # the sentence naming the criteria graded relative to the segment, or ""
    facts: tuple[tuple[str, str], ...]
    rows: tuple[EvidenceRow, ...]


def _entry(e: Evidence) -> Entry:
    source = e.source or ""
    return Entry(
        assessor=e.assessor or "—",
        given=fmt.number(e.given) if e.given is not None else "not scored",
        evidence=e.evidence or "",
        level=(e.level or "—") if e.measured is None else f"poc, {wording.measured_on(e.measured)}",
        source=source,
        source_url=source.startswith(("https://", "http://")),
        expires=e.expires.isoformat() if e.expires else "—",
        stale=e.stale,
    )


def _row(
    category: str, criterion: Criterion, cell: Cell, weight: float, gate: GateResult | None, relative: bool
) -> EvidenceRow:
    return EvidenceRow(
        category=category,
        criterion=criterion.id,
        name=criterion.name,
        weight=fmt.pct(weight),
        value=fmt.number(cell.raw, criterion.unit if criterion.is_metric else None)
        if cell.raw is not None
        else "not scored",
        grade=fmt.grade(cell.grade),
        relative=relative,
        rubric=wording.rubric_anchor(criterion, cell.raw),
        entries=tuple(_entry(e) for e in cell.evidence),
        stale=cell.stale,
        disagreement=f"spread {fmt.number(cell.spread)}" if cell.disagreement else "",
        failed_gate=gate.reason if gate is not None and not gate.passed else "",
        references=tuple(wording.reference_text(r) for r in criterion.references),
    )


def vendor_evidence(result: ScoreResult, v: VendorResult) -> VendorEvidence:
    """Every criterion of the catalog for one vendor, in catalog order."""
    gates = {g.criterion: g for g in v.gates}
    relative = relative_grading(result.criteria, v)
    weights = result.setup_of(v.segment).weights.criteria  # the vendor's segment's own profile
    rows = tuple(
        _row(category.name, k, v.cells[k.id], weights[k.id], gates.get(k.id), k.id in relative)
        for category in result.catalog.categories
        for k in category.criteria
    )
    return VendorEvidence(
        name=v.name,
        id=v.id,
        anchor=f"evidence-{v.id}",
        segment=v.segment,
        score=fmt.score(v.score, result.method),
        relative=relative_sentence([k for k in result.criteria if k.id in relative]),
        facts=tuple((str(k), fmt.fact(val)) for k, val in v.vendor.facts.items()),
        rows=rows,
    )
