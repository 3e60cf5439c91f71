"""JSON Schemas (draft 7) of the file formats, generated from the models, for editors and CI.

Given the workspace's catalog, the vendor and profile schemas also know its ids and scales
(docs/cli.md#evaltool-schema): the criterion ids are the only score keys, each with its scale in the short
and the long form, and a profile's weight and gate keys are limited to the catalog's ids, so the editor
refuses what `evaltool validate` refuses.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from typing import Any

from pydantic import BaseModel

from evaltool.decisions import Decision
from evaltool.models import RUBRIC_MAX, Catalog, Criterion, Profile, Vendor

SCHEMAS: dict[str, type[BaseModel]] = {
    "catalog": Catalog,
    "profile": Profile,
    "vendor": Vendor,
    "decision": Decision,
}
DRAFT7 = "http://json-schema.org/draft-07/schema#"
NON_FINITE_REF = "#/definitions/NonFinite"

# A JSON Schema cannot name NaN or infinity, but a validator compares numbers the IEEE way: NaN passes
# every bound (no comparison fails), so it alone satisfies minimum 1 with maximum 0; infinity alone lies
# beyond the largest double. Every number refuses this schema, as the models refuse a non-finite number.
NON_FINITE: dict[str, Any] = {
    "description": "NaN or infinity (.nan, .inf in YAML): never a valid number in these files.",
    "type": "number",
    "anyOf": [
        {"minimum": 1, "maximum": 0},
        {"exclusiveMinimum": 1.7976931348623157e308},
        {"exclusiveMaximum": -1.7976931348623157e308},
    ],
}


def _draft7(node: Any) -> Any:
    """Rewrite pydantic's 2020-12 output into draft 7 ($defs -> definitions)."""
    if isinstance(node, dict):
        out = {("definitions" if k == "$defs" else k): _draft7(v) for k, v in node.items()}
        if isinstance(out.get("$ref"), str):
            out["$ref"] = out["$ref"].replace("#/$defs/", "#/definitions/")
        return out
    if isinstance(node, list):
        return [_draft7(item) for item in node]
    return node


def _finite(node: Any) -> Any:
    """Every `type: number` refuses NaN and infinity, as every number of the models does."""
    if isinstance(node, dict):
        out = {k: _finite(v) for k, v in node.items()}
        if out.get("type") == "number":
            out["not"] = {"$ref": NON_FINITE_REF}
        return out
    if isinstance(node, list):
        return [_finite(item) for item in node]
    return node


def _closed(properties: dict[str, Any], description: str) -> dict[str, Any]:
    """An object whose only keys are `properties`: the editor offers them and flags any other."""
    return {
        "additionalProperties": False,
        "description": description,
        "properties": properties,
        "type": "object",
    }


def _ref(name: str, description: str, types: str | list[str]) -> dict[str, Any]:
    """A field holding definition `name` (allOf: draft 7 ignores a description beside a bare $ref)."""
    return {
        "allOf": [{"$ref": f"#/definitions/{name}"}],
        "description": description,
        "title": name,
        "type": types,
    }


def _rubric_text(criterion: Criterion) -> str:
    levels = "; ".join(f"{level}: {text}" for level, text in sorted((criterion.rubric or {}).items()))
    return f" ({levels})" if levels else ""


def _cell(criterion: Criterion) -> dict[str, Any]:
    """The score of one criterion: short form, null (not yet scored) or long form, on its own scale."""
    gate = "" if criterion.gate is None else f" Gate {criterion.gate:g}: below it the vendor is not eligible."
    if criterion.is_metric:
        better = "higher" if criterion.higher_is_better else "lower"
        unit = f" in {criterion.unit}" if criterion.unit else ""
        what = f"{criterion.name}: metric, the measured value{unit} ({better} is better), or {{value: ...}}."
        forms = ["MetricValue", "MetricEntry"]
    else:
        what = f"{criterion.name}: rubric score 0..5{_rubric_text(criterion)}, or {{score: ...}}."
        forms = ["RubricScore", "RubricEntry"]
    return {
        "anyOf": [
            {"$ref": f"#/definitions/{forms[0]}"},
            {"type": "null"},
            {"$ref": f"#/definitions/{forms[1]}"},
        ],
        "description": what + gate,
    }


def _entry(entry: dict[str, Any], drop: str, title: str, description: str) -> dict[str, Any]:
    """The long form with the other scale's key removed, so a closed object refuses it."""
    out = copy.deepcopy(entry)
    del out["properties"][drop]
    return {**out, "title": title, "description": description}


def _for_vendor(schema: dict[str, Any], catalog: Catalog) -> None:
    defs = schema["definitions"]
    entry = defs.pop("ScoreEntry")
    defs["RubricEntry"] = _entry(entry, "value", "RubricEntry", "Long form of a rubric score: 'score' 0..5.")
    defs["MetricEntry"] = _entry(entry, "score", "MetricEntry", "Long form of a metric: its 'value'.")
    defs["RubricScore"] = {
        "description": "A rubric score 0..5.",
        "maximum": RUBRIC_MAX,
        "minimum": 0,
        "type": "number",
    }
    defs["MetricValue"] = {"description": "A measured value in the criterion's unit.", "type": "number"}
    cells = {criterion.id: _cell(criterion) for criterion in catalog.criteria()}
    # No type on the definition: each field says whether null is allowed, so a wrong key is reported on
    # `scores` itself rather than as "matches neither object nor null".
    defs["Scores"] = {k: v for k, v in _closed(cells, "Criterion id -> score.").items() if k != "type"}
    assessment = defs["Assessment"]["properties"]
    assessment["scores"] = _ref("Scores", assessment["scores"]["description"], "object")
    top = schema["properties"]
    top["scores"] = {**_ref("Scores", top["scores"]["description"], ["object", "null"]), "default": None}
    # A list or null in one schema, not anyOf, so a mistake inside is reported at its own key.
    listed, _null = top["assessments"].pop("anyOf")
    top["assessments"].update(listed, type=["array", "null"])
    if catalog.segments:
        schema["properties"]["segment"]["enum"] = list(catalog.segments)


def _for_profile(schema: dict[str, Any], catalog: Catalog) -> None:
    properties = schema["properties"]
    weights: dict[str, Any] = {
        category.id: {"description": f"Category: {category.name}.", "minimum": 0, "type": "number"}
        for category in catalog.categories
    }
    gates: dict[str, Any] = {}
    for criterion in catalog.criteria():
        weights[criterion.id] = {
            "description": f"Criterion: {criterion.name}.",
            "minimum": 0,
            "type": "number",
        }
        gate: dict[str, Any] = {"type": "number"}
        if not criterion.is_metric:
            gate.update(minimum=0, maximum=RUBRIC_MAX)
        gates[criterion.id] = {"anyOf": [gate, {"type": "null"}], "description": f"Gate on {criterion.name}."}
    properties["weights"] = {**_closed(weights, properties["weights"]["description"]), "title": "Weights"}
    properties["gates"] = {**_closed(gates, properties["gates"]["description"]), "title": "Gates"}
    schema["definitions"]["Ahp"]["properties"]["items"]["items"]["enum"] = [c.id for c in catalog.categories]


WITH_CATALOG: dict[str, Callable[[dict[str, Any], Catalog], None]] = {
    "vendor": _for_vendor,
    "profile": _for_profile,
}


def json_schema(name: str, catalog: Catalog | None = None) -> dict[str, Any]:
    """The draft-7 JSON Schema of one file kind: catalog, profile or vendor.

    With `catalog`, the vendor and profile schemas accept only its ids, each score on its own scale.
    """
    schema = _draft7(SCHEMAS[name].model_json_schema(mode="validation"))
    schema.setdefault("definitions", {})
    if catalog is not None and name in WITH_CATALOG:
        WITH_CATALOG[name](schema, catalog)
    schema = _finite(schema)
    schema["definitions"]["NonFinite"] = NON_FINITE
    return {"$schema": DRAFT7, "$id": f"{name}.schema.json", **schema}


def render(name: str, catalog: Catalog | None = None) -> str:
    """The schema as stable, pretty JSON text."""
    return json.dumps(json_schema(name, catalog), indent=2, sort_keys=False) + "\n"
