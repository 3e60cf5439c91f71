"""The exception family. Each type carries the exit code the CLI returns for it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

ProblemCode = Literal[
    "unreadable",  # the file cannot be read or parsed: YAML syntax or limits, encoding, a refused link
    "schema",  # a key or value the file's model rejects: unknown or missing key, wrong type or range
    "invalid",  # a check across keys or files fails: unknown or duplicate id, a score off the scale, ...
    "layout",  # the workspace itself: no catalog, two catalogs, a folder that cannot be used
    "sign-in",  # a dashboard secrets file that sign-in cannot use
    "no-vendors",  # warning: the workspace has no vendor file yet
    "expired-evidence",  # warning: evidence past its expiry date (as of --as-of)
    "relative-grading",  # warning: a metric criterion graded min-max across the segment's vendors
    "ahp-inconsistent",  # warning: a profile's AHP judgements have a consistency ratio above 0.10
    "stale-schema",  # warning: a file of schemas/ differs from what `evaltool schema` writes now
    "unscored-vendor",  # warning: a vendor leaves so much of the catalog's weight unscored it scores low
    "decision-stale",  # warning: the inputs changed since the forum's decision in force for a segment
    "decision-overdue",  # warning: a condition of a decision in force is past its due date and not met
    "decision-review",  # warning: the review date of a decision in force has passed
    "notice-deadline",  # warning: a contract's notice deadline is past or within 90 days (as of --as-of)
    "expired-acceptance",  # warning: a vendor's risk acceptance past its expiry date (as of --as-of)
    "plain-reference",  # warning: a criterion's reference is plain text, not {framework, clause}
    "poc-overrun",  # warning: a running PoC past its timebox (as of --as-of)
    "poc-no-results",  # warning: a PoC marked done with nothing measured
    "poc-unevaluable",  # warning: a PoC target or result that cannot be evaluated (counts as pending)
]


@dataclass(frozen=True, order=True)
class Problem:
    """One problem found in an input file, reported as ``path:line: key.path: message``.

    ``code`` says what kind of problem it is; whatever sorts, counts or colours problems reads the code,
    never the message, which is written for people and quotes the files' own text.
    """

    path: str
    line: int
    key: str
    message: str
    warning: bool = False
    code: ProblemCode = "invalid"

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
            problems = [Problem("", 0, "", problems, code="invalid")]
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


class UsageError(EvalToolError):
    """The command line asks for something that cannot be (unknown profile, bad option value)."""

    exit_code = 2


class OutputError(EvalToolError):
    """An output could not be written (refused path, read-only folder, full disk)."""

    exit_code = 1
