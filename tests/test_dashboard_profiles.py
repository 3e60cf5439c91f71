"""The dashboard when profiles name their segments: by default each segment is scored with its own profile.

Which profile names a segment and which due-diligence tier it falls in are read here from the YAML files
(the profile's `segments`, the catalog's tiers matched against the profile's `risk`); the scores the
dashboard shows are compared with what `evaltool score` prints for the same segment and weights.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
import test_dashboard
import yaml
from streamlit.testing.v1 import AppTest

from evaltool.dashboard.ui import md

REPO = Path(__file__).resolve().parent.parent
APP = REPO / "evaltool" / "dashboard" / "app.py"
LLM = "LLM platform"


# the dashboard tests' fixtures: error details shown, and the app started on a workspace
_error_details = test_dashboard._error_details
start = test_dashboard.start


def plain(text: str) -> str:
    return re.sub(r"\\(.)", r"\1", text).replace("**", "")


def sidebar_text(at: AppTest) -> str:
    return "\n".join(plain(c.value) for c in at.sidebar.caption)


def page_captions(at: AppTest) -> str:
    return "\n".join(plain(c.value) for c in at.main.caption)


def leaderboard(at: AppTest) -> pd.DataFrame:
    frames = [e.value for e in at.dataframe if {"Vendor", "Score", "Rank"} <= set(e.value.columns)]
    assert len(frames) == 1
    return frames[0]


# --- what the files say -------------------------------------------------------------------------------------


def _yaml(path: Path) -> dict[str, Any]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


def naming_profile(root: Path, segment: str) -> dict[str, Any] | None:
    named = [
        data
        for path in sorted((root / "criteria" / "profiles").glob("*.yaml"))
        if segment in ((data := _yaml(path)).get("segments") or [])
    ]
    return named[0] if named else None


def tier_name(root: Path, profile: dict[str, Any] | None) -> str:
    """The first of the catalog's tiers whose `when` lists one of the profile's risk values (a tier without
    `when` takes every use case), as docs/scoring.md states the rule."""
    risk = (profile or {}).get("risk") or {}
    for tier in _yaml(root / "criteria" / "catalog.yaml")["due_diligence"]["tiers"]:
        when = tier.get("when")
        if when is None or any(risk.get(key) in values for key, values in when.items()):
            return str(tier["name"])
    raise AssertionError("no tier applies")


def cli_scores(run_cli: Callable[..., tuple[int, str, str]], root: Path, *extra: str) -> dict[str, float]:
    code, out, err = run_cli(["score", "--workspace", root, "--segment", LLM, "--format", "json", *extra])
    assert code == 0, err
    return {v["name"]: round(v["score"], 1) for v in json.loads(out)["vendors"]}


# --- the tests ----------------------------------------------------------------------------------------------


def test_profile_choice_opens_on_each_segments_own(start: Callable[..., AppTest], sample: Path) -> None:
    at = start(sample)
    box = at.sidebar.selectbox(key="profile")
    profiles = sorted(path.stem for path in (sample / "criteria" / "profiles").glob("*.yaml"))
    assert box.options[:2] == ["Each segment's own profile", "Catalog weights"]
    assert len(box.options) == 2 + len(profiles)
    assert box.value == ""  # Selection.profile None: each segment with the profile naming it
    # every segment in view says its profile and tier
    for segment in ("Vector database", LLM, "Data catalog", "Lakehouse & warehouse", "MLOps platform"):
        profile = naming_profile(sample, segment)
        used = "the catalog's weights" if profile is None else f"profile {profile['id']} ({profile['name']})"
        line = f"{segment}: scored with {used}, {tier_name(sample, profile)} due-diligence tier."
        assert line in sidebar_text(at)


def test_llm_platform_uses_its_profile_by_default(
    start: Callable[..., AppTest], sample: Path, run_cli: Callable[..., tuple[int, str, str]]
) -> None:
    profile = naming_profile(sample, LLM)
    assert profile is not None and profile["id"] == "llm-platform"
    assert tier_name(sample, profile) == "Standard"
    at = start(sample, segment=LLM)
    said = f"{LLM}: scored with profile llm-platform ({profile['name']}), Standard due-diligence tier"
    assert said + "." in sidebar_text(at)
    assert said in page_captions(at)  # the Overview says it above the segment's leaderboard
    board = leaderboard(at)
    shown = dict(zip(board["Vendor"], board["Score"], strict=True))
    assert shown == cli_scores(run_cli, sample, "--profile", "llm-platform")


def test_choosing_catalog_weights_changes_llm_platform(
    start: Callable[..., AppTest], sample: Path, run_cli: Callable[..., tuple[int, str, str]]
) -> None:
    # `balanced` restates the catalog's category weights and adds nothing: its scores are the catalog's
    catalog = _yaml(sample / "criteria" / "catalog.yaml")
    balanced = _yaml(sample / "criteria" / "profiles" / "balanced.yaml")
    assert balanced["weights"] == {c["id"]: c["weight"] for c in catalog["categories"]}
    assert not {"gates", "risk", "ahp", "segments"} & set(balanced)
    default = start(sample, segment=LLM)
    at = start(sample, profile="catalog", segment=LLM)
    said = f"{LLM}: scored with the catalog's weights, {tier_name(sample, None)} due-diligence tier"
    assert said in page_captions(at)
    assert "llm-platform" not in page_captions(at) + sidebar_text(at)
    assert "Examined under the Low tier" in sidebar_text(at)
    board = leaderboard(at)
    shown = dict(zip(board["Vendor"], board["Score"], strict=True))
    assert shown == cli_scores(run_cli, sample, "--profile", "balanced")
    assert shown != dict(zip(leaderboard(default)["Vendor"], leaderboard(default)["Score"], strict=True))


def test_whatif_starts_from_the_chosen_segments_profile(start: Callable[..., AppTest], sample: Path) -> None:
    at = start(sample, "what_if")
    picker = at.selectbox(key="whatif-segment")  # profiles differ across segments: one segment at a time
    picker.set_value(LLM).run()
    assert not at.exception, [e.value for e in at.exception]
    profile = naming_profile(sample, LLM)
    assert profile is not None
    raw = profile["weights"]
    categories = [c["id"] for c in _yaml(sample / "criteria" / "catalog.yaml")["categories"]]
    total = sum(raw[c] for c in categories)
    for category in categories:
        slider = at.slider(key=f"wi-0-llm-platform-cat-{category}")
        assert slider.value == round(100 * raw[category] / total, 1), category
    moves = [e.value for e in at.dataframe if "Move" in e.value.columns]
    assert len(moves) == 1 and set(moves[0]["Move"]) <= {"=", "—"}
    assert list(moves[0]["Change"]) == pytest.approx([0.0] * len(moves[0]))


def test_downloads_pass_the_profile_chosen(start: Callable[..., AppTest], sample: Path) -> None:
    default = [c.value for c in start(sample, "downloads", segment=LLM).code]
    assert default and all("--profile" not in command for command in default)
    catalog = [c.value for c in start(sample, "downloads", profile="catalog", segment=LLM).code]
    assert all("--profile catalog --segment 'LLM platform'" in command for command in catalog)


@pytest.mark.parametrize("page", ["history", "traceability"])
def test_other_pages_render_with_each_segments_own_profile(
    start: Callable[..., AppTest], sample: Path, page: str
) -> None:
    at = start(sample, page)
    assert at.title


def test_overview_tab_names_its_segments_profile(start: Callable[..., AppTest], sample: Path) -> None:
    at = start(sample)
    at.session_state["overview-tabs"] = md(LLM)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert f"{LLM}: scored with profile llm-platform" in page_captions(at)
    assert "Standard due-diligence tier" in page_captions(at)


def _criterion_ids(root: Path) -> dict[str, str]:
    catalog = _yaml(root / "criteria" / "catalog.yaml")
    return {k["name"]: k["id"] for c in catalog["categories"] for k in c["criteria"]}


@pytest.mark.parametrize(("vendor", "profile"), [("halcyra", "llm-platform"), ("loomwright", None)])
def test_vendor_detail_weights_are_its_segments(
    start: Callable[..., AppTest], sample: Path, vendor: str, profile: str | None
) -> None:
    from test_sheets_profiles import expected_weights

    at = start(sample, "vendor")
    at.selectbox(key="vendor-detail").set_value(vendor).run()
    assert not at.exception, [e.value for e in at.exception]
    table = next(e.value for e in at.dataframe if {"Criterion", "Weight", "Rubric"} <= set(e.value.columns))
    shown = dict(zip(table["Criterion"].map(_criterion_ids(sample)), table["Weight"], strict=False))
    weights = expected_weights(sample, profile)
    assert set(shown) == set(weights)
    assert shown == {k: pytest.approx(100 * w[2], abs=0.05 + 1e-9) for k, w in weights.items()}


def test_compare_weights_are_the_segments(start: Callable[..., AppTest], sample: Path) -> None:
    from test_sheets_profiles import expected_weights

    at = start(sample, "compare", segment=LLM)
    table = next(
        e.value for e in at.dataframe if {"Criterion", "Weight", "Gap (points)"} <= set(e.value.columns)
    )
    shown = dict(zip(table["Criterion"].map(_criterion_ids(sample)), table["Weight"], strict=True))
    weights = expected_weights(sample, "llm-platform")
    assert shown == {k: pytest.approx(100 * w[2], abs=0.05 + 1e-9) for k, w in weights.items()}
