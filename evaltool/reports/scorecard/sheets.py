"""The scorecard workbook, one function per sheet, listed in order in :data:`SHEETS`.

Each sheet holds one table under a single header row, so pandas and Power Query read it as it is
(docs/json.md#the-scorecard-workbook); what used to sit beside a table (provenance, flip points, the
rules, AHP consistency) has a sheet of its own.

Every value is the Evaluation's own, written as it is; nothing is recomputed here.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import Callable, Iterator
from operator import itemgetter
from typing import TYPE_CHECKING, Any

from evaltool import fmt, wording
from evaltool.diligence import tier_of
from evaltool.recommend import rules_text
from evaltool.reports.scorecard.findings import findings_sheet
from evaltool.reports.scorecard.procurement import commercial_sheet, procurement_summary_sheet
from evaltool.reports.scorecard.styles import BAR, GRADE_SCALE, SCALE, WRAP_WIDTH
from evaltool.reports.scorecard.traceability import write_sheet as trace_sheet
from evaltool.reports.scorecard.workbook import Book, Column, Columns, Sheet
from evaltool.serialize import RELATIVE_GRADING, relative_grading

if TYPE_CHECKING:
    from evaltool.evaluation import Evaluation
    from evaltool.models import Category, Criterion
    from evaltool.poc import Poc
    from evaltool.recommend import PocPlan
    from evaltool.scoring import ScoreResult, Setup, VendorResult


def _score_fmt(result: ScoreResult) -> str:
    return "points" if result.method == "wsm" else "topsis"


def _method(result: ScoreResult) -> str:
    """The method the scores and the Monte Carlo figures are on, as the column headers name it."""
    return "WSM" if result.method == "wsm" else "TOPSIS"


def _value_fmt(k: Criterion) -> str:
    """Rubric scores as grades (0.0), metric values as they are."""
    return "number" if k.is_metric else "grade"


def _served(result: ScoreResult) -> list[tuple[Setup, list[str]]]:
    """Each distinct setup of the run with the segments it serves, in segment order: one entry when every
    segment shares a profile (docs/scoring.md#one-profile-per-segment)."""
    groups: dict[str | None, tuple[Setup, list[str]]] = {}
    for segment in result.segments:
        groups.setdefault(segment.setup.profile_id, (segment.setup, []))[1].append(segment.name)
    return list(groups.values()) or [(result.overall, [])]


def _profile_col(result: ScoreResult) -> list[Column]:
    """A Profile column (the vendor's segment's) when segments use different profiles; none otherwise, so a
    run with one profile keeps its columns."""
    if result.uniform:
        return []
    return [Column("Profile", lambda v: wording.profile_used(result.setup_of(v.segment).profile_id))]


def _vendor_cols(result: ScoreResult) -> list[Column]:
    return [
        Column("Segment", lambda v: v.segment),
        *_profile_col(result),
        Column("Rank", lambda v: v.rank, "integer"),
        Column("Vendor", lambda v: v.name),
        Column("Vendor id", lambda v: v.id),
        Column("Score", lambda v: v.score, _score_fmt(result)),
    ]


def _category_score(category: str) -> Callable[[VendorResult], float]:
    return lambda v: v.categories[category]


def _category_cols(result: ScoreResult) -> list[Column]:
    """A sub-score column per category, keyed by id: a category's name may repeat another header."""
    return [
        Column(c.name, _category_score(c.id), _score_fmt(result), key=f"category {c.id}")
        for c in result.catalog.categories
    ]


def _cell_value(criterion: str, which: str) -> Callable[[VendorResult], float | None]:
    return lambda v: getattr(v.cells[criterion], which)


def _grade_fmt(criterion: str, relative: dict[str, list[str]]) -> Callable[[VendorResult], str]:
    return lambda v: "grade_relative" if criterion in relative[v.id] else "grade"


def _tier_col(result: ScoreResult) -> list[Column]:
    """The due-diligence tier of the vendor's segment, when segments use different profiles."""
    if result.uniform:
        return []
    tiers = {s.name: tier_of(result, s.name) for s in result.segments}
    return [Column("Tier", lambda v: "" if (t := tiers[v.segment]) is None else t.name)]


def _summary(book: Book, ev: Evaluation) -> None:
    result, sens, advice = ev.result, ev.sensitivity.vendors, ev.recommendations
    p_first = Column("P(first)", lambda v: sens[v.id].p_top, "pct")
    categories = _category_cols(result)
    columns = [
        *_vendor_cols(result),
        *_tier_col(result),
        Column("Eligible", lambda v: v.eligible),
        Column("Failed gates", lambda v: ", ".join(v.failed_gates)),
        Column("Coverage", lambda v: v.coverage, "pct"),
        p_first,
        Column("90% interval low", lambda v: sens[v.id].score_interval[0], _score_fmt(result)),
        Column("90% interval high", lambda v: sens[v.id].score_interval[1], _score_fmt(result)),
        Column("Decision", lambda v: advice[v.id].decision_text),
        Column("Ring", lambda v: advice[v.id].ring),
        Column("Stale evidence", lambda v: ", ".join(c.criterion for c in v.stale)),
        Column("Assessors disagree", lambda v: ", ".join(c.criterion for c in v.disagreements)),
        Column("Graded relative to the segment", lambda v: ", ".join(relative_grading(result.criteria, v))),
        *categories,
    ]
    sheet = Sheet(book, "Summary")
    table = sheet.table(0, columns, result.vendors())
    table.frame(freeze_through="Vendor")
    table.shade(SCALE, "Score")
    table.shade(BAR, p_first.name)
    table.shade(SCALE, *(column.name for column in categories))
    sheet.finish()


def _provenance(book: Book, ev: Evaluation) -> None:
    """Provenance: one table of what the numbers rest on, the input files and the warnings."""
    p, result = ev.provenance, ev.result
    profile = wording.profile_title(result.profile) if result.uniform else p.profile_label
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
        (f"Monte Carlo samples ({_method(result)})", p.samples, "integer"),
        ("Monte Carlo seed", p.seed, "integer"),
        ("Dirichlet concentration", p.concentration, "number"),
        ("Input SHA-256", p.input_sha256, "text"),
    ]
    rows: list[tuple[str, Any, str, str]] = [(label, value, "", fmt) for label, value, fmt in facts]
    if not result.uniform:  # which profile and tier each segment used, after the shared facts
        rows[6:6] = [
            ("Segment", s.name, wording.segment_setup(s.setup.profile, _tier_name(result, s.name)), "text")
            for s in result.segments
        ]
    rows += [("Input file", source.path, source.sha256, "text") for source in p.files]
    rows += [
        ("Warning", f"{w.path}:{w.line}", f"{w.key}: {w.message}" if w.key else w.message, "text")
        for w in ev.warnings
    ]
    columns = [
        Column("Item", itemgetter(0)),
        Column("Value", itemgetter(1), itemgetter(3), 60),
        Column("Detail", itemgetter(2), "wrap", 80),
    ]
    sheet = Sheet(book, "Provenance")
    sheet.table(0, columns, rows).frame(freeze_through="Item")
    sheet.finish()


def _tier_name(result: ScoreResult, segment: str) -> str | None:
    choice = tier_of(result, segment)
    return None if choice is None else choice.name


def _measured_fmt(k: Criterion) -> str:
    """A metric amount in a currency with thousands separators, any other as it is."""
    return "money" if k.unit is not None and re.fullmatch(r"[A-Z]{3}", k.unit) else "number"


def _measured_header(k: Criterion) -> str:
    return f"{k.id} measured" + (f" ({k.unit})" if k.unit else "")


def _criterion_note(result: ScoreResult, k: Criterion, category: str, relative: bool) -> str:
    """What the header of a criterion's column stands for: its name, category, weight and references."""
    served = _served(result)
    lines = [k.name, f"Category: {category}"]
    if len(served) == 1:
        lines.append(f"Effective weight: {fmt.pct(served[0][0].weights.criteria[k.id])}")
    else:  # the weight of each profile the run used, with the segments it serves
        shares = [(setup.profile_id, names, setup.weights.criteria[k.id]) for setup, names in served]
        lines += ["Effective weight:", *wording.weight_by_profile(shares)]
    measured = f"; the measured amount is in the next column ({k.unit})" if k.is_metric and k.unit else ""
    lines.append(f"Grade 0-5{measured}")
    if k.references:
        lines.append(f"References: {wording.references_text(k.references)}")
    if relative:
        lines.append(f"* {RELATIVE_GRADING[0].upper()}{RELATIVE_GRADING[1:]}.")
    return "\n".join(lines)


def _scores(book: Book, ev: Evaluation) -> None:
    result = ev.result
    criteria = list(result.criteria)
    relative = {v.id: relative_grading(criteria, v) for v in result.vendors()}
    grades: list[Column] = []
    columns: list[Column] = [*_vendor_cols(result)]
    for k in criteria:
        grade = Column(k.id, _cell_value(k.id, "grade"), _grade_fmt(k.id, relative))
        grades.append(grade)
        columns.append(grade)
        if k.is_metric:
            columns.append(Column(_measured_header(k), _cell_value(k.id, "raw"), _measured_fmt(k)))
    layout = Columns(columns)
    sheet = Sheet(book, "Scores")
    table = sheet.table(0, layout, result.vendors())
    category_of = {k.id: c.name for c in result.catalog.categories for k in c.criteria}
    graded_relative = {name for names in relative.values() for name in names}
    for k in criteria:
        note = _criterion_note(result, k, category_of[k.id], k.id in graded_relative)
        sheet.ws.write_comment(0, layout.index(k.id), note, {"x_scale": 2, "y_scale": 1.5})
    table.frame(freeze_through="Vendor id")
    table.shade(SCALE, "Score")
    table.shade(GRADE_SCALE, *(column.name for column in grades))
    sheet.finish()


def _given_unit(k: Criterion) -> str | None:
    """What the number given is in: the metric's unit, or the rubric's 0-5 scale."""
    return k.unit if k.is_metric else "0-5"


def _evidence_rows(result: ScoreResult) -> Iterator[tuple[Any, ...]]:
    """Plain tuples, one per vendor x criterion x assessor (the largest sheet: no per-cell lookups)."""
    references = {k.id: wording.references_text(k.references) for k in result.criteria}
    for v in result.vendors():
        for k in result.criteria:
            given, unit = _value_fmt(k), _given_unit(k)
            head = (v.segment, v.name, v.id, k.id, k.name)
            refs = references[k.id]
            if not v.cells[k.id].evidence:  # an unassessed cell still gets its row
                yield (*head, None, None, unit, None, None, None, None, None, refs, given)
            for e in v.cells[k.id].evidence:
                yield (*head, e.assessor, e.given, unit, e.evidence, e.level, e.source, e.expires, e.stale,
                       refs, given)  # fmt: skip


def _evidence(book: Book, ev: Evaluation) -> None:
    result = ev.result
    headers = ["Segment", "Vendor", "Vendor id", "Criterion id", "Criterion", "Assessor", "Given", "Unit",
               "Evidence", "Level", "Source", "Expires", "Stale", "References"]  # fmt: skip
    # "Given" takes the format that comes with each row: a rubric score as a grade, a metric value as is
    formats: dict[str, str | Callable[[Any], str]] = {
        "Given": itemgetter(14),
        "References": "wrap",
        "Evidence": "wrap",
        "Expires": "date",
    }
    widths = {"Evidence": WRAP_WIDTH, "References": 40}
    columns = [Column(h, itemgetter(i), formats.get(h, "text"), widths.get(h)) for i, h in enumerate(headers)]
    sheet = Sheet(book, "Evidence")
    sheet.table(0, columns, _evidence_rows(result)).frame(freeze_through="Vendor id")
    sheet.finish()


def _gates(book: Book, ev: Evaluation) -> None:
    result = ev.result
    by_id = {k.id: k for k in result.criteria}
    rows = [(v, by_id[g.criterion], g) for v in result.vendors() for g in v.gates]

    def value_fmt(row: tuple[Any, Criterion, Any]) -> str:
        return _value_fmt(row[1])

    columns = [
        Column("Segment", lambda row: row[0].segment),
        Column("Vendor", lambda row: row[0].name),
        Column("Vendor id", lambda row: row[0].id),
        Column("Eligible", lambda row: row[0].eligible),
        Column("Criterion id", lambda row: row[1].id),
        Column("Criterion", lambda row: row[1].name),
        Column("Rule", lambda row: wording.gate_operator(row[1])),
        Column("Threshold", lambda row: row[2].threshold, value_fmt),
        Column("Actual", lambda row: row[2].actual, value_fmt),
        Column("Unit", lambda row: row[1].unit),
        Column("Passed", lambda row: row[2].passed),
        Column("Margin", lambda row: row[2].margin, value_fmt),
        Column("Reason", lambda row: row[2].reason),
    ]
    sheet = Sheet(book, "Gates")
    sheet.table(0, columns, rows).frame(freeze_through="Vendor id")
    sheet.finish()


def _weights(book: Book, ev: Evaluation) -> None:
    """A row per criterion with its shares and gate; when segments use different profiles, a row per
    profile and criterion, each profile's rows naming the segments it serves."""
    result = ev.result
    served = _served(result)
    rows: list[tuple[Setup, list[str], Category, Criterion]] = [
        (setup, names, c, k) for setup, names in served for c in result.catalog.categories for k in c.criteria
    ]
    by_profile = [
        Column("Profile", lambda row: wording.profile_used(row[0].profile_id)),
        Column("Segments", lambda row: wording.segments_text(row[1]), "wrap", 40),
    ]
    columns = [
        *(by_profile if len(served) > 1 else []),
        Column("Category id", lambda row: row[2].id),
        Column("Category", lambda row: row[2].name),
        Column("Category share", lambda row: row[0].weights.categories[row[2].id], "pct"),
        Column("Criterion id", lambda row: row[3].id),
        Column("Criterion", lambda row: row[3].name),
        Column("Type", lambda row: row[3].type),
        Column("Unit", lambda row: row[3].unit),
        Column("Direction", lambda row: "higher" if row[3].higher_is_better else "lower"),
        Column("Within category", lambda row: row[0].weights.within[row[3].id], "pct"),
        Column("Effective weight", lambda row: row[0].weights.criteria[row[3].id], "pct"),
        Column("Gate", lambda row: row[0].gates.get(row[3].id), lambda row: _value_fmt(row[3])),
        Column("References", lambda row: wording.references_text(row[3].references), "wrap", 40),
    ]
    sheet = Sheet(book, "Weights")
    table = sheet.table(0, columns, rows)
    table.frame(freeze_through="Category id")
    table.shade(BAR, "Effective weight")
    sheet.finish()


def _ahp(book: Book, ev: Evaluation) -> None:
    """AHP consistency of the profile's pairwise category comparisons; no sheet without AHP. When segments
    use different profiles, a Profile column says whose judgements each row measures."""
    served = _served(ev.result)
    judged = [(setup.profile_id, setup.weights.ahp) for setup, _ in served if setup.weights.ahp is not None]
    if not judged:
        return
    facts = [
        (profile, measure, value)
        for profile, ahp in judged
        for measure, value in (
            ("lambda max", ahp.lambda_max),
            ("CI", ahp.ci),
            ("CR", ahp.cr),
            ("Consistent (CR <= 0.10)", ahp.consistent),
        )
    ]
    named = [Column("Profile", lambda row: wording.profile_used(row[0]))] if len(served) > 1 else []
    columns = [*named, Column("Measure", itemgetter(1)), Column("Value", itemgetter(2), "number")]
    sheet = Sheet(book, "AHP consistency")
    sheet.table(0, columns, facts).frame(freeze_through="Measure")
    sheet.finish()


def _sensitivity(book: Book, ev: Evaluation) -> None:
    result, sens = ev.result, ev.sensitivity
    method, score_fmt = _method(result), _score_fmt(result)
    ranks = max((len(s.rank_probabilities) for s in sens.vendors.values()), default=1)

    def p_rank(i: int) -> Callable[[VendorResult], float | None]:
        probabilities = {vid: s.rank_probabilities for vid, s in sens.vendors.items()}
        return lambda v: probabilities[v.id][i] if i < len(probabilities[v.id]) else None

    p_ranks = [
        Column("P(first)", lambda v: sens.vendors[v.id].p_top, "pct"),
        *(Column(f"P(rank {i + 1})", p_rank(i), "pct") for i in range(1, ranks)),
    ]
    columns = [
        Column("Segment", lambda v: v.segment),
        Column("Vendor", lambda v: v.name),
        Column("Vendor id", lambda v: v.id),
        Column("Eligible", lambda v: v.eligible),
        Column("Rank", lambda v: v.rank, "integer"),
        Column("Score", lambda v: v.score, _score_fmt(result)),
        *p_ranks,
        Column(f"90% interval low ({method})", lambda v: sens.vendors[v.id].score_interval[0], score_fmt),
        Column(f"90% interval high ({method})", lambda v: sens.vendors[v.id].score_interval[1], score_fmt),
        Column(f"Mean score ({method})", lambda v: sens.vendors[v.id].mean_score, score_fmt),
    ]
    sheet = Sheet(book, "Sensitivity")
    table = sheet.table(0, columns, result.vendors())
    table.frame(freeze_through="Vendor id")
    table.shade(BAR, *(column.name for column in p_ranks))
    sheet.finish()


def _flip_points(book: Book, ev: Evaluation) -> None:
    """Flip points: the weight at which the segment's leader changes, one weight moved at a time (the
    others scaled to keep the sum at 1); per segment, criteria then categories."""
    result, sens = ev.result, ev.sensitivity
    names = {v.id: v.name for v in result.vendors()}
    labels = {k.id: k.name for k in result.criteria} | {c.id: c.name for c in result.catalog.categories}
    flips = [
        Column("Segment", lambda f: f.segment),
        Column("Kind", lambda f: f.kind),
        Column("Id", lambda f: f.id),
        Column("Name", lambda f: labels[f.id]),
        Column("Weight", lambda f: f.weight, "pct"),
        Column("Leader changes at", lambda f: f.leader_changes_at, "pct"),
        Column("Leader", lambda f: names[f.leader]),
        Column("New leader", lambda f: "(no change)" if f.new_leader is None else names[f.new_leader]),
    ]
    sheet = Sheet(book, "Flip points")
    sheet.table(0, flips, sens.flips).frame(freeze_through="Id")
    sheet.finish()


def _recommendations(book: Book, ev: Evaluation) -> None:
    advice = ev.recommendations

    def checks(v: VendorResult) -> str:
        plan = advice[v.id].plan
        if plan is None:
            return ""
        return "\n".join(
            f"{c.metric}: {c.target}" + (f" ({c.method})" if c.method else "") for c in plan.checks
        )

    def poc_part(part: Callable[[Poc], Any]) -> Callable[[VendorResult], Any]:
        """A fact of the vendor's PoC record, whether or not the vendor is a candidate with a plan."""

        def get(v: VendorResult) -> Any:
            return None if v.vendor.poc is None else part(v.vendor.poc)

        return get

    def stage(v: VendorResult) -> str | None:
        outcome = advice[v.id].poc
        return None if outcome is None else wording.poc_stage(outcome.stage)

    def outcomes(v: VendorResult) -> str:
        """Each success criterion's result against its target, and the scores the PoC measured."""
        return "\n".join(advice[v.id].poc_notes)

    def plan_part(part: Callable[[PocPlan], Any]) -> Callable[[VendorResult], Any]:
        def get(v: VendorResult) -> Any:
            plan = advice[v.id].plan
            return None if plan is None else part(plan)

        return get

    columns = [
        *_vendor_cols(ev.result),
        Column("Decision", lambda v: advice[v.id].decision_text),
        Column("Reasons", lambda v: "\n".join(advice[v.id].reasons), "wrap", 40),
        Column("Gaps to close", lambda v: "\n".join(advice[v.id].gaps), "wrap", 50),
        Column("Ring", lambda v: advice[v.id].ring),
        Column("Ring reason", lambda v: advice[v.id].ring_reason, "wrap", 36),
        Column("PoC status", plan_part(lambda p: p.status)),
        Column("PoC stage", stage),
        Column("PoC owner", poc_part(lambda p: p.owner)),
        Column("Timebox (weeks)", plan_part(lambda p: p.timebox_weeks), "integer"),
        Column("PoC cost", poc_part(lambda p: p.cost)),
        Column("PoC environment", poc_part(lambda p: p.environment)),
        Column("Data classification", poc_part(lambda p: p.data_classification)),
        Column("PoC decision date", poc_part(lambda p: p.decision_date), "date"),
        Column("PoC checks", checks, "wrap", WRAP_WIDTH),
        Column("PoC outcome", outcomes, "wrap", WRAP_WIDTH),
        Column("Conditions to keep", plan_part(lambda p: "\n".join(p.exit_gates)), "wrap", WRAP_WIDTH),
    ]
    sheet = Sheet(book, "Recommendations")
    table = sheet.table(0, columns, ev.result.vendors())
    table.frame(freeze_through="Vendor id")
    sheet.finish()


def _rules(book: Book, ev: Evaluation) -> None:
    """Rules: the recommendation rules in words, as the README and the report state them."""
    sheet = Sheet(book, "Rules")
    column = Column("Recommendation rules", lambda text: text, "wrap", 120)
    sheet.table(0, [column], [rules_text()]).frame(freeze_through="Recommendation rules")
    sheet.finish()


# The workbook's sheets, in order: one line registers a sheet; a function may write none (AHP consistency
# without AHP judgements).
def _traceability(book: Book, evaluation: Evaluation) -> None:
    trace_sheet(book, evaluation.result)


SHEETS: tuple[Callable[[Book, Evaluation], None], ...] = (
    procurement_summary_sheet,
    _summary,
    _scores,
    commercial_sheet,
    _evidence,
    _gates,
    findings_sheet,
    _weights,
    _ahp,
    _sensitivity,
    _flip_points,
    _recommendations,
    _rules,
    _provenance,
    _traceability,
)


def to_xlsx(evaluation: Evaluation) -> bytes:
    """The scorecard workbook: the sheets of :data:`SHEETS`, in order.

    Values only, never a formula; full doubles, with number formats for display. The same Evaluation
    gives the same bytes: the document's creation time is the evaluation's.
    """
    p = evaluation.provenance
    stream = io.BytesIO()
    book = Book(stream)
    book.workbook.set_properties(
        {
            "title": "Vendor scorecard",
            "subject": f"profile {p.profile_label}, method {p.method}, as of {p.as_of}",
            "author": "evaltool",
            "comments": f"evaltool {p.tool_version}; inputs SHA-256 {p.input_sha256}",
            "created": dt.datetime.fromisoformat(p.generated_at).astimezone(dt.UTC).replace(tzinfo=None),
        }
    )
    custom = {"evaltool_version": p.tool_version, "profile": p.profile or "", "method": p.method,
              "as_of": p.as_of, "input_sha256": p.input_sha256}  # fmt: skip
    if len({profile for _, profile in p.profiles}) > 1:  # each segment's own profile, in words
        custom["profiles"] = p.profile_label
    for name, value in custom.items():
        book.workbook.set_custom_property(name, value)
    for write in SHEETS:
        write(book, evaluation)
    book.workbook.close()
    return stream.getvalue()
