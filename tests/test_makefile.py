"""The README's two commands: what `make run` and `make test` install, and `make run` on a broken workspace.

`make run` installs the runtime dependencies only; `make test` adds the dev extras to the same venv; each
install happens once, until pyproject.toml or constraints.txt changes. With a vendor file that does not
validate, `make run` prints the problems and still serves the dashboard, whose page lists them as
`file:line` (README, "The dashboard"). The browser part is skipped only where /usr/bin/chromium is absent.
"""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from test_dashboard_browser import ARGS, CHROMIUM, NEEDS_CHROMIUM, _free_port, _settle, _stop, _wait_healthy

REPO = Path(__file__).resolve().parent.parent
# make passes its own flags to a nested make through these; a dry run here must not inherit them.
MAKE_ENV = {k: v for k, v in os.environ.items() if k not in ("MAKEFLAGS", "MFLAGS", "MAKELEVEL")}


def _dry_run(target: str, venv: Path) -> list[str]:
    """The commands `make -n TARGET` would run with the venv at VENV, one per line."""
    done = subprocess.run(
        ["make", "--no-print-directory", "-n", target, f"VENV={venv}"],
        cwd=REPO, env=MAKE_ENV, capture_output=True, text=True, check=True,
    )  # fmt: skip
    return done.stdout.splitlines()


def _installs(lines: list[str]) -> list[str]:
    return [line for line in lines if " pip install " in line]


def _stamps(lines: list[str]) -> list[Path]:
    return [Path(shlex.split(line)[1]) for line in lines if line.startswith("touch ")]


def test_run_installs_only_the_runtime_dependencies(tmp_path: Path) -> None:
    venv = tmp_path / "venv"
    run = _installs(_dry_run("run", venv))
    assert run == [
        f'{venv}/bin/python -m pip install --quiet --upgrade "pip>=24"',
        f"{venv}/bin/python -m pip install --quiet -c constraints.txt -e .",
    ]
    test = _installs(_dry_run("test", venv))
    assert test == [*run, f'{venv}/bin/python -m pip install --quiet -c constraints.txt -e ".[dev]"']


def test_each_target_installs_what_it_needs_once(tmp_path: Path) -> None:
    venv = tmp_path / "venv"
    (runtime,) = _stamps(_dry_run("run", venv))
    runtime_and_dev = _stamps(_dry_run("test", venv))
    assert runtime_and_dev[0] == runtime and len(runtime_and_dev) == 2
    dev = runtime_and_dev[1]
    (venv / "bin").mkdir(parents=True)
    (venv / "bin" / "python").touch()
    runtime.touch()  # `make run` has installed the runtime dependencies
    assert _installs(_dry_run("run", venv)) == []
    assert _installs(_dry_run("test", venv)) == [
        f'{venv}/bin/python -m pip install --quiet -c constraints.txt -e ".[dev]"'
    ]
    dev.touch()  # and `make test` the dev extras
    assert _installs(_dry_run("run", venv)) == []
    assert _installs(_dry_run("test", venv)) == []
    for stamp in (runtime, dev):  # pyproject.toml or constraints.txt changed since: both install again
        os.utime(stamp, (0, 0))
    assert len(_installs(_dry_run("run", venv))) == 1
    assert len(_installs(_dry_run("test", venv))) == 2


def test_run_does_not_stop_on_a_failing_validate(tmp_path: Path) -> None:
    """validate's exit 1 (problems found) lets the dashboard start; a usage error (2) still stops make."""
    runtime = _stamps(_dry_run("run", tmp_path / "fresh-venv"))[0].name
    for status, make_fails in ((0, False), (1, False), (2, True), (3, True)):
        venv = tmp_path / f"exit{status}"
        (venv / "bin").mkdir(parents=True)
        fake = venv / "bin" / "evaltool"  # stands in for evaltool: says which command, validate exits STATUS
        fake.write_text(f'#!/bin/sh\necho "$1"\n[ "$1" = validate ] && exit {status}\nexit 0\n')
        fake.chmod(0o755)
        done = subprocess.run(
            ["make", "--no-print-directory", "run", f"VENV={venv}", "-o", str(venv / runtime)],
            cwd=REPO, env=MAKE_ENV, capture_output=True, text=True,
        )  # fmt: skip
        ran = done.stdout.splitlines()
        assert ("dashboard" in ran) is not make_fails, (status, done.stdout, done.stderr)
        assert (done.returncode != 0) is make_fails, (status, done.returncode)


@pytest.fixture
def make_run(tmp_path: Path) -> Iterator[tuple[str, Path, int]]:
    """The real `make run` (this venv, nothing installed) on a copy of the sample with one misspelt criterion.

    Yields the URL, make's output log, and the line of the misspelt key in vendors/tessaloom.yaml.
    """
    root = tmp_path / "sample"
    shutil.copytree(REPO / "criteria", root / "criteria")
    shutil.copytree(REPO / "vendors", root / "vendors")
    vendor = root / "vendors" / "tessaloom.yaml"
    lines = vendor.read_text(encoding="utf-8").splitlines(keepends=True)
    line = lines.index("      reg-audit-rights:\n") + 1
    lines[line - 1] = "      reg-audit-rigths:\n"
    vendor.write_text("".join(lines), encoding="utf-8")
    venv = Path(sys.prefix)
    (runtime,) = _stamps(_dry_run("run", tmp_path / "fresh-venv"))
    port = _free_port()
    log = tmp_path / "make.log"
    env = {**MAKE_ENV, "EVALTOOL_WORKSPACE": str(root)}
    with log.open("wb") as out:  # -o: this venv is already complete, install nothing into it
        process = subprocess.Popen(
            ["make", "--no-print-directory", "run", f"VENV={venv}", f"PORT={port}",
             "-o", str(venv / runtime.name)],
            cwd=REPO, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True,
        )  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_healthy(url, process, log)
        yield url, log, line
    finally:
        _stop(process, port)


@NEEDS_CHROMIUM
def test_make_run_with_a_broken_vendor_serves_the_problems_page(make_run: tuple[str, Path, int]) -> None:
    from playwright.sync_api import expect, sync_playwright

    url, log, line = make_run
    problem = (
        f"vendors/tessaloom.yaml:{line}: assessments[0].scores.reg-audit-rigths: "
        "unknown criterion 'reg-audit-rigths' (did you mean 'reg-audit-rights'?)"
    )
    printed = log.read_text(encoding="utf-8")
    assert problem in printed.splitlines()
    assert "invalid: 1 error, " in printed
    assert "The workspace has problems (listed above); the dashboard shows them too." in printed
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=ARGS)
        try:
            tab = chromium.new_page(viewport={"width": 1440, "height": 900})
            tab.goto(url)
            tab.get_by_role("heading", name="The workspace has problems", level=1).wait_for(timeout=60_000)
            _settle(tab)
            errors = tab.locator("[data-testid='stMain'] [data-testid='stCode']").first
            expect(errors).to_contain_text(problem, timeout=60_000)  # the code block renders after the page
            listed = errors.inner_text().splitlines()
            body = tab.locator("[data-testid='stMain']").inner_text()
        finally:
            chromium.close()
    assert "1 problem must be fixed before the evaluation can be shown." in body
    assert listed == [problem]
    assert "Who leads" not in body
