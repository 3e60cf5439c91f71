"""Pydantic models of the catalog, profile and vendor files. No I/O here.

Every model forbids unknown keys (a typo must never silently change a score) and is frozen. Field
descriptions become the help text of the JSON Schemas that editors use.
"""

from __future__ import annotations

import re
from fractions import Fraction
from typing import Annotated, Any, Literal

from pydantic import (
    BeforeValidator,
    Discriminator,
    Field,
    Tag,
    ValidationInfo,
    WithJsonSchema,
    field_validator,
    model_validator,
)

from evaltool.commercial import Commercial, Computed
from evaltool.poc import Poc as Poc
from evaltool.poc import PocStatus as PocStatus
from evaltool.risk import DueDiligence, Relationship, Risk, RiskAcceptance
from evaltool.trace import Framework, Reference
from evaltool.values import ID_PATTERN as ID_PATTERN
from evaltool.values import (
    Date,
    Id,
    Number,
    Strict,
    Text,
    Weight,
    describe,
    number,
    plain,
    problem,
    rubric_score,
    text,
)

Method = Literal["wsm", "topsis"]
"""A scoring method: weighted sum (0-100 points) or TOPSIS (closeness 0-1)."""
Missing = Literal["zero", "exclude"]
"""The missing-data policy: an unscored criterion counts 0, or is left out and the rest reweighted."""
Ring = Literal["adopt", "trial", "assess", "hold"]
"""A technology-radar ring, as a vendor file declares it and as a recommendation suggests it."""

RUBRIC_MAX = 5.0
EVIDENCE_LEVELS = ("claimed", "documented", "verified", "poc")


# --- catalog -----------------------------------------------------------------------------------------


class Scale(Strict):
    """Linear map of a metric value onto 0..5: `best` maps to 5, `worst` to 0, clipped beyond."""

    best: Number = Field(description="Value that earns the full 5 points.")
    worst: Number = Field(description="Value that earns 0 points.")

    @model_validator(mode="after")
    def _distinct(self) -> Scale:
        if self.best == self.worst:
            raise problem("best and worst must differ")
        return self

    @property
    def direction(self) -> Literal["higher", "lower"]:
        """Which values this scale rewards."""
        return "higher" if self.best > self.worst else "lower"


class Grading(Scale):
    """A metric's fixed grading: `best` and `worst` for every segment, unless `segments` sets its own."""

    segments: dict[Text, Scale] = Field(
        default_factory=dict,
        description="Segment name -> its own best and worst, for segments whose values differ in scale "
        "(the cost of a vector database and of a warehouse); other segments use best and worst above.",
    )

    @field_validator("segments")
    @classmethod
    def _same_direction(cls, segments: dict[str, Scale], info: ValidationInfo) -> dict[str, Scale]:
        best, worst = info.data.get("best"), info.data.get("worst")
        if best is None or worst is None or best == worst:
            return segments
        implied = "higher" if best > worst else "lower"
        for name, scale in segments.items():
            if scale.direction != implied:
                raise problem(
                    f"{name!r}: best {plain(scale.best)} and worst {plain(scale.worst)} mean "
                    f"{scale.direction} is better, unlike the default best {plain(best)} and worst "
                    f"{plain(worst)} ({implied} is better)"
                )
        return segments


def _rubric_level(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= RUBRIC_MAX:
        raise problem(f"rubric levels are the whole numbers 0..5, not {describe(value)}")
    return value


RubricLevel = Annotated[int, BeforeValidator(_rubric_level)]


class Criterion(Strict):
    """One criterion: judged against a 0..5 rubric, or a measured metric."""

    id: Id = Field(description="Unique id across the catalog's categories and criteria.")
    name: Text = Field(description="Short human name.")
    poc_check: Text | None = Field(
        None, description="What a PoC runs and measures to test this criterion; makes it a PoC check."
    )
    description: Text | None = Field(None, description="What is assessed and which evidence counts.")
    weight: Weight = Field(1.0, description="Relative weight within its category (need not sum to 100).")
    type: Literal["rubric", "metric"] = Field(
        "rubric", description="rubric: judged 0..5 against the rubric text; metric: a measured number."
    )
    gate: Number | None = Field(
        None,
        description="Knock-out threshold. Rubric: the score must be >= gate. Metric: in the criterion's "
        "unit, value >= gate (higher is better) or value <= gate (lower is better).",
    )
    rubric: dict[RubricLevel, Text] | None = Field(None, description="Anchor text for each level 0..5.")
    references: list[Reference] = Field(
        default_factory=list, description="Clauses of the catalog's frameworks this criterion serves."
    )
    unit: Text | None = Field(None, description="Metric only: unit of the value, e.g. USD, ms, months.")
    direction: Literal["higher", "lower"] | None = Field(
        None, description="Metric only: whether a higher or a lower value is better (default higher)."
    )
    grading: Grading | None = Field(
        None,
        description="Metric only: linear map onto 0..5, optionally per segment; without it, min-max across "
        "the compared vendors of the segment.",
    )
    computed: Computed | None = Field(
        None,
        description="Metric only: tco_total takes the vendor's value from the sum of its commercial.tco.",
    )

    @field_validator("gate")
    @classmethod
    def _gate_on_scale(cls, gate: float | None, info: ValidationInfo) -> float | None:
        if gate is not None and info.data.get("type") == "rubric" and not 0 <= gate <= RUBRIC_MAX:
            raise problem(f"gate {gate:g} is outside the rubric scale 0..5")
        return gate

    @field_validator("rubric")
    @classmethod
    def _rubric_only(cls, rubric: dict[int, str] | None, info: ValidationInfo) -> dict[int, str] | None:
        if rubric is not None and info.data.get("type") == "metric":
            raise problem("'rubric' is only allowed on a rubric criterion; a metric criterion is graded")
        return rubric

    @field_validator("unit", "direction", "grading", "computed")
    @classmethod
    def _metric_only(cls, value: Any, info: ValidationInfo) -> Any:
        if value is not None and info.data.get("type") == "rubric":
            raise problem(f"'{info.field_name}' is only allowed on a metric criterion (type: metric)")
        return value

    @field_validator("grading")
    @classmethod
    def _direction_agrees(cls, grading: Grading | None, info: ValidationInfo) -> Grading | None:
        direction = info.data.get("direction")
        if grading is not None and direction is not None:
            implied = grading.direction
            if implied != direction:
                raise problem(
                    f"contradicts direction '{direction}': best {plain(grading.best)} and worst "
                    f"{plain(grading.worst)} mean {implied} is better"
                )
        return grading

    @property
    def is_metric(self) -> bool:
        """True for a measured-number criterion."""
        return self.type == "metric"

    @property
    def higher_is_better(self) -> bool:
        """Direction of a metric (rubric scores are always higher-is-better)."""
        if self.direction is not None:
            return self.direction == "higher"
        if self.grading is not None:
            return self.grading.best > self.grading.worst
        return True

    def grading_for(self, segment: str) -> Scale | None:
        """The segment's own grading, else the default; None: min-max across the segment's vendors."""
        if self.grading is None:
            return None
        return self.grading.segments.get(segment, self.grading)


class Category(Strict):
    """A group of criteria with a relative weight among the categories."""

    id: Id = Field(description="Unique id across the catalog's categories and criteria.")
    name: Text = Field(description="Short human name.")
    description: Text | None = Field(None, description="What this category covers.")
    weight: Weight = Field(1.0, description="Relative weight among the categories.")
    criteria: list[Criterion] = Field(min_length=1, description="The criteria of this category.")


def _version(value: Any) -> str:
    if isinstance(value, int | float) and not isinstance(value, bool):
        raise problem(
            f'must be a string, not the number {value}: quote it as written, e.g. version: "2026.11"'
        )
    return text(value)


class Catalog(Strict):
    """The enterprise criteria catalog (criteria/catalog.yaml)."""

    catalog: Text = Field(description="Name of the catalog.")
    version: Annotated[str, BeforeValidator(_version)] = Field(
        description='Catalog version, a quoted string such as "2026.11".'
    )
    description: Text | None = Field(None, description="What the catalog is for.")
    missing: Missing = Field(
        "zero",
        description="Policy for an unscored criterion: zero scores it 0; exclude reweights over the rest.",
    )
    frameworks: list[Framework] = Field(
        default_factory=list, description="Regulations and standards that criteria's references cite."
    )
    segments: list[Text] | None = Field(
        None, description="Optional closed list of segments; every vendor must use one of them."
    )
    due_diligence: DueDiligence | None = Field(
        None, description="Due-diligence tiers by inherent risk, most stringent first (docs/scoring.md)."
    )
    categories: list[Category] = Field(min_length=1, description="The weighted categories.")

    def criteria(self) -> list[Criterion]:
        """Every criterion, in catalog order."""
        return [criterion for category in self.categories for criterion in category.criteria]

    def criterion_map(self) -> dict[str, Criterion]:
        """Criterion id -> criterion."""
        return {criterion.id: criterion for criterion in self.criteria()}


# --- profile -----------------------------------------------------------------------------------------


def _saaty(value: Any) -> float:
    if isinstance(value, str):
        match = re.fullmatch(r"\s*(\d+)\s*/\s*(\d+)\s*", value)
        if not match or int(match.group(2)) == 0:
            raise problem(f'{value!r} is not a number or a fraction such as "1/3"')
        found = float(Fraction(int(match.group(1)), int(match.group(2))))
    else:
        found = number(value)
    if not 1 / 9 - 1e-12 <= found <= 9 + 1e-12:
        raise problem(f"{describe(value)} is outside Saaty's scale 1/9..9")
    return found


SaatyValue = Annotated[
    float,
    BeforeValidator(_saaty),
    WithJsonSchema({"anyOf": [{"type": "number"}, {"type": "string", "pattern": r"^\s*\d+\s*/\s*\d+\s*$"}]}),
]


def _fraction_hint(value: float) -> str:
    if value >= 1:
        return f"{value:g}"
    return f'"1/{round(1 / value)}"'


class Ahp(Strict):
    """Category weights from pairwise comparisons (Saaty 1..9), instead of category weights."""

    items: list[Id] = Field(description="Category ids, each exactly once, in the order of the matrix rows.")
    matrix: list[list[SaatyValue]] = Field(
        description="Reciprocal pairwise matrix: entry i,j says how much more important item i is than j; "
        'numbers or "a/b" strings within 1/9..9.'
    )

    @field_validator("items")
    @classmethod
    def _distinct(cls, items: list[str]) -> list[str]:
        if len(set(items)) != len(items):
            raise problem("items lists a category more than once")
        return items

    @field_validator("matrix")
    @classmethod
    def _square_reciprocal(cls, matrix: list[list[float]], info: ValidationInfo) -> list[list[float]]:
        items = info.data.get("items")
        n = len(items) if items is not None else len(matrix)
        if len(matrix) != n or any(len(row) != n for row in matrix):
            lengths = ", ".join(str(len(row)) for row in matrix) or "none"
            raise problem(f"matrix must be {n}x{n} to match the {n} items (its rows have {lengths} entries)")
        if n > 15:
            raise problem("AHP supports at most 15 items")
        for i in range(n):
            if abs(matrix[i][i] - 1) > 1e-9:
                raise problem(f"matrix[{i}][{i}] must be 1 (an item compared with itself)")
            for j in range(i + 1, n):
                a, b = matrix[i][j], matrix[j][i]
                if abs(a * b - 1) > 0.01:
                    raise problem(
                        f"matrix is not reciprocal at [{i}][{j}] = {a:g} and [{j}][{i}] = {b:g}: "
                        f"[{j}][{i}] should be {_fraction_hint(1 / a)}"
                    )
        return matrix


class Profile(Strict):
    """A use-case weighting of the catalog (criteria/profiles/<id>.yaml)."""

    id: Id = Field(description="Profile id; equals the file name without extension.")
    name: Text = Field(description="Short human name.")
    description: Text | None = Field(None, description="The use case this weighting serves.")
    segments: list[Text] = Field(
        default_factory=list,
        description="The segments (use cases) this profile is for: without --profile, each of them is "
        "scored with this profile. A segment may be named by one profile only.",
    )
    risk: Risk | None = Field(
        None, description="The use case's inherent risk; it selects the due-diligence tier."
    )
    weights: dict[Id, Weight] = Field(
        default_factory=dict,
        description="Overrides: a category id replaces that category's weight among the categories; a "
        "criterion id replaces that criterion's weight within its category.",
    )
    gates: dict[Id, Number | None] = Field(
        default_factory=dict,
        description="Gate overrides by criterion id: a number sets (relaxes, tightens or adds) the gate, "
        "null removes it.",
    )
    ahp: Ahp | None = Field(None, description="Optional: category weights from pairwise comparisons.")


# --- vendor ------------------------------------------------------------------------------------------


RubricScore = Annotated[float, Field(ge=0, le=RUBRIC_MAX), BeforeValidator(rubric_score)]


class ScoreEntry(Strict):
    """Long form of a score: the judgement or measurement and the evidence behind it."""

    score: RubricScore | None = Field(None, description="Rubric criteria: 0..5, halves allowed.")
    value: Number | None = Field(
        None, description="Metric criteria: the measured value in the criterion's unit."
    )
    evidence: Text | None = Field(None, description="What the score rests on.")
    level: Literal["claimed", "documented", "verified", "poc"] | None = Field(
        None, description="Strength of the evidence: claimed | documented | verified | poc."
    )
    source: Text | None = Field(None, description="Where the evidence is (URL or document reference).")
    expires: Date | None = Field(None, description="Date after which the evidence is stale (YYYY-MM-DD).")

    @model_validator(mode="after")
    def _one_of(self) -> ScoreEntry:
        if self.score is not None and self.value is not None:
            raise problem("give either 'score' (rubric) or 'value' (metric), not both")
        return self

    @property
    def given(self) -> float | None:
        """The number given, whichever key holds it."""
        return self.score if self.score is not None else self.value


def _short_score(value: Any) -> float | None:
    return None if value is None else number(value)


def _cell_kind(value: Any) -> str:
    return "entry" if isinstance(value, dict) else "short"


ScoreCell = Annotated[
    Annotated[float | None, BeforeValidator(_short_score), Tag("short")]
    | Annotated[ScoreEntry, Tag("entry")],
    Discriminator(_cell_kind),
]
Scores = dict[Id, ScoreCell]


class Assessment(Strict):
    """One assessor's scores."""

    assessor: Text = Field(description="Who scored (one entry per assessor; history lives in git).")
    date: Date = Field(description="When the assessment was made (YYYY-MM-DD).")
    scores: Scores = Field(
        default_factory=dict,
        description="Criterion id -> score. Short form `crit: 4` (score or metric value), `crit: null` "
        "for not yet scored, or the long form with evidence.",
    )


class Vendor(Strict):
    """One vendor or startup (vendors/<id>.yaml)."""

    id: Id = Field(description="Vendor id; equals the file name without extension.")
    name: Text = Field(description="Display name.")
    segment: Text = Field(description="Market segment; vendors are compared within a segment.")
    kind: Literal["startup", "scaleup", "enterprise", "open-source"] | None = Field(
        None, description="startup | scaleup | enterprise | open-source."
    )
    website: Text | None = Field(None, description="Vendor website.")
    summary: Text | None = Field(None, description="One or two sentences on the offering.")
    commercial: Commercial | None = Field(None, description="Pricing, TCO by year and contract terms.")
    facts: dict[str, Any] = Field(
        default_factory=dict, description="Free-form facts (founded, hq, funding...)."
    )
    relationship: Relationship | None = Field(
        None, description="The vendor's existing use at the bank (critical uses, annual spend)."
    )
    risk_acceptances: list[RiskAcceptance] = Field(
        default_factory=list, description="Accepted risks: criterion, by, date, reason, expires."
    )
    radar: Ring | None = Field(None, description="Declared technology-radar ring, if the forum has set one.")
    assessments: list[Assessment] | None = Field(None, description="One entry per assessor.")
    scores: Scores | None = Field(None, description="Single-assessor shorthand for `assessments`.")
    poc: Poc | None = Field(None, description="Proof-of-concept record.")

    @model_validator(mode="after")
    def _one_way_to_score(self) -> Vendor:
        if self.assessments is not None and self.scores is not None:
            raise problem("use either 'assessments' or top-level 'scores', not both")
        return self

    def all_assessments(self) -> list[tuple[str, Scores]]:
        """(assessor, scores) pairs; top-level `scores` counts as one unnamed assessor."""
        if self.assessments is not None:
            return [(a.assessor, a.scores) for a in self.assessments]
        return [("", self.scores)] if self.scores is not None else []
