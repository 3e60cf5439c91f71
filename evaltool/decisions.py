"""Decision records: what the governance forum decided about a segment, bound to the inputs it saw.

A record is ``decisions/<id>.yaml`` in the workspace (docs/formats.md#decision-records). Records are not
scoring inputs: they are read beside the catalog, profiles and vendors, but left out of the input SHA-256,
so adding one changes no score and no hash. A record's ``evaluation_sha256`` is the ``input_sha256`` of
the evaluation the forum decided on; the record is *current* while the inputs still hash to it.

The latest record of a segment (latest ``date``, then the greater id) is the one in force: `validate`
warns when its inputs changed, a condition is overdue or its review date has passed; the records it
superseded are history and draw no warning.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Literal

from pydantic import BeforeValidator, Field

from evaltool import wording
from evaltool.models import Catalog, Date, Id, Strict, Text, Vendor, problem
from evaltool.problems import Collector, suggest

if TYPE_CHECKING:
    from evaltool.evaluation import Evaluation

Outcome = Literal["approved", "approved-with-conditions", "rejected", "deferred"]
"""What the forum decided."""
OUTCOMES: tuple[Outcome, ...] = ("approved", "approved-with-conditions", "rejected", "deferred")
FOLDER = "decisions"
SHA256_PATTERN = r"^[0-9a-f]{64}$"
_SHA256_RE = re.compile(SHA256_PATTERN)


def _sha256(value: Any) -> str:
    if not isinstance(value, str) or not _SHA256_RE.match(value):
        shown = repr(value) if isinstance(value, str) else type(value).__name__
        if isinstance(value, str) and len(shown) > 40:
            shown = shown[:37] + "..."
        raise problem(f"must be the 64 lowercase hexadecimal digits of an input_sha256 (quoted), not {shown}")
    return value


Sha256 = Annotated[str, Field(pattern=SHA256_PATTERN), BeforeValidator(_sha256)]


class Condition(Strict):
    """A condition the forum attached to its decision."""

    text: Text = Field(description="What must be done.")
    owner: Text = Field(description="Who is accountable for it.")
    due: Date = Field(description="By when (YYYY-MM-DD); past it and not met, the condition is overdue.")
    met: Date | None = Field(None, description="When the condition was met (YYYY-MM-DD), once it is.")


class Approver(Strict):
    """Someone who approved the decision."""

    name: Text = Field(description="Name of the approver.")
    role: Text = Field(description="Their role, e.g. Chief Architect.")
    date: Date = Field(description="When they approved (YYYY-MM-DD).")


class Decision(Strict):
    """The forum's decision on a segment (decisions/<id>.yaml)."""

    id: Id = Field(description="Decision id; equals the file name without extension.")
    segment: Text = Field(description="The segment decided on.")
    date: Date = Field(description="Date of the forum's decision (YYYY-MM-DD).")
    forum: Text = Field(description="The forum that decided, e.g. Architecture governance forum.")
    outcome: Outcome = Field(description="approved | approved-with-conditions | rejected | deferred.")
    vendor: Id | None = Field(
        None, description="The vendor decided on (required when approved); a vendor of the segment."
    )
    conditions: list[Condition] = Field(
        default_factory=list, description="Conditions attached (approved-with-conditions needs one)."
    )
    approvers: list[Approver] = Field(default_factory=list, description="Who approved, in what role, when.")
    evaluation_sha256: Sha256 = Field(
        description="The input_sha256 of the evaluation decided on (`evaltool new decision` writes it)."
    )
    next_review: Date | None = Field(None, description="When the forum reviews the decision (YYYY-MM-DD).")
    notes: Text | None = Field(None, description="The forum's reasoning, in a sentence or two.")


# --- which record is in force ------------------------------------------------------------------------------


def latest(decisions: Iterable[Decision], segment: str) -> Decision | None:
    """The segment's record in force: the latest date, then the greater id; None when there is none."""
    found = [d for d in decisions if d.segment == segment]
    return max(found, key=lambda d: (d.date, d.id)) if found else None


def is_current(decision: Decision, input_sha256: str) -> bool:
    """True while the inputs still hash to what the forum decided on."""
    return decision.evaluation_sha256 == input_sha256


def overdue(decision: Decision, as_of: dt.date) -> list[Condition]:
    """The conditions past their due date (as of `as_of`) and not met."""
    return [c for c in decision.conditions if c.met is None and c.due < as_of]


# --- checks ------------------------------------------------------------------------------------------------


def check_decisions(
    found: Sequence[tuple[Decision, Collector]],
    catalog: Catalog,
    vendors: Sequence[Vendor],
    as_of: dt.date,
    input_sha256: str,
) -> None:
    """Each record against the catalog and the vendors; the warnings of each segment's record in force."""
    segments = catalog.segments or sorted({v.segment for v in vendors})
    by_id = {v.id: v for v in vendors}
    seen: dict[str, str] = {}
    for decision, c in found:
        stem = Path(c.path).stem
        if decision.id != stem:
            c.add(("id",), f"id '{decision.id}' must equal the file name '{stem}'")
        if decision.id in seen:
            c.add(("id",), f"decision id '{decision.id}' is also used by {seen[decision.id]}")
        seen.setdefault(decision.id, c.path)
        _check_segment_and_vendor(decision, segments, by_id, c)
        _check_outcome(decision, c)
        _check_dates(decision, c)
    decisions = [d for d, _ in found]
    for decision, c in found:
        if latest(decisions, decision.segment) is decision:
            _warn(decision, as_of, input_sha256, c)


def _check_segment_and_vendor(
    decision: Decision, segments: Sequence[str], vendors: Mapping[str, Vendor], c: Collector
) -> None:
    if decision.segment not in segments:
        known = ", ".join(segments) or "none"
        c.add(
            ("segment",),
            f"unknown segment '{decision.segment}' (segments: {known})" + suggest(decision.segment, segments),
        )
    if decision.vendor is None or decision.segment not in segments:
        return  # a vendor is checked against a known segment only
    vendor = vendors.get(decision.vendor)
    if vendor is None:
        c.add(("vendor",), f"unknown vendor '{decision.vendor}'" + suggest(decision.vendor, vendors))
    elif vendor.segment != decision.segment:
        c.add(
            ("vendor",),
            f"vendor '{vendor.id}' is in segment '{vendor.segment}', not '{decision.segment}'",
        )


def _check_outcome(decision: Decision, c: Collector) -> None:
    if decision.outcome in ("approved", "approved-with-conditions") and decision.vendor is None:
        c.add(("outcome",), f"{decision.outcome} needs the vendor approved: add 'vendor'")
    if decision.outcome == "approved-with-conditions" and not decision.conditions:
        c.add(("outcome",), "approved-with-conditions needs at least one condition under 'conditions'")


def _check_dates(decision: Decision, c: Collector) -> None:
    if decision.next_review is not None and decision.next_review <= decision.date:
        c.add(
            ("next_review",),
            f"next_review {decision.next_review} must be after the decision's date {decision.date}",
        )
    for i, condition in enumerate(decision.conditions):
        if condition.due < decision.date:
            c.add(
                ("conditions", i, "due"),
                f"due {condition.due} is before the decision's date {decision.date}",
            )


def _warn(decision: Decision, as_of: dt.date, input_sha256: str, c: Collector) -> None:
    if not is_current(decision, input_sha256):
        c.add(("evaluation_sha256",), wording.inputs_changed(decision.id, decision.date),
              warning=True, code="decision-stale")  # fmt: skip
    for i, condition in enumerate(decision.conditions):
        if condition in overdue(decision, as_of):
            c.add(("conditions", i, "due"), wording.condition_overdue(condition.owner, condition.due, as_of),
                  warning=True, code="decision-overdue")  # fmt: skip
    if decision.next_review is not None and decision.next_review < as_of:
        c.add(("next_review",), wording.review_passed(decision.id, decision.next_review, as_of),
              warning=True, code="decision-review")  # fmt: skip


# --- the report's status and decision section --------------------------------------------------------------


@dataclass(frozen=True)
class ConditionView:
    """One condition as the outputs show it."""

    text: str
    owner: str
    due: str
    state: str  # "met 2026-12-01" | "overdue" | "open"
    overdue: bool


@dataclass(frozen=True)
class SegmentDecision:
    """The record in force for one segment, as the report and the dashboard show it."""

    segment: str
    status: str  # the status line: "Approved with conditions by ..., DATE" or "Proposed"
    decided: bool
    current: bool  # the inputs still hash to what the forum saw
    id: str
    outcome: str
    vendor: str
    forum: str
    date: str
    approvers: tuple[str, ...]
    conditions: tuple[ConditionView, ...]
    next_review: str
    notes: str
    in_force: bool = True  # False: superseded by a later record of the segment


def condition_views(decision: Decision, as_of: dt.date) -> tuple[ConditionView, ...]:
    """Each condition with its state (met, overdue or open) as of `as_of`."""
    late = overdue(decision, as_of)
    return tuple(
        ConditionView(
            text=c.text,
            owner=c.owner,
            due=c.due.isoformat(),
            state=f"met {c.met}" if c.met is not None else "overdue" if c in late else "open",
            overdue=c in late,
        )
        for c in decision.conditions
    )


def segment_decision(
    decisions: Iterable[Decision],
    segment: str,
    input_sha256: str,
    as_of: dt.date,
    vendor_names: Mapping[str, str] | None = None,
) -> SegmentDecision:
    """The segment's record in force as plain values (Proposed when there is none); the vendor by its
    name when `vendor_names` knows it."""
    decision = latest(decisions, segment)
    if decision is None:
        none = wording.forum_status(None)
        return SegmentDecision(segment, none, False, False, "", "", "", "", "", (), (), "", "")
    return _view(decision, input_sha256, as_of, vendor_names or {}, in_force=True)


def decision_log(
    decisions: Iterable[Decision],
    segment: str,
    input_sha256: str,
    as_of: dt.date,
    vendor_names: Mapping[str, str] | None = None,
) -> tuple[SegmentDecision, ...]:
    """Every record of the segment, newest first: the one in force, then those it superseded."""
    found = sorted((d for d in decisions if d.segment == segment), key=lambda d: (d.date, d.id), reverse=True)
    names = vendor_names or {}
    return tuple(_view(d, input_sha256, as_of, names, in_force=i == 0) for i, d in enumerate(found))


def _view(
    decision: Decision, input_sha256: str, as_of: dt.date, vendor_names: Mapping[str, str], *, in_force: bool
) -> SegmentDecision:
    current = is_current(decision, input_sha256)
    return SegmentDecision(
        segment=decision.segment,
        status=wording.forum_status(decision, current),
        decided=True,
        current=current,
        id=decision.id,
        outcome=wording.outcome_label(decision.outcome),
        vendor=vendor_names.get(decision.vendor or "", decision.vendor or ""),
        forum=decision.forum,
        date=decision.date.isoformat(),
        approvers=tuple(wording.approver_text(a) for a in decision.approvers),
        conditions=condition_views(decision, as_of),
        next_review=decision.next_review.isoformat() if decision.next_review else "",
        notes=decision.notes or "",
        in_force=in_force,
    )


def report_decisions(evaluation: Evaluation, segments: Sequence[str]) -> tuple[SegmentDecision, ...]:
    """The record in force of each segment of a report, against the evaluation's inputs."""
    prov = evaluation.provenance
    as_of = dt.date.fromisoformat(prov.as_of)
    named = {v.id: v.name for v in evaluation.result.vendors()}
    return tuple(segment_decision(evaluation.decisions, s, prov.input_sha256, as_of, named) for s in segments)


def report_status(shown: Sequence[SegmentDecision]) -> str:
    """The report's status badge: one segment's status, or Proposed / per segment for several."""
    if len(shown) == 1:
        return shown[0].status
    return wording.forum_status(None) if not any(s.decided for s in shown) else "Decided per segment"


# --- the export's `decisions` ------------------------------------------------------------------------------


def decisions_json(evaluation: Evaluation) -> list[dict[str, Any]]:
    """Every record of the evaluation's segments, oldest first, each with `current` and `in_force`."""
    segments = {s.name for s in evaluation.result.segments}
    chosen = sorted((d for d in evaluation.decisions if d.segment in segments), key=lambda d: (d.date, d.id))
    sha = evaluation.provenance.input_sha256
    return [
        {
            **d.model_dump(mode="json"),
            "current": is_current(d, sha),
            "in_force": latest(chosen, d.segment) is d,
        }
        for d in chosen
    ]


FIELDS: dict[str, str] = {
    "decisions": "The forum's decision records of the exported segments (decisions/*.yaml), oldest first.",
    "decisions[].id": "Decision id (the file name).",
    "decisions[].segment": "The segment decided on.",
    "decisions[].date": "Date of the decision (YYYY-MM-DD).",
    "decisions[].forum": "The forum that decided.",
    "decisions[].outcome": "approved, approved-with-conditions, rejected or deferred.",
    "decisions[].vendor": "Id of the vendor decided on, or null.",
    "decisions[].conditions": "The conditions attached.",
    "decisions[].conditions[].text": "What must be done.",
    "decisions[].conditions[].owner": "Who is accountable.",
    "decisions[].conditions[].due": "Due date (YYYY-MM-DD).",
    "decisions[].conditions[].met": "When it was met (YYYY-MM-DD), or null.",
    "decisions[].approvers": "Who approved.",
    "decisions[].approvers[].name": "Name of the approver.",
    "decisions[].approvers[].role": "Their role.",
    "decisions[].approvers[].date": "When they approved (YYYY-MM-DD).",
    "decisions[].evaluation_sha256": "The input_sha256 of the evaluation decided on.",
    "decisions[].next_review": "Review date (YYYY-MM-DD), or null.",
    "decisions[].notes": "The forum's reasoning, or null.",
    "decisions[].current": "true when evaluation_sha256 equals this export's provenance.input_sha256.",
    "decisions[].in_force": "true for the segment's latest record (latest date, then greater id).",
}


# --- a new record ------------------------------------------------------------------------------------------

REVIEW_AFTER = dt.timedelta(days=91)  # a quarter: the forum's usual cycle
DEFAULT_FORUM = "Architecture governance forum"


def default_id(segment: str, date: dt.date) -> str:
    """<segment as lowercase words joined by '-'>-<date>: one record per segment and forum meeting."""
    words = re.sub(r"[^a-z0-9]+", "-", segment.lower()).strip("-")[:53].strip("-") or "segment"
    return f"{words}-{date.isoformat()}"


def decision_template(
    decision_id: str,
    segment: str,
    date: dt.date,
    *,
    forum: str,
    outcome: Outcome,
    vendor: str | None,
    vendor_note: str,
    input_sha256: str,
) -> str:
    """A decision record bound to `input_sha256`, with commented placeholders for conditions and approvers.

    It validates as written unless the outcome needs more (approved-with-conditions: a condition; an
    approval: the vendor), and then `evaltool validate` says which line to complete.
    """
    review = date + REVIEW_AFTER
    lines = [
        "# yaml-language-server: $schema=../schemas/decision.schema.json",
        "# Decision record created by `evaltool new decision`. evaluation_sha256 binds it to the inputs the",
        "# forum saw: `evaltool validate` warns once they change (docs/formats.md#decision-records).",
        f"id: {decision_id}",
        f"segment: {_quote(segment)}",
        f"date: {date.isoformat()}",
        f"forum: {_quote(forum)}",
        f"outcome: {outcome}  # {' | '.join(OUTCOMES)}",
        f"vendor: {vendor if vendor is not None else 'null'}  # {vendor_note}",
        "conditions: []",
        "# conditions:",
        '#   - text: "What must be done before or during the PoC"',
        '#     owner: "Who is accountable"',
        f"#     due: {review.isoformat()}",
        "approvers: []",
        "# approvers:",
        f'#   - {{name: "Name", role: "Role", date: {date.isoformat()}}}',
        f'evaluation_sha256: "{input_sha256}"',
        f"next_review: {review.isoformat()}",
        "# notes: The forum's reasoning, in a sentence or two.",
    ]
    return "\n".join(lines) + "\n"


def _quote(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)
