"""Helpers shared by the commands: loading the workspace and its evaluation, and printing results."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from evaltool.commands.options import check_sampling, parse_as_of, parse_method
from evaltool.defaults import DEFAULT_CONCENTRATION, DEFAULT_SAMPLES, DEFAULT_SEED
from evaltool.errors import Problem, UsageError

if TYPE_CHECKING:
    from evaltool.evaluation import Evaluation
    from evaltool.models import Method
    from evaltool.workspace import Workspace


@dataclass(frozen=True)
class BlindRequest:
    """--anonymize, --anonymize-seed, --key-out and --hide-category, as given."""

    anonymize: bool = False
    seed: int = 1
    key_out: Path | None = None
    hide: tuple[str, ...] = ()

    def check(self) -> None:
        """Refuse a key without a blind view, and a key file of a kind evaltool does not write."""
        if self.key_out is None:
            return
        if not self.anonymize:
            raise UsageError("--key-out needs --anonymize (there is no key without a blind view)")
        if self.key_out.suffix.lower() not in (".csv", ".json"):
            raise UsageError(f"--key-out {self.key_out}: give a .csv or .json file")


def blind_request(
    anonymize: bool, seed: int, key_out: Path | None, hide: list[str] | None
) -> BlindRequest | None:
    """The blind-view options of a command, checked; None when none was given."""
    request = BlindRequest(anonymize, seed, key_out, tuple(hide or ()))
    request.check()
    return request if anonymize or request.hide else None


def apply_blind(ws: Workspace, request: BlindRequest, profile: str | None, method: Method) -> Workspace:
    """The workspace as the request shows it: categories hidden, vendors relabelled; the key written."""
    from evaltool.anonymize import anonymize, hide_categories, key_rows
    from evaltool.output import check_target, write_atomic

    if not request.anonymize:
        return hide_categories(ws, request.hide)
    if request.key_out is not None:
        check_target(request.key_out, ws.root)
    view = anonymize(ws, profile=profile, method=method, seed=request.seed, hide=request.hide)
    if request.key_out is not None:
        write_atomic(request.key_out, _key_text(key_rows(view.key), request.key_out.suffix.lower()))
        typer.echo(f"key written: {request.key_out} (keep it away from the panel)", err=True)
    return view.workspace


def blind_name(path: Path, evaluation: Evaluation) -> Path:
    """A default output name, with "-blind" before the extension for a blind or category-hiding view."""
    view = evaluation.provenance.blind
    if view is None:
        return path
    tags = (["blind"] if view.anonymized else []) + [f"without-{c}" for c in view.hidden]
    return path.with_name(f"{path.stem}-{'-'.join(tags)}{path.suffix}")


def _key_text(rows: list[dict[str, str]], suffix: str) -> str:
    import csv
    import io
    import json

    if suffix == ".json":
        return json.dumps({"key": rows}, indent=2, ensure_ascii=False) + "\n"
    from evaltool.serialize import spreadsheet_safe

    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(rows[0]) if rows else ["label"], lineterminator="\n")
    writer.writeheader()
    writer.writerows({k: spreadsheet_safe(v) for k, v in row.items()} for row in rows)
    return buffer.getvalue()


def echo_problems(problems: list[Problem], *, err: bool = True) -> None:
    """Print problems one per line."""
    for problem in problems:
        typer.echo(str(problem), err=err)


def load(
    workspace: Path | None,
    as_of: str | None = None,
    *,
    segment: str | None = None,
    profile: str | None = None,
    blind: BlindRequest | None = None,
    method: Method = "wsm",
) -> Workspace:
    """Load the workspace (exit 1 listing every problem if invalid); print warnings to stderr.

    With a segment, only the catalog, the profile in use and that segment's vendor files must be valid:
    errors elsewhere are printed as warnings and those files left out (see `evaltool.scope`).
    """
    from evaltool.reading import resolve_root
    from evaltool.scope import load_segment, segment_warnings
    from evaltool.workspace import load_workspace

    root, date = resolve_root(workspace), parse_as_of(as_of)
    if segment is None:
        loaded = load_workspace(root, date)
    else:
        loaded, skipped = load_segment(root, date, segment, profile)
        for item in skipped:
            typer.echo(str(item), err=True)
    report_warnings(list(segment_warnings(loaded, None if segment is None else [segment])))
    if blind is not None:
        loaded.profile(profile)  # an unknown profile is named before any relabelling
        return apply_blind(loaded, blind, profile, method)
    return loaded


def load_evaluation(
    workspace: Path | None,
    profile: str | None,
    method: str,
    segment: str | None,
    as_of: str | None,
    *,
    samples: int = DEFAULT_SAMPLES,
    seed: int = DEFAULT_SEED,
    concentration: float = DEFAULT_CONCENTRATION,
    perturb_scores: bool = False,
    out: Path | None = None,
    blind: BlindRequest | None = None,
) -> Evaluation:
    """Load, score, analyse and recommend: what sensitivity, recommend, report and export start from.

    The options are checked before anything is read; a file to write (`out`) is refused before the
    work when it is protected (see `evaltool.output.check_target`).
    """
    from evaltool.evaluation import evaluate
    from evaltool.output import check_target

    chosen_method = parse_method(method)
    check_sampling(samples, seed, concentration)
    ws = load(workspace, as_of, segment=segment, profile=profile, blind=blind, method=chosen_method)
    chosen = ws.profile(profile)
    if out is not None:
        check_target(out, ws.root)
    return evaluate(
        ws, chosen, method=chosen_method, segments=None if segment is None else [segment],
        samples=samples, seed=seed, concentration=concentration, perturb_scores=perturb_scores,
        segment_profiles=ws.segment_profiles(profile),
    )  # fmt: skip


def report_warnings(warnings: list[Problem]) -> None:
    """AHP consistency warnings in full (they bear on every result); the rest as a count."""
    serious = [w for w in warnings if w.code == "ahp-inconsistent"]
    echo_problems(serious)
    rest = len(warnings) - len(serious)
    if rest:
        typer.echo(
            f"note: {rest} warning(s) such as expired evidence; `evaltool validate` lists them", err=True
        )


def emit_json(data: object) -> None:
    """Print JSON: indented, keys in the order given, UTF-8 kept."""
    import json

    typer.echo(json.dumps(data, indent=2, ensure_ascii=False, default=str))


def emit_csv(rows: list[dict[str, object]]) -> None:
    """Print rows as CSV with a header; text that could run as a spreadsheet formula is neutralised."""
    import csv
    import sys

    from evaltool.serialize import spreadsheet_safe

    if not rows:
        return
    writer = csv.DictWriter(sys.stdout, fieldnames=list(rows[0]), lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({k: spreadsheet_safe(v) for k, v in row.items()})


def emit_table(
    title: str,
    headers: list[str],
    rows: list[list[str]],
    *,
    right: set[int] | None = None,
    keep: set[int] | None = None,
) -> None:
    """A rich table on a terminal; plain aligned columns when piped; text columns wrap to the width.

    `right` columns are numbers and `keep` columns (what a row is about) never wrap; see
    `evaltool.commands.tables` and docs/cli.md.
    """
    import sys

    from evaltool.commands.tables import TableSpec, output_width, plain_lines, rich_table

    spec = TableSpec(title, headers, rows, right or set(), keep or set())
    if sys.stdout.isatty():
        from rich.console import Console

        Console(width=output_width()).print(rich_table(spec))
        return
    for line in plain_lines(spec, output_width()):
        typer.echo(line)


def emit_wrapped(text: str, indent: str = "") -> None:
    """Print a line of prose wrapped to the output's width, continuation lines indented two more spaces."""
    from evaltool.commands.tables import output_width, wrap_line

    for line in wrap_line(text, output_width(), indent):
        typer.echo(line)
