"""The procurement scorecard: one Evaluation as JSON, a tidy CSV and a formatted XLSX workbook.

Every number is the Evaluation's own (DESIGN §4 "the same numbers as the report, to the last digit"):
JSON and CSV write floats with ``repr`` (the shortest text that reads back as the same double), and the
workbook stores full doubles too (see :class:`_ExactWorksheet`); number formats only change what a
spreadsheet displays. Nothing is recomputed here.

Spreadsheet safety (DESIGN §7, OWASP CSV injection): in the CSV, a text cell that begins with ``=``,
``+``, ``-``, ``@``, a tab or a carriage return is prefixed with ``'`` (:func:`serialize.spreadsheet_safe`);
in the workbook every text is stored as a string cell, never a formula, and such a text also carries
Excel's quote prefix, so editing the cell does not turn it into a formula either.

The JSON document is described key by key in :data:`FIELDS`, the CSV columns in :data:`CSV_COLUMNS`.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import math
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from operator import itemgetter
from typing import TYPE_CHECKING, Any

from evaltool.recommend import rules_text
from evaltool.serialize import (
    FORMULA_START,
    RELATIVE_GRADING,
    cell_json,
    provenance_json,
    recommendation_json,
    relative_grading,
    segments_json,
    sensitivity_json,
    spreadsheet_safe,
    vendor_summary,
    weights_json,
)

if TYPE_CHECKING:
    from xlsxwriter.format import Format
    from xlsxwriter.workbook import Workbook

    from evaltool.evaluation import Evaluation
    from evaltool.models import Criterion
    from evaltool.recommend import PocPlan
    from evaltool.scoring import Evidence, ScoreResult, VendorResult

FORMAT_NAME = "evaltool-scorecard"
FORMAT_VERSION = 1

# Paths: "a.b" a nested key, "[]" the items of a list, "{}" the values of a map keyed by ids.
FIELDS: dict[str, str] = {
    "format": f'Always "{FORMAT_NAME}".',
    "format_version": "Version of this document's shape; keys are only ever added.",
    "provenance": "What the numbers rest on (DESIGN §4).",
    "provenance.tool": 'Always "evaltool".',
    "provenance.tool_version": "evaltool version that computed the numbers.",
    "provenance.generated_at": "When the evaluation ran (ISO 8601, UTC, seconds).",
    "provenance.as_of": "Date against which evidence expiry was checked (YYYY-MM-DD).",
    "provenance.workspace": "Name of the workspace folder.",
    "provenance.profile": "Profile id, or null for the catalog's own weights.",
    "provenance.method": "wsm or topsis.",
    "provenance.missing": "Missing-data policy: zero or exclude.",
    "provenance.samples": "Monte Carlo weight samples.",
    "provenance.seed": "Monte Carlo random seed.",
    "provenance.concentration": "Dirichlet concentration K of the weight samples.",
    "provenance.input_sha256": "SHA-256 over the relative paths and SHA-256s of every input file.",
    "provenance.files": "Every input file.",
    "provenance.files[].path": "Path relative to the workspace.",
    "provenance.files[].sha256": "SHA-256 of the file's bytes.",
    "catalog": "The criteria catalog.",
    "catalog.name": "The catalog's name.",
    "catalog.version": "The catalog's version string.",
    "profile": "Profile id, or null for the catalog's own weights (as in `evaltool score --format json`).",
    "profile_name": "The profile's name, or null.",
    "method": "wsm (scores are points 0..100) or topsis (closeness 0..1).",
    "missing": "Missing-data policy: zero (an unscored criterion scores 0) or exclude (reweighted).",
    "as_of": "Date against which evidence expiry was checked (YYYY-MM-DD).",
    "weights": "Effective weights and gates, as `evaltool weights --format json`.",
    "weights.profile": "Profile id, or null.",
    "weights.categories{}": "Category id -> category share of the total (the shares sum to 1).",
    "weights.criteria{}": "Criterion id -> effective weight: category share x share within (sum to 1).",
    "weights.within_category{}": "Criterion id -> share of the criterion within its category.",
    "weights.ahp": "null, or the consistency of the profile's AHP pairwise matrix.",
    "weights.ahp.lambda_max": "Principal eigenvalue of the pairwise matrix.",
    "weights.ahp.ci": "Consistency index (lambda_max - n) / (n - 1).",
    "weights.ahp.cr": "Consistency ratio CI / RI (Saaty).",
    "weights.ahp.consistent": "CR <= 0.10.",
    "weights.gates{}": "Criterion id -> gate threshold in force (after the profile's changes).",
    "categories": "The categories, in catalog order.",
    "categories[].id": "Category id.",
    "categories[].name": "Category name.",
    "categories[].weight": "Category share of the total (equals weights.categories).",
    "categories[].criteria": "Ids of the category's criteria, in catalog order.",
    "criteria": "The criteria, in catalog order.",
    "criteria[].id": "Criterion id.",
    "criteria[].name": "Criterion name.",
    "criteria[].category": "Id of the criterion's category.",
    "criteria[].type": "rubric (judged 0..5) or metric (a measured value).",
    "criteria[].unit": "Metric unit, or null.",
    "criteria[].direction": "higher or lower: which values are better (rubric scores: higher).",
    "criteria[].grading": "null (min-max across the segment's vendors) or the linear map onto 0..5.",
    "criteria[].grading.best": "Value graded 5.",
    "criteria[].grading.worst": "Value graded 0.",
    "criteria[].grading.segments{}": "Segment name -> its own grading; other segments use best and worst.",
    "criteria[].grading.segments{}.best": "Value graded 5 in that segment.",
    "criteria[].grading.segments{}.worst": "Value graded 0 in that segment.",
    "criteria[].gate": "Gate threshold in force, or null.",
    "criteria[].weight": "Effective weight (equals weights.criteria).",
    "criteria[].within_category": "Share within its category (equals weights.within_category).",
    "criteria[].references": "Regulations and standards the criterion serves.",
    "segments": "The segments compared, in catalog order; vendors are only compared within one.",
    "segments[].name": "Segment name.",
    "segments[].leader": "Id of the rank-1 vendor, or null when no vendor is ranked.",
    "segments[].tie": "true when the segment is too close to call (the leader is first in fewer than the "
    "rules' tie share of weight samples).",
    "segments[].tied": "With a tie: ids of the vendors it is between (first in at least the contender share "
    "of samples, at least two); else empty.",
    "segments[].state": "leader, tie, only-one (one eligible vendor: the choice is down to one) or none.",
    "segments[].headline": "The segment's result in one sentence, as the report and dashboard say it.",
    "segments[].vendors": "Vendor ids in order: ranked by rank, then those failing a gate by score, then "
    "those not yet assessed.",
    "vendors": "Every vendor, by segment then rank: the keys of `evaltool score --format json` and more.",
    "vendors[].id": "Vendor id.",
    "vendors[].name": "Vendor name.",
    "vendors[].segment": "The vendor's segment.",
    "vendors[].rank": "Competition rank among the segment's ranked vendors; null if not eligible or not "
    "assessed.",
    "vendors[].score": "WSM points 0..100, or TOPSIS closeness 0..1 (see method).",
    "vendors[].eligible": "Passes every gate.",
    "vendors[].status": "ranked, not-eligible (fails a gate) or not-assessed (less than the rules' share of "
    "the weight scored: never ranked, never the leader).",
    "vendors[].assessed": "Enough of the weight scored to be ranked.",
    "vendors[].unscored": "Ids of the criteria nobody has scored.",
    "vendors[].failed_gates": "Ids of the gated criteria the vendor fails.",
    "vendors[].coverage": "Effective-weight share of the criteria that have a score.",
    "vendors[].categories{}": "Category id -> category sub-score (same scale as score).",
    "vendors[].gate_results": "Every gate in force, checked for this vendor.",
    "vendors[].gate_results[].criterion": "Gated criterion id.",
    "vendors[].gate_results[].gate": "Threshold.",
    "vendors[].gate_results[].actual": "The (median) score or metric value compared, or null if unscored.",
    "vendors[].gate_results[].passed": "Whether the gate is met.",
    "vendors[].gate_results[].reason": "The comparison in words.",
    "vendors[].gate_results[].margin": "How far above (>= 0) or below the gate, or null if unscored.",
    "vendors[].stale": "Criterion ids whose evidence expired before as_of.",
    "vendors[].disagreements": "Rubric criterion ids whose assessors are 2 or more points apart.",
    "vendors[].relative_grading": "Metric criterion ids whose value is graded min-max across the segment "
    "(no fixed grading for it): adding or removing a vendor of the segment moves these grades and the score.",
    "vendors[].kind": "startup, scaleup, enterprise, open-source, or null.",
    "vendors[].declared_ring": "Radar ring declared in the vendor file, or null.",
    "vendors[].cells{}": "Criterion id -> the vendor's cell of the decision matrix (catalog order).",
    "vendors[].cells{}.criterion": "Criterion id.",
    "vendors[].cells{}.raw": "Median over the assessors (rubric score or metric value); null if unscored.",
    "vendors[].cells{}.grade": "0..5 grade used by WSM (rubric as given, metric graded); null if unscored.",
    "vendors[].cells{}.contribution": "WSM points this cell adds to the 0..100 total (also under TOPSIS).",
    "vendors[].cells{}.spread": "Max - min over the assessors' values.",
    "vendors[].cells{}.assessors": "How many assessors gave a value.",
    "vendors[].cells{}.disagreement": "A rubric cell whose spread is 2 or more.",
    "vendors[].cells{}.stale": "Some evidence for the cell expired before as_of.",
    "vendors[].cells{}.evidence": "Every assessor's entry for the cell, in file order.",
    "vendors[].cells{}.evidence[].assessor": 'Assessor; "" for a vendor\'s single top-level scores.',
    "vendors[].cells{}.evidence[].given": "The score or value given; null for `crit: null`.",
    "vendors[].cells{}.evidence[].evidence": "What the score rests on, or null.",
    "vendors[].cells{}.evidence[].level": "claimed, documented, verified, poc, or null.",
    "vendors[].cells{}.evidence[].source": "Where the evidence is, or null.",
    "vendors[].cells{}.evidence[].expires": "Evidence validity end (YYYY-MM-DD), or null.",
    "vendors[].cells{}.evidence[].stale": "expires is before as_of.",
    "sensitivity": "Rank stability, as `evaltool sensitivity --format json`, with the evaluation's method.",
    "sensitivity.profile": "Profile id, or null.",
    "sensitivity.method": "wsm or topsis: the method the samples were scored with (the evaluation's).",
    "sensitivity.samples": "Monte Carlo weight samples.",
    "sensitivity.seed": "Random seed.",
    "sensitivity.concentration": "Dirichlet concentration K.",
    "sensitivity.perturb_scores": "Whether rubric grades were also drawn within the assessors' spread.",
    "sensitivity.vendors": "Every vendor, by segment then rank.",
    "sensitivity.vendors[].id": "Vendor id.",
    "sensitivity.vendors[].segment": "The vendor's segment.",
    "sensitivity.vendors[].eligible": "Passes every gate.",
    "sensitivity.vendors[].ranked": "Assessed and eligible: only these vendors compete for a rank.",
    "sensitivity.vendors[].p_top": "Share of weight samples in which the vendor ranks first.",
    "sensitivity.vendors[].rank_probabilities": "P(rank 1), P(rank 2), ...; empty if not ranked.",
    "sensitivity.vendors[].score_interval": "5th and 95th percentile of the score over the samples (the "
    "method's scale: WSM points or TOPSIS closeness).",
    "sensitivity.vendors[].mean_score": "Mean score over the samples (the method's scale).",
    "sensitivity.flip_points": "Per segment and criterion: the weight at which the leader changes.",
    "sensitivity.flip_points[].segment": "Segment.",
    "sensitivity.flip_points[].criterion": "Criterion id whose weight moves (the others scale).",
    "sensitivity.flip_points[].weight": "Its effective weight now.",
    "sensitivity.flip_points[].leader": "Id of the segment's leader now.",
    "sensitivity.flip_points[].leader_changes_at": "Nearest weight at which another vendor leads, or null.",
    "sensitivity.flip_points[].new_leader": "Id of the vendor that then leads, or null.",
    "sensitivity.category_flip_points": "The same for category weights.",
    "sensitivity.category_flip_points[].segment": "Segment.",
    "sensitivity.category_flip_points[].category": "Category id whose weight moves.",
    "sensitivity.category_flip_points[].weight": "Its category share now.",
    "sensitivity.category_flip_points[].leader": "Id of the segment's leader now.",
    "sensitivity.category_flip_points[].leader_changes_at": "Nearest share at which another vendor leads.",
    "sensitivity.category_flip_points[].new_leader": "Id of the vendor that then leads, or null.",
    "recommendation_rules": "The recommendation rules in words (as in the README and the report).",
    "recommendations": "One per vendor, by segment then rank.",
    "recommendations[].vendor": "Vendor id.",
    "recommendations[].segment": "Segment.",
    "recommendations[].decision": "proceed, conditional or do-not-proceed.",
    "recommendations[].decision_text": "The decision in words.",
    "recommendations[].reasons": "Why.",
    "recommendations[].gaps": "What must be closed first (conditional).",
    "recommendations[].ring": "Suggested radar ring: adopt, trial, assess or hold.",
    "recommendations[].ring_reason": "Why that ring.",
    "recommendations[].poc_plan": "null unless the vendor is a PoC candidate.",
    "recommendations[].poc_plan.checks": "Measurable success criteria.",
    "recommendations[].poc_plan.checks[].metric": "What is measured.",
    "recommendations[].poc_plan.checks[].target": "The target.",
    "recommendations[].poc_plan.checks[].method": "How it is measured.",
    "recommendations[].poc_plan.checks[].source": '"vendor file" or "evidence gap".',
    "recommendations[].poc_plan.timebox_weeks": "Timebox in weeks.",
    "recommendations[].poc_plan.exit_gates": "Conditions the vendor must keep throughout the PoC, each gate "
    "as 'keep <criterion> >= <gate> (now <value>)'; failing one ends the PoC.",
    "recommendations[].poc_plan.status": "PoC status from the vendor file, or null.",
    "recommendations[].poc_plan.owner": "PoC owner from the vendor file, or null.",
    "warnings": "Warnings found when loading the workspace (expired evidence, AHP inconsistency...).",
    "warnings[].path": "File.",
    "warnings[].line": "Line.",
    "warnings[].key": "Key path in the file.",
    "warnings[].message": "The warning.",
}

CSV_COLUMNS: dict[str, str] = {
    "segment": "Segment.",
    "vendor_id": "Vendor id.",
    "vendor_name": "Vendor name.",
    "rank": "Rank among the segment's eligible vendors; empty if not eligible.",
    "eligible": "True if the vendor passes every gate.",
    "score": "Vendor score: WSM points 0..100 or TOPSIS closeness 0..1 (see method).",
    "coverage": "Effective-weight share of the criteria that have a score.",
    "failed_gates": "Failed gated criterion ids, ';'-separated.",
    "decision": "Recommendation: proceed, conditional or do-not-proceed.",
    "ring": "Suggested radar ring.",
    "category_id": "The criterion's category id.",
    "category_name": "The criterion's category name.",
    "criterion_id": "Criterion id.",
    "criterion_name": "Criterion name.",
    "type": "rubric or metric.",
    "unit": "Metric unit.",
    "weight": "Effective weight of the criterion (the column sums to 1 per vendor).",
    "gate": "Gate threshold in force; empty if the criterion has no gate.",
    "gate_passed": "Whether the vendor meets that gate; empty if no gate.",
    "raw": "Median over the assessors (rubric score or metric value); empty if unscored.",
    "grade": "0..5 grade used by WSM; empty if unscored.",
    "contribution": "WSM points the cell adds to the vendor's 0..100 total.",
    "assessors": "How many assessors gave a value.",
    "spread": "Max - min over the assessors' values.",
    "disagreement": "True for a rubric cell whose spread is 2 or more.",
    "stale": "True if some evidence expired before as_of.",
    "assessor_names": "Assessors who made an entry, ' | '-separated.",
    "evidence": "Evidence text per assessor ('assessor: text'), ' | '-separated.",
    "levels": "Evidence level per assessor, ' | '-separated.",
    "sources": "Evidence source per assessor, ' | '-separated.",
    "expires": "Evidence expiry per assessor (YYYY-MM-DD), ' | '-separated.",
    "profile": "Profile id; empty for the catalog's weights.",
    "method": "wsm or topsis.",
    "as_of": "Date against which evidence expiry was checked.",
    "tool_version": "evaltool version.",
    "generated_at": "When the evaluation ran.",
    "input_sha256": "SHA-256 over the input files.",
    "relative_grading": "True if the grade is min-max across the segment's vendors (no fixed grading): "
    "adding or removing a vendor moves it.",
}


# --- JSON ----------------------------------------------------------------------------------------------


def _criteria_json(result: ScoreResult) -> list[dict[str, Any]]:
    weights = result.weights
    return [
        {
            "id": k.id,
            "name": k.name,
            "category": category.id,
            "type": k.type,
            "unit": k.unit,
            "direction": "higher" if k.higher_is_better else "lower",
            "grading": _grading_json(k),
            "gate": result.gates.get(k.id),
            "weight": weights.criteria[k.id],
            "within_category": weights.within[k.id],
            "references": list(k.references),
        }
        for category in result.catalog.categories
        for k in category.criteria
    ]


def _grading_json(k: Criterion) -> dict[str, Any] | None:
    g = k.grading
    if g is None:
        return None
    segments = {name: {"best": s.best, "worst": s.worst} for name, s in g.segments.items()}
    return {"best": g.best, "worst": g.worst, "segments": segments}


def _vendor_json(v: VendorResult, criteria: Sequence[Criterion]) -> dict[str, Any]:
    data = vendor_summary(v, criteria)
    for entry, gate in zip(data["gate_results"], v.gates, strict=True):
        entry["margin"] = gate.margin
    data["kind"] = v.vendor.kind
    data["declared_ring"] = v.vendor.radar
    data["cells"] = {criterion: cell_json(cell) for criterion, cell in v.cells.items()}
    return data


def export_data(evaluation: Evaluation) -> dict[str, Any]:
    """Everything in the Evaluation as plain JSON-able data; every key is described in :data:`FIELDS`.

    A superset of `evaltool score --format json` (``profile``, ``method``, ``vendors``), with the shapes
    of `evaltool weights` under ``weights`` and of `evaltool sensitivity` under ``sensitivity``.
    """
    result = evaluation.result
    return {
        "format": FORMAT_NAME,
        "format_version": FORMAT_VERSION,
        "provenance": provenance_json(evaluation.provenance),
        "catalog": {"name": result.catalog.catalog, "version": result.catalog.version},
        "profile": result.profile_id,
        "profile_name": None if result.profile is None else result.profile.name,
        "method": result.method,
        "missing": result.missing,
        "as_of": result.as_of.isoformat(),
        "weights": weights_json(result.profile, result.weights, result.gates),
        "categories": [
            {
                "id": c.id,
                "name": c.name,
                "weight": result.weights.categories[c.id],
                "criteria": [k.id for k in c.criteria],
            }
            for c in result.catalog.categories
        ],
        "criteria": _criteria_json(result),
        "segments": segments_json(evaluation),
        "vendors": [_vendor_json(v, result.criteria) for v in result.vendors()],
        "sensitivity": sensitivity_json(evaluation),
        "recommendation_rules": rules_text(),
        "recommendations": [recommendation_json(evaluation.recommendations[v.id]) for v in result.vendors()],
        "warnings": [
            {"path": w.path, "line": w.line, "key": w.key, "message": w.message} for w in evaluation.warnings
        ],
    }


def to_json(evaluation: Evaluation) -> str:
    """The scorecard as indented UTF-8 JSON; floats written with repr, so they read back exactly."""
    return json.dumps(export_data(evaluation), indent=2, ensure_ascii=False, allow_nan=False) + "\n"


# --- CSV -----------------------------------------------------------------------------------------------


def _joined(entries: Iterable[Evidence], part: Callable[[Evidence], Any]) -> str:
    texts = []
    for e in entries:
        value = part(e)
        if value is None or value == "":
            continue
        text = value.isoformat() if isinstance(value, dt.date) else str(value)
        texts.append(f"{e.assessor}: {text}" if e.assessor else text)
    return " | ".join(texts)


def csv_rows(evaluation: Evaluation) -> list[dict[str, Any]]:
    """One row per vendor x criterion, with the columns of :data:`CSV_COLUMNS` (values not yet made safe)."""
    result, p = evaluation.result, evaluation.provenance
    category_of = {k.id: c for c in result.catalog.categories for k in c.criteria}
    stamp = {
        "profile": p.profile,
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
        for k in result.criteria:
            cell, gate = v.cells[k.id], gates.get(k.id)
            rows.append({
                "segment": v.segment, "vendor_id": v.id, "vendor_name": v.name, "rank": v.rank,
                "eligible": v.eligible, "score": v.score, "coverage": v.coverage,
                "failed_gates": ";".join(v.failed_gates), "decision": advice.decision, "ring": advice.ring,
                "category_id": category_of[k.id].id, "category_name": category_of[k.id].name,
                "criterion_id": k.id, "criterion_name": k.name, "type": k.type, "unit": k.unit,
                "weight": result.weights.criteria[k.id],
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
                **stamp, "relative_grading": k.id in relative,
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


# --- XLSX ----------------------------------------------------------------------------------------------

_FORMATS: dict[str, dict[str, Any]] = {
    "text": {"valign": "top"},
    "wrap": {"valign": "top", "text_wrap": True},
    "header": {
        "bold": True,
        "text_wrap": True,
        "valign": "top",
        "font_color": "#FFFFFF",
        "bg_color": "#1F3864",
        "border": 1,
        "border_color": "#8EA9DB",
    },
    "label": {"bold": True, "valign": "top"},
    "title": {"bold": True, "font_size": 12},
    "points": {"num_format": "0.0", "valign": "top"},
    "topsis": {"num_format": "0.000", "valign": "top"},
    "pct": {"num_format": "0.0%", "valign": "top"},
    "grade": {"num_format": "0.0", "valign": "top"},
    # the number stays a number; the asterisk only shows that it is graded relative to the segment
    "grade_relative": {"num_format": '0.0"*"', "valign": "top", "italic": True},
    "number": {"num_format": "General", "valign": "top"},
    "integer": {"num_format": "0", "valign": "top"},
    # Excel shows a boolean as TRUE/FALSE whatever the format; LibreOffice needs to be told.
    "bool": {"num_format": '"TRUE";"TRUE";"FALSE"', "valign": "top", "align": "center"},
    "date": {"num_format": "yyyy-mm-dd", "valign": "top", "align": "left"},
}
_SCALE = {"type": "3_color_scale", "min_color": "#F8696B", "mid_color": "#FFEB84", "max_color": "#63BE7B"}
_GRADE_SCALE = _SCALE | {  # grades are on a fixed 0..5 scale, whatever the vendors compared
    "min_type": "num",
    "min_value": 0,
    "mid_type": "num",
    "mid_value": 2.5,
    "max_type": "num",
    "max_value": 5,
}
_BAR = {"type": "data_bar", "bar_color": "#8EA9DB"}
_MAX_WIDTH, _WRAP_WIDTH = 50, 60
_NUMBER_WIDTH = {"points": 6, "topsis": 6, "pct": 7, "grade": 4, "grade_relative": 5}


@dataclass(frozen=True)
class _Col:
    """One column of a sheet's table: header, how to get the value from a row item, its format."""

    header: str
    get: Callable[[Any], Any]
    fmt: str | Callable[[Any], str] = "text"
    width: int | None = None  # a fixed width, for wrapped text


def _worksheet_class() -> type:
    from xlsxwriter.worksheet import Worksheet

    class _ExactWorksheet(Worksheet):
        """A worksheet that stores every number as the shortest text that reads back as the same double.

        xlsxwriter writes numbers with 16 significant digits ("%.16G"), which changes the last bit of
        some doubles (0.1 + 0.2 reads back as 0.3); procurement must get exactly the report's numbers.
        """

        def _xml_number_element(self, number: float, attributes: Sequence[tuple[str, Any]] = ()) -> None:
            attr = "".join(f' {key}="{self._escape_attributes(value)}"' for key, value in attributes)
            self.fh.write(f"<c{attr}><v>{float(number)!r}</v></c>")

    return _ExactWorksheet


class _Book:
    """The workbook with its named formats; a quote-prefixed twin of a format is made on demand."""

    def __init__(self, stream: io.BytesIO) -> None:
        from xlsxwriter.workbook import Workbook

        self.workbook: Workbook = Workbook(
            stream,
            {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False,
             "strings_to_numbers": False},
        )  # fmt: skip
        self.sheet_class = _worksheet_class()
        self._formats: dict[tuple[str, bool], Format] = {}

    def format(self, name: str, quoted: bool = False) -> Format:
        """The named format; ``quoted`` adds Excel's quote prefix (the cell stays text when edited)."""
        key = (name, quoted)
        if key not in self._formats:
            props = dict(_FORMATS[name])
            if quoted:
                props["quote_prefix"] = True
            self._formats[key] = self.workbook.add_format(props)
        return self._formats[key]


class _Sheet:
    """One worksheet written value by value (never a formula), remembering how wide each column gets."""

    def __init__(self, book: _Book, name: str) -> None:
        self.book = book
        self.ws = book.workbook.add_worksheet(name, worksheet_class=book.sheet_class)
        self.widths: dict[int, int] = {}
        self.fixed: dict[int, int] = {}
        self.headers: dict[int, list[tuple[int, str]]] = {}

    def cell(self, row: int, col: int, value: Any, fmt: str = "text") -> None:
        """Write one value by its type: string, blank, boolean, number or date; never a formula."""
        if type(value) is not str:
            self._value(row, col, value, fmt)
            return
        if not value:
            self.ws.write_blank(row, col, None)
            return
        self.ws.write_string(row, col, value, self.book.format(fmt, quoted=value.startswith(FORMULA_START)))
        width = len(value)
        if width > self.widths.get(col, 0):
            if "\n" in value or "\r" in value:
                width = max(len(line) for line in value.splitlines())
            self.widths[col] = max(width, self.widths.get(col, 0))

    def _value(self, row: int, col: int, value: Any, fmt: str) -> None:
        ws, width = self.ws, 0
        if value is None:
            ws.write_blank(row, col, None)
        elif isinstance(value, bool):
            ws.write_boolean(row, col, value, self.book.format("bool"))
            width = 5
        elif isinstance(value, int | float) and math.isfinite(value):
            ws.write_number(row, col, value, self.book.format(fmt))
            width = _NUMBER_WIDTH.get(fmt) or min(len(f"{value:,.10g}"), 14)
        elif isinstance(value, dt.date):
            ws.write_datetime(row, col, dt.datetime.combine(value, dt.time()), self.book.format("date"))
            width = 10
        else:  # a non-finite number or another type: its text, still never a formula
            self.cell(row, col, str(value), fmt)
        if width > self.widths.get(col, 0):
            self.widths[col] = width

    def note(self, row: int, col: int, text: str, fmt: str = "text") -> None:
        """A string cell that does not widen its column (titles and notes beside the tables overflow)."""
        self.ws.write_string(row, col, text, self.book.format(fmt, quoted=text.startswith(FORMULA_START)))

    def table(self, row: int, columns: Sequence[_Col], items: Iterable[Any]) -> int:
        """A header row at ``row``, then one row per item; returns the last row written."""
        self.headers[row] = [(col, column.header) for col, column in enumerate(columns)]
        for col, column in enumerate(columns):
            self.ws.write_string(row, col, column.header, self.book.format("header"))
            self.widths[col] = max(self.widths.get(col, 0), min(len(column.header), 12))
            if column.width is not None:
                self.fixed[col] = column.width
        plan = [(col, column.get, column.fmt) for col, column in enumerate(columns)]
        cell = self.cell
        for row, item in enumerate(items, start=row + 1):  # noqa: B020 - the header row, then the items
            for col, get, fmt in plan:
                cell(row, col, get(item), fmt if type(fmt) is str else fmt(item))  # type: ignore[operator]
        return row

    def frame(self, header_row: int, last_row: int, last_col: int, freeze_cols: int) -> None:
        """Frozen panes below the header, an autofilter over the table, landscape print with the header."""
        self.ws.freeze_panes(header_row + 1, freeze_cols)
        self.ws.autofilter(header_row, 0, max(header_row, last_row), last_col)
        self.ws.repeat_rows(0, header_row)
        self.ws.set_landscape()
        self.ws.fit_to_pages(1, 0)

    def shade(self, first_row: int, cols: tuple[int, int], last_row: int, rule: dict[str, Any]) -> None:
        """A colour scale or data bar over a block of columns, if the block has rows."""
        if last_row >= first_row and cols[1] >= cols[0]:
            self.ws.conditional_format(first_row, cols[0], last_row, cols[1], rule)

    def finish(self) -> None:
        """Set every column's width from what was written (fixed widths for wrapped text), and make
        each header row tall enough for its wrapped labels."""
        widths = {col: self.fixed.get(col, min(width, _MAX_WIDTH) + 2) for col, width in self.widths.items()}
        for col, width in widths.items():
            self.ws.set_column(col, col, width)
        for row, labels in self.headers.items():
            lines = max(math.ceil(len(label) / max(widths.get(col, 10) - 2, 1)) for col, label in labels)
            self.ws.set_row(row, 15 * min(max(lines, 1), 4))


def _score_fmt(result: ScoreResult) -> str:
    return "points" if result.method == "wsm" else "topsis"


def _value_fmt(k: Criterion) -> str:
    """Rubric scores as grades (0.0), metric values as they are."""
    return "number" if k.is_metric else "grade"


def _vendor_cols(result: ScoreResult) -> list[_Col]:
    return [
        _Col("Segment", lambda v: v.segment),
        _Col("Rank", lambda v: v.rank, "integer"),
        _Col("Vendor", lambda v: v.name),
        _Col("Vendor id", lambda v: v.id),
        _Col("Score", lambda v: v.score, _score_fmt(result)),
    ]


def _category_score(category: str) -> Callable[[VendorResult], float]:
    return lambda v: v.categories[category]


def _cell_value(criterion: str, which: str) -> Callable[[VendorResult], float | None]:
    return lambda v: getattr(v.cells[criterion], which)


def _grade_fmt(criterion: str, relative: dict[str, list[str]]) -> Callable[[VendorResult], str]:
    return lambda v: "grade_relative" if criterion in relative[v.id] else "grade"


def _summary(book: _Book, ev: Evaluation) -> None:
    result, sens, advice = ev.result, ev.sensitivity.vendors, ev.recommendations
    wsm = "" if result.method == "wsm" else " (WSM)"
    columns = [
        *_vendor_cols(result),
        _Col("Eligible", lambda v: v.eligible),
        _Col("Failed gates", lambda v: ", ".join(v.failed_gates)),
        _Col("Coverage", lambda v: v.coverage, "pct"),
        _Col(f"P(first){wsm}", lambda v: sens[v.id].p_top, "pct"),
        _Col(f"90% interval low{wsm}", lambda v: sens[v.id].score_interval[0], "points"),
        _Col(f"90% interval high{wsm}", lambda v: sens[v.id].score_interval[1], "points"),
        _Col("Decision", lambda v: advice[v.id].decision_text),
        _Col("Ring", lambda v: advice[v.id].ring),
        _Col("Stale evidence", lambda v: ", ".join(c.criterion for c in v.stale)),
        _Col("Assessors disagree", lambda v: ", ".join(c.criterion for c in v.disagreements)),
        _Col("Graded relative to the segment", lambda v: ", ".join(relative_grading(result.criteria, v))),
        *(_Col(c.name, _category_score(c.id), _score_fmt(result)) for c in result.catalog.categories),
    ]
    sheet = _Sheet(book, "Summary")
    last = sheet.table(0, columns, result.vendors())
    sheet.frame(0, last, len(columns) - 1, freeze_cols=3)
    sheet.shade(1, (4, 4), last, _SCALE)
    sheet.shade(1, (8, 8), last, _BAR)
    sheet.shade(1, (len(columns) - len(result.catalog.categories), len(columns) - 1), last, _SCALE)
    _provenance(sheet, ev, last + 3)
    sheet.finish()


def _provenance(sheet: _Sheet, ev: Evaluation, row: int) -> None:
    p, result = ev.provenance, ev.result
    profile = "catalog weights" if result.profile is None else f"{result.profile.id}: {result.profile.name}"
    method = {
        "wsm": "WSM: weighted sum of 0..5 grades, 0-100 points",
        "topsis": "TOPSIS: closeness to the ideal vendor, 0-1 (vector normalisation)",
    }[result.method]
    facts: list[tuple[str, Any, str]] = [
        ("Tool", f"evaltool {p.tool_version}", "text"),
        ("Generated at (UTC)", p.generated_at, "text"),
        ("Evidence as of", dt.date.fromisoformat(p.as_of), "date"),
        ("Workspace", p.workspace, "text"),
        ("Catalog", f"{result.catalog.catalog} (version {result.catalog.version})", "text"),
        ("Profile", profile, "text"),
        ("Method", method, "text"),
        ("Missing data", p.missing, "text"),
        ("Monte Carlo samples (WSM)", p.samples, "integer"),
        ("Monte Carlo seed", p.seed, "integer"),
        ("Dirichlet concentration", p.concentration, "number"),
        ("Input SHA-256", p.input_sha256, "text"),
    ]
    widths = dict(sheet.widths)  # the block's long texts overflow; they must not widen the table's columns
    sheet.note(row, 0, "Provenance", "title")
    for i, (label, value, fmt) in enumerate(facts, start=row + 1):
        sheet.note(i, 0, label, "label")
        sheet.cell(i, 2, value, fmt)
    row += len(facts) + 2
    sheet.note(row, 0, "Input file", "label")
    sheet.note(row, 2, "SHA-256", "label")
    for i, source in enumerate(p.files, start=row + 1):
        sheet.note(i, 0, source.path)
        sheet.note(i, 2, source.sha256)
    row += len(p.files) + 2
    if ev.warnings:
        sheet.note(row, 0, "Warnings", "label")
        for i, w in enumerate(ev.warnings, start=row + 1):
            sheet.note(i, 0, f"{w.path}:{w.line}")
            sheet.note(i, 2, f"{w.key}: {w.message}" if w.key else w.message)
    sheet.widths = widths


def _scores(book: _Book, result: ScoreResult) -> None:
    criteria = list(result.criteria)
    metrics = [k for k in criteria if k.is_metric]
    relative = {v.id: relative_grading(criteria, v) for v in result.vendors()}
    columns = [
        *_vendor_cols(result),
        *(_Col(k.id, _cell_value(k.id, "grade"), _grade_fmt(k.id, relative)) for k in criteria),
        *(
            _Col(
                f"{k.id} value" + (f" ({k.unit})" if k.unit else ""),
                _cell_value(k.id, "raw"),
                "number",
            )
            for k in metrics
        ),
    ]
    sheet = _Sheet(book, "Scores")
    category_of = {k.id: c.name for c in result.catalog.categories for k in c.criteria}
    first = len(columns) - len(criteria) - len(metrics)
    for r, label in enumerate(["Category", "Criterion", "Effective weight"]):
        sheet.note(r, first - 1, label, "label")
    for j, k in enumerate([*criteria, *metrics], start=first):
        sheet.note(0, j, category_of[k.id], "wrap")
        sheet.note(1, j, k.name, "wrap")
        sheet.cell(2, j, result.weights.criteria[k.id], "pct")
    sheet.ws.set_row(0, 30)
    sheet.ws.set_row(1, 60)
    last = sheet.table(3, columns, result.vendors())
    sheet.frame(3, last, len(columns) - 1, freeze_cols=4)
    sheet.shade(4, (first - 1, first - 1), last, _SCALE)
    sheet.shade(4, (first, first + len(criteria) - 1), last, _GRADE_SCALE)
    if any(relative.values()):
        sheet.note(last + 2, 0, f"* {RELATIVE_GRADING[0].upper()}{RELATIVE_GRADING[1:]}.", "label")
    sheet.finish()


def _evidence_rows(result: ScoreResult) -> Iterator[tuple[Any, ...]]:
    """Plain tuples, one per vendor x criterion x assessor (the largest sheet: no per-cell lookups)."""
    for v in result.vendors():
        for k in result.criteria:
            given = _value_fmt(k)
            head = (v.segment, v.name, v.id, k.id, k.name)
            if not v.cells[k.id].evidence:  # an unassessed cell still gets its row
                yield (*head, None, None, None, None, None, None, None, given)
            for e in v.cells[k.id].evidence:
                yield (*head, e.assessor, e.given, e.evidence, e.level, e.source, e.expires, e.stale, given)


def _evidence(book: _Book, result: ScoreResult) -> None:
    headers = ["Segment", "Vendor", "Vendor id", "Criterion id", "Criterion", "Assessor", "Given", "Evidence",
               "Level", "Source", "Expires", "Stale"]  # fmt: skip
    formats: dict[int, str | Callable[[Any], str]] = {6: itemgetter(12), 7: "wrap", 10: "date"}
    columns = [
        _Col(h, itemgetter(i), formats.get(i, "text"), _WRAP_WIDTH if i == 7 else None)
        for i, h in enumerate(headers)
    ]
    sheet = _Sheet(book, "Evidence")
    last = sheet.table(0, columns, _evidence_rows(result))
    sheet.frame(0, last, len(columns) - 1, freeze_cols=3)
    sheet.finish()


def _gates(book: _Book, result: ScoreResult) -> None:
    by_id = {k.id: k for k in result.criteria}
    rows = [(v, by_id[g.criterion], g) for v in result.vendors() for g in v.gates]

    def value_fmt(row: tuple[Any, Criterion, Any]) -> str:
        return _value_fmt(row[1])

    columns = [
        _Col("Segment", lambda row: row[0].segment),
        _Col("Vendor", lambda row: row[0].name),
        _Col("Vendor id", lambda row: row[0].id),
        _Col("Eligible", lambda row: row[0].eligible),
        _Col("Criterion id", lambda row: row[1].id),
        _Col("Criterion", lambda row: row[1].name),
        _Col("Rule", lambda row: "<=" if row[1].is_metric and not row[1].higher_is_better else ">="),
        _Col("Threshold", lambda row: row[2].threshold, value_fmt),
        _Col("Actual", lambda row: row[2].actual, value_fmt),
        _Col("Unit", lambda row: row[1].unit),
        _Col("Passed", lambda row: row[2].passed),
        _Col("Margin", lambda row: row[2].margin, value_fmt),
        _Col("Reason", lambda row: row[2].reason),
    ]
    sheet = _Sheet(book, "Gates")
    last = sheet.table(0, columns, rows)
    sheet.frame(0, last, len(columns) - 1, freeze_cols=3)
    sheet.finish()


def _weights(book: _Book, result: ScoreResult) -> None:
    w, gates = result.weights, result.gates
    rows = [(c, k) for c in result.catalog.categories for k in c.criteria]
    columns = [
        _Col("Category id", lambda row: row[0].id),
        _Col("Category", lambda row: row[0].name),
        _Col("Category share", lambda row: w.categories[row[0].id], "pct"),
        _Col("Criterion id", lambda row: row[1].id),
        _Col("Criterion", lambda row: row[1].name),
        _Col("Type", lambda row: row[1].type),
        _Col("Unit", lambda row: row[1].unit),
        _Col("Direction", lambda row: "higher" if row[1].higher_is_better else "lower"),
        _Col("Within category", lambda row: w.within[row[1].id], "pct"),
        _Col("Effective weight", lambda row: w.criteria[row[1].id], "pct"),
        _Col("Gate", lambda row: gates.get(row[1].id), lambda row: _value_fmt(row[1])),
    ]
    sheet = _Sheet(book, "Weights")
    last = sheet.table(0, columns, rows)
    sheet.frame(0, last, len(columns) - 1, freeze_cols=1)
    sheet.shade(1, (9, 9), last, _BAR)
    if w.ahp is not None:
        sheet.note(last + 2, 0, "AHP consistency of the profile's pairwise category comparisons", "title")
        facts = [("lambda max", w.ahp.lambda_max), ("CI", w.ahp.ci), ("CR", w.ahp.cr)]
        for i, (label, value) in enumerate([*facts, ("Consistent (CR <= 0.10)", w.ahp.consistent)]):
            sheet.note(last + 3 + i, 0, label, "label")
            sheet.cell(last + 3 + i, 2, value, "number")
    sheet.finish()


def _sensitivity(book: _Book, ev: Evaluation) -> None:
    result, sens = ev.result, ev.sensitivity
    ranks = max((len(s.rank_probabilities) for s in sens.vendors.values()), default=1)

    def p_rank(i: int) -> Callable[[VendorResult], float | None]:
        probabilities = {vid: s.rank_probabilities for vid, s in sens.vendors.items()}
        return lambda v: probabilities[v.id][i] if i < len(probabilities[v.id]) else None

    columns = [
        _Col("Segment", lambda v: v.segment),
        _Col("Vendor", lambda v: v.name),
        _Col("Vendor id", lambda v: v.id),
        _Col("Eligible", lambda v: v.eligible),
        _Col("Rank", lambda v: v.rank, "integer"),
        _Col("Score", lambda v: v.score, _score_fmt(result)),
        _Col("P(first)", lambda v: sens.vendors[v.id].p_top, "pct"),
        *(_Col(f"P(rank {i + 1})", p_rank(i), "pct") for i in range(1, ranks)),
        _Col("90% interval low (WSM)", lambda v: sens.vendors[v.id].score_interval[0], "points"),
        _Col("90% interval high (WSM)", lambda v: sens.vendors[v.id].score_interval[1], "points"),
        _Col("Mean score (WSM)", lambda v: sens.vendors[v.id].mean_score, "points"),
    ]
    sheet = _Sheet(book, "Sensitivity")
    last = sheet.table(0, columns, result.vendors())
    sheet.frame(0, last, len(columns) - 1, freeze_cols=3)
    sheet.shade(1, (6, 6 + ranks - 1), last, _BAR)
    names = {v.id: v.name for v in result.vendors()}
    labels = {k.id: k.name for k in result.criteria} | {c.id: c.name for c in result.catalog.categories}
    flips = [
        _Col("Segment", lambda f: f.segment),
        _Col("Kind", lambda f: f.kind),
        _Col("Id", lambda f: f.id),
        _Col("Name", lambda f: labels[f.id]),
        _Col("Weight", lambda f: f.weight, "pct"),
        _Col("Leader changes at", lambda f: f.leader_changes_at, "pct"),
        _Col("Leader", lambda f: names[f.leader]),
        _Col("New leader", lambda f: "(no change)" if f.new_leader is None else names[f.new_leader]),
    ]
    sheet.note(
        last + 3, 0,
        "Flip points: the weight at which the segment's leader changes, one weight moved at a time "
        "(the others scaled to keep the sum at 1); per segment, criteria then categories",
        "title",
    )  # fmt: skip
    sheet.table(last + 4, flips, sens.flips)
    sheet.finish()


def _recommendations(book: _Book, ev: Evaluation) -> None:
    advice = ev.recommendations

    def checks(v: VendorResult) -> str:
        plan = advice[v.id].plan
        if plan is None:
            return ""
        return "\n".join(
            f"{c.metric}: {c.target}" + (f" ({c.method})" if c.method else "") for c in plan.checks
        )

    def plan_part(part: Callable[[PocPlan], Any]) -> Callable[[VendorResult], Any]:
        def get(v: VendorResult) -> Any:
            plan = advice[v.id].plan
            return None if plan is None else part(plan)

        return get

    columns = [
        *_vendor_cols(ev.result),
        _Col("Decision", lambda v: advice[v.id].decision_text),
        _Col("Reasons", lambda v: "\n".join(advice[v.id].reasons), "wrap", 40),
        _Col("Gaps to close", lambda v: "\n".join(advice[v.id].gaps), "wrap", 50),
        _Col("Ring", lambda v: advice[v.id].ring),
        _Col("Ring reason", lambda v: advice[v.id].ring_reason, "wrap", 36),
        _Col("PoC status", plan_part(lambda p: p.status)),
        _Col("PoC owner", plan_part(lambda p: p.owner)),
        _Col("Timebox (weeks)", plan_part(lambda p: p.timebox_weeks), "integer"),
        _Col("PoC checks", checks, "wrap", _WRAP_WIDTH),
        _Col("Conditions to keep", plan_part(lambda p: "\n".join(p.exit_gates)), "wrap", _WRAP_WIDTH),
    ]
    sheet = _Sheet(book, "Recommendations")
    last = sheet.table(0, columns, ev.result.vendors())
    sheet.frame(0, last, len(columns) - 1, freeze_cols=4)
    sheet.note(last + 2, 0, "Rules", "label")
    sheet.note(last + 2, 2, rules_text())
    sheet.finish()


def to_xlsx(evaluation: Evaluation) -> bytes:
    """The scorecard workbook: Summary, Scores, Evidence, Gates, Weights, Sensitivity, Recommendations.

    Values only, never a formula; full doubles, with number formats for display. The same Evaluation
    gives the same bytes: the document's creation time is the evaluation's.
    """
    p = evaluation.provenance
    stream = io.BytesIO()
    book = _Book(stream)
    book.workbook.set_properties(
        {
            "title": "Vendor scorecard",
            "subject": f"profile {p.profile or 'catalog weights'}, method {p.method}, as of {p.as_of}",
            "author": "evaltool",
            "comments": f"evaltool {p.tool_version}; inputs SHA-256 {p.input_sha256}",
            "created": dt.datetime.fromisoformat(p.generated_at).astimezone(dt.UTC).replace(tzinfo=None),
        }
    )
    custom = {"evaltool_version": p.tool_version, "profile": p.profile or "", "method": p.method,
              "as_of": p.as_of, "input_sha256": p.input_sha256}  # fmt: skip
    for name, value in custom.items():
        book.workbook.set_custom_property(name, value)
    _summary(book, evaluation)
    _scores(book, evaluation.result)
    _evidence(book, evaluation.result)
    _gates(book, evaluation.result)
    _weights(book, evaluation.result)
    _sensitivity(book, evaluation)
    _recommendations(book, evaluation)
    book.workbook.close()
    return stream.getvalue()
