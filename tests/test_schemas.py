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

from evaltool.models import Catalog
from evaltool.schemas import DRAFT7, SCHEMAS, json_schema, render

KINDS = ("catalog", "profile", "vendor", "decision")


def as_json(value: Any) -> Any:
    """YAML data as JSON sees it: string keys, dates as ISO strings."""
    if isinstance(value, dict):
        return {str(k): as_json(v) for k, v in value.items()}
    if isinstance(value, list):
        return [as_json(v) for v in value]
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def catalog_of(text: str) -> Catalog:
    return Catalog.model_validate(yaml.safe_load(text))


def validator(kind: str, source: Path | Catalog | None = None) -> jsonschema.Draft7Validator:
    """The schema written into folder `source`, else the one for catalog `source` (None: no catalog)."""
    if isinstance(source, Path):
        return jsonschema.Draft7Validator(json.loads((source / f"{kind}.schema.json").read_text()))
    return jsonschema.Draft7Validator(json_schema(kind, source))


def schema_errors(kind: str, text: str, source: Path | Catalog | None = None) -> list[str]:
    data = as_json(yaml.safe_load(text))
    return [error.message for error in validator(kind, source).iter_errors(data)]


def workspace_files(root: Path) -> list[tuple[str, Path]]:
    files = [("catalog", root / "criteria" / "catalog.yaml")]
    files += [("profile", p) for p in sorted((root / "criteria" / "profiles").glob("*.yaml"))]
    files += [("vendor", p) for p in sorted((root / "vendors").glob("*.yaml"))]
    return files


def test_one_schema_per_file_kind():
    assert tuple(SCHEMAS) == KINDS


@pytest.mark.parametrize("with_catalog", [False, True])
@pytest.mark.parametrize("kind", KINDS)
def test_schema_is_valid_draft7(workspace, kind, with_catalog):
    catalog = catalog_of(workspace.text("catalog")) if with_catalog else None
    schema = json_schema(kind, catalog)
    jsonschema.Draft7Validator.check_schema(schema)
    assert (schema["$schema"], schema["$id"]) == (DRAFT7, f"{kind}.schema.json")
    assert "$defs" not in json.dumps(schema)
    assert render(kind, catalog) == json.dumps(schema, indent=2) + "\n"


@pytest.mark.parametrize("kind", KINDS)
def test_schema_uses_only_draft7_keywords(workspace, kind):
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

    walk(json_schema(kind, catalog_of(workspace.text("catalog"))), "#")
    assert found == []


def test_every_field_has_a_description(workspace):
    for kind in KINDS:
        schema = json_schema(kind, catalog_of(workspace.text("catalog")))
        models = [schema, *schema.get("definitions", {}).values()]
        for model in models:
            for name, field in model.get("properties", {}).items():
                assert field.get("description"), f"{kind}: {model.get('title')}.{name} has no description"


# --- `evaltool schema` ----------------------------------------------------------------------------------


def test_schema_command_writes_a_valid_draft7_file_per_kind(workspace, run_cli, tmp_path):
    out = tmp_path / "out"
    code, stdout, err = run_cli(["schema", "--out", out, "--workspace", workspace()])
    assert (code, err) == (0, "")
    assert stdout.splitlines() == [str(out.resolve() / f"{kind}.schema.json") for kind in KINDS]
    assert sorted(p.name for p in out.iterdir()) == sorted(f"{kind}.schema.json" for kind in KINDS)
    catalog = catalog_of(workspace.text("catalog"))
    for kind in KINDS:
        written = json.loads((out / f"{kind}.schema.json").read_text())
        jsonschema.Draft7Validator.check_schema(written)
        assert written == json_schema(kind, catalog)


def test_schema_command_defaults_to_the_workspace_schemas_folder(workspace, run_cli, monkeypatch):
    root = workspace()
    code, _, err = run_cli(["schema", "--workspace", root])
    assert (code, err) == (0, "")
    written = sorted(p.name for p in (root / "schemas").iterdir())
    assert written == sorted(f"{kind}.schema.json" for kind in KINDS)
    other = workspace()
    monkeypatch.chdir(other)
    assert run_cli(["schema"])[0] == 0
    catalog = catalog_of(workspace.text("catalog"))
    assert (other / "schemas" / "vendor.schema.json").read_text() == render("vendor", catalog)


def test_schema_command_overwrites_its_own_output(workspace, run_cli):
    root = workspace()
    (root / "schemas").mkdir()
    (root / "schemas" / "vendor.schema.json").write_text("stale")
    assert run_cli(["schema", "-w", root])[0] == 0
    catalog = catalog_of(workspace.text("catalog"))
    assert (root / "schemas" / "vendor.schema.json").read_text() == render("vendor", catalog)
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
    text = (root / "vendors" / "delta-db.yaml").read_text()
    assert schema_errors("vendor", text, catalog_of(workspace.text("catalog"))) == []


def test_shipped_schemas_accept_the_bundled_workspace():
    # What the editor checks the sample files against: the committed schemas/ folder.
    root = Path(__file__).resolve().parent.parent
    for kind, path in workspace_files(root):
        assert schema_errors(kind, path.read_text(encoding="utf-8"), root / "schemas") == [], path


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
    assert schema_errors(kind, text, catalog_of(workspace.text("catalog"))), (
        f"the {kind} schema accepts {new!r}"
    )
    assert schema_errors(kind, text), f"without a catalog, the {kind} schema accepts {new!r}"
    # and validate agrees that the file is wrong
    assert validate(workspace.edited((target, old, new))).code == 1


# --- the schemas know the catalog: each common mistake is refused at its key ---------------------------

NOT_ANY = "is not valid under any of the given schemas"
NOT_FINITE = "should not be valid under {'$ref': '#/definitions/NonFinite'}"

# (kind, target, old, new, where the editor flags it, message there or None, a cause below it or None)
MISTAKES = [
    pytest.param(
        "vendor", "vendors/beta-vector", "sec-logging: 4", "sec-loging: 4", "scores",
        "Additional properties are not allowed ('sec-loging' was unexpected)", None, id="misspelled-id",
    ),
    pytest.param(
        "vendor", "vendors/acme-vector", "com-support: 3", "com-suport: 3", "assessments/0/scores",
        "Additional properties are not allowed ('com-suport' was unexpected)", None,
        id="misspelled-id-assessment",
    ),
    pytest.param(
        "vendor", "vendors/beta-vector", "sec-logging: 4", "sec-logging: 7", "scores/sec-logging",
        f"7 {NOT_ANY}", "7 is greater than the maximum of 5.0", id="short-score-7",
    ),
    pytest.param(
        "vendor", "vendors/beta-vector", "sec-logging: 4", "sec-logging: -1", "scores/sec-logging",
        f"-1 {NOT_ANY}", "-1 is less than the minimum of 0", id="short-score-minus-1",
    ),
    pytest.param(
        "vendor", "vendors/beta-vector", "sec-logging: 4", "sec-logging: .nan", "scores/sec-logging",
        f"nan {NOT_ANY}", f"nan {NOT_FINITE}", id="short-score-nan",
    ),
    pytest.param(
        "vendor", "vendors/gamma-llm", "sec-encryption: 5", "sec-encryption: {score: .nan}",
        "scores/sec-encryption", f"{{'score': nan}} {NOT_ANY}", f"nan {NOT_FINITE}", id="long-score-nan",
    ),
    pytest.param(
        "vendor", "vendors/gamma-llm", "sec-encryption: 5", "sec-encryption: {score: -1}",
        "scores/sec-encryption", f"{{'score': -1}} {NOT_ANY}", "-1 is less than the minimum of 0",
        id="long-score-minus-1",
    ),
    pytest.param(
        "vendor", "vendors/beta-vector", "com-tco: 500000", "com-tco: .nan", "scores/com-tco",
        f"nan {NOT_ANY}", f"nan {NOT_FINITE}", id="metric-value-nan",
    ),
    pytest.param(
        "vendor", "vendors/beta-vector", "com-latency: 20", "com-latency: .inf", "scores/com-latency",
        f"inf {NOT_ANY}", f"inf {NOT_FINITE}", id="metric-value-inf",
    ),
    pytest.param(
        "vendor", "vendors/gamma-llm", "sec-encryption: 5", "sec-encryption: {value: 5}",
        "scores/sec-encryption", f"{{'value': 5}} {NOT_ANY}",
        "Additional properties are not allowed ('value' was unexpected)", id="value-on-rubric",
    ),
    pytest.param(
        "vendor", "vendors/gamma-llm", "com-tco: {value: 900000, level: claimed}", "com-tco: {score: 3}",
        "scores/com-tco", f"{{'score': 3}} {NOT_ANY}",
        "Additional properties are not allowed ('score' was unexpected)", id="score-on-metric",
    ),
    pytest.param(
        "vendor", "vendors/beta-vector", "segment: Vector database", "segment: Vector DB", "segment",
        "'Vector DB' is not one of ['Vector database', 'LLM platform']", None, id="unknown-segment",
    ),
    pytest.param(
        "profile", "profiles/security-first", "security: 80", "securty: 80", "weights",
        "Additional properties are not allowed ('securty' was unexpected)", None, id="unknown-weight-key",
    ),
    pytest.param(
        "profile", "profiles/security-first", "sec-logging: 2", "security: 2", "gates",
        "Additional properties are not allowed ('security' was unexpected)", None, id="gate-on-category",
    ),
    pytest.param(
        "profile", "profiles/security-first", "sec-logging: 2", "sec-logging: 7", "gates/sec-logging",
        f"7 {NOT_ANY}", "7 is greater than the maximum of 5.0", id="rubric-gate-7",
    ),
    pytest.param(
        "profile", "profiles/pairwise", "items: [security, commercial]", "items: [security, comercial]",
        "ahp", None, "'comercial' is not one of ['security', 'commercial']", id="ahp-unknown-category",
    ),
]  # fmt: skip


def causes(error: jsonschema.ValidationError) -> list[str]:
    """Every message below an error (the branches of an anyOf, and theirs)."""
    return [m for sub in error.context or [] for m in [sub.message, *causes(sub)]]


@pytest.mark.parametrize(("kind", "target", "old", "new", "where", "message", "cause"), MISTAKES)
def test_schemas_refuse_each_common_mistake_at_its_key(
    workspace, validate, kind, target, old, new, where, message, cause
):
    data = as_json(yaml.safe_load(edit(workspace.text(target), old, new)))
    errors = list(validator(kind, catalog_of(workspace.text("catalog"))).iter_errors(data))
    assert ["/".join(map(str, e.absolute_path)) for e in errors] == [where]
    if message is not None:
        assert errors[0].message == message
    if cause is not None:
        assert cause in causes(errors[0])
    assert validate(workspace.edited((target, old, new))).code == 1


ACCEPTED = [
    pytest.param("vendors/beta-vector", "sec-logging: 4", "sec-logging: 0", id="rubric-0"),
    pytest.param("vendors/beta-vector", "sec-logging: 4", "sec-logging: 5", id="rubric-5"),
    pytest.param("vendors/beta-vector", "sec-logging: 4", "sec-logging: 2.5", id="rubric-half"),
    pytest.param("vendors/beta-vector", "sec-logging: 4", "sec-logging: null", id="not-yet-scored"),
    pytest.param("vendors/gamma-llm", "sec-encryption: 5", "sec-encryption: {score: 5}", id="long-5"),
    pytest.param("vendors/beta-vector", "com-tco: 500000", "com-tco: 12000000", id="metric-beyond-grading"),
    pytest.param("profiles/security-first", "sec-logging: 3", "com-tco: 3", id="criterion-weight"),
    pytest.param("profiles/security-first", "sec-logging: 2", "com-tco: 400000", id="metric-gate"),
]


@pytest.mark.parametrize(("target", "old", "new"), ACCEPTED)
def test_schemas_accept_what_validate_accepts(workspace, validate, target, old, new):
    kind = "vendor" if target.startswith("vendors/") else "profile"
    text = edit(workspace.text(target), old, new)
    assert schema_errors(kind, text, catalog_of(workspace.text("catalog"))) == []
    assert validate(workspace.edited((target, old, new))).code == 0


def test_schema_command_needs_a_valid_catalog(workspace, run_cli):
    root = workspace.edited(("catalog", "weight: 60", "weight: heavy"))
    code, out, err = run_cli(["schema", "-w", root])
    assert (code, out) == (1, "")
    assert err == "criteria/catalog.yaml:8: categories[0].weight: must be a number, not 'heavy'\n"
    assert not (root / "schemas").exists()


# --- validate warns when schemas/ no longer matches the catalog ----------------------------------------

STALE = (
    "schemas/{}.schema.json: warning: {}, so the editor checks against old rules: "
    "run `evaltool schema` to regenerate it"
)
DIFFERS = "differs from what `evaltool schema` writes for this catalog"


def stale_lines(stdout: str) -> list[str]:
    return [line for line in stdout.splitlines() if line.startswith("schemas/")]


def test_validate_is_quiet_about_schemas_it_would_write_and_without_a_schemas_folder(workspace, run_cli):
    root = workspace()
    assert stale_lines(run_cli(["validate", "-w", root])[1]) == []
    assert run_cli(["schema", "-w", root])[0] == 0
    code, out, _ = run_cli(["validate", "-w", root])
    assert (code, stale_lines(out)) == (0, [])


def test_validate_warns_when_the_catalog_changed_since_evaltool_schema(workspace, run_cli):
    root = workspace()
    assert run_cli(["schema", "-w", root])[0] == 0
    catalog = root / "criteria" / "catalog.yaml"
    catalog.write_text(catalog.read_text().replace("name: Support quality", "name: Support and service"))
    code, out, err = run_cli(["validate", "-w", root])
    # The criterion's name is the help text of its score key (vendor) and its weight key (profile).
    assert stale_lines(out) == [STALE.format("profile", DIFFERS), STALE.format("vendor", DIFFERS)]
    assert code == 0
    # with the default workspace's relative-grading warning and gamma-llm's unscored weight
    assert out.endswith("; 0 errors, 4 warnings\n") and err == ""
    assert run_cli(["schema", "-w", root])[0] == 0
    assert stale_lines(run_cli(["validate", "-w", root])[1]) == []


def test_validate_warns_about_a_missing_schema(workspace, run_cli):
    root = workspace()
    assert run_cli(["schema", "-w", root])[0] == 0
    (root / "schemas" / "catalog.schema.json").unlink()
    code, out, _ = run_cli(["validate", "-w", root])
    assert (code, stale_lines(out)) == (0, [STALE.format("catalog", "missing")])
