"""Regulatory traceability: the catalog's frameworks, each criterion's references to their clauses, and
the matrix of framework clause x vendor that a risk reviewer reads (docs/scoring.md#traceability).

A clause's status for a vendor is the weakest over the criteria that serve the clause; a criterion's
status is the weakest evidence among the assessors who scored it. From strongest to weakest: poc,
verified, documented, claimed (a score without a stated level counts as claimed), stale (evidence past
its expiry), missing (not scored).

The models here are pure pydantic and import nothing of evaltool's models, which import them; their value
checks are in :mod:`evaltool.values`.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Annotated, Any, Literal

from pydantic import BeforeValidator, Field, model_validator

from evaltool.values import Strict, Text, problem

if TYPE_CHECKING:
    from evaltool.models import Catalog
    from evaltool.problems import Collector
    from evaltool.scoring import Cell, ScoreResult

TraceStatus = Literal["poc", "verified", "documented", "claimed", "stale", "missing"]
STATUSES: tuple[TraceStatus, ...] = ("poc", "verified", "documented", "claimed", "stale", "missing")
"""Every status, strongest first."""
_RANK = {status: i for i, status in enumerate(STATUSES)}
MAX_FRAMEWORK_ID = 40


def _framework_id(value: Any) -> str:
    if not isinstance(value, str):
        raise problem(f"must be a framework's short name as text, not {value!r}")
    if not value.strip():
        raise problem("must not be empty")
    if value != value.strip() or len(value) > MAX_FRAMEWORK_ID or "\n" in value:
        raise problem(
            f"{value!r} is not a framework id: use one line of at most {MAX_FRAMEWORK_ID} characters, "
            "without leading or trailing spaces (e.g. DORA, OCC 2023-17)"
        )
    return value


FrameworkId = Annotated[str, BeforeValidator(_framework_id)]


class Framework(Strict):
    """A regulation or standard the catalog's criteria cite."""

    id: FrameworkId = Field(description="Short name that references cite, e.g. DORA or OCC 2023-17.")
    name: Text = Field(description="Full title of the regulation or standard.")
    url: Text | None = Field(None, description="Where the official text is.")


class Reference(Strict):
    """One clause of a declared framework that a criterion serves.

    A plain text reference (the catalog format before frameworks) is still read, with no framework: it is
    shown as written, `validate` warns about it, and it is left out of the traceability matrix.
    """

    framework: FrameworkId | None = Field(
        description="Id of one of the catalog's frameworks (null only for a legacy plain-text reference)."
    )
    clause: Text = Field(description="The article, section or control, e.g. Art. 30(2)(c).")

    @model_validator(mode="before")
    @classmethod
    def _plain_text(cls, data: Any) -> Any:
        if isinstance(data, str):
            return {"framework": None, "clause": data}
        if isinstance(data, Mapping) and data.get("framework") is None:
            raise problem("needs 'framework': the id of one of the catalog's frameworks")
        return data

    @property
    def traced(self) -> bool:
        """Whether the reference names a framework (a plain-text one does not)."""
        return self.framework is not None


# --- checks ----------------------------------------------------------------------------------------------


def suggest_framework(word: str, known: Sequence[str]) -> str:
    """' (did you mean 'DORA'?)' for 'dora' or 'DROA': framework ids are compared ignoring case."""
    by_lower = {k.lower(): k for k in known}
    close = difflib.get_close_matches(word.lower(), list(by_lower), n=1, cutoff=0.6)
    return f" (did you mean '{by_lower[close[0]]}'?)" if close else ""


def check_references(catalog: Catalog, c: Collector) -> None:
    """Framework ids declared once; every reference names a declared framework; plain text warned about."""
    declared: dict[str, int] = {}
    for i, framework in enumerate(catalog.frameworks):
        if framework.id in declared:
            c.add(("frameworks", i, "id"), f"framework '{framework.id}' is declared twice")
        declared.setdefault(framework.id, i)
    for i, category in enumerate(catalog.categories):
        for j, criterion in enumerate(category.criteria):
            for k, ref in enumerate(criterion.references):
                loc = ("categories", i, "criteria", j, "references", k)
                if ref.framework is None:
                    c.add(
                        loc,
                        f"plain-text reference {ref.clause!r} is not traced: write it as "
                        "{framework: ID, clause: ...} with ID one of the catalog's frameworks",
                        warning=True,
                        code="plain-reference",
                    )
                elif ref.framework not in declared:
                    where = (
                        "not one of the catalog's frameworks: " + ", ".join(declared)
                        if declared
                        else "not declared: list it under the catalog's 'frameworks' (id, name, url)"
                    )
                    c.add(
                        (*loc, "framework"),
                        f"framework '{ref.framework}' is {where}"
                        + suggest_framework(ref.framework, list(declared)),
                    )


# --- the matrix ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class TraceVendor:
    """A vendor as a column of the matrix."""

    id: str
    name: str
    segment: str


@dataclass(frozen=True)
class TraceRow:
    """One clause of one framework: the criteria serving it and each vendor's status."""

    framework: str
    clause: str
    criteria: tuple[str, ...]
    vendors: dict[str, TraceStatus]


@dataclass(frozen=True)
class Trace:
    """The traceability matrix: rows framework by framework (catalog order), clauses in natural order."""

    frameworks: tuple[Framework, ...]
    vendors: tuple[TraceVendor, ...]
    rows: tuple[TraceRow, ...]

    def for_framework(self, framework: str) -> list[TraceRow]:
        """The rows of one framework."""
        return [row for row in self.rows if row.framework == framework]

    def segment(self, name: str) -> list[TraceVendor]:
        """The vendors of one segment, in the matrix's order."""
        return [v for v in self.vendors if v.segment == name]


def weakest(statuses: Sequence[TraceStatus]) -> TraceStatus:
    """The weakest of some statuses ("missing" when there are none)."""
    return max(statuses, key=_RANK.__getitem__, default="missing")


def cell_status(cell: Cell) -> TraceStatus:
    """One vendor x criterion: missing when unscored, else the weakest level among the assessors who
    gave a score or value (stale when their evidence has expired, claimed when no level is stated)."""
    if cell.raw is None:
        return "missing"
    levels: list[TraceStatus] = []
    for entry in cell.evidence:
        if entry.given is None:
            continue
        level = entry.level if entry.level in _RANK else "claimed"
        levels.append("stale" if entry.stale else level)
    return weakest(levels)


def _natural(text: str) -> tuple[Any, ...]:
    """Art. 9 before Art. 10; 30(2)(b) before 30(2)(c)."""
    return tuple(int(part) if part.isdigit() else part.lower() for part in re.split(r"(\d+)", text))


def build(result: ScoreResult, segments: Sequence[str] | None = None, framework: str | None = None) -> Trace:
    """The matrix for the result's vendors (of `segments`, when given) and frameworks (one, when given)."""
    frameworks = tuple(f for f in result.catalog.frameworks if framework is None or f.id == framework)
    chosen = {f.id for f in frameworks}
    vendors = [v for v in result.vendors() if segments is None or v.segment in segments]
    served: dict[tuple[str, str], list[str]] = {}
    for criterion in result.criteria:
        for ref in criterion.references:
            if ref.framework in chosen:
                ids = served.setdefault((ref.framework, ref.clause), [])
                if criterion.id not in ids:
                    ids.append(criterion.id)
    order = {f.id: i for i, f in enumerate(frameworks)}
    rows = [
        TraceRow(
            framework=fw,
            clause=clause,
            criteria=tuple(ids),
            vendors={v.id: weakest([cell_status(v.cells[k]) for k in ids]) for v in vendors},
        )
        for (fw, clause), ids in sorted(served.items(), key=lambda i: (order[i[0][0]], _natural(i[0][1])))
    ]
    return Trace(frameworks, tuple(TraceVendor(v.id, v.name, v.segment) for v in vendors), tuple(rows))


def trace_json(trace: Trace) -> dict[str, Any]:
    """The matrix as `evaltool trace --format json` prints it (docs/json.md#evaltool-trace-format-json)."""
    return {
        "statuses": list(STATUSES),
        "frameworks": [{"id": f.id, "name": f.name, "url": f.url} for f in trace.frameworks],
        "vendors": [{"id": v.id, "name": v.name, "segment": v.segment} for v in trace.vendors],
        "rows": [
            {
                "framework": row.framework,
                "clause": row.clause,
                "criteria": list(row.criteria),
                "vendors": dict(row.vendors),
            }
            for row in trace.rows
        ],
    }


def trace_rows(trace: Trace) -> list[dict[str, object]]:
    """The matrix as CSV rows: framework, clause, criteria (space-separated ids), a column per vendor."""
    return [
        {
            "framework": row.framework,
            "clause": row.clause,
            "criteria": " ".join(row.criteria),
            **{v.id: row.vendors[v.id] for v in trace.vendors},
        }
        for row in trace.rows
    ]


# --- the report's appendix -------------------------------------------------------------------------------


@dataclass(frozen=True)
class ReportTable:
    """One segment's matrix as the report shows it: a row per clause, a column per vendor."""

    segment: str
    vendors: tuple[str, ...]  # names
    rows: tuple[tuple[str, str, str, tuple[tuple[str, str], ...]], ...]  # framework, clause, criteria, cells


@dataclass(frozen=True)
class ReportTrace:
    """The traceability appendix: the frameworks cited and one table per segment."""

    frameworks: tuple[tuple[str, str, str, bool], ...]  # id, name, url ("" if none), url is http(s)
    tables: tuple[ReportTable, ...]
    statuses: tuple[tuple[str, str], ...]  # (code, label), strongest first


def report_section(result: ScoreResult, segments: Sequence[str]) -> ReportTrace:
    """What the report's traceability appendix shows for the segments it covers."""
    from evaltool import wording

    matrix = build(result, segments)
    tables = []
    for name in segments:
        vendors = matrix.segment(name)
        rows = tuple(
            (
                row.framework,
                row.clause,
                ", ".join(row.criteria),
                tuple((row.vendors[v.id], wording.trace_status_text(row.vendors[v.id])) for v in vendors),
            )
            for row in matrix.rows
        )
        tables.append(ReportTable(name, tuple(v.name for v in vendors), rows))
    labels = tuple((s, wording.trace_status_text(s)) for s in STATUSES)
    frameworks = tuple((f.id, f.name, f.url or "", is_web_address(f.url)) for f in matrix.frameworks)
    return ReportTrace(frameworks, tuple(tables), labels)


def is_web_address(url: str | None) -> bool:
    """Whether a framework's url may be shown as a link: http(s) only, never javascript: or data:."""
    return url is not None and url.startswith(("https://", "http://")) and not any(c.isspace() for c in url)
