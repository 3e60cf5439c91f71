"""The PoC loop: the `poc` block of a vendor file, its evaluable targets and measured results, where a PoC
stands, and what its outcome means for the scores and the recommendation.

Pure. The rules are stated in docs/scoring.md#the-poc-loop and the keys in docs/formats.md#poc-keys. The
models here do not import :mod:`evaltool.models`, which imports them; their value checks are in
:mod:`evaltool.values`.
"""

from __future__ import annotations

import datetime as dt
import re
import statistics
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Annotated, Any, Literal

from pydantic import (
    BeforeValidator,
    Field,
    WithJsonSchema,
    model_validator,
)

from evaltool.values import Date, Number, Strict, Text, describe, number, problem, rubric_score, text

if TYPE_CHECKING:
    from evaltool.evaluation import Evaluation
    from evaltool.models import Catalog, Criterion, Vendor
    from evaltool.problems import Collector
    from evaltool.scoring import VendorResult

PocStatus = Literal["planned", "running", "done", "stopped"]
"""Where a proof of concept stands."""
Outcome = Literal["met", "missed", "pending"]
"""A success criterion against its target: met, missed, or no result yet."""

TARGET_FORMS = "'>= 0.95', '<= 50 ms', '< 2 s', '>= 95%', '<= USD 12' or 'pass'"


# --- targets and results ---------------------------------------------------------------------------------

# Units that convert into one another: each is (dimension, factor to the dimension's base unit).
_UNITS: dict[str, tuple[str, float]] = {
    "ms": ("time", 0.001), "s": ("time", 1.0), "sec": ("time", 1.0), "min": ("time", 60.0),
    "h": ("time", 3600.0), "d": ("time", 86400.0), "days": ("time", 86400.0),
    "kb": ("bytes", 1e3), "mb": ("bytes", 1e6), "gb": ("bytes", 1e9), "tb": ("bytes", 1e12),
}  # fmt: skip
_OPS = {"≥": ">=", "≤": "<=", "==": "="}
_NUM = r"[+-]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?|[+-]?\.\d+"
_PREFIX = r"[A-Z]{3}|[$€£]"
_SUFFIX = r"%|[A-Za-z][A-Za-z/]*"
_TARGET_RE = re.compile(
    rf"\s*(?P<op>>=|<=|==|=|>|<|≥|≤)\s*(?:(?P<pre>{_PREFIX})\s*)?(?P<num>{_NUM})\s*(?P<unit>{_SUFFIX})?\s*"
)
_RESULT_RE = re.compile(rf"\s*(?:(?P<pre>{_PREFIX})\s*)?(?P<num>{_NUM})\s*(?P<unit>{_SUFFIX})?\s*")
_VERDICT_RE = re.compile(r"\s*(?P<verdict>pass|fail)\b\s*(?:[:;,-].*)?", re.IGNORECASE | re.DOTALL)


@dataclass(frozen=True)
class Target:
    """An evaluable target: a comparison with a number in a unit, or ``pass``."""

    op: str | None  # >=, <=, >, <, = ; None for a pass/fail target
    number: float | None
    unit: str | None


@dataclass(frozen=True)
class Measured:
    """A result as measured: a number in a unit (None: the target's), or pass/fail."""

    number: float | None
    unit: str | None
    passed: bool | None


def _unit(pre: str | None, suffix: str | None) -> str | None:
    return pre or suffix or None


def parse_target(text: str) -> Target:
    """``">= 0.95"``, ``"<= 50 ms"``, ``"< 2 s"``, ``">= 95%"``, ``"<= USD 12"`` or ``"pass"``."""
    if text.strip().lower() == "pass":
        return Target(None, None, None)
    match = _TARGET_RE.fullmatch(text)
    if match is None:
        raise ValueError(f"{text!r} is not an evaluable target: use {TARGET_FORMS}")
    op = _OPS.get(match["op"], match["op"])
    return Target(op, float(match["num"].replace(",", "")), _unit(match["pre"], match["unit"]))


def parse_result(value: str | float) -> Measured:
    """A number (in the target's unit), a number with a unit, or ``pass``/``fail`` (a note may follow)."""
    if isinstance(value, int | float):
        return Measured(float(value), None, None)
    verdict = _VERDICT_RE.fullmatch(value)
    if verdict is not None:
        return Measured(None, None, verdict["verdict"].lower() == "pass")
    match = _RESULT_RE.fullmatch(value)
    if match is None:
        raise ValueError(
            f"{value!r} is not a result: give a number, a number with the target's unit, or pass/fail"
        )
    return Measured(float(match["num"].replace(",", "")), _unit(match["pre"], match["unit"]), None)


def convert(number: float, unit: str | None, into: str | None) -> float:
    """``number`` in ``unit`` expressed in ``into``; ValueError when the units do not convert."""
    if unit is None or into is None or unit.lower() == into.lower():
        return number
    a, b = _UNITS.get(unit.lower()), _UNITS.get(into.lower())
    if a is None or b is None or a[0] != b[0]:
        raise ValueError(f"result in '{unit}' cannot be compared with a target in '{into}'")
    return number * a[1] / b[1]


def evaluate(target: Target, result: Measured | None) -> Outcome:
    """Whether a result meets its target; ``pending`` without a result."""
    if result is None:
        return "pending"
    if target.op is None:
        if result.passed is None:
            raise ValueError("a pass target needs a pass or fail result")
        return "met" if result.passed else "missed"
    if result.number is None or target.number is None:
        raise ValueError(f"a target '{target.op} {target.number:g}' needs a measured number, not pass/fail")
    value, goal = convert(result.number, result.unit, target.unit), target.number
    tolerance = 1e-9 * max(1.0, abs(goal))
    met = {
        ">=": value >= goal - tolerance,
        "<=": value <= goal + tolerance,
        ">": value > goal,
        "<": value < goal,
        "=": abs(value - goal) <= tolerance,
    }[target.op]
    return "met" if met else "missed"


# --- the models ----------------------------------------------------------------------------------------


def _target(value: Any) -> str:
    """The target as text; whether it can be evaluated is `validate`'s warning (:func:`check_poc`), so that
    a file written before targets had to be evaluable still loads (and its old revisions can be diffed)."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        value = str(value)
    return text(value)


def _result(value: Any) -> str | float | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        raise problem(f"must be a number or text, not {describe(value)}")
    return value if isinstance(value, str) else number(value)


class SuccessCriterion(Strict):
    """A measurable PoC success criterion with an evaluable target."""

    metric: Text = Field(description="What is measured.")
    criterion: Text | None = Field(
        None,
        description="The catalog criterion this measurement tests (a missed target on a gated one stops).",
    )
    target: Annotated[str, BeforeValidator(_target), WithJsonSchema({"type": "string"})] = Field(
        description=f"The target: {TARGET_FORMS}."
    )
    method: Text | None = Field(None, description="How it is measured.")
    result: Annotated[
        str | float | None, BeforeValidator(_result), WithJsonSchema({"type": ["string", "number", "null"]})
    ] = Field(
        None,
        description="The measured result: a number (in the target's unit), a number with a unit, or "
        "pass/fail (a note may follow, 'fail: reason'); null until measured.",
    )

    @property
    def result_text(self) -> str | None:
        """The result as written: text as is, a number without a trailing ".0"."""
        if self.result is None or isinstance(self.result, str):
            return self.result
        return f"{self.result:.12g}"

    @property
    def outcome(self) -> Outcome:
        """Met, missed or pending; a target or result that cannot be evaluated counts as pending (and
        `validate` warns about it)."""
        return self.outcome_or_problem()[0]

    def outcome_or_problem(self) -> tuple[Outcome, str | None]:
        """The outcome, and why it cannot be evaluated (None when it can)."""
        try:
            target = parse_target(self.target)
        except ValueError as error:
            return "pending", str(error)
        try:
            return evaluate(target, None if self.result is None else parse_result(self.result)), None
        except ValueError as error:
            return "pending", str(error)


class PocResult(Strict):
    """A score measured in the PoC for one criterion: evidence of level `poc`."""

    score: Annotated[float, Field(ge=0, le=5), BeforeValidator(rubric_score)] | None = Field(
        None, description="Rubric criteria: 0..5, halves allowed."
    )
    value: Number | None = Field(
        None, description="Metric criteria: the measured value in the criterion's unit."
    )
    evidence: Text | None = Field(None, description="What was run and measured.")
    date: Date = Field(description="When it was measured (YYYY-MM-DD).")

    @model_validator(mode="after")
    def _one_of(self) -> PocResult:
        if (self.score is None) == (self.value is None):
            raise problem("give either 'score' (rubric) or 'value' (metric)")
        return self

    @property
    def given(self) -> float:
        """The number given, whichever key holds it."""
        return self.score if self.score is not None else self.value  # type: ignore[return-value]


class Poc(Strict):
    """The proof-of-concept record and plan."""

    status: PocStatus = Field(description="Where the PoC stands: planned | running | done | stopped.")
    owner: Text | None = Field(None, description="Who runs the PoC.")
    start: Date | None = Field(None, description="Start date (YYYY-MM-DD).")
    timebox_weeks: Annotated[int, Field(gt=0, le=52)] | None = Field(None, description="Timebox in weeks.")
    decision_date: Date | None = Field(
        None, description="When the forum decides on the outcome (YYYY-MM-DD)."
    )
    cost: Text | None = Field(
        None, description="Budgeted cost of the PoC, e.g. 'USD 40,000 (licences, cloud)'."
    )
    environment: Text | None = Field(None, description="Where it runs, e.g. 'bank VPC sandbox, eu-west-1'.")
    data_classification: Text | None = Field(
        None, description="The highest class of data the PoC may use, e.g. 'masked confidential'."
    )
    success_criteria: list[SuccessCriterion] = Field(
        default_factory=list, description="Measurable success criteria agreed before the start."
    )
    results: dict[str, PocResult] = Field(
        default_factory=dict,
        description="Criterion id -> the score or value measured in the PoC; it replaces the assessors' "
        "median for that criterion.",
    )


# --- status --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Stage:
    """Where a PoC stands on a date: its state, and for a running one the week it is in."""

    state: Literal["planned", "running", "overrun", "done", "stopped"]
    week: int | None  # the week the PoC is in (1 on its start date), when running with a start date
    weeks: int | None  # its timebox


def stage(poc: Poc, as_of: dt.date) -> Stage:
    """A running PoC is in week ``days // 7 + 1`` of its timebox; past the timebox it is overrun."""
    if poc.status != "running" or poc.start is None:
        return Stage(poc.status, None, poc.timebox_weeks)
    week = max(1, (as_of - poc.start).days // 7 + 1)
    overrun = poc.timebox_weeks is not None and week > poc.timebox_weeks
    return Stage("overrun" if overrun else "running", week, poc.timebox_weeks)


def has_results(poc: Poc) -> bool:
    """Whether anything was measured: a result on a success criterion, or a score in `results`."""
    return bool(poc.results) or any(s.result is not None for s in poc.success_criteria)


def _parses(target: str) -> bool:
    try:
        parse_target(target)
    except ValueError:
        return False
    return True


def check_poc(vendor: Vendor, catalog: Catalog, as_of: dt.date, c: Collector) -> None:
    """Criterion ids of the poc block against the catalog; an overrun, or a done PoC without results."""
    from evaltool import wording
    from evaltool.problems import suggest

    poc = vendor.poc
    if poc is None:
        return
    criteria = catalog.criterion_map()
    for key, entry in poc.results.items():
        criterion = criteria.get(key)
        loc = ("poc", "results", key)
        if criterion is None:
            c.add(loc, f"unknown criterion '{key}'" + suggest(key, criteria))
        elif criterion.is_metric and entry.score is not None:
            c.add((*loc, "score"), f"'{key}' is a metric criterion: give its measured 'value', not a 'score'")
        elif not criterion.is_metric and entry.value is not None:
            c.add((*loc, "value"), f"'{key}' is a rubric criterion: give a 'score' 0..5, not a 'value'")
    for i, success in enumerate(poc.success_criteria):
        _, why = success.outcome_or_problem()
        if why is not None:
            target_ok = _parses(success.target)
            c.add(
                ("poc", "success_criteria", i, "target" if not target_ok else "result"),
                wording.poc_unevaluable(why),
                warning=True,
                code="poc-unevaluable",
            )
        if success.criterion is not None and success.criterion not in criteria:
            name = success.criterion
            c.add(
                ("poc", "success_criteria", i, "criterion"),
                f"unknown criterion '{name}'" + suggest(name, criteria),
            )
    now = stage(poc, as_of)
    if now.state == "overrun":
        c.add(("poc", "status"), wording.poc_overrun(now), warning=True, code="poc-overrun")
    if poc.status == "done" and not has_results(poc):
        c.add(("poc", "status"), wording.POC_NO_RESULTS, warning=True, code="poc-no-results")


# --- scores measured in the PoC ----------------------------------------------------------------------------


def measured(vendor: Vendor, criterion_id: str) -> PocResult | None:
    """The PoC's measurement of a criterion, which takes precedence over the assessors' scores."""
    return vendor.poc.results.get(criterion_id) if vendor.poc is not None else None


def assessors_median(vendor: Vendor, criterion_id: str) -> float | None:
    """What the assessors gave a criterion (their median), before a PoC measurement replaced it."""
    values = []
    for _, scores in vendor.all_assessments():
        cell = scores.get(criterion_id)
        given = getattr(cell, "given", cell)
        if isinstance(given, int | float):
            values.append(float(given))
    return statistics.median(values) if values else None


# --- the outcome and what it does to the recommendation -----------------------------------------------------


@dataclass(frozen=True)
class Check:
    """One success criterion with its outcome."""

    metric: str
    target: str
    result: str | None
    outcome: Outcome
    criterion: str | None
    gated: bool


@dataclass(frozen=True)
class Moved:
    """A score the PoC measured: the assessors' median it replaced and the measurement."""

    criterion: str
    before: float | None
    after: float
    date: dt.date


@dataclass(frozen=True)
class PocOutcome:
    """What a vendor's PoC says: its stage, each success criterion's outcome, the scores it measured."""

    stage: Stage
    checks: tuple[Check, ...]
    moved: tuple[Moved, ...]

    @property
    def missed(self) -> tuple[Check, ...]:
        """Success criteria whose result misses the target."""
        return tuple(c for c in self.checks if c.outcome == "missed")

    @property
    def stopping(self) -> tuple[Check, ...]:
        """Missed targets on criteria that carry a gate: the vendor does not proceed."""
        return tuple(c for c in self.missed if c.gated)

    @property
    def all_met(self) -> bool:
        """A done PoC whose every success criterion (at least one) met its target."""
        return (
            self.stage.state == "done" and bool(self.checks) and all(c.outcome == "met" for c in self.checks)
        )


def outcome(v: VendorResult, gates: Mapping[str, float], as_of: dt.date) -> PocOutcome | None:
    """The vendor's PoC outcome (None without a poc block)."""
    poc = v.vendor.poc
    if poc is None:
        return None
    checks = tuple(
        Check(
            s.metric,
            s.target,
            s.result_text,
            s.outcome,
            s.criterion,
            s.criterion in gates,
        )
        for s in poc.success_criteria
    )
    moved = tuple(
        Moved(key, assessors_median(v.vendor, key), entry.given, entry.date)
        for key, entry in poc.results.items()
        if key in v.cells
    )
    return PocOutcome(stage(poc, as_of), checks, moved)


def can_measure(criterion: Criterion) -> bool:
    """A criterion a PoC can measure: a metric, or one the catalog gives a `poc_check`."""
    return criterion.is_metric or criterion.poc_check is not None


# --- the report's PoC section ------------------------------------------------------------------------------


@dataclass(frozen=True)
class PocView:
    """One vendor's PoC as the report shows it: where it stands, its plan's facts and its outcomes."""

    vendor: str
    segment: str
    state: str  # planned | running | overrun | done | stopped
    stage: str  # "running, week 5 of 6"
    facts: tuple[tuple[str, str], ...]  # owner, start, timebox, decision date, cost, environment, data
    targets: tuple[tuple[str, str, str, str], ...]  # metric, target, result, outcome
    measured: tuple[str, ...]  # the scores it measured, each with the assessors' median it replaced
    effect: str  # the decision and ring it led to


def report_view(evaluation: Evaluation, segments: list[str]) -> tuple[PocView, ...]:
    """Every vendor of the segments with a poc block: planned, running (week n of m) or done, with
    outcomes (docs/scoring.md#the-poc-loop)."""
    from evaltool import wording

    views = []
    criteria = {k.id: k for k in evaluation.result.criteria}
    for v in evaluation.result.vendors():
        rec = evaluation.recommendations[v.id]
        poc, out = v.vendor.poc, rec.poc
        if v.segment not in segments or poc is None or out is None:
            continue
        facts = (
            ("owner", poc.owner), ("start", poc.start and poc.start.isoformat()),
            ("timebox", poc.timebox_weeks and f"{poc.timebox_weeks} weeks"),
            ("decision date", poc.decision_date and poc.decision_date.isoformat()), ("cost", poc.cost),
            ("environment", poc.environment), ("data", poc.data_classification),
        )  # fmt: skip
        targets = tuple((c.metric, c.target, c.result or "—", c.outcome) for c in out.checks)
        measured = tuple(wording.poc_moved(m, criteria) for m in out.moved)
        effect = (
            f"{wording.decision_text(rec.decision)}, ring {wording.ring_text(rec.ring)} ({rec.ring_reason})"
        )
        views.append(
            PocView(
                v.name, v.segment, out.stage.state, wording.poc_stage(out.stage),
                tuple((k, str(x)) for k, x in facts if x), targets, measured, effect,
            )
        )  # fmt: skip
    return tuple(views)
