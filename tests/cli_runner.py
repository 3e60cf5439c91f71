"""Run the evaltool CLI in this process and capture what it prints: the one runner every test uses."""

from __future__ import annotations

import contextlib
import io
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from evaltool.cli import main

CliResult = tuple[int, str, str]


def invoke(args: Sequence[Any], cwd: Path | None = None) -> CliResult:
    """`evaltool ARGS` in-process, optionally from `cwd`: (exit code, stdout, stderr)."""
    out, err = io.StringIO(), io.StringIO()
    code: int | str | None = 0
    with contextlib.ExitStack() as stack:
        if cwd is not None:
            stack.enter_context(contextlib.chdir(cwd))
        stack.enter_context(contextlib.redirect_stdout(out))
        stack.enter_context(contextlib.redirect_stderr(err))
        try:
            main([str(a) for a in args])
        except SystemExit as exc:
            code = exc.code
    assert isinstance(code, int | None), code
    return code or 0, out.getvalue(), err.getvalue()


def unboxed(text: str) -> str:
    """Output without rich's box drawing and line wrapping (typer draws usage errors in a box)."""
    return " ".join(re.sub(r"[│╭╮╰╯─]", " ", text).split())
