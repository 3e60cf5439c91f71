"""Tests of evaltool.schemas and `evaltool schema`: draft-7 JSON Schemas that agree with the models.

Editors check YAML against these schemas as it is typed, so a schema that accepts what `validate`
refuses (or the reverse) misleads the user. Files are loaded with yaml.safe_load and dates turned into
strings, which is what an editor's YAML-to-JSON step does.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml

from evaltool.schemas import DRAFT7, SCHEMAS, json_schema, render

KINDS = ("catalog", "profile", "vendor")


def as_json(value: Any) -> Any:
    """YAML data as JSON sees it: string keys, dates as ISO strings."""
    if isinstance(value, dict):
        return {str(k): as_json(v) for k, v in value.items()}
    if isinstance(value, list):
        return [as_json(v) for v in value]
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def validator(kind: str, folder: Path | None = None) -> jsonschema.Draft7Validator:
    schema = json_schema(kind) if folder is None else json.loads((folder / f"{kind}.schema.json").read_text())
    return jsonschema.Draft7Validator(schema)


def schema_errors(kind: str, text: str, folder: Path | None = None) -> list[str]:
    data = as_json(yaml.safe_load(text))
    return [error.message for error in validator(kind, folder).iter_errors(data)]


def workspace_files(root: Path) -> list[tuple[str, Path]]:
    files = [("catalog", root / "criteria" / "catalog.yaml")]
    files += [("profile", p) for p in sorted((root / "criteria" / "profiles").glob("*.yaml"))]
    files += [("vendor", p) for p in sorted((root / "vendors").glob("*.yaml"))]
    return files


def test_one_schema_per_file_kind():
    assert tuple(SCHEMAS) == KINDS


@pytest.mark.parametrize("kind", KINDS)
def test_schema_is_valid_draft7(kind):
    schema = json_schema(kind)
    jsonschema.Draft7Validator.check_schema(schema)
    assert (schema["$schema"], schema["$id"]) == (DRAFT7, f"{kind}.schema.json")
    assert "$defs" not in json.dumps(schema)
    assert render(kind) == json.dumps(schema, indent=2) + "\n"


@pytest.mark.parametrize("kind", KINDS)
def test_schema_uses_only_draft7_keywords(kind):
    # pydantic's own constraint names (ge, le, gt, lt) are not JSON Schema: an editor ignores them.
    found: list[str] = []

    def walk(node: Any, path: str) -> None:
        if isinstance(node, dict):
            for key, value in node.items():
                if key in {"ge", "le", "gt", "lt"} and not path.endswith("properties"):
                    found.append(f"{path}/{key}")
                walk(value, f"{path}/{key}")
        elif isinstance(node, list):
            for index, value in enumerate(node):
                walk(value, f"{path}/{index}")

    walk(json_schema(kind), "#")
    assert found == []


def test_every_field_has_a_description():
    for kind in KINDS:
        schema = json_schema(kind)
        models = [schema, *schema.get("definitions", {}).values()]
        for model in models:
            for name, field in model.get("properties", {}).items():
                assert field.get("description"), f"{kind}: {model.get('title')}.{name} has no description"


# --- `evaltool schema` ----------------------------------------------------------------------------------


def test_schema_command_writes_three_valid_draft7_files(workspace, run_cli, tmp_path):
    out = tmp_path / "out"
    code, stdout, err = run_cli(["schema", "--out", out, "--workspace", workspace()])
    assert (code, err) == (0, "")
    assert stdout.splitlines() == [str(out.resolve() / f"{kind}.schema.json") for kind in KINDS]
    assert sorted(p.name for p in out.iterdir()) == [f"{kind}.schema.json" for kind in KINDS]
    for kind in KINDS:
        written = json.loads((out / f"{kind}.schema.json").read_text())
        jsonschema.Draft7Validator.check_schema(written)
        assert written == json_schema(kind)


def test_schema_command_defaults_to_the_workspace_schemas_folder(workspace, run_cli, monkeypatch):
    root = workspace()
    code, _, err = run_cli(["schema", "--workspace", root])
    assert (code, err) == (0, "")
    assert sorted(p.name for p in (root / "schemas").iterdir()) == [f"{kind}.schema.json" for kind in KINDS]
    other = workspace()
    monkeypatch.chdir(other)
    assert run_cli(["schema"])[0] == 0
    assert (other / "schemas" / "vendor.schema.json").read_text() == render("vendor")


def test_schema_command_overwrites_its_own_output(workspace, run_cli):
    root = workspace()
    (root / "schemas").mkdir()
    (root / "schemas" / "vendor.schema.json").write_text("stale")
    assert run_cli(["schema", "-w", root])[0] == 0
    assert (root / "schemas" / "vendor.schema.json").read_text() == render("vendor")
    assert not [p for p in (root / "schemas").iterdir() if p.suffix == ".tmp"]


@pytest.mark.parametrize("folder", ["vendors", "criteria", "criteria/profiles"])
def test_schema_command_never_writes_into_inputs(workspace, run_cli, folder):
    root = workspace()
    before = sorted(p.name for p in (root / folder).iterdir())
    code, out, err = run_cli(["schema", "-w", root, "--out", root / folder])
    assert (code, out) == (1, "")
    assert "refused: outputs are never written into the workspace's" in err
    assert sorted(p.name for p in (root / folder).iterdir()) == before


# --- the schemas agree with validate --------------------------------------------------------------------


def test_schemas_accept_every_file_of_the_default_workspace(workspace, run_cli, tmp_path):
    root = workspace()
    assert run_cli(["schema", "--out", tmp_path / "s", "-w", root])[0] == 0
    files = workspace_files(root)
    assert len(files) == 6
    for kind, path in files:
        assert schema_errors(kind, path.read_text(), tmp_path / "s") == [], path


def test_schemas_accept_a_scaffolded_vendor(workspace, run_cli):
    root = workspace()
    assert run_cli(["new", "vendor", "delta-db", "-w", root])[0] == 0
    assert schema_errors("vendor", (root / "vendors" / "delta-db.yaml").read_text()) == []


def test_schemas_accept_the_bundled_workspace():
    root = Path(__file__).resolve().parent.parent
    for kind, path in workspace_files(root):
        assert schema_errors(kind, path.read_text(encoding="utf-8")) == [], path


def edit(text: str, old: str, new: str) -> str:
    assert text.count(old) == 1, old
    return text.replace(old, new)


REJECTED = [
    pytest.param("vendor", "vendors/acme-vector", "summary:", "sumary:", id="vendor-unknown-key"),
    pytest.param(
        "vendor", "vendors/acme-vector", "evidence: Logging", "evidense: Logging", id="entry-unknown-key"
    ),
    pytest.param(
        "catalog", "catalog", "  rubric:\n          0: No audit", "  rubrik:\n          0: No", id="rubrik"
    ),
    pytest.param("profile", "profiles/security-first", "gates:", "gate:", id="profile-unknown-key"),
    pytest.param("vendor", "vendors/beta-vector", "name: Beta Vector\n", "", id="vendor-missing-name"),
    pytest.param("vendor", "vendors/beta-vector", "kind: open-source", "kind: opensource", id="vendor-kind"),
    pytest.param("vendor", "vendors/beta-vector", "sec-logging: 4", "sec-logging: four", id="score-string"),
    pytest.param("vendor", "vendors/acme-vector", "score: 3.5", "score: 7", id="long-score-above-5"),
    pytest.param("vendor", "vendors/gamma-llm", "level: claimed", "level: rumour", id="evidence-level"),
    pytest.param("catalog", "catalog", "weight: 60", "weight: -1", id="negative-category-weight"),
    pytest.param("catalog", "catalog", 'version: "2026.11"', "version: 2026.11", id="version-unquoted"),
    pytest.param("catalog", "catalog", "id: com-support", "id: Com_Support", id="criterion-id-pattern"),
    pytest.param(
        "profile", "profiles/security-first", "security: 80", "security: -80", id="negative-profile-weight"
    ),
    pytest.param(
        "vendor", "vendors/beta-vector", "id: beta-vector", "id: Beta Vector", id="vendor-id-pattern"
    ),
]


@pytest.mark.parametrize(("kind", "target", "old", "new"), REJECTED)
def test_schemas_reject_what_validate_rejects(workspace, validate, kind, target, old, new):
    text = edit(workspace.text(target), old, new)
    assert schema_errors(kind, text), f"the {kind} schema accepts {new!r}"
    # and validate agrees that the file is wrong
    assert validate(workspace.edited((target, old, new))).code == 1
