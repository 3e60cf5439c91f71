"""Due diligence in proportion to risk: which tier a use case falls in, and each vendor's findings.

Pure. The tier follows from the catalog's `due_diligence` tiers and the profile's `risk`; the findings
from the scored cells (evidence levels, the floor), the vendor's `relationship` (concentration) and its
`risk_acceptances`. The rules are stated in docs/scoring.md#due-diligence.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

from evaltool import wording
from evaltool.problems import Collector, locate, suggest
from evaltool.risk import RISK_ATTRIBUTES, RiskAcceptance, Tier

if TYPE_CHECKING:
    from evaltool.models import Catalog, Criterion, Profile, Vendor
    from evaltool.scoring import Cell, ScoreResult, SegmentResult, VendorResult

FindingKind = Literal["evidence-level", "floor", "concentration", "accepted"]
LEVELS = ("claimed", "documented", "verified", "poc")


@dataclass(frozen=True)
class TierChoice:
    """The tier a use case falls in, and why."""

    tier: Tier
    why: str

    @property
    def id(self) -> str:
        """The tier's id."""
        return self.tier.id

    @property
    def name(self) -> str:
        """The tier's name."""
        return self.tier.name


@dataclass(frozen=True)
class Finding:
    """One due-diligence finding on a vendor; `accepted` names the acceptance that covers it."""

    kind: FindingKind
    criterion: str | None
    message: str
    accepted: RiskAcceptance | None = None
    was: FindingKind | None = None  # for an accepted finding, what was accepted
    required: str | None = None  # for an evidence-level finding, the level the tier asks for


def tier_for(catalog: Catalog, profile: Profile | None) -> TierChoice | None:
    """The first tier that applies to the profile's risk; None without tiers or when none applies."""
    if catalog.due_diligence is None:
        return None
    risk = profile.risk if profile is not None else None
    for tier in catalog.due_diligence.tiers:
        if tier.when is None:
            return TierChoice(tier, wording.tier_default_why(profile is not None, risk is not None))
        matched = [
            (attribute, getattr(risk, attribute))
            for attribute in RISK_ATTRIBUTES
            if risk is not None
            and getattr(tier.when, attribute) is not None
            and getattr(risk, attribute) is not None
            and getattr(risk, attribute) in getattr(tier.when, attribute)
        ]
        if matched:
            return TierChoice(tier, wording.tier_match_why(matched))
    return None


def tier_of(result: ScoreResult, segment: str) -> TierChoice | None:
    """The tier of one segment of a result: that of the profile the segment was scored with."""
    return tier_for(result.catalog, result.setup_of(segment).profile)


def tier_gates(catalog: Catalog, profile: Profile | None, gates: dict[str, float]) -> dict[str, float]:
    """The gates with the tier's gates added, or raised where the tier is stricter (a tier never relaxes)."""
    choice = tier_for(catalog, profile)
    if choice is None or not choice.tier.gates:
        return gates
    by_id = catalog.criterion_map()
    merged = dict(gates)
    for key, minimum in choice.tier.gates.items():
        criterion = by_id.get(key)
        if criterion is None:
            continue  # an unknown criterion: validate reports it
        lower = criterion.is_metric and not criterion.higher_is_better
        current = merged.get(key)
        if current is None:
            merged[key] = minimum
        else:
            merged[key] = min(current, minimum) if lower else max(current, minimum)
    return merged


def cell_level(cell: Cell) -> str | None:
    """The strongest evidence level recorded by the assessors who scored the cell (None: no level)."""
    levels = [e.level for e in cell.evidence if e.given is not None and e.level is not None]
    return max(levels, key=LEVELS.index) if levels else None


def required_level(tier: Tier, criterion: str, category: str) -> str | None:
    """The tier's minimum evidence level for a criterion: its own entry, else its category's."""
    return tier.evidence.get(criterion) or tier.evidence.get(category)


def _below(level: str | None, required: str) -> bool:
    return level is None or LEVELS.index(level) < LEVELS.index(required)


def _floored(criterion: Criterion, segment: str) -> bool:
    """Rubric criteria and metrics on a fixed grading; a min-max grade says nothing about a floor."""
    return not criterion.is_metric or criterion.grading_for(segment) is not None


def _raw_findings(v: VendorResult, result: ScoreResult, tier: Tier) -> list[Finding]:
    found: list[Finding] = []
    category_of = {k.id: c.id for c in result.catalog.categories for k in c.criteria}
    for k in result.criteria:
        cell = v.cells[k.id]
        if cell.raw is None:
            continue  # unscored: coverage says so
        required = required_level(tier, k.id, category_of[k.id])
        level = cell_level(cell)
        if required is not None and _below(level, required):
            message = wording.evidence_finding(k, level, required, tier.name)
            found.append(Finding("evidence-level", k.id, message, required=required))
        if tier.floor is not None and _floored(k, v.segment) and (cell.grade or 0.0) < tier.floor:
            found.append(Finding("floor", k.id, wording.floor_finding(k, cell, tier.floor, tier.name)))
    rule, relationship = tier.concentration, v.vendor.relationship
    uses = relationship.critical_uses if relationship is not None else None
    if rule is not None and uses is not None and uses >= rule.critical_uses:
        message = wording.concentration_finding(uses, rule.critical_uses, tier.name)
        found.append(Finding("concentration", rule.criterion, message))
    return found


def acceptance_for(
    acceptances: Sequence[RiskAcceptance], criterion: str | None, as_of: dt.date
) -> RiskAcceptance | None:
    """The acceptance in force for a criterion on `as_of` (dated on or before it, expiring on or after)."""
    for acceptance in acceptances:
        if acceptance.criterion == criterion and acceptance.date <= as_of <= acceptance.expires:
            return acceptance
    return None


def findings(v: VendorResult, result: ScoreResult) -> tuple[Finding, ...]:
    """The vendor's findings under the result's tier; none for a vendor not yet assessed (its decision
    already says so, and its gaps are the unscored criteria)."""
    choice = tier_of(result, v.segment)
    if choice is None or not v.assessed:
        return ()
    out = []
    for f in _raw_findings(v, result, choice.tier):
        acceptance = acceptance_for(v.vendor.risk_acceptances, f.criterion, result.as_of)
        if acceptance is None:
            out.append(f)
        else:
            message = wording.accepted_finding(f.message, acceptance)
            out.append(Finding("accepted", f.criterion, message, acceptance, f.kind, f.required))
    return tuple(out)


def open_findings(v: VendorResult, result: ScoreResult) -> list[Finding]:
    """The findings no risk acceptance covers: they keep the vendor out of *proceed*."""
    return [f for f in findings(v, result) if f.kind != "accepted"]


def gaps(v: VendorResult, result: ScoreResult) -> list[str]:
    """The open findings as gaps to close before the PoC, in plain words."""
    by_id = result.catalog.criterion_map()
    return wording.finding_gaps(
        [(f.kind, by_id.get(f.criterion or ""), f.message, f.required) for f in open_findings(v, result)]
    )


# --- checks for `evaltool validate` ---------------------------------------------------------------------


def check_tiers(catalog: Catalog, c: Collector) -> None:
    """The tiers' evidence, gate and concentration keys name the catalog's categories and criteria."""
    if catalog.due_diligence is None:
        return
    categories = {category.id for category in catalog.categories}
    criteria = catalog.criterion_map()
    first: dict[str, int] = {}
    for i, tier in enumerate(catalog.due_diligence.tiers):
        base = ("due_diligence", "tiers", i)
        if tier.id in first:
            c.add((*base, "id"), f"tier id '{tier.id}' is used twice (first at line {first[tier.id]})")
        first.setdefault(tier.id, locate(c.data, (*base, "id"))[0])
        for key in tier.evidence:
            if key not in categories and key not in criteria:
                known = [*categories, *criteria]
                c.add(
                    (*base, "evidence", key),
                    f"unknown category or criterion id '{key}'" + suggest(key, known),
                )
        for key, gate in tier.gates.items():
            criterion = criteria.get(key)
            if criterion is None:
                c.add((*base, "gates", key), f"unknown criterion id '{key}'" + suggest(key, criteria))
            elif not criterion.is_metric and not 0 <= gate <= 5:
                c.add((*base, "gates", key), f"gate {gate:g} is outside the rubric scale 0..5")
        rule = tier.concentration
        if rule is not None and rule.criterion is not None and rule.criterion not in criteria:
            c.add(
                (*base, "concentration", "criterion"),
                f"unknown criterion id '{rule.criterion}'" + suggest(rule.criterion, criteria),
            )


def check_acceptances(vendor: Vendor, catalog: Catalog, as_of: dt.date, c: Collector) -> None:
    """Each risk acceptance names a catalog criterion and ends after it starts; an expired one is warned
    about (its findings are open again)."""
    criteria = catalog.criterion_map()
    for i, a in enumerate(vendor.risk_acceptances):
        loc = ("risk_acceptances", i)
        if a.criterion not in criteria:
            c.add((*loc, "criterion"), f"unknown criterion '{a.criterion}'" + suggest(a.criterion, criteria))
        if a.expires < a.date:
            c.add(
                (*loc, "expires"),
                f"expires {a.expires.isoformat()} before it was accepted on {a.date.isoformat()}",
            )
        elif a.expires < as_of:
            c.add(
                (*loc, "expires"),
                f"risk acceptance of '{a.criterion}' by {a.by} expired on {a.expires.isoformat()} (as of "
                f"{as_of.isoformat()}): its findings are open again",
                warning=True,
                code="expired-acceptance",
            )


# --- plain data for JSON ----------------------------------------------------------------------------------


def tier_json(choice: TierChoice | None) -> dict[str, str] | None:
    """The tier as JSON (docs/json.md): id, name and why it applies; null without one."""
    return None if choice is None else {"id": choice.id, "name": choice.name, "why": choice.why}


def vendor_json(v: VendorResult, result: ScoreResult) -> dict[str, Any]:
    """The `tier` and `findings` keys of a vendor in the score and export JSON."""
    return {
        "profile": result.setup_of(v.segment).profile_id,
        "tier": tier_json(tier_of(result, v.segment)),
        "findings": [
            {"kind": f.kind, "criterion": f.criterion, "message": f.message} for f in findings(v, result)
        ],
    }


# --- the report's "Due diligence" section -------------------------------------------------------------


@dataclass(frozen=True)
class SegmentDiligence:
    """What the report says of one segment's due diligence: the tier and why, findings, acceptances."""

    sentence: str  # the tier, why and under which profile
    tier: str | None
    demands: tuple[str, ...]
    findings: tuple[tuple[str, str, str], ...]  # vendor, kind label, message
    acceptances: tuple[tuple[str, str, str, str, str, str], ...]  # vendor, criterion, by, dates, state, why


def segment_diligence(result: ScoreResult, segment: SegmentResult) -> SegmentDiligence:
    """The segment's tier and why, every vendor's findings, and every risk acceptance on file."""
    choice = tier_of(result, segment.name)
    by_id = result.catalog.criterion_map()
    demands: tuple[str, ...] = ()
    if choice is not None:
        t = choice.tier
        gates = [
            f"{key} {wording.gate_condition(by_id[key], g)}" for key, g in t.gates.items() if key in by_id
        ]
        threshold = t.concentration.critical_uses if t.concentration is not None else None
        demands = tuple(wording.tier_demands(t.evidence, t.floor, gates, threshold))
    rows = tuple(
        (v.name, wording.finding_label(f.kind), f.message)
        for v in segment.vendors
        for f in findings(v, result)
    )
    acceptances = tuple(
        (
            v.name,
            a.criterion,
            a.by,
            f"{a.date.isoformat()} to {a.expires.isoformat()}",
            "in force" if a.date <= result.as_of <= a.expires else "expired" if a.expires < result.as_of
            else "not yet in force",
            a.reason,
        )
        for v in segment.vendors
        for a in v.vendor.risk_acceptances
    )  # fmt: skip
    sentence = wording.tier_sentence(
        choice.name if choice else None, choice.why if choice else None, segment.setup.profile_id
    )
    return SegmentDiligence(sentence, choice.name if choice else None, demands, rows, acceptances)


def tier_origin(result: ScoreResult, segment: str, criterion: str) -> str:
    """Where a gate in force in a segment comes from when the tier set it ("raised by the Critical tier"),
    else ""."""
    choice = tier_of(result, segment)
    setup = result.setup_of(segment)
    if choice is None or criterion not in choice.tier.gates:
        return ""
    if setup.gates.get(criterion) != choice.tier.gates[criterion]:
        return ""  # the catalog's or the profile's gate is stricter and stays
    before = {k.id: k.gate for k in result.catalog.criteria()}.get(criterion)
    if setup.profile is not None and criterion in setup.profile.gates:
        before = setup.profile.gates[criterion]
    verb = "added" if before is None else "raised"
    return f"{verb} by the {choice.name} due-diligence tier"


def diligence_lines(result: ScoreResult, segment: SegmentResult) -> tuple[str, list[str]]:
    """What `evaltool recommend` adds to a segment: the tier sentence ("" without tiers) and one line per
    accepted finding, naming who accepted it (open findings are among the gaps)."""
    choice = tier_of(result, segment.name)
    if choice is None:
        return "", []
    sentence = wording.tier_sentence(choice.name, choice.why, segment.setup.profile_id) + "."
    accepted = [
        f"Risk accepted for {v.name}: {f.message}"
        for v in segment.vendors
        for f in findings(v, result)
        if f.kind == "accepted"
    ]
    return sentence, accepted
