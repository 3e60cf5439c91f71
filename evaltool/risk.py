"""File formats of due diligence in proportion to risk: a use case's inherent risk (profile `risk:`), the
catalog's tiers (`due_diligence:`), a vendor's existing relationship with the bank (`relationship:`) and its
risk acceptances (`risk_acceptances:`). No I/O here; the rules are in docs/scoring.md#due-diligence.

models.py imports these models; the value checks they share with every file model are in
:mod:`evaltool.values`.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BeforeValidator, Field

from evaltool.values import Date, Id, Number, Strict, Text, Weight, describe, number, problem

Criticality = Literal["critical", "high", "moderate", "low"]
DataClass = Literal["restricted", "confidential", "internal", "public"]
AiActClass = Literal["prohibited", "high-risk", "limited", "minimal", "none"]
ModelTier = Literal[1, 2, 3]
EvidenceLevel = Literal["claimed", "documented", "verified", "poc"]
RISK_ATTRIBUTES = ("criticality", "data", "ai_act", "model_tier", "critical_function")


def _flag(value: Any) -> bool:
    if not isinstance(value, bool):
        raise problem(f"must be true or false, not {describe(value)}")
    return value


def _floor(value: Any) -> float:
    found = number(value)
    if not 0 <= found <= 5:
        raise problem(f"floor {found:g} is outside the rubric scale 0..5")
    return found


def _count(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise problem(f"must be a whole number 0 or more, not {describe(value)}")
    return value


Flag = Annotated[bool, BeforeValidator(_flag)]
Count = Annotated[int, Field(ge=0), BeforeValidator(_count)]


class Risk(Strict):
    """A use case's inherent risk, as a profile declares it; every attribute is optional."""

    criticality: Criticality | None = Field(
        None, description="How critical the use is to the bank: critical | high | moderate | low."
    )
    data: DataClass | None = Field(
        None, description="The most sensitive data the vendor handles: restricted | confidential | "
        "internal | public.",
    )  # fmt: skip
    ai_act: AiActClass | None = Field(
        None, description="EU AI Act risk class: prohibited | high-risk | limited | minimal | none."
    )
    model_tier: ModelTier | None = Field(None, description="The bank's model-risk tier: 1 (highest) | 2 | 3.")
    critical_function: Flag | None = Field(
        None, description="DORA: whether the service supports a critical or important function."
    )


class TierWhen(Strict):
    """Risk attribute -> the values that make a tier apply (any one listed attribute matching is enough)."""

    criticality: list[Criticality] | None = Field(None, description="Criticality values that apply.")
    data: list[DataClass] | None = Field(None, description="Data classes that apply.")
    ai_act: list[AiActClass] | None = Field(None, description="EU AI Act classes that apply.")
    model_tier: list[ModelTier] | None = Field(None, description="Model-risk tiers that apply.")
    critical_function: list[Flag] | None = Field(None, description="[true] for DORA critical functions.")


class Concentration(Strict):
    """A concentration check: a vendor already behind this many critical uses at the bank gets a finding."""

    critical_uses: Annotated[int, Field(ge=1), BeforeValidator(_count)] = Field(
        description="Critical uses at the bank from which the vendor gets a concentration finding."
    )
    criterion: Id | None = Field(
        None, description="The criterion the finding is filed under (and a risk acceptance names)."
    )


class Tier(Strict):
    """One due-diligence tier: when it applies and what it demands."""

    id: Id = Field(description="Tier id, unique within the catalog's tiers.")
    name: Text = Field(description="Short human name.")
    description: Text | None = Field(None, description="What this tier is for.")
    when: TierWhen | None = Field(
        None, description="Risk attribute -> values; the tier applies when any listed attribute of the "
        "profile's risk matches. Without it, the tier applies to every use case.",
    )  # fmt: skip
    evidence: dict[Id, EvidenceLevel] = Field(
        default_factory=dict,
        description="Category or criterion id -> minimum evidence level (claimed < documented < verified "
        "< poc); a criterion's own entry wins over its category's.",
    )
    floor: Annotated[float, BeforeValidator(_floor)] | None = Field(
        None, description="No criterion may score below this rubric level (0..5) without a finding."
    )
    gates: dict[Id, Number] = Field(
        default_factory=dict,
        description="Criterion id -> minimum: extra or raised gates, applied like profile gates.",
    )
    concentration: Concentration | None = Field(
        None, description="Flag vendors already behind this many critical uses at the bank."
    )


class DueDiligence(Strict):
    """The catalog's due-diligence tiers, most stringent first; the first that applies is used."""

    tiers: list[Tier] = Field(min_length=1, description="Tiers, most stringent first; ids unique.")


class Relationship(Strict):
    """The vendor's existing relationship with the bank."""

    critical_uses: Count | None = Field(
        None, description="How many critical uses at the bank already depend on the vendor."
    )
    annual_spend: Weight | None = Field(
        None, description="Current annual spend with the vendor (the catalog's currency)."
    )


class RiskAcceptance(Strict):
    """Who accepted the risk of a finding on one criterion, why, and until when."""

    criterion: Id = Field(description="The criterion whose findings are accepted.")
    by: Text = Field(description="Who accepted the risk (name and role).")
    date: Date = Field(description="When it was accepted (YYYY-MM-DD).")
    reason: Text = Field(description="Why the risk is accepted.")
    expires: Date = Field(description="Last day the acceptance holds (YYYY-MM-DD).")
