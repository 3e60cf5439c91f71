"""What changed between two scorings of a workspace, and why (docs/scoring.md#changes-between-two-revisions).

Pure: two :class:`ScoreResult` values in, a :class:`Diff` out. Per vendor: score, rank and eligibility
before and after, and the causes: scores or values changed, assessors added or removed, evidence changed,
expired or renewed, gates passed or failed. Across the workspace: vendors added and removed, effective
weights and gates changed, criteria added and removed. Under WSM each vendor's score change is split into
the part the weights explain and the part the scores explain:

    weights = S(new weights, old grades) - S(old weights, old grades)
    scores  = S(new weights, new grades) - S(new weights, old grades)

so the two add up to the change exactly.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

import numpy as np

from evaltool import fmt, methods, wording
from evaltool.models import Method
from evaltool.scoring import Cell, Evidence, ScoreResult, Setup, VendorResult

if TYPE_CHECKING:
    from evaltool.history import Side

ChangeKind = Literal[
    "score",
    "value",
    "assessor-added",
    "assessor-removed",
    "evidence-changed",
    "evidence-expired",
    "evidence-renewed",
    "gate-passed",
    "gate-failed",
    "segment",
]
SAME = 1e-12  # differences below this are rounding, not change


@dataclass(frozen=True)
class Change:
    """One cause of a vendor's movement."""

    kind: ChangeKind
    criterion: str | None = None
    old: float | str | None = None
    new: float | str | None = None
    assessor: str | None = None
    reason: str | None = None  # a gate's verdict in words, for gate-passed and gate-failed


@dataclass(frozen=True)
class Attribution:
    """A WSM score change split into what the weights and what the scores explain (points)."""

    weights: float
    scores: float


@dataclass(frozen=True)
class VendorDiff:
    """One vendor present on both sides."""

    id: str
    name: str
    segment: str
    score: tuple[float, float]
    rank: tuple[int | None, int | None]
    eligible: tuple[bool, bool]
    changes: tuple[Change, ...]
    attribution: Attribution | None  # None under TOPSIS: its closeness is not a sum of parts

    @property
    def moved(self) -> bool:
        """Whether anything about the vendor changed."""
        old, new = self.score
        return bool(self.changes) or abs(new - old) > SAME or self.rank[0] != self.rank[1]


@dataclass(frozen=True)
class WeightChange:
    """An effective weight (a category's share or a criterion's weight) before and after."""

    id: str
    kind: Literal["category", "criterion"]
    old: float | None  # None: not in the catalog then
    new: float | None
    segment: str | None = None  # the segment it applies to; None: every segment


@dataclass(frozen=True)
class GateChange:
    """A gate before and after (None: no gate)."""

    criterion: str
    old: float | None
    new: float | None
    segment: str | None = None  # the segment it applies to; None: every segment


@dataclass(frozen=True)
class Diff:
    """Everything that changed between two scorings."""

    method: str
    vendors: tuple[VendorDiff, ...]
    added: tuple[VendorResult, ...]
    removed: tuple[VendorResult, ...]
    weights: tuple[WeightChange, ...]
    gates: tuple[GateChange, ...]
    criteria_added: tuple[str, ...]
    criteria_removed: tuple[str, ...]
    names: dict[str, str]  # criterion or category id -> name, on either side

    def segments(self) -> list[str]:
        """The segments with a vendor on either side, in the order met."""
        seen = [v.segment for v in self.vendors] + [v.segment for v in (*self.added, *self.removed)]
        return list(dict.fromkeys(seen))


def compare(old: ScoreResult, new: ScoreResult) -> Diff:
    """What changed from `old` to `new`."""
    before = {v.id: v for v in old.vendors()}
    after = {v.id: v for v in new.vendors()}
    union = _criteria(old, new)
    vendors = []
    for vid, v in after.items():
        if vid not in before:
            continue
        attribution = None
        if old.method == "wsm" and new.method == "wsm":
            w_old = _vector(old.setup_of(before[vid].segment), union)
            w_new = _vector(new.setup_of(v.segment), union)
            attribution = _attribution(before[vid], v, union, w_old, w_new, new)
        vendors.append(_vendor(before[vid], v, new, attribution))
    names = {k.id: k.name for k in (*old.criteria, *new.criteria)}
    names |= {c.id: c.name for c in (*old.catalog.categories, *new.catalog.categories)}
    return Diff(
        method=new.method,
        vendors=tuple(vendors),
        added=tuple(v for vid, v in after.items() if vid not in before),
        removed=tuple(v for vid, v in before.items() if vid not in after),
        weights=tuple(w for seg, a, b in _setups(old, new) for w in _weight_changes(a, b, seg)),
        gates=tuple(
            GateChange(k, a.gates.get(k), b.gates.get(k), seg)
            for seg, a, b in _setups(old, new)
            for k in dict.fromkeys([*a.gates, *b.gates])
            if a.gates.get(k) != b.gates.get(k)
        ),
        criteria_added=tuple(k.id for k in new.criteria if k.id not in {c.id for c in old.criteria}),
        criteria_removed=tuple(k.id for k in old.criteria if k.id not in {c.id for c in new.criteria}),
        names=names,
    )


def _criteria(old: ScoreResult, new: ScoreResult) -> list[str]:
    """Every criterion id of either side: the new catalog's order, then the removed ones."""
    return list(dict.fromkeys([*(k.id for k in new.criteria), *(k.id for k in old.criteria)]))


def _grades(v: VendorResult, union: list[str]) -> np.ndarray:
    cells = v.cells
    return np.array([[_nan(cells[k].grade) if k in cells else math.nan for k in union]])


def _nan(value: float | None) -> float:
    return math.nan if value is None else value


def _attribution(
    old: VendorResult, new: VendorResult, union: list[str], w_old: np.ndarray, w_new: np.ndarray,
    result: ScoreResult,
) -> Attribution:  # fmt: skip
    # the mixed score reads the old grades with the new weights and the new missing-data policy
    mixed = float(methods.wsm(_grades(old, union), w_new, result.missing)[0])
    return Attribution(weights=mixed - old.wsm, scores=new.wsm - mixed)


def _vector(setup: Setup, union: list[str]) -> np.ndarray:
    return np.array([setup.weights.criteria.get(k, 0.0) for k in union])


def _setups(old: ScoreResult, new: ScoreResult) -> list[tuple[str | None, Setup, Setup]]:
    """The setups to compare: one pair when each side scores every segment alike (segment None), else
    one per segment of either side (docs/scoring.md#one-profile-per-segment)."""
    if old.uniform and new.uniform:
        return [(None, old.setup, new.setup)]
    names = dict.fromkeys([*(s.name for s in new.segments), *(s.name for s in old.segments)])
    return [(name, old.setup_of(name), new.setup_of(name)) for name in names]


def _weight_changes(old: Setup, new: Setup, segment: str | None) -> list[WeightChange]:
    out = []
    for kind, a, b in (
        ("category", old.weights.categories, new.weights.categories),
        ("criterion", old.weights.criteria, new.weights.criteria),
    ):
        for key in dict.fromkeys([*b, *a]):
            x, y = a.get(key), b.get(key)
            if x is None or y is None or abs(x - y) > SAME:
                out.append(WeightChange(key, kind, x, y, segment))  # type: ignore[arg-type]
    return out


def _vendor(
    old: VendorResult, new: VendorResult, new_result: ScoreResult, attribution: Attribution | None
) -> VendorDiff:
    changes: list[Change] = []
    if old.segment != new.segment:
        changes.append(Change("segment", old=old.segment, new=new.segment))
    changes += _assessors(old, new)
    metric = {k.id for k in new_result.criteria if k.is_metric}
    for key, cell in new.cells.items():
        changes += _cell_changes(key, old.cells.get(key), cell, key in metric)
    changes += _gate_changes(old, new)
    return VendorDiff(
        id=new.id,
        name=new.name,
        segment=new.segment,
        score=(old.score, new.score),
        rank=(old.rank, new.rank),
        eligible=(old.eligible, new.eligible),
        changes=tuple(changes),
        attribution=attribution,
    )


def _assessors(old: VendorResult, new: VendorResult) -> list[Change]:
    before = [a for a, _ in old.vendor.all_assessments()]
    after = [a for a, _ in new.vendor.all_assessments()]
    return [Change("assessor-added", assessor=a) for a in after if a not in before] + [
        Change("assessor-removed", assessor=a) for a in before if a not in after
    ]


def _evidence(entries: tuple[Evidence, ...]) -> dict[str, tuple[object, ...]]:
    return {e.assessor: (e.evidence, e.level, e.source, e.expires) for e in entries}


def _cell_changes(key: str, old: Cell | None, new: Cell, metric: bool) -> list[Change]:
    out = []
    before = None if old is None else old.raw
    both = before is not None and new.raw is not None
    if before != new.raw and not (both and abs((before or 0.0) - (new.raw or 0.0)) <= SAME):
        out.append(Change("value" if metric else "score", key, before, new.raw))
    if old is None:
        return out
    was, now = _evidence(old.evidence), _evidence(new.evidence)
    if any(a in was and was[a] != now[a] for a in now):
        out.append(Change("evidence-changed", key))
    if new.stale and not old.stale:
        out.append(Change("evidence-expired", key))
    elif old.stale and not new.stale:
        out.append(Change("evidence-renewed", key))
    return out


def _gate_changes(old: VendorResult, new: VendorResult) -> list[Change]:
    """A gate absent on one side counts as passed there: what matters is whether it keeps the vendor out."""
    was = {g.criterion: g for g in old.gates}
    now = {g.criterion: g for g in new.gates}
    out = []
    for key in dict.fromkeys([*now, *was]):
        passed_before = was[key].passed if key in was else True
        passed_now = now[key].passed if key in now else True
        if passed_before != passed_now:
            before = was[key].actual if key in was else None
            after = now.get(key)
            kind: ChangeKind = "gate-passed" if passed_now else "gate-failed"
            reason = after.reason if after is not None else None
            out.append(Change(kind, key, before, None if after is None else after.actual, reason=reason))
    return out


# --- as JSON, and as the rows the table, the Markdown and the report show ---------------------------------


def _side_json(side: Side) -> dict[str, Any]:
    c = side.commit
    return {
        "revision": side.revision,
        "commit": None if c is None else c.sha,
        "date": None if c is None else c.date.isoformat(),
        "subject": None if c is None else c.subject,
        "as_of": side.workspace.as_of.isoformat(),
        "input_sha256": side.workspace.input_hash(),
    }


def _brief(v: VendorResult) -> dict[str, Any]:
    return {"id": v.id, "name": v.name, "segment": v.segment, "score": v.score, "rank": v.rank,
            "eligible": v.eligible}  # fmt: skip


def _change_json(c: Change, names: dict[str, str]) -> dict[str, Any]:
    return {"kind": c.kind, "criterion": c.criterion, "old": c.old, "new": c.new, "assessor": c.assessor,
            "text": wording.change_text(c, names)}  # fmt: skip


def diff_json(diff: Diff, old: Side, new: Side, profile: str | None) -> dict[str, Any]:
    """`evaltool diff --format json` (docs/json.md)."""
    vendors = [
        {
            "id": v.id, "name": v.name, "segment": v.segment, "score": list(v.score),
            "rank": list(v.rank), "eligible": list(v.eligible),
            "attribution": None if v.attribution is None
            else {"weights": v.attribution.weights, "scores": v.attribution.scores},
            "changes": [_change_json(c, diff.names) for c in v.changes],
        }
        for v in diff.vendors
    ]  # fmt: skip
    return {
        "old": _side_json(old),
        "new": _side_json(new),
        "profile": profile,
        "method": diff.method,
        "vendors": vendors,
        "added": [_brief(v) for v in diff.added],
        "removed": [_brief(v) for v in diff.removed],
        "weights": [
            {"id": w.id, "kind": w.kind, "old": w.old, "new": w.new, "segment": w.segment}
            for w in diff.weights
        ],
        "gates": [
            {"criterion": g.criterion, "old": g.old, "new": g.new, "segment": g.segment} for g in diff.gates
        ],
        "criteria": {"added": list(diff.criteria_added), "removed": list(diff.criteria_removed)},
    }


@dataclass(frozen=True)
class SegmentChanges:
    """One segment's rows: vendor, score, change, rank, eligibility, weights' part, scores' part, why."""

    name: str
    rows: tuple[tuple[str, ...], ...]  # the vendors that moved or whose files changed
    unchanged: tuple[str, ...]  # the other vendors present on both sides, by name
    added: tuple[str, ...]
    removed: tuple[str, ...]


@dataclass(frozen=True)
class ChangesView:
    """The "Changes since REV" section, formatted: what the report, the table and the Markdown show."""

    since: str  # the revision as given
    old: str  # the old side in words
    new: str
    catalog: tuple[str, ...]  # weights, gates and criteria that changed
    segments: tuple[SegmentChanges, ...]
    attribution: bool  # whether the rows carry the weights' and scores' parts (WSM)
    rule: str

    @property
    def header(self) -> tuple[str, ...]:
        """The column heads of a segment's rows."""
        head = ("Vendor", "Score", "Change", "Rank", "Eligible")
        return (*head, "From weights", "From scores", "Why") if self.attribution else (*head, "Why")


def _row(v: VendorDiff, method: Method, names: dict[str, str]) -> tuple[str, ...]:
    cells = (f"{v.name} ({v.id})", *wording.moved_cells(v, method))
    why = "; ".join(wording.change_text(c, names) for c in v.changes) or "no change in its own files"
    if v.attribution is None:
        return (*cells, why)
    a = v.attribution
    return (*cells, wording.signed_points(a.weights), wording.signed_points(a.scores), why)


def _one(v: VendorResult, method: Method) -> str:
    rank = f"rank {v.rank}" if v.rank is not None else wording.status_text(v)
    return f"{v.name} ({v.id}): {fmt.score(v.score, method)}, {rank}"


def changes_view(diff: Diff, old: Side, new: Side) -> ChangesView:
    """The comparison in words and rows."""
    method: Method = "wsm" if diff.method == "wsm" else "topsis"
    catalog = [wording.weight_change_text(w, diff.names) for w in diff.weights]
    catalog += [wording.gate_change_text(g, diff.names) for g in diff.gates]
    segments = tuple(
        SegmentChanges(
            name,
            tuple(_row(v, method, diff.names) for v in diff.vendors if v.segment == name and v.moved),
            tuple(v.name for v in diff.vendors if v.segment == name and not v.moved),
            tuple(_one(v, method) for v in diff.added if v.segment == name),
            tuple(_one(v, method) for v in diff.removed if v.segment == name),
        )
        for name in diff.segments()
    )
    return ChangesView(
        since=old.revision or "",
        old=_side_words(old),
        new=_side_words(new),
        catalog=tuple(catalog),
        segments=segments,
        attribution=method == "wsm",
        rule=wording.ATTRIBUTION_RULE,
    )


def _side_words(side: Side) -> str:
    c = side.commit
    if c is None:
        return wording.side_text(None, None, None, None)
    return wording.side_text(side.revision, c.short, c.date.date().isoformat(), c.subject)
