"""Blind views: the workspace with vendors relabelled Vendor A, B, C and categories hidden from a panel.

A blind view is made from the loaded workspace before anything is scored, so every output built from it
(score, report, export, dashboard) says only what the blind workspace holds; docs/security.md ("Blind
panels") states the rules:

- each vendor's id, name, website, summary and descriptive facts are replaced or dropped; the labels are
  handed out per segment in a seeded random order that follows neither the file names nor the ranking;
- any other text from a vendor file (evidence, sources, PoC notes...) is kept only where it names no vendor
  (no vendor's id, name, distinctive first word or website, in any case); otherwise it is withheld;
- vendor file paths become `vendors/<label id>.yaml`, and the messages about them use the labels;
- `hide` removes whole categories (e.g. `commercial` for a technical-only panel): their criteria, weights,
  gates and scores, and the vendors' commercial terms; the remaining weights are renormalised as usual.

The key (label -> vendor) is returned to the caller, who writes it only when asked to (`--key-out`).
"""

from __future__ import annotations

import dataclasses
import random
import re
import string
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel

from evaltool import wording
from evaltool.decisions import Decision
from evaltool.errors import Problem, UsageError
from evaltool.models import Catalog, Method, Profile, Vendor
from evaltool.workspace import SourceFile, Workspace

DEFAULT_ANONYMIZE_SEED = 1
# `evaltool dashboard --anonymize` sets this: every page is blind and the sidebar cannot turn it off.
BLIND_VAR = "EVALTOOL_BLIND"

# Facts that describe the technology, not the company, and are kept (when they name no vendor).
KEPT_FACTS = frozenset(
    {"cloud", "regions", "deployment", "certifications", "trains_on_customer_data", "export_formats",
     "incident_notice_hours"}
)  # fmt: skip
# A token this short is matched as a whole word only; longer ones anywhere (e.g. inside a URL).
_SHORT = 4


@dataclass(frozen=True)
class KeyEntry:
    """One line of the key: which vendor a label stands for."""

    label: str
    label_id: str
    vendor_id: str
    name: str
    segment: str
    path: str


@dataclass(frozen=True)
class BlindView:
    """A blind workspace, its key, and the problems given to :func:`anonymize` worded for the blind view."""

    workspace: Workspace
    key: list[KeyEntry]
    problems: tuple[Problem, ...]


@dataclass(frozen=True)
class Blind:
    """What a view withholds: whether vendors were relabelled, which categories are hidden."""

    anonymized: bool
    hidden: tuple[str, ...]


def label(index: int) -> str:
    """A, B, ..., Z, AA, AB, ... for 0, 1, ..., 25, 26, 27, ..."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = string.ascii_uppercase[rest] + letters
    return letters


def tokens(vendor: Vendor) -> set[str]:
    """The words that identify a vendor: id, name, the name's and id's distinctive first word, website."""
    found = {vendor.id, vendor.name}
    for first in (vendor.name.split()[0] if vendor.name.split() else "", vendor.id.split("-")[0]):
        if len(first) >= _SHORT:
            found.add(first)
    if vendor.website:
        site = re.sub(r"^[a-z][a-z0-9+.-]*://", "", vendor.website.strip(), flags=re.IGNORECASE).rstrip("/")
        found.update({vendor.website.strip(), site})
    return {t for t in found if t.strip()}


def _trie(words: Iterable[str]) -> str:
    """One regular expression matching any of `words` (lower case), built as a trie so that a search costs
    about the length of the text, not the number of words; the longest word wins where several match."""
    root: dict[str, Any] = {}
    for word in words:
        node = root
        for char in word:
            node = node.setdefault(char, {})
        node[""] = {}

    def emit(node: dict[str, Any]) -> str:
        alternatives = [re.escape(char) + emit(child) for char, child in sorted(node.items()) if char]
        if not alternatives:
            return ""
        body = alternatives[0] if len(alternatives) == 1 else "(?:" + "|".join(alternatives) + ")"
        return f"(?:{body})?" if "" in node else body

    return emit(root)


def _pattern(words: Iterable[str]) -> re.Pattern[str] | None:
    """Any of the words, in any case: a word longer than four letters anywhere (inside a URL too), a
    shorter one only as a whole word."""
    unique = {w.lower() for w in words}
    long_words = [w for w in unique if len(w) > _SHORT]
    short_words = sorted((w for w in unique if len(w) <= _SHORT), key=len, reverse=True)
    parts = [_trie(long_words)] if long_words else []
    parts += [rf"(?<![a-z0-9]){re.escape(w)}(?![a-z0-9])" for w in short_words]
    return re.compile("|".join(parts), re.IGNORECASE) if parts else None


class _Scrubber:
    """Finds and replaces every vendor's identifying words."""

    def __init__(self, vendors: Sequence[Vendor], labels: Mapping[str, str]) -> None:
        self._by_word: dict[str, str] = {}
        for vendor in vendors:
            for word in tokens(vendor):
                self._by_word.setdefault(word.lower(), labels[vendor.id])
        self._pattern = _pattern(self._by_word)

    def names_a_vendor(self, text: str) -> bool:
        return self._pattern is not None and self._pattern.search(text) is not None

    def relabel(self, text: str) -> str:
        """The text with each vendor's words replaced by its label id (for evaltool's own messages)."""
        if self._pattern is None:
            return text
        return self._pattern.sub(lambda m: self._by_word[m.group(0).lower()], text)

    def withhold(self, value: Any) -> Any:
        """A value from a vendor file with every text that names a vendor withheld, recursively."""
        if isinstance(value, str):
            return wording.WITHHELD if self.names_a_vendor(value) else value
        if isinstance(value, BaseModel):
            update = {name: self.withhold(getattr(value, name)) for name in type(value).model_fields}
            return value.model_copy(update=update)
        if isinstance(value, dict):
            return {key: self.withhold(item) for key, item in value.items()}
        if isinstance(value, list | tuple):
            return type(value)(self.withhold(item) for item in value)
        return value


# --- hiding categories ---------------------------------------------------------------------------------


def check_hidden(catalog: Catalog, hide: Sequence[str]) -> tuple[str, ...]:
    """The category ids to hide, checked: each must exist, and at least one category must stay."""
    known = [c.id for c in catalog.categories]
    for category in hide:
        if category not in known:
            raise UsageError(
                f"--hide-category: unknown category '{category}' (categories: {', '.join(known)})"
            )
    chosen = tuple(dict.fromkeys(hide))
    if len(chosen) == len(known):
        raise UsageError("--hide-category: every category would be hidden; keep at least one")
    return chosen


def _hide_in_profile(profile: Profile, hidden_ids: set[str]) -> Profile:
    update: dict[str, Any] = {
        "weights": {k: w for k, w in profile.weights.items() if k not in hidden_ids},
        "gates": {k: g for k, g in profile.gates.items() if k not in hidden_ids},
    }
    if profile.ahp is not None:
        keep = [i for i, item in enumerate(profile.ahp.items) if item not in hidden_ids]
        matrix = [[profile.ahp.matrix[i][j] for j in keep] for i in keep]
        items = [profile.ahp.items[i] for i in keep]
        update["ahp"] = profile.ahp.model_copy(update={"items": items, "matrix": matrix})
    return profile.model_copy(update=update)


def _hide_in_vendor(vendor: Vendor, hidden_ids: set[str], commercial: bool) -> Vendor:
    def keep(scores: Mapping[str, Any] | None) -> dict[str, Any] | None:
        return None if scores is None else {k: v for k, v in scores.items() if k not in hidden_ids}

    update: dict[str, Any] = {"scores": keep(vendor.scores)}
    if vendor.assessments is not None:
        update["assessments"] = [a.model_copy(update={"scores": keep(a.scores)}) for a in vendor.assessments]
    if commercial and getattr(vendor, "commercial", None) is not None:
        update["commercial"] = None  # the negotiated terms are cost too
    return vendor.model_copy(update=update)


def hide_categories(workspace: Workspace, hide: Sequence[str]) -> Workspace:
    """The workspace without the given categories (checked with :func:`check_hidden`)."""
    chosen = check_hidden(workspace.catalog, hide)
    if not chosen:
        return workspace
    catalog = workspace.catalog
    hidden_ids = set(chosen)
    for category in catalog.categories:
        if category.id in hidden_ids:
            hidden_ids.update(c.id for c in category.criteria)
    kept = [c for c in catalog.categories if c.id not in hidden_ids]
    about_hidden = re.compile(rf"(^|\.)scores\.({'|'.join(map(re.escape, sorted(hidden_ids)))})(\.|$)")
    return dataclasses.replace(
        workspace,
        warnings=tuple(w for w in workspace.warnings if not about_hidden.search(w.key)),
        input_sha256=workspace.input_hash(),
        blind=Blind(anonymized=False, hidden=chosen),
        catalog=catalog.model_copy(update={"categories": kept}),
        profiles={pid: _hide_in_profile(p, hidden_ids) for pid, p in workspace.profiles.items()},
        vendors=tuple(_hide_in_vendor(v, hidden_ids, "commercial" in chosen) for v in workspace.vendors),
    )


# --- labels --------------------------------------------------------------------------------------------


def _order(ids: list[str], ranked: list[str], rng: random.Random) -> list[str]:
    """A random order of `ids` that is neither the file-name order nor the ranking, nor either reversed
    (with three vendors or more such an order always exists; with one or two it cannot)."""
    by_name = sorted(ids)
    telling = [by_name, by_name[::-1], list(ranked), list(ranked)[::-1]]
    shuffled = list(ids)
    for _ in range(200):
        rng.shuffle(shuffled)
        if shuffled not in telling:
            return shuffled
    return shuffled


def _ranking(workspace: Workspace, profile_id: str | None, method: Method) -> dict[str, list[str]]:
    from evaltool.scoring import score

    result = score(
        workspace.catalog, workspace.vendors, workspace.profile(profile_id), method=method,
        as_of=workspace.as_of, segment_profiles=workspace.segment_profiles(profile_id),
    )  # fmt: skip
    return {s.name: [v.id for v in s.vendors] for s in result.segments}


def assign_labels(
    workspace: Workspace, ranking: Mapping[str, list[str]], seed: int
) -> dict[str, tuple[str, str]]:
    """Vendor id -> (label, label id), segment by segment in a seeded random order."""
    rng = random.Random(seed)
    labels: dict[str, tuple[str, str]] = {}
    for segment in workspace.segments():
        ids = sorted(v.id for v in workspace.vendors if v.segment == segment)
        for vendor_id in _order(ids, ranking.get(segment, ids), rng):
            letters = label(len(labels))
            labels[vendor_id] = (wording.blind_label(letters), f"vendor-{letters.lower()}")
    return labels


# --- the blind workspace -------------------------------------------------------------------------------


def _blind_vendor(vendor: Vendor, name: str, label_id: str, scrub: _Scrubber) -> Vendor:
    blinded = scrub.withhold(vendor)
    facts = {k: scrub.withhold(v) for k, v in vendor.facts.items() if k in KEPT_FACTS}
    facts = {k: v for k, v in facts.items() if v != wording.WITHHELD}
    update: dict[str, Any] = {"id": label_id, "name": name, "website": None, "summary": None, "facts": facts}
    terms = getattr(blinded, "commercial", None)
    if terms is not None:  # the bank's supplier record points straight at the company
        update["commercial"] = terms.model_copy(update={"supplier_id": None})
    result: Vendor = blinded.model_copy(update=update)
    return result


def _blind_decision(decision: Decision, labels: Mapping[str, tuple[str, str]], scrub: _Scrubber) -> Decision:
    """A forum record in a blind view: its vendor relabelled, any text naming a vendor withheld."""
    vendor = labels[decision.vendor][1] if decision.vendor is not None and decision.vendor in labels else None
    blinded: Decision = scrub.withhold(decision)
    return blinded.model_copy(update={"id": scrub.relabel(decision.id), "vendor": vendor})


def _blind_problem(problem: Problem, paths: Mapping[str, str], scrub: _Scrubber) -> Problem:
    path = paths.get(problem.path, scrub.relabel(problem.path))
    return dataclasses.replace(
        problem, path=path, key=scrub.relabel(problem.key), message=scrub.relabel(problem.message)
    )


def anonymize(
    workspace: Workspace,
    *,
    profile: str | None = None,
    method: Method = "wsm",
    seed: int = DEFAULT_ANONYMIZE_SEED,
    hide: Sequence[str] = (),
    problems: Sequence[Problem] = (),
) -> BlindView:
    """The blind workspace and its key; `hide` lists categories to leave out (see the module docstring).
    `problems` (e.g. validate's list) come back with vendor files and ids relabelled.

    The input hash stays the one of the real files, so a blind report can be matched to its inputs by
    whoever holds them.
    """
    real_hash = workspace.input_hash()
    shown = hide_categories(workspace, hide)
    labels = assign_labels(shown, _ranking(shown, profile, method), seed)
    scrub = _Scrubber(shown.vendors, {vid: lid for vid, (_, lid) in labels.items()})
    vendors = tuple(
        sorted(
            (_blind_vendor(v, labels[v.id][0], labels[v.id][1], scrub) for v in shown.vendors),
            key=lambda v: v.id,
        )
    )
    paths = {path: f"vendors/{labels[vid][1]}.yaml" for vid, path in shown.vendor_paths.items()}
    files = tuple(
        sorted((SourceFile(paths.get(f.path, f.path), f.sha256) for f in shown.files), key=lambda f: f.path)
    )
    key = [
        KeyEntry(lab, lid, v.id, v.name, v.segment, shown.vendor_paths.get(v.id, ""))
        for v in shown.vendors
        for lab, lid in [labels[v.id]]
    ]
    key.sort(key=lambda k: (len(k.label), k.label))
    blind = dataclasses.replace(
        shown,
        vendors=vendors,
        files=files,
        vendor_paths={labels[vid][1]: paths[path] for vid, path in shown.vendor_paths.items()},
        warnings=tuple(_blind_problem(p, paths, scrub) for p in shown.warnings),
        decisions=tuple(_blind_decision(d, labels, scrub) for d in shown.decisions),
        input_sha256=real_hash,
        blind=Blind(anonymized=True, hidden=tuple(dict.fromkeys(hide))),
    )
    return BlindView(blind, key, tuple(_blind_problem(p, paths, scrub) for p in problems))


def key_rows(key: Sequence[KeyEntry]) -> list[dict[str, str]]:
    """The key as rows for a CSV or JSON file."""
    return [
        {"label": k.label, "label_id": k.label_id, "vendor": k.vendor_id, "name": k.name,
         "segment": k.segment, "file": k.path}
        for k in key
    ]  # fmt: skip
