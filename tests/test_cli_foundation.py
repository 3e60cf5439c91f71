"""Tests of the CLI foundation (evaltool.cli, commands/validate, new, schema): the docs/cli.md contract.

Most tests run `evaltool.cli.main` in-process (`run_cli`); a few run the installed script in a real
process (`run_process`) to prove the exit codes end to end.
"""

from __future__ import annotations

import re
import subprocess
import sys
import tempfile
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
import typer

from evaltool import __version__, cli
from evaltool.workspace import load_workspace

REPO = Path(__file__).resolve().parent.parent
HEAVY = ("pandas", "numpy", "plotly", "streamlit")


def plain(text: str) -> str:
    """Help output without rich's box drawing and wrapping."""
    return " ".join(re.sub(r"[│╭╮╰╯─]", " ", text).split())


def command_paths() -> list[tuple[str, ...]]:
    """Every command and subcommand of the app, as argument paths."""
    paths: list[tuple[str, ...]] = []

    def walk(command: Any, path: tuple[str, ...]) -> None:
        paths.append(path)
        for name, sub in getattr(command, "commands", {}).items():
            walk(sub, (*path, name))

    walk(typer.main.get_command(cli.app), ())
    return paths


def command_at(path: tuple[str, ...]) -> Any:
    command: Any = typer.main.get_command(cli.app)
    for name in path:
        command = command.commands[name]
    return command


# --- help and usage errors -----------------------------------------------------------------------------


def test_the_foundation_commands_are_registered():
    paths = command_paths()
    for path in [(), ("validate",), ("schema",), ("new",), ("new", "vendor")]:
        assert path in paths


@pytest.mark.parametrize("path", command_paths(), ids=lambda p: " ".join(p) or "evaltool")
def test_every_command_has_help_text(run_cli, path):
    command = command_at(path)
    summary = (command.help or "").strip().splitlines()[0] if command.help else ""
    assert summary, f"`evaltool {' '.join(path)}` has no description"
    code, out, err = run_cli([*path, "--help"])
    assert (code, err) == (0, "")
    assert f"Usage: evaltool {' '.join(path)}".rstrip() in plain(out)
    assert plain(summary) in plain(out)
    for param in command.params:
        if param.param_type_name == "option" and param.name != "help":
            assert (param.help or "").strip(), (
                f"option {param.opts} of `evaltool {' '.join(path)}` has no help"
            )


@pytest.mark.parametrize(
    ("args", "usage", "error"),
    [
        (["bogus"], "Usage: evaltool [OPTIONS] COMMAND [ARGS]...", "No such command 'bogus'."),
        (["validate", "--bogus"], "Usage: evaltool validate [OPTIONS]", "No such option: --bogus"),
        (["schema", "--bogus"], "Usage: evaltool schema [OPTIONS]", "No such option: --bogus"),
        (
            ["new", "supplier", "x"],
            "Usage: evaltool new [OPTIONS] COMMAND [ARGS]...",
            "No such command 'supplier'.",
        ),
        (["new", "vendor"], "Usage: evaltool new vendor [OPTIONS] {ID}", "Missing argument 'ID'."),
    ],
)
def test_unknown_command_or_option_is_a_usage_error(run_cli, args, usage, error):
    code, out, err = run_cli(args)
    assert (code, out) == (2, "")
    assert err.startswith(usage + "\n")
    assert error in plain(err)
    assert "Traceback" not in err


def test_version(run_cli):
    assert run_cli(["--version"]) == (0, f"evaltool {__version__}\n", "")


def test_python_dash_m_evaltool_version():
    done = subprocess.run(
        [sys.executable, "-m", "evaltool", "--version"], capture_output=True, text=True, timeout=120, cwd=REPO
    )
    assert (done.returncode, done.stdout, done.stderr) == (0, f"evaltool {__version__}\n", "")


# --- exit codes end to end -----------------------------------------------------------------------------


def test_exit_codes_in_a_real_process(workspace, run_process):
    good = workspace()
    bad = workspace.edited(("vendors/beta-vector", "sec-logging: 4", "sec-logging: 7"))

    code, out, err = run_process(["validate", "--workspace", good])
    assert (code, err) == (0, "")
    assert out.splitlines() == [
        workspace.LATENCY_WARNING,
        workspace.UNSCORED_WARNING,
        "valid: 1 catalog (5 criteria), 2 profiles, 3 vendors; 0 errors, 2 warnings",
    ]

    code, out, err = run_process(["validate", "--workspace", bad])
    assert (code, err) == (1, "")
    assert out.splitlines() == [
        "vendors/beta-vector.yaml:7: scores.sec-logging: score 7 is outside the rubric scale 0..5",
        workspace.LATENCY_WARNING,
        workspace.UNSCORED_WARNING,
        "invalid: 1 error, 2 warnings",
    ]

    code, out, err = run_process(["validate", "--nope"], cwd=good)
    assert (code, out) == (2, "")
    assert "No such option: --nope" in err

    code, out, err = run_process(["validate", "--workspace", good / "missing"])
    assert (code, out, err) == (2, "", f"workspace {good / 'missing'} is not a folder\n")


# --- which workspace -----------------------------------------------------------------------------------


@pytest.fixture
def three_workspaces(workspace):
    """Workspaces told apart by their vendor count: 3, 2 and 1."""
    flag = workspace()
    env = workspace(vendors={"gamma-llm": None})
    cwd = workspace(vendors={"gamma-llm": None, "beta-vector": None})
    return flag, env, cwd


def vendors_seen(stdout: str) -> int:
    match = re.search(r"(\d+) vendors?;", stdout.splitlines()[-1])
    assert match, stdout
    return int(match.group(1))


def test_workspace_flag_beats_environment_beats_current_folder(run_cli, monkeypatch, three_workspaces):
    flag, env, cwd = three_workspaces
    monkeypatch.chdir(cwd)
    assert vendors_seen(run_cli(["validate"])[1]) == 1
    monkeypatch.setenv("EVALTOOL_WORKSPACE", str(env))
    assert vendors_seen(run_cli(["validate"])[1]) == 2
    assert vendors_seen(run_cli(["validate", "--workspace", flag])[1]) == 3
    assert vendors_seen(run_cli(["validate", "-w", flag])[1]) == 3


def test_empty_environment_variable_means_the_current_folder(run_cli, monkeypatch, three_workspaces):
    monkeypatch.chdir(three_workspaces[2])
    monkeypatch.setenv("EVALTOOL_WORKSPACE", "")
    assert vendors_seen(run_cli(["validate"])[1]) == 1


def test_workspace_from_the_environment_in_a_real_process(run_process, three_workspaces):
    flag, env, cwd = three_workspaces
    assert vendors_seen(run_process(["validate"], cwd=cwd, EVALTOOL_WORKSPACE=str(env))[1]) == 2
    assert vendors_seen(run_process(["validate", "-w", flag], cwd=cwd, EVALTOOL_WORKSPACE=str(env))[1]) == 3


@pytest.mark.parametrize("command", [["validate"], ["schema"], ["new", "vendor", "x"]])
def test_a_workspace_that_is_not_a_folder_is_a_usage_error(run_cli, tmp_path, command):
    missing = tmp_path / "nowhere"
    assert run_cli([*command, "--workspace", missing]) == (2, "", f"workspace {missing} is not a folder\n")


def test_validate_a_folder_that_is_not_a_workspace(run_cli, tmp_path):
    code, out, _ = run_cli(["validate", "--workspace", tmp_path])
    assert code == 1
    assert out.splitlines() == [
        "criteria/catalog.yaml: not found: a workspace needs criteria/catalog.yaml",
        "vendors: warning: no vendor files yet: add vendors/<id>.yaml",
        "invalid: 1 error, 1 warning",
    ]


# --- evaltool new vendor -------------------------------------------------------------------------------


def test_new_vendor_scaffolds_every_criterion_with_its_rubric(workspace, run_cli, validate):
    root = workspace()
    code, out, err = run_cli(["new", "vendor", "delta-db", "--workspace", root])
    assert (code, out, err) == (0, "created vendors/delta-db.yaml: 5 criteria to score\n", "")
    text = (root / "vendors" / "delta-db.yaml").read_text()
    assert re.findall(r"^ +([a-z-]+): null$", text, flags=re.M) == [
        "sec-encryption",
        "sec-logging",
        "com-support",
        "com-tco",
        "com-latency",
    ]
    for comment in [
        "# Encryption and key management: score 0..5; gate: >= 2 (knock-out)",
        "#   0: No encryption at rest",
        "#   3: Customer-managed keys",
        "#   5: Bank-held keys in an HSM",
        "#   5: Immutable logs streamed to the SIEM",
        "# 3-year total cost of ownership: metric in USD, lower is better",
    ]:
        assert comment in text
    assert "id: delta-db\n" in text
    assert 'segment: "Vector database"' in text

    result = validate(root)
    assert (result.code, result.errors) == (0, [])
    assert result.warnings == [
        workspace.LATENCY_WARNING,
        "vendors/delta-db.yaml:1: warning: delta-db: 100% of the weight is unscored and counts as 0; "
        "under 50% scored it is not assessed and not ranked",
        workspace.UNSCORED_WARNING,
    ]
    assert result.summary == "valid: 1 catalog (5 criteria), 2 profiles, 4 vendors; 0 errors, 3 warnings"


def test_new_vendor_states_a_metric_gate_as_every_output_does(workspace, run_cli):
    root = workspace.edited(
        ("catalog", "        grading: {best: 100000", "        gate: 800000\n        grading: {best: 100000")
    )
    assert run_cli(["new", "vendor", "delta-db", "--workspace", root])[0] == 0
    text = (root / "vendors" / "delta-db.yaml").read_text()
    assert "# 3-year total cost of ownership: metric in USD, lower is better; gate: <= 800,000 USD\n" in text


def test_new_vendor_file_still_validates_once_scored(workspace, run_cli, validate):
    root = workspace()
    assert run_cli(["new", "vendor", "delta-db", "-w", root])[0] == 0
    path = root / "vendors" / "delta-db.yaml"
    values = {"sec-encryption": "4", "sec-logging": "2.5", "com-support": "0", "com-tco": "350000"}
    values["com-latency"] = "{value: 12, evidence: Benchmark run, level: poc, expires: 2099-01-31}"
    text = path.read_text()
    for key, value in values.items():
        text = text.replace(f"{key}: null", f"{key}: {value}")
    path.write_text(text)

    result = validate(root)
    assert (result.code, result.errors) == (0, [])
    vendor = next(v for v in load_workspace(root).vendors if v.id == "delta-db")
    [(_, scores)] = vendor.all_assessments()
    assert {k: getattr(v, "given", v) for k, v in scores.items()} == {
        "sec-encryption": 4,
        "sec-logging": 2.5,
        "com-support": 0,
        "com-tco": 350000,
        "com-latency": 12,
    }


def test_new_vendor_with_name_and_segment_that_need_quoting(workspace, run_cli):
    root = workspace()
    name = 'Delta: "the DB" #1'
    code, _, err = run_cli(
        ["new", "vendor", "delta-db", "-w", root, "--name", name, "--segment", "LLM platform"]
    )
    assert (code, err) == (0, "")
    vendor = next(v for v in load_workspace(root).vendors if v.id == "delta-db")
    assert (vendor.name, vendor.segment) == (name, "LLM platform")


def test_new_vendor_in_a_catalog_without_segments(workspace, run_cli, validate):
    catalog = workspace.CATALOG.replace("segments: [Vector database, LLM platform]\n", "")
    root = workspace(catalog=catalog)
    assert run_cli(["new", "vendor", "delta-db", "-w", root])[0] == 0
    assert validate(root).code == 0


def test_new_vendor_refuses_to_overwrite(workspace, run_cli):
    root = workspace()
    path = root / "vendors" / "acme-vector.yaml"
    before = path.read_bytes()
    code, out, err = run_cli(["new", "vendor", "acme-vector", "-w", root])
    assert (code, out) == (1, "")
    assert err == "vendors/acme-vector.yaml: vendor 'acme-vector' already exists; refusing to overwrite it\n"
    assert path.read_bytes() == before


def test_new_vendor_refuses_an_id_already_used_by_a_yml_file(workspace, run_cli):
    # Creating delta-db.yaml beside delta-db.yml would make the workspace invalid (a duplicate id).
    root = workspace(files={"vendors/delta-db.yml": "id: delta-db\nname: Delta\nsegment: LLM platform\n"})
    code, out, err = run_cli(["new", "vendor", "delta-db", "-w", root])
    assert (code, out) == (1, "")
    assert "vendors/delta-db.yml" in err
    assert not (root / "vendors" / "delta-db.yaml").exists()


@pytest.mark.parametrize("bad_id", ["Delta", "delta_db", "dèlta", "a" * 65, "../escape", ""])
def test_new_vendor_refuses_an_invalid_id(workspace, run_cli, bad_id):
    root = workspace()
    code, out, err = run_cli(["new", "vendor", bad_id, "-w", root])
    assert (code, out) == (2, "")
    assert err == f"'{bad_id}' is not a valid id: use 1-64 lowercase letters, digits and '-'\n"
    assert sorted(p.name for p in (root / "vendors").iterdir()) == [
        "acme-vector.yaml",
        "beta-vector.yaml",
        "gamma-llm.yaml",
    ]


def test_new_vendor_refuses_a_segment_outside_the_catalog(workspace, run_cli):
    root = workspace()
    code, out, err = run_cli(["new", "vendor", "delta-db", "-w", root, "--segment", "Search"])
    assert (code, out) == (2, "")
    assert err == "--segment 'Search' is not one of the catalog's segments: Vector database, LLM platform\n"
    assert not (root / "vendors" / "delta-db.yaml").exists()


def test_new_vendor_in_an_invalid_workspace_lists_the_problems(workspace, run_cli):
    root = workspace.edited(("catalog", "weight: 60", "weight: -1"))
    code, out, err = run_cli(["new", "vendor", "delta-db", "-w", root])
    assert (code, out) == (1, "")
    assert err == "criteria/catalog.yaml:8: categories[0].weight: must be >= 0, not -1\n"
    assert not (root / "vendors" / "delta-db.yaml").exists()


# --- internal errors -----------------------------------------------------------------------------------


def test_an_internal_error_is_one_line_and_a_log_with_the_traceback(
    workspace, run_cli, monkeypatch, tmp_path
):
    def explode(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr("evaltool.workspace.check_workspace", explode)
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    code, out, err = run_cli(["validate", "--workspace", workspace()])
    assert (code, out) == (3, "")
    match = re.fullmatch(r"evaltool: internal error \(RuntimeError\); details written to (\S+)\n", err)
    assert match, err
    log = Path(match.group(1))
    assert log.parent == tmp_path
    details = log.read_text()
    assert "Traceback (most recent call last)" in details
    assert "RuntimeError: boom" in details
    assert f"evaltool {__version__}" in details


def test_ctrl_c_exits_130(workspace, run_cli, monkeypatch):
    def interrupt(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr("evaltool.workspace.check_workspace", interrupt)
    code, out, err = run_cli(["validate", "--workspace", workspace()])
    assert (code, out) == (130, "")
    assert "Traceback" not in err


# --- speed hygiene: validate stays light ---------------------------------------------------------------

NO_HEAVY_IMPORTS = """
import sys
from evaltool.cli import main
try:
    main(["validate", "--workspace", sys.argv[1]])
except SystemExit as exc:
    code = exc.code
print("exit:", code)
print("heavy:", " ".join(m for m in {heavy!r} if m in sys.modules))
"""


def test_validate_imports_no_pandas_numpy_plotly_or_streamlit(workspace):
    script = NO_HEAVY_IMPORTS.format(heavy=HEAVY)
    done = subprocess.run(
        [sys.executable, "-c", script, str(workspace())], capture_output=True, text=True, timeout=120
    )
    lines = done.stdout.splitlines()
    assert "exit: 0" in lines, done.stdout + done.stderr
    assert "heavy: " in lines, f"`evaltool validate` imported {lines[-1]}"


# --- the bundled sample workspace ----------------------------------------------------------------------


def test_bundled_workspace_validates(run_cli):
    code, out, err = run_cli(["validate"], cwd=REPO)
    *problems, summary = out.splitlines()
    errors = [line for line in problems if ": warning: " not in line]
    assert (code, errors) == (0, []), out + err
    assert summary.startswith("valid: 1 catalog")


def test_bundled_metric_criteria_are_graded_absolutely_in_every_segment(run_cli):
    code, out, _ = run_cli(["validate"], cwd=REPO)
    assert code == 0
    assert "has no grading" not in out
    ws = load_workspace(REPO)
    for criterion in (k for k in ws.catalog.criteria() if k.is_metric):
        assert all(criterion.grading_for(segment) is not None for segment in ws.segments()), criterion.id


def test_bundled_workspace_has_two_vendors_per_segment():
    ws = load_workspace(REPO)
    counts = Counter(vendor.segment for vendor in ws.vendors)
    assert set(ws.catalog.segments or []) <= set(counts), "every declared segment has vendors"
    assert min(counts.values()) >= 2, counts


def test_bundled_files_carry_the_schema_comment():
    files = [REPO / "criteria" / "catalog.yaml", *sorted((REPO / "vendors").glob("*.yaml"))]
    files += sorted((REPO / "criteria" / "profiles").glob("*.yaml"))
    for path in files:
        first = path.read_text(encoding="utf-8").splitlines()[0]
        assert first.startswith("# yaml-language-server: $schema="), path
        kind = {"criteria": "catalog", "profiles": "profile", "vendors": "vendor"}[path.parent.name]
        target = (path.parent / first.split("=", 1)[1]).resolve()
        assert target == REPO / "schemas" / f"{kind}.schema.json", path


def test_new_vendor_offers_relationship_and_risk_acceptances_ready_to_uncomment(workspace, run_cli, validate):
    root = workspace()
    assert run_cli(["new", "vendor", "delta-db", "--workspace", root])[0] == 0
    path = root / "vendors" / "delta-db.yaml"
    text = path.read_text()
    start = text.index("# relationship:")
    block = text[start : text.index("assessments:")]
    assert block.count("\n") == 7  # relationship, then risk_acceptances and one entry of five keys
    filled = "\n".join(line[2:] for line in block.splitlines()) + "\n"
    filled = (
        filled.replace("<criterion id>", "sec-logging")
        .replace("<who accepts the risk, and their role>", "J. Doe, CISO")
        .replace("<why the risk is acceptable>", "compensating control: logs shipped by the bank's agent")
    )
    path.write_text(text[:start] + filled + text[text.index("assessments:") :])
    result = validate(root)
    assert (result.code, result.errors) == (0, [])
    assert not any("delta-db.yaml" in w and "risk acceptance" in w for w in result.warnings)
