"""The files the Downloads page offers: the same renderers, file names and bytes as `evaltool report/export`.

No streamlit here: tests compare these bytes with what the CLI writes.
"""

from __future__ import annotations

import shlex
from collections.abc import Callable
from dataclasses import dataclass

from evaltool.defaults import DEFAULT_CONCENTRATION, DEFAULT_METHOD, DEFAULT_SAMPLES, DEFAULT_SEED
from evaltool.evaluation import Evaluation


@dataclass(frozen=True)
class Format:
    """One downloadable file type."""

    key: str
    title: str
    mime: str
    command: str  # the CLI command that writes the same file
    about: str


FORMATS = (
    Format("html", "Report (HTML)", "text/html", "report",
           "The PoC recommendation report for the governance forum; one file, opens offline."),
    Format("md", "Report (Markdown)", "text/markdown", "report",
           "The same report as Markdown, for a wiki page or a pull request."),
    Format("xlsx", "Scorecard (Excel)", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
           "export", "Formatted sheets for procurement: summary, scores, evidence, gates, weights."),
    Format("csv", "Scorecard (CSV)", "text/csv", "export", "One tidy table: a row per vendor and criterion."),
    Format("json", "Scorecard (JSON)", "application/json", "export", "Everything, for other tools."),
)  # fmt: skip


def file_name(evaluation: Evaluation, segment: str | None, key: str) -> str:
    """The CLI's default file name for this evaluation, segment and format."""
    from evaltool.reports.fmt import output_name

    p = evaluation.provenance
    return output_name(segment, p.profile_tag, p.as_of, key, scorecard=key not in ("html", "md"))


def content(evaluation: Evaluation, segment: str | None, key: str) -> bytes:
    """The bytes `evaltool report` / `evaltool export` write for the same evaluation."""
    if key == "html":
        from evaltool.reports import render_html

        text: str | bytes = render_html(evaluation, segment)
    elif key == "md":
        from evaltool.reports import render_markdown

        text = render_markdown(evaluation, segment)
    else:
        from evaltool.reports import scorecard

        renderers: dict[str, Callable[[Evaluation], str | bytes]] = {
            "xlsx": scorecard.to_xlsx, "csv": scorecard.to_csv, "json": scorecard.to_json,
        }  # fmt: skip
        text = renderers[key](evaluation)
    return text.encode("utf-8") if isinstance(text, str) else text


_SHARED = "shared"  # cli_command's default: the profile every segment of the evaluation shares


def cli_command(evaluation: Evaluation, segment: str | None, key: str, profile: str | None = _SHARED) -> str:
    """The command line that writes the same file. `profile` is the choice made (None: each segment's own
    profile, no --profile; "catalog": the catalog's weights); by default the profile the evaluation's
    segments share."""
    fmt = next(f for f in FORMATS if f.key == key)
    p = evaluation.provenance
    args = ["evaltool", fmt.command, "--format", key]
    chosen = p.profile if profile == _SHARED else profile
    if chosen:
        args += ["--profile", chosen]
    if segment:
        args += ["--segment", segment]
    if p.method != DEFAULT_METHOD:
        args += ["--method", p.method]
    if p.samples != DEFAULT_SAMPLES:
        args += ["--samples", str(p.samples)]
    if p.seed != DEFAULT_SEED:
        args += ["--seed", str(p.seed)]
    if p.concentration != DEFAULT_CONCENTRATION:
        args += ["--concentration", f"{p.concentration:g}"]
    args += ["--as-of", p.as_of]
    return shlex.join(args)
