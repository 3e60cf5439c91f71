"""The options the commands share (evaltool/commands/options.py) and the defaults (evaltool/defaults.py).

The formats each command writes are read from the README's CLI reference, the contract users read, not
from the code under test.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from cli_runner import unboxed

from evaltool import defaults
from evaltool.scoring import score
from evaltool.workspace import load_workspace

REPO = Path(__file__).resolve().parent.parent
ROW = re.compile(r"^\| `evaltool (\w+) [^`]*\[--format ([\w\\|]+)\]")


def readme_formats() -> dict[str, list[str]]:
    """Command -> the --format choices the README's CLI reference lists for it, in its order."""
    rows = (ROW.match(line) for line in (REPO / "README.md").read_text(encoding="utf-8").splitlines())
    return {m[1]: m[2].split("\\|") for m in rows if m}


FORMATS = readme_formats()
SAMPLING_COMMANDS = {
    "sensitivity": [],
    "recommend": [],
    "report": ["--format", "md"],
    "export": ["--format", "json"],
}


def test_the_readme_lists_the_formats_of_seven_commands() -> None:
    assert FORMATS == {
        "score": ["table", "json", "csv"],
        "weights": ["table", "json"],
        "sensitivity": ["table", "json"],
        "recommend": ["table", "json"],
        "report": ["html", "md", "pdf"],
        "export": ["xlsx", "csv", "json"],
        "diff": ["table", "json", "md"],
        "trace": ["table", "json", "csv"],
    }


@pytest.mark.parametrize("command", sorted(FORMATS))
def test_an_unknown_format_is_a_usage_error_naming_the_choices(
    run_cli: Callable[..., Any], workspace: Any, command: str
) -> None:
    root = workspace()
    code, out, err = run_cli([command, "-w", root, "--format", "docx"])
    choices = ", ".join(f"'{c}'" for c in FORMATS[command])
    assert (code, out) == (2, "")
    assert err.startswith(f"Usage: evaltool {command} [OPTIONS]")  # diff goes on: {OLD} [NEW]
    assert unboxed(err).endswith(
        f"Error Invalid value for '--format' / '-f': Value error, 'docx' is not one of {choices}."
    )
    assert not (root / "reports").exists()


@pytest.mark.parametrize("command", sorted(FORMATS))
def test_help_lists_the_format_choices(run_cli: Callable[..., Any], command: str) -> None:
    code, out, err = run_cli([command, "--help"])
    assert (code, err) == (0, "")
    assert f"<{'|'.join(FORMATS[command])}>" in unboxed(out)


@pytest.mark.parametrize("command", sorted(SAMPLING_COMMANDS))
@pytest.mark.parametrize(
    ("option", "message"),
    [
        (["--samples", "0"], "--samples must be at least 1, not 0"),
        (["--samples", "1000001"], "--samples must be at most 1,000,000, not 1,000,001"),
        (["--seed", "-1"], "--seed must be 0 or more, not -1"),
        (["--concentration", "0"], "--concentration must be positive, not 0"),
        (["--concentration", "-2.5"], "--concentration must be positive, not -2.5"),
        (["--concentration", "nan"], "--concentration must be positive, not nan"),
        (["--concentration", "inf"], "--concentration must be a finite number, not inf"),
        (["--method", "ahp"], "--method must be one of wsm, topsis, not 'ahp'"),
    ],
)
def test_sampling_settings_are_checked_alike_by_every_command(
    run_cli: Callable[..., Any], workspace: Any, command: str, option: list[str], message: str
) -> None:
    # A negative seed and an infinite concentration used to reach the sampler and end in an internal
    # error (exit 3); the other checks differed from command to command.
    root = workspace()
    code, out, err = run_cli([command, "-w", root, *SAMPLING_COMMANDS[command], *option])
    assert (code, out, err) == (2, "", message + "\n")
    assert not (root / "reports").exists()


def test_a_tiny_concentration_is_allowed_as_the_report_allows_it(
    run_cli: Callable[..., Any], workspace: Any
) -> None:
    code, out, err = run_cli(
        ["sensitivity", "-w", workspace(), "--samples", "50", "--concentration", "0.0001", "--format", "json"]
    )
    assert code == 0, err
    assert json.loads(out)["concentration"] == 0.0001


def test_sensitivity_defaults_are_those_the_readme_states(
    run_cli: Callable[..., Any], workspace: Any
) -> None:
    # README: "10,000 samples and seed 42 by default", "--concentration K ... with K = 100"
    code, out, err = run_cli(["sensitivity", "-w", workspace(), "--format", "json"])
    assert code == 0, err
    data = json.loads(out)
    assert (data["samples"], data["seed"], data["concentration"]) == (10_000, 42, 100.0)


def test_without_as_of_every_layer_takes_today_from_one_place(
    run_cli: Callable[..., Any], workspace: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    # acme-vector's evidence expires on 2099-06-30: stale on 2099-07-01, not the day before
    monkeypatch.setattr(defaults, "today", lambda: dt.date(2099, 7, 1))
    root = workspace()
    code, out, _ = run_cli(["validate", "-w", root])
    assert code == 0
    assert "expired on 2099-06-30 (as of 2099-07-01)" in out
    ws = load_workspace(root)
    assert ws.as_of == dt.date(2099, 7, 1)
    result = score(ws.catalog, ws.vendors)
    assert result.as_of == dt.date(2099, 7, 1)
    assert [c.criterion for c in result.vendor("acme-vector").stale] == ["sec-logging", "com-tco"]
    code, out, err = run_cli(["score", "-w", root, "--format", "json"])
    assert code == 0, err
    assert json.loads(out)["as_of"] == "2099-07-01"
