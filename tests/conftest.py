"""Shared fixtures: a `workspace` factory that writes YAML into tmp_path, and CLI runners.

The default workspace is small and valid. Its files are kept here as YAML text, written to disk as is,
so the line numbers that tests assert refer to the text below. A test overrides only the part it breaks:

    root = workspace.edited(("vendors/beta-vector", "sec-logging: 4", "sec-logging: 7"))
    root = workspace(vendors={"beta-vector": None}, files={"vendors/b.yml": "id: b\n"})
    result = validate(root)  # Validation(code, errors, warnings, stdout, stderr)
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

import pytest
from cli_runner import invoke

REPO = Path(__file__).resolve().parent.parent
EVALTOOL_BIN = Path(sys.executable).parent / "evaltool"

# Line numbers matter: tests refer to them. Add new lines at the end only.
CATALOG = """\
catalog: Test catalog
version: "2026.11"
missing: zero
segments: [Vector database, LLM platform]
categories:
  - id: security
    name: Security
    weight: 60
    criteria:
      - id: sec-encryption
        name: Encryption and key management
        weight: 2
        gate: 2
        rubric:
          0: No encryption at rest
          3: Customer-managed keys
          5: Bank-held keys in an HSM
      - id: sec-logging
        name: Audit logging
        rubric:
          0: No audit log
          5: Immutable logs streamed to the SIEM
  - id: commercial
    name: Commercials
    weight: 40
    criteria:
      - id: com-support
        name: Support quality
      - id: com-tco
        name: 3-year total cost of ownership
        type: metric
        unit: USD
        direction: lower
        grading: {best: 100000, worst: 1000000}
      - id: com-latency
        name: p95 query latency
        type: metric
        unit: ms
        direction: lower
"""

# The one warning the default workspace always gives: com-latency has no grading.
LATENCY_WARNING = (
    "criteria/catalog.yaml:35: categories[1].criteria[2].id: warning: metric criterion 'com-latency' has "
    "no grading: its grades are min-max across the compared vendors, so they change with the vendors compared"
)

# gamma-llm scores sec-encryption (60% x 2/3 = 40% of the weight) and com-tco (40% x 1/3 = 13.3%): the
# other 46.7% is unscored, above the 20% a PoC allows (Rules.min_coverage).
UNSCORED_WARNING = (
    "vendors/gamma-llm.yaml:1: warning: gamma-llm: 47% of the weight is unscored and counts as 0"
)

PROFILES = {
    "security-first": """\
id: security-first
name: Security first
description: Security dominates.
weights:
  security: 80
  sec-logging: 3
gates:
  sec-logging: 2
  sec-encryption: null
""",
    "pairwise": """\
id: pairwise
name: Pairwise category weights
ahp:
  items: [security, commercial]
  matrix:
    - [1, 3]
    - ["1/3", 1]
""",
}

VENDORS = {
    "acme-vector": """\
id: acme-vector
name: Acme Vector
segment: Vector database
kind: startup
website: https://example.com
summary: Fictional managed vector search.
facts: {founded: 2021, hq: Austin TX}
radar: assess
assessments:
  - assessor: j.doe
    date: 2026-10-12
    scores:
      sec-encryption: 4
      sec-logging:
        score: 3.5
        evidence: Logging design document
        level: documented
        source: https://example.com/logging.pdf
        expires: 2099-06-30
      com-support: 3
      com-tco:
        value: 240000
        evidence: Vendor quote Q-2026-114
        level: documented
        expires: 2099-06-30
      com-latency: 35
  - assessor: a.smith
    date: "2026-10-14"
    scores:
      sec-encryption: 3
      com-support: null
poc:
  status: planned
  owner: j.doe
  start: 2026-12-01
  timebox_weeks: 6
  success_criteria:
    - {metric: Recall at 10 on the gold set, target: ">= 0.90", method: Offline eval, result: null}
""",
    "beta-vector": """\
id: beta-vector
name: Beta Vector
segment: Vector database
kind: open-source
scores:
  sec-encryption: 2
  sec-logging: 4
  com-support: 4.5
  com-tco: 500000
  com-latency: 20
""",
    "gamma-llm": """\
id: gamma-llm
name: Gamma LLM
segment: LLM platform
kind: enterprise
scores:
  sec-encryption: 5
  com-tco: {value: 900000, level: claimed}
""",
}


Edit = tuple[str, str | None, str | None]


class WorkspaceFactory:
    """Callable that writes a workspace into a fresh folder and returns its path.

    `profiles` and `vendors` are merged into the defaults by id (a value of None removes a default
    file); `files` writes any other relative path (text or bytes, written byte for byte).
    """

    CATALOG = CATALOG
    PROFILES = PROFILES
    VENDORS = VENDORS
    LATENCY_WARNING = LATENCY_WARNING
    UNSCORED_WARNING = UNSCORED_WARNING

    def __init__(self, base: Path) -> None:
        self.base = base
        self.count = 0

    def __call__(
        self,
        catalog: str | None = None,
        profiles: Mapping[str, str | None] | None = None,
        vendors: Mapping[str, str | None] | None = None,
        files: Mapping[str, str | bytes] | None = None,
    ) -> Path:
        self.count += 1
        root = self.base / f"ws{self.count}"
        (root / "criteria" / "profiles").mkdir(parents=True)
        (root / "vendors").mkdir()
        written: dict[str, str | bytes] = {"criteria/catalog.yaml": CATALOG if catalog is None else catalog}
        for folder, defaults, given in (
            ("criteria/profiles", PROFILES, profiles),
            ("vendors", VENDORS, vendors),
        ):
            merged: dict[str, str | None] = {**defaults, **(given or {})}
            written.update({f"{folder}/{key}.yaml": text for key, text in merged.items() if text is not None})
        written.update(files or {})
        for relative, content in written.items():
            path = root / relative
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
        return root

    def text(self, target: str) -> str:
        """Default text of "catalog", "profiles/ID" or "vendors/ID"."""
        if target == "catalog":
            return CATALOG
        folder, _, key = target.partition("/")
        return {"profiles": PROFILES, "vendors": VENDORS}[folder][key]

    def edited(self, *edits: Edit) -> Path:
        """The default workspace with edits (target, old, new) applied to its texts.

        `old` must occur exactly once and is replaced by `new`; "" appends `new` to the file; None
        replaces the whole file with `new`, and a `new` of None too removes the file.
        """
        texts: dict[str, str | None] = {}
        for target, old, new in edits:
            text = texts.get(target, self.text(target))
            if old is None or new is None:
                text = new
            elif text is None:
                raise AssertionError(f"{target} was removed")
            elif old == "":
                text += new
            else:
                assert text.count(old) == 1, f"{old!r} must occur once in {target}"
                text = text.replace(old, new)
            texts[target] = text
        profiles = {k.partition("/")[2]: v for k, v in texts.items() if k.startswith("profiles/")}
        vendors = {k.partition("/")[2]: v for k, v in texts.items() if k.startswith("vendors/")}
        assert texts.get("catalog", "") is not None, "the catalog cannot be removed"
        return self(catalog=texts.get("catalog"), profiles=profiles, vendors=vendors)


@pytest.fixture
def workspace(tmp_path: Path) -> WorkspaceFactory:
    """Factory writing a small valid workspace (overridable per file) into tmp_path."""
    return WorkspaceFactory(tmp_path)


CliResult = tuple[int, str, str]


@pytest.fixture
def run_cli(monkeypatch: pytest.MonkeyPatch) -> Callable[..., CliResult]:
    """Run `evaltool.cli.main(args)` in-process; return (exit code, stdout, stderr)."""

    # Wide, plain output so that help text and usage errors are not wrapped or coloured.
    monkeypatch.setenv("COLUMNS", "200")
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.delenv("EVALTOOL_WORKSPACE", raising=False)

    def run(args: list[str | Path], cwd: Path | None = None) -> CliResult:
        return invoke(args, cwd)

    return run


def run_subprocess(args: list[str | Path], cwd: Path | None = None, **env: str) -> CliResult:
    """Run the installed `evaltool` script (falling back to `python -m evaltool`) in a real process."""
    command = [str(EVALTOOL_BIN)] if EVALTOOL_BIN.exists() else [sys.executable, "-m", "evaltool"]
    environ = {k: v for k, v in os.environ.items() if k != "EVALTOOL_WORKSPACE"}
    environ.update({"COLUMNS": "200", "NO_COLOR": "1", **env})
    done = subprocess.run(
        [*command, *map(str, args)], cwd=cwd, env=environ, capture_output=True, text=True, timeout=120
    )
    return done.returncode, done.stdout, done.stderr


@pytest.fixture
def run_process() -> Callable[..., CliResult]:
    """Run evaltool in a subprocess: (exit code, stdout, stderr)."""
    return run_subprocess


@dataclass(frozen=True)
class Validation:
    """Outcome of `evaltool validate`: exit code, problem lines split into errors and warnings, summary."""

    code: int
    errors: list[str]
    warnings: list[str]
    stdout: str
    stderr: str
    summary: str


@pytest.fixture
def validate(run_cli: Callable[..., CliResult]) -> Callable[..., Validation]:
    """Run `evaltool validate --workspace ROOT [ARGS]` in-process."""

    def run(root: Path, *args: str) -> Validation:
        code, out, err = run_cli(["validate", "--workspace", root, *args])
        assert "Traceback" not in out + err
        *lines, summary = [line for line in out.splitlines() if line] or [""]
        warnings = [line for line in lines if ": warning: " in line]
        errors = [line for line in lines if ": warning: " not in line]
        return Validation(code, errors, warnings, out, err, summary)

    return run


@pytest.fixture
def sample(tmp_path: Path) -> Path:
    """A copy of the bundled sample workspace (15 vendors, 5 segments, 4 profiles)."""
    root = tmp_path / "sample"
    shutil.copytree(REPO / "criteria", root / "criteria")
    shutil.copytree(REPO / "vendors", root / "vendors")
    return root
