"""JSON Schemas (draft 7) of the file formats, generated from the models, for editors and CI."""

from __future__ import annotations

import json
from typing import Any

from pydantic import BaseModel

from evaltool.models import Catalog, Profile, Vendor

SCHEMAS: dict[str, type[BaseModel]] = {"catalog": Catalog, "profile": Profile, "vendor": Vendor}
DRAFT7 = "http://json-schema.org/draft-07/schema#"


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


def json_schema(name: str) -> dict[str, Any]:
    """The draft-7 JSON Schema of one file kind: catalog, profile or vendor."""
    model = SCHEMAS[name]
    schema = _draft7(model.model_json_schema(mode="validation"))
    return {"$schema": DRAFT7, "$id": f"{name}.schema.json", **schema}


def render(name: str) -> str:
    """The schema as stable, pretty JSON text."""
    return json.dumps(json_schema(name), indent=2, sort_keys=False) + "\n"
