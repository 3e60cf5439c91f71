"""The README, docs/ and the shipped schemas stay in step with the code."""

from __future__ import annotations

import json
import re
import typing
import unicodedata
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import typer.main
from cli_runner import invoke
from pydantic import BaseModel

from evaltool import commercial, decisions, models, poc, risk, schemas, trace
from evaltool.cli import app
from evaltool.reading import read_workspace
from evaltool.recommend import rules_text
from evaltool.reports import scorecard as export

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")
DOCS = ROOT / "docs"
RULES_BLOCK = re.compile(r"<!-- rules:start -->\n(.*?)\n<!-- rules:end -->", re.S)


def _doc(name: str) -> str:
    return (DOCS / name).read_text(encoding="utf-8")


def _sections(text: str) -> dict[str, str]:
    """Heading text (of any level) -> the text up to the next heading; code blocks left out."""
    prose = re.sub(r"^```.*?^```$", "", text, flags=re.M | re.S)
    parts = re.split(r"^#{1,6} +(.+)$", prose, flags=re.M)
    return dict(zip(parts[1::2], parts[2::2], strict=True))


def _keys(section: str) -> list[str]:
    """The backticked names that open the rows of the section's tables: keys, options or columns."""
    return re.findall(r"^\| `([^`]+)`", section, flags=re.M)


@pytest.mark.parametrize("text", [README, _doc("scoring.md")], ids=["README", "docs/scoring.md"])
def test_recommendation_rules_stated_are_the_rules_the_code_applies(text: str) -> None:
    block = RULES_BLOCK.search(text)
    assert block is not None
    assert block.group(1) == rules_text()


def _commands() -> list[str]:
    names = [c.name or c.callback.__name__ for c in app.registered_commands if c.callback is not None]
    names += [
        f"{g.name} {c.name}" for g in app.registered_groups for c in g.typer_instance.registered_commands
    ]
    return sorted(names)


@pytest.mark.parametrize("command", _commands())
def test_every_command_is_in_the_readme_cli_reference(command: str) -> None:
    assert f"`evaltool {command}" in README


@pytest.mark.parametrize("name", sorted(schemas.SCHEMAS))
def test_shipped_schema_matches_the_models_and_the_bundled_catalog(name: str) -> None:
    catalog = read_workspace(ROOT).catalog
    assert catalog is not None
    shipped = (ROOT / "schemas" / f"{name}.schema.json").read_text(encoding="utf-8")
    assert shipped == schemas.render(name, catalog), "run `evaltool schema` to regenerate schemas/"


def test_readme_names_the_two_commands_and_links_every_docs_page() -> None:
    assert "make run" in README and "make test" in README
    pages = {p.name for p in DOCS.glob("*.md")}
    assert pages == {
        "index.md",
        "first-evaluation.md",
        "formats.md",
        "scoring.md",
        "json.md",
        "cli.md",
        "security.md",
    }
    assert [page for page in sorted(pages) if f"](docs/{page})" not in README] == []


def test_mkdocs_navigation_lists_every_page() -> None:
    nav = re.findall(r"^  - [^:]+: (\S+\.md)$", (ROOT / "mkdocs.yml").read_text(encoding="utf-8"), re.M)
    assert sorted(nav) == sorted(p.name for p in DOCS.glob("*.md"))


# --- docs/formats.md: every key of every file model ---------------------------------------------------

FORMAT_TABLES: dict[str, type[BaseModel]] = {
    "Catalog keys": models.Catalog,
    "Category keys": models.Category,
    "Criterion keys": models.Criterion,
    "Grading keys": models.Grading,
    "Segment grading keys": models.Scale,
    "Due-diligence keys": risk.DueDiligence,
    "Tier keys": risk.Tier,
    "Tier condition keys": risk.TierWhen,
    "Concentration keys": risk.Concentration,
    "Profile keys": models.Profile,
    "Risk keys": risk.Risk,
    "AHP keys": models.Ahp,
    "Vendor keys": models.Vendor,
    "Commercial keys": commercial.Commercial,
    "TCO year keys": commercial.TcoYear,
    "Contract keys": commercial.Contract,
    "Assessment keys": models.Assessment,
    "Relationship keys": risk.Relationship,
    "Risk acceptance keys": risk.RiskAcceptance,
    "Score keys": models.ScoreEntry,
    "Framework keys": trace.Framework,
    "Reference keys": trace.Reference,
    "PoC keys": models.Poc,
    "Success criterion keys": poc.SuccessCriterion,
    "PoC result keys": poc.PocResult,
    "Decision keys": decisions.Decision,
    "Condition keys": decisions.Condition,
    "Approver keys": decisions.Approver,
}


def _choices(annotation: Any) -> list[str]:
    """The values a Literal field allows (inside Optional, too); [] for any other field."""
    if typing.get_origin(annotation) is typing.Literal:
        return [str(value) for value in typing.get_args(annotation)]
    return [value for arg in typing.get_args(annotation) for value in _choices(arg)]


@pytest.mark.parametrize(("title", "model"), FORMAT_TABLES.items(), ids=list(FORMAT_TABLES))
def test_formats_page_lists_every_key_of_each_file_model_in_order(title: str, model: type[BaseModel]) -> None:
    section = _sections(_doc("formats.md"))[title]
    assert _keys(section) == list(model.model_fields)


@pytest.mark.parametrize(("title", "model"), FORMAT_TABLES.items(), ids=list(FORMAT_TABLES))
def test_formats_page_names_every_value_a_choice_key_allows(title: str, model: type[BaseModel]) -> None:
    rows = {
        key: row
        for row in _sections(_doc("formats.md"))[title].splitlines()
        for key in re.findall(r"^\| `([^`]+)`", row)
    }
    for name, field in model.model_fields.items():
        for value in _choices(field.annotation):
            assert f"`{value}`" in rows[name], f"{title}: {name} does not name {value!r}"


# --- docs/cli.md: every command and option -----------------------------------------------------------


def _cli_options() -> dict[str, list[str]]:
    """Command path -> every option name it accepts (long and short), walking the real click tree."""
    found: dict[str, list[str]] = {}

    def walk(command: Any, path: list[str]) -> None:
        for name, sub in command.commands.items():
            if hasattr(sub, "commands"):
                walk(sub, [*path, name])
            else:
                options = [o for p in sub.params if p.param_type_name == "option" for o in p.opts]
                found[" ".join([*path, name])] = sorted(options)

    walk(typer.main.get_command(app), [])
    return found


@pytest.mark.parametrize(("command", "options"), sorted(_cli_options().items()))
def test_cli_page_documents_every_option_of_each_command(command: str, options: list[str]) -> None:
    section = _sections(_doc("cli.md"))[f"`evaltool {command}`"]
    cells = [re.split(r"(?<!\\)\|", row)[1] for row in section.splitlines() if row.startswith("| `-")]
    documented = sorted(o for cell in cells for o in re.findall(r"`(-{1,2}[a-z][a-z-]*)", cell))
    assert documented == options


def test_cli_page_states_every_exit_code_the_cli_uses() -> None:
    from evaltool.errors import EvalToolError, InputError, OutputError, UsageError

    section = _sections(_doc("cli.md"))["Exit codes"]
    stated = {int(code) for code in re.findall(r"^\| (\d+) \|", section, flags=re.M)}
    used = {0, 130} | {e.exit_code for e in (EvalToolError, InputError, OutputError, UsageError)}
    assert stated == used


# --- docs/json.md: every key of every JSON output, both ways --------------------------------------------

VERSUS = ("lumenvec", "tessaloom")  # two vendors of the bundled Vector database segment
EXPLAIN = ["score", "--explain", VERSUS[0]]
JSON_OUTPUTS: dict[str, list[str]] = {
    "`evaltool score --format json`": ["score", "--format", "json"],
    "`evaltool score --explain V --format json`": [*EXPLAIN, "--format", "json"],
    "`evaltool score --explain V --versus W --format json`": [
        *EXPLAIN,
        "--versus",
        VERSUS[1],
        "--format",
        "json",
    ],
    "`evaltool weights --format json`": ["weights", "--profile", "data-platform", "--format", "json"],
    "`evaltool sensitivity --format json`": ["sensitivity", "--samples", "300", "--format", "json"],
    "`evaltool recommend --format json`": ["recommend", "--samples", "300", "--format", "json"],
    "`evaltool trace --format json`": ["trace", "--format", "json"],
}


def _paths(value: Any, maps: set[str], path: str = "") -> Iterator[str]:
    """Every key path of a document in the notation of docs/json.md; `maps` names the maps keyed by ids."""
    if isinstance(value, dict):
        for key, item in value.items():
            child = f"{path}.{key}" if path else key
            if f"{child}{{}}" in maps:
                yield f"{child}{{}}"
                for entry in item.values():
                    yield from _paths(entry, maps, f"{child}{{}}")
            else:
                yield child
                yield from _paths(item, maps, child)
    elif isinstance(value, list):
        for item in value:
            yield from _paths(item, maps, f"{path}[]")


@pytest.mark.parametrize(("title", "args"), JSON_OUTPUTS.items(), ids=list(JSON_OUTPUTS))
def test_json_page_lists_exactly_the_keys_each_command_prints(title: str, args: list[str]) -> None:
    code, out, err = invoke([*args, "--workspace", ROOT])
    assert code == 0, err
    documented = _keys(_sections(_doc("json.md"))[title])
    printed = dict.fromkeys(
        p.replace(f":{VERSUS[0]}", ":<vendor>").replace(f":{VERSUS[1]}", ":<versus>")
        for p in _paths(json.loads(out), {k for k in documented if k.endswith("{}")})
    )
    assert sorted(set(printed) - set(documented)) == [], "printed but not documented"
    assert sorted(set(documented) - set(printed)) == [], "documented but never printed"
    assert documented == list(printed), "the page lists the keys in the order they are printed"


def test_json_page_lists_every_scorecard_key_and_no_other() -> None:
    # export.FIELDS describes every key the scorecard holds (tests/test_export.py checks that against
    # real documents); the page must list the same keys.
    documented = _keys(_sections(_doc("json.md"))["The scorecard: `evaltool export --format json`"])
    assert sorted(set(export.FIELDS) - set(documented)) == [], "in FIELDS, not on the page"
    assert sorted(set(documented) - set(export.FIELDS)) == [], "on the page, not in FIELDS"
    assert len(documented) == len(set(documented))


def test_json_page_lists_the_scorecard_csv_columns_in_order() -> None:
    section = _sections(_doc("json.md"))["The scorecard CSV: `evaltool export --format csv`"]
    assert _keys(section) == list(export.CSV_COLUMNS)


def test_json_page_lists_the_score_csv_columns_in_order() -> None:
    code, out, err = invoke(["score", "--format", "csv", "--workspace", ROOT])
    assert code == 0, err
    header = [re.sub(r"^category:.*", "category:<id>", column) for column in out.splitlines()[0].split(",")]
    section = _sections(_doc("json.md"))["`evaltool score --format csv`"]
    assert _keys(section) == list(dict.fromkeys(header))


# --- citations: every docs/ link and anchor resolves; no citation of a file the repository lacks --------


def _slug(heading: str) -> str:
    """The anchor mkdocs (Python-Markdown's toc) gives a heading."""
    text = re.sub(r"[`*]", "", heading)
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    text = re.sub(r"[^\w\s-]", "", text).strip().lower()
    return re.sub(r"[-\s]+", "-", text)


def _anchors(page: Path) -> set[str]:
    return {_slug(h) for h in _sections(page.read_text(encoding="utf-8"))}


def _sources() -> list[Path]:
    files = [p for folder in ("evaltool", "tests", "benchmarks") for p in (ROOT / folder).rglob("*.py")]
    files += [ROOT / "README.md", ROOT / "SECURITY.md", *DOCS.glob("*.md")]
    return sorted(p for p in files if p != Path(__file__).resolve())


def _citations() -> Iterator[tuple[str, Path, str]]:
    """(where, page cited, anchor or "") for every docs/ citation in the code and every link in docs/."""
    for source in _sources():
        text = source.read_text(encoding="utf-8")
        where = str(source.relative_to(ROOT))
        for page, anchor in re.findall(r"\bdocs/([a-z]+\.md)(?:#([a-z0-9-]+))?", text):
            yield where, DOCS / page, anchor
        if source.parent == DOCS:
            for page, anchor in re.findall(r"\]\(([a-z]+\.md)?(?:#([a-z0-9-]+))?\)", text):
                yield where, DOCS / page if page else source, anchor


def test_every_docs_citation_names_an_existing_page_and_heading() -> None:
    cited = list(_citations())
    assert len(cited) > 30
    broken = [
        f"{where}: {page.name}#{anchor}"
        for where, page, anchor in cited
        if not page.is_file() or (anchor and anchor not in _anchors(page))
    ]
    assert broken == []


def test_no_citation_of_a_design_file_outside_the_repository() -> None:
    stale = [
        f"{source.relative_to(ROOT)}:{number}"
        for source in _sources()
        for number, line in enumerate(source.read_text(encoding="utf-8").splitlines(), 1)
        if re.search(r"\bDESIGN\b|§", line)
    ]
    assert stale == []
