"""Faults of the machine rather than of the input: files that vanish or cannot be read, an empty or huge
workspace, read-only folders, a full disk, refused targets, and internal errors.

Each fault is simulated where the real one cannot be produced in a test: the suite runs as root in CI,
and root ignores file permissions (chmod 000 and read-only folders have no effect), so unreadable files
and read-only folders are monkeypatched to raise the PermissionError the kernel would give anyone else
(a real chmod test could only run for a non-root user, so there is none). A full disk is an
OSError(ENOSPC) raised from the write or the rename. Every case must end in exit 1 with a one-line
message (3 for an internal error), no traceback, the previous output intact and no temporary file left.
"""

from __future__ import annotations

import errno
import io
import os
import shutil
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from cli_runner import invoke

import evaltool.cli
import evaltool.output
import evaltool.reading
import evaltool.workspace
import evaltool.yamlio
from evaltool.cli import app

REPO = Path(__file__).resolve().parent.parent
OLD = "previous output\n"

Result = tuple[int, str, str]


def run(*args: str | Path) -> Result:
    """`evaltool ARGS` in-process: (exit code, stdout, stderr)."""
    return invoke(args)


@pytest.fixture(autouse=True)
def _plain_environment(monkeypatch, tmp_path):
    monkeypatch.setenv("COLUMNS", "200")
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.delenv("EVALTOOL_WORKSPACE", raising=False)
    # Crash logs of the internal-error tests go to this test's folder, not the shared /tmp.
    logs = tmp_path / "tmp"
    logs.mkdir()
    monkeypatch.setattr("tempfile.tempdir", str(logs))


@pytest.fixture
def bundled(tmp_path) -> Path:
    """A copy of the bundled sample workspace (criteria/ and vendors/ of the repository)."""
    root = tmp_path / "ws"
    for name in ("criteria", "vendors"):
        shutil.copytree(REPO / name, root / name)
    return root


class Proxy:
    """A stand-in for a module inside one evaltool module: the given names replaced, the rest delegated.

    Patching `os.fdopen` itself would change it for the whole process (pytest, tempfile, xlsxwriter);
    replacing `evaltool.output.os` with a proxy confines the fault to the code under test.
    """

    def __init__(self, module: object, **overrides: object) -> None:
        self._module = module
        self.__dict__.update(overrides)

    def __getattr__(self, name: str) -> object:
        return getattr(self._module, name)


def registered(command: str) -> bool:
    """Every writer command must exist: a missing one fails here rather than quietly dropping its cases."""
    assert any(c.name == command for c in app.registered_commands), f"no '{command}' command"
    return True


def leftovers(folder: Path) -> list[str]:
    """Temporary files a writer might have left behind."""
    return sorted(p.name for p in folder.rglob("*") if p.name.endswith(".tmp") or p.name.startswith("."))


def no_traceback(result: Result) -> None:
    assert "Traceback" not in result[1] + result[2]


# --- reading --------------------------------------------------------------------------------------------


def test_a_file_that_vanishes_between_listing_and_reading(bundled, monkeypatch):
    real = evaltool.reading.read_bytes
    victim = bundled / "vendors" / "lumenvec.yaml"

    def vanish_then_read(path: Path) -> bytes:
        if Path(path) == victim:
            victim.unlink()  # listed a moment ago, gone now
        return real(path)

    monkeypatch.setattr(evaltool.reading, "read_bytes", vanish_then_read)
    result = run("validate", "-w", bundled, "--as-of", "2026-01-01")
    no_traceback(result)
    code, out, _ = result
    assert code == 1
    assert [line for line in out.splitlines()[:-1] if ": warning: " not in line] == [
        "vendors/lumenvec.yaml: cannot be read: No such file or directory"
    ]
    assert out.splitlines()[-1].startswith("invalid: 1 error, ")


def test_a_file_that_vanishes_before_the_symlink_check(bundled, monkeypatch):
    # Gone before anything looks at it: the same single problem, the other 14 vendors still checked.
    real = evaltool.reading._yaml_files

    def listed_then_removed(folder: Path) -> list[Path]:
        files = real(folder)
        if folder.name == "vendors":
            files[0].unlink()
        return files

    monkeypatch.setattr(evaltool.reading, "_yaml_files", listed_then_removed)
    code, out, _ = run("validate", "-w", bundled, "--as-of", "2026-01-01")
    assert code == 1
    assert [line for line in out.splitlines()[:-1] if ": warning: " not in line] == [
        "vendors/basaltine.yaml: cannot be read: No such file or directory"
    ]


def _refuse_open_of(monkeypatch, victim: Path) -> None:
    real_open = os.open

    def guarded_open(path, flags, *args, **kwargs):
        if Path(path) == victim:
            raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), str(path))
        return real_open(path, flags, *args, **kwargs)

    monkeypatch.setattr(evaltool.yamlio, "os", Proxy(os, open=guarded_open))


def test_an_unreadable_file_is_one_problem_and_the_rest_is_checked(bundled, monkeypatch):
    # As root, chmod 000 changes nothing: the open is made to fail as it would for anyone else.
    _refuse_open_of(monkeypatch, bundled / "criteria" / "profiles" / "balanced.yaml")
    code, out, _ = run("validate", "-w", bundled, "--as-of", "2026-01-01")
    assert code == 1
    assert [line for line in out.splitlines()[:-1] if ": warning: " not in line] == [
        "criteria/profiles/balanced.yaml: cannot be read: Permission denied"
    ]


def test_an_unreadable_catalog_is_reported_once(bundled, monkeypatch):
    _refuse_open_of(monkeypatch, bundled / "criteria" / "catalog.yaml")
    code, out, _ = run("validate", "-w", bundled)
    assert code == 1
    assert [line for line in out.splitlines()[:-1] if ": warning: " not in line] == [
        "criteria/catalog.yaml: cannot be read: Permission denied"
    ]


def test_a_read_error_in_the_middle_of_a_file(bundled, monkeypatch):
    # An I/O error after the open (a failing disk, a network share gone): reported like any unreadable file.
    victim = bundled / "vendors" / "lumenvec.yaml"
    real_fdopen = os.fdopen

    class Failing(io.RawIOBase):
        def __init__(self, fd: int) -> None:
            self.fd = fd

        def read(self, size: int = -1) -> bytes:
            raise OSError(errno.EIO, os.strerror(errno.EIO))

        def close(self) -> None:
            os.close(self.fd)
            super().close()

    def fdopen(fd: int, *args, **kwargs):
        if os.path.samefile(f"/proc/self/fd/{fd}", victim):
            return Failing(fd)
        return real_fdopen(fd, *args, **kwargs)

    assert Path("/proc/self/fd").is_dir(), "this test needs /proc to tell which file a descriptor is"
    monkeypatch.setattr(evaltool.yamlio, "os", Proxy(os, fdopen=fdopen))
    code, out, _ = run("validate", "-w", bundled, "--as-of", "2026-01-01")
    assert code == 1
    assert [line for line in out.splitlines()[:-1] if ": warning: " not in line] == [
        "vendors/lumenvec.yaml: cannot be read: Input/output error"
    ]


# --- odd workspaces -------------------------------------------------------------------------------------


def test_an_empty_workspace_says_what_is_missing(tmp_path):
    empty = tmp_path / "empty"
    empty.mkdir()
    code, out, err = run("validate", "-w", empty)
    assert code == 1
    assert out.splitlines() == [
        "criteria/catalog.yaml: not found: a workspace needs criteria/catalog.yaml",
        "vendors: warning: no vendor files yet: add vendors/<id>.yaml",
        "invalid: 1 error, 1 warning",
    ]
    assert err == ""


def test_a_workspace_that_does_not_exist_is_a_usage_error(tmp_path):
    assert run("validate", "-w", tmp_path / "missing") == (
        2,
        "",
        f"workspace {tmp_path / 'missing'} is not a folder\n",
    )


def test_scoring_an_empty_workspace_is_exit_1_not_a_crash(tmp_path):
    empty = tmp_path / "empty"
    empty.mkdir()
    for command in ("score", "weights", "recommend"):
        result = run(command, "-w", empty)
        no_traceback(result)
        assert result[0] == 1, command
        assert "criteria/catalog.yaml: not found" in result[2]


def test_two_thousand_vendor_files_validate(bundled):
    # The benchmark (benchmarks/bench_hostile.py) measures 10,000 files and their peak memory.
    template = (bundled / "vendors" / "lumenvec.yaml").read_text(encoding="utf-8")
    for i in range(2000):
        vendor_id = f"bulk-{i:05d}"
        text = template.replace("id: lumenvec", f"id: {vendor_id}", 1)
        (bundled / "vendors" / f"{vendor_id}.yaml").write_text(text, encoding="utf-8")
    code, out, _ = run("validate", "-w", bundled, "--as-of", "2026-01-01")
    assert code == 0, out[-2000:]
    assert "2015 vendors;" in out.splitlines()[-1]


# --- writing --------------------------------------------------------------------------------------------

Writer = tuple[str, Callable[[Path, Path], list[str | Path]]]


def _writers() -> list[Writer]:
    """Every command that writes a file, as (name, args for a workspace and an --out path)."""
    writers: list[Writer] = [("schema", lambda ws, out: ["schema", "-w", ws, "--out", out.parent])]
    if registered("report"):
        writers += [
            (
                "report-html",
                lambda ws, out: ["report", "-w", ws, "-f", "html", "--samples", "100", "-o", out],
            ),
            ("report-md", lambda ws, out: ["report", "-w", ws, "-f", "md", "--samples", "100", "-o", out]),
        ]
    if registered("export"):
        writers += [
            (
                f"export-{fmt}",
                lambda ws, out, fmt=fmt: ["export", "-w", ws, "-f", fmt, "--samples", "100", "-o", out],
            )
            for fmt in ("xlsx", "csv", "json")
        ]
    return writers


WRITERS = _writers()


def _target(root: Path, name: str) -> Path:
    # schema writes catalog.schema.json (and two more) into a folder; the others write the file given.
    folder = root / "reports"
    return folder / ("catalog.schema.json" if name == "schema" else f"out.{name.rsplit('-', 1)[-1]}")


@pytest.mark.parametrize(("name", "args"), WRITERS, ids=[w[0] for w in WRITERS])
def test_a_read_only_output_folder_is_exit_1_with_a_message(bundled, monkeypatch, name, args):
    # As root, a chmod 555 folder is still writable: the temporary file's creation is made to fail instead.
    target = _target(bundled, name)
    target.parent.mkdir()

    def read_only(*a, **k):
        raise PermissionError(errno.EACCES, os.strerror(errno.EACCES))

    monkeypatch.setattr(evaltool.output, "tempfile", Proxy(evaltool.output.tempfile, mkstemp=read_only))
    result = run(*args(bundled, target))
    no_traceback(result)
    code, _, err = result
    assert code == 1
    assert err.splitlines()[-1] == f"{target}: cannot write: Permission denied"
    assert list(target.parent.iterdir()) == []


def _full_disk_on_write(monkeypatch) -> None:
    real_fdopen = os.fdopen

    class Full(io.BufferedWriter):
        def write(self, data) -> int:
            super().write(bytes(data)[:100])  # part of it reaches the temporary file, then the disk is full
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    def fdopen(fd: int, mode: str = "r", *args, **kwargs):
        if "w" in mode:
            return Full(io.FileIO(fd, "w"))
        return real_fdopen(fd, mode, *args, **kwargs)

    monkeypatch.setattr(evaltool.output, "os", Proxy(os, fdopen=fdopen))


def _full_disk_on_rename(monkeypatch) -> None:
    def replace(src, dst):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(evaltool.output, "os", Proxy(os, replace=replace))


@pytest.mark.parametrize("fault", [_full_disk_on_write, _full_disk_on_rename], ids=["write", "rename"])
@pytest.mark.parametrize(("name", "args"), WRITERS, ids=[w[0] for w in WRITERS])
def test_a_full_disk_keeps_the_previous_output_and_leaves_no_temporary_file(
    bundled, monkeypatch, name, args, fault
):
    target = _target(bundled, name)
    target.parent.mkdir()
    target.write_text(OLD)
    fault(monkeypatch)
    result = run(*args(bundled, target))
    no_traceback(result)
    code, _, err = result
    assert code == 1
    assert err.splitlines()[-1] == f"{target}: cannot write: No space left on device"
    assert target.read_text() == OLD
    assert leftovers(target.parent) == []
    assert sorted(p.name for p in target.parent.iterdir()) == [target.name]


def test_a_full_disk_while_scaffolding_leaves_no_partial_vendor_file(bundled, monkeypatch):
    real_fdopen = os.fdopen

    def fdopen(fd: int, mode: str = "r", *args, **kwargs):
        handle = real_fdopen(fd, mode, *args, **kwargs)
        if "w" in mode:

            def full(data: str) -> int:
                raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

            handle.write = full
        return handle

    monkeypatch.setattr(evaltool.output, "os", Proxy(os, fdopen=fdopen))
    result = run("new", "vendor", "fresh-vendor", "-w", bundled)
    no_traceback(result)
    code, _, err = result
    assert code == 1
    assert err.splitlines()[-1].endswith("fresh-vendor.yaml: cannot create: No space left on device")
    assert not (bundled / "vendors" / "fresh-vendor.yaml").exists()


def _refused_targets(root: Path) -> list[tuple[str, list[str | Path], str]]:
    """(what, args, folder named in the refusal) for every writer and every way into an input folder."""
    (root / "reports").mkdir(exist_ok=True)
    (root / "reports" / "into-vendors").symlink_to(root / "vendors")
    cases: list[tuple[str, list[str | Path], str]] = [
        ("schema-vendors", ["schema", "-w", root, "--out", root / "vendors"], "vendors"),
        ("schema-profiles", ["schema", "-w", root, "--out", root / "criteria" / "profiles"], "criteria"),
        ("schema-dotdot", ["schema", "-w", root, "--out", root / "reports" / ".." / "vendors"], "vendors"),
        ("schema-via-link", ["schema", "-w", root, "--out", root / "reports" / "into-vendors"], "vendors"),
    ]
    if registered("report"):
        cases += [
            ("report-vendors", ["report", "-w", root, "-o", root / "vendors" / "x.html"], "vendors"),
            ("report-catalog", ["report", "-w", root, "-o", root / "criteria" / "catalog.yaml"], "criteria"),
            (
                "report-via-link",
                ["report", "-w", root, "-o", root / "reports" / "into-vendors" / "x.md"],
                "vendors",
            ),
        ]
    if registered("export"):
        cases += [
            (
                "export-vendors",
                ["export", "-w", root, "-o", root / "vendors" / "lumenvec.yaml.csv"],
                "vendors",
            ),
            ("export-criteria", ["export", "-w", root, "-o", root / "criteria" / "x.xlsx"], "criteria"),
            (
                "export-new-folder",
                ["export", "-w", root, "-o", root / "vendors" / "new" / "x.json"],
                "vendors",
            ),
        ]
    return cases


def test_no_writer_writes_into_criteria_or_vendors(bundled):
    before = {p: p.read_bytes() for p in bundled.rglob("*") if p.is_file()}
    cases = _refused_targets(bundled)
    assert len(cases) >= 4
    for what, args, folder in cases:
        result = run(*args)
        no_traceback(result)
        code, _, err = result
        assert code == 1, what
        assert err.splitlines()[-1].endswith(
            f": refused: outputs are never written into the workspace's {folder}/ folder"
        ), (what, err)
    after = {p: p.read_bytes() for p in bundled.rglob("*") if p.is_file()}
    assert after == before


def test_a_link_planted_at_the_output_path_is_replaced_not_followed(bundled, tmp_path):
    # reports/x.json -> a file outside: the write replaces the link; the file it pointed to is untouched.
    precious = tmp_path / "precious.txt"
    precious.write_text(OLD)
    (bundled / "reports").mkdir()
    planted = bundled / "reports" / "catalog.schema.json"
    planted.symlink_to(precious)
    code, _, err = run("schema", "-w", bundled, "--out", bundled / "reports")
    assert code == 0, err
    assert precious.read_text() == OLD
    assert not planted.is_symlink()
    assert planted.read_text().startswith("{")


# --- internal errors ------------------------------------------------------------------------------------


def _boom(*args, **kwargs):
    raise RuntimeError("boom: a bug, not bad input")


def _one_line_naming_the_log(err: str, tmp_path: Path) -> Path:
    # Before it, only what the command printed on purpose (the count of warnings) may appear.
    *before, last = err.splitlines()
    assert all(line.startswith("note: ") for line in before), err
    lines = [last]
    prefix = "evaltool: internal error (RuntimeError); details written to "
    assert lines[0].startswith(prefix)
    log = Path(lines[0].removeprefix(prefix))
    assert log.parent == tmp_path / "tmp"
    text = log.read_text(encoding="utf-8")
    assert "Traceback" in text
    assert "boom: a bug, not bad input" in text
    return log


def test_an_internal_error_in_validate_is_exit_3_and_one_line(bundled, monkeypatch, tmp_path):
    monkeypatch.setattr(evaltool.workspace, "check_workspace", _boom)
    code, out, err = run("validate", "-w", bundled)
    assert (code, out) == (3, "")
    _one_line_naming_the_log(err, tmp_path)


def test_an_internal_error_while_rendering_writes_nothing(bundled, monkeypatch, tmp_path):
    import evaltool.reports

    out = bundled / "reports" / "report.html"
    monkeypatch.setattr(evaltool.reports, "render_html", _boom)
    code, stdout, err = run("report", "-w", bundled, "--samples", "100", "-o", out)
    assert (code, stdout) == (3, "")
    _one_line_naming_the_log(err, tmp_path)
    assert not out.parent.exists() or list(out.parent.iterdir()) == []


@pytest.mark.parametrize(("name", "args"), WRITERS, ids=[w[0] for w in WRITERS])
def test_an_internal_error_while_writing_keeps_the_previous_output(
    bundled, monkeypatch, tmp_path, name, args
):
    # Not an OSError, so not "cannot write": exit 3, and still no partial or temporary file.
    target = _target(bundled, name)
    target.parent.mkdir()
    target.write_text(OLD)
    monkeypatch.setattr(evaltool.output, "os", Proxy(os, fsync=_boom))
    code, _, err = run(*args(bundled, target))
    assert code == 3
    _one_line_naming_the_log(err, tmp_path)
    assert target.read_text() == OLD
    assert sorted(p.name for p in target.parent.iterdir()) == [target.name]


def test_an_internal_error_when_the_log_cannot_be_written_is_still_one_line(bundled, monkeypatch):
    monkeypatch.setattr(evaltool.workspace, "check_workspace", _boom)

    def no_tmp(*args, **kwargs):
        raise OSError(errno.EROFS, os.strerror(errno.EROFS))

    monkeypatch.setattr(evaltool.cli, "tempfile", Proxy(evaltool.cli.tempfile, mkstemp=no_tmp))
    assert run("validate", "-w", bundled) == (
        3,
        "",
        "evaltool: internal error (RuntimeError); the details could not be written (Read-only file system)\n",
    )


def test_ctrl_c_is_exit_130(bundled, monkeypatch):
    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(evaltool.workspace, "check_workspace", interrupted)
    code, out, err = run("validate", "-w", bundled)
    assert (code, out) == (130, "")
    assert err.strip() in ("", "interrupted")  # click stops quietly inside a command; main() says so outside


def test_the_installed_script_reports_an_internal_error_the_same_way(tmp_path):
    # A real process: a workspace path that makes the core fail unexpectedly is hard to build, so the
    # script is run with a sitecustomize that breaks check_workspace.
    hook = tmp_path / "hook"
    hook.mkdir()
    (hook / "sitecustomize.py").write_text(
        "import evaltool.workspace\n"
        "def _boom(*a, **k):\n    raise RuntimeError('boom: a bug, not bad input')\n"
        "evaltool.workspace.check_workspace = _boom\n"
    )
    import subprocess

    env = {**os.environ, "PYTHONPATH": str(hook), "TMPDIR": str(tmp_path / "tmp")}
    env.pop("EVALTOOL_WORKSPACE", None)
    done = subprocess.run(
        [sys.executable, "-m", "evaltool", "validate", "-w", str(REPO)],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert (done.returncode, done.stdout) == (3, "")
    _one_line_naming_the_log(done.stderr, tmp_path)
