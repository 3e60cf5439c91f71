"""The exception family. Each type carries the exit code the CLI returns for it."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, order=True)
class Problem:
    """One problem found in an input file, reported as ``path:line: key.path: message``."""

    path: str
    line: int
    key: str
    message: str
    warning: bool = False

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        prefix = f"{self.key}: " if self.key else ""
        kind = "warning: " if self.warning else ""
        return f"{where}: {prefix}{kind}{self.message}"


class EvalToolError(Exception):
    """Base of every error evaltool reports on purpose."""

    exit_code = 3


class InputError(EvalToolError):
    """The workspace (or another input) is invalid; the problems say where and why."""

    exit_code = 1

    def __init__(self, problems: list[Problem] | str) -> None:
        if isinstance(problems, str):
            problems = [Problem("", 0, "", problems)]
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


class UsageError(EvalToolError):
    """The command line asks for something that cannot be (unknown profile, bad option value)."""

    exit_code = 2


class OutputError(EvalToolError):
    """An output could not be written (refused path, read-only folder, full disk)."""

    exit_code = 1
