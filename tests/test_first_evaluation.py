"""docs/first-evaluation.md stays true: its commands exist and run, its quoted messages are what they say."""

from __future__ import annotations

import re
import shlex
import shutil
from pathlib import Path
from typing import Any

import pytest
import typer.main
from cli_runner import invoke

from evaltool.cli import app

ROOT = Path(__file__).resolve().parents[1]
GUIDE = (ROOT / "docs" / "first-evaluation.md").read_text(encoding="utf-8")
SETUP = [["git", "clone", "<URL", "of", "this", "repository>", "evaltool"], ["cd", "evaltool"],
         [".", ".venv/bin/activate"]]  # fmt: skip
SERVES = {"dashboard"}  # runs until stopped: parsed, not run


def _blocks(lang: str) -> list[str]:
    return re.findall(rf"^```{lang}\n(.*?)^```$", GUIDE, flags=re.M | re.S)


def _shell_lines() -> list[list[str]]:
    """Every command of the guide's `sh` blocks, split as the shell would, comments dropped."""
    lines = [shlex.split(line, comments=True) for block in _blocks("sh") for line in block.splitlines()]
    return [line for line in lines if line]


def _evaltool_lines() -> list[list[str]]:
    return [line[1:] for line in _shell_lines() if line[0] == "evaltool"]


def _command(args: list[str]) -> tuple[Any, list[str]]:
    """The command `evaltool ARGS` names (typer's own click), and the arguments left for it."""
    command: Any = typer.main.get_command(app)
    while hasattr(command, "commands"):  # a group: the next word picks the command
        name, *args = args
        assert name in command.commands, f"no command {name!r}"
        command = command.commands[name]
    return command, args


def test_the_guide_shows_the_whole_path() -> None:
    verbs = [" ".join(line[:2] if line[0] == "new" else line[:1]) for line in _evaltool_lines()]
    assert verbs == ["new vendor", "template", "template", "import", "import", "validate", "score", "score",
                     "sensitivity", "recommend", "dashboard", "report", "export", "new decision"]  # fmt: skip


def test_every_shell_line_is_setup_a_make_target_or_evaltool() -> None:
    targets = set(re.findall(r"^([a-z]+):", (ROOT / "Makefile").read_text(encoding="utf-8"), re.M))
    odd = [line for line in _shell_lines() if line[0] != "evaltool" and line not in SETUP
           and not (line[0] == "make" and len(line) == 2 and line[1] in targets)]  # fmt: skip
    assert odd == []


@pytest.mark.parametrize("args", _evaltool_lines(), ids=" ".join)
def test_every_command_of_the_guide_parses(args: list[str]) -> None:
    command, rest = _command(args)
    command.make_context(f"evaltool {command.name}", list(rest))  # a bad option raises click.UsageError


@pytest.fixture
def sample(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the bundled sample workspace, the folder the guide's commands run in."""
    monkeypatch.delenv("EVALTOOL_WORKSPACE", raising=False)
    for folder in ("criteria", "vendors", "schemas"):
        shutil.copytree(ROOT / folder, tmp_path / folder)
    return tmp_path


def test_the_guide_runs_on_the_sample_workspace(sample: Path) -> None:
    for args in _evaltool_lines():
        if args[0] in SERVES:
            continue
        if args[0] == "import":
            _fill_in(sample / args[1])  # what the assessor does between template and import
        command, _ = _command(args)
        few = ["--samples", "200"] if any("--samples" in p.opts for p in command.params) else []
        code, out, err = invoke([*args, *few], cwd=sample)
        assert code == 0, (args, out, err)
    assert '  - assessor: "m.chen"\n' in (sample / "vendors" / "acme-vector.yaml").read_text(encoding="utf-8")
    assert [p.name.startswith("vector-database-") for p in (sample / "decisions").iterdir()] == [True]
    written = sorted(p.suffix for p in (sample / "reports").iterdir())
    assert written == [".html", ".xlsx", ".xlsx"]  # the report, the scorecard and the segment's workbook
    assert (sample / "reports" / "vector-database-scoring.xlsx").exists()


def _fill_in(workbook: Path) -> None:
    import openpyxl

    book = openpyxl.load_workbook(workbook)
    book.worksheets[1]["B5"] = "2026-11-20"
    book.worksheets[1]["E9"] = 4
    book.save(workbook)


def test_the_validate_messages_quoted_are_the_ones_validate_prints(sample: Path) -> None:
    assert invoke(["new", "vendor", "acme-vector", "--segment", "Vector database"], cwd=sample)[0] == 0
    vendor = sample / "vendors" / "acme-vector.yaml"
    text = vendor.read_text(encoding="utf-8")
    slips = [("sec-encryption: null", "sec-encryptoin: 4"), ("ven-references: null", "ven-references: 7")]
    for good, bad in slips:
        assert text.count(f"      {good}\n") == 1
        text = text.replace(f"      {good}\n", f"      {bad}\n")
    vendor.write_text(text, encoding="utf-8")
    quoted = [line for block in _blocks("text") for line in block.splitlines()
              if line.startswith("vendors/acme-vector.yaml:")]  # fmt: skip
    assert len(quoted) == 2
    code, out, err = invoke(["validate"], cwd=sample)
    assert code == 1
    assert [line for line in quoted if line not in (out + err).splitlines()] == []


def test_every_screenshot_shown_is_one_the_script_writes_and_is_small() -> None:
    shown = re.findall(r"!\[[^\]]*\]\(img/([^)]+)\)", GUIDE)
    script = (ROOT / "docs" / "screenshots.py").read_text(encoding="utf-8")
    written = re.findall(r'^    "([a-z-]+)": \(', script, flags=re.M)
    assert sorted(shown) == sorted(f"{name}.png" for name in written)
    sizes = {name: (ROOT / "docs" / "img" / name).stat().st_size for name in shown}
    assert {name: size for name, size in sizes.items() if size > 300_000} == {}
