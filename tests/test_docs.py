"""The README and the shipped schemas stay in step with the code."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from evaltool import schemas
from evaltool.cli import app
from evaltool.recommend import rules_text

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_readme_states_the_recommendation_rules_the_code_applies() -> None:
    block = re.search(r"<!-- rules:start -->\n(.*?)\n<!-- rules:end -->", README, re.S)
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
def test_shipped_schema_matches_the_models(name: str) -> None:
    shipped = (ROOT / "schemas" / f"{name}.schema.json").read_text(encoding="utf-8")
    assert shipped == schemas.render(name), "run `evaltool schema` to regenerate schemas/"


def test_readme_names_the_two_commands() -> None:
    assert "make run" in README and "make test" in README
