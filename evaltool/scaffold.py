"""Text of a new vendor file listing every criterion of the catalog, rubric anchors as comments."""

from __future__ import annotations

import datetime as dt
import json

from evaltool.models import Catalog, Criterion
from evaltool.wording import gate_condition


def _quote(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)


def _criterion_lines(criterion: Criterion) -> list[str]:
    pad = "      "
    if criterion.is_metric:
        unit = f" in {criterion.unit}" if criterion.unit else ""
        better = "higher" if criterion.higher_is_better else "lower"
        head = f"{pad}# {criterion.name}: metric{unit}, {better} is better"
        if criterion.gate is not None:
            head += f"; gate: {gate_condition(criterion, criterion.gate)}"
        lines = [
            head,
            f"{pad}#   long form: {{value: 0, evidence: ..., level: documented, source: ..., expires: ...}}"
            if criterion.computed is None
            else f"{pad}#   computed: the sum of commercial.tco; leave the value out, give the evidence",
        ]
    else:
        head = f"{pad}# {criterion.name}: score 0..5"
        if criterion.gate is not None:
            head += f"; gate: {gate_condition(criterion, criterion.gate)} (knock-out)"
        lines = [head]
        lines += [f"{pad}#   {level}: {text}" for level, text in sorted((criterion.rubric or {}).items())]
    lines.append(f"{pad}{criterion.id}: null")
    return lines


def vendor_template(
    catalog: Catalog, vendor_id: str, name: str, segment: str, assessor: str, today: dt.date
) -> str:
    """A vendor file that validates as written: every criterion present and not yet scored (null)."""
    segments = catalog.segments or []
    segment_hint = f"  # one of: {', '.join(segments)}" if segments else ""
    lines = [
        "# yaml-language-server: $schema=../schemas/vendor.schema.json",
        f"# Vendor file created by `evaltool new vendor {vendor_id}`. Replace each null with a score",
        "# (short form `crit: 4`, or the long form with evidence, level, source and expires).",
        f"id: {vendor_id}",
        f"name: {_quote(name)}",
        f"segment: {_quote(segment)}{segment_hint}",
        "kind: startup  # startup | scaleup | enterprise | open-source",
        "website: https://example.com",
        'summary: ""',
        "facts: {}",
        "# Due diligence (docs/formats.md#vendor-keys): the bank's existing use of the vendor, and risks a",
        "# named person accepts until a date. Uncomment and fill in when they apply.",
        "# relationship: {critical_uses: 0, annual_spend: 0}",
        "# risk_acceptances:",
        "#   - criterion: <criterion id>",
        '#     by: "<who accepts the risk, and their role>"',
        f"#     date: {today.isoformat()}",
        '#     reason: "<why the risk is acceptable>"',
        f"#     expires: {(today + dt.timedelta(days=365)).isoformat()}",
        "assessments:",
        f"  - assessor: {_quote(assessor)}",
        f"    date: {today.isoformat()}",
        "    scores:",
    ]
    for category in catalog.categories:
        lines.append(f"      # --- {category.name} (category weight {category.weight:g}) ---")
        for criterion in category.criteria:
            lines.extend(_criterion_lines(criterion))
    return "\n".join(lines) + "\n"
