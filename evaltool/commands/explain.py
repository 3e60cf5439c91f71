"""`evaltool score --explain A [--versus B]`: a score taken apart criterion by criterion."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import typer

from evaltool import fmt, wording
from evaltool.commands.options import ScoreFormat
from evaltool.errors import UsageError

if TYPE_CHECKING:
    from evaltool.scoring import Cell, ScoreResult, VendorResult


def _find(result: ScoreResult, vendor_id: str) -> VendorResult:
    try:
        return result.vendor(vendor_id)
    except KeyError:
        known = ", ".join(v.id for v in result.vendors())
        raise UsageError(f"unknown vendor '{vendor_id}' (vendors: {known})") from None


def _evidence(cell: Cell) -> str:
    parts = []
    for e in cell.evidence:
        if e.evidence is None and e.level is None:
            continue
        who = f"{e.assessor}: " if e.assessor else ""
        level = f" [{e.level}]" if e.level else ""
        stale = f" (EXPIRED {e.expires})" if e.stale else ""
        parts.append(f"{who}{e.evidence or ''}{level}{stale}")
    return " | ".join(parts)


def _raw(cell: Cell) -> str:
    if cell.raw is None:
        return "not scored"
    text = f"{cell.raw:g}"
    if cell.assessors > 1:
        text += f" (median of {cell.assessors}, spread {cell.spread:g})"
    return text


def explain_rows(result: ScoreResult, vendor: VendorResult) -> list[dict[str, Any]]:
    """Each criterion's weight, score, grade, rubric level reached and contribution to the WSM total,
    largest first."""
    names = {k.id: k for k in result.criteria}
    rows = [
        {
            "criterion": cid,
            "name": names[cid].name,
            "weight": result.setup_of(vendor.segment).weights.criteria[cid],
            "raw": cell.raw,
            "grade": cell.grade,
            "contribution": cell.contribution,
            "assessors": cell.assessors,
            "spread": cell.spread,
            "disagreement": cell.disagreement,
            "stale": cell.stale,
            "rubric": wording.rubric_anchor(names[cid], cell.raw),
            "evidence": _evidence(cell),
        }
        for cid, cell in vendor.cells.items()
    ]
    return sorted(rows, key=lambda r: (-r["contribution"], -r["weight"], r["criterion"]))


def versus_rows(result: ScoreResult, a: VendorResult, b: VendorResult) -> list[dict[str, Any]]:
    """The WSM gap between two vendors, criterion by criterion, largest difference first."""
    rows = [
        {
            "criterion": cid,
            "weight": result.setup_of(a.segment).weights.criteria[cid],
            f"grade:{a.id}": a.cells[cid].grade,
            f"grade:{b.id}": b.cells[cid].grade,
            f"contribution:{a.id}": a.cells[cid].contribution,
            f"contribution:{b.id}": b.cells[cid].contribution,
            "difference": a.cells[cid].contribution - b.cells[cid].contribution,
        }
        for cid in a.cells
    ]
    return sorted(rows, key=lambda r: (-abs(r["difference"]), r["criterion"]))


def _grade(value: float | None) -> str:
    return "-" if value is None else fmt.fixed(value, 2)


def explain_vendor(
    result: ScoreResult, vendor_id: str, versus: str | None, output_format: ScoreFormat
) -> None:
    """Print the explanation in the requested format."""
    from evaltool.commands.common import emit_csv, emit_json, emit_table

    a = _find(result, vendor_id)
    if versus is not None:
        b = _find(result, versus)
        if a.segment != b.segment:
            raise UsageError(
                f"'{a.id}' is in segment '{a.segment}' and '{b.id}' in segment '{b.segment}': vendors are "
                "ranked within their own segment, so --versus compares two vendors of the same segment"
            )
        rows = versus_rows(result, a, b)
        total = sum(r["difference"] for r in rows)
        if output_format is ScoreFormat.json:
            emit_json({"vendor": a.id, "versus": b.id, "method": "wsm", "gap": total, "criteria": rows})
        elif output_format is ScoreFormat.csv:
            emit_csv(rows)
        else:
            table = [
                [r["criterion"], fmt.pct(r["weight"]), _grade(r[f"grade:{a.id}"]), _grade(r[f"grade:{b.id}"]),
                 fmt.fixed(r["difference"], 2, sign=True)]
                for r in rows
            ]  # fmt: skip
            gap = fmt.fixed(total, 2, sign=True)
            title = f"{a.name} vs {b.name}: WSM gap {gap} points (positive favours {a.id})"
            emit_table(
                title,
                ["criterion", "weight", f"grade {a.id}", f"grade {b.id}", "points"],
                table,
                right={1, 2, 3, 4},
                keep={0},
            )
        return
    rows = explain_rows(result, a)
    if output_format is ScoreFormat.json:
        emit_json(
            {"vendor": a.id, "method": "wsm", "score": sum(r["contribution"] for r in rows), "criteria": rows}
        )
    elif output_format is ScoreFormat.csv:
        emit_csv(rows)
    else:
        table = [
            [r["criterion"], fmt.pct(r["weight"]), _raw(a.cells[r["criterion"]]), _grade(r["grade"]),
             fmt.fixed(r["contribution"], 2), r["rubric"], ("STALE " if r["stale"] else "") + r["evidence"]]
            for r in rows
        ]  # fmt: skip
        total = sum(r["contribution"] for r in rows)
        closeness = fmt.score(a.score, "topsis")
        note = "" if result.method == "wsm" else f" (contributions are WSM; TOPSIS closeness {closeness})"
        title = f"{a.name} ({a.id}), {a.segment}: WSM {fmt.points(total)}{note}"
        emit_table(
            title,
            ["criterion", "weight", "score", "grade", "points", "rubric", "evidence"],
            table,
            right={1, 3, 4},
            keep={0},
        )
        if not a.eligible:
            typer.echo(wording.not_eligible(a))
