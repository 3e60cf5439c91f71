"""The scorecard as one tidy CSV table: a row per vendor and criterion, the columns of CSV_COLUMNS.

Floats are written with ``repr``, so they read back as the same doubles. Spreadsheet safety (SECURITY.md,
"Spreadsheets"; OWASP CSV injection): a text cell that begins with ``=``, ``+``, ``-``, ``@``, a tab or a
carriage return is prefixed with ``'`` (:func:`evaltool.serialize.spreadsheet_safe`).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import math
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any

from evaltool.commercial import Commercial, commercial_json
from evaltool.reports.scorecard.fields import CSV_COLUMNS
from evaltool.serialize import relative_grading, spreadsheet_safe

if TYPE_CHECKING:
    from evaltool.evaluation import Evaluation
    from evaltool.scoring import Evidence


def _joined(entries: Iterable[Evidence], part: Callable[[Evidence], Any]) -> str:
    texts = []
    for e in entries:
        value = part(e)
        if value is None or value == "":
            continue
        text = value.isoformat() if isinstance(value, dt.date) else str(value)
        texts.append(f"{e.assessor}: {text}" if e.assessor else text)
    return " | ".join(texts)


def commercial_columns(block: Commercial | None) -> dict[str, Any]:
    """The vendor's commercial fields as CSV columns (the same on each of its rows), blank without a block."""
    data = commercial_json(block) or {}
    contract = data.get("contract") or {}
    years = " | ".join(f"{y['year']}: {y['total']!r}" for y in data.get("tco", []))
    return {
        "supplier_id": data.get("supplier_id"),
        "currency": data.get("currency"),
        "pricing_model": data.get("pricing_model"),
        "tco_by_year": years,
        "tco_total": data.get("tco_total"),
        "contract_start": contract.get("start"),
        "term_months": contract.get("term_months"),
        "renewal": contract.get("renewal"),
        "notice_days": contract.get("notice_days"),
        "notice_deadline": contract.get("notice_deadline"),
        "liability_cap": contract.get("liability_cap"),
        "indemnities": ";".join(contract.get("indemnities", [])),
        "discount_pct": contract.get("discount_pct"),
    }


def csv_rows(evaluation: Evaluation) -> list[dict[str, Any]]:
    """One row per vendor x criterion, with the columns of :data:`CSV_COLUMNS` (values not yet made safe)."""
    result, p = evaluation.result, evaluation.provenance
    category_of = {k.id: c for c in result.catalog.categories for k in c.criteria}
    stamp = {
        "method": p.method,
        "as_of": p.as_of,
        "tool_version": p.tool_version,
        "generated_at": p.generated_at,
        "input_sha256": p.input_sha256,
    }
    rows = []
    for v in result.vendors():
        advice = evaluation.recommendations[v.id]
        gates = {g.criterion: g for g in v.gates}
        relative = set(relative_grading(result.criteria, v))
        terms = commercial_columns(v.vendor.commercial)
        setup = result.setup_of(v.segment)  # the weights and profile of the vendor's own segment
        for k in result.criteria:
            cell, gate = v.cells[k.id], gates.get(k.id)
            rows.append({
                "segment": v.segment, "vendor_id": v.id, "vendor_name": v.name, "rank": v.rank,
                "eligible": v.eligible, "score": v.score, "coverage": v.coverage,
                "failed_gates": ";".join(v.failed_gates), "decision": advice.decision, "ring": advice.ring,
                "category_id": category_of[k.id].id, "category_name": category_of[k.id].name,
                "criterion_id": k.id, "criterion_name": k.name, "type": k.type, "unit": k.unit,
                "weight": setup.weights.criteria[k.id],
                "gate": None if gate is None else gate.threshold,
                "gate_passed": None if gate is None else gate.passed,
                "raw": cell.raw, "grade": cell.grade, "contribution": cell.contribution,
                "assessors": cell.assessors, "spread": cell.spread, "disagreement": cell.disagreement,
                "stale": cell.stale,
                "assessor_names": " | ".join(e.assessor for e in cell.evidence if e.assessor),
                "evidence": _joined(cell.evidence, lambda e: e.evidence),
                "levels": _joined(cell.evidence, lambda e: e.level),
                "sources": _joined(cell.evidence, lambda e: e.source),
                "expires": _joined(cell.evidence, lambda e: e.expires),
                "profile": setup.profile_id, **stamp, "relative_grading": k.id in relative, **terms,
            })  # fmt: skip
    return rows


def _csv_value(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ValueError(f"cannot export the non-finite number {value!r}")
        return repr(value)
    return spreadsheet_safe(value)


def to_csv(evaluation: Evaluation, *, bom: bool = True) -> str:
    """The tidy table as CSV (RFC 4180: CRLF, quoted as needed), for pandas and Excel alike.

    Floats are written with repr so they read back exactly; text that a spreadsheet would run as a
    formula is neutralised. With ``bom`` (default) the text starts with U+FEFF, so that Excel reads
    it as UTF-8 (pandas and ``encoding="utf-8-sig"`` skip it).
    """
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for row in csv_rows(evaluation):
        writer.writerow([_csv_value(row[column]) for column in CSV_COLUMNS])
    return ("\ufeff" if bom else "") + out.getvalue()
