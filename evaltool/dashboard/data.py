"""Cached loading for the dashboard: the workspace and its evaluations, keyed on the state of the files.

The cache key of everything is the workspace path, a stamp of its YAML files (path, size, mtime) and the
as-of date, so an edited, added or removed file is picked up on the next rerun, and a saved what-if profile
appears at once. `st.cache_resource` hands back the same frozen objects without copying them, which keeps
a what-if re-rank to the cost of scoring. The caches are bounded: an evaluation of 200 vendors holds about
5 MB, so a few dozen entries stay well under a few hundred MB.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import streamlit as st

from evaltool.anonymize import BLIND_VAR, DEFAULT_ANONYMIZE_SEED, anonymize, hide_categories
from evaltool.dashboard import whatif
from evaltool.defaults import (
    CATALOG_WEIGHTS,
    DEFAULT_CONCENTRATION,
    DEFAULT_SAMPLES,
    DEFAULT_SEED,
    resolve_as_of,
)
from evaltool.errors import EvalToolError, InputError, Problem
from evaltool.evaluation import Evaluation, evaluate
from evaltool.reading import ENV_VAR, YAML_SUFFIXES, resolve_root
from evaltool.scoring import Method
from evaltool.workspace import Workspace, check_workspace


@dataclass(frozen=True)
class Source:
    """Which workspace, in which state, checked against which date."""

    root: str
    stamp: str
    as_of: str


@dataclass(frozen=True)
class Loaded:
    """The loaded workspace (None when it has errors) and every problem found, warnings included."""

    source: Source | None
    workspace: Workspace | None
    problems: tuple[Problem, ...]

    def valid(self) -> tuple[Source, Workspace]:
        """Where the workspace was read and the workspace itself; InputError listing its problems if invalid.

        The pages are only shown for a valid workspace; an invalid one gets the problems page instead.
        """
        if self.source is None or self.workspace is None:
            raise InputError(list(self.problems))
        return self.source, self.workspace


CATALOG = CATALOG_WEIGHTS  # the explicit catalog-weights choice: `--profile catalog` (docs/cli.md)


@dataclass(frozen=True)
class Selection:
    """What the sidebar chose: profile (None = each segment's own, CATALOG = the catalog's weights for every
    segment), segment (None = all), method, and whether the view is blind (vendors relabelled) or hides
    categories (evaltool.anonymize)."""

    profile: str | None
    segment: str | None
    method: Method
    blind: bool = False
    hidden: tuple[str, ...] = ()

    @property
    def segments(self) -> list[str] | None:
        """The `segments` argument of evaluate()."""
        return None if self.segment is None else [self.segment]


def _yaml_files(root: Path) -> Iterator[os.DirEntry[str]]:
    for folder in (root / "criteria", root / "criteria" / "profiles", root / "vendors", root / "decisions"):
        try:
            entries = list(os.scandir(folder))
        except OSError:
            continue
        yield from (e for e in entries if e.name.endswith(YAML_SUFFIXES) and not e.name.startswith("."))


def stamp(root: Path) -> str:
    """A digest of every input file's path, size and modification time (cheap: no file is read)."""
    digest = hashlib.sha256()
    for entry in sorted(_yaml_files(root), key=lambda e: e.path):
        try:
            info = entry.stat()
        except OSError:
            continue
        digest.update(f"{entry.path}\0{info.st_size}\0{info.st_mtime_ns}\n".encode())
    return digest.hexdigest()


def source(as_of: dt.date | None = None) -> Source:
    """The workspace named by $EVALTOOL_WORKSPACE (else the current folder), in its present state."""
    root = resolve_root(None).resolve()
    return Source(str(root), stamp(root), resolve_as_of(as_of).isoformat())


@st.cache_resource(max_entries=8, show_spinner="Loading the workspace…")
def _load(root: str, stamp: str, as_of: str) -> tuple[Workspace | None, tuple[Problem, ...]]:
    workspace, problems = check_workspace(Path(root), dt.date.fromisoformat(as_of))
    return workspace, tuple(problems)


def _valid(root: str, stamp: str, as_of: str) -> Workspace:
    """The cached workspace; InputError listing its problems when it is invalid."""
    workspace, problems = _load(root, stamp, as_of)
    if workspace is None:
        raise InputError(list(problems))
    return workspace


def forced_blind() -> bool:
    """Whether the server was started for a blind panel."""
    return os.environ.get(BLIND_VAR, "") not in ("", "0")


@st.cache_resource(max_entries=8, show_spinner="Preparing the blind view…")
def _view(
    root: str, stamp: str, as_of: str, profile: str | None, method: Method, blind: bool,
    hidden: tuple[str, ...],
) -> tuple[Workspace, tuple[Problem, ...]]:  # fmt: skip
    """The workspace as the selection shows it, and its problems worded for that view."""
    workspace, problems = _load(root, stamp, as_of)
    if workspace is None:
        raise InputError(list(problems))
    if not blind:
        return hide_categories(workspace, hidden), problems
    view = anonymize(  # the labels follow from the same ranking as `--anonymize` with this --profile
        workspace, profile=profile, method=method,
        seed=DEFAULT_ANONYMIZE_SEED, hide=hidden, problems=problems,
    )  # fmt: skip
    return view.workspace, view.problems


def _shown(root: str, stamp: str, as_of: str, chosen: Selection) -> Workspace:
    if not chosen.blind and not chosen.hidden:
        return _valid(root, stamp, as_of)
    return _view(root, stamp, as_of, chosen.profile, chosen.method, chosen.blind, chosen.hidden)[0]


def view(loaded: Loaded, chosen: Selection) -> Loaded:
    """The loaded workspace as the selection shows it: blind and with hidden categories left out."""
    src, _ = loaded.valid()
    if not chosen.blind and not chosen.hidden:
        return loaded
    workspace, problems = _view(
        src.root, src.stamp, src.as_of, chosen.profile, chosen.method, chosen.blind, chosen.hidden
    )
    return Loaded(src, workspace, problems)


def load() -> Loaded:
    """The current workspace; never raises (a missing folder becomes a problem like any other)."""
    try:
        src = source()
    except EvalToolError as exc:
        root = os.environ.get(ENV_VAR) or os.getcwd()
        return Loaded(None, None, (Problem(root, 0, "", str(exc), code="layout"),))
    workspace, problems = _load(src.root, src.stamp, src.as_of)
    return Loaded(src, workspace, problems)


@st.cache_resource(max_entries=32, show_spinner="Scoring the vendors…")
def _evaluation(
    root: str, stamp: str, as_of: str, chosen: Selection, samples: int, seed: int, concentration: float,
) -> Evaluation:  # fmt: skip
    workspace = _shown(root, stamp, as_of, chosen)
    profile, segment, method = chosen.profile, chosen.segment, chosen.method
    return evaluate(
        workspace, workspace.profile(profile), method=method,
        segments=None if segment is None else [segment],
        samples=samples, seed=seed, concentration=concentration,
        segment_profiles=workspace.segment_profiles(profile),
    )  # fmt: skip


def evaluation(
    loaded: Loaded,
    selection: Selection,
    *,
    samples: int = DEFAULT_SAMPLES,
    seed: int = DEFAULT_SEED,
    concentration: float = DEFAULT_CONCENTRATION,
) -> Evaluation:
    """Score, sensitivity and recommendations for the selection (cached)."""
    src, _ = loaded.valid()
    return _evaluation(
        src.root, src.stamp, src.as_of, selection, int(samples), int(seed), float(concentration)
    )


@st.cache_resource(max_entries=48, show_spinner=False)
def _whatif(
    root: str, stamp: str, as_of: str, chosen: Selection, start: str, segment: str | None,
    categories: tuple[tuple[str, float], ...], criteria: tuple[tuple[str, float], ...],
    samples: int, seed: int, concentration: float,
) -> Evaluation:  # fmt: skip
    workspace = _shown(root, stamp, as_of, chosen)
    adjustment = whatif.Adjustment(dict(categories), dict(criteria))
    return whatif.rerank(
        workspace, workspace.profile(start), adjustment, method=chosen.method,
        segments=None if segment is None else [segment],
        samples=samples, seed=seed, concentration=concentration,
    )  # fmt: skip


def whatif_evaluation(
    loaded: Loaded, selection: Selection, adjustment: whatif.Adjustment, base: Evaluation, *,
    start: str, segment: str | None,
) -> Evaluation:  # fmt: skip
    """The selection re-scored under adjusted weights (cached per slider position): `start` is the profile
    the sliders start from (CATALOG for the catalog's weights), applied to `segment` (None: every segment).

    The Monte Carlo runs with the samples, seed and concentration of `base`, the evaluation the page
    compares with: with no slider moved, P(first) is exactly the one the Overview shows.
    """
    src, _ = loaded.valid()
    settings = base.sensitivity
    return _whatif(
        src.root, src.stamp, src.as_of, selection, start, segment,
        tuple(sorted(adjustment.categories.items())), tuple(sorted(adjustment.criteria.items())),
        int(settings.samples), int(settings.seed), float(settings.concentration),
    )  # fmt: skip
