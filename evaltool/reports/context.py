"""The report's content as plain values: an Evaluation turned into formatted text, rows and sentences.

Both templates (Markdown and HTML) read the same :class:`Report`, so they say the same thing with the
same digits. Nothing here recomputes a score, a weight or a probability: every number is a value of the
Evaluation, only formatted. Text from the YAML files is kept as is; the templates escape it.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction

from markupsafe import Markup, escape

from evaltool import poc, trace, wording
from evaltool.ahp import CR_LIMIT, RANDOM_INDEX
from evaltool.decisions import SegmentDecision, report_decisions, report_status
from evaltool.diff import ChangesView
from evaltool.diligence import SegmentDiligence, segment_diligence, tier_of, tier_origin
from evaltool.evaluation import Evaluation
from evaltool.models import Criterion, Grading, Scale
from evaltool.poc import PocView
from evaltool.recommend import RULES, Recommendation, is_borderline, rules_text
from evaltool.reports import fmt
from evaltool.reports.evidence import VendorEvidence, vendor_evidence
from evaltool.reports.portfolio import Portfolio
from evaltool.reports.portfolio import view as portfolio_view
from evaltool.reports.summary import (
    DECISION_REQUESTED,
    SegmentSummary,
    forum_date,
    gaps_in_words,
    segment_summary,
)
from evaltool.scoring import GateResult, ScoreResult, SegmentResult, Setup, VendorResult
from evaltool.serialize import relative_grading, relative_sentence, segment_relative_grading

NEAREST_FLIPS = 3


# --- the values the templates read -----------------------------------------------------------------------


@dataclass(frozen=True)
class Row:
    """One table row: a label (usually a vendor) and its cells, already formatted."""

    label: str
    cells: tuple[str, ...]
    eligible: bool = True


@dataclass(frozen=True)
class Option:
    """One vendor as an option considered."""

    name: str
    id: str
    kind: str
    summary: str
    website: str
    declared_ring: str
    status: str
    eligible: bool


@dataclass(frozen=True)
class Plan:
    """A PoC plan: checks, timebox and exit gates."""

    checks: tuple[tuple[str, str, str, str, str], ...]  # metric, target, method, from, result
    timebox: str
    status: str
    exit_gates: tuple[str, ...]


@dataclass(frozen=True)
class Advice:
    """The recommendation for one vendor."""

    name: str
    id: str
    decision: str  # proceed | conditional | do-not-proceed
    label: str
    ring: str
    ring_reason: str
    reasons: tuple[str, ...]
    gaps: tuple[str, ...]
    plan: Plan | None


@dataclass(frozen=True)
class GateRow:
    """One vendor's gates: (value, state) per gated criterion, state pass | borderline | fail."""

    label: str
    cells: tuple[tuple[str, str], ...]
    eligible: bool


@dataclass(frozen=True)
class Risks:
    """Gates and risks of one segment."""

    gate_header: tuple[str, ...]
    gate_rows: tuple[GateRow, ...]
    failed: tuple[str, ...]
    borderline: tuple[str, ...]
    stale: tuple[str, ...]
    disagreements: tuple[str, ...]
    coverage: tuple[str, ...]


@dataclass(frozen=True)
class SegmentReport:
    """Everything the report says about one segment."""

    name: str
    anchor: str
    headline: str  # the segment's result in one sentence (Markdown-safe text)
    headline_html: Markup  # the same sentence, escaped HTML
    leader: str
    candidates: str
    rings: str
    others: str
    options: tuple[Option, ...]
    ranking: tuple[Row, ...]
    relative: str  # "* Graded relative ...: <criteria>." when a score of the segment is, else ""
    category_header: tuple[str, ...]  # the vendors
    category_rows: tuple[Row, ...]  # one per category: its weight, then each vendor's sub-score
    rank_header: tuple[str, ...]
    rank_rows: tuple[Row, ...]
    flip_sentences: tuple[str, ...]
    flip_rows: tuple[Row, ...]  # the weights whose change alone changes the leader, nearest first
    flip_never: tuple[str, ...]  # the criteria and categories whose weight alone never changes it
    risks: Risks
    advice: tuple[Advice, ...]
    evidence: tuple[VendorEvidence, ...]
    diligence: SegmentDiligence
    summary: SegmentSummary  # the executive summary's sentences (the dashboard's Overview says the same)
    regulatory: tuple[tuple[str, str], ...]  # (criterion, its references) behind the segment's findings
    setup: str = ""  # its profile and due-diligence tier, when the report's segments use different profiles


@dataclass(frozen=True)
class WeightRow:
    """A category or criterion line of the weights table."""

    level: str  # "category" | "criterion"
    id: str
    name: str
    kind: str
    within: str
    effective: str
    gate: str
    grading: str


@dataclass(frozen=True)
class AhpView:
    """AHP consistency of the profile's pairwise matrix."""

    items: tuple[str, ...]  # category names, in the matrix's order
    ids: tuple[str, ...]
    matrix: tuple[tuple[str, ...], ...]
    weights: tuple[str, ...]
    n: int
    lambda_max: str
    ci: str
    cr: str
    ri: str
    consistent: bool
    limit: str


@dataclass(frozen=True)
class Weighting:
    """One profile's weighting in the method appendix: its effective weights, its gates and where each
    comes from, the gates its profile removes and its AHP consistency, with the segments it serves."""

    profile_id: str | None  # None: the catalog's own weights
    profile_name: str | None
    title: str  # "Data platform components (data-platform)"
    heading: str  # the title and its segments; "" when the report's segments share one profile
    segments: tuple[str, ...]
    weights: tuple[WeightRow, ...]
    gates: tuple[tuple[str, str, str], ...]  # criterion, gate, origin
    removed_gates: tuple[str, ...]
    ahp: AhpView | None


@dataclass(frozen=True)
class Report:
    """The whole report."""

    title: str
    scope: str
    status: str
    as_of: str
    catalog: str
    catalog_version: str
    catalog_description: str
    profile: str  # the header's "Profile": name and id, or each segment's profile when they differ
    profile_label: str  # the same in short (the page title): the id, or each segment's profile
    method: str
    method_name: str
    score_unit: str
    missing: str
    segments: tuple[SegmentReport, ...]
    weights_lead: str  # the profile, or why there is one weighting per profile (the method appendix)
    weightings: tuple[Weighting, ...]  # one per profile the report's segments use, in segment order
    graded_metrics: tuple[str, ...]
    ungraded_metrics: tuple[str, ...]
    samples: str
    seed: str
    concentration: str
    rules: str
    warnings: tuple[str, ...]
    provenance: tuple[tuple[str, str], ...]
    files: tuple[tuple[str, str], ...]
    decision_requested: str
    forum_date: str
    glossary: tuple[tuple[str, str], ...]
    references: tuple[tuple[str, str, str], ...]  # (criterion, id, its references) for the evidence appendix
    traceability: trace.ReportTrace
    blind_note: str = ""  # a blind view says so at the top (evaltool.anonymize)
    decisions: tuple[SegmentDecision, ...] = ()  # the forum's record in force per segment
    changes: ChangesView | None = None  # "Changes since REV" (report --since)
    pocs: tuple[PocView, ...] = ()  # the PoCs of the reported segments (docs/scoring.md#the-poc-loop)
    portfolio: Portfolio | None = None  # a report on several segments, sized for reading (docs/cli.md)


# --- building it -----------------------------------------------------------------------------------------


def build(evaluation: Evaluation, segment: str | None = None, changes: ChangesView | None = None) -> Report:
    """The report of every segment of the evaluation, or of one segment."""
    result = evaluation.result
    segments = _segments(result, segment)
    names = [s.name for s in segments]
    weightings = _weightings(result, segments)
    mixed = len(weightings) > 1
    scope = segment if segment is not None else "all segments"
    prov = evaluation.provenance
    forum = report_decisions(evaluation, names)
    shared = weightings[0]
    shared_id = shared.profile_id or "catalog weights"
    shared_text = f"{shared.profile_name or 'Catalog weights (no profile)'} ({shared_id})"
    label = _profile_label(evaluation, names)
    return Report(
        title=f"PoC recommendation: {scope}",
        scope=scope,
        status=report_status(forum),
        as_of=prov.as_of,
        catalog=result.catalog.catalog,
        catalog_version=result.catalog.version,
        catalog_description=result.catalog.description or "",
        profile=label if mixed else shared_text,
        profile_label=label if mixed else shared_id,
        method=result.method,
        method_name="weighted sum (WSM)" if result.method == "wsm" else "TOPSIS",
        score_unit="points (0-100)" if result.method == "wsm" else "closeness coefficient (0-1)",
        missing=result.missing,
        segments=tuple(_segment(evaluation, s, i, mixed) for i, s in enumerate(segments)),
        weights_lead=wording.WEIGHTINGS_LEAD if mixed else f"Profile: {shared_text}.",
        weightings=weightings,
        graded_metrics=tuple(
            f"{k.name} ({k.id}): {_scales_text(k.grading, k.unit, names, 'earns')}"
            for k in result.criteria
            if k.is_metric and k.grading is not None
        ),
        ungraded_metrics=tuple(
            f"{k.name} ({k.id})" for k in result.criteria if k.is_metric and k.grading is None
        ),
        samples=f"{prov.samples:,}",
        seed=str(prov.seed),
        concentration=f"{prov.concentration:g}",
        rules=rules_text(),
        pocs=poc.report_view(evaluation, names),
        warnings=tuple(str(w) for w in evaluation.warnings),
        provenance=_provenance(evaluation, label),
        files=tuple((f.path, f.sha256) for f in prov.files),
        blind_note=wording.blind_note(prov.blind.anonymized, prov.blind.hidden) if prov.blind else "",
        decisions=forum,
        changes=changes,
        traceability=trace.report_section(result, names),
        portfolio=portfolio_view(result, segment, names),
        decision_requested=DECISION_REQUESTED,
        forum_date=forum_date(prov.as_of).isoformat(),
        glossary=wording.glossary(),
        references=tuple(
            (k.name, k.id, "; ".join(wording.reference_text(ref) for ref in k.references))
            for k in result.criteria
            if k.references
        ),
    )


def _segments(result: ScoreResult, segment: str | None) -> list[SegmentResult]:
    if segment is None:
        return list(result.segments)
    names = [s.name for s in result.segments]
    if segment not in names:
        raise ValueError(f"segment {segment!r} is not in this evaluation (segments: {', '.join(names)})")
    return [result.segment(segment)]


def _criterion_label(result: ScoreResult, criterion_id: str) -> str:
    names = {k.id: k.name for k in result.criteria}
    return f"{names.get(criterion_id, criterion_id)} ({criterion_id})"


def _profile_label(evaluation: Evaluation, names: Sequence[str]) -> str:
    """The profile of the reported segments in words (:attr:`Provenance.profile_label`): one id, "catalog
    weights", or each segment's profile when they differ."""
    prov = evaluation.provenance
    if not prov.profiles:
        return prov.profile_label
    reported = tuple((s, p) for s, p in prov.profiles if s in names)
    return dataclasses.replace(prov, profiles=reported or prov.profiles).profile_label


def _segment(evaluation: Evaluation, segment: SegmentResult, index: int, mixed: bool) -> SegmentReport:
    result = evaluation.result
    advice = tuple(_advice(evaluation, evaluation.recommendations[v.id], v) for v in segment.vendors)
    candidates = [a for a in advice if a.decision in ("proceed", "conditional")]
    others = [a.name for a in advice if a.decision == "do-not-proceed"]
    others += [f"{a.name} (not assessed)" for a in advice if a.decision == "not-assessed"]
    return SegmentReport(
        name=segment.name,
        anchor=f"segment-{index + 1}-{fmt.slug(segment.name)}",
        headline=Markup(wording.headline(evaluation, segment.name, strong=_md_strong, esc=fmt.md)),
        headline_html=Markup(wording.headline(evaluation, segment.name, strong=_html_strong, esc=escape)),
        leader=_leader_cell(evaluation, segment),
        candidates="; ".join(f"{a.name} ({a.label})" for a in candidates) or "none",
        rings="; ".join(f"{a.name}: {a.ring}" for a in candidates) or "—",
        others="; ".join(others) or "none",
        options=tuple(_option(result, v) for v in segment.vendors),
        ranking=tuple(_ranking_row(evaluation, v) for v in segment.vendors),
        relative=_marked(
            relative_sentence(segment_relative_grading(result.criteria, segment)), result.method
        ),
        category_header=tuple(wording.vendor_label(v) for v in segment.vendors),
        category_rows=tuple(
            Row(
                c.name,
                (
                    fmt.pct(segment.setup.weights.categories[c.id]),
                    *(fmt.score(v.categories[c.id], result.method) for v in segment.vendors),
                ),
            )
            for c in result.catalog.categories
        ),
        rank_header=tuple(f"rank {r + 1}" for r in range(sum(v.ranked for v in segment.vendors))),
        rank_rows=tuple(
            Row(v.name, tuple(fmt.pct(p) for p in evaluation.sensitivity.vendors[v.id].rank_probabilities))
            for v in segment.vendors
            if v.ranked
        ),
        flip_sentences=_flip_sentences(evaluation, segment),
        flip_rows=tuple(row for row in _flip_rows(evaluation, segment) if row.cells[3] != "never"),
        flip_never=tuple(row.label for row in _flip_rows(evaluation, segment) if row.cells[3] == "never"),
        risks=_risks(result, segment),
        advice=advice,
        evidence=tuple(vendor_evidence(result, v) for v in segment.vendors),
        diligence=segment_diligence(result, segment),
        summary=segment_summary(evaluation, segment),
        regulatory=_regulatory(result, segment),
        setup=_setup_line(result, segment) if mixed else "",
    )


def _setup_line(result: ScoreResult, segment: SegmentResult) -> str:
    profile = segment.setup.profile
    choice = tier_of(result, segment.name)
    return wording.segment_setup_line(
        profile.name if profile is not None else None,
        segment.setup.profile_id,
        choice.name if choice is not None else None,
    )


def _regulatory(result: ScoreResult, segment: SegmentResult) -> tuple[tuple[str, str], ...]:
    """The references behind the segment's findings, in catalog order: the criteria of a must-have failed
    or only just met, of expired evidence or of assessors who disagree (every criterion's references are
    in the evidence appendix)."""
    by_id = result.catalog.criterion_map()
    concerned: set[str] = set()
    for v in segment.vendors:
        concerned |= {c.criterion for c in (*v.stale, *v.disagreements)}
        concerned |= {g.criterion for g in v.gates if not g.passed or is_borderline(g, by_id[g.criterion])}
    return tuple(
        (k.name, "; ".join(wording.reference_text(r) for r in k.references))
        for k in result.criteria
        if k.id in concerned and k.references
    )


def _md_strong(text: str) -> str:
    return f"**{text}**"


def _html_strong(text: str) -> str:
    return f"<strong>{text}</strong>"


def _leader_cell(evaluation: Evaluation, segment: SegmentResult) -> str:
    """The "Leader (score)" cell of the decision table: a name, a tie, or nobody."""
    verdict = evaluation.verdicts[segment.name]
    return wording.leader_cell(verdict, segment.vendors, evaluation.result.method)


def _failed_in_words(result: ScoreResult, v: VendorResult) -> str:
    """The gates a vendor fails, named and in words: "fails Encryption (scored 1 of 5, the requirement is
    at least 2)"."""
    by_id = result.catalog.criterion_map()
    failed = [
        f"{by_id[g.criterion].name} ({wording.gate_in_words(by_id[g.criterion], g.threshold, g.actual)})"
        for g in v.gates
        if not g.passed
    ]
    return "fails " + "; ".join(failed)


def _option(result: ScoreResult, v: VendorResult) -> Option:
    vendor = v.vendor
    status = wording.status_text(v)
    if v.status == "not-eligible":
        status = f"{wording.status_label(v)}: {_failed_in_words(result, v)}"
    return Option(
        name=v.name,
        id=v.id,
        kind=vendor.kind or "—",
        summary=vendor.summary or "",
        website=vendor.website or "",
        declared_ring=vendor.radar or "—",
        status=status,
        eligible=v.ranked,
    )


def _marked(sentence: str, method: str) -> str:
    """The note under the ranking, keyed to the asterisk on the WSM scores it concerns (a TOPSIS closeness
    does not use the grades; the WSM score behind the recommendation still does)."""
    return f"* {sentence}" if sentence and method == "wsm" else sentence


def _ranking_row(evaluation: Evaluation, v: VendorResult) -> Row:
    stability = evaluation.sensitivity.vendors[v.id]
    result = evaluation.result
    marked = result.method == "wsm" and relative_grading(result.criteria, v)
    return Row(
        v.name,
        (
            str(v.rank) if v.rank is not None else "—",
            fmt.score(v.score, result.method) + ("*" if marked else ""),
            fmt.coverage(v.coverage),
            wording.samples_pct(stability.p_top).rstrip("%") if v.ranked else "—",
            fmt.interval(*stability.score_interval, evaluation.result.method),
            wording.status_label(v),
        ),
        v.ranked,
    )


# --- flip points -----------------------------------------------------------------------------------------


def _flip_sentences(evaluation: Evaluation, segment: SegmentResult) -> tuple[str, ...]:
    ranked = sum(v.ranked for v in segment.vendors)
    leader = segment.leader.name if segment.leader else None
    if ranked < 2:
        return (wording.no_flip_sentence(ranked, leader),)
    result, sens = evaluation.result, evaluation.sensitivity
    flips = [f for f in sens.segment_flips(segment.name) if f.leader_changes_at is not None]
    sentences = [wording.flip_text(f, result) for f in flips[:NEAREST_FLIPS]]
    categories = [f for f in sens.segment_flips(segment.name, "category") if f.leader_changes_at is not None]
    sentences += [wording.flip_text(f, result) for f in categories[:1]]
    return tuple(sentences) or (wording.no_flip_sentence(ranked, leader),)


def _flip_rows(evaluation: Evaluation, segment: SegmentResult) -> tuple[Row, ...]:
    result = evaluation.result
    vendors = {v.id: v.name for v in result.vendors()}
    names = {k.id: k.name for k in result.criteria} | {c.id: c.name for c in result.catalog.categories}
    rows = []
    for kind in ("criterion", "category"):
        for f in evaluation.sensitivity.segment_flips(segment.name, kind):
            at = f.leader_changes_at
            before, after = fmt.pct_pair(f.weight, at) if at is not None else (fmt.pct(f.weight), "never")
            new = vendors[f.new_leader] if f.new_leader else "—"
            rows.append(Row(names[f.id], (kind, f.id, before, after, new)))
    return tuple(rows)


# --- gates and risks -------------------------------------------------------------------------------------


def _gate_cell(gate: GateResult, criterion: Criterion) -> tuple[str, str]:
    actual = fmt.number(gate.actual) if gate.actual is not None else "not assessed"
    if not gate.passed:
        return actual, "fail"
    return actual, "borderline" if is_borderline(gate, criterion) else "pass"


def _risks(result: ScoreResult, segment: SegmentResult) -> Risks:
    by_id = result.catalog.criterion_map()
    gated = list(segment.setup.gates)
    failed, borderline, stale, disagree, coverage = [], [], [], [], []
    for v in segment.vendors:
        for g in v.gates:
            if not g.passed:
                failed.append(f"{v.name}: {by_id[g.criterion].name} ({g.criterion}): {g.reason}")
            elif is_borderline(g, by_id[g.criterion]):
                borderline.append(f"{v.name}: {by_id[g.criterion].name} ({g.criterion}): {g.reason}")
        for c in v.stale:
            dates = ", ".join(f"{e.expires}" for e in c.evidence if e.stale)
            stale.append(f"{v.name}: {by_id[c.criterion].name} ({c.criterion}): evidence expired {dates}")
        for c in v.disagreements:
            given = ", ".join(f"{e.assessor or 'assessor'} {fmt.number(e.given)}" for e in c.evidence)
            what = f"{by_id[c.criterion].name} ({c.criterion})"
            disagree.append(f"{v.name}: {what}: spread {fmt.number(c.spread)} ({given})")
        if v.coverage < RULES.min_coverage:
            coverage.append(
                f"{v.name}: coverage {fmt.coverage(v.coverage)} (below {fmt.pct(RULES.min_coverage, 0)})"
            )
    rows = tuple(
        GateRow(v.name, tuple(_gate_cell(g, by_id[g.criterion]) for g in v.gates), v.eligible)
        for v in segment.vendors
    )
    header = tuple(by_id[k].name for k in gated)
    return Risks(header, rows, *map(tuple, (failed, borderline, stale, disagree, coverage)))


# --- recommendations -------------------------------------------------------------------------------------


def _advice(evaluation: Evaluation, rec: Recommendation, v: VendorResult) -> Advice:
    return Advice(
        name=v.name,
        id=v.id,
        decision=rec.decision,
        label=wording.decision_label(rec.decision),
        ring=wording.ring_text(rec.ring),
        ring_reason=rec.ring_reason,
        gaps=gaps_in_words(evaluation, v) if rec.gaps else (),  # the same gaps, in plain words
        reasons=(_failed_in_words(evaluation.result, v),) if v.status == "not-eligible" else rec.reasons,
        plan=_plan(rec, v),
    )


def _plan(rec: Recommendation, v: VendorResult) -> Plan | None:
    plan = rec.plan
    if plan is None:
        return None
    poc = v.vendor.poc
    checks = tuple(
        (c.metric, c.target, c.method, c.source, _result_text(c.result, c.outcome)) for c in plan.checks
    )
    status = ", ".join(
        part
        for part in (
            f"PoC {wording.poc_stage(plan.stage)}"
            if plan.stage
            else "no PoC recorded in the vendor file yet",
            f"owner {plan.owner}" if plan.owner else "",
            f"start {poc.start}" if poc is not None and poc.start else "",
        )
        if part
    )
    return Plan(checks, f"{plan.timebox_weeks} weeks", status, plan.exit_gates)


def _result_text(value: str | None, outcome: str) -> str:
    return "—" if value is None else f"{value} ({outcome})"


# --- method ----------------------------------------------------------------------------------------------


def _scales_text(grading: Grading, unit: str | None, segments: Sequence[str], verb: str) -> str:
    """Each reported segment's own scale, then the default one for the others ("in S: 20 ms earns 5, ...")."""

    def scale(s: Scale) -> str:
        return f"{fmt.number(s.best, unit)} {verb} 5, {fmt.number(s.worst, unit)} {verb} 0"

    own = [name for name in segments if name in grading.segments]
    parts = [f"in {name}: {scale(grading.segments[name])}" for name in own]
    if len(own) < len(segments) or not segments:
        parts.append(f"elsewhere: {scale(grading)}" if own else scale(grading))
    return "; ".join(parts)


def _grading_text(criterion: Criterion, segments: Sequence[str]) -> str:
    if not criterion.is_metric:
        return "rubric 0-5"
    direction = "higher is better" if criterion.higher_is_better else "lower is better"
    if criterion.grading is None:
        return f"{direction}; min-max across the vendors compared"
    return f"{direction}; {_scales_text(criterion.grading, criterion.unit, segments, '=')}"


def _weightings(result: ScoreResult, segments: Sequence[SegmentResult]) -> tuple[Weighting, ...]:
    """One weighting per profile the segments use, in the order of their first segment; a single one,
    without a heading, when they share a profile (then the appendix reads as it always has)."""
    groups: dict[str | None, tuple[Setup, list[str]]] = {}
    for s in segments:
        groups.setdefault(s.setup.profile_id, (s.setup, []))[1].append(s.name)
    if not groups:
        groups[result.overall.profile_id] = (result.overall, [])
    several = len(groups) > 1
    return tuple(_weighting(result, setup, names, several) for setup, names in groups.values())


def _weighting(result: ScoreResult, setup: Setup, names: Sequence[str], several: bool) -> Weighting:
    profile = setup.profile
    name = profile.name if profile is not None else None
    return Weighting(
        profile_id=setup.profile_id,
        profile_name=name,
        title=wording.profile_heading(name, setup.profile_id),
        heading=wording.weighting_heading(name, setup.profile_id, names) if several else "",
        segments=tuple(names),
        weights=_weight_rows(result, setup, names),
        gates=_gates(result, setup, names[0] if names else ""),
        removed_gates=tuple(
            _criterion_label(result, k)
            for k, g in (profile.gates if profile is not None else {}).items()
            if g is None
        ),
        ahp=_ahp(result, setup),
    )


def _weight_rows(result: ScoreResult, setup: Setup, segments: Sequence[str]) -> tuple[WeightRow, ...]:
    weights = setup.weights
    rows = []
    for c in result.catalog.categories:
        share = fmt.pct(weights.categories[c.id])
        rows.append(WeightRow("category", c.id, c.name, "", "", share, "", ""))
        for k in c.criteria:
            gate = setup.gates.get(k.id)
            condition = wording.gate_condition(k, gate) if gate is not None else ""
            rows.append(
                WeightRow(
                    "criterion", k.id, k.name, k.type, fmt.pct(weights.within[k.id]),
                    fmt.pct(weights.criteria[k.id]), condition,
                    _grading_text(k, segments),
                )
            )  # fmt: skip
    return tuple(rows)


def _gates(result: ScoreResult, setup: Setup, segment: str) -> tuple[tuple[str, str, str], ...]:
    """The gates of a setup and where each comes from (a tier's gate read in `segment`, one of the
    segments the setup serves)."""
    by_id = result.catalog.criterion_map()
    overrides = setup.profile.gates if setup.profile is not None else {}
    rows = []
    for key, gate in setup.gates.items():
        k = by_id[key]
        if tier_origin(result, segment, key):
            origin = tier_origin(result, segment, key)
        elif key not in overrides:
            origin = "catalog"
        elif k.gate is None:
            origin = "added by the profile"
        else:
            origin = f"set by the profile (catalog: {wording.gate_condition(k, k.gate)})"
        rows.append((f"{k.name} ({k.id})", wording.gate_condition(k, gate), origin))
    return tuple(rows)


def _saaty(value: float) -> str:
    fraction = Fraction(value).limit_denominator(9)
    return (
        str(fraction.numerator)
        if fraction.denominator == 1
        else f"{fraction.numerator}/{fraction.denominator}"
    )


def _ahp(result: ScoreResult, setup: Setup) -> AhpView | None:
    found = setup.weights.ahp
    profile = setup.profile
    if found is None or profile is None or profile.ahp is None:
        return None
    names = {c.id: c.name for c in result.catalog.categories}
    n = len(profile.ahp.items)
    return AhpView(
        items=tuple(names.get(i, i) for i in profile.ahp.items),
        ids=tuple(profile.ahp.items),
        matrix=tuple(tuple(_saaty(x) for x in row) for row in profile.ahp.matrix),
        weights=tuple(fmt.pct(w) for w in found.weights),
        n=n,
        lambda_max=f"{found.lambda_max:.4f}",
        ci=f"{found.ci:.4f}",
        cr=f"{found.cr:.4f}",
        ri=f"{RANDOM_INDEX[n]:.2f}",
        consistent=found.consistent,
        limit=f"{CR_LIMIT:.2f}",
    )


def _provenance(evaluation: Evaluation, profile: str) -> tuple[tuple[str, str], ...]:
    p = evaluation.provenance
    return (
        ("Tool", f"evaltool {p.tool_version}"),
        ("Generated", p.generated_at),
        ("As-of date (evidence expiry)", p.as_of),
        ("Workspace", p.workspace),
        ("Profile", profile),
        ("Method", p.method),
        ("Missing-data policy", p.missing),
        ("Monte Carlo samples", f"{p.samples:,}"),
        ("Seed", str(p.seed)),
        ("Dirichlet concentration", f"{p.concentration:g}"),
        ("SHA-256 of the inputs", p.input_sha256),
    )
